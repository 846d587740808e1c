package htmlreport

import (
	"net/http"
	"sort"
	"strconv"

	"github.com/partnercenter-go/partnercenter/contract"
	"github.com/partnercenter-go/partnercenter/internal/redact"
)

// BodyExcerpt is how many bytes of a body an exchange shows; the rest is counted.
const BodyExcerpt = 2 << 10

// Exchange is an exchange as the report shows it: a request line, headers and the head of
// each body, already redacted.
type Exchange struct {
	Method, URL    string
	RequestHeader  []Header
	RequestBody    string
	Status         int
	ResponseHeader []Header
	ResponseBody   string
}

// Header is one header line.
type Header struct{ Name, Value string }

// ExchangeOf is ex as the report shows it: the value of every header that carries or may
// echo a credential replaced by redact.Mask, any credential inside another value, the URL or
// a body masked, and each body cut to BodyExcerpt bytes. It copies what it keeps, so the
// report does not hold the recording's bodies.
func ExchangeOf(ex contract.Exchange) *Exchange {
	out := &Exchange{
		Method:         ex.Method,
		URL:            redact.Bounded(ex.URL, BodyExcerpt),
		RequestHeader:  headersOf(ex.RequestHeader),
		RequestBody:    redact.Bounded(string(ex.RequestBody), BodyExcerpt),
		Status:         ex.Status,
		ResponseHeader: headersOf(ex.ResponseHeader),
		ResponseBody:   redact.Bounded(string(ex.ResponseBody), BodyExcerpt),
	}
	return out.tokenExchangeHidden()
}

// tokenExchangeBody stands for a body of a token exchange: every field of one may be a
// credential (an authorization code, a code verifier), which free-text masking does not know.
const tokenExchangeBody = redact.Mask + " (a token exchange: its body is not shown)"

// tokenExchangeHidden hides both bodies of an exchange with a token endpoint, as the
// recorder drops such exchanges altogether.
func (e *Exchange) tokenExchangeHidden() *Exchange {
	if redact.TokenEndpoint(e.URL) {
		if e.RequestBody != "" {
			e.RequestBody = tokenExchangeBody
		}
		if e.ResponseBody != "" {
			e.ResponseBody = tokenExchangeBody
		}
	}
	return e
}

func headersOf(h http.Header) []Header {
	names := make([]string, 0, len(h))
	for name := range h {
		names = append(names, name)
	}
	sort.Strings(names)
	var out []Header
	for _, name := range names {
		for _, v := range h[name] {
			out = append(out, Header{Name: name, Value: headerValue(name, v)})
		}
	}
	return out
}

// headerValue is the one place the report decides what a header may show: internal/redact's
// sensitive headers never show a value, other values are masked where they hold a credential.
func headerValue(name, v string) string {
	if redact.SensitiveHeader(name) {
		return redact.Mask
	}
	return redact.Bounded(v, BodyExcerpt)
}

// redacted is e with every value masked again (not cut again), so that a model an adapter
// filled without ExchangeOf (the probe's) holds no credential either.
func (e *Exchange) redacted() *Exchange {
	if e == nil {
		return nil
	}
	out := *e
	out.URL = redact.String(e.URL)
	out.RequestBody = redact.String(e.RequestBody)
	out.ResponseBody = redact.String(e.ResponseBody)
	out.RequestHeader = redactHeaders(e.RequestHeader)
	out.ResponseHeader = redactHeaders(e.ResponseHeader)
	return out.tokenExchangeHidden()
}

func redactHeaders(hs []Header) []Header {
	out := make([]Header, len(hs))
	for i, h := range hs {
		v := redact.String(h.Value)
		if redact.SensitiveHeader(h.Name) {
			v = redact.Mask
		}
		out[i] = Header{Name: h.Name, Value: v}
	}
	return out
}

// RequestLine is "POST https://.../activate".
func (e *Exchange) RequestLine() string { return e.Method + " " + e.URL }

// StatusLine is "200 OK".
func (e *Exchange) StatusLine() string {
	if e.Status == 0 {
		return "(no response)"
	}
	return strconv.Itoa(e.Status) + " " + http.StatusText(e.Status)
}
