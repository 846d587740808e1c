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
//   - a 429 that shows the limit pauses every worker until its Retry-After (the service's
//     hint), and sets the rate just under what the service admitted in the last second (the
//     tenant's limit, as the service shows it), but never by more than a quarter (maxCut).
//     The 429s of one burst (the workers' requests in flight), and those of the second after
//     its pause, adjust it once;
//   - a stray 429 (a few in many answers: under the limit, the service answered 429 anyway,
//     as the real one does now and then) changes nothing for the others: its own request
//     waits its Retry-After in the retry policy. Taking each for the limit ratcheted the pace
//     down again and again (16/s fell to 3/s at 5% of random 429s) and paused every worker
//     for a second each time;
//   - a first 429 with too little history to learn from (fewer than minEvidence answers in
//     the last second, such as a first answer that is a 429) only pauses: the pace stays
//     unlimited instead of a "limit" of 1/s learned from nothing (with --rate, the pace
//     starts from it and is cut by a quarter at most, as above);
//   - a Retry-After longer than maxPause stops the batch (tooLong is called once) instead of
//     stalling it: the operator resumes it later;
//   - each second without a 429 that shows the limit raises the rate by 5%, up to the limit
//     the service showed (what it admitted in the second of its last limit 429), and by 1%
//     beyond: the pace recovers to the limit fast, and overshoots it slowly, following a
//     limit that grows.
type pacer struct {
	mu          sync.Mutex
	rate        float64   // attempts per second; 0: unlimited
	next        time.Time // the next free slot
	pausedUntil time.Time
	settledAt   time.Time // until then, 429s do not set the pace again (see observe)
	shown       float64   // the limit the service showed: what it admitted in the second of its last limit 429
	lastRaise   time.Time
	admitted    []time.Time // answers other than 429 in the last second
	answers     []answer    // every answer of the last shareWindow, for the share of 429s
	now         func() time.Time

	maxPause time.Duration                           // 0: no cap
	tooLong  func(wait time.Duration, header string) // called once, for the first Retry-After beyond maxPause
	stopped  bool
}

// maxCut is the most one limit 429 lowers a pace by: a quarter. (A half, with every random
// 429 taken for the limit, ratcheted 16/s down to 3/s.) A limit that fell further is
// followed within a few seconds, one settled second after another.
const maxCut = 0.75

// minEvidence is the fewest answers of the last second that a 429 learns a rate from.
const minEvidence = 10

// A 429 is stray when, with it, 429s are less than strayShare of the answers of the last
// shareWindow (and there were at least minEvidence answers). Over the limit, a token bucket
// refuses everything beyond it: a pace 18% above the limit already makes 15% of 429s, so the
// limit is found within a few seconds of 5%-a-second raises; 5% of random 429s stays under
// the share in all but rare windows (at 20 answers a second, 9 of 60 has odds of 0.4%).
const (
	strayShare  = 0.15
	shareWindow = 3 * time.Second
)

// answer is one answer the pacer saw: when, and whether it was a 429.
type answer struct {
	at        time.Time
	throttled bool
}

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
	slot, now, err := p.reserve()
	if err != nil {
		return err
	}
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

// reserve takes the caller's slot: the time its attempt may go.
func (p *pacer) reserve() (slot, now time.Time, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return time.Time{}, time.Time{}, errPacerStopped
	}
	now = p.now()
	slot = now
	if p.pausedUntil.After(slot) {
		slot = p.pausedUntil
	}
	if p.rate > 0 {
		if p.next.After(slot) {
			slot = p.next
		}
		p.next = slot.Add(time.Duration(float64(time.Second) / p.rate))
	}
	return slot, now, nil
}

// stray reports whether the 429 just recorded is one of a few among many answers. (Unpaced,
// the limit shows as a flood of 429s: every request beyond it is refused.)
func (p *pacer) stray() bool {
	throttled := 0
	for _, a := range p.answers {
		if a.throttled {
			throttled++
		}
	}
	return len(p.answers) >= minEvidence && float64(throttled) < strayShare*float64(len(p.answers))
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
	cut = 0
	for cut < len(p.answers) && now.Sub(p.answers[cut].at) > shareWindow {
		cut++
	}
	p.answers = append(p.answers[cut:], answer{at: now, throttled: status == http.StatusTooManyRequests})
	if status != http.StatusTooManyRequests {
		p.admitted = append(p.admitted, now)
		if p.rate > 0 && now.Sub(p.lastRaise) >= time.Second && !now.Before(p.settledAt) {
			switch {
			case p.shown > 0 && p.rate < p.shown:
				p.rate = math.Min(p.rate*1.05, p.shown)
			case p.shown > 0:
				p.rate *= 1.01 // over the limit shown: probe slowly, for a limit that grew
			default:
				p.rate *= 1.05
			}
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
	if p.stray() {
		return // its request waits its Retry-After alone; the pace stands
	}
	settling := now.Before(p.settledAt)
	if until := now.Add(wait); until.After(p.pausedUntil) {
		p.pausedUntil = until
	}
	if settling {
		// The same burst (the requests in flight when the pace was set), or the first second
		// after its pause, whose admitted count says nothing yet: the pace was set by the
		// burst's first 429.
		return
	}
	learned := math.Max(0.97*float64(len(p.admitted)), 1)
	if len(p.admitted) >= minEvidence {
		p.shown = float64(len(p.admitted))
	}
	switch {
	case p.rate == 0 && len(p.admitted) < minEvidence:
		// Too little to learn from: the pause alone is the service's hint.
	case p.rate == 0:
		p.rate = learned
	case learned < p.rate:
		p.rate = math.Max(learned, p.rate*maxCut)
	}
	p.lastRaise = p.pausedUntil // recover only once the pause is over
	p.settledAt = p.pausedUntil.Add(time.Second)
	p.answers = p.answers[:0] // the share of 429s is counted afresh at the new pace
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
