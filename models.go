package partnercenter

// The models, written out so that go doc shows their fields. They mirror the schemas of
// openapi.yaml field for field and keep the documented JSON names, so they marshal back to
// what Partner Center sends; TestModelsMirrorTheSpec compares them with the types generated
// from openapi.yaml, so a schema change cannot leave them behind. Unknown fields in a response
// are ignored: the service adds fields, and clients must tolerate them.

// ActivationLinkCollection is the answer of the three activation-link calls: a collection of
// activation links (ResourceCollection<OrderLineItemActivationLink> in Microsoft's SDKs).
type ActivationLinkCollection struct {
	// TotalCount is the number of items.
	TotalCount int32 `json:"totalCount"`
	// Items are the activation links, one per order line item.
	Items []ActivationLink `json:"items"`
	// Links are the collection's self, next and previous links, when the service sends them.
	Links *ResourceLinks `json:"links,omitempty"`
	// Attributes are the collection's metadata (objectType "Collection").
	Attributes *ResourceAttributes `json:"attributes,omitempty"`
	// ContinuationToken is set on paged variants of the collection.
	ContinuationToken *string `json:"continuationToken,omitempty"`
}

// ActivationLink is the activation link of one order line item
// (OrderLineItemActivationLink in Microsoft's SDKs).
type ActivationLink struct {
	// LineItemNumber is the order line item's number, from 0.
	LineItemNumber int32 `json:"lineItemNumber"`
	// Link is the publisher's activation URL (a dummy link in integration sandbox accounts).
	Link Link `json:"link"`
}

// Link is a hypermedia link. For the collection's self, next and previous links URI is
// relative and without /v1; for an activation link it is the publisher's URL.
type Link struct {
	// URI is the link's address. It may be empty: the service omits null members, and
	// Microsoft's SDKs make it nullable.
	URI string `json:"uri,omitempty"`
	// Method is the HTTP method to follow the link with, e.g. "GET".
	Method string `json:"method"`
	// Headers are the headers to send when following the link.
	Headers []KeyValuePair `json:"headers"`
	// Body is the body to send, when the link has one.
	Body *string `json:"body,omitempty"`
}

// KeyValuePair is a header of a Link.
type KeyValuePair struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// ResourceLinks are the navigation links of a resource or collection.
type ResourceLinks struct {
	Self     *Link `json:"self,omitempty"`
	Next     *Link `json:"next,omitempty"`
	Previous *Link `json:"previous,omitempty"`
}

// ResourceAttributes are a resource's metadata.
type ResourceAttributes struct {
	// ObjectType is the resource's type name, e.g. "Collection".
	ObjectType *string `json:"objectType,omitempty"`
	// Etag is the resource's version, when the service sends one.
	Etag *string `json:"etag,omitempty"`
}

// SubscriptionActivationResult is the answer of ActivateSubscription.
type SubscriptionActivationResult struct {
	// SubscriptionID is the activated subscription's id.
	SubscriptionID string `json:"subscriptionId"`
	// Status is ActivationStatusSuccess, the only documented value. It stays a free string, as
	// in every official SDK.
	Status string `json:"status"`
}

// ActivationStatusSuccess is the only documented SubscriptionActivationResult.Status.
const ActivationStatusSuccess = "Success"
