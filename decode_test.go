package partnercenter_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/partnercenter-go/partnercenter"
)

// The client reads answers by the contract gate's media-type rules, and a 2xx that lacks the
// spec's required members is an *Error keeping the raw body, never a success (issue 10).
func TestSuccessBodiesByTheGatesRules(t *testing.T) {
	const bom = "\xEF\xBB\xBF"
	for _, tc := range []struct {
		name, contentType, body string
		wantErr                 string // "" for a success
	}{
		{"the live service's BOM and charset", "application/json; charset=utf-8", bom + activatedBody, ""},
		{"a media type in upper case", "Application/JSON; Charset=UTF-8", activatedBody, ""},
		{"text/json, listed by the REST reference", "text/json", activatedBody, ""},
		{"a +json type", "application/vnd.partnercenter+json", activatedBody, ""},
		{"a media type that is not JSON", "text/plain", activatedBody, `no JSON body to decode (Content-Type "text/plain")`},
		{"no Content-Type (net/http sniffs text/plain)", "", activatedBody, "no JSON body to decode"},
		{"an empty object", "application/json", `{}`, "the body lacks /subscriptionId, which the spec requires"},
		{"JSON null", "application/json", `null`, "the body is JSON null"},
		{"a member null", "application/json", `{"subscriptionId":"87363db7-39ab-dd25-d371-94340aaa2f97","status":null}`, "the body lacks /status"},
		// An error body in a 200 is the service's refusal, not a decoding failure:
		// TestSuccessStatusWithErrorBody (mfa_test.go).
		{"a member of the wrong type", "application/json", `{"subscriptionId":"x","status":7}`, "cannot unmarshal number"},
		{"trailing bytes", "application/json", activatedBody + "garbage", "not valid JSON"},
		{"two JSON values", "application/json", activatedBody + activatedBody, "not valid JSON"},
		{"a BOM before invalid JSON", "application/json", bom + `{"subscriptionId":`, "not valid JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := answer{status: 200, body: tc.body, headers: map[string]string{}}
			if tc.contentType != "" {
				a.headers["Content-Type"] = tc.contentType
			}
			c, _ := newClient(t, newServer(t, a), nil)
			res, err := c.ActivateSubscription(context.Background(), customerID, subscriptionID, nil)
			if tc.wantErr == "" {
				if err != nil || res.Status != "Success" {
					t.Fatalf("want a success, got %+v, %v", res, err)
				}
				return
			}
			if res != (partnercenter.ActivateSubscriptionResponse{}) {
				t.Fatalf("want no result, got %+v", res)
			}
			var pcErr *partnercenter.Error
			if !errors.As(err, &pcErr) {
				t.Fatalf("want an *Error, got %T %v", err, err)
			}
			if pcErr.StatusCode != 200 || errors.Unwrap(pcErr) == nil || !strings.Contains(pcErr.Unwrap().Error(), tc.wantErr) {
				t.Fatalf("want status 200 and a decoding error containing %q, got %d %v", tc.wantErr, pcErr.StatusCode, pcErr.Unwrap())
			}
			if want := strings.TrimPrefix(tc.body, bom); string(pcErr.RawBody) != want {
				t.Fatalf("RawBody %q, want the body %q", pcErr.RawBody, want)
			}
		})
	}
}

// A 200 carrying an error body keeps the error's code: a batch sees 800041, not "activated".
func TestErrorBodyInA200KeepsItsCode(t *testing.T) {
	c, _ := newClient(t, newServer(t, jsonAnswer(200, `{"code":800041,"description":"This item has already been activated"}`)), nil)
	_, err := c.ActivateSubscription(context.Background(), customerID, subscriptionID, nil)
	var pcErr *partnercenter.Error
	if !errors.As(err, &pcErr) || pcErr.Code != partnercenter.CodeAlreadyActivated || pcErr.Description != "This item has already been activated" {
		t.Fatalf("want *Error with code 800041 and its description, got %#v", err)
	}
}

// Required members are checked at every depth; a Link's uri is optional (the service omits
// null members), its method and headers are not.
func TestRequiredMembersOfCollections(t *testing.T) {
	for _, tc := range []struct{ name, body, wantErr string }{
		{"a link without uri", `{"totalCount":1,"items":[{"lineItemNumber":0,"link":{"method":"GET","headers":[]}}]}`, ""},
		{"the seed page's collection", linksBody, ""},
		{"a link without method", `{"totalCount":1,"items":[{"lineItemNumber":0,"link":{"uri":"u","headers":[]}}]}`, "/items/0/link/method"},
		{"an item without link", `{"totalCount":1,"items":[{"lineItemNumber":0}]}`, "/items/0/link"},
		{"a self link without headers", `{"totalCount":0,"items":[],"links":{"self":{"uri":"u","method":"GET"}}}`, "/links/self/headers"},
		{"no items", `{"totalCount":0}`, "/items"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := newClient(t, newServer(t, jsonAnswer(200, tc.body)), nil)
			res, err := c.GetOrderActivationLinks(context.Background(), customerID, orderID, nil)
			if tc.wantErr == "" {
				if err != nil || len(res.Items) != 1 {
					t.Fatalf("want a success, got %+v, %v", res, err)
				}
				return
			}
			var pcErr *partnercenter.Error
			if res.Items != nil || res.RequestID != "" || !errors.As(err, &pcErr) || !strings.Contains(err.Error(), "lacks "+tc.wantErr+",") {
				t.Fatalf("want an *Error naming %s, got %+v, %v", tc.wantErr, res, err)
			}
		})
	}
}

// Error answers read by the same rules: a BOM and an upper-case media type still give the code.
func TestErrorBodiesByTheGatesRules(t *testing.T) {
	for _, ct := range []string{"application/json; charset=utf-8", "Application/JSON", "text/json"} {
		a := answer{status: 403, body: "\xEF\xBB\xBF" + `{"code":20002,"description":"No relationship between caller and account.","data":[],"source":"PartnerFD"}`,
			headers: map[string]string{"Content-Type": ct}}
		c, _ := newClient(t, newServer(t, a), nil)
		_, err := c.GetSubscriptionActivationLinks(context.Background(), customerID, subscriptionID, nil)
		var pcErr *partnercenter.Error
		if !errors.As(err, &pcErr) || pcErr.Code != partnercenter.CodeNoCommerceRelation || pcErr.Source != "PartnerFD" {
			t.Fatalf("%s: want 403 code 20002, got %v", ct, err)
		}
	}
}
