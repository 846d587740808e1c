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

	"github.com/google/uuid"

	"github.com/partnercenter-go/partnercenter"
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
			if _, err := c.ActivateSubscription(ctx, customerID, subscriptionID); err != nil {
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

// BenchmarkActivateFacadeOverHandwritten interleaves the two calls in one loop, so that the
// machine's noise hits both alike, and reports their time ratio. Target: at most 1.25.
func BenchmarkActivateFacadeOverHandwritten(b *testing.B) {
	ctx := context.Background()
	srv := benchServer(b)
	c, err := partnercenter.NewClient(staticToken{}, &partnercenter.ClientOptions{Endpoint: srv.URL, Transport: srv.Client()})
	if err != nil {
		b.Fatal(err)
	}
	hc := srv.Client()
	var facade, hand time.Duration
	for b.Loop() {
		t0 := time.Now()
		if _, err := c.ActivateSubscription(ctx, customerID, subscriptionID); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := handwrittenActivate(ctx, hc, srv.URL, "example"); err != nil {
			b.Fatal(err)
		}
		facade += t1.Sub(t0)
		hand += time.Since(t1)
	}
	b.ReportMetric(float64(facade.Nanoseconds())/float64(b.N), "facade-ns/op")
	b.ReportMetric(float64(hand.Nanoseconds())/float64(b.N), "handwritten-ns/op")
	b.ReportMetric(float64(facade)/float64(hand), "facade/handwritten")
}
