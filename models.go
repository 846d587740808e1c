package partnercenter

import "github.com/partnercenter-go/partnercenter/generated"

// The models are generated from openapi.yaml and re-exported here, so that callers never
// import generated/. They marshal back to the documented JSON field names.
type (
	// ActivationLinkCollection is the answer of the three activation-link calls.
	ActivationLinkCollection = generated.ActivationLinkCollection
	// ActivationLink is the activation link of one order line item.
	ActivationLink = generated.ActivationLink
	// Link is a hypermedia link: the publisher's URL for an activation link.
	Link = generated.Link
	// KeyValuePair is a header of a Link.
	KeyValuePair = generated.KeyValuePair
	// ResourceLinks are a collection's self, next and previous links.
	ResourceLinks = generated.ResourceLinks
	// ResourceAttributes are a resource's metadata (objectType, etag).
	ResourceAttributes = generated.ResourceAttributes
	// SubscriptionActivationResult is the answer of ActivateSubscription.
	SubscriptionActivationResult = generated.SubscriptionActivationResult
)

// ActivationStatusSuccess is the only documented SubscriptionActivationResult.Status. The
// field stays a free string, as in every official SDK.
const ActivationStatusSuccess = "Success"
