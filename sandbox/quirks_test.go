package sandbox_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/partnercenter-go/partnercenter"
	"github.com/partnercenter-go/partnercenter/sandbox"
)

// rawAnswer is an API answer as it came off the wire.
type rawAnswer struct {
	status int
	header http.Header
	body   []byte
}

func rawCall(t *testing.T, sb *sandbox.Sandbox, method, path, token string, header http.Header) rawAnswer {
	t.Helper()
	req, _ := http.NewRequest(method, sb.URL+path, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	hc := sb.HTTPClient()
	defer hc.CloseIdleConnections()
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return rawAnswer{resp.StatusCode, resp.Header, body}
}

var (
	// The shapes of Partner-Center-PowerShell's SessionRecords: "xqqtn+OEVE2ridoS.0", "0000112D".
	msCVShape       = regexp.MustCompile(`^[A-Za-z0-9+/]{16}\.0$`)
	msServerIDShape = regexp.MustCompile(`^[0-9A-F]{8}$`)
)

const bom = "\xEF\xBB\xBF"

// By default the sandbox answers as the live service does: BOM, charset, MS-CV, MS-ServerId.
func TestQuirksOfTheRealService(t *testing.T) {
	sb := start(t, sandbox.Options{})
	tok := token(t, sb, partnercenter.CloudGlobal.Scope())
	for _, path := range []string{
		"/v1/customers/" + customer + "/orders/" + order + "/activationlinks",             // 200
		"/v1/customers/" + customer + "/orders/" + order + "/lineitems/9/activationlinks", // 400 800071
		"/v1/customers/" + unknownGUID + "/orders/" + order + "/activationlinks",          // 403 20002
	} {
		a := rawCall(t, sb, "GET", path, tok, nil)
		if !bytes.HasPrefix(a.body, []byte(bom)) {
			t.Errorf("%s: %d body does not start with the BOM", path, a.status)
		}
		if ct := a.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
			t.Errorf("%s: Content-Type %q", path, ct)
		}
		if cv := a.header.Get("MS-CV"); !msCVShape.MatchString(cv) {
			t.Errorf("%s: MS-CV %q is not in the service's shape", path, cv)
		}
		if id := a.header.Get("MS-ServerId"); !msServerIDShape.MatchString(id) {
			t.Errorf("%s: MS-ServerId %q is not in the service's shape", path, id)
		}
		var v any
		if err := json.Unmarshal(bytes.TrimPrefix(a.body, []byte(bom)), &v); err != nil {
			t.Fatalf("%s: after the BOM the body is not JSON: %v", path, err)
		}
		if where := nullMember(v, ""); where != "" {
			t.Errorf("%s: member %s is null: the service omits null members", path, where)
		}
	}
}

// nullMember returns the JSON pointer of a null member of v, or "".
func nullMember(v any, ptr string) string {
	switch v := v.(type) {
	case nil:
		return ptr
	case map[string]any:
		for k, c := range v {
			if w := nullMember(c, ptr+"/"+k); w != "" {
				return w
			}
		}
	case []any:
		for _, c := range v {
			if w := nullMember(c, ptr+"/[]"); w != "" {
				return w
			}
		}
	}
	return ""
}

// A caller's MS-CV is echoed (REST reference: the server makes one only when none is given).
func TestMSCVIsEchoed(t *testing.T) {
	sb := start(t, sandbox.Options{})
	tok := token(t, sb, partnercenter.CloudGlobal.Scope())
	a := rawCall(t, sb, "GET", "/v1/customers/"+customer+"/orders/"+order+"/activationlinks", tok, http.Header{"MS-CV": {"xqqtn+OEVE2ridoS.0"}})
	if got := a.header.Get("MS-CV"); got != "xqqtn+OEVE2ridoS.0" {
		t.Fatalf("MS-CV %q, want the caller's", got)
	}
	for _, odd := range []string{"x", "not a vector.0", "xqqtn+OEVE2ridoS.", "xqqtn+OEVE2ridoS.0." + strings.Repeat("1", 200)} {
		a := rawCall(t, sb, "GET", "/v1/customers/"+customer+"/orders/"+order+"/activationlinks", tok, http.Header{"MS-CV": {odd}})
		if got := a.header.Get("MS-CV"); got == odd || !msCVShape.MatchString(got) {
			t.Errorf("MS-CV %q answered %q: want a fresh vector, not the caller's", odd, got)
		}
	}
}

// PlainJSON turns off the BOM and the charset; the headers stay.
func TestPlainJSONOption(t *testing.T) {
	sb := start(t, sandbox.Options{PlainJSON: true})
	tok := token(t, sb, partnercenter.CloudGlobal.Scope())
	a := rawCall(t, sb, "GET", "/v1/customers/"+customer+"/orders/"+order+"/activationlinks", tok, nil)
	if bytes.HasPrefix(a.body, []byte(bom)) || a.header.Get("Content-Type") != "application/json" {
		t.Fatalf("PlainJSON: Content-Type %q, body starts %q", a.header.Get("Content-Type"), a.body[:min(3, len(a.body))])
	}
	if !json.Valid(a.body) || !msCVShape.MatchString(a.header.Get("MS-CV")) || a.header.Get("MS-ServerId") == "" {
		t.Fatalf("PlainJSON: body valid %v, MS-CV %q, MS-ServerId %q", json.Valid(a.body), a.header.Get("MS-CV"), a.header.Get("MS-ServerId"))
	}
}

// A 401 says how to authenticate (RFC 6750 section 3).
func TestUnauthorizedCarriesWWWAuthenticate(t *testing.T) {
	sb := start(t, sandbox.Options{})
	path := "/v1/customers/" + customer + "/orders/" + order + "/activationlinks"
	if a := rawCall(t, sb, "GET", path, "", nil); a.status != 401 || a.header.Get("WWW-Authenticate") != "Bearer" {
		t.Errorf("no token: %d WWW-Authenticate %q", a.status, a.header.Get("WWW-Authenticate"))
	}
	if a := rawCall(t, sb, "GET", path, "not-a-token-of-this-sandbox", nil); a.status != 401 || a.header.Get("WWW-Authenticate") != `Bearer error="invalid_token"` {
		t.Errorf("a refused token: %d WWW-Authenticate %q", a.status, a.header.Get("WWW-Authenticate"))
	}
	tok := token(t, sb, partnercenter.CloudGlobal.Scope())
	if a := rawCall(t, sb, "GET", path, tok, nil); a.status != 200 || a.header.Get("WWW-Authenticate") != "" {
		t.Errorf("a valid token: %d WWW-Authenticate %q", a.status, a.header.Get("WWW-Authenticate"))
	}
}

// Errors use Microsoft's wording (error-codes page; 20002 as users saw it live).
func TestMicrosoftsWording(t *testing.T) {
	sb := start(t, sandbox.Options{})
	c := client(t, sb, nil)
	ctx := context.Background()
	for _, tc := range []struct {
		name, want string
		call       func() error
	}{
		{"800041", "This item has already been activated", func() error {
			if _, err := c.ActivateSubscription(ctx, customer, subA, nil); err != nil {
				return err
			}
			_, err := c.ActivateSubscription(ctx, customer, subA, nil)
			return err
		}},
		{"800071", "Line Item number should be from 0 to number of line items count", func() error {
			_, err := c.GetLineItemActivationLinks(ctx, customer, order, 9, nil)
			return err
		}},
		{"20002", "No relationship between caller and account.", func() error {
			_, err := c.GetOrderActivationLinks(ctx, unknownGUID, order, nil)
			return err
		}},
		{"20000", "Order ID not found", func() error {
			_, err := c.GetOrderActivationLinks(ctx, customer, "no-such-order", nil)
			return err
		}},
		{"20003", "Subscription with ID " + unknownGUID + " not found.", func() error {
			_, err := c.GetSubscriptionActivationLinks(ctx, customer, unknownGUID, nil)
			return err
		}},
	} {
		var pcErr *partnercenter.Error
		if err := tc.call(); !errors.As(err, &pcErr) || string(pcErr.Code) != tc.name || pcErr.Description != tc.want {
			t.Errorf("%s: got %v, want the description %q", tc.name, err, tc.want)
		}
	}
}

// An order id with a slash is sent escaped (a%2Fb) and routed as one segment, as the gate
// routes it: the answer is "order not found", not "invalid request".
func TestOrderIDWithASlashRoutesAsTheGateDoes(t *testing.T) {
	seed := sandbox.DefaultSeed()
	cust := &seed.Partners[0].Customers[0]
	cust.Orders = append(cust.Orders, sandbox.OrderSeed{ID: "Ia80/ZLk+p6e", LineItems: cust.Orders[0].LineItems})
	sb := start(t, sandbox.Options{Seed: seed})
	c := client(t, sb, nil)
	links, err := c.GetOrderActivationLinks(context.Background(), cust.ID, "Ia80/ZLk+p6e", nil)
	if err != nil || links.TotalCount != int32(len(cust.Orders[0].LineItems)) {
		t.Fatalf("a seeded order id with a slash: %+v, %v", links, err)
	}
	if self := links.Links.Self.URI; !strings.Contains(self, "/orders/Ia80%2FZLk+p6e/") {
		t.Errorf("self link %q does not escape the order id", self)
	}
	_, err = c.GetOrderActivationLinks(context.Background(), cust.ID, "no/such/order", nil)
	var pcErr *partnercenter.Error
	if !errors.As(err, &pcErr) || pcErr.StatusCode != 404 || pcErr.Code != partnercenter.CodeOrderNotFound {
		t.Fatalf("an unknown order id with slashes: %v, want 404 20000", err)
	}
}
