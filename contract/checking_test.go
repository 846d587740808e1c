package contract_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/onsi/gomega"

	"github.com/partnercenter-go/partnercenter"
	"github.com/partnercenter-go/partnercenter/contract"
	"github.com/partnercenter-go/partnercenter/sandbox"
)

const (
	sbCustomer = "42b5f772-5c5c-4bce-b9d7-bdadeecca411"
	sbOrder    = "Ia80ZLkXp6eWOqpp35pBQJLhqv9IiGVZ1"
	sbSubA     = "aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e"
	sbSubB     = "87363db7-39ab-dd25-d371-94340aaa2f97"
)

// recordingTB is a testing.TB that keeps what the checking transport reports, so that a test
// can assert that a violation fails the test it runs in (the real t would fail this test).
type recordingTB struct {
	testing.TB
	mu           sync.Mutex
	errors, logs []string
}

func (r *recordingTB) Helper() {}
func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recordingTB) Logf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.logs = append(r.logs, fmt.Sprintf(format, args...))
}

// The project's client through the checking transport to the sandbox, every operation and a
// documented error: nothing fails the test, and the token request passes unjudged.
func TestCheckingTransportWithTheClient(t *testing.T) {
	sb := sandbox.Start(t, sandbox.Options{})
	rec := &recordingTB{TB: t}
	opts := sb.ClientOptions()
	opts.Transport = &http.Client{Transport: contract.NewCheckingTransport(rec, sb.HTTPClient().Transport)}
	cred, err := sb.Credential()
	if err != nil {
		t.Fatal(err)
	}
	client, err := partnercenter.NewClient(cred, opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := client.GetOrderActivationLinks(ctx, sbCustomer, sbOrder, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := client.GetLineItemActivationLinks(ctx, sbCustomer, sbOrder, 0, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := client.GetSubscriptionActivationLinks(ctx, sbCustomer, sbSubB, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := client.ActivateSubscription(ctx, sbCustomer, sbSubA, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := client.ActivateSubscription(ctx, sbCustomer, sbSubA, nil); err == nil {
		t.Fatal("a second activation should answer 400 800041")
	}
	if len(rec.errors) > 0 {
		t.Errorf("conforming traffic failed the test: %v", rec.errors)
	}
}

// violatingServer answers every request with an activation whose status is a number.
func violatingServer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"subscriptionId":"`+sbSubA+`","status":1,"extraField":"x"}`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// The negative case: a violating answer fails the test with the finding; drift is logged;
// the body is still readable by the caller; a path outside /v1/ is not judged.
func TestCheckingTransportFailsTheTestOnAViolation(t *testing.T) {
	srv := violatingServer(t)
	rec := &recordingTB{TB: t}
	hc := &http.Client{Transport: contract.NewCheckingTransport(rec, nil)}
	url := srv.URL + "/v1/customers/" + sbCustomer + "/subscriptions/" + sbSubA + "/activate"
	resp, err := hc.Post(url, "application/json", strings.NewReader("null"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `"status":1`) {
		t.Errorf("the body was not handed back: %q", body)
	}
	if len(rec.errors) != 1 || !strings.Contains(rec.errors[0], "violation: live interaction 0: ActivateSubscription 200: /response/body/status") {
		t.Errorf("want one violation failing the test, got %q", rec.errors)
	}
	if len(rec.logs) != 1 || !strings.Contains(rec.logs[0], "drift:") || !strings.Contains(rec.logs[0], "/response/body/extraField") {
		t.Errorf("want the drift logged, got %q", rec.logs)
	}
	// Not Partner Center traffic: not judged.
	resp, err = hc.Post(srv.URL+"/tenant/oauth2/v2.0/token", "application/x-www-form-urlencoded", strings.NewReader("grant_type=client_credentials"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(rec.errors) != 1 {
		t.Errorf("a token request was judged: %q", rec.errors)
	}
	// Strict: the drift fails the test too.
	strict := &recordingTB{TB: t}
	hc = &http.Client{Transport: contract.NewCheckingTransport(strict, nil, contract.WithStrict())}
	resp, err = hc.Post(url, "application/json", strings.NewReader("null"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(strict.errors) != 2 {
		t.Errorf("strict: want the violation and the drift, got %q", strict.errors)
	}
}

func TestConformMatcher(t *testing.T) {
	g := gomega.NewWithT(t)
	sb := sandbox.Start(t, sandbox.Options{PlainHTTP: true})
	// A conforming answer: the sandbox's 401 to a request without a token is documented.
	req, _ := http.NewRequest("GET", sb.URL+"/v1/customers/"+sbCustomer+"/orders/"+sbOrder+"/activationlinks", nil)
	resp, err := http.DefaultClient.Do(req)
	g.Expect(err).NotTo(gomega.HaveOccurred())
	defer resp.Body.Close()
	g.Expect(resp.StatusCode).To(gomega.Equal(http.StatusUnauthorized))
	g.Expect(resp).To(contract.Conform())
	body, _ := io.ReadAll(resp.Body)
	g.Expect(string(body)).To(gomega.ContainSubstring(`"code"`), "the body is readable after the match")

	// The negative case: a violating answer fails the match, and the message lists the finding.
	srv := violatingServer(t)
	req, _ = http.NewRequest("POST", srv.URL+"/v1/customers/"+sbCustomer+"/subscriptions/"+sbSubA+"/activate", strings.NewReader("null"))
	req.Header.Set("Content-Type", "application/json")
	resp, err = http.DefaultClient.Do(req)
	g.Expect(err).NotTo(gomega.HaveOccurred())
	defer resp.Body.Close()
	m := contract.Conform()
	ok, err := m.Match(resp)
	g.Expect(err).NotTo(gomega.HaveOccurred())
	g.Expect(ok).To(gomega.BeFalse())
	msg := m.FailureMessage(resp)
	g.Expect(msg).To(gomega.ContainSubstring("ActivateSubscription 200: /response/body/status"))
	g.Expect(msg).To(gomega.ContainSubstring("drift:"), "drift is listed beside the violation")
	g.Expect(resp).NotTo(contract.Conform())
	body, _ = io.ReadAll(resp.Body)
	g.Expect(string(body)).To(gomega.ContainSubstring(`"status":1`))

	// Misuse is an error, not a pass.
	_, err = contract.Conform().Match("not a response")
	g.Expect(err).To(gomega.HaveOccurred())
	_, err = contract.Conform().Match(&http.Response{StatusCode: 200, Body: http.NoBody})
	g.Expect(err).To(gomega.MatchError(gomega.ContainSubstring("no Request")))
}
