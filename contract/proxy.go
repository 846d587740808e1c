package contract

import (
	"github.com/partnercenter-go/partnercenter/internal/plural"

	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync"
	"time"
)

// Proxy is the gate as a reverse proxy: any client, in any language, points its base URL at
// it and gets every exchange judged as it passes, and recorded as a redacted go-vcr v4
// cassette. `partnercenter contract proxy` serves one.
//
// Requests are forwarded to Target with their path and query, their headers (the bearer
// token included: it is forwarded, never stored) and their body; answers come back unchanged.
// Partner Center API calls are judged; everything else (a token request sent through the
// proxy, a target that is not a Partner Center host) is forwarded unjudged, by the gate's
// ignored-traffic rule, and dropped from the recording when it carries credentials.
type Proxy struct {
	opts    ProxyOptions
	reverse *httputil.ReverseProxy

	mu         sync.Mutex
	coverage   *Coverage
	judged     int
	ignored    int
	violations int
	findings   int
	rec        *proxyRecording // nil without RecordDir
}

// ProxyOptions configure a Proxy.
type ProxyOptions struct {
	// Target is the service's base URL (scheme and host; a path prefix is kept).
	Target *url.URL
	// Transport sends requests to Target (default http.DefaultTransport).
	Transport http.RoundTripper
	// Validator judges the exchanges (default: the embedded openapi.yaml, lenient).
	Validator *Validator
	// RecordDir, when set, receives the exchanges as go-vcr v4 cassettes.
	RecordDir string
	// OnExchange is called, one call at a time, after each judged exchange: print its
	// findings from here.
	OnExchange func(ProxyVerdict)
	// OnError is called when an exchange cannot be forwarded or recorded.
	OnError func(error)
}

// ProxyVerdict is the verdict on one exchange that passed through the proxy.
type ProxyVerdict struct {
	// Cassette and Interaction say where the exchange was recorded ("proxy" and the count
	// of judged exchanges without --record; Interaction is -1 for one not recorded).
	Cassette    string
	Interaction int
	OperationID string // "" when the request routes to no operation
	Status      int
	Findings    []Finding
	// Ignored says why the exchange was forwarded and not judged: it is not a Partner Center
	// API call (the gate's ignored-traffic rule). Host is set for these only: their path may
	// hold anything.
	Ignored string
	Host    string
	// Exchange is the exchange as forwarded, NOT redacted: print it only through
	// internal/redact (as contract/htmlreport does).
	Exchange Exchange
}

// NewProxy returns a Proxy; serve it with an http.Server and call Close when done.
func NewProxy(opts ProxyOptions) (*Proxy, error) {
	if opts.Target == nil || (opts.Target.Scheme != "http" && opts.Target.Scheme != "https") || opts.Target.Host == "" {
		return nil, errors.New("contract: proxy target must be an http:// or https:// URL with a host")
	}
	if opts.Transport == nil {
		opts.Transport = http.DefaultTransport
	}
	if opts.Validator == nil {
		v, err := defaultValidator(false)
		if err != nil {
			return nil, err
		}
		opts.Validator = v
	}
	if opts.OnExchange == nil {
		opts.OnExchange = func(ProxyVerdict) {}
	}
	if opts.OnError == nil {
		opts.OnError = func(error) {}
	}
	p := &Proxy{opts: opts, coverage: NewCoverage(opts.Validator.Spec())}
	if opts.RecordDir != "" {
		rec, err := newProxyRecording(opts.RecordDir)
		if err != nil {
			return nil, err
		}
		p.rec = rec
	}
	target := opts.Target
	p.reverse = &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(target)
			r.Out.URL.RawQuery = r.In.URL.RawQuery // SetURL would merge in the target's query
			// The proxy asks for compression itself, so that Go's transport decompresses the
			// answer: the gate judges and records the body, not its gzip bytes.
			r.Out.Header.Del("Accept-Encoding")
		},
		Transport: (*proxyTransport)(p),
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			opts.OnError(fmt.Errorf("forward %s request: %w", r.Method, err))
			w.WriteHeader(http.StatusBadGateway)
		},
	}
	return p, nil
}

func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) { p.reverse.ServeHTTP(w, r) }

// Violations is how many violations the judged exchanges showed so far.
func (p *Proxy) Violations() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.violations
}

// Summary is one line: exchanges judged, violations, findings in all, and the recording.
func (p *Proxy) Summary() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := fmt.Sprintf("%s judged, %s, %s in all, %d ignored (not API calls)", plural.Of(p.judged, "exchange"),
		plural.Of(p.violations, "violation"), plural.Of(p.findings, "finding"), p.ignored)
	if p.rec != nil {
		s += "\nrecorded under " + p.rec.dir
	}
	return s
}

// Coverage is the coverage of the judged exchanges. Read it after the server has stopped.
func (p *Proxy) Coverage() *Coverage { return p.coverage }

// Close saves the recording; call it once the server has stopped.
func (p *Proxy) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.rec == nil {
		return nil
	}
	return p.rec.save()
}

// proxyTransport is the Proxy seen as the reverse proxy's transport: it forwards, then judges
// and records the exchange.
type proxyTransport Proxy

// proxyMaxBody bounds each body the proxy holds to judge it: Partner Center's bodies are a
// few kilobytes, and a proxy must not be made to hold an unbounded one.
const proxyMaxBody = 32 << 20

func (t *proxyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	p := (*Proxy)(t)
	if req.Body != nil && req.Body != http.NoBody {
		req.Body = limitedBody(req.Body)
	}
	reqBody, req, err := takeRequestBody(req)
	if err != nil {
		return nil, err
	}
	if len(reqBody) > proxyMaxBody {
		return nil, fmt.Errorf("the request body is larger than %d MiB: not forwarded", proxyMaxBody>>20)
	}
	start := time.Now()
	resp, err := p.opts.Transport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	resp.Body = limitedBody(resp.Body)
	ex, err := FromRequestResponse(req, reqBody, resp)
	if err != nil {
		resp.Body.Close()
		return nil, fmt.Errorf("read the answer: %w", err)
	}
	if len(ex.ResponseBody) > proxyMaxBody {
		resp.Body.Close()
		return nil, fmt.Errorf("the answer is larger than %d MiB: not passed on", proxyMaxBody>>20)
	}
	p.observe(ex, req, resp, time.Since(start))
	return resp, nil
}

// observe records and judges one exchange, under the lock so that findings print in the
// order the exchanges completed and indices match the recording.
func (p *Proxy) observe(ex Exchange, req *http.Request, resp *http.Response, took time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	label, index := "proxy", p.judged
	if p.rec != nil {
		var err error
		label, index, err = p.rec.add(ex, req, resp, took)
		if err != nil {
			p.opts.OnError(err)
		}
	}
	if why := ignoredBecause(req.URL); why != "" {
		p.ignored++
		p.opts.OnExchange(ProxyVerdict{Cassette: label, Interaction: index, Status: ex.Status, Ignored: why, Host: req.URL.Host, Exchange: ex})
		return
	}
	findings := p.opts.Validator.Validate(ex, label, index)
	op, _, _ := p.opts.Validator.Route(ex.Method, ex.URL)
	p.coverage.Record(op, ex)
	p.judged++
	p.findings += len(findings)
	for _, f := range findings {
		if f.Severity == Violation {
			p.violations++
		}
	}
	p.opts.OnExchange(ProxyVerdict{Cassette: label, Interaction: index, OperationID: op, Status: ex.Status, Findings: findings, Exchange: ex})
}

// limitedBody reads at most one byte past proxyMaxBody, so that an oversized body is seen
// as such without being held whole.
func limitedBody(rc io.ReadCloser) io.ReadCloser {
	return struct {
		io.Reader
		io.Closer
	}{io.LimitReader(rc, proxyMaxBody+1), rc}
}
