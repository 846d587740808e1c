package contract_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/partnercenter-go/partnercenter/contract"
	"github.com/partnercenter-go/partnercenter/generated"
)

const benchBody = `{"subscriptionId":"aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e","status":"Success"}`

// BenchmarkValidateInteraction compares the gate's full check of one interaction (route,
// request, status, media type, body, undeclared fields) with kin-openapi's bare
// ValidateResponse on the same body and a route found once, interleaved in one loop so that
// noise hits both. Target: the full check within 1.5x of the bare call.
func BenchmarkValidateInteraction(b *testing.B) {
	v, err := contract.NewDefault(contract.Options{})
	if err != nil {
		b.Fatal(err)
	}
	ex := contract.Exchange{
		Method: "POST", URL: "https://api.partnercenter.microsoft.com/v1/customers/42b5f772-5c5c-4bce-b9d7-bdadeecca411/subscriptions/aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e/activate",
		RequestHeader: http.Header{"Accept": {"application/json"}, "Ms-Requestid": {"655890ba-4d2b-4d09-a95f-4ea1348686a5"}},
		Status:        200, ResponseHeader: http.Header{"Content-Type": {"application/json"}}, ResponseBody: []byte(benchBody),
	}

	doc, _ := generated.GetSpec()
	doc.Servers = nil
	router, _ := gorillamux.NewRouter(doc)
	req, _ := http.NewRequest("POST", "/v1/customers/42b5f772-5c5c-4bce-b9d7-bdadeecca411/subscriptions/aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e/activate", nil)
	route, params, err := router.FindRoute(req)
	if err != nil {
		b.Fatal(err)
	}
	bare := func() error {
		in := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
			Status:                 200, Header: ex.ResponseHeader, Options: &openapi3filter.Options{IncludeResponseStatus: true},
		}
		in.SetBodyBytes(ex.ResponseBody)
		return openapi3filter.ValidateResponse(context.Background(), in)
	}
	// bareBoth is kin-openapi alone doing what the gate must do at least: validate the request
	// (path and header parameters) as well as the response. It is the floor of any gate built
	// on openapi3filter, reported beside the target so that the distance to it is visible.
	reqHeader := ex.RequestHeader
	bareBoth := func() error {
		r := req.Clone(context.Background())
		r.Header = reqHeader
		reqIn := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
		if err := openapi3filter.ValidateRequest(context.Background(), reqIn); err != nil {
			return err
		}
		in := &openapi3filter.ResponseValidationInput{RequestValidationInput: reqIn,
			Status: 200, Header: ex.ResponseHeader, Options: &openapi3filter.Options{IncludeResponseStatus: true}}
		in.SetBodyBytes(ex.ResponseBody)
		return openapi3filter.ValidateResponse(context.Background(), in)
	}
	if fs := v.Validate(ex, "bench", 0); len(fs) != 0 || bare() != nil || bareBoth() != nil {
		b.Fatalf("the benchmark interaction must conform: %v", fs)
	}

	b.Run("gate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			v.Validate(ex, "bench", 0)
		}
	})
	b.Run("bare-ValidateResponse", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			bare()
		}
	})
	b.Run("ratio", func(b *testing.B) {
		var gate, kin, kinBoth time.Duration
		for b.Loop() {
			t0 := time.Now()
			v.Validate(ex, "bench", 0)
			t1 := time.Now()
			bare()
			t2 := time.Now()
			bareBoth()
			gate += t1.Sub(t0)
			kin += t2.Sub(t1)
			kinBoth += time.Since(t2)
		}
		b.ReportMetric(float64(gate)/float64(kin), "gate/bare")
		b.ReportMetric(float64(kinBoth)/float64(kin), "kin-request+response/bare")
	})
}

// BenchmarkJudge10000Interactions judges a generated directory of 100 cassettes of 100
// interactions and reports the CPU seconds it took (user + system). Target: under 3.
func BenchmarkJudge10000Interactions(b *testing.B) {
	dir := b.TempDir()
	src, err := os.ReadFile(filepath.Join(ownCassettes, "documented", "activate-sandbox-subscription.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	// The documented activate cassette has 5 interactions: 20 copies of them make 100.
	head, body, _ := bytes.Cut(src, []byte("interactions:\n"))
	one := string(head) + "interactions:\n" + strings.Repeat(string(body), 20)
	for i := range 100 {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("c%03d.yaml", i)), []byte(one), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	v, _ := contract.NewDefault(contract.Options{})
	for b.Loop() {
		before := cpuTime()
		r, err := v.Check(dir)
		if err != nil {
			b.Fatal(err)
		}
		if r.Interactions != 10000 || len(r.Violations()) != 0 {
			b.Fatalf("judged %d interactions with %d violations", r.Interactions, len(r.Violations()))
		}
		b.ReportMetric((cpuTime() - before).Seconds(), "cpu-s/10k")
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
