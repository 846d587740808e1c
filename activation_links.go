package partnercenter

import (
	"context"
)

// GetLineItemActivationLinks gets the activation links of one order line item
// (GET /v1/customers/{customerId}/orders/{orderId}/lineitems/{lineItemNumber}/activationlinks).
// In an integration sandbox account the link is a dummy link.
//
// Partner Center API docs: https://learn.microsoft.com/partner-center/developer/get-activation-link-by-order-line-item
func (c *Client) GetLineItemActivationLinks(ctx context.Context, customerID, orderID string, lineItemNumber int) (*ActivationLinkCollection, error) {
	const op = "GetLineItemActivationLinks"
	if err := firstError(checkGUID(op, "customerID", customerID), checkOrderID(op, orderID), checkLineItemNumber(op, lineItemNumber)); err != nil {
		return nil, err
	}
	return call(ctx, op, func(ctx context.Context) (*ActivationLinkCollection, error) {
		r, err := c.api.GetLineItemActivationLinksWithResponse(ctx, customerID, orderID, int32(lineItemNumber), nil)
		if err != nil {
			return nil, err
		}
		return r.JSON200, nil
	})
}

// GetOrderActivationLinks gets the activation links of every line item of an order
// (GET /v1/customers/{customerId}/orders/{orderId}/activationlinks). The REST reference has no
// page for it; the .NET SDK's IOrderActivationLinks.Get documents it.
//
// Partner Center API docs: https://learn.microsoft.com/dotnet/api/microsoft.store.partnercenter.orders.iorderactivationlinks.get
func (c *Client) GetOrderActivationLinks(ctx context.Context, customerID, orderID string) (*ActivationLinkCollection, error) {
	const op = "GetOrderActivationLinks"
	if err := firstError(checkGUID(op, "customerID", customerID), checkOrderID(op, orderID)); err != nil {
		return nil, err
	}
	return call(ctx, op, func(ctx context.Context) (*ActivationLinkCollection, error) {
		r, err := c.api.GetOrderActivationLinksWithResponse(ctx, customerID, orderID, nil)
		if err != nil {
			return nil, err
		}
		return r.JSON200, nil
	})
}

// GetSubscriptionActivationLinks gets the activation links of a subscription
// (GET /v1/customers/{customerId}/subscriptions/{subscriptionId}/activationlinks).
//
// Partner Center API docs: https://learn.microsoft.com/rest/api/partner-center/manage-orders/get-subscription-activation-links
func (c *Client) GetSubscriptionActivationLinks(ctx context.Context, customerID, subscriptionID string) (*ActivationLinkCollection, error) {
	const op = "GetSubscriptionActivationLinks"
	if err := firstError(checkGUID(op, "customerID", customerID), checkGUID(op, "subscriptionID", subscriptionID)); err != nil {
		return nil, err
	}
	return call(ctx, op, func(ctx context.Context) (*ActivationLinkCollection, error) {
		r, err := c.api.GetSubscriptionActivationLinksWithResponse(ctx, customerID, subscriptionID, nil)
		if err != nil {
			return nil, err
		}
		return r.JSON200, nil
	})
}

func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
