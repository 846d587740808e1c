// Package contract holds recorded and live Partner Center exchanges against openapi.yaml.
//
// A Validator judges one exchange (request and response): the request must route to an
// operation of the spec and its parameters and body must conform; the response's status must
// be one the operation documents, its Content-Type a documented media type and its body must
// conform to the schema (JSON and XML). Fields the spec does not declare are drift, reported
// as violations only in strict mode. Findings name where the problem is (a JSON pointer) and
// never the offending value, so they are safe to print in CI logs.
//
// The gate over recordings is one engine (engine.go): Run walks folders and files, loads one
// recording at a time through a Format (go-vcr cassettes: Cassettes), judges every interaction
// and scans it for secrets (JudgeInteraction) on a pool of workers, and streams the verdicts in
// path order; Check gathers them, Print writes them through a Reporter (text, JSON lines,
// GitHub annotations, JUnit). `make contract` and `partnercenter contract validate` are thin
// front ends over it.
package contract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/partnercenter-go/partnercenter/generated/spec"
	"github.com/partnercenter-go/partnercenter/internal/mediatype"
)

// Exchange is one HTTP request and its response, as recorded.
type Exchange struct {
	Method         string
	URL            string
	RequestHeader  http.Header
	RequestBody    []byte
	Status         int
	ResponseHeader http.Header
	ResponseBody   []byte
}

// Severity says whether a finding fails the gate.
type Severity string

const (
	// Violation: the exchange and the spec disagree; the gate fails.
	Violation Severity = "violation"
	// Drift: the service sent a field the spec does not declare. Reported, and a violation
	// only in strict mode: the service adds fields and clients must tolerate them.
	Drift Severity = "drift"
)

// Finding is one disagreement between an exchange and the spec.
type Finding struct {
	Severity    Severity
	Cassette    string // file the exchange came from ("" for live traffic)
	Interaction int    // index of the interaction in its cassette; -1 for the whole file
	OperationID string // "" when the request routes to no operation
	Status      int
	// Pointer locates the offending value: /request/path/customerId,
	// /request/header/MS-RequestId, /request/body/..., /response/status,
	// /response/header/Content-Type, /response/body/items/0/link.
	Pointer string
	Reason  string // what is wrong, never the value itself
}

func (f Finding) String() string {
	if f.Interaction < 0 {
		return fmt.Sprintf("%s: %s: %s", f.Severity, f.Cassette, f.Reason)
	}
	op := f.OperationID
	if op == "" {
		op = "(no operation)"
	}
	return fmt.Sprintf("%s: %s interaction %d: %s %d: %s: %s", f.Severity, f.Cassette, f.Interaction, op, f.Status, f.Pointer, f.Reason)
}

// Options tune a Validator.
type Options struct {
	// Strict makes drift violations: undeclared fields, undocumented +json media types and
	// empty error bodies without Content-Type. The byte-order mark stays drift (the live
	// service always sends it).
	Strict bool
	// Workers is the number of files Run judges at once; 0 means GOMAXPROCS.
	Workers int
	// Formats are the recording formats Run reads; nil means Formats().
	Formats []Format
	// SpecFile is the OpenAPI document NewDefault judges with (read by LoadSpec); "" means
	// the spec embedded in the build (openapi.yaml as it was built).
	SpecFile string
}

// Validator judges exchanges against one compiled spec. It is safe for concurrent use.
type Validator struct {
	doc      *openapi3.T
	router   routers.Router
	strict   bool
	workers  int
	formats  []Format
	declared sync.Map // *openapi3.Schema -> declaredSet, for the undeclared-fields walk
}

type declaredSet struct {
	props    map[string]*openapi3.SchemaRef
	freeForm bool
}

// New compiles doc for validation. The spec's servers are ignored: requests are matched by
// their path (under /v1) whatever the host, so recordings from any cloud or a local sandbox
// are judged alike.
func New(doc *openapi3.T, opts Options) (*Validator, error) {
	routed := *doc
	routed.Servers = nil
	// kin-openapi's legacy router matches a path tree without regular expressions: several
	// times faster than gorillamux, which routes on regexps.
	router, err := legacy.NewRouter(&routed)
	if err != nil {
		return nil, fmt.Errorf("contract: compile spec: %w", err)
	}
	// Validating the spec with the gate's compiler installs its pattern matchers in
	// kin-openapi's process-wide cache (see compilePattern); a spec that fails validation is
	// lint-spec's business, the gate judges against it all the same.
	_ = routed.Validate(context.Background(), openapi3.SetRegexCompiler(compilePattern), openapi3.DisableExamplesValidation())
	return &Validator{doc: doc, router: router, strict: opts.Strict, workers: opts.Workers, formats: opts.Formats}, nil
}

// NewDefault compiles the spec embedded in generated/spec (openapi.yaml as committed), or
// opts.SpecFile when it is set (an error is then a *SpecError).
func NewDefault(opts Options) (*Validator, error) {
	if opts.SpecFile != "" {
		doc, err := LoadSpec(opts.SpecFile)
		if err != nil {
			return nil, err
		}
		return New(doc, opts)
	}
	doc, err := spec.GetSpec()
	if err != nil {
		return nil, fmt.Errorf("contract: load embedded spec: %w", err)
	}
	return New(doc, opts)
}

// Spec is the compiled document.
func (v *Validator) Spec() *openapi3.T { return v.doc }

var noAuth = &openapi3filter.Options{
	// Recordings have their Authorization removed; the gate judges shapes, not credentials.
	AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
	MultiError:         true,
	RegexCompiler:      compilePattern,
}

// Validate judges one exchange; cassette and index only label the findings.
func (v *Validator) Validate(ex Exchange, cassette string, index int) []Finding {
	_, findings, _ := v.judge(ex, nil, cassette, index)
	return findings
}

// judge is Validate that also returns the operation the exchange routed to ("" for none):
// the engine records coverage from it instead of routing a second time.
// u is ex.URL already parsed by the caller, or nil: each URL is parsed once. The decoded
// response body is returned (nil when it was not decoded) for the secret scan to read, so
// that each body is decoded once.
func (v *Validator) judge(ex Exchange, u *url.URL, cassette string, index int) (string, []Finding, *Body) {
	r := &reporter{base: Finding{Cassette: cassette, Interaction: index, Status: ex.Status}}
	ex.RequestHeader = canonicalHeader(ex.RequestHeader)
	ex.ResponseHeader = canonicalHeader(ex.ResponseHeader)
	reqInput, op := v.checkRequest(r, ex, u)
	if op == nil {
		return "", r.findings, nil
	}
	status := ex.Status
	respRef := op.Responses.Status(status)
	if respRef == nil {
		r.add(Violation, "/response/status", fmt.Sprintf("status %d is not documented for %s", status, op.OperationID))
		return op.OperationID, r.findings, r.response
	}
	// kin-openapi judges the documented headers; the body is decoded and judged below, by
	// the gate's own media-type rules (media.go, body.go).
	respInput := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: reqInput,
		Status:                 status,
		Header:                 ex.ResponseHeader,
		Options:                &openapi3filter.Options{MultiError: true, IncludeResponseStatus: true, ExcludeResponseBody: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), respInput); err != nil {
		r.addErrors(err, "/response")
	}
	v.checkResponseBody(r, respRef.Value, ex)
	return op.OperationID, r.findings, r.response
}

// checkResponseBody judges the response's media type and body against the documented
// response resp.
func (v *Validator) checkResponseBody(r *reporter, resp *openapi3.Response, ex Exchange) {
	contentTypes := ex.ResponseHeader.Values("Content-Type")
	if len(contentTypes) > 1 {
		r.add(Violation, "/response/header/Content-Type", fmt.Sprintf("is sent %d times: a response has one media type", len(contentTypes)))
		return
	}
	if len(contentTypes) == 0 || strings.TrimSpace(contentTypes[0]) == "" {
		v.checkUntypedBody(r, ex)
		return
	}
	mt, ok := mediatype.Parse(contentTypes[0])
	if !ok {
		r.add(Violation, "/response/header/Content-Type", "is not a media type")
		return
	}
	media, fallback := documentedMedia(resp.Content, mt)
	if media == nil {
		r.add(Violation, "/response/header/Content-Type", fmt.Sprintf("media type %q is not documented for this status", mt))
		return
	}
	if fallback != "" {
		r.add(v.driftSeverity(), "/response/header/Content-Type", fmt.Sprintf("media type %q is not documented; its body is judged by the %s schema", mt, fallback))
	}
	body, findings := DecodeBody(ex.ResponseHeader, ex.ResponseBody, media.Schema)
	r.merge(findings)
	r.response = &body
	if !body.Decoded || media.Schema == nil {
		return
	}
	if err := media.Schema.Value.VisitJSON(body.Value, openapi3.MultiErrors(), openapi3.VisitAsResponse()); err != nil {
		r.addNested(err, "/response/body", "does not conform")
	}
	for _, ptr := range v.undeclaredFields(media.Schema, body.Value, "/response/body") {
		r.add(v.driftSeverity(), ptr, "field is not declared in the spec")
	}
}

// checkUntypedBody judges a response without Content-Type. An error status with an empty
// body is what the service sometimes sends: both official .NET SDKs have a branch for it
// and fall back to the reason phrase (DefaultPartnerServiceErrorHandler.cs). It is drift,
// not conformance, because the spec documents an error body (a violation in strict mode).
func (v *Validator) checkUntypedBody(r *reporter, ex Exchange) {
	switch {
	case len(ex.ResponseBody) > 0:
		r.add(Violation, "/response/header/Content-Type", "is missing for a non-empty body")
	case ex.Status >= 400:
		r.add(v.driftSeverity(), "/response/body", "is empty, with no Content-Type, where the spec documents an error body: clients must fall back to the status")
	default:
		r.add(Violation, "/response/body", "is empty, with no Content-Type, where the spec documents a body")
	}
}

// driftSeverity is how departures that clients must tolerate are reported: drift, or a
// violation in strict mode.
func (v *Validator) driftSeverity() Severity {
	if v.strict {
		return Violation
	}
	return Drift
}

// ValidateRequest judges a request alone, as a server does before it acts on it. It returns
// the operation the request routes to ("" for none) and the request's findings.
func (v *Validator) ValidateRequest(method, rawURL string, header http.Header, body []byte) (operationID string, findings []Finding) {
	r := &reporter{}
	_, op := v.checkRequest(r, Exchange{Method: method, URL: rawURL, RequestHeader: canonicalHeader(header), RequestBody: body}, nil)
	if op != nil {
		operationID = op.OperationID
	}
	return operationID, r.findings
}

// checkRequest routes the exchange's request and validates it; op is nil when it routes to
// no operation. ex.RequestHeader must have canonical keys.
func (v *Validator) checkRequest(r *reporter, ex Exchange, parsed *url.URL) (*openapi3filter.RequestValidationInput, *openapi3.Operation) {
	if parsed == nil {
		var err error
		if parsed, err = url.Parse(ex.URL); err != nil {
			r.add(Violation, "/request/url", "is not a URL")
			return nil, nil
		}
	}
	u := new(url.URL)
	*u = *parsed // the caller's stays as recorded
	// Route on the path alone, whatever the scheme and host.
	u.Scheme, u.Host = "http", "gate.invalid"
	if !validMethod(ex.Method) {
		r.add(Violation, "/request/method", fmt.Sprintf("%q is not an HTTP method", ex.Method))
		return nil, nil
	}
	header := ex.RequestHeader
	if header == nil {
		header = http.Header{}
	}
	if cts := header.Values("Content-Type"); len(cts) > 1 {
		r.add(Violation, "/request/header/Content-Type", fmt.Sprintf("is sent %d times: a request has one media type", len(cts)))
		return nil, nil
	} else if len(cts) == 1 {
		// kin-openapi looks the media type up as written; media types are case-insensitive.
		if mt, ok := mediatype.Parse(cts[0]); ok {
			header = header.Clone()
			header.Set("Content-Type", mt)
		}
	}
	// Built by hand rather than with http.NewRequest, which would parse the URL a second
	// time; the body fields are set as http.NewRequest sets them, which kin-openapi relies on.
	req := &http.Request{Method: ex.Method, URL: u, Host: u.Host, Header: header,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Body: http.NoBody, GetBody: noBody}
	if n := len(ex.RequestBody); n > 0 {
		body := ex.RequestBody
		req.ContentLength = int64(n)
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	route, pathParams, err := v.findRoute(ex.Method, u)
	if err != nil {
		// The path is not printed: a path that routes nowhere may carry anything, secrets too.
		reason := fmt.Sprintf("%s request: its path routes to no operation of the spec", ex.Method)
		var routeErr *routers.RouteError
		switch {
		case errors.Is(err, routers.ErrMethodNotAllowed):
			reason = fmt.Sprintf("the path has no %s operation", ex.Method)
		case !errors.As(err, &routeErr):
			reason = err.Error()
		}
		r.add(Violation, "/request/method", reason)
		return nil, nil
	}
	r.base.OperationID = route.Operation.OperationID
	reqInput := &openapi3filter.RequestValidationInput{Request: req, PathParams: pathParams, Route: route, Options: noAuth}
	if !surelyConforms(route, pathParams, header, u.RawQuery, ex.RequestBody) {
		if err := openapi3filter.ValidateRequest(context.Background(), reqInput); err != nil {
			r.addErrors(err, "/request")
		}
	}
	return reqInput, route.Operation
}

func noBody() (io.ReadCloser, error) { return http.NoBody, nil }

// validMethod is what http.NewRequest accepts as a method: an RFC 9110 token.
func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for i := 0; i < len(m); i++ {
		if !strings.ContainsRune("!#$%&'*+-.^_`|~", rune(m[i])) && !('0' <= m[i] && m[i] <= '9' || 'a' <= m[i] && m[i] <= 'z' || 'A' <= m[i] && m[i] <= 'Z') {
			return false
		}
	}
	return true
}

type reporter struct {
	base     Finding
	findings []Finding
	response *Body // the response body as checkResponseBody decoded it
}

// merge adds findings made without the exchange's labels (DecodeBody's).
func (r *reporter) merge(fs []Finding) {
	for _, f := range fs {
		r.add(f.Severity, f.Pointer, f.Reason)
	}
}

func (r *reporter) add(s Severity, pointer, reason string) {
	f := r.base
	f.Severity, f.Pointer, f.Reason = s, pointer, reason
	r.findings = append(r.findings, f)
}

// addErrors turns kin-openapi's errors into findings, keeping values out of the reasons:
// kin-openapi's Error() strings print the offending value and the schema.
func (r *reporter) addErrors(err error, prefix string) {
	// Only a MultiError that is the error itself is split here: errors.As would also reach
	// the MultiError inside a Request/ResponseError and lose where it came from.
	if multi, ok := err.(openapi3.MultiError); ok {
		for _, e := range multi {
			r.addErrors(e, prefix)
		}
		return
	}
	var reqErr *openapi3filter.RequestError
	var respErr *openapi3filter.ResponseError
	var schemaErr *openapi3.SchemaError
	var parseErr *openapi3filter.ParseError
	switch {
	case errors.As(err, &reqErr):
		where := prefix + "/body"
		if p := reqErr.Parameter; p != nil {
			where = prefix + "/" + p.In + "/" + p.Name
		}
		if reqErr.Err == nil {
			r.add(Violation, where, reqErr.Reason)
			return
		}
		r.addNested(reqErr.Err, where, reqErr.Reason)
	case errors.As(err, &respErr):
		where := prefix + "/body"
		if strings.Contains(respErr.Reason, "Content-Type") {
			r.add(Violation, prefix+"/header/Content-Type", "media type is not documented for this status")
			return
		}
		if strings.Contains(respErr.Reason, "header") {
			where = prefix + "/header"
		}
		if respErr.Err == nil {
			r.add(Violation, where, respErr.Reason)
			return
		}
		r.addNested(respErr.Err, where, respErr.Reason)
	case errors.As(err, &schemaErr):
		r.add(Violation, prefix+schemaPointer(schemaErr), schemaErr.Reason)
	case errors.As(err, &parseErr):
		r.add(Violation, prefix, "cannot be parsed: "+parseErr.Reason)
	default:
		r.add(Violation, prefix, "does not conform")
	}
}

func (r *reporter) addNested(err error, where, reason string) {
	var schemaErr *openapi3.SchemaError
	var parseErr *openapi3filter.ParseError
	if multi, ok := err.(openapi3.MultiError); ok {
		for _, e := range multi {
			r.addNested(e, where, reason)
		}
		return
	}
	switch {
	case errors.As(err, &schemaErr):
		r.add(Violation, where+schemaPointer(schemaErr), schemaErr.Reason)
	case errors.As(err, &parseErr):
		r.add(Violation, where, "cannot be parsed: "+parseErr.Reason)
	default:
		r.add(Violation, where, reason)
	}
}

// pointerEscaper escapes a JSON pointer token (RFC 6901).
var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

func schemaPointer(e *openapi3.SchemaError) string {
	var b strings.Builder
	for _, p := range e.JSONPointer() {
		b.WriteString("/")
		b.WriteString(pointerEscaper.Replace(p))
	}
	return b.String()
}

// undeclaredFields lists the JSON pointers of object members that schema does not declare.
// Free-form schemas (no properties, or additionalProperties allowed explicitly) declare
// everything below them.
func (val *Validator) undeclaredFields(ref *openapi3.SchemaRef, v any, ptr string) []string {
	if ref == nil || ref.Value == nil {
		return nil
	}
	var out []string
	switch v := v.(type) {
	case map[string]any:
		d := val.declaredOf(ref.Value)
		if d.freeForm {
			return nil
		}
		for k, child := range v {
			p := ptr + "/" + pointerEscaper.Replace(k)
			if s, ok := d.props[k]; ok {
				out = append(out, val.undeclaredFields(s, child, p)...)
			} else {
				out = append(out, p)
			}
		}
	case []any:
		items := ref.Value.Items
		for _, b := range unionBranches(ref.Value) {
			if items == nil {
				items = b.Value.Items
			}
		}
		for i, child := range v {
			out = append(out, val.undeclaredFields(items, child, ptr+"/"+strconv.Itoa(i))...)
		}
	}
	return out
}

// declaredOf caches declaredProperties per schema: the spec is immutable once compiled.
func (val *Validator) declaredOf(s *openapi3.Schema) declaredSet {
	if d, ok := val.declared.Load(s); ok {
		return d.(declaredSet)
	}
	props, freeForm := declaredProperties(s)
	d := declaredSet{props, freeForm}
	val.declared.Store(s, d)
	return d
}

func declaredProperties(s *openapi3.Schema) (map[string]*openapi3.SchemaRef, bool) {
	props := map[string]*openapi3.SchemaRef{}
	freeForm := s.AdditionalProperties.Schema != nil || s.AdditionalProperties.Has != nil && *s.AdditionalProperties.Has
	for k, p := range s.Properties {
		props[k] = p
	}
	branches := unionBranches(s)
	for _, b := range branches {
		bp, ff := declaredProperties(b.Value)
		freeForm = freeForm || ff
		for k, p := range bp {
			if _, ok := props[k]; !ok {
				props[k] = p
			}
		}
	}
	if len(props) == 0 {
		freeForm = true
	}
	return props, freeForm
}

func unionBranches(s *openapi3.Schema) openapi3.SchemaRefs {
	var all openapi3.SchemaRefs
	all = append(all, s.AllOf...)
	all = append(all, s.AnyOf...)
	all = append(all, s.OneOf...)
	return all
}

// FromRequestResponse builds an Exchange from live traffic; it reads and restores both bodies.
func FromRequestResponse(req *http.Request, reqBody []byte, resp *http.Response) (Exchange, error) {
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return Exchange{}, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return Exchange{
		Method: req.Method, URL: req.URL.String(), RequestHeader: req.Header.Clone(), RequestBody: reqBody,
		Status: resp.StatusCode, ResponseHeader: resp.Header.Clone(), ResponseBody: body,
	}, nil
}

// Route finds the operation a request goes to, whatever its host, and its path parameters.
func (v *Validator) Route(method, rawURL string) (operationID string, pathParams map[string]string, err error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", nil, err
	}
	if !validMethod(method) {
		return "", nil, fmt.Errorf("%q is not an HTTP method", method)
	}
	route, params, err := v.findRoute(method, u)
	if err != nil {
		return "", nil, err
	}
	return route.Operation.OperationID, params, nil
}
