package partnercenter

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/google/uuid"

	"github.com/partnercenter-go/partnercenter/internal/retryafter"
)

// The pipeline, outermost first (azcore.NewPipeline builds it):
//
//	per call:  Partner Center headers (ids chosen once per call) and the total-time bound
//	retry:     azcore's retry policy with shouldRetry below
//	per retry: one retry of a 401 with a fresh token, then the bearer-token policy, the
//	           caller's policies, the in-memory request body and hideFromLogPolicy
//	then azcore's logging (Authorization redacted) and body download, then responseGuard
//	(redirects refused, the body read through its bound, credentials hidden from the log)
//	over the Transport, an *http.Client that never follows redirects.
//
// The ids are set before the retry policy so that every attempt of a call carries the same
// MS-RequestId: that is what makes a retried POST .../activate idempotent.

const (
	headerRequestID      = "MS-RequestId"
	headerCorrelationID  = "MS-CorrelationId"
	headerLocale         = "X-Locale"
	headerApplication    = "MS-PartnerCenter-Application"
	headerRetryAfter     = "Retry-After"
	contentTypeJSON      = "application/json"
	activateBodyLiteral  = "null"
	utf8ByteOrderMark    = "\xef\xbb\xbf"
	maxRawErrorBodyBytes = 64 << 10
)

// retryStatusCodes are retried; 400, 401 (see retryUnauthorizedOncePolicy), 403, 404 and 409
// never are (partner-center-facts.md, Errors).
var retryStatusCodes = []int{
	http.StatusRequestTimeout,
	http.StatusTooManyRequests,
	http.StatusInternalServerError,
	http.StatusBadGateway,
	http.StatusServiceUnavailable,
	http.StatusGatewayTimeout,
}

type ctxKey int

const (
	requestIDKey ctxKey = iota
	correlationIDKey
	exchangeKey
	logStashKey
)

// WithRequestID makes the calls made with ctx send id as MS-RequestId instead of a new GUID.
// Reuse an id only to repeat the same call (for example after a crash, to learn the outcome
// of an activation without activating twice); the service answers a repeated id with the
// first call's response.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey, id)
}

// WithCorrelationID makes the calls made with ctx send id as MS-CorrelationId, to tie them
// together in logs and traces.
func WithCorrelationID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, correlationIDKey, id)
}

func idFrom(ctx context.Context, key ctxKey) string {
	id, _ := ctx.Value(key).(string)
	return id
}

// callPolicy runs once per call, before the retry policy: it sets the Partner Center headers
// (so every attempt carries the same ids) and bounds the whole call, attempts and waits, by
// total. One policy rather than two: azcore copies the request for every policy it passes.
func callPolicy(application, locale string, total time.Duration) policy.Policy {
	return policyFunc(func(req *policy.Request) (*http.Response, error) {
		ctx := req.Raw().Context()
		h := req.Raw().Header
		h.Set(headerRequestID, orNewGUID(idFrom(ctx, requestIDKey)))
		h.Set(headerCorrelationID, orNewGUID(idFrom(ctx, correlationIDKey)))
		h.Set("Accept", contentTypeJSON)
		if locale != "" {
			h.Set(headerLocale, locale)
		}
		if application != "" {
			h.Set(headerApplication, application)
		}
		// A context deadline that comes sooner wins; then no timer is needed.
		if deadline, ok := ctx.Deadline(); total < 0 || ok && time.Until(deadline) <= total {
			return req.Next()
		}
		ctx, cancel := context.WithTimeout(ctx, total)
		defer cancel() // safe: the body-download policy has read the body by now
		return req.WithContext(ctx).Next()
	})
}

func orNewGUID(id string) string {
	if id != "" {
		return id
	}
	return uuid.NewString()
}

// retryUnauthorizedOncePolicy sends an attempt again after a 401, once. It sits outside the
// bearer-token policy, which forgets its cached token on a 401, so the second try carries a
// freshly fetched one. A second 401 is returned (and becomes an *Error).
type retryUnauthorizedOncePolicy struct{}

func (retryUnauthorizedOncePolicy) Do(req *policy.Request) (*http.Response, error) {
	resp, err := req.Next()
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		return resp, err
	}
	if err := req.RewindBody(); err != nil {
		return resp, nil
	}
	runtime.Drain(resp)
	return req.Next()
}

// shouldRetry retries connection errors and the given statuses, but not a Retry-After that
// the context's deadline would cut short: the caller then gets the 429 with its RetryAfter at
// once instead of a deadline error after a useless wait.
func shouldRetry(statusCodes []int) func(*http.Response, error) bool {
	return func(resp *http.Response, err error) bool {
		if err != nil {
			return !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
		}
		if !slices.Contains(statusCodes, resp.StatusCode) {
			return false
		}
		wait := parseRetryAfter(resp.Header.Get(headerRetryAfter), time.Now())
		if deadline, ok := resp.Request.Context().Deadline(); ok && wait > 0 && time.Until(deadline) < wait {
			return false
		}
		return true
	}
}

// parseRetryAfter is retryafter.Parse without the validity flag: 0 when absent or invalid.
func parseRetryAfter(v string, now time.Time) time.Duration {
	d, _ := retryafter.Parse(v, now)
	return d
}

// inMemoryBodyPolicy hands net/http the request body as a *bytes.Reader. azcore wraps bodies
// in its own ReadSeekCloser, which net/http does not recognise as in memory; it then flushes
// the headers in a write of their own before the body: a second syscall and a second wake-up
// of the server per attempt. (A hand-written loopback POST took 60 µs that way instead of
// 38 µs; for this client, BenchmarkActivateFacadeOverHandwritten went from ~1.45 to ~1.37.)
// It runs last among the per-retry policies, after azcore's retry policy has rewound the body
// for this attempt; the retry policy's rewind restores azcore's body for the next one.
type inMemoryBodyPolicy struct{}

// maxInMemoryBodyBytes bounds the copy: above it, the extra flush no longer matters.
const maxInMemoryBodyBytes = 1 << 20

func (inMemoryBodyPolicy) Do(req *policy.Request) (*http.Response, error) {
	raw := req.Raw()
	if rs, ok := raw.Body.(io.ReadSeeker); ok && raw.ContentLength > 0 && raw.ContentLength <= maxInMemoryBodyBytes {
		b := make([]byte, raw.ContentLength)
		if _, err := io.ReadFull(rs, b); err != nil {
			return nil, err
		}
		if _, err := rs.Seek(0, io.SeekStart); err != nil {
			return nil, err
		}
		raw.Body = io.NopCloser(bytes.NewReader(b))
		// azcore's GetBody rewinds and returns its one shared reader. net/http calls GetBody
		// on a 3xx (before CheckRedirect refuses it) while its write loop may still be
		// sending the body: a data race on that reader. Each GetBody gets a reader of its own.
		raw.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	}
	return req.Next()
}

type policyFunc func(*policy.Request) (*http.Response, error)

func (f policyFunc) Do(req *policy.Request) (*http.Response, error) { return f(req) }

// exchange is what the pipeline answered for one call: the final response and its body
// (with a UTF-8 byte-order mark removed), kept so that errors can carry them. err is a failure
// that still came with a response (a body past the bound: then body is its first 64 KiB).
type exchange struct {
	resp *http.Response
	body []byte
	err  error
}

// pipelineDoer adapts an azcore pipeline to the generated client's HttpRequestDoer.
type pipelineDoer struct{ pl runtime.Pipeline }

func (d pipelineDoer) Do(r *http.Request) (*http.Response, error) {
	// NewRequestFromRequest keeps the generated request as is (URL, headers) and makes its
	// body rewindable for retries.
	req, err := runtime.NewRequestFromRequest(r)
	if err != nil {
		return nil, err
	}
	resp, err := d.pl.Do(req)
	if err != nil {
		var tooLarge *tooLargeError
		if ex, ok := r.Context().Value(exchangeKey).(*exchange); ok && errors.As(err, &tooLarge) {
			ex.resp, ex.body, ex.err = tooLarge.resp, tooLarge.prefix, tooLarge
		}
		return nil, err
	}
	body, err := runtime.Payload(resp)
	if err != nil {
		return nil, err
	}
	// Some proxies prefix JSON with a BOM, which encoding/json refuses.
	body = bytes.TrimPrefix(body, []byte(utf8ByteOrderMark))
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if ex, ok := r.Context().Value(exchangeKey).(*exchange); ok {
		ex.resp, ex.body = resp, body
		// call reads the answer from the exchange (decodeSuccess, newError). The generated
		// client gets the status alone: given the body, it would decode it once more into its
		// own models, whatever the status, only for call to drop the result (a 4 MiB body of
		// empty items made it allocate some 600 MB).
		return &http.Response{
			Status: resp.Status, StatusCode: resp.StatusCode, Proto: resp.Proto, ProtoMajor: resp.ProtoMajor, ProtoMinor: resp.ProtoMinor,
			Header: http.Header{}, Body: http.NoBody, Request: resp.Request,
		}, nil
	}
	return resp, nil
}
