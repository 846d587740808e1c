package probe

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/partnercenter-go/partnercenter/contract"
	"github.com/partnercenter-go/partnercenter/internal/redact"
	"github.com/partnercenter-go/partnercenter/internal/retryafter"
)

// Options tune a run.
type Options struct {
	// Endpoint is the API's base URL, without /v1: HTTPS, or plain HTTP on loopback only (the
	// token goes nowhere else).
	Endpoint string
	// HTTPClient sends the requests (TLS as the command sets it up); nil: one that trusts the
	// system roots. Redirects are never followed.
	HTTPClient *http.Client
	// Token returns the bearer token of TokenValid cases. It is never printed.
	Token func(context.Context) (string, error)
	// MaxRequests is the budget (0: none): cases that would exceed it are skipped, saying so.
	MaxRequests int
	// Rate is the most requests a second (0: no limit). A 429 is waited out as its
	// Retry-After says (at most MaxRetryWait) and sent again, up to three times.
	Rate         float64
	MaxRetryWait time.Duration // default 60 s
	// AllowWrites sends the scenario, which activates the subscription given.
	AllowWrites bool
	// Record, when set, carries the exchanges of the cases whose requests conform to the spec
	// (a contract.Recorder): `contract validate` then judges the cassette as the probe did.
	Record http.RoundTripper
	// Observe is called with each judged exchange and the engine's findings (an overlay
	// suggester, say).
	Observe func(contract.Exchange, []contract.Finding)
	// Progress is called after each case with the number of cases done and planned.
	Progress func(done, total int)
	// CAFile says the reproducers need --cacert "$PARTNER_CENTER_CA_FILE".
	CAFile bool
}

// Exchange is a finding's exchange, redacted: what a report shows of it.
type Exchange struct {
	Method         string      `json:"method"`
	URL            string      `json:"url"`
	RequestHeader  http.Header `json:"requestHeaders,omitempty"`
	Status         int         `json:"status"`
	ResponseHeader http.Header `json:"responseHeaders,omitempty"`
	BodyExcerpt    string      `json:"bodyExcerpt,omitempty"`
}

// Finding is one broken promise: the check, the case, the answer and a reproducer.
type Finding struct {
	Check       Check     `json:"check"`
	OperationID string    `json:"operationId"`
	Case        string    `json:"case"`
	Status      int       `json:"status"` // 0 when no answer came
	Reason      string    `json:"reason"`
	Curl        string    `json:"curl"`
	Exchange    *Exchange `json:"exchange,omitempty"`
}

// Result is what a run did.
type Result struct {
	Seed     uint64       // the plan's
	Planned  map[Kind]int // requests planned, by kind
	Requests int          // requests sent, retries included
	Findings []Finding
	// Exercised counts how many times each check was evaluated.
	Exercised map[Check]int
	// Skipped lists the cases not sent, with why.
	Skipped []string
	// Ran lists the cases sent, in order, with the checks that failed on each (for JUnit).
	Ran []CaseRun
}

// CaseRun is one case as it ran.
type CaseRun struct {
	Case     Case
	Status   int
	Findings []Finding
	Duration time.Duration
}

// Err is nil when the run found nothing.
func (r *Result) Err() error {
	if len(r.Findings) > 0 {
		return fmt.Errorf("probe: %d findings", len(r.Findings))
	}
	return nil
}

// answer is one response, read whole.
type answer struct {
	status int
	header http.Header
	body   []byte
	err    error
	ex     contract.Exchange
}

type runner struct {
	v      *contract.Validator
	plan   *Plan
	opts   Options
	client *http.Client
	base   *url.URL
	token  string
	res    *Result
	next   time.Time
	done   int
	total  int
}

// Run sends the plan's cases (and the scenario when writes are allowed) and judges every
// answer. Its error is about the run itself (an endpoint refused, no token); what the service
// got wrong is in the result's findings.
func Run(ctx context.Context, v *contract.Validator, plan *Plan, opts Options) (*Result, error) {
	base, err := CheckEndpoint(opts.Endpoint)
	if err != nil {
		return nil, err
	}
	if opts.MaxRetryWait <= 0 {
		opts.MaxRetryWait = time.Minute
	}
	client := opts.HTTPClient
	if client == nil {
		client = &http.Client{}
	}
	noRedirects := *client
	noRedirects.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	r := &runner{v: v, plan: plan, opts: opts, client: &noRedirects, base: base,
		res: &Result{Seed: plan.Seed, Planned: plan.Count(opts.AllowWrites), Exercised: map[Check]int{}}}
	r.total = len(plan.Cases)
	if opts.AllowWrites {
		r.total += len(plan.Scenario)
	}
	if opts.Token != nil {
		if r.token, err = opts.Token(ctx); err != nil {
			return nil, fmt.Errorf("probe: get a token: %w", err)
		}
	}
	for _, c := range plan.Cases {
		if err := ctx.Err(); err != nil {
			return r.res, err
		}
		if !r.afford(1) {
			r.skip(c, "the budget (--max-requests) is spent")
			continue
		}
		r.runCase(ctx, c)
	}
	switch {
	case len(plan.Scenario) == 0:
	case !opts.AllowWrites:
		for _, c := range plan.Scenario {
			r.res.Skipped = append(r.res.Skipped, c.Name+": writes are not allowed (--allow-writes)")
		}
	case !r.afford(len(plan.Scenario)):
		for _, c := range plan.Scenario {
			r.skip(c, "the budget (--max-requests) cannot pay for the whole scenario")
		}
	default:
		r.runScenario(ctx)
	}
	return r.res, ctx.Err()
}

// CheckEndpoint refuses an endpoint the token must not go to.
func CheckEndpoint(endpoint string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(endpoint, "/"))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("probe: endpoint %q is not an http(s) URL", endpoint)
	}
	if u.Scheme == "http" {
		host := u.Hostname()
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return nil, fmt.Errorf("probe: endpoint %s is plain HTTP: the token goes over HTTPS only (plain HTTP is allowed on loopback)", u.Redacted())
		}
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("probe: endpoint %s: want a base URL without user, query or fragment", u.Redacted())
	}
	return u, nil
}

func (r *runner) afford(n int) bool {
	return r.opts.MaxRequests <= 0 || r.res.Requests+n <= r.opts.MaxRequests
}

func (r *runner) skip(c Case, why string) {
	r.res.Skipped = append(r.res.Skipped, c.Name+": "+why)
	r.progress()
}

func (r *runner) progress() {
	r.done++
	if r.opts.Progress != nil {
		r.opts.Progress(r.done, r.total)
	}
}

// runCase sends one case and applies its checks.
func (r *runner) runCase(ctx context.Context, c Case) {
	start := time.Now()
	a := r.send(ctx, c)
	fs := r.judge(c, a)
	// Reasons lead with what the case tried and what it wanted: the status is printed before
	// them, and a line cut to 80 columns loses the detail at the end (the spec's rule).
	what := strings.TrimPrefix(c.Name, c.OperationID+": ")
	switch {
	case a.err != nil || a.status >= 500:
	case c.Kind == Positive:
		fs = r.expect(fs, c, a, PositiveDataAcceptance, a.status >= 200 && a.status < 300, what+": want a 2xx")
	case c.Kind == Negative || c.Kind == Method:
		fs = r.expect(fs, c, a, NegativeDataRejection, a.status >= 400 && a.status < 500, what+": want a 4xx ("+c.Why+")")
	case c.Kind == Auth:
		fs = r.expect(fs, c, a, IgnoredAuth, a.status == http.StatusUnauthorized, what+": want 401")
	}
	r.record(c, a, fs, time.Since(start))
}

func (r *runner) record(c Case, a answer, fs []Finding, d time.Duration) {
	r.res.Findings = append(r.res.Findings, fs...)
	r.res.Ran = append(r.res.Ran, CaseRun{Case: c, Status: a.status, Findings: fs, Duration: d})
	r.progress()
}

// expect counts check as exercised and adds a finding when ok is false.
func (r *runner) expect(fs []Finding, c Case, a answer, check Check, ok bool, reason string) []Finding {
	r.res.Exercised[check]++
	if ok {
		return fs
	}
	return append(fs, r.finding(check, c, a, reason))
}

// judge applies the checks every exchange gets: not_a_server_error, and the engine's verdict.
func (r *runner) judge(c Case, a answer) []Finding {
	var fs []Finding
	if a.err != nil {
		r.res.Exercised[NotAServerError]++
		return append(fs, r.finding(NotAServerError, c, a, "no answer: "+redact.String(a.err.Error())))
	}
	fs = r.expect(fs, c, a, NotAServerError, a.status < 500, strings.TrimPrefix(c.Name, c.OperationID+": ")+": no case may get a 5xx")
	if _, _, err := r.v.Route(a.ex.Method, a.ex.URL); err != nil {
		return fs // routes to no operation (a Method case): nothing documented to judge against
	}
	findings := r.v.Validate(a.ex, "", 0)
	if r.opts.Observe != nil {
		r.opts.Observe(a.ex, findings)
	}
	byCheck := map[Check][]string{}
	for _, f := range findings {
		check, ok := checkOf(f)
		if !ok || f.Severity != contract.Violation {
			continue
		}
		byCheck[check] = append(byCheck[check], f.Pointer+": "+f.Reason)
	}
	for _, check := range []Check{StatusCodeConformance, ContentTypeConformance, ResponseSchemaConformance, ResponseHeadersConformance} {
		r.res.Exercised[check]++
		if reasons := byCheck[check]; len(reasons) > 0 {
			reason := reasons[0]
			if len(reasons) > 1 {
				reason += fmt.Sprintf(" (and %d more)", len(reasons)-1)
			}
			fs = append(fs, r.finding(check, c, a, reason))
		}
	}
	return fs
}

func statusText(status int) string {
	if status == 0 {
		return "no answer"
	}
	return strconv.Itoa(status)
}

// send sends a case, paced, waiting out 429s as their Retry-After says.
func (r *runner) send(ctx context.Context, c Case) answer {
	for attempt := 0; ; attempt++ {
		a := r.sendOnce(ctx, c)
		if a.err != nil || a.status != http.StatusTooManyRequests || attempt == 3 || !r.afford(1) {
			return a
		}
		wait, ok := retryafter.Parse(a.header.Get("Retry-After"), time.Now())
		if !ok {
			wait = time.Second
		}
		if wait > r.opts.MaxRetryWait {
			return a
		}
		if err := sleep(ctx, wait); err != nil {
			return a
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// pace waits for the next slot of the rate.
func (r *runner) pace(ctx context.Context) error {
	if r.opts.Rate <= 0 {
		return nil
	}
	now := time.Now()
	if wait := r.next.Sub(now); wait > 0 {
		if err := sleep(ctx, wait); err != nil {
			return err
		}
		now = r.next
	}
	r.next = now.Add(time.Duration(float64(time.Second) / r.opts.Rate))
	return nil
}

// conforming reports whether a case's request conforms to the spec (it may be recorded).
func conforming(c Case) bool { return c.Kind != Negative && c.Kind != Method }

func (r *runner) sendOnce(ctx context.Context, c Case) answer {
	if err := r.pace(ctx); err != nil {
		return answer{err: err}
	}
	target := strings.TrimRight(r.base.String(), "/") + c.Path
	var body io.Reader = http.NoBody
	if c.Body != nil {
		body = bytes.NewReader(c.Body)
	}
	req, err := http.NewRequestWithContext(ctx, c.Method, target, body)
	if err != nil {
		return answer{err: err}
	}
	for k, vs := range c.Header {
		req.Header[k] = append([]string(nil), vs...)
	}
	switch c.Token {
	case TokenValid:
		if r.token != "" {
			req.Header.Set("Authorization", "Bearer "+r.token)
		}
	case TokenGarbage:
		req.Header.Set("Authorization", "Bearer "+r.plan.Garbage)
	}
	req.Header.Set("User-Agent", "partnercenter-probe")
	client := r.client
	if r.opts.Record != nil && conforming(c) {
		rec := *client
		rec.Transport = r.opts.Record
		client = &rec
	}
	r.res.Requests++
	resp, err := client.Do(req)
	if err != nil {
		return answer{err: err, ex: contract.Exchange{Method: c.Method, URL: target, RequestHeader: req.Header}}
	}
	defer resp.Body.Close()
	respBody, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return answer{err: err}
	}
	ex, err := contract.FromRequestResponse(req, c.Body, &http.Response{StatusCode: resp.StatusCode, Header: resp.Header, Body: io.NopCloser(bytes.NewReader(respBody))})
	if err != nil {
		return answer{err: err}
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: respBody, ex: ex}
}

// finding builds a finding with the case's reproducer and the redacted exchange.
func (r *runner) finding(check Check, c Case, a answer, reason string) Finding {
	f := Finding{Check: check, OperationID: c.OperationID, Case: c.Name, Status: a.status, Reason: redact.String(reason),
		Curl: Curl(r.base.String(), c, r.plan.Garbage, r.opts.CAFile)}
	if a.ex.URL != "" {
		f.Exchange = &Exchange{Method: a.ex.Method, URL: redact.String(a.ex.URL), RequestHeader: redactHeader(a.ex.RequestHeader),
			Status: a.status, ResponseHeader: redactHeader(a.header), BodyExcerpt: redact.Bounded(string(a.body), 512)}
	}
	return f
}

// redactHeader drops the values of credential headers and masks credentials in the others,
// a challenge (WWW-Authenticate) part by part: redact.Header, the one rule.
func redactHeader(h http.Header) http.Header {
	if h == nil {
		return nil
	}
	out := http.Header{}
	for k, vs := range h {
		for _, v := range vs {
			out[k] = append(out[k], redact.Header(k, v))
		}
	}
	return out
}
