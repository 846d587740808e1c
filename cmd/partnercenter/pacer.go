package main

import (
	"context"
	"errors"
	"math"
	"net/http"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/partnercenter-go/partnercenter/internal/retryafter"
)

// pacer is the one pace that every worker of a batch shares. It runs as a per-retry policy of
// the client, so it spaces every attempt, retries included:
//   - until the first 429 it does not limit (the limit is unknown), unless --rate set a pace;
//   - a 429 pauses every worker until its Retry-After (the service's hint), and sets the rate
//     just under what the service admitted in the last second (the tenant's limit, as the
//     service shows it), but never below half the pace it had: a stray 429 must not collapse
//     the pace. The 429s of one burst (the workers' requests in flight) adjust it once;
//   - a first 429 with too little history to learn from (fewer than minEvidence answers in
//     the last second, such as a first answer that is a 429) only pauses: the pace stays
//     unlimited instead of a "limit" of 1/s learned from nothing (with --rate, the pace
//     starts from it and is at most halved, as above);
//   - a Retry-After longer than maxPause stops the batch (tooLong is called once) instead of
//     stalling it: the operator resumes it later;
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

	maxPause time.Duration                           // 0: no cap
	tooLong  func(wait time.Duration, header string) // called once, for the first Retry-After beyond maxPause
	stopped  bool
}

// minEvidence is the fewest answers of the last second that a 429 learns a rate from.
const minEvidence = 10

// errPacerStopped is returned to the attempts that come after the batch was stopped.
var errPacerStopped = errors.New("the batch was stopped: the service asked for a longer pause than --max-pause")

func newPacer(initialRate float64, maxPause time.Duration, tooLong func(wait time.Duration, header string)) *pacer {
	return &pacer{rate: initialRate, now: time.Now, maxPause: maxPause, tooLong: tooLong}
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
	if p.stopped {
		p.mu.Unlock()
		return errPacerStopped
	}
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
	if p.maxPause > 0 && wait > p.maxPause {
		if !p.stopped {
			p.stopped = true
			if p.tooLong != nil {
				p.tooLong(wait, retryAfter)
			}
		}
		return
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
	case p.rate == 0 && len(p.admitted) < minEvidence:
		// Too little to learn from: the pause alone is the service's hint.
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
