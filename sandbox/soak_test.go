package sandbox_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/partnercenter-go/partnercenter"
	"github.com/partnercenter-go/partnercenter/sandbox"
)

// 1,000 activations through the client with 20% injected 503s, 10% 429s and 5% resets after
// the effect: every subscription ends active, each took effect exactly once, and the client
// reports no error.
func TestSoak(t *testing.T) {
	const n, workers = 1000, 32
	seed, ids := sandbox.SeedWithSubscriptions(n)
	sb := start(t, sandbox.Options{Seed: seed, Faults: sandbox.Faults{
		Seed: 2026, Error503Rate: 0.20, ThrottleRate: 0.10, ResetAfterEffectRate: 0.05,
	}})
	c := client(t, sb, func(o *partnercenter.ClientOptions) {
		// 30% of attempts fail before the effect: 16 tries make a failure of all of them
		// (0.3^16) vanishingly rare.
		o.Retry = policy.RetryOptions{MaxRetries: 15, RetryDelay: 5 * time.Millisecond, MaxRetryDelay: 2 * time.Second}
	})

	start := time.Now()
	jobs := make(chan string)
	var mu sync.Mutex
	var failures []string
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range jobs {
				res, err := c.ActivateSubscription(ctx, customer, id, nil)
				if err != nil || res.Status != "Success" {
					mu.Lock()
					failures = append(failures, fmt.Sprintf("%s: %v", id, err))
					mu.Unlock()
				}
			}
		}()
	}
	for _, id := range ids {
		jobs <- id
	}
	close(jobs)
	wg.Wait()
	elapsed := time.Since(start)

	if len(failures) > 0 {
		t.Fatalf("%d activations failed, first: %s", len(failures), failures[0])
	}
	notOnce := 0
	for _, id := range ids {
		if !sb.State.Active(id) || sb.State.Activations(id) != 1 {
			notOnce++
		}
	}
	st := sb.Stats()
	fmt.Printf("soak: %d activations in %s by %d workers: %d requests, %d answered 503, %d throttled (429), %d reset after the effect, %d answered from the idempotency store; %d subscriptions not activated exactly once\n",
		n, elapsed.Round(time.Millisecond), workers, st.Requests, st.Errors503, st.Throttled, st.Resets, st.Replayed, notOnce)
	if notOnce != 0 {
		t.Fatalf("%d subscriptions were not activated exactly once", notOnce)
	}
	// The faults really happened, at about the configured rates.
	if st.Errors503 < n/10 || st.Throttled < n/20 || st.Resets < n/50 || st.Replayed < st.Resets {
		t.Fatalf("too few faults for the test to mean anything: %+v", st)
	}
}
