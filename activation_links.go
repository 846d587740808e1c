package partnercenter

import (
	"context"
	"net/http"

	"github.com/partnercenter-go/partnercenter/generated"
)

// GetLineItemActivationLinks gets the activation links of one order line item
// (GET /v1/customers/{customerId}/orders/{orderId}/lineitems/{lineItemNumber}/activationlinks).
// In an integration sandbox account the link is a dummy link.
//
// Partner Center API docs: https://learn.microsoft.com/partner-center/developer/get-activation-link-by-order-line-item
func (c *Client) GetLineItemActivationLinks(ctx context.Context, customerID, orderID string, lineItemNumber int, options *GetLineItemActivationLinksOptions) (GetLineItemActivationLinksResponse, error) {
	const op = "GetLineItemActivationLinks"
	if options == nil {
		options = &GetLineItemActivationLinksOptions{}
	}
	ids, err := newCallIDs(op, options.RequestID, options.CorrelationID)
	if err = firstError(checkGUID(op, "customerID", customerID), checkOrderID(op, orderID), checkLineItemNumber(op, lineItemNumber), err); err != nil {
		return GetLineItemActivationLinksResponse{}, err
	}
	var resp GetLineItemActivationLinksResponse
	ids, err = c.call(ctx, op, ids, func(server string) (*http.Request, error) {
		return generated.NewGetLineItemActivationLinksRequest(server, customerID, orderID, int32(lineItemNumber), nil)
	}, &resp.ActivationLinkCollection)
	if err != nil {
		return GetLineItemActivationLinksResponse{}, err
	}
	resp.RequestID, resp.CorrelationID = ids.requestID, ids.correlationID
	return resp, nil
}

// GetOrderActivationLinks gets the activation links of every line item of an order
// (GET /v1/customers/{customerId}/orders/{orderId}/activationlinks). The REST reference has no
// page for it; the .NET SDK's IOrderActivationLinks.Get documents it.
//
// Partner Center API docs: https://learn.microsoft.com/dotnet/api/microsoft.store.partnercenter.orders.iorderactivationlinks.get
func (c *Client) GetOrderActivationLinks(ctx context.Context, customerID, orderID string, options *GetOrderActivationLinksOptions) (GetOrderActivationLinksResponse, error) {
	const op = "GetOrderActivationLinks"
	if options == nil {
		options = &GetOrderActivationLinksOptions{}
	}
	ids, err := newCallIDs(op, options.RequestID, options.CorrelationID)
	if err = firstError(checkGUID(op, "customerID", customerID), checkOrderID(op, orderID), err); err != nil {
		return GetOrderActivationLinksResponse{}, err
	}
	var resp GetOrderActivationLinksResponse
	ids, err = c.call(ctx, op, ids, func(server string) (*http.Request, error) {
		return generated.NewGetOrderActivationLinksRequest(server, customerID, orderID, nil)
	}, &resp.ActivationLinkCollection)
	if err != nil {
		return GetOrderActivationLinksResponse{}, err
	}
	resp.RequestID, resp.CorrelationID = ids.requestID, ids.correlationID
	return resp, nil
}

// GetSubscriptionActivationLinks gets the activation links of a subscription
// (GET /v1/customers/{customerId}/subscriptions/{subscriptionId}/activationlinks).
//
// Partner Center API docs: https://learn.microsoft.com/rest/api/partner-center/manage-orders/get-subscription-activation-links
func (c *Client) GetSubscriptionActivationLinks(ctx context.Context, customerID, subscriptionID string, options *GetSubscriptionActivationLinksOptions) (GetSubscriptionActivationLinksResponse, error) {
	const op = "GetSubscriptionActivationLinks"
	if options == nil {
		options = &GetSubscriptionActivationLinksOptions{}
	}
	ids, err := newCallIDs(op, options.RequestID, options.CorrelationID)
	if err = firstError(checkGUID(op, "customerID", customerID), checkGUID(op, "subscriptionID", subscriptionID), err); err != nil {
		return GetSubscriptionActivationLinksResponse{}, err
	}
	var resp GetSubscriptionActivationLinksResponse
	ids, err = c.call(ctx, op, ids, func(server string) (*http.Request, error) {
		return generated.NewGetSubscriptionActivationLinksRequest(server, customerID, subscriptionID, nil)
	}, &resp.ActivationLinkCollection)
	if err != nil {
		return GetSubscriptionActivationLinksResponse{}, err
	}
	resp.RequestID, resp.CorrelationID = ids.requestID, ids.correlationID
	return resp, nil
}
