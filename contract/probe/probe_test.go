package probe_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/getkin/kin-openapi/openapi3"

	"github.com/partnercenter-go/partnercenter/contract"
	"github.com/partnercenter-go/partnercenter/contract/probe"
	"github.com/partnercenter-go/partnercenter/contract/speclint"
	"github.com/partnercenter-go/partnercenter/generated/spec"
	"github.com/partnercenter-go/partnercenter/sandbox"
)

// The package's one expensive set-up: a sandbox and a validator, shared by every test.
var (
	shared     *sandbox.Sandbox
	validator  *contract.Validator
	sharedOnce sync.Once
)

func TestMain(m *testing.M) {
	code := m.Run()
	if shared != nil {
		shared.Close()
	}
	os.Exit(code)
}

func setup(t *testing.T) (*sandbox.Sandbox, *contract.Validator) {
	t.Helper()
	sharedOnce.Do(func() {
		var err error
		if validator, err = contract.NewDefault(contract.Options{}); err != nil {
			t.Fatal(err)
		}
		if shared, err = sandbox.New(sandbox.Options{}); err != nil {
			t.Fatal(err)
		}
	})
	if shared == nil {
		t.Fatal("no sandbox")
	}
	return shared, validator
}

// The seed's first integration sandbox customer.
var sandboxIDs = map[string]string{
	"customerId": "8c5b65fd-c725-4f50-8d9c-97ec9169fdd0", "orderId": "03fb46b3-bf8c-49aa-b908-ca2e93bcc04a",
	"lineItemNumber": "0", "subscriptionId": "6d4f2a1b-3c5e-4f70-8a9b-0c1d2e3f4a5b",
}

func sandboxToken(sb *sandbox.Sandbox) func(context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		cred, err := sb.Credential()
		if err != nil {
			return "", err
		}
		tok, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{"https://api.partnercenter.microsoft.com/.default"}})
		return tok.Token, err
	}
}

func runAgainst(t *testing.T, sb *sandbox.Sandbox, ids map[string]string, seed uint64, writes bool) *probe.Result {
	t.Helper()
	_, v := setup(t)
	plan, err := probe.Generate(v, probe.Config{IDs: ids, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	res, err := probe.Run(context.Background(), v, plan, probe.Options{Endpoint: sb.URL, HTTPClient: sb.HTTPClient(), Token: sandboxToken(sb), AllowWrites: writes})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// Against the project's sandbox, writes allowed: no finding, and every check exercised. A
// second run, the subscription now active, finds nothing either.
func TestSandboxHasNoFinding(t *testing.T) {
	sb, _ := setup(t)
	for run, seed := range []uint64{1, 2} {
		res := runAgainst(t, sb, sandboxIDs, seed, true)
		var out strings.Builder
		probe.WriteText(&out, res)
		if len(res.Findings) > 0 {
			t.Errorf("run %d: findings against the sandbox:\n%s", run+1, out.String())
		}
		for _, c := range probe.Checks {
			if res.Exercised[c] == 0 {
				t.Errorf("run %d: check %s never exercised", run+1, c)
			}
		}
		if len(res.Skipped) > 0 {
			t.Errorf("run %d: skipped: %v", run+1, res.Skipped)
		}
		t.Logf("run %d: %s", run+1, probe.SummaryLine(res))
	}
}

// A sandbox that throttles (20 requests a second per tenant, the gateway's 429 with
// Retry-After): the run waits each 429 out and sends again, and finds nothing.
func TestThrottledRunWaitsOutRetryAfter(t *testing.T) {
	_, v := setup(t)
	sb := sandbox.Start(t, sandbox.Options{Faults: sandbox.Faults{RateLimit: 20}})
	plan, err := probe.Generate(v, probe.Config{IDs: sandboxIDs, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	res, err := probe.Run(context.Background(), v, plan, probe.Options{Endpoint: sb.URL, HTTPClient: sb.HTTPClient(), Token: sandboxToken(sb), AllowWrites: true})
	if err != nil {
		t.Fatal(err)
	}
	if sb.Stats().Throttled == 0 {
		t.Fatal("the sandbox throttled nothing: the test proves nothing")
	}
	if len(res.Findings) > 0 || res.Requests <= len(res.Ran) {
		var out strings.Builder
		probe.WriteText(&out, res)
		t.Fatalf("%d requests for %d cases (429s must be sent again):\n%s", res.Requests, len(res.Ran), out.String())
	}
}

// The garbage token is random from the seed: the same seed, the same token; another seed,
// another; never the real token.
func TestGarbageTokenIsSeeded(t *testing.T) {
	_, v := setup(t)
	gen := func(seed uint64) *probe.Plan {
		p, err := probe.Generate(v, probe.Config{IDs: sandboxIDs, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	a, b, c := gen(1), gen(1), gen(2)
	if a.Garbage != b.Garbage || a.Garbage == c.Garbage || !strings.HasPrefix(a.Garbage, "probe-not-a-token-") {
		t.Fatalf("garbage tokens %q %q %q", a.Garbage, b.Garbage, c.Garbage)
	}
	if probe.Curl("https://x", a.Cases[0], a.Garbage, false) != probe.Curl("https://x", b.Cases[0], b.Garbage, false) {
		t.Fatal("the same seed made other cases")
	}
}

// Ids that break the spec are refused before anything is sent, naming the parameter.
func TestGenerateRefusesBadIDs(t *testing.T) {
	_, v := setup(t)
	for name, bad := range map[string]string{"customerId": "contoso", "lineItemNumber": "-1", "subscriptionId": "x"} {
		ids := map[string]string{}
		for k, val := range sandboxIDs {
			ids[k] = val
		}
		ids[name] = bad
		if _, err := probe.Generate(v, probe.Config{IDs: ids}); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s %q: %v", name, bad, err)
		}
	}
}

// The token goes to the endpoint only: a redirect to another server is the answer, never
// followed with the token.
func TestRedirectsAreNotFollowed(t *testing.T) {
	_, v := setup(t)
	var leaked atomic.Bool
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			leaked.Store(true)
		}
	}))
	defer elsewhere.Close()
	redirecting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	defer redirecting.Close()
	plan, err := probe.Generate(v, probe.Config{IDs: sandboxIDs, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	res, err := probe.Run(context.Background(), v, plan, probe.Options{Endpoint: redirecting.URL,
		Token: func(context.Context) (string, error) { return "secret-token-value", nil }})
	if err != nil {
		t.Fatal(err)
	}
	if leaked.Load() {
		t.Fatal("a redirect carried the token to another server")
	}
	if len(res.Findings) == 0 || res.Findings[0].Status != http.StatusTemporaryRedirect {
		t.Fatalf("the 307 is not reported: %+v", res.Findings)
	}
	if _, err := probe.Run(context.Background(), v, plan, probe.Options{Endpoint: "http://partner.example"}); err == nil {
		t.Fatal("a plain-HTTP endpoint off loopback was accepted")
	}
}

// A required header (MS-Contract-Version, made required here): every case carries it but one
// negative case without it, which a service that ignores it lets through.
func TestRequiredHeaders(t *testing.T) {
	sb, _ := setup(t)
	doc, err := spec.GetSpec()
	if err != nil {
		t.Fatal(err)
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, ref := range op.Parameters {
				if ref.Value.Name == "MS-Contract-Version" {
					ref.Value.Required = true
				}
			}
		}
	}
	v, err := contract.New(doc, contract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := probe.Generate(v, probe.Config{IDs: sandboxIDs, Seed: 6})
	if err != nil {
		t.Fatal(err)
	}
	missing := 0
	for _, c := range plan.Cases {
		//lint:ignore SA1008 the probe sends headers cased as the spec names them, not canonicalised
		v := c.Header["MS-Contract-Version"]
		if strings.HasSuffix(c.Name, ": MS-Contract-Version is missing") {
			missing++
		} else if len(v) != 1 || v[0] != "v1" {
			t.Fatalf("%s lacks the required header", c.Name)
		}
	}
	if missing != 4 {
		t.Fatalf("%d missing-header cases, want one per operation", missing)
	}
	res, err := probe.Run(context.Background(), v, plan, probe.Options{Endpoint: sb.URL, HTTPClient: sb.HTTPClient(), Token: sandboxToken(sb)})
	if err != nil {
		t.Fatal(err)
	}
	fired := 0
	for _, f := range res.Findings {
		if f.Check == probe.NegativeDataRejection && strings.Contains(f.Case, "is missing") {
			fired++
		}
	}
	// The sandbox does not require the header: the three read operations answer 200. The
	// activation's case carries a subscription no account holds (safety), so it gets a 404.
	if fired != 3 {
		t.Fatalf("the sandbox should fail the 3 read operations' missing-header cases; %d did", fired)
	}
}

// A spec with a required query parameter is refused, naming it: the probe would send positive
// cases without it and report the service's 400s as positive_data_acceptance findings.
// Control: the same spec without the parameter generates.
func TestGenerateRefusesRequiredQueryParameters(t *testing.T) {
	doc, err := speclint.LoadFile("../../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	v, err := contract.New(doc, contract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := probe.Generate(v, probe.Config{IDs: sandboxIDs}); err != nil {
		t.Fatalf("control: %v", err)
	}
	op := doc.Paths.Find("/v1/customers/{customerId}/subscriptions/{subscriptionId}/activationlinks").Get
	op.Parameters = append(op.Parameters, &openapi3.ParameterRef{Value: openapi3.NewQueryParameter("n").WithRequired(true).WithSchema(openapi3.NewStringSchema())})
	if _, err := probe.Generate(v, probe.Config{IDs: sandboxIDs}); err == nil || !strings.Contains(err.Error(), `required query parameter "n"`) {
		t.Errorf("a required query parameter: %v", err)
	}
}
