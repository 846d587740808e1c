package contract_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"golang.org/x/sys/unix"

	"github.com/partnercenter-go/partnercenter/contract"
	"github.com/partnercenter-go/partnercenter/generated/spec"
)

const benchBody = `{"subscriptionId":"aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e","status":"Success"}`

// byHand is kin-openapi used the way a team writes a contract check by hand: the gorillamux
// router, ValidateRequest and ValidateResponse with IncludeResponseStatus. It is the
// baseline of the gate's targets (at most 0.7x of it, while the gate also walks for
// undeclared fields, reports every finding, reads XML and scans for secrets).
type byHand struct{ router routers.Router }

func newByHand(b *testing.B) byHand {
	doc, err := spec.GetSpec()
	if err != nil {
		b.Fatal(err)
	}
	doc.Servers = nil
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		b.Fatal(err)
	}
	return byHand{router}
}

func (h byHand) check(ex contract.Exchange) error {
	u := ex.URL
	if i := strings.Index(u, "/v1/"); i >= 0 {
		u = u[i:] // the spec's servers are dropped, as the gate ignores hosts
	}
	req, err := http.NewRequest(ex.Method, u, bytes.NewReader(ex.RequestBody))
	if err != nil {
		return err
	}
	req.Header = ex.RequestHeader.Clone()
	route, params, err := h.router.FindRoute(req)
	if err != nil {
		return err
	}
	reqIn := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	if err := openapi3filter.ValidateRequest(context.Background(), reqIn); err != nil {
		return err
	}
	respIn := &openapi3filter.ResponseValidationInput{RequestValidationInput: reqIn, Status: ex.Status, Header: ex.ResponseHeader,
		Options: &openapi3filter.Options{IncludeResponseStatus: true}}
	respIn.SetBodyBytes(ex.ResponseBody)
	return openapi3filter.ValidateResponse(context.Background(), respIn)
}

// ratio times the gate's full check (JudgeInteraction: classification, every finding,
// undeclared fields, the secret scan) and the by-hand check over the same interactions,
// interleaved in one loop, and reports gate/kin. Each side is timed by the CPU time of the
// benchmarking thread (CLOCK_THREAD_CPUTIME_ID, the goroutine locked to it), not by the wall
// clock: on a machine shared with other work, wall time counts whoever else ran. The
// garbage collector's background workers run on other threads and count for neither side.
func ratio(b *testing.B, v *contract.Validator, h byHand, set []contract.Interaction) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var gate, kin time.Duration
	for b.Loop() {
		for i, in := range set {
			t0 := threadCPU()
			v.JudgeInteraction("bench", i, in)
			t1 := threadCPU()
			h.check(in.Exchange)
			kin += threadCPU() - t1
			gate += t1 - t0
		}
	}
	b.ReportMetric(float64(gate)/float64(kin), "gate/kin")
	b.ReportMetric(float64(gate.Nanoseconds())/float64(b.N*len(set)), "gate-ns/interaction")
	b.ReportMetric(float64(kin.Nanoseconds())/float64(b.N*len(set)), "kin-ns/interaction")
}

func ownInteractions(b *testing.B) []contract.Interaction {
	var set []contract.Interaction
	for _, c := range loadOwnCassettesB(b) {
		for _, in := range c.interactions {
			set = append(set, contract.Interaction{Exchange: exchangeOf(in)})
		}
	}
	return set
}

// BenchmarkGateVsKinOpenAPI reports gate/kin on one interaction, on the project's valid
// cassettes and on their mutants (mutants_test.go). Target: at most 0.7 on all three.
func BenchmarkGateVsKinOpenAPI(b *testing.B) {
	v, err := contract.NewDefault(contract.Options{})
	if err != nil {
		b.Fatal(err)
	}
	h := newByHand(b)
	one := contract.Interaction{Exchange: contract.Exchange{
		Method: "POST", URL: "https://api.partnercenter.microsoft.com/v1/customers/42b5f772-5c5c-4bce-b9d7-bdadeecca411/subscriptions/aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e/activate",
		RequestHeader: http.Header{"Accept": {"application/json"}, "Ms-Requestid": {"655890ba-4d2b-4d09-a95f-4ea1348686a5"}},
		Status:        200, ResponseHeader: http.Header{"Content-Type": {"application/json"}}, ResponseBody: []byte(benchBody),
	}}
	if fs := v.JudgeInteraction("bench", 0, one).Findings; len(fs) != 0 || h.check(one.Exchange) != nil {
		b.Fatalf("the benchmark interaction must conform for both: %v / %v", fs, h.check(one.Exchange))
	}
	// The valid set: the project's interactions that both accept. Published material with a
	// byte-order mark or an empty error body is left out: kin-openapi by hand refuses it
	// where the gate reports drift, so there is nothing alike to compare.
	var valid []contract.Interaction
	for i, in := range ownInteractions(b) {
		if len(v.JudgeInteraction("bench", i, in).Findings) == 0 && h.check(in.Exchange) == nil {
			valid = append(valid, in)
		}
	}
	if len(valid) < 20 {
		b.Fatalf("only %d interactions conform for both", len(valid))
	}
	var mutants []contract.Interaction
	for _, c := range loadOwnCassettesB(b) {
		for _, in := range c.interactions {
			for _, m := range mutations {
				mutant := cloneInteraction(in)
				if m.apply(mutant) {
					mutants = append(mutants, contract.Interaction{Exchange: exchangeOf(mutant)})
				}
			}
		}
	}
	b.Run("one-interaction", func(b *testing.B) { ratio(b, v, h, []contract.Interaction{one}) })
	b.Run("valid-cassettes", func(b *testing.B) { ratio(b, v, h, valid) })
	b.Run("mutants", func(b *testing.B) { ratio(b, v, h, mutants) })
}

// BenchmarkJudge10000Interactions runs the engine (Check) over a generated folder of 100
// cassettes of 100 interactions, and reports the CPU seconds it took (user + system) and
// CPU/wall, which shows how much of the two cores the worker pool used.
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
		before, start := cpuTime(), time.Now()
		r, err := v.Check(dir)
		if err != nil {
			b.Fatal(err)
		}
		if r.Interactions != 10000 || len(r.Violations()) != 0 {
			b.Fatalf("judged %d interactions with %d violations", r.Interactions, len(r.Violations()))
		}
		cpu := cpuTime() - before
		b.ReportMetric(cpu.Seconds(), "cpu-s/10k")
		b.ReportMetric(cpu.Seconds()/time.Since(start).Seconds(), "cpu/wall")
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func threadCPU() time.Duration {
	var ts unix.Timespec
	unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts)
	return time.Duration(ts.Nano())
}
