package sandbox_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/partnercenter-go/partnercenter"
	"github.com/partnercenter-go/partnercenter/sandbox"
)

type staticToken struct{}

func (staticToken) GetToken(_ context.Context, _ policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: "bare", ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// activateAll activates ids through c with the given number of concurrent callers and
// returns the elapsed time.
func activateAll(b *testing.B, c *partnercenter.Client, ids []string, callers int) time.Duration {
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1) - 1; i < int64(len(ids)); i = next.Add(1) - 1 {
				if _, err := c.ActivateSubscription(ctx, customer, ids[i], nil); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	return time.Since(start)
}

// BenchmarkActivateThroughput: requests per second of activate, over HTTPS, driven by the
// client with 16 concurrent callers: the sandbox (validation, auth, idempotency, state) beside
// a bare net/http handler returning the same bytes, measured in the same run. Target: the
// sandbox at 40% or more of the bare handler's rate.
func BenchmarkActivateThroughput(b *testing.B) {
	const batch, callers = 1000, 16
	seed, ids := sandbox.SeedWithSubscriptions(batch * 40)
	sb, err := sandbox.New(sandbox.Options{Seed: seed})
	if err != nil {
		b.Fatal(err)
	}
	defer sb.Close()
	sbClient, _ := partnercenter.NewClient(sb.MustCredential(b), sb.ClientOptions())

	body := []byte(`{"subscriptionId":"` + ids[0] + `","status":"Success"}` + "\n")
	bare := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	defer bare.Close()
	bareTransport := bare.Client().Transport.(*http.Transport)
	bareTransport.MaxIdleConnsPerHost = 64
	bareClient, _ := partnercenter.NewClient(staticToken{}, &partnercenter.ClientOptions{Endpoint: bare.URL, Transport: bare.Client()})

	var sbTime, bareTime time.Duration
	round := 0
	for b.Loop() {
		if (round+1)*batch > len(ids) {
			b.Fatalf("the seed has too few subscriptions for %d rounds", round+1)
		}
		chunk := ids[round*batch : (round+1)*batch]
		round++
		bareTime += activateAll(b, bareClient, chunk, callers)
		sbTime += activateAll(b, sbClient, chunk, callers)
	}
	n := float64(round * batch)
	sbRate, bareRate := n/sbTime.Seconds(), n/bareTime.Seconds()
	b.ReportMetric(sbRate, "sandbox-req/s")
	b.ReportMetric(bareRate, "bare-req/s")
	b.ReportMetric(sbRate/bareRate, "sandbox/bare")
	fmt.Printf("activate over HTTPS, %d callers: sandbox %.0f req/s, bare handler %.0f req/s (%.0f%%)\n", callers, sbRate, bareRate, 100*sbRate/bareRate)
}
