package partnercenter

// Each operation takes an *<Operation>Options as its last argument, as the Azure SDK for Go's
// clients do, so that a parameter added later is not a breaking change. nil means the
// defaults. The fields are spelled out in each type (not embedded from a shared one) so that a
// composite literal such as &ActivateSubscriptionOptions{RequestID: id} works.

// GetLineItemActivationLinksOptions are the optional parameters of GetLineItemActivationLinks.
type GetLineItemActivationLinksOptions struct {
	// RequestID is the MS-RequestId of this call and of every retry of it: an 8-4-4-4-12 hex
	// GUID. Default: a new one. Reuse an id only to repeat the same call; the service answers a
	// repeated id with the first call's response.
	RequestID string
	// CorrelationID is the MS-CorrelationId, which ties calls together in logs and traces: an
	// 8-4-4-4-12 hex GUID. Default: a new one.
	CorrelationID string
}

// GetOrderActivationLinksOptions are the optional parameters of GetOrderActivationLinks.
type GetOrderActivationLinksOptions struct {
	// RequestID is the MS-RequestId of this call and of every retry of it: an 8-4-4-4-12 hex
	// GUID. Default: a new one.
	RequestID string
	// CorrelationID is the MS-CorrelationId: an 8-4-4-4-12 hex GUID. Default: a new one.
	CorrelationID string
}

// GetSubscriptionActivationLinksOptions are the optional parameters of
// GetSubscriptionActivationLinks.
type GetSubscriptionActivationLinksOptions struct {
	// RequestID is the MS-RequestId of this call and of every retry of it: an 8-4-4-4-12 hex
	// GUID. Default: a new one.
	RequestID string
	// CorrelationID is the MS-CorrelationId: an 8-4-4-4-12 hex GUID. Default: a new one.
	CorrelationID string
}

// NextActivationLinksOptions are the optional parameters of NextActivationLinks.
type NextActivationLinksOptions struct {
	// RequestID is the MS-RequestId of this call and of every retry of it: an 8-4-4-4-12 hex
	// GUID. Default: a new one.
	RequestID string
	// CorrelationID is the MS-CorrelationId: an 8-4-4-4-12 hex GUID. Default: a new one.
	CorrelationID string
}

// ActivateSubscriptionOptions are the optional parameters of ActivateSubscription.
type ActivateSubscriptionOptions struct {
	// RequestID is the MS-RequestId of this call and of every retry of it: an 8-4-4-4-12 hex
	// GUID. Default: a new one. The service answers a repeated id with the first call's
	// response, so repeating an activation with the id of a call whose outcome is unknown (after
	// a crash, say) learns that outcome without activating twice.
	RequestID string
	// CorrelationID is the MS-CorrelationId, which ties calls together in logs and traces: an
	// 8-4-4-4-12 hex GUID. Default: a new one.
	CorrelationID string
}
