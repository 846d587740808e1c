package main

import (
	"context"
	"math"
	"net/http"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/partnercenter-go/partnercenter/internal/retryafter"
)

// pacer is the one pace that every worker of a batch shares. It runs as a per-retry policy of
// the client, so it spaces every attempt, retries included:
//   - until the first 429 it does not limit (the limit is unknown);
//   - a 429 pauses every worker until its Retry-After, and sets the rate just under what the
//     service admitted in the last second (the tenant's limit, as the service shows it), but
//     never below half the pace it had: a stray 429 must not collapse the pace. The 429s of
//     one burst (the workers' requests in flight) adjust it once;
//   - each second without a 429 raises the rate by 5%, so the pace recovers and follows a
//     limit that grows.
type pacer struct {
	mu          sync.Mutex
	rate        float64   // attempts per second; 0: unlimited
	next        time.Time // the next free slot
	pausedUntil time.Time
	lastRaise   time.Time
	admitted    []time.Time // answers other than 429 in the last second
	now         func() time.Time
}

func newPacer(initialRate float64) *pacer {
	return &pacer{rate: initialRate, now: time.Now}
}

// Do implements policy.Policy.
func (p *pacer) Do(req *policy.Request) (*http.Response, error) {
	if err := p.wait(req.Raw().Context()); err != nil {
		return nil, err
	}
	resp, err := req.Next()
	if err == nil {
		p.observe(resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	return resp, err
}

// wait blocks until the caller's slot.
func (p *pacer) wait(ctx context.Context) error {
	p.mu.Lock()
	now := p.now()
	slot := now
	if p.pausedUntil.After(slot) {
		slot = p.pausedUntil
	}
	if p.rate > 0 {
		if p.next.After(slot) {
			slot = p.next
		}
		p.next = slot.Add(time.Duration(float64(time.Second) / p.rate))
	}
	p.mu.Unlock()
	if d := slot.Sub(now); d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

func (p *pacer) observe(status int, retryAfter string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	cut := 0
	for cut < len(p.admitted) && now.Sub(p.admitted[cut]) > time.Second {
		cut++
	}
	p.admitted = p.admitted[cut:]
	if status != http.StatusTooManyRequests {
		p.admitted = append(p.admitted, now)
		if p.rate > 0 && now.Sub(p.lastRaise) >= time.Second {
			p.rate *= 1.05
			p.lastRaise = now
		}
		return
	}
	wait, _ := retryafter.Parse(retryAfter, now)
	if wait <= 0 {
		wait = time.Second
	}
	inPause := now.Before(p.pausedUntil)
	if until := now.Add(wait); until.After(p.pausedUntil) {
		p.pausedUntil = until
	}
	if inPause {
		return // the same burst: the pace was set by its first 429
	}
	learned := math.Max(0.97*float64(len(p.admitted)), 1)
	switch {
	case p.rate == 0:
		p.rate = learned
	case learned < p.rate:
		p.rate = math.Max(learned, p.rate/2)
	}
	p.lastRaise = p.pausedUntil // recover only once the pause is over
	if p.next.Before(p.pausedUntil) {
		p.next = p.pausedUntil
	}
}

// rateNow is the current pace (0: unlimited), for progress lines.
func (p *pacer) rateNow() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rate
}
