package partnercenter

import (
	"encoding/json"
	"reflect"
	"testing"
)

// The required-member check names the same member whether it streams through the body or
// not, and never panics on any JSON. (Streaming is what bounds memory on large bodies; the
// small path is what ordinary answers take.)
func FuzzRequiredMembersStreamedOrNot(f *testing.F) {
	for _, s := range []string{
		`{}`, `null`, `[]`, `{"totalCount":1,"items":[{}]}`, `{"totalCount":1,"items":[null,{"lineItemNumber":0}]}`,
		`{"totalCount":1,"items":[{"lineItemNumber":0,"link":{"method":"GET","headers":[{"key":"k"}]}}]}`,
		`{"totalCount":1,"items":[],"items":null}`, `{"totalCount":1,"items":{"a":1}}`, `{"items":[1,"x",[]],"totalCount":0}`,
		`{"subscriptionId":"x","status":"Success"}`, `{"subscriptionId":"x","status":null}`, `{"Status":"x","subscriptionId":"y"}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !json.Valid([]byte(s)) {
			return
		}
		defer func(old int) { streamJSONAbove = old }(streamJSONAbove)
		for _, check := range []func(json.RawMessage) string{
			func(raw json.RawMessage) string {
				return missingRequired(reflect.TypeFor[ActivationLinkCollection](), raw, "")
			},
			func(raw json.RawMessage) string {
				return missingRequired(reflect.TypeFor[SubscriptionActivationResult](), raw, "")
			},
		} {
			streamJSONAbove = 64 << 10
			whole := check(json.RawMessage(s))
			streamJSONAbove = 0
			if streamed := check(json.RawMessage(s)); streamed != whole {
				t.Fatalf("%s: streamed %q, whole %q", s, streamed, whole)
			}
		}
	})
}
