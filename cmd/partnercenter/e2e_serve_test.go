package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/partnercenter-go/partnercenter/sandbox"
)

// served is a `partnercenter sandbox serve` process, as an operator runs it.
type served struct {
	url, banner string
	env         []string // the environment its banner's export lines leave in a shell
	cmd         *exec.Cmd
	rest        chan string // what it prints after the banner, once it exits
}

// serve starts the built binary's sandbox and pastes its banner into a shell.
func serve(t *testing.T, flags ...string) *served {
	t.Helper()
	cmd := exec.Command(built(t), append([]string{"sandbox", "serve", "--addr", "127.0.0.1:0"}, flags...)...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "TMPDIR=" + t.TempDir()}
	cmd.Dir = t.TempDir() // not the directory of the commands that use its banner
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	s := &served{cmd: cmd, rest: make(chan string, 1)}
	br := bufio.NewReader(stdout)
	var banner strings.Builder
	for {
		line, err := br.ReadString('\n')
		banner.WriteString(line)
		if err != nil {
			t.Fatalf("sandbox serve %v: no banner: %v\n%s%s", flags, err, banner.String(), stderr.String())
		}
		if strings.HasPrefix(line, "# Its state") {
			break
		}
	}
	go func() { rest, _ := io.ReadAll(br); s.rest <- string(rest) }()
	s.banner = banner.String()
	sh := exec.Command("sh", "-e", "-c", s.banner+"env")
	sh.Env = []string{"PATH=" + os.Getenv("PATH")}
	out, err := sh.CombinedOutput()
	if err != nil {
		t.Fatalf("the banner does not paste into a shell: %v\n%s\n%s", err, out, s.banner)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "PARTNER_CENTER_") || strings.HasPrefix(line, "AZURE_") || strings.HasPrefix(line, "PATH=") {
			s.env = append(s.env, line)
		}
		if u, ok := strings.CutPrefix(line, "PARTNER_CENTER_ENDPOINT="); ok {
			s.url = u
		}
	}
	s.env = append(s.env, "HOME="+t.TempDir())
	return s
}

// stop interrupts the sandbox as Ctrl-C does and returns what it printed when it stopped.
func (s *served) stop(t *testing.T) string {
	t.Helper()
	s.cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("sandbox serve did not stop cleanly: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("sandbox serve did not stop on SIGINT")
	}
	return <-s.rest
}

func (s *served) status(t *testing.T) sandbox.Status {
	t.Helper()
	r := runCLI(t, s.env, "sandbox", "status", "-o", "json")
	var st sandbox.Status
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &st) != nil {
		t.Fatalf("sandbox status: %+v", r)
	}
	return st
}

func activations(st sandbox.Status) map[string]int {
	out := map[string]int{}
	for _, s := range st.Subscriptions {
		out[s.Subscription] = s.Activations
	}
	return out
}

// writeSeed writes a seed with n pending subscriptions for --seed.
func writeSeed(t *testing.T, n int) (string, []string) {
	seed, ids := sandbox.SeedWithSubscriptions(n)
	data, err := json.Marshal(seed)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "seed.json")
	os.WriteFile(path, data, 0o644)
	return path, ids
}

// The operator's path: serve, paste the banner, activate, read the state with `sandbox
// status`, stop and read the same summary. No flag beyond the address: the certificate goes
// to a temporary file that the banner exports, and is removed at exit.
func TestSandboxServeAndStatus(t *testing.T) {
	s := serve(t)
	if !strings.HasPrefix(s.url, "https://127.0.0.1:") {
		t.Fatalf("no endpoint exported by the banner:\n%s", s.banner)
	}
	if r := runCLI(t, s.env, "activate", "--customer", customer, "--subscription", subA); r.code != 0 || !strings.Contains(r.stdout, "Success") {
		t.Fatalf("activate against sandbox serve: %+v", r)
	}
	st := s.status(t)
	if a := activations(st); a[subA] != 1 || a[subB] != 0 || st.Stats.Requests != 1 {
		t.Fatalf("status after one activation: %+v", st)
	}
	r := runCLI(t, s.env, "sandbox", "status")
	if r.code != 0 || !strings.Contains(r.stdout, "1 activated exactly once") || !strings.Contains(r.stdout, subA) {
		t.Fatalf("status table: %+v", r)
	}
	// The admin endpoint needs the banner's token, and is asked on loopback only.
	var noToken []string
	for _, kv := range s.env {
		if !strings.HasPrefix(kv, "PARTNER_CENTER_SANDBOX_TOKEN=") {
			noToken = append(noToken, kv)
		}
	}
	if r := runCLI(t, append(noToken, "PARTNER_CENTER_SANDBOX_TOKEN=sbx-admin.guess"), "sandbox", "status"); r.code != 1 || !strings.Contains(r.stderr, "401") {
		t.Fatalf("a wrong admin token: %+v", r)
	}
	if r := runCLI(t, s.env, "--endpoint", "https://partner.example", "sandbox", "status"); r.code != 1 || !strings.Contains(r.stderr, "loopback") {
		t.Fatalf("a non-loopback endpoint: %+v", r)
	}
	var ca string
	for _, kv := range s.env {
		if v, ok := strings.CutPrefix(kv, "PARTNER_CENTER_CA_FILE="); ok {
			ca = v
		}
	}
	if _, err := os.Stat(ca); err != nil {
		t.Fatalf("the exported certificate file: %v", err)
	}
	summary := s.stop(t)
	if !strings.Contains(summary, "1 activated exactly once") || !strings.Contains(summary, "requests 1;") {
		t.Fatalf("the summary at shutdown:\n%s", summary)
	}
	if _, err := os.Stat(ca); !os.IsNotExist(err) {
		t.Fatalf("the temporary certificate outlived the sandbox: %v", err)
	}
}

// A relative --ca-out is exported as an absolute path: the banner is pasted into another
// terminal, whose directory is not the sandbox's (here the test's, not serve's), and `sandbox
// status` there trusts the certificate.
func TestSandboxServeRelativeCAOut(t *testing.T) {
	s := serve(t, "--ca-out", "ca.pem")
	if !strings.Contains(s.banner, "PARTNER_CENTER_CA_FILE="+filepath.Join(s.cmd.Dir, "ca.pem")+"\n") {
		t.Fatalf("the banner does not export the certificate's absolute path:\n%s", s.banner)
	}
	s.status(t)
}

// `make sandbox` runs the one entry point, with SANDBOX_FLAGS.
func TestMakeSandboxRunsServe(t *testing.T) {
	out, err := exec.Command("make", "-n", "-C", "../..", "sandbox", "SANDBOX_FLAGS=--http --rate-limit 5").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "go build -o") || !strings.Contains(string(out), `/partnercenter" sandbox serve --http --rate-limit 5`) {
		t.Fatalf("make -n sandbox: %v\n%s", err, out)
	}
}

// Ctrl-C (SIGINT to make's process group, as a terminal sends it) stops `make sandbox`
// cleanly: the sandbox prints its state, and make says nothing ("make: *** [sandbox] Error
// 1" came from go run, which exits 1 when interrupted). Make itself then ends by the SIGINT
// it received, as GNU make always does: the status a shell shows is 130, not an error.
func TestMakeSandboxStopsCleanlyOnCtrlC(t *testing.T) {
	cmd := exec.Command("make", "--no-print-directory", "-C", "../..", "sandbox", "SANDBOX_FLAGS=--addr 127.0.0.1:0 --http")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute) // make builds the command first
	for !strings.Contains(out.String(), "export PARTNER_CENTER_ENDPOINT=") {
		if time.Now().After(deadline) {
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			t.Fatalf("no banner:\n%s", out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	text := out.String()
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("make sandbox after Ctrl-C: %v\n%s", err, text)
	}
	ws, _ := ee.Sys().(syscall.WaitStatus)
	if !ws.Signaled() || ws.Signal() != syscall.SIGINT || strings.Contains(text, "make: ***") || !strings.Contains(text, "# sandbox stopped; its state at the end:") {
		t.Fatalf("want a clean stop (the state printed, no make error, make ended by the SIGINT), got %v:\n%s", err, text)
	}
}

// syncBuffer is a bytes.Buffer that a process writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
