package sandbox_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/partnercenter-go/partnercenter"
	"github.com/partnercenter-go/partnercenter/sandbox"
)

var ctx = context.Background()

func wantError(t *testing.T, err error, status int, code partnercenter.ErrorCode) *partnercenter.Error {
	t.Helper()
	var pe *partnercenter.Error
	if !errors.As(err, &pe) || pe.StatusCode != status || pe.Code != code {
		t.Fatalf("want *Error %d code %s, got %v", status, code, err)
	}
	return pe
}

// The documented flow with an azidentity App-only credential over HTTPS.
func TestLinksAndActivation(t *testing.T) {
	sb := start(t, sandbox.Options{})
	c := client(t, sb, nil)

	links, err := c.GetLineItemActivationLinks(ctx, seedCustomer, seedOrder, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if links.TotalCount != 1 || links.Items[0].LineItemNumber != 0 || !strings.HasPrefix(links.Items[0].Link.URI, "https://publisher.example/") {
		t.Fatalf("line item links: %+v", links)
	}
	orderLinks, err := c.GetOrderActivationLinks(ctx, customer, order, nil)
	if err != nil || orderLinks.TotalCount != 2 {
		t.Fatalf("order links: %+v, %v", orderLinks, err)
	}
	subLinks, err := c.GetSubscriptionActivationLinks(ctx, customer, subB, nil)
	if err != nil || subLinks.TotalCount != 1 || subLinks.Items[0].LineItemNumber != 1 {
		t.Fatalf("subscription links: %+v, %v", subLinks, err)
	}

	if sb.State.Active(subA) {
		t.Fatal("seed subscription starts active")
	}
	res, err := c.ActivateSubscription(ctx, customer, subA, nil)
	if err != nil || res.Status != "Success" || res.SubscriptionID != subA {
		t.Fatalf("activate: %+v, %v", res, err)
	}
	if !sb.State.Active(subA) || sb.State.Activations(subA) != 1 {
		t.Fatalf("after activation: active %v, activations %d", sb.State.Active(subA), sb.State.Activations(subA))
	}
	// Again, as a new call (a new MS-RequestId): already activated, and no second effect.
	_, err = c.ActivateSubscription(ctx, customer, subA, nil)
	wantError(t, err, 400, partnercenter.CodeAlreadyActivated)
	if n := sb.State.Activations(subA); n != 1 {
		t.Fatalf("activations %d after a refused second activation", n)
	}
}

func TestDocumentedErrors(t *testing.T) {
	sb := start(t, sandbox.Options{})
	c := client(t, sb, nil)
	for _, tc := range []struct {
		name   string
		call   func() error
		status int
		code   partnercenter.ErrorCode
	}{
		{"unknown customer", func() error { _, err := c.ActivateSubscription(ctx, unknownGUID, subA, nil); return err }, 403, partnercenter.CodeNoCommerceRelation},
		{"unknown order", func() error { _, err := c.GetOrderActivationLinks(ctx, customer, "no-such-order", nil); return err }, 404, partnercenter.CodeOrderNotFound},
		{"unknown subscription", func() error { _, err := c.ActivateSubscription(ctx, customer, unknownGUID, nil); return err }, 404, partnercenter.CodeSubscriptionNotFound},
		{"unknown subscription's links", func() error { _, err := c.GetSubscriptionActivationLinks(ctx, customer, unknownGUID, nil); return err }, 404, partnercenter.CodeSubscriptionNotFound},
		{"line item out of range", func() error { _, err := c.GetLineItemActivationLinks(ctx, customer, order, 7, nil); return err }, 400, partnercenter.CodeLineItemOutOfRange},
		{"not a SaaS subscription", func() error { _, err := c.ActivateSubscription(ctx, customer, notSaaS, nil); return err }, 400, partnercenter.CodeInvalidInput},
	} {
		t.Run(tc.name, func(t *testing.T) { wantError(t, tc.call(), tc.status, tc.code) })
	}
}

func TestProductionAccountIsRefused(t *testing.T) {
	sb := start(t, sandbox.Options{})
	cred, err := sb.ClientSecretCredential(productionTenant, "production-app", "production-app-password")
	if err != nil {
		t.Fatal(err)
	}
	c, err := partnercenter.NewClient(cred, sb.ClientOptions())
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ActivateSubscription(ctx, prodCustomer, prodSub, nil)
	// 403 800019: docs/spec-decisions.md.
	pe := wantError(t, err, 403, partnercenter.CodeNonSandboxTenant)
	if !strings.Contains(pe.Description, "publisher's site") {
		t.Fatalf("the refusal does not say why: %q", pe.Description)
	}
	if sb.State.Active(prodSub) || sb.State.Activations(prodSub) != 0 {
		t.Fatal("a production subscription was activated")
	}
}

// A repeated MS-RequestId gets the first call's answer and no second effect.
func TestRequestIDIdempotency(t *testing.T) {
	sb := start(t, sandbox.Options{})
	c := client(t, sb, nil)
	sameID := &partnercenter.ActivateSubscriptionOptions{RequestID: "3705fc6d-4127-4a87-bdba-9658f73fe019"}
	for i := range 3 {
		res, err := c.ActivateSubscription(ctx, customer, subB, sameID)
		if err != nil || res.Status != "Success" {
			t.Fatalf("call %d with the same MS-RequestId: %+v, %v", i, res, err)
		}
	}
	if n := sb.State.Activations(subB); n != 1 {
		t.Fatalf("activations %d, want 1", n)
	}
	if r := sb.Stats().Replayed; r != 2 {
		t.Fatalf("replayed %d answers, want 2", r)
	}
	// Control: a new id is a new call.
	_, err := c.ActivateSubscription(ctx, customer, subB, nil)
	wantError(t, err, 400, partnercenter.CodeAlreadyActivated)
}

// The idempotency store is bounded: with room for 2 records per generation, an id pushed out
// by newer ones is a new call again, and calls without a caller's id are not stored at all.
func TestIdempotencyStoreIsBounded(t *testing.T) {
	sb := start(t, sandbox.Options{IdempotencyRecords: 2})
	c := client(t, sb, nil)
	first := &partnercenter.ActivateSubscriptionOptions{RequestID: "3705fc6d-4127-4a87-bdba-9658f73fe019"}
	if _, err := c.ActivateSubscription(ctx, customer, subB, first); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ActivateSubscription(ctx, customer, subB, first); err != nil {
		t.Fatalf("control: a repeated id within the bound is replayed: %v", err)
	}
	for range 4 {
		if _, err := c.GetSubscriptionActivationLinks(ctx, customer, subA, nil); err != nil {
			t.Fatal(err)
		}
	}
	if st := sb.Stats(); st.Stored > 4 {
		t.Fatalf("%d answers stored, want at most 4", st.Stored)
	}
	_, err := c.ActivateSubscription(ctx, customer, subB, first)
	wantError(t, err, 400, partnercenter.CodeAlreadyActivated)

	// Without MS-RequestId the sandbox makes one up, which can never come again: no record.
	before := sb.Stats().Stored
	tok, err := sb.MustCredential(t).GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{partnercenter.CloudGlobal.Scope()}})
	if err != nil {
		t.Fatal(err)
	}
	hc := sb.HTTPClient()
	defer hc.CloseIdleConnections()
	for range 3 {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, sb.URL+"/v1/customers/"+customer+"/subscriptions/"+subA+"/activationlinks", nil)
		req.Header.Set("Authorization", "Bearer "+tok.Token)
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("MS-RequestId") == "" {
			t.Fatalf("status %d, MS-RequestId %q", resp.StatusCode, resp.Header.Get("MS-RequestId"))
		}
	}
	if after := sb.Stats().Stored; after != before {
		t.Fatalf("calls without MS-RequestId changed the store from %d to %d records", before, after)
	}
}

// The App+User path: this module's refresh-token credential, rotating at the sandbox.
func TestRefreshTokenCredential(t *testing.T) {
	sb := start(t, sandbox.Options{TokenLifetime: time.Hour})
	var rotated []string
	cred, err := sb.RefreshTokenCredential(sandboxTenant, "sandbox-app", "sandbox-refresh-token-0", func(_ context.Context, rt string) error {
		rotated = append(rotated, rt)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := partnercenter.NewClient(cred, sb.ClientOptions())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetOrderActivationLinks(ctx, customer, order, nil); err != nil {
		t.Fatal(err)
	}
	if len(rotated) != 1 || !strings.HasPrefix(rotated[0], "sbx-refresh.") {
		t.Fatalf("rotated refresh tokens: %v", rotated)
	}
	// The first refresh token was used up: another credential starting from it is refused.
	stale, _ := sb.RefreshTokenCredential(sandboxTenant, "sandbox-app", "sandbox-refresh-token-0", nil)
	_, err = stale.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{partnercenter.CloudGlobal.Scope()}})
	var ae *partnercenter.AuthenticationError
	if !errors.As(err, &ae) || ae.ErrorCode != "invalid_grant" {
		t.Fatalf("a used refresh token must be refused with invalid_grant, got %v", err)
	}
}

// rawRequest sends a request with a token from the sandbox, bypassing the client's checks.
func rawRequest(t *testing.T, sb *sandbox.Sandbox, method, path, token string, header map[string]string) (int, map[string]any, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(method, sb.URL+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	hc := sb.HTTPClient()
	defer hc.CloseIdleConnections()
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	data, _ := io.ReadAll(resp.Body)
	json.Unmarshal(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF")), &body) // the service's BOM (quirks.go)
	return resp.StatusCode, body, resp.Header
}

// token gets an App-only token: through azidentity over HTTPS, or with a plain form post over
// http:// (azidentity refuses an http:// authority).
func token(t *testing.T, sb *sandbox.Sandbox, scope string) string {
	t.Helper()
	if strings.HasPrefix(sb.URL, "http://") {
		resp, err := http.PostForm(sb.URL+"/"+sandboxTenant+"/oauth2/v2.0/token", url.Values{
			"grant_type": {"client_credentials"}, "client_id": {"a"}, "client_secret": {"s"}, "scope": {scope}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var tr struct {
			AccessToken string `json:"access_token"`
		}
		json.NewDecoder(resp.Body).Decode(&tr)
		return tr.AccessToken
	}
	cred, err := sb.ClientSecretCredential(sandboxTenant, "sandbox-app", "sandbox-app-password")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{scope}})
	if err != nil {
		t.Fatal(err)
	}
	return tok.Token
}

func TestAuthentication(t *testing.T) {
	sb := start(t, sandbox.Options{})
	path := "/v1/customers/" + customer + "/orders/" + order + "/activationlinks"
	for _, tc := range []struct {
		name, token string
		status      int
		code        float64
	}{
		{"no token", "", 401, 401},
		{"a token the sandbox did not issue", "eyJforged", 401, 401},
		{"the retired graph.windows.net audience", token(t, sb, "https://graph.windows.net/.default"), 401, 900420},
		{"a Partner Center token (control)", token(t, sb, partnercenter.CloudGlobal.Scope()), 200, 0},
	} {
		status, body, _ := rawRequest(t, sb, "GET", path, tc.token, nil)
		if status != tc.status || (tc.code != 0 && body["code"] != tc.code) {
			t.Errorf("%s: %d %v, want %d code %v", tc.name, status, body, tc.status, tc.code)
		}
	}
	// A wrong client secret is refused at the token endpoint.
	bad, _ := sb.ClientSecretCredential(sandboxTenant, "sandbox-app", "wrong")
	if _, err := bad.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{partnercenter.CloudGlobal.Scope()}}); err == nil {
		t.Fatal("a wrong client secret got a token")
	}
}

// Every request is validated against openapi.yaml: a non-conforming one gets 400 800002
// with the reason, and takes no effect.
func TestRequestValidation(t *testing.T) {
	sb := start(t, sandbox.Options{})
	tok := token(t, sb, partnercenter.CloudGlobal.Scope())
	for _, tc := range []struct {
		name, method, path string
		header             map[string]string
		reason             string
	}{
		{"customer id not a GUID", "POST", "/v1/customers/contoso/subscriptions/" + subA + "/activate", nil, "customerId"},
		{"MS-RequestId not a GUID", "POST", "/v1/customers/" + customer + "/subscriptions/" + subA + "/activate", map[string]string{"MS-RequestId": "retry-1"}, "MS-RequestId"},
		{"negative line item", "GET", "/v1/customers/" + customer + "/orders/" + order + "/lineitems/-1/activationlinks", nil, "lineItemNumber"},
		{"a method the path does not have", "DELETE", "/v1/customers/" + customer + "/subscriptions/" + subA + "/activate", nil, "DELETE"},
		// Judged as it came: never a redirect to a cleaned path, as Go's ServeMux would answer.
		{"an empty order id", "GET", "/v1/customers/" + customer + "/orders//activationlinks", nil, "orderId"},
	} {
		status, body, header := rawRequest(t, sb, tc.method, tc.path, tok, tc.header)
		desc, _ := body["description"].(string)
		want := 400
		switch tc.name {
		case "a method the path does not have":
			// ASP.NET routing's answer: 405, the methods the path has in Allow.
			want = 405
			if header.Get("Allow") != "POST" {
				t.Errorf("%s: Allow %q, want POST", tc.name, header.Get("Allow"))
			}
		}
		if status != want || body["code"] != float64(800002) || !strings.Contains(desc, tc.reason) {
			t.Errorf("%s: %d %v; want %d 800002 naming %s", tc.name, status, body, want, tc.reason)
		}
	}
	if sb.State.Active(subA) {
		t.Fatal("an invalid request took effect")
	}
}

func TestRateLimitAnswersLikeTheGateway(t *testing.T) {
	sb := start(t, sandbox.Options{Faults: sandbox.Faults{RateLimit: 2}})
	tok := token(t, sb, partnercenter.CloudGlobal.Scope())
	path := "/v1/customers/" + customer + "/orders/" + order + "/activationlinks"
	var statuses []int
	var throttled map[string]any
	var header http.Header
	for range 3 {
		status, body, h := rawRequest(t, sb, "GET", path, tok, nil)
		statuses = append(statuses, status)
		if status == 429 {
			throttled, header = body, h
		}
	}
	if fmt.Sprint(statuses) != "[200 200 429]" {
		t.Fatalf("statuses %v with a limit of 2 per second", statuses)
	}
	if throttled["statusCode"] != float64(429) || !strings.HasPrefix(throttled["message"].(string), "Rate limit is exceeded") || header.Get("Retry-After") != "1" {
		t.Fatalf("429 body %v, Retry-After %q", throttled, header.Get("Retry-After"))
	}
}

// A reset after the effect: the client retries with the same MS-RequestId and gets the stored
// answer; the activation took effect once. (Rate 1: every first attempt is reset after its
// effect; the retry is answered from the idempotency store, which is never reset.)
func TestResetAfterEffect(t *testing.T) {
	sb := start(t, sandbox.Options{Faults: sandbox.Faults{ResetAfterEffectRate: 1}})
	c := client(t, sb, func(o *partnercenter.ClientOptions) {
		o.Retry = policy.RetryOptions{MaxRetries: 10, RetryDelay: time.Millisecond, MaxRetryDelay: 10 * time.Millisecond}
	})
	for _, sub := range []string{subA, subB} {
		if _, err := c.ActivateSubscription(ctx, customer, sub, nil); err != nil {
			t.Fatal(err)
		}
		if n := sb.State.Activations(sub); n != 1 {
			t.Fatalf("%s took effect %d times", sub, n)
		}
	}
	if st := sb.Stats(); st.Resets != 2 || st.Replayed != 2 {
		t.Fatalf("want 2 resets each followed by a replay, got %+v", st)
	}
}

func TestInjectedServerErrorsAreRetried(t *testing.T) {
	sb := start(t, sandbox.Options{Faults: sandbox.Faults{Error500Rate: 0.3, Error503Rate: 0.3, Seed: 3}})
	c := client(t, sb, func(o *partnercenter.ClientOptions) {
		o.Retry = policy.RetryOptions{MaxRetries: 10, RetryDelay: time.Millisecond, MaxRetryDelay: 10 * time.Millisecond}
	})
	// Fixed request ids: the fault schedule depends on them, so the test is deterministic.
	for i := range 10 {
		rid := fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
		if _, err := c.GetOrderActivationLinks(ctx, customer, order, &partnercenter.GetOrderActivationLinksOptions{RequestID: rid}); err != nil {
			t.Fatal(err)
		}
	}
	st := sb.Stats()
	if st.Errors500 == 0 || st.Errors503 == 0 {
		t.Fatalf("faults not injected: %+v", st)
	}
}

// The fault schedule depends on the seed only: two sandboxes with the same seed inject the
// same faults for the same requests.
func TestFaultsAreDeterministic(t *testing.T) {
	run := func(seed uint64) sandbox.Stats {
		sb := start(t, sandbox.Options{Faults: sandbox.Faults{Error503Rate: 0.5, Seed: seed}})
		c := client(t, sb, func(o *partnercenter.ClientOptions) {
			o.Retry = policy.RetryOptions{MaxRetries: 20, RetryDelay: time.Millisecond, MaxRetryDelay: time.Millisecond}
		})
		for i := range 20 {
			rid := fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
			if _, err := c.GetOrderActivationLinks(ctx, customer, order, &partnercenter.GetOrderActivationLinksOptions{RequestID: rid}); err != nil {
				t.Fatal(err)
			}
		}
		return sb.Stats()
	}
	a, b, other := run(11), run(11), run(12)
	if a.Errors503 != b.Errors503 {
		t.Fatalf("same seed, different faults: %d vs %d", a.Errors503, b.Errors503)
	}
	// The control: another seed gives another schedule (deterministic too, so not flaky).
	if a.Errors503 == other.Errors503 {
		t.Fatalf("seeds 11 and 12 injected the same number of faults (%d): the seed has no effect", a.Errors503)
	}
}

func TestPlainHTTPAndSeedFiles(t *testing.T) {
	dir := t.TempDir()
	seed := `{"partners":[{"tenantId":"` + sandboxTenant + `","integrationSandbox":true,"apps":[{"clientId":"a","clientSecret":"s"}],
		"customers":[{"id":"` + customer + `","subscriptions":[{"id":"` + subA + `","saas":true}],"orders":[]}]}]}`
	path := filepath.Join(dir, "seed.json")
	os.WriteFile(path, []byte(seed), 0o644)
	s, err := sandbox.LoadSeed(path)
	if err != nil {
		t.Fatal(err)
	}
	sb := start(t, sandbox.Options{Seed: s, PlainHTTP: true})
	if !strings.HasPrefix(sb.URL, "http://127.0.0.1:") || sb.CertPool != nil {
		t.Fatalf("URL %s", sb.URL)
	}
	tok := token(t, sb, partnercenter.CloudGlobal.Scope())
	if status, body, _ := rawRequest(t, sb, "POST", "/v1/customers/"+customer+"/subscriptions/"+subA+"/activate", tok, nil); status != 200 {
		t.Fatalf("%d %v", status, body)
	}

	for name, bad := range map[string]string{
		"bad.json": `{"partners":[{"tenantId":"not-a-guid"}]}`,
		"bad.yaml": "partners:\n  - tenantId: " + sandboxTenant + "\n    unknownField: 1\n",
	} {
		os.WriteFile(filepath.Join(dir, name), []byte(bad), 0o644)
		if _, err := sandbox.LoadSeed(filepath.Join(dir, name)); err == nil {
			t.Errorf("%s: an invalid seed was accepted", name)
		}
	}
	if _, err := sandbox.New(sandbox.Options{Addr: "0.0.0.0:0"}); err == nil {
		t.Error("the sandbox must refuse a non-loopback address")
	}
}
