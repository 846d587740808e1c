package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/partnercenter-go/partnercenter"
	probes "github.com/partnercenter-go/partnercenter/internal/gateprobes"
	"github.com/partnercenter-go/partnercenter/sandbox"
)

// runningProxy is `partnercenter contract proxy` running as a process.
type runningProxy struct {
	URL    string
	cmd    *exec.Cmd
	mu     sync.Mutex
	stdout strings.Builder
	lines  chan string
	done   chan struct{}
	stderr strings.Builder
}

func startProxy(t *testing.T, environ []string, args ...string) *runningProxy {
	t.Helper()
	p := &runningProxy{lines: make(chan string, 1024), done: make(chan struct{})}
	p.cmd = exec.Command(built(t), append([]string{"contract", "proxy", "--listen", "127.0.0.1:0"}, args...)...)
	p.cmd.Env = environ
	p.cmd.Stderr = &p.stderr
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.cmd.Process.Kill() })
	go func() {
		defer close(p.done)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			p.mu.Lock()
			p.stdout.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
			select {
			case p.lines <- sc.Text():
			default:
			}
		}
	}()
	select {
	case line := <-p.lines:
		rest, ok := strings.CutPrefix(line, "contract proxy: listening on ")
		if !ok {
			t.Fatalf("first line: %q", line)
		}
		p.URL, _, _ = strings.Cut(rest, ",")
	case <-time.After(20 * time.Second):
		t.Fatalf("the proxy did not start: %s", p.stderr.String())
	}
	return p
}

// waitFor returns the first line (after the banner) that contains s.
func (p *runningProxy) waitFor(t *testing.T, s string) string {
	t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case line := <-p.lines:
			if strings.Contains(line, s) {
				return line
			}
		case <-timeout:
			t.Fatalf("no line with %q", s)
		}
	}
}

// interrupt sends Ctrl-C and returns the exit status and all of stdout.
func (p *runningProxy) interrupt(t *testing.T) (int, string) {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGINT)
	errc := make(chan error, 1)
	go func() { <-p.done; errc <- p.cmd.Wait() }()
	var err error
	select {
	case err = <-errc:
	case <-time.After(20 * time.Second):
		t.Fatal("the proxy did not stop on SIGINT")
	}
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return code, p.stdout.String()
}

// The project's client through the proxy to the sandbox with faults on: every exchange is
// judged as it passes (429s, 500s, 503s, a reset and the documented errors included), Ctrl-C
// prints the coverage and exits 0, and the recordings hold no secret and pass
// `contract validate`.
func TestProxyEndToEnd(t *testing.T) {
	sb := sandbox.Start(t, sandbox.Options{Faults: sandbox.Faults{
		Seed: 3, ThrottleRate: 0.05, Error500Rate: 0.1, Error503Rate: 0.1, ResetAfterEffectRate: 0.05, RetryAfter: time.Second}})
	record := filepath.Join(t.TempDir(), "recorded")
	proxy := startProxy(t, env(t, sb), "--target", sb.URL, "--record", record)

	cred, err := sb.Credential()
	if err != nil {
		t.Fatal(err)
	}
	// Patient retries: whether an attempt is faulted depends on its random MS-RequestId, and
	// every call must get through.
	opts := &partnercenter.ClientOptions{Endpoint: proxy.URL}
	opts.Retry.MaxRetries, opts.Retry.RetryDelay, opts.Retry.MaxRetryDelay = 10, 5*time.Millisecond, 2*time.Second
	client, err := partnercenter.NewClient(cred, opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	calls := []func() error{
		func() error { _, err := client.GetOrderActivationLinks(ctx, customer, order, nil); return err },
		func() error { _, err := client.GetLineItemActivationLinks(ctx, customer, order, 1, nil); return err },
		func() error { _, err := client.GetSubscriptionActivationLinks(ctx, customer, subB, nil); return err },
		func() error { _, err := client.ActivateSubscription(ctx, customer, subA, nil); return err },
	}
	for i, call := range calls {
		if err := call(); err != nil {
			t.Fatalf("call %d through the proxy: %v", i, err)
		}
	}
	// Documented errors: already activated (400), no such line item (400).
	var pcErr *partnercenter.Error
	if _, err := client.ActivateSubscription(ctx, customer, subA, nil); !errors.As(err, &pcErr) || pcErr.StatusCode != 400 {
		t.Fatalf("second activation: %v", err)
	}
	if sb.State.Activations(subA) != 1 {
		t.Fatalf("activated %d times through the proxy", sb.State.Activations(subA))
	}
	// More calls until each kind of fault has passed through the proxy (each attempt is
	// faulted with a 25% chance: 200 calls without one of each would be astronomically rare).
	for i := 0; i < 200; i++ {
		if st := sb.Stats(); st.Throttled > 0 && st.Errors500 > 0 && st.Errors503 > 0 {
			break
		}
		if _, err := client.GetSubscriptionActivationLinks(ctx, customer, subB, nil); err != nil {
			t.Fatalf("through the proxy: %v", err)
		}
	}
	if st := sb.Stats(); st.Throttled == 0 || st.Errors500 == 0 || st.Errors503 == 0 {
		t.Fatalf("not every fault happened: %+v", st)
	}

	code, out := proxy.interrupt(t)
	if code != 0 || !strings.Contains(out, " 0 violations") || !strings.Contains(out, "ActivateSubscription\n  statuses") {
		t.Fatalf("exit %d, stdout:\n%s\nstderr:\n%s", code, out, proxy.stderr.String())
	}
	// Each exchange is printed as it passes: "ok: ..." or its findings (the sandbox's byte-order
	// mark is drift), naming the recording and the interaction.
	if !strings.Contains(unwrapped(out), "-001.yaml interaction 0: GetOrderActivationLinks ") { // 200, or a fault
		t.Fatalf("the first exchange was not printed as it passed:\n%s", out)
	}

	files, _ := filepath.Glob(filepath.Join(record, "*.yaml"))
	if len(files) != 1 {
		t.Fatalf("recorded %v", files)
	}
	data, _ := os.ReadFile(files[0])
	for _, s := range []string{"Authorization", "sbx-access", "sandbox-app-password", "client_secret"} {
		if strings.Contains(string(data), s) {
			t.Fatalf("the recording holds %q", s)
		}
	}
	if !strings.Contains(string(data), "code: 429") && !strings.Contains(string(data), "code: 500") && !strings.Contains(string(data), "code: 503") {
		t.Fatalf("the faults were not recorded")
	}
	r := runCLI(t, []string{"PATH=" + os.Getenv("PATH")}, "contract", "validate", record)
	if r.code != 0 || !strings.Contains(r.stdout, " 0 violations") {
		t.Fatalf("contract validate on the proxy's recording: %+v", r)
	}
}

// The negative case: a target that answers against the spec. The violation is printed as the
// exchange passes (before Ctrl-C), naming the recording and the interaction, the client still
// gets the answer, Ctrl-C exits 1, and the recording fails `contract validate`.
func TestProxyViolation(t *testing.T) {
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"subscriptionId":"`+subA+`","status":1}`)
	}))
	defer target.Close()
	record := t.TempDir()
	proxy := startProxy(t, []string{"PATH=" + os.Getenv("PATH")}, "--target", target.URL, "--record", record)

	req, _ := http.NewRequest("POST", proxy.URL+"/v1/customers/"+customer+"/subscriptions/"+subA+"/activate", nil)
	req.Header.Set("Authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `"status":1`) {
		t.Fatalf("the answer was not passed on: %q", body)
	}
	// Printed as it passes, wrapped at 80 columns: the finding's lines come before Ctrl-C.
	finding := []string{proxy.waitFor(t, "violation:")}
	for !strings.Contains(finding[len(finding)-1], "/response/body/status") {
		finding = append(finding, <-proxy.lines)
	}
	if line := probes.FindingLines(strings.Join(finding, "\n"))[0]; !strings.Contains(line, "interaction 0: ActivateSubscription 200: /response/body/status") || !strings.Contains(line, record) {
		t.Fatalf("violation line: %q", line)
	}
	// A token request through the proxy: forwarded, listed as ignored, not recorded.
	resp, err = http.Post(proxy.URL+"/tenant/oauth2/v2.0/token", "application/x-www-form-urlencoded", strings.NewReader("client_secret=s3cr3t-value"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	proxy.waitFor(t, "ignored: a request to 127.0.0.1:")
	code, out := proxy.interrupt(t)
	if code != 1 || !strings.Contains(out, "1 violation,") || !strings.Contains(out, "1 ignored") {
		t.Fatalf("exit %d after a violation:\n%s", code, out)
	}
	files, _ := filepath.Glob(filepath.Join(record, "*.yaml"))
	data, _ := os.ReadFile(files[0])
	if strings.Contains(string(data), "eyJ") || strings.Contains(string(data), "Authorization") || strings.Contains(string(data), "s3cr3t") {
		t.Fatal("the token was stored")
	}
	if r := runCLI(t, []string{"PATH=" + os.Getenv("PATH")}, "contract", "validate", record); r.code != 1 || !strings.Contains(r.stdout, "/response/body/status") {
		t.Fatalf("contract validate on the violating recording: %+v", r)
	}
}

// Usage errors: exit 2, nothing served.
func TestProxyUsage(t *testing.T) {
	e := []string{"PATH=" + os.Getenv("PATH")}
	for _, args := range [][]string{
		{"contract", "proxy"},
		{"contract", "proxy", "--target", "not a url"},
		{"contract", "proxy", "--target", "ftp://example.com"},
		{"contract", "proxy", "--target", "https://example.com", "--listen", "0.0.0.0:8480"},
		{"contract", "proxy", "--target", "https://example.com", "--listen", ":8480"},
		{"contract", "proxy", "--target", "https://example.com", "--listen", "nonsense"},
	} {
		if r := runCLI(t, e, args...); r.code != 2 || !strings.HasPrefix(r.stderr, "partnercenter: ") {
			t.Errorf("%v: want exit 2 with one clear line, got %+v", args, r)
		}
	}
}

// --suggest-overlay writes the Overlay document for the drift it saw, and writes nothing when
// there is none (the negative case).
func TestContractValidateSuggestOverlay(t *testing.T) {
	e := []string{"PATH=" + os.Getenv("PATH")}
	file := filepath.Join(t.TempDir(), "suggested.yaml")
	r := runCLI(t, e, "contract", "validate", "--suggest-overlay", file, "../../contract/testdata/overlay")
	if r.code != 0 || !strings.Contains(r.stdout, "6 undeclared fields declared in "+file) {
		t.Fatalf("%+v", r)
	}
	data, err := os.ReadFile(file)
	if err != nil || !strings.HasPrefix(string(data), "overlay: 1.0.0\n") || !strings.Contains(string(data), `$["components"]["schemas"]["Link"]`) {
		t.Fatalf("overlay file: %v\n%s", err, data)
	}
	none := filepath.Join(t.TempDir(), "none.yaml")
	r = runCLI(t, e, "contract", "validate", "--suggest-overlay", none, "../../contract/testdata/cassettes")
	if _, err := os.Stat(none); r.code != 0 || err == nil || !strings.Contains(r.stdout, "no undeclared field seen") {
		t.Fatalf("no drift: %+v (file exists: %v)", r, err == nil)
	}
}
