package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/partnercenter-go/partnercenter/sandbox"
)

// BenchmarkBatchAtRateLimit: a batch of 1,000 activations against the sandbox rate-limited
// to 200 requests per second per tenant. Reports achieved activations per second as a
// fraction of 200, and the share of requests answered 429. Target: at least 90% of the limit,
// at most 5% throttled, zero duplicates.
func BenchmarkBatchAtRateLimit(b *testing.B) {
	const n, limit = 1000, 200
	for b.Loop() {
		seed, ids := sandbox.SeedWithSubscriptions(n)
		sb, err := sandbox.New(sandbox.Options{Seed: seed, Faults: sandbox.Faults{RateLimit: limit}})
		if err != nil {
			b.Fatal(err)
		}
		dir := b.TempDir()
		ca := filepath.Join(dir, "ca.pem")
		os.WriteFile(ca, sb.CertPEM, 0o644)
		lines := make([]string, 0, n)
		for _, id := range ids {
			lines = append(lines, customer+","+id)
		}
		csvPath := filepath.Join(dir, "subs.csv")
		os.WriteFile(csvPath, []byte(strings.Join(lines, "\n")), 0o644)
		environ := map[string]string{"PARTNER_CENTER_CA_FILE": ca, "AZURE_AUTHORITY_HOST": sb.URL + "/",
			"AZURE_TENANT_ID": tenant, "AZURE_CLIENT_ID": "sandbox-app", "AZURE_CLIENT_SECRET": "sandbox-app-password"}

		start := time.Now()
		code := run(context.Background(), []string{"--endpoint", sb.URL, "activate", "--file", csvPath, "--results", filepath.Join(dir, "out.jsonl"), "--concurrency", "16", "--progress", "none"},
			nil, io.Discard, io.Discard, func(k string) string { return environ[k] })
		elapsed := time.Since(start)
		if code != 0 {
			b.Fatalf("batch exit %d", code)
		}
		dup := 0
		for _, id := range ids {
			if sb.State.Activations(id) != 1 {
				dup++
			}
		}
		st := sb.Stats()
		sb.Close()
		rate := float64(n) / elapsed.Seconds()
		throttled := float64(st.Throttled) / float64(st.Requests)
		b.ReportMetric(rate/limit, "fraction-of-limit")
		b.ReportMetric(throttled, "share-429")
		b.ReportMetric(float64(dup), "not-exactly-once")
		fmt.Printf("batch of %d at %d/s per tenant: %.1f activations/s (%.0f%% of the limit), %d of %d requests answered 429 (%.1f%%), %d not activated exactly once\n",
			n, limit, rate, 100*rate/limit, st.Throttled, st.Requests, 100*throttled, dup)
	}
}
