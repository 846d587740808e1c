package contract

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
)

// The gate inside a team's own Go tests, with no recording step: NewCheckingTransport judges
// every exchange a client makes, and Conform (conform.go) judges one response.

// CheckOption tunes NewCheckingTransport and Conform.
type CheckOption func(*checkConfig)

type checkConfig struct {
	validator *Validator
	strict    bool
}

// WithValidator judges against v (a spec other than the embedded openapi.yaml, or options of
// your own) instead of the embedded spec.
func WithValidator(v *Validator) CheckOption { return func(c *checkConfig) { c.validator = v } }

// WithStrict makes undeclared fields violations (they are logged as drift otherwise), as
// STRICT=1 does for `make contract`.
func WithStrict() CheckOption { return func(c *checkConfig) { c.strict = true } }

func newCheckConfig(opts []CheckOption) (checkConfig, error) {
	var c checkConfig
	for _, o := range opts {
		o(&c)
	}
	if c.validator == nil {
		v, err := defaultValidator(c.strict)
		if err != nil {
			return c, err
		}
		c.validator = v
	}
	return c, nil
}

// The embedded spec is compiled once per process and strictness: compiling it costs far more
// than judging an exchange, and a test suite builds many transports.
var (
	lenientOnce = sync.OnceValues(func() (*Validator, error) { return NewDefault(Options{}) })
	strictOnce  = sync.OnceValues(func() (*Validator, error) { return NewDefault(Options{Strict: true}) })
)

func defaultValidator(strict bool) (*Validator, error) {
	if strict {
		return strictOnce()
	}
	return lenientOnce()
}

// judged reports whether an exchange is Partner Center API traffic, which the gate judges:
// the engine's ignored-traffic rule (ignoredBecause), so that a token request or a call to
// another service passes through unjudged here as it is listed as ignored in a recording.
func judged(u *url.URL) bool {
	return u != nil && ignoredBecause(u) == ""
}

// NewCheckingTransport returns a RoundTripper that sends each request through next
// (http.DefaultTransport when nil) and judges the exchange against openapi.yaml: each
// violation fails t (t.Errorf, with the finding), each drift finding is logged (t.Logf).
// Exchanges that are not Partner Center API calls (a token request, another host, a path
// outside /v1/) pass unjudged, as the gate ignores them in recordings. Findings name the
// exchange "live interaction N", N counting from 0 per transport, and never print a value.
//
// Plug it into the client with
//
//	opts := &partnercenter.ClientOptions{Transport: &http.Client{Transport: contract.NewCheckingTransport(t, nil)}}
//
// It is safe for concurrent use. The body of each response is read in full (to judge it)
// and handed back readable.
func NewCheckingTransport(t testing.TB, next http.RoundTripper, opts ...CheckOption) http.RoundTripper {
	t.Helper()
	if next == nil {
		next = http.DefaultTransport
	}
	cfg, err := newCheckConfig(opts)
	if err != nil {
		t.Fatalf("contract: %v", err)
	}
	return &checkingTransport{t: t, next: next, cfg: cfg}
}

type checkingTransport struct {
	t    testing.TB
	next http.RoundTripper
	cfg  checkConfig
	n    atomic.Int64
}

func (c *checkingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	body, req, err := takeRequestBody(req)
	if err != nil {
		return nil, err
	}
	resp, err := c.next.RoundTrip(req)
	if err != nil || !judged(req.URL) {
		return resp, err
	}
	ex, err := FromRequestResponse(req, body, resp)
	if err != nil {
		resp.Body.Close()
		return nil, fmt.Errorf("contract: read the response body to judge it: %w", err)
	}
	index := int(c.n.Add(1) - 1)
	for _, f := range c.cfg.validator.Validate(ex, "live", index) {
		if f.Severity == Violation || c.cfg.strict {
			c.t.Errorf("contract: %s", f)
		} else {
			c.t.Logf("contract: %s", f)
		}
	}
	return resp, nil
}

// takeRequestBody reads a request's body once and returns a copy of the request that sends
// the same bytes. GetBody may hand back the very stream being sent (azcore's does), so the
// body is read from req.Body itself, and the original request is left as it was given.
func takeRequestBody(req *http.Request) ([]byte, *http.Request, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, req, nil
	}
	body, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return nil, nil, fmt.Errorf("contract: read the request body: %w", err)
	}
	out := req.Clone(req.Context())
	out.Body = io.NopCloser(bytes.NewReader(body))
	out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	return body, out, nil
}
