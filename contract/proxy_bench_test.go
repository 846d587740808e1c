package contract_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/partnercenter-go/partnercenter/contract"
)

// BenchmarkProxyVsReverseProxy measures a round trip through the contract proxy against one
// through a bare httputil.ReverseProxy, over the same loopback target, interleaved in one
// run so that both see the same machine; the metric is the ratio of their medians (target:
// at most 1.3, recording off and on), beside the ratio of their means. The proxy answers
// first and judges after, so its engine's work overlaps the client's next request, as it
// does in a team's test suite.
func BenchmarkProxyVsReverseProxy(b *testing.B) {
	for _, record := range []bool{false, true} {
		name := "record=off"
		if record {
			name = "record=on"
		}
		b.Run(name, func(b *testing.B) { benchProxy(b, record) })
	}
}

func benchProxy(b *testing.B, record bool) {
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, benchBody)
	}))
	defer target.Close()
	u, _ := url.Parse(target.URL)
	opts := contract.ProxyOptions{Target: u}
	if record {
		opts.RecordDir = b.TempDir()
	}
	p, err := contract.NewProxy(opts)
	if err != nil {
		b.Fatal(err)
	}
	bare := httptest.NewServer(&httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) { r.SetURL(u) }})
	defer bare.Close()
	front := httptest.NewServer(p)
	defer front.Close()
	const path = "/v1/customers/" + sbCustomer + "/subscriptions/" + sbSubA + "/activate"
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	defer hc.CloseIdleConnections()
	roundTrip := func(base string) time.Duration {
		start := time.Now()
		resp, err := hc.Post(base+path, "", nil)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return time.Since(start)
	}
	roundTrip(bare.URL) // open the connections outside the measure
	roundTrip(front.URL)
	viaBare, viaProxy := make([]time.Duration, 0, b.N), make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		viaBare = append(viaBare, roundTrip(bare.URL))
		viaProxy = append(viaProxy, roundTrip(front.URL))
	}
	b.StopTimer()
	if err := p.Close(); err != nil {
		b.Fatal(err)
	}
	if p.Violations() != 0 {
		b.Fatalf("the benchmark's exchange is not clean: %s", p.Summary())
	}
	mb, mp := median(viaBare), median(viaProxy)
	b.ReportMetric(float64(mp)/float64(mb), "proxy/bare")
	// The means too: the engine's work, batched, lands on a few round trips, not the median's.
	b.ReportMetric(float64(sum(viaProxy))/float64(sum(viaBare)), "proxy/bare-mean")
	b.ReportMetric(float64(mp.Microseconds()), "proxy-us")
	b.ReportMetric(float64(mb.Microseconds()), "bare-us")
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func sum(d []time.Duration) (t time.Duration) {
	for _, x := range d {
		t += x
	}
	return t
}
