package contract

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"
)

// surelyConforms may only ever say yes where kin-openapi's ValidateRequest finds nothing: run
// both on every operation with path parameters and headers of every shape.
func checkSurelyConforms(t *testing.T, v *Validator, method, path string, header http.Header) (fast bool) {
	t.Helper()
	u, err := url.Parse("https://api.partnercenter.microsoft.com" + path)
	if err != nil {
		return false
	}
	route, params, err := v.findRoute(method, u)
	if err != nil {
		return false
	}
	fast = surelyConforms(route, params, header, u.RawQuery, nil)
	req := &http.Request{Method: method, URL: u, Header: header, Body: http.NoBody, GetBody: noBody}
	kinErr := openapi3filter.ValidateRequest(context.Background(), &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: noAuth})
	if fast && kinErr != nil {
		t.Errorf("%s %s %v: the fast path accepts what kin-openapi rejects: %v", method, path, header, kinErr)
	}
	return fast
}

var (
	guids   = []string{"42b5f772-5c5c-4bce-b9d7-bdadeecca411", "AAAA0A0A-BB1B-CC2C-DD3D-EEEEEE4E4E4E", "42b5f772-5c5c-4bce-b9d7-bdadeecca41", "not-a-guid", "42b5f772-5c5c-4bce-b9d7-bdadeecca411x", "%20", "42b5f772%2D5c5c-4bce-b9d7-bdadeecca411"}
	numbers = []string{"0", "1", "42", "-1", "007", "1e3", "2147483647", "2147483648", "+5", " 1", "x", "1.0"}
	values  = []string{"655890ba-4d2b-4d09-a95f-4ea1348686a5", "", " ", "not-a-guid", "655890ba-4d2b-4d09-a95f-4ea1348686a5,655890ba-4d2b-4d09-a95f-4ea1348686a5", "v1", "\t"}
)

func TestSurelyConformsNeverAcceptsWhatKinRejects(t *testing.T) {
	v, err := NewDefault(Options{})
	if err != nil {
		t.Fatal(err)
	}
	accepted := 0
	for _, c := range guids {
		for _, s := range guids {
			for _, h := range values {
				header := http.Header{"Ms-Requestid": {h}, "Ms-Correlationid": {h}, "Ms-Cv": {h}, "X-Locale": {h}}
				if checkSurelyConforms(t, v, "POST", "/v1/customers/"+c+"/subscriptions/"+s+"/activate", header) {
					accepted++
				}
				checkSurelyConforms(t, v, "GET", "/v1/customers/"+c+"/subscriptions/"+s+"/activationlinks", header)
			}
		}
		for _, n := range numbers {
			if checkSurelyConforms(t, v, "GET", "/v1/customers/"+c+"/orders/Ia80ZLkXp6eWOqpp35pBQJLhqv9IiGVZ1/lineitems/"+n+"/activationlinks", http.Header{}) {
				accepted++
			}
		}
		checkSurelyConforms(t, v, "GET", "/v1/customers/"+c+"/orders/a%2Fb/activationlinks", http.Header{"Ms-Requestid": {"x", "y"}})
		checkSurelyConforms(t, v, "GET", "/v1/customers/"+c+"/orders/o/activationlinks?x=1", http.Header{})
	}
	if accepted == 0 {
		t.Fatal("the fast path accepted nothing: it is never used")
	}
}

func FuzzSurelyConforms(f *testing.F) {
	f.Add("42b5f772-5c5c-4bce-b9d7-bdadeecca411", "3", "655890ba-4d2b-4d09-a95f-4ea1348686a5")
	f.Add("x", "007", "")
	v, err := NewDefault(Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, customer, lineItem, header string) {
		h := http.Header{"Ms-Requestid": {header}, "Ms-Cv": {header}}
		checkSurelyConforms(t, v, "GET", "/v1/customers/"+url.PathEscape(customer)+"/orders/o/lineitems/"+url.PathEscape(lineItem)+"/activationlinks", h)
		checkSurelyConforms(t, v, "POST", "/v1/customers/"+url.PathEscape(customer)+"/subscriptions/"+url.PathEscape(lineItem)+"/activate", h)
	})
}
