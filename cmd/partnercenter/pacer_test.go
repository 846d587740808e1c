package main

import (
	"context"
	"net/http"
	"testing"
	"time"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func TestPacerLearnsTheLimitFromA429(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	p := newPacer(0, 0, nil)
	p.now = clock.now
	for range 200 {
		if err := p.wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		p.observe(200, "")
		clock.t = clock.t.Add(time.Millisecond)
	}
	if p.rateNow() != 0 {
		t.Fatalf("the pacer limited before any 429: %v", p.rateNow())
	}
	p.observe(http.StatusTooManyRequests, "1")
	if r := p.rateNow(); r < 190 || r > 200 {
		t.Fatalf("after 200 admitted in a second and a 429, rate %v; want just under 200", r)
	}
	if !p.pausedUntil.Equal(clock.t.Add(time.Second)) {
		t.Fatalf("paused until %v, want Retry-After from now", p.pausedUntil)
	}
	// Every worker now waits for the pause: the next slot is at its end.
	p.mu.Lock()
	next := p.next
	p.mu.Unlock()
	if next.Before(p.pausedUntil) {
		t.Fatal("the next slot is inside the pause")
	}
}

func TestPacerRecovers(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	p := newPacer(100, 0, nil)
	p.now = clock.now
	p.lastRaise = clock.t
	for range 5 {
		clock.t = clock.t.Add(time.Second)
		p.observe(200, "")
	}
	if r := p.rateNow(); r < 127 || r > 128 {
		t.Fatalf("rate after 5 quiet seconds %v, want 100 * 1.05^5", r)
	}
}

func TestPacerWaitHonoursTheContext(t *testing.T) {
	p := newPacer(0, 0, nil)
	p.pausedUntil = time.Now().Add(time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if err := p.wait(ctx); err == nil {
		t.Fatal("wait outlived its context")
	}
}

// A stray 429 (random, not the limit) halves the pace at most; more 429s of the same burst
// (inside the pause) do not lower it again.
func TestPacerStray429DoesNotCollapseThePace(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	p := newPacer(200, 0, nil)
	p.now = clock.now
	p.lastRaise = clock.t // no quiet second has passed: no raise
	p.observe(200, "")
	p.observe(http.StatusTooManyRequests, "1")
	if r := p.rateNow(); r != 100 {
		t.Fatalf("rate %v after a 429 with 1 admitted in the last second, want half of 200", r)
	}
	for range 10 {
		p.observe(http.StatusTooManyRequests, "1")
	}
	if r := p.rateNow(); r != 100 {
		t.Fatalf("the 429s of one burst lowered the pace again: %v", r)
	}
}

// A first answer that is a 429 (no history) pauses for its Retry-After and leaves the pace
// unlimited, not 1/s; with --rate, the pace starts from it. The control: with history, the
// same 429 sets a limit.
func TestPacerFirst429WithoutHistory(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	p := newPacer(0, 0, nil)
	p.now = clock.now
	p.observe(http.StatusTooManyRequests, "2")
	if r := p.rateNow(); r != 0 {
		t.Fatalf("a first 429 set the pace to %v/s", r)
	}
	if !p.pausedUntil.Equal(clock.t.Add(2 * time.Second)) {
		t.Fatalf("paused until %v, want Retry-After from now", p.pausedUntil)
	}
	configured := newPacer(50, 0, nil)
	configured.now = clock.now
	configured.observe(http.StatusTooManyRequests, "1")
	if r := configured.rateNow(); r < 25 {
		t.Fatalf("with --rate 50, a first 429 left a pace of %v/s", r)
	}
	clock.t = clock.t.Add(3 * time.Second)
	for range 40 {
		p.observe(200, "")
	}
	p.observe(http.StatusTooManyRequests, "1")
	if r := p.rateNow(); r < 38 || r > 40 {
		t.Fatalf("control: after 40 admitted, a 429 set the pace to %v, want just under 40", r)
	}
}

// A Retry-After beyond the cap stops the batch once, naming the wait, and does not pause
// the pacer for it; every later attempt is refused. The control: a Retry-After within the cap
// pauses.
func TestPacerCapsThePause(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	var calls []time.Duration
	p := newPacer(0, time.Minute, func(wait time.Duration, header string) {
		calls = append(calls, wait)
		if header != "86400" {
			t.Errorf("header %q", header)
		}
	})
	p.now = clock.now
	p.observe(http.StatusTooManyRequests, "60")
	if len(calls) != 0 || !p.pausedUntil.Equal(clock.t.Add(time.Minute)) {
		t.Fatalf("control: a Retry-After of the cap must pause (calls %v, paused until %v)", calls, p.pausedUntil)
	}
	p.observe(http.StatusTooManyRequests, "86400")
	p.observe(http.StatusTooManyRequests, "86400")
	if len(calls) != 1 || calls[0] != 24*time.Hour {
		t.Fatalf("tooLong calls %v, want one of 24h", calls)
	}
	if p.pausedUntil.After(clock.t.Add(time.Minute)) {
		t.Fatalf("the pacer paused until %v for a wait beyond its cap", p.pausedUntil)
	}
	if err := p.wait(context.Background()); err != errPacerStopped {
		t.Fatalf("an attempt after the stop: %v", err)
	}
}
