package sandbox_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
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
	if testing.Short() {
		t.Skip("1,000 activations: not in -short mode (make test runs it)")
	}
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

// 24 concurrent activations with one MS-RequestId, for each of 100 subscriptions (2,400
// requests at once): each subscription takes effect once, and all 24 callers of an id get the
// same answer, byte for byte: the first caller's 200.
func TestConcurrentRequestIDSoak(t *testing.T) {
	const subs, callers = 100, 24
	seed, ids := sandbox.SeedWithSubscriptions(subs)
	sb := start(t, sandbox.Options{Seed: seed})
	tok := token(t, sb, partnercenter.CloudGlobal.Scope())
	hc := sb.HTTPClient()
	// At most 256 connections, all kept for reuse (the default keeps 2 idle, so the other
	// requests would each make a new TLS handshake), and a handshake deadline for a shared
	// 2-core machine under -race rather than a fast laptop: this test is about idempotency, not
	// about how fast 256 handshakes are.
	tr := hc.Transport.(*http.Transport)
	tr.MaxConnsPerHost, tr.MaxIdleConnsPerHost, tr.TLSHandshakeTimeout = 256, 256, 2*time.Minute
	defer hc.CloseIdleConnections()

	type answer struct {
		status int
		body   string
	}
	answers := make([][]answer, subs)
	var wg sync.WaitGroup
	release := make(chan struct{})
	for i, id := range ids {
		answers[i] = make([]answer, callers)
		requestID := fmt.Sprintf("0c0c0c0c-0000-4000-8000-%012d", i)
		for j := range callers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req, _ := http.NewRequest(http.MethodPost, sb.URL+"/v1/customers/"+customer+"/subscriptions/"+id+"/activate", strings.NewReader("null"))
				req.Header.Set("Authorization", "Bearer "+tok)
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("MS-RequestId", requestID)
				<-release
				resp, err := hc.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				defer resp.Body.Close()
				body, _ := io.ReadAll(resp.Body)
				answers[i][j] = answer{resp.StatusCode, string(body)}
			}()
		}
	}
	close(release)
	wg.Wait()
	for i, id := range ids {
		first := answers[i][0]
		if first.status != 200 || !strings.Contains(first.body, id) {
			t.Fatalf("%s: first answer %+v", id, first)
		}
		for j, a := range answers[i] {
			if a != first {
				t.Fatalf("%s: caller %d got %+v, caller 0 %+v", id, j, a, first)
			}
		}
		if n := sb.State.Activations(id); n != 1 {
			t.Fatalf("%s took effect %d times", id, n)
		}
	}
	if st := sb.Stats(); st.Replayed != subs*(callers-1) || st.Stored != subs {
		t.Fatalf("stats %+v: want %d replays and %d stored answers", st, subs*(callers-1), subs)
	}
}
