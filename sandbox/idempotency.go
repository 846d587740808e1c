package sandbox

import (
	"net/http"
	"strings"
	"sync"
	"time"
)

// idempotency is the MS-RequestId store: per (tenant, request id) one effect and one stored
// answer, and every replay of it identical, however many requests with that id arrive at once.
//
// The first request of an id claims it and runs; requests of the same id that arrive while it
// runs wait for its answer instead of running too (two concurrent runs would both see a
// pending subscription, or one would answer 400 800041 and overwrite the stored 200).
//
// A request id belongs to the request that claimed it: the same id on another method or path
// (another subscription, a GET instead of the POST) is refused with 400 code 800002 (invalid
// request input), see reuseRefused. Replaying the first call's answer there would tell the
// caller that the second subscription was activated when nothing happened to it.
//
// Entries live in the bounded store (see recent): a request still running when IdempotencyRecords
// newer ids push its entry out keeps its own reference and finishes; only a later request with
// its id is then treated as new, as for any id the store forgot.
type idempotency struct {
	mu      sync.Mutex
	entries *recent[*idempotencyEntry] // tenant/request id -> its owner's answer
}

type idempotencyEntry struct {
	request string        // the owner's method and path (see requestFingerprint)
	done    chan struct{} // closed once answer is set
	answer  storedResponse
}

// storedResponse is an answer kept for MS-RequestId idempotency.
type storedResponse struct {
	status int
	header http.Header
	body   []byte
}

func newIdempotency(window time.Duration, records int) *idempotency {
	return &idempotency{entries: newRecent[*idempotencyEntry](window, records)}
}

// claimOutcome says what a request with a caller's MS-RequestId does.
type claimOutcome int

const (
	claimRun    claimOutcome = iota // the first of its id: run it, then finish(answer)
	claimReplay                     // the id's owner ran or runs: wait for entry.done, replay
	claimReused                     // the id belongs to another request: refuse
)

// claim registers request under key, or finds the entry that owns key.
func (s *idempotency) claim(key, request string) (*idempotencyEntry, claimOutcome) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.entries.get(key); ok {
		if e.request != request {
			return e, claimReused
		}
		return e, claimReplay
	}
	e := &idempotencyEntry{request: request, done: make(chan struct{})}
	s.entries.put(key, e, time.Now())
	return e, claimRun
}

// finish stores the owner's answer and releases the requests waiting for it.
func (e *idempotencyEntry) finish(answer storedResponse) {
	e.answer = answer
	close(e.done)
}

// len is how many answers the store holds (running requests included).
func (s *idempotency) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.entries.len()
}

// countByRequest counts the stored answers of each request (method and path).
func (s *idempotency) countByRequest() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int{}
	for _, gen := range []map[string]*idempotencyEntry{s.entries.cur, s.entries.prev} {
		for _, e := range gen {
			out[e.request]++
		}
	}
	return out
}

// requestFingerprint is what an MS-RequestId is bound to: the method and the path, ids
// lowercased (Partner Center's ids are case-insensitive). The body is left out: the only body
// of the API is the activate call's optional `null`, which some SDKs send and others omit.
func requestFingerprint(method, path string) string {
	return method + " " + strings.ToLower(path)
}

// reuseRefused is the answer to an MS-RequestId reused on another request. Partner Center
// documents no answer for this case. 400 code 800002 (invalid request input) is the documented
// answer every operation of openapi.yaml declares that fits: the request is refused before it
// takes any effect, as for any invalid input, and a client does not retry a 400. (The IETF
// Idempotency-Key draft answers 422 for a key reused with another request; openapi.yaml
// documents no 422, and the sandbox answers only what the spec declares.)
func reuseRefused(w http.ResponseWriter, requestID, owner string) {
	writeError(w, http.StatusBadRequest, codeInvalidInput,
		"Invalid request input: MS-RequestId "+requestID+" was already used for another request ("+owner+
			"); use a new MS-RequestId for each call, and repeat one only to retry the same call.")
}
