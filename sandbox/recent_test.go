package sandbox

import (
	"strconv"
	"testing"
	"time"
)

func TestRecentKeepsAtLeastTheWindow(t *testing.T) {
	t0 := time.Unix(1_800_000_000, 0)
	r := newRecent[int](time.Hour, 1000)
	r.put("a", 1, t0)
	r.put("b", 2, t0.Add(59*time.Minute))
	r.put("c", 3, t0.Add(61*time.Minute)) // rotates: a and b move to the previous generation
	if v, ok := r.get("a"); !ok || v != 1 {
		t.Fatal("a value was forgotten one rotation after it was put")
	}
	r.put("d", 4, t0.Add(122*time.Minute)) // rotates again: a and b are dropped
	if _, ok := r.get("a"); ok {
		t.Fatal("a value outlived two windows")
	}
	if _, ok := r.get("c"); !ok {
		t.Fatal("c, put 61 minutes ago, was forgotten within the window")
	}
}

func TestRecentHoldsAtMostTwiceMax(t *testing.T) {
	t0 := time.Unix(1_800_000_000, 0)
	r := newRecent[int](24*time.Hour, 100)
	for i := range 10_000 {
		r.put(strconv.Itoa(i), i, t0)
		if r.len() > 200 {
			t.Fatalf("%d values held after %d puts, want at most 200", r.len(), i+1)
		}
	}
	// The newest 100 are always there; the oldest are gone.
	for i := 9_900; i < 10_000; i++ {
		if v, ok := r.get(strconv.Itoa(i)); !ok || v != i {
			t.Fatalf("recent value %d was forgotten", i)
		}
	}
	if _, ok := r.get("0"); ok {
		t.Fatal("the first value is still held")
	}
}

func TestRecentUpdatesKeepOneCopy(t *testing.T) {
	t0 := time.Unix(1_800_000_000, 0)
	r := newRecent[int](time.Hour, 2)
	r.put("a", 1, t0)
	r.put("b", 1, t0)
	r.put("a", 2, t0) // a exists in the current generation: updated in place, no rotation
	r.put("c", 1, t0) // rotates: a, b become previous
	r.put("a", 3, t0) // a moves from previous to current
	if v, _ := r.get("a"); v != 3 || r.len() != 3 {
		t.Fatalf("a = %d with %d values held, want 3 and 3", v, r.len())
	}
}

// Expired access tokens are dropped once a lifetime has passed, so a long-running sandbox
// does not grow; a live token is kept, and a recently expired one still reads as expired.
func TestIssuedTokensAreSwept(t *testing.T) {
	seed := DefaultSeed()
	tenant := seed.Partners[0].TenantID
	expired := newTokens(seed, time.Nanosecond, func() string { return "https://sbx" })
	for range 10_000 {
		expired.issue(tenant, partnerCenterAudiences[0], "")
	}
	if n := len(expired.access); n > 2*minSweep {
		t.Fatalf("%d expired tokens held, want at most %d", n, 2*minSweep)
	}

	live := newTokens(seed, time.Hour, func() string { return "https://sbx" })
	first := live.issue(tenant, partnerCenterAudiences[0], "")["access_token"].(string)
	for range 3 * minSweep {
		live.issue(tenant, partnerCenterAudiences[0], "")
	}
	if got, _, _ := live.authenticate("Bearer " + first); got != tenant {
		t.Fatal("a live token was swept")
	}
	if n := len(live.access); n != 3*minSweep+1 {
		t.Fatalf("%d live tokens held, want all %d", n, 3*minSweep+1)
	}

	short := newTokens(seed, time.Hour, func() string { return "https://sbx" })
	tok := short.issue(tenant, partnerCenterAudiences[0], "")["access_token"].(string)
	short.access[tok] = issuedToken{tenant: tenant, audience: partnerCenterAudiences[0], expires: time.Now().Add(-time.Minute)}
	short.nextSweep = 0 // the next issue sweeps
	short.issue(tenant, partnerCenterAudiences[0], "")
	if _, _, description := short.authenticate("Bearer " + tok); description != "The request was not authenticated: the token has expired." {
		t.Fatalf("a token expired a minute ago reads %q", description)
	}
}
