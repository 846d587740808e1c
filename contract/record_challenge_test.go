package contract_test

import (
	"net/http"
	"strings"
	"testing"

	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"

	"github.com/partnercenter-go/partnercenter/contract"
)

// The recorder keeps a challenge, with the token masked that a server may quote in it, and
// drops Authorization: the recording keeps what a 401 says, never a credential.
func TestRedactInteractionKeepsTheChallenge(t *testing.T) {
	for _, c := range []struct{ challenge, want string }{
		{`Bearer error="invalid_token"`, `Bearer error="invalid_token"`},
		{`OAuth realm=urn:cpsvc:cpid:{some cid}`, `OAuth realm=urn:cpsvc:cpid:{some cid}`},
		{`Bearer error="invalid_token", error_description="token ` + jwt + ` refused"`, `Bearer error="invalid_token", error_description="token [REDACTED] refused"`},
		{"Bearer " + jwt, "Bearer [REDACTED]"},
	} {
		in := &cassette.Interaction{
			Request:  cassette.Request{URL: "https://api.partnercenter.microsoft.com/v1/customers/x/orders/y/activationlinks", Headers: http.Header{"Authorization": {"Bearer " + jwt}}},
			Response: cassette.Response{Code: 401, Headers: http.Header{"Www-Authenticate": {c.challenge}}},
		}
		if err := contract.RedactInteraction(in); err != nil {
			t.Fatal(err)
		}
		if got := in.Response.Headers.Get("WWW-Authenticate"); got != c.want {
			t.Errorf("%q recorded as %q, want %q", c.challenge, got, c.want)
		}
		if in.Request.Headers.Get("Authorization") != "" || strings.Contains(in.Response.Headers.Get("WWW-Authenticate"), "c2lnbmF0dXJl") {
			t.Errorf("%q: a credential is kept: %v %v", c.challenge, in.Request.Headers, in.Response.Headers)
		}
	}
}
