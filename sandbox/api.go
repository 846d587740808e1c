package sandbox

import (
	"context"
	"net/url"
	"sort"
	"strconv"
	"strings"

	gen "github.com/partnercenter-go/partnercenter/generated"
)

// api implements the server interface that oapi-codegen generates from openapi.yaml, so the
// sandbox cannot drift from the spec: a changed operation or response breaks its build.
type api struct{ st *State }

var _ gen.StrictServerInterface = (*api)(nil)

type tenantKey struct{}

// The documented error answers, in Microsoft's wording: the error-codes page
// (MicrosoftDocs/partner-center-sdk develop/error-codes.md), and for 20002 the body users
// received from the live service (microsoft/Partner-Smart-Office issue 12).
const (
	codeNoRelationship       = 20002  // 403
	codeOrderNotFound        = 20000  // 404
	codeSubscriptionNotFound = 20003  // 404
	codeLineItemOutOfRange   = 800071 // 400
	codeAlreadyActivated     = 800041 // 400
	codeInvalidInput         = 800002 // 400
	codeNonSandboxTenant     = 800019 // 403
)

func errorBody(code int64, description string) gen.Error {
	var c gen.ErrorCode
	_ = c.FromErrorCode0(code)
	data := []interface{}{}
	source := "PartnerFD"
	return gen.Error{Code: c, Description: description, Data: &data, Source: &source}
}

// customerOf finds the calling partner's customer; the lock must be held.
func (a *api) customerOf(ctx context.Context, id string) (*partner, *customer) {
	p := a.st.partners[ctx.Value(tenantKey{}).(string)]
	if p == nil {
		return nil, nil
	}
	return p, p.customers[strings.ToLower(id)]
}

// subscriptionNotFound fills in the page's "Subscription with ID {0} not found."
func subscriptionNotFound(id string) gen.Error {
	return errorBody(codeSubscriptionNotFound, "Subscription with ID "+id+" not found.")
}

func noRelationship() gen.Error {
	return errorBody(codeNoRelationship, "No relationship between caller and account.")
}

func (a *api) GetLineItemActivationLinks(ctx context.Context, req gen.GetLineItemActivationLinksRequestObject) (gen.GetLineItemActivationLinksResponseObject, error) {
	a.st.mu.Lock()
	defer a.st.mu.Unlock()
	_, c := a.customerOf(ctx, req.CustomerID)
	if c == nil {
		return gen.GetLineItemActivationLinks403JSONResponse{ForbiddenJSONResponse: gen.ForbiddenJSONResponse{Body: noRelationship()}}, nil
	}
	o := c.orders[req.OrderID]
	if o == nil {
		return gen.GetLineItemActivationLinks404JSONResponse{NotFoundJSONResponse: gen.NotFoundJSONResponse{Body: errorBody(codeOrderNotFound, "Order ID not found")}}, nil
	}
	for _, li := range o.LineItems {
		if li.Number == int(req.LineItemNumber) {
			self := "/customers/" + req.CustomerID + "/orders/" + url.PathEscape(req.OrderID) + "/lineitems/" + strconv.Itoa(li.Number) + "/activationlinks"
			return gen.GetLineItemActivationLinks200JSONResponse{ActivationLinksJSONResponse: gen.ActivationLinksJSONResponse{
				Body: collection(self, []LineItemSeed{li})}}, nil
		}
	}
	return gen.GetLineItemActivationLinks400JSONResponse{BadRequestJSONResponse: gen.BadRequestJSONResponse{
		Body: errorBody(codeLineItemOutOfRange, "Line Item number should be from 0 to number of line items count")}}, nil
}

func (a *api) GetOrderActivationLinks(ctx context.Context, req gen.GetOrderActivationLinksRequestObject) (gen.GetOrderActivationLinksResponseObject, error) {
	a.st.mu.Lock()
	defer a.st.mu.Unlock()
	_, c := a.customerOf(ctx, req.CustomerID)
	if c == nil {
		return gen.GetOrderActivationLinks403JSONResponse{ForbiddenJSONResponse: gen.ForbiddenJSONResponse{Body: noRelationship()}}, nil
	}
	o := c.orders[req.OrderID]
	if o == nil {
		return gen.GetOrderActivationLinks404JSONResponse{NotFoundJSONResponse: gen.NotFoundJSONResponse{Body: errorBody(codeOrderNotFound, "Order ID not found")}}, nil
	}
	self := "/customers/" + req.CustomerID + "/orders/" + url.PathEscape(req.OrderID) + "/activationlinks"
	return gen.GetOrderActivationLinks200JSONResponse{ActivationLinksJSONResponse: gen.ActivationLinksJSONResponse{Body: collection(self, o.LineItems)}}, nil
}

func (a *api) GetSubscriptionActivationLinks(ctx context.Context, req gen.GetSubscriptionActivationLinksRequestObject) (gen.GetSubscriptionActivationLinksResponseObject, error) {
	a.st.mu.Lock()
	defer a.st.mu.Unlock()
	_, c := a.customerOf(ctx, req.CustomerID)
	if c == nil {
		return gen.GetSubscriptionActivationLinks403JSONResponse{ForbiddenJSONResponse: gen.ForbiddenJSONResponse{Body: noRelationship()}}, nil
	}
	if c.subscriptions[strings.ToLower(req.SubscriptionID)] == nil {
		return gen.GetSubscriptionActivationLinks404JSONResponse{NotFoundJSONResponse: gen.NotFoundJSONResponse{
			Body: subscriptionNotFound(req.SubscriptionID)}}, nil
	}
	var items []LineItemSeed
	for _, id := range sortedOrderIDs(c) {
		for _, li := range c.orders[id].LineItems {
			if strings.EqualFold(li.SubscriptionID, req.SubscriptionID) {
				items = append(items, li)
			}
		}
	}
	self := "/customers/" + req.CustomerID + "/subscriptions/" + req.SubscriptionID + "/activationlinks"
	return gen.GetSubscriptionActivationLinks200JSONResponse{ActivationLinksJSONResponse: gen.ActivationLinksJSONResponse{Body: collection(self, items)}}, nil
}

// ActivateSubscription activates a pending SaaS subscription of an integration sandbox
// partner, once. A production partner is refused with 403 800019: the documentation says such
// subscriptions are set up on the publisher's site and names no status or code for the
// refusal; the error-codes page answers the sandbox boundary with 403 (800019 for a
// non-sandbox tenant). The decision and its sources: docs/spec-decisions.md, and openapi.yaml
// (Forbidden, example productionRefused).
func (a *api) ActivateSubscription(ctx context.Context, req gen.ActivateSubscriptionRequestObject) (gen.ActivateSubscriptionResponseObject, error) {
	a.st.mu.Lock()
	defer a.st.mu.Unlock()
	p, c := a.customerOf(ctx, req.CustomerID)
	if c == nil {
		return gen.ActivateSubscription403JSONResponse{ForbiddenJSONResponse: gen.ForbiddenJSONResponse{Body: noRelationship()}}, nil
	}
	s := c.subscriptions[strings.ToLower(req.SubscriptionID)]
	badRequest := func(code int64, description string) (gen.ActivateSubscriptionResponseObject, error) {
		return gen.ActivateSubscription400JSONResponse{BadRequestJSONResponse: gen.BadRequestJSONResponse{Body: errorBody(code, description)}}, nil
	}
	switch {
	case s == nil:
		return gen.ActivateSubscription404JSONResponse{NotFoundJSONResponse: gen.NotFoundJSONResponse{
			Body: subscriptionNotFound(req.SubscriptionID)}}, nil
	case !p.sandbox:
		return gen.ActivateSubscription403JSONResponse{ForbiddenJSONResponse: gen.ForbiddenJSONResponse{Body: errorBody(codeNonSandboxTenant,
			"Non-Sandbox tenants aren't allowed to activate subscriptions for commercial marketplace SaaS products; for a production subscription, complete the setup on the publisher's site.")}}, nil
	case !s.SaaS:
		return badRequest(codeInvalidInput, "Invalid request input: only commercial marketplace SaaS subscriptions can be activated.")
	case s.Active:
		return badRequest(codeAlreadyActivated, "This item has already been activated")
	}
	s.Active = true
	s.activations++
	return gen.ActivateSubscription200JSONResponse{SubscriptionActivatedJSONResponse: gen.SubscriptionActivatedJSONResponse{
		Body: gen.SubscriptionActivationResult{SubscriptionID: req.SubscriptionID, Status: "Success"}}}, nil
}

func collection(self string, lineItems []LineItemSeed) gen.ActivationLinkCollection {
	items := make([]gen.ActivationLink, 0, len(lineItems))
	for _, li := range lineItems {
		uri := li.ActivationLink
		if uri == "" {
			uri = "https://publisher.example/activate" // the sandbox's dummy link, as the real sandbox's
		}
		items = append(items, gen.ActivationLink{LineItemNumber: int32(li.Number), Link: gen.Link{URI: uri, Method: "GET", Headers: []gen.KeyValuePair{}}})
	}
	objectType := "Collection"
	return gen.ActivationLinkCollection{
		TotalCount: int32(len(items)), Items: items,
		Links:      &gen.ResourceLinks{Self: &gen.Link{URI: self, Method: "GET", Headers: []gen.KeyValuePair{}}},
		Attributes: &gen.ResourceAttributes{ObjectType: &objectType},
	}
}

func sortedOrderIDs(c *customer) []string {
	ids := make([]string, 0, len(c.orders))
	for id := range c.orders {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}
