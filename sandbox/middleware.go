package sandbox

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/partnercenter-go/partnercenter/contract"
	gen "github.com/partnercenter-go/partnercenter/generated"
	"github.com/partnercenter-go/partnercenter/internal/guid"
)

// Faults make the sandbox misbehave on purpose, deterministically under Seed: whether an
// attempt is faulted depends only on (Seed, tenant, MS-RequestId, attempt number), not on the
// order in which concurrent requests arrive.
type Faults struct {
	Seed uint64
	// RateLimit is the number of requests per second each partner tenant may make (0: no
	// limit), as a token bucket that holds a second's worth: a burst of RateLimit, then
	// RateLimit a second. Excess requests get the gateway's 429 body and a Retry-After header.
	RateLimit int
	// ThrottleRate, Error500Rate and Error503Rate are the shares of attempts answered 429,
	// 500 and 503 before anything takes effect.
	ThrottleRate, Error500Rate, Error503Rate float64
	// ResetAfterEffectRate is the share of attempts whose effect is applied (and its answer
	// stored for MS-RequestId idempotency) before the connection is reset with no answer.
	ResetAfterEffectRate float64
	// Latency is added to every API request.
	Latency time.Duration
	// RetryAfter is the Retry-After of injected 429s (default 1s; whole seconds on the wire).
	RetryAfter time.Duration
}

// Stats counts what the sandbox did.
type Stats struct {
	Requests     int64 `json:"requests"`
	Throttled    int64 `json:"throttled"`
	Errors500    int64 `json:"errors500"`
	Errors503    int64 `json:"errors503"`
	Resets       int64 `json:"resets"`       // connections reset after the effect
	Replayed     int64 `json:"replayed"`     // answers replayed from the idempotency store
	Invalid      int64 `json:"invalid"`      // requests refused by the spec's validation
	Unauthorized int64 `json:"unauthorized"` // requests refused with 401
	// Reused counts requests refused because their MS-RequestId belonged to another request.
	Reused int64 `json:"reused"`
	// Stored is how many answers the idempotency store holds now (see Options.IdempotencyRecords).
	Stored int64 `json:"stored"`
}

type stats struct {
	requests, throttled, errors500, errors503, resets, replayed, invalid, unauthorized, reused atomic.Int64
}

type apiHandler struct {
	next      http.Handler // the generated strict handler over api
	tokens    *tokens
	validator *contract.Validator
	faults    Faults
	stats     *stats
	idem      *idempotency
	scenarios *scenarios

	mu       sync.Mutex
	attempts *recent[int]       // tenant/request id -> attempts seen
	buckets  map[string]*bucket // tenant -> its rate-limit bucket (seeded tenants only)
}

type bucket struct {
	tokens float64
	last   time.Time
}

// ServeHTTP runs an API request through the gateway's steps: authentication, the rate limit,
// validation against the spec, injected faults, then MS-RequestId idempotency around the
// generated handler. Nothing of a request is remembered before it passed validation: a
// refused request (a 900 KiB MS-RequestId, say) must not cost the sandbox memory.
func (h *apiHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.stats.requests.Add(1)
	if h.faults.Latency > 0 {
		select {
		case <-time.After(h.faults.Latency):
		case <-r.Context().Done():
			return
		}
	}
	// The echoed ids are the caller's only when they are GUIDs: anything else is refused
	// below, and is not worth echoing.
	requestID := r.Header.Get("MS-RequestId")
	callerID := requestID != ""
	echoedID := requestID
	if !guid.Valid(requestID) {
		echoedID = uuid.NewString() // as the service does: no idempotency without the caller's id
	}
	correlationID := r.Header.Get("MS-CorrelationId")
	if !guid.Valid(correlationID) {
		correlationID = uuid.NewString()
	}
	w.Header().Set("MS-RequestId", echoedID)
	w.Header().Set("MS-CorrelationId", correlationID)

	tenant, code, description := h.tokens.authenticate(r.Header.Get("Authorization"))
	if tenant == "" {
		h.stats.unauthorized.Add(1)
		writeError(w, http.StatusUnauthorized, code, description)
		return
	}
	if wait, limited := h.rateLimited(tenant); limited {
		h.stats.throttled.Add(1)
		writeThrottled(w, wait)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return
	}
	if opID, findings := h.validator.ValidateRequest(r.Method, r.URL.String(), r.Header, body); opID == "" {
		h.unrouted(w, r)
		return
	} else if len(findings) > 0 {
		h.stats.invalid.Add(1)
		reasons := make([]string, 0, len(findings))
		for _, f := range findings {
			reasons = append(reasons, f.Pointer+": "+f.Reason)
		}
		writeError(w, http.StatusBadRequest, codeInvalidInput, "Invalid request input: "+strings.Join(reasons, "; "))
		return
	}

	if h.scenarios.play(w, r) {
		return
	}

	key := tenant + "/" + strings.ToLower(requestID)
	attempt := 1
	if callerID {
		attempt = h.nextAttempt(key)
	}
	switch h.fault(key, attempt, 0) {
	case faultThrottle:
		h.stats.throttled.Add(1)
		writeThrottled(w, h.retryAfter())
		return
	case fault500:
		h.stats.errors500.Add(1)
		writeError(w, http.StatusInternalServerError, 800003, "Unexpected service error")
		return
	case fault503:
		h.stats.errors503.Add(1)
		writeError(w, http.StatusServiceUnavailable, 503, "The service is unavailable (injected by the sandbox).")
		return
	}

	r.Body = io.NopCloser(bytes.NewReader(body))
	r = r.WithContext(context.WithValue(r.Context(), tenantKey{}, tenant))
	if !callerID { // an id the sandbox made up can never come again: nothing to store
		h.run(w.Header(), r).write(w)
		return
	}
	request := requestFingerprint(r.Method, r.URL.Path)
	entry, outcome := h.idem.claim(key, request)
	switch outcome {
	case claimReused:
		h.stats.reused.Add(1)
		reuseRefused(w, requestID, entry.request)
		return
	case claimReplay:
		select {
		case <-entry.done:
		case <-r.Context().Done():
			return
		}
		h.stats.replayed.Add(1)
		entry.answer.write(w)
		return
	}
	answer := h.runOnce(entry, w.Header(), r)
	if h.fault(key, attempt, 1) == faultReset {
		h.stats.resets.Add(1)
		panic(http.ErrAbortHandler) // net/http closes the connection (HTTP/1) or resets the stream (HTTP/2)
	}
	answer.write(w)
}

// unrouted answers a request that routes to no operation of the spec, as ASP.NET routing
// (which serves Partner Center) does: 405 with Allow when the path has other methods (the spec
// documents 405 for every operation, error-codes page), 404 when the path is not the API's.
func (h *apiHandler) unrouted(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		if _, _, err := h.validator.Route(m, r.URL.String()); err == nil {
			allow = append(allow, m)
		}
	}
	h.stats.invalid.Add(1)
	if len(allow) == 0 {
		writeError(w, http.StatusNotFound, codeInvalidInput, "No HTTP resource was found that matches the request URI.")
		return
	}
	w.Header().Set("Allow", strings.Join(allow, ", "))
	writeError(w, http.StatusMethodNotAllowed, codeInvalidInput, "The requested resource does not support http method '"+r.Method+"'.")
}

// runOnce runs the request that owns an MS-RequestId and stores its answer; the requests
// waiting for it are released even if the handler panics.
func (h *apiHandler) runOnce(entry *idempotencyEntry, header http.Header, r *http.Request) (answer storedResponse) {
	answer = storedResponse{status: http.StatusInternalServerError, header: http.Header{}}
	defer func() { entry.finish(answer) }()
	return h.run(header, r)
}

// run serves r with the generated handler into a buffer, so that the answer can be stored,
// and withheld when a reset is injected.
func (h *apiHandler) run(header http.Header, r *http.Request) storedResponse {
	rec := &recorder{header: header.Clone()}
	h.next.ServeHTTP(rec, r)
	return storedResponse{status: rec.status, header: rec.header, body: rec.body.Bytes()}
}

func (s storedResponse) write(w http.ResponseWriter) {
	for k, v := range s.header {
		if k != "Ms-Correlationid" && k != "Ms-Requestid" && k != "Ms-Cv" {
			w.Header()[k] = v
		}
	}
	w.WriteHeader(s.status)
	w.Write(s.body)
}

func (h *apiHandler) nextAttempt(key string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n, _ := h.attempts.get(key)
	h.attempts.put(key, n+1, time.Now())
	return n + 1
}

func (h *apiHandler) rateLimited(tenant string) (time.Duration, bool) {
	limit := float64(h.faults.RateLimit)
	if limit <= 0 {
		return 0, false
	}
	now := time.Now()
	h.mu.Lock()
	defer h.mu.Unlock()
	b := h.buckets[tenant]
	if b == nil {
		b = &bucket{tokens: limit, last: now}
		h.buckets[tenant] = b
	}
	b.tokens = math.Min(limit, b.tokens+now.Sub(b.last).Seconds()*limit)
	b.last = now
	if b.tokens < 1 {
		return time.Duration((1 - b.tokens) / limit * float64(time.Second)), true
	}
	b.tokens--
	return 0, false
}

func (h *apiHandler) retryAfter() time.Duration {
	if h.faults.RetryAfter > 0 {
		return h.faults.RetryAfter
	}
	return time.Second
}

type faultKind int

const (
	noFault faultKind = iota
	faultThrottle
	fault500
	fault503
	faultReset
)

// fault decides deterministically, from a hash of (seed, key, attempt, stage), what happens
// to an attempt: stage 0 is before the effect, stage 1 after it.
func (h *apiHandler) fault(key string, attempt, stage int) faultKind {
	f := h.faults
	hash := fnv.New64a()
	var buf [24]byte
	binary.LittleEndian.PutUint64(buf[0:], f.Seed)
	binary.LittleEndian.PutUint64(buf[8:], uint64(attempt))
	binary.LittleEndian.PutUint64(buf[16:], uint64(stage))
	hash.Write(buf[:])
	hash.Write([]byte(key))
	x := float64(mix64(hash.Sum64())>>11) / (1 << 53) // uniform in [0, 1)
	if stage == 1 {
		if x < f.ResetAfterEffectRate {
			return faultReset
		}
		return noFault
	}
	switch {
	case x < f.ThrottleRate:
		return faultThrottle
	case x < f.ThrottleRate+f.Error500Rate:
		return fault500
	case x < f.ThrottleRate+f.Error500Rate+f.Error503Rate:
		return fault503
	}
	return noFault
}

// mix64 is splitmix64's finalizer. FNV-1a alone leaves its high bits nearly unchanged when
// keys differ only in their last characters (request ids often do), which made the fault
// rates wrong for such ids.
func mix64(z uint64) uint64 {
	z ^= z >> 30
	z *= 0xbf58476d1ce4e5b9
	z ^= z >> 27
	z *= 0x94d049bb133111eb
	return z ^ z>>31
}

func writeError(w http.ResponseWriter, status int, code int64, description string) {
	body, _ := json.Marshal(errorBody(code, description))
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(body)
}

// writeThrottled answers as the API gateway does (throttling-guidance page).
func writeThrottled(w http.ResponseWriter, wait time.Duration) {
	secs := int(math.Ceil(wait.Seconds()))
	if secs < 1 {
		secs = 1
	}
	body, _ := json.Marshal(gen.GatewayThrottle{StatusCode: 429, Message: fmt.Sprintf("Rate limit is exceeded. Try again in %d seconds.", secs)})
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	w.WriteHeader(http.StatusTooManyRequests)
	w.Write(body)
}

// recorder buffers the generated handler's answer so that it can be stored, and withheld
// when a reset is injected.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}
