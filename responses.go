package partnercenter

// Each operation returns an <Operation>Response: the model, embedded, and the ids of the call,
// which Partner Center support asks for. The ids are the response's MS-RequestId and
// MS-CorrelationId as the service echoed them, else as the client sent them.

// GetLineItemActivationLinksResponse is the answer of GetLineItemActivationLinks.
type GetLineItemActivationLinksResponse struct {
	ActivationLinkCollection
	// RequestID and CorrelationID are the call's MS-RequestId and MS-CorrelationId.
	RequestID, CorrelationID string
}

// GetOrderActivationLinksResponse is the answer of GetOrderActivationLinks.
type GetOrderActivationLinksResponse struct {
	ActivationLinkCollection
	// RequestID and CorrelationID are the call's MS-RequestId and MS-CorrelationId.
	RequestID, CorrelationID string
}

// GetSubscriptionActivationLinksResponse is the answer of GetSubscriptionActivationLinks.
type GetSubscriptionActivationLinksResponse struct {
	ActivationLinkCollection
	// RequestID and CorrelationID are the call's MS-RequestId and MS-CorrelationId.
	RequestID, CorrelationID string
}

// NextActivationLinksResponse is the answer of NextActivationLinks: the next page.
type NextActivationLinksResponse struct {
	ActivationLinkCollection
	// RequestID and CorrelationID are the call's MS-RequestId and MS-CorrelationId.
	RequestID, CorrelationID string
}

// ActivateSubscriptionResponse is the answer of ActivateSubscription.
type ActivateSubscriptionResponse struct {
	SubscriptionActivationResult
	// RequestID and CorrelationID are the call's MS-RequestId and MS-CorrelationId.
	RequestID, CorrelationID string
}
