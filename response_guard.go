package partnercenter

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/partnercenter-go/partnercenter/internal/redact"
	"github.com/partnercenter-go/partnercenter/internal/retryafter"
)

// responseGuard is the innermost sender, under azcore's logging and body download. For every
// attempt it:
//
//   - refuses an answer to a request it did not send: a Transporter that followed a redirect
//     itself (an *http.Client never does: senderWithoutRedirects);
//   - reads the whole body, through the bound: azcore's body download and body logging then
//     only see what fits, and a body past the bound is a tooLargeError that keeps its first
//     64 KiB. A cut or reset body is returned as a transport error, which the retry policy
//     retries like a connection error. (azcore's own body download marks that error
//     non-retriable for a POST; but the activate POST is made idempotent by its MS-RequestId,
//     the same on every attempt, and the GETs are idempotent anyway);
//   - rewrites Retry-After as delta-seconds read by the one parser (internal/retryafter), and
//     drops the Retry-After-Ms variants azcore would prefer: azcore's retry policy reads the
//     header with a parser of its own, which overflows ("9223372037" seconds becomes a
//     negative wait, so a throttled call is retried at once) and ignores the obsolete date
//     forms. Its wait, the client's retry decision and Error.RetryAfter then agree;
//   - hides from azcore's logging what may echo a credential: the headers that carry one by
//     their name, the credentials inside any other header (a challenge keeps its realm and
//     error: redact.Header), and, when body logging is on, the credentials inside bodies. hideFromLogPolicy, above the logging, puts the
//     originals back for the bearer-token policy (CAE challenges) and the caller.
type responseGuard struct {
	next      policy.Transporter
	maxBody   int64
	logBodies bool
}

func (g responseGuard) Do(req *http.Request) (*http.Response, error) {
	resp, err := g.next.Do(req)
	if err != nil {
		return resp, err
	}
	if r := resp.Request; r != nil && r != req && r.URL != nil && req.URL != nil &&
		(r.Method != req.Method || r.URL.Scheme != req.URL.Scheme || r.URL.Host != req.URL.Host || r.URL.EscapedPath() != req.URL.EscapedPath()) {
		closeBody(resp)
		return nil, &redirectError{target: r.URL.Scheme + "://" + r.URL.Host}
	}
	var body []byte
	if resp.Body != nil {
		var tooLarge bool
		body, tooLarge, err = readBounded(resp.Body, resp.ContentLength, g.maxBody)
		closeBody(resp)
		if tooLarge {
			resp.Body = io.NopCloser(bytes.NewReader(body))
			return nil, &tooLargeError{limit: g.maxBody, resp: resp, prefix: body}
		}
		if err != nil {
			return nil, fmt.Errorf("partnercenter: reading the body of a %d response: %w", resp.StatusCode, err)
		}
	}
	resp.ContentLength = int64(len(body))
	resp.Body = io.NopCloser(bytes.NewReader(body))
	normalizeRetryAfter(resp.Header, time.Now())
	if stash, _ := req.Context().Value(logStashKey).(*logStash); stash != nil {
		stash.hide(resp, body, g.logBodies)
	}
	return resp, nil
}

// normalizeRetryAfter: see responseGuard. An invalid Retry-After is left as it is: it means no
// wait to azcore and to the one parser alike.
func normalizeRetryAfter(h http.Header, now time.Time) {
	h.Del("Retry-After-Ms")
	h.Del("X-Ms-Retry-After-Ms")
	v := h.Get(headerRetryAfter)
	if v == "" {
		return
	}
	if wait, ok := retryafter.Parse(v, now); ok {
		secs := (wait + time.Second - 1) / time.Second // rounded up: never retry early
		h.Set(headerRetryAfter, strconv.FormatInt(int64(secs), 10))
	}
}

func closeBody(resp *http.Response) {
	if resp.Body != nil {
		resp.Body.Close()
	}
}

// readBounded reads r to its end if that is at most max bytes. Past them it stops and reports
// tooLarge with the body's first maxRawErrorBodyBytes; a Content-Length past the bound is
// refused after reading only those.
func readBounded(r io.Reader, contentLength, max int64) (body []byte, tooLarge bool, err error) {
	if contentLength > max {
		prefix, _ := io.ReadAll(io.LimitReader(r, maxRawErrorBodyBytes))
		return prefix, true, nil
	}
	size := int64(512)
	if contentLength >= 0 {
		size = contentLength + 1 // room to see io.EOF without growing
	}
	b := make([]byte, 0, size)
	lr := io.LimitReader(r, max+1)
	for {
		n, err := lr.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if int64(len(b)) > max {
			return bytes.Clone(b[:min(len(b), maxRawErrorBodyBytes)]), true, nil
		}
		if err == io.EOF {
			return b, false, nil
		}
		if err != nil {
			return nil, false, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // let append choose the growth
		}
	}
}

// hiddenHeaders are the response headers that carry a credential by their name: the log shows
// them as REDACTED. Every other header azcore prints (the ids, Content-Type, Retry-After,
// WWW-Authenticate...) is shown with its credentials masked, as redact.Header judges them.
var hiddenHeaders = func() map[string]bool {
	m := map[string]bool{}
	for _, h := range redact.SensitiveHeaders() {
		m[h] = true
	}
	return m
}()

// redactedHeader is what the log shows instead, azcore's own marker.
const redactedHeader = "REDACTED"

// logStash keeps, for one attempt, what responseGuard hid from the logging.
type logStash struct {
	headers http.Header
	body    []byte
}

func (s *logStash) hide(resp *http.Response, body []byte, bodies bool) {
	for name, values := range resp.Header {
		var shown []string // nil: shown as they are
		if hiddenHeaders[name] {
			shown = []string{redactedHeader}
		} else {
			for i, v := range values {
				if masked := redact.Header(name, v); masked != v {
					if shown == nil {
						shown = slices.Clone(values)
					}
					shown[i] = masked
				}
			}
		}
		if shown != nil {
			if s.headers == nil {
				s.headers = http.Header{}
			}
			s.headers[name] = values
			resp.Header[name] = shown
		}
	}
	if !bodies || len(body) == 0 {
		return
	}
	if shown := redact.String(string(body)); shown != string(body) {
		s.body = body
		resp.Body = io.NopCloser(strings.NewReader(shown))
		resp.ContentLength = int64(len(shown))
	}
}

func (s *logStash) restore(resp *http.Response) {
	for h, v := range s.headers {
		resp.Header[h] = v
	}
	if s.body != nil {
		resp.Body = io.NopCloser(bytes.NewReader(s.body))
		resp.ContentLength = int64(len(s.body))
	}
}

// hideFromLogPolicy is the last per-retry policy, just above azcore's logging: it gives each
// attempt a logStash and puts back, once the attempt is logged, what responseGuard hid.
type hideFromLogPolicy struct{}

func (hideFromLogPolicy) Do(req *policy.Request) (*http.Response, error) {
	stash := &logStash{}
	resp, err := req.WithContext(context.WithValue(req.Raw().Context(), logStashKey, stash)).Next()
	if resp != nil {
		stash.restore(resp)
	}
	return resp, err
}
