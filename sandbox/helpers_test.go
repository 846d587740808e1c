package sandbox_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/partnercenter-go/partnercenter"
	"github.com/partnercenter-go/partnercenter/contract"
	"github.com/partnercenter-go/partnercenter/sandbox"
)

const (
	sandboxTenant    = "5a1d6b6e-0d5c-4b8a-9f0e-2c3d4e5f6a7b"
	productionTenant = "9f8e7d6c-5b4a-4938-8271-6a5b4c3d2e1f"
	seedCustomer     = "8c5b65fd-c725-4f50-8d9c-97ec9169fdd0"
	seedOrder        = "03fb46b3-bf8c-49aa-b908-ca2e93bcc04a"
	customer         = "42b5f772-5c5c-4bce-b9d7-bdadeecca411"
	order            = "Ia80ZLkXp6eWOqpp35pBQJLhqv9IiGVZ1"
	subA             = "aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e"
	subB             = "87363db7-39ab-dd25-d371-94340aaa2f97"
	notSaaS          = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"
	prodCustomer     = "3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7"
	prodSub          = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
	unknownGUID      = "00000000-1111-2222-3333-444444444444"
)

// conformance is a transport that judges every API exchange against openapi.yaml: the
// sandbox's answers must conform as much as the client's requests.
type conformance struct {
	t         *testing.T
	next      http.RoundTripper
	validator *contract.Validator
	mu        sync.Mutex
	judged    int
}

func (c *conformance) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil && req.Body != http.NoBody {
		body, _ = io.ReadAll(req.Body)
		req.Body.Close()
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := c.next.RoundTrip(req)
	if err != nil || !strings.HasPrefix(req.URL.Path, "/v1/") {
		return resp, err
	}
	ex, err := contract.FromRequestResponse(req, body, resp)
	if err != nil {
		return nil, err
	}
	for _, f := range c.validator.Validate(ex, "sandbox", 0) {
		// Drift is what the real service does and clients must tolerate (the BOM of
		// quirks.go); undeclared fields are violations here (strict).
		if f.Severity == contract.Violation {
			c.t.Errorf("the sandbox's exchange does not conform: %s", f)
		}
	}
	c.mu.Lock()
	c.judged++
	c.mu.Unlock()
	return resp, nil
}

func start(t *testing.T, opts sandbox.Options) *sandbox.Sandbox {
	t.Helper()
	return sandbox.Start(t, opts)
}

// client returns a client of the sandbox whose every exchange is judged against the spec.
func client(t *testing.T, sb *sandbox.Sandbox, mutate func(*partnercenter.ClientOptions)) *partnercenter.Client {
	t.Helper()
	v, err := contract.NewDefault(contract.Options{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	opts := sb.ClientOptions()
	conf := &conformance{t: t, next: sb.HTTPClient().Transport, validator: v}
	opts.Transport = &http.Client{Transport: conf}
	t.Cleanup(func() {
		if conf.judged == 0 {
			t.Error("no exchange went through the conformance check")
		}
	})
	if mutate != nil {
		mutate(opts)
	}
	c, err := partnercenter.NewClient(sb.MustCredential(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
