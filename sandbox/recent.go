package sandbox

import "time"

// recent is a bounded memory of keyed values, for the idempotency store and the attempt
// counters: a long-running `sandbox serve` must not grow without end. It keeps two
// generations; the current one becomes the previous one (and the previous one is dropped)
// when it is older than keep or holds max entries. So a value is remembered for at least
// keep, unless max newer keys came since, and at most 2*max values are held.
//
// It is not safe for concurrent use; apiHandler guards it with its mutex.
type recent[V any] struct {
	keep      time.Duration
	max       int
	started   time.Time
	cur, prev map[string]V
}

func newRecent[V any](keep time.Duration, max int) *recent[V] {
	return &recent[V]{keep: keep, max: max, cur: map[string]V{}, prev: map[string]V{}}
}

func (r *recent[V]) get(key string) (V, bool) {
	if v, ok := r.cur[key]; ok {
		return v, true
	}
	v, ok := r.prev[key]
	return v, ok
}

func (r *recent[V]) put(key string, v V, now time.Time) {
	if r.started.IsZero() {
		r.started = now
	}
	if _, ok := r.cur[key]; !ok && (len(r.cur) >= r.max || now.Sub(r.started) >= r.keep) {
		r.prev, r.cur, r.started = r.cur, make(map[string]V, len(r.cur)), now
	}
	r.cur[key] = v
	delete(r.prev, key) // one copy only, and the newest
}

func (r *recent[V]) len() int { return len(r.cur) + len(r.prev) }
