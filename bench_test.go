package partnercenter_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/google/uuid"

	"github.com/partnercenter-go/partnercenter"
	"github.com/partnercenter-go/partnercenter/generated"
)

// handwrittenActivate is the same call written with net/http + encoding/json: the baseline
// that the facade's overhead is measured against.
func handwrittenActivate(ctx context.Context, hc *http.Client, endpoint, token string) (*partnercenter.SubscriptionActivationResult, error) {
	url := endpoint + "/v1/customers/" + customerID + "/subscriptions/" + subscriptionID + "/activate"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader("null"))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("MS-RequestId", uuid.NewString())
	req.Header.Set("MS-CorrelationId", uuid.NewString())
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	var out partnercenter.SubscriptionActivationResult
	return &out, json.Unmarshal(body, &out)
}

func benchServer(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("MS-RequestId", r.Header.Get("MS-RequestId"))
		io.WriteString(w, activatedBody)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkActivate reports one activate call through the facade and the same call written by
// hand, each against a loopback server over one shared transport.
func BenchmarkActivate(b *testing.B) {
	ctx := context.Background()
	b.Run("facade", func(b *testing.B) {
		srv := benchServer(b)
		c, err := partnercenter.NewClient(staticToken{}, &partnercenter.ClientOptions{Endpoint: srv.URL, Transport: srv.Client()})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.ActivateSubscription(ctx, customerID, subscriptionID, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("handwritten", func(b *testing.B) {
		srv := benchServer(b)
		hc := srv.Client()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := handwrittenActivate(ctx, hc, srv.URL, "example"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// bareStackDoer sends the generated client's requests through azcore's pipeline as azcore
// ships it, with none of this package's policies: the floor under the facade.
type bareStackDoer struct{ pl runtime.Pipeline }

func (d bareStackDoer) Do(r *http.Request) (*http.Response, error) {
	req, err := runtime.NewRequestFromRequest(r)
	if err != nil {
		return nil, err
	}
	return d.pl.Do(req)
}

// BenchmarkActivateFacadeOverHandwritten interleaves the calls in one loop, so that the
// machine's noise hits them alike, and reports their time ratios. Target: facade/handwritten
// at most 1.25. "stack/handwritten" is the generated ClientWithResponses over a bare azcore
// pipeline (no ids, no time bound, no token, no error capture): the cost of the architecture
// the client is required to use, before any of its behaviour.
func BenchmarkActivateFacadeOverHandwritten(b *testing.B) {
	ctx := context.Background()
	srv := benchServer(b)
	hc := srv.Client()
	c, err := partnercenter.NewClient(staticToken{}, &partnercenter.ClientOptions{Endpoint: srv.URL, Transport: hc})
	if err != nil {
		b.Fatal(err)
	}
	pl := runtime.NewPipeline("bench", "v0", runtime.PipelineOptions{}, &policy.ClientOptions{Transport: hc})
	stack, err := generated.NewClientWithResponses(srv.URL, generated.WithHTTPClient(bareStackDoer{pl}))
	if err != nil {
		b.Fatal(err)
	}
	var facade, bare, hand time.Duration
	for b.Loop() {
		t0 := time.Now()
		if _, err := c.ActivateSubscription(ctx, customerID, subscriptionID, nil); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if r, err := stack.ActivateSubscriptionWithBodyWithResponse(ctx, customerID, subscriptionID, nil, "application/json", strings.NewReader("null")); err != nil || r.JSON200 == nil {
			b.Fatal("the bare stack's call failed", err)
		}
		t2 := time.Now()
		if _, err := handwrittenActivate(ctx, hc, srv.URL, "example"); err != nil {
			b.Fatal(err)
		}
		facade += t1.Sub(t0)
		bare += t2.Sub(t1)
		hand += time.Since(t2)
	}
	b.ReportMetric(float64(facade.Nanoseconds())/float64(b.N), "facade-ns/op")
	b.ReportMetric(float64(hand.Nanoseconds())/float64(b.N), "handwritten-ns/op")
	b.ReportMetric(float64(facade)/float64(hand), "facade/handwritten")
	b.ReportMetric(float64(bare)/float64(hand), "stack/handwritten")
}
