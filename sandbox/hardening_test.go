package sandbox_test

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/partnercenter-go/partnercenter"
	"github.com/partnercenter-go/partnercenter/internal/guid"
	"github.com/partnercenter-go/partnercenter/sandbox"
)

// A short or odd MS-CorrelationId is answered (refused by validation), not a panic; a GUID one
// is echoed (the control).
func TestShortCorrelationID(t *testing.T) {
	sb := start(t, sandbox.Options{})
	tok := token(t, sb, partnercenter.CloudGlobal.Scope())
	path := "/v1/customers/" + customer + "/orders/" + order + "/activationlinks"
	for _, id := range []string{"x", "1234567", strings.Repeat("é", 3)} {
		status, body, h := rawRequest(t, sb, "GET", path, tok, map[string]string{"MS-CorrelationId": id})
		if status != 400 || body["code"] != float64(800002) {
			t.Errorf("MS-CorrelationId %q: %d %v", id, status, body)
		}
		if got := h.Get("MS-CorrelationId"); !guid.Valid(got) {
			t.Errorf("MS-CorrelationId %q echoed as %q", id, got)
		}
	}
	const guid = "aaaaaaaa-1111-4222-8333-444444444444"
	if _, _, h := rawRequest(t, sb, "GET", path, tok, map[string]string{"MS-CorrelationId": guid}); h.Get("MS-CorrelationId") != guid || !msCVShape.MatchString(h.Get("MS-CV")) {
		t.Errorf("a GUID correlation id is not echoed: %v", h)
	}
}

// An MS-RequestId reused for another subscription, or for a GET, is refused with 400 800002
// naming the request that owns it; the other subscription is not touched. The control: the
// same id on the same call is replayed.
func TestReusedRequestIDIsRefused(t *testing.T) {
	sb := start(t, sandbox.Options{})
	c := client(t, sb, nil)
	const id = "3705fc6d-4127-4a87-bdba-9658f73fe019"
	sameID := &partnercenter.ActivateSubscriptionOptions{RequestID: id}
	if _, err := c.ActivateSubscription(ctx, customer, subA, sameID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ActivateSubscription(ctx, customer, strings.ToUpper(subA), sameID); err != nil {
		t.Fatalf("control: the same call (ids in another case) must be replayed: %v", err)
	}
	_, err := c.ActivateSubscription(ctx, customer, subB, sameID)
	pe := wantError(t, err, 400, partnercenter.CodeInvalidInput)
	if !strings.Contains(pe.Description, "already used for another request (POST /v1/customers/"+customer+"/subscriptions/"+subA+"/activate)") {
		t.Fatalf("the refusal does not name the owner: %q", pe.Description)
	}
	_, err = c.GetSubscriptionActivationLinks(ctx, customer, subA, &partnercenter.GetSubscriptionActivationLinksOptions{RequestID: id})
	wantError(t, err, 400, partnercenter.CodeInvalidInput)
	if sb.State.Active(subB) || sb.State.Activations(subA) != 1 {
		t.Fatalf("subB active %v, subA activations %d", sb.State.Active(subB), sb.State.Activations(subA))
	}
	if st := sb.Stats(); st.Reused != 2 || st.Replayed != 1 {
		t.Fatalf("stats %+v: want 2 refused reuses and 1 replay", st)
	}
}

// Refused requests leave nothing behind: 50 requests with 40 KiB request ids do not grow the
// idempotency store. The control: a valid id is stored.
func TestInvalidRequestIDsAreNotStored(t *testing.T) {
	sb := start(t, sandbox.Options{})
	tok := token(t, sb, partnercenter.CloudGlobal.Scope())
	path := "/v1/customers/" + customer + "/subscriptions/" + subA + "/activate"
	for i := range 50 {
		id := strings.Repeat(string(rune('a'+i%26)), 40<<10)
		status, body, h := rawRequest(t, sb, "POST", path, tok, map[string]string{"MS-RequestId": id})
		if status != 400 || body["code"] != float64(800002) || len(h.Get("MS-RequestId")) != 36 {
			t.Fatalf("%d %v, echoed id of %d bytes", status, body, len(h.Get("MS-RequestId")))
		}
	}
	if st := sb.Stats(); st.Stored != 0 || st.Invalid != 50 || sb.State.Active(subA) {
		t.Fatalf("after 50 invalid ids: %+v, active %v", st, sb.State.Active(subA))
	}
	rawRequest(t, sb, "POST", path, tok, map[string]string{"MS-RequestId": "3705fc6d-4127-4a87-bdba-9658f73fe019"})
	if st := sb.Stats(); st.Stored != 1 {
		t.Fatalf("control: a valid id was not stored: %+v", st)
	}
	// Headers beyond 64 KiB are refused before any handler: 431.
	status, _, _ := rawRequest(t, sb, "POST", path, tok, map[string]string{"MS-RequestId": strings.Repeat("a", 900<<10)})
	if status != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("a 900 KiB header: %d", status)
	}
}

// A body sent slowly to the (unauthenticated) token endpoint is cut off at ReadTimeout; a
// connection left idle is closed at IdleTimeout.
func TestServerTimeouts(t *testing.T) {
	sb := start(t, sandbox.Options{ReadTimeout: 300 * time.Millisecond, IdleTimeout: 300 * time.Millisecond})
	dial := func() net.Conn {
		conn, err := tls.Dial("tcp", strings.TrimPrefix(sb.URL, "https://"), &tls.Config{RootCAs: sb.CertPool})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		return conn
	}
	closedWithin := func(conn net.Conn, d time.Duration) bool {
		conn.SetReadDeadline(time.Now().Add(d))
		_, err := io.ReadAll(conn)
		var ne net.Error
		return !(errors.As(err, &ne) && ne.Timeout())
	}
	slow := dial()
	io.WriteString(slow, "POST /"+sandboxTenant+"/oauth2/v2.0/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\ngrant_type=")
	if !closedWithin(slow, 3*time.Second) {
		t.Fatal("a slow body held its connection past ReadTimeout")
	}
	idle := dial()
	io.WriteString(idle, "GET /"+sandboxTenant+"/v2.0/.well-known/openid-configuration HTTP/1.1\r\nHost: x\r\n\r\n")
	if !closedWithin(idle, 3*time.Second) {
		t.Fatal("an idle kept-alive connection outlived IdleTimeout")
	}
	// The control: with the default timeouts, the same slow body is still waited for.
	sb = start(t, sandbox.Options{})
	slow = dial()
	io.WriteString(slow, "POST /"+sandboxTenant+"/oauth2/v2.0/token HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\ngrant")
	if closedWithin(slow, 500*time.Millisecond) {
		t.Fatal("control: the default ReadTimeout cut a body off within half a second")
	}
}

// A refresh token presented with another client_id, or a wrong secret, is refused and stays
// usable by its owner.
func TestRefreshTokenIsConsumedOnlyByItsOwner(t *testing.T) {
	sb := start(t, sandbox.Options{})
	hc := sb.HTTPClient()
	defer hc.CloseIdleConnections()
	post := func(clientID, secret string) int {
		form := url.Values{"grant_type": {"refresh_token"}, "client_id": {clientID}, "refresh_token": {"sandbox-refresh-token-0"},
			"scope": {partnercenter.CloudGlobal.Scope()}}
		if secret != "" {
			form.Set("client_secret", secret)
		}
		resp, err := hc.PostForm(sb.URL+"/"+sandboxTenant+"/oauth2/v2.0/token", form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if s := post("someone-else", ""); s != 400 {
		t.Fatalf("another client's use: %d", s)
	}
	if s := post("sandbox-app", "wrong"); s != 401 {
		t.Fatalf("a wrong secret: %d", s)
	}
	if s := post("sandbox-app", ""); s != 200 {
		t.Fatalf("the owner could not use its refresh token after the refused attempts: %d", s)
	}
	if s := post("sandbox-app", ""); s != 400 {
		t.Fatalf("control: a used refresh token must be refused: %d", s)
	}
}

func TestCredentialOnPlainHTTPIsAnError(t *testing.T) {
	sb := start(t, sandbox.Options{PlainHTTP: true})
	if cred, err := sb.Credential(); err == nil || cred != nil || !strings.Contains(err.Error(), "plain HTTP") {
		t.Fatalf("Credential on plain HTTP: %v, %v", cred, err)
	}
	https := start(t, sandbox.Options{})
	if _, err := https.Credential(); err != nil {
		t.Fatalf("control: %v", err)
	}
}

// The admin endpoint: the admin token or nothing; a wrong token and a stolen API token are
// refused; the status counts activations, stored answers and faults.
func TestAdminStatus(t *testing.T) {
	sb := start(t, sandbox.Options{})
	c := client(t, sb, nil)
	if _, err := c.ActivateSubscription(ctx, customer, subA, &partnercenter.ActivateSubscriptionOptions{RequestID: "3705fc6d-4127-4a87-bdba-9658f73fe019"}); err != nil {
		t.Fatal(err)
	}
	hc := sb.HTTPClient()
	defer hc.CloseIdleConnections()
	for _, bad := range []string{"", "sbx-admin.wrong", token(t, sb, partnercenter.CloudGlobal.Scope())} {
		if _, err := sandbox.FetchStatus(context.Background(), hc, sb.URL, bad); err == nil {
			t.Errorf("token %q read the status", bad)
		}
	}
	if _, err := sandbox.FetchStatus(context.Background(), hc, "https://partner.example", sb.AdminToken()); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("the admin token would be sent off the machine: %v", err)
	}
	st, err := sandbox.FetchStatus(context.Background(), hc, sb.URL, sb.AdminToken())
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, s := range st.Subscriptions {
		if s.Subscription == subA {
			found = s.Active && s.Activations == 1 && s.StoredAnswers == 1
		} else if s.Activations != 0 {
			t.Errorf("%+v activated", s)
		}
	}
	if !found || st.Stats.Requests < 1 || st.Stats.Stored != 1 {
		t.Fatalf("status %+v", st)
	}
	var text strings.Builder
	st.WriteText(&text)
	if !strings.Contains(text.String(), "1 activated exactly once") {
		t.Fatalf("status text:\n%s", text.String())
	}
}

// An answer that takes longer than WriteTimeout is cut off; the control: the default
// (a minute plus the latency) lets the same slow answer through.
func TestWriteTimeout(t *testing.T) {
	for _, tc := range []struct {
		timeout time.Duration
		ok      bool
	}{{300 * time.Millisecond, false}, {0, true}} {
		sb := start(t, sandbox.Options{WriteTimeout: tc.timeout, Faults: sandbox.Faults{Latency: time.Second}})
		tok := token(t, sb, partnercenter.CloudGlobal.Scope())
		req, _ := http.NewRequest("GET", sb.URL+"/v1/customers/"+customer+"/orders/"+order+"/activationlinks", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		hc := sb.HTTPClient()
		resp, err := hc.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		hc.CloseIdleConnections()
		if (err == nil && resp.StatusCode == 200) != tc.ok {
			t.Errorf("WriteTimeout %v: %v, %v", tc.timeout, resp, err)
		}
	}
}
