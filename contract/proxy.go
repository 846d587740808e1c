package contract

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync"
	"time"

	"github.com/partnercenter-go/partnercenter/internal/plural"
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
//
// The client is answered first: the answer streams to it as it arrives, and a copy goes to a
// bounded queue that one goroutine drains in order, judging and recording each exchange, so
// findings print in the order the exchanges completed. A full queue makes the next exchange
// wait; Close drains it; Violations, Summary and Coverage wait for what is queued.
type Proxy struct {
	opts    ProxyOptions
	reverse *httputil.ReverseProxy

	queue   chan proxyExchange // exchanges answered, not yet judged
	queueMu sync.RWMutex       // senders hold it for reading, Close for writing
	closed  bool               // the queue is closed (under queueMu)
	drained chan struct{}      // closed once the engine has judged the last queued exchange

	mu         sync.Mutex
	pendingMu  sync.Mutex // guards pending apart from mu, which the engine holds while judging
	idle       *sync.Cond // signalled when pending reaches 0
	pending    int        // exchanges queued and not yet judged
	coverage   *Coverage
	judged     int
	ignored    int
	skipped    int // answered but not judged: cut short, or larger than proxyMaxBody
	violations int
	findings   int
	rec        *proxyRecording // nil without RecordDir
}

// proxyQueueSize bounds the exchanges answered and not yet judged: past it, the next
// exchange waits for the engine rather than the proxy holding an unbounded backlog.
const proxyQueueSize = 256

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
	p := &Proxy{opts: opts, coverage: NewCoverage(opts.Validator.Spec()),
		queue: make(chan proxyExchange, proxyQueueSize), drained: make(chan struct{})}
	p.idle = sync.NewCond(&p.pendingMu)
	if opts.RecordDir != "" {
		rec, err := newProxyRecording(opts.RecordDir)
		if err != nil {
			return nil, err
		}
		p.rec = rec
	}
	go p.drain()
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

// Violations is how many violations the judged exchanges showed so far, once every exchange
// answered so far has been judged.
func (p *Proxy) Violations() int {
	p.waitIdle()
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.violations
}

// Summary is one line: exchanges judged, violations, findings in all, and the recording.
func (p *Proxy) Summary() string {
	p.waitIdle()
	p.mu.Lock()
	defer p.mu.Unlock()
	s := fmt.Sprintf("%s judged, %s, %s in all, %d ignored (not API calls)", plural.Of(p.judged, "exchange"),
		plural.Of(p.violations, "violation"), plural.Of(p.findings, "finding"), p.ignored)
	if p.skipped > 0 {
		s += fmt.Sprintf(", %d passed on unjudged (cut short, or larger than %d MiB)", p.skipped, proxyMaxBody>>20)
	}
	if p.rec != nil {
		s += "\nrecorded under " + p.rec.dir
	}
	return s
}

// Coverage is the coverage of the judged exchanges. Read it after the server has stopped.
func (p *Proxy) Coverage() *Coverage {
	p.waitIdle()
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.coverage
}

// Close judges what is still queued and saves the recording; call it once the server has
// stopped. An exchange answered after Close is judged and recorded at once.
func (p *Proxy) Close() error {
	p.queueMu.Lock()
	if !p.closed {
		p.closed = true
		close(p.queue)
	}
	p.queueMu.Unlock()
	<-p.drained
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.rec == nil {
		return nil
	}
	return p.rec.save()
}

// waitIdle waits until every exchange queued so far has been judged.
func (p *Proxy) waitIdle() {
	p.pendingMu.Lock()
	defer p.pendingMu.Unlock()
	for p.pending > 0 {
		p.idle.Wait()
	}
}

// proxyTransport is the Proxy seen as the reverse proxy's transport: it forwards, and hands
// the answer back with a body that keeps a copy for the engine as the client reads it.
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
	if resp.ContentLength > proxyMaxBody {
		resp.Body.Close()
		return nil, fmt.Errorf("the answer is larger than %d MiB: not passed on", proxyMaxBody>>20)
	}
	// The exchange as the target answered, before the reverse proxy drops hop-by-hop headers.
	answered := *resp
	answered.Header = resp.Header.Clone()
	answered.Body = nil
	resp.Body = &copyingBody{rc: resp.Body, p: p, ex: proxyExchange{req: req, reqBody: reqBody, resp: &answered, start: start}}
	return resp, nil
}

// proxyExchange is an answered exchange on its way to the engine.
type proxyExchange struct {
	req      *http.Request
	reqBody  []byte
	resp     *http.Response // status, protocol and headers; the body is respBody
	respBody []byte
	start    time.Time
	took     time.Duration
	unjudged string // why the exchange is passed on unjudged ("" when it is judged)
}

// copyingBody is the answer's body on its way to the client: what the client reads is kept
// (up to proxyMaxBody), and at Close the exchange goes to the engine's queue.
type copyingBody struct {
	rc       io.ReadCloser
	p        *Proxy
	ex       proxyExchange
	buf      bytes.Buffer
	eof      bool
	tooLarge bool
	readErr  error
	closed   bool
}

func (b *copyingBody) Read(q []byte) (int, error) {
	n, err := b.rc.Read(q)
	if n > 0 && !b.tooLarge {
		if b.buf.Len()+n > proxyMaxBody {
			b.tooLarge = true
			b.buf = bytes.Buffer{}
		} else {
			b.buf.Write(q[:n])
		}
	}
	if err == io.EOF {
		b.eof = true
	} else if err != nil && b.readErr == nil {
		b.readErr = err
	}
	return n, err
}

func (b *copyingBody) Close() error {
	err := b.rc.Close()
	if b.closed {
		return err
	}
	b.closed = true
	ex := b.ex
	ex.took = time.Since(ex.start)
	ex.respBody = b.buf.Bytes()
	switch {
	case b.tooLarge:
		ex.unjudged = fmt.Sprintf("the answer is larger than %d MiB", proxyMaxBody>>20)
	case b.readErr != nil:
		ex.unjudged = fmt.Sprintf("the answer was cut short (%v)", b.readErr)
	case !b.eof:
		ex.unjudged = "the client went away before the answer's end"
	}
	b.p.enqueue(ex)
	return err
}

// enqueue hands an answered exchange to the engine, waiting while the queue is full.
func (p *Proxy) enqueue(ex proxyExchange) {
	p.queueMu.RLock()
	if p.closed {
		p.queueMu.RUnlock()
		<-p.drained
		p.mu.Lock()
		defer p.mu.Unlock()
		p.observe(ex, true)
		return
	}
	p.pendingMu.Lock()
	p.pending++
	p.pendingMu.Unlock()
	p.queue <- ex
	p.queueMu.RUnlock()
}

// drain is the engine: it judges and records the queued exchanges in order. The recording is
// saved every proxyBatch exchanges, and proxyFlushAfter after an exchange left unsaved, so a
// save's cost is shared by a batch and a killed proxy loses at most the last moment's.
func (p *Proxy) drain() {
	defer close(p.drained)
	flush := time.NewTimer(time.Hour)
	flush.Stop()
	for {
		select {
		case ex, ok := <-p.queue:
			if !ok {
				flush.Stop()
				return
			}
			p.mu.Lock()
			p.observe(ex, false)
			if p.rec != nil && len(p.rec.unsaved) == 1 {
				flush.Reset(proxyFlushAfter)
			}
			p.mu.Unlock()
			p.pendingMu.Lock()
			p.pending--
			if p.pending == 0 {
				p.idle.Broadcast()
			}
			p.pendingMu.Unlock()
		case <-flush.C:
			p.mu.Lock()
			if err := p.rec.save(); err != nil {
				p.opts.OnError(err)
			}
			p.mu.Unlock()
		}
	}
}

// proxyFlushAfter is how long a recorded exchange may wait for its batch to be saved.
const proxyFlushAfter = 100 * time.Millisecond

// observe records and judges one exchange, under p.mu, so that findings print in the order
// the exchanges completed and indices match the recording.
func (p *Proxy) observe(pe proxyExchange, save bool) {
	req, resp := pe.req, pe.resp
	if pe.unjudged != "" {
		p.skipped++
		p.opts.OnError(fmt.Errorf("%s %s (%d): %s: passed on, not judged or recorded", req.Method, req.URL.Path, resp.StatusCode, pe.unjudged))
		return
	}
	ex := Exchange{Method: req.Method, URL: req.URL.String(), RequestHeader: req.Header.Clone(), RequestBody: pe.reqBody,
		Status: resp.StatusCode, ResponseHeader: resp.Header, ResponseBody: pe.respBody}
	label, index := "proxy", p.judged
	if p.rec != nil {
		var err error
		label, index, err = p.rec.add(ex, req, resp, pe.took)
		if err == nil && (save || len(p.rec.unsaved) >= proxyBatch) {
			err = p.rec.save()
		}
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
