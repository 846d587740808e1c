package partnercenter

import (
	"context"
	"net/http"
	"strings"

	"github.com/partnercenter-go/partnercenter/generated"
)

// ActivateSubscription activates a SaaS subscription bought from an integration sandbox
// account, so that billing begins (POST /v1/customers/{customerId}/subscriptions/{subscriptionId}/activate).
// A production subscription is set up on the publisher's site instead; the service refuses it.
//
// The call is retried like a GET: every attempt carries the same MS-RequestId, which the
// service uses to answer a repeated attempt as it answered the first, instead of activating
// twice. Activating an active subscription again (a new call, so a new id) is an *Error with
// Code CodeAlreadyActivated.
//
// Like the official .NET and Java SDKs, the client sends the JSON literal null as the body;
// the documentation says the call has none, and openapi.yaml accepts both.
//
// Partner Center API docs: https://learn.microsoft.com/partner-center/developer/activate-sandbox-subscription
func (c *Client) ActivateSubscription(ctx context.Context, customerID, subscriptionID string, options *ActivateSubscriptionOptions) (ActivateSubscriptionResponse, error) {
	const op = "ActivateSubscription"
	if options == nil {
		options = &ActivateSubscriptionOptions{}
	}
	ids, err := newCallIDs(op, options.RequestID, options.CorrelationID)
	if err = firstError(checkGUID(op, "customerID", customerID), checkGUID(op, "subscriptionID", subscriptionID), err); err != nil {
		return ActivateSubscriptionResponse{}, err
	}
	var resp ActivateSubscriptionResponse
	ids, err = c.call(ctx, op, ids, func(server string) (*http.Request, error) {
		return generated.NewActivateSubscriptionRequestWithBody(server, customerID, subscriptionID, nil, contentTypeJSON, strings.NewReader(activateBodyLiteral))
	}, &resp.SubscriptionActivationResult)
	if err != nil {
		return ActivateSubscriptionResponse{}, err
	}
	resp.RequestID, resp.CorrelationID = ids.requestID, ids.correlationID
	return resp, nil
}
