package partnercenter

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/partnercenter-go/partnercenter/generated"
	"github.com/partnercenter-go/partnercenter/internal/redact"
)

// GetLineItemActivationLinks gets the activation links of one order line item
// (GET /v1/customers/{customerId}/orders/{orderId}/lineitems/{lineItemNumber}/activationlinks).
// In an integration sandbox account the link is a dummy link.
//
// Right after checkout the order may not be found yet: Partner Center shows a new order only
// after a delay of up to 15 minutes
// (https://learn.microsoft.com/partner-center/developer/get-all-of-a-customer-s-orders), and
// answers 404 with CodeOrderNotFound (20000) meanwhile. To wait for it, retry that answer with
// a growing pause until 15 minutes after checkout have passed; any other error is final:
//
//	var pcErr *partnercenter.Error
//	if errors.As(err, &pcErr) && pcErr.StatusCode == 404 && time.Since(checkout) < 15*time.Minute {
//		// not yet: wait, then call again
//	}
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
// Right after checkout the order may not be found yet: Partner Center shows a new order only
// after a delay of up to 15 minutes
// (https://learn.microsoft.com/partner-center/developer/get-all-of-a-customer-s-orders), and
// answers 404 with CodeOrderNotFound (20000) meanwhile. To wait for it, retry that answer with
// a growing pause until 15 minutes after checkout have passed; any other error is final:
//
//	var pcErr *partnercenter.Error
//	if errors.As(err, &pcErr) && pcErr.StatusCode == 404 && time.Since(checkout) < 15*time.Minute {
//		// not yet: wait, then call again
//	}
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

// NextActivationLinks gets the next page of an activation-link collection, following its
// links.next as the service sent it; ok is false, with nothing sent, when the collection has
// no next link. Partner Center writes the link both ways: with the /v1 prefix
// ("/v1/customers?size=500&seekOperation=Next", as production answered in November 2021:
// https://github.com/microsoft/Partner-Center-PowerShell/issues/379, where prefixing it again
// asked for /v1//v1/customers) and without it (recorded sessions and the docs); both are
// resolved against the client's endpoint, once. The link's headers (MS-ContinuationToken) are
// sent with it, except those that carry credentials. A link to another host, or with a method
// other than GET, is refused before anything is sent: the token goes to the configured
// endpoint only, and following a page never changes anything.
//
// Partner Center API docs: https://learn.microsoft.com/partner-center/developer/partner-center-rest-resources#resourcelinks
func (c *Client) NextActivationLinks(ctx context.Context, page ActivationLinkCollection, options *NextActivationLinksOptions) (resp NextActivationLinksResponse, ok bool, err error) {
	const op = "NextActivationLinks"
	if page.Links == nil || page.Links.Next == nil || page.Links.Next.URI == "" {
		return NextActivationLinksResponse{}, false, nil
	}
	if options == nil {
		options = &NextActivationLinksOptions{}
	}
	next := page.Links.Next
	target, err := resolveCollectionLink(c.server, next.URI)
	if next.Method != "" && !strings.EqualFold(next.Method, http.MethodGet) && err == nil {
		// A collection is read with GET; a link asking for another method is not followed.
		err = &ArgumentError{op, "page.Links.Next.Method", next.Method, "a collection's next link is followed with GET only"}
	}
	ids, idErr := newCallIDs(op, options.RequestID, options.CorrelationID)
	if err = firstError(err, idErr); err != nil {
		return NextActivationLinksResponse{}, false, err
	}
	ids, err = c.call(ctx, op, ids, func(string) (*http.Request, error) {
		req, err := http.NewRequest(http.MethodGet, target, nil)
		if err != nil {
			return nil, err
		}
		for _, h := range next.Headers {
			if !redact.SensitiveHeader(h.Key) && !strings.EqualFold(h.Key, "Host") {
				req.Header.Add(h.Key, h.Value)
			}
		}
		req.Header.Set("Accept", "application/json")
		return req, nil
	}, &resp.ActivationLinkCollection)
	if err != nil {
		return NextActivationLinksResponse{}, false, err
	}
	resp.RequestID, resp.CorrelationID = ids.requestID, ids.correlationID
	return resp, true, nil
}

// resolveCollectionLink turns a collection link's uri into a URL under server (the endpoint
// with one trailing slash): "/v1/customers?x", "/customers?x" and "customers?x" all become
// server+"v1/customers?x". An absolute URL is refused unless it is under server.
func resolveCollectionLink(server, uri string) (string, error) {
	const op = "NextActivationLinks"
	u, err := url.Parse(uri)
	if err != nil {
		return "", &ArgumentError{op, "page.Links.Next.URI", uri, "does not parse: " + err.Error()}
	}
	if u.IsAbs() || u.Host != "" {
		if strings.HasPrefix(uri, server) {
			return uri, nil
		}
		return "", &ArgumentError{op, "page.Links.Next.URI", uri, "points away from the client's endpoint; the token is sent to the endpoint only"}
	}
	rel := strings.TrimLeft(uri, "/")
	if !strings.HasPrefix(rel, "v1/") {
		rel = "v1/" + rel
	}
	return server + rel, nil
}
