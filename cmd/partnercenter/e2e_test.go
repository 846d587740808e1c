package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/partnercenter-go/partnercenter/sandbox"
)

// These tests build the binary and run it against a sandbox, as an operator would.

var binary string

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() { // make quick: the in-process tests only
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "partnercenter-e2e")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "partnercenter")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		panic(fmt.Sprintf("go build: %v\n%s", err, out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

const (
	tenant   = "5a1d6b6e-0d5c-4b8a-9f0e-2c3d4e5f6a7b"
	customer = "42b5f772-5c5c-4bce-b9d7-bdadeecca411"
	order    = "Ia80ZLkXp6eWOqpp35pBQJLhqv9IiGVZ1"
	subA     = "aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e"
	subB     = "87363db7-39ab-dd25-d371-94340aaa2f97"
)

// env is the environment pointing the command at sb with App-only credentials.
func env(t *testing.T, sb *sandbox.Sandbox) []string {
	ca := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(ca, sb.CertPEM, 0o644)
	return []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(),
		"PARTNER_CENTER_CA_FILE=" + ca, "AZURE_AUTHORITY_HOST=" + sb.URL + "/",
		"AZURE_TENANT_ID=" + tenant, "AZURE_CLIENT_ID=sandbox-app", "AZURE_CLIENT_SECRET=sandbox-app-password"}
}

type ran struct {
	stdout, stderr string
	code           int
}

// built is the binary TestMain built; in -short mode (make quick) none is built, and the
// test that needs it is skipped, saying so.
func built(t *testing.T) string {
	t.Helper()
	if binary == "" {
		t.Skip("runs the built binary: not in -short mode (make test runs it)")
	}
	return binary
}

func runCLI(t *testing.T, environ []string, args ...string) ran {
	t.Helper()
	cmd := exec.Command(built(t), args...)
	cmd.Env = environ
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return ran{out.String(), errb.String(), code}
}

func TestLinks(t *testing.T) {
	sb := sandbox.Start(t, sandbox.Options{})
	e := env(t, sb)
	r := runCLI(t, e, "--endpoint", sb.URL, "links", "--customer", customer, "--order", order)
	if r.code != 0 || !strings.Contains(r.stdout, "LINE ITEM") || strings.Count(r.stdout, "https://publisher.example/") != 2 {
		t.Fatalf("order links table: %+v", r)
	}
	r = runCLI(t, e, "--endpoint", sb.URL, "links", "--customer", customer, "--order", order, "--line-item", "1", "-o", "json")
	var coll struct {
		TotalCount int `json:"totalCount"`
		Items      []struct {
			LineItemNumber int `json:"lineItemNumber"`
		} `json:"items"`
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &coll) != nil || coll.TotalCount != 1 || coll.Items[0].LineItemNumber != 1 {
		t.Fatalf("line item links JSON: %+v", r)
	}
	r = runCLI(t, e, "--endpoint", sb.URL, "links", "--customer", customer, "--subscription", subB, "-o", "json")
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &coll) != nil || coll.TotalCount != 1 {
		t.Fatalf("subscription links JSON: %+v", r)
	}
	// Usage errors: exit 2, nothing sent.
	before := sb.Stats().Requests
	for _, args := range [][]string{
		{"links", "--customer", customer},
		{"links", "--customer", customer, "--order", order, "--subscription", subA},
		{"links", "--customer", customer, "--subscription", subA, "--line-item", "0"},
		{"links", "--customer", customer, "--order", order, "-o", "yaml"},
		{"--cloud", "mars", "links", "--customer", customer, "--order", order},
	} {
		if r := runCLI(t, e, append([]string{"--endpoint", sb.URL}, args...)...); r.code != 2 || !strings.HasPrefix(r.stderr, "partnercenter: ") {
			t.Errorf("%v: want exit 2 with one clear line, got %+v", args, r)
		}
	}
	// Bad input: the command's flag check, exit 2, nothing sent (TestFlagValues has more).
	if r := runCLI(t, e, "--endpoint", sb.URL, "links", "--customer", "contoso", "--order", order); r.code != 2 || !strings.Contains(r.stderr, `--customer "contoso": want a GUID`) {
		t.Errorf("bad customer id: %+v", r)
	}
	if n := sb.Stats().Requests; n != before {
		t.Fatalf("bad input reached the sandbox (%d requests)", n-before)
	}
}

func TestActivateOne(t *testing.T) {
	sb := sandbox.Start(t, sandbox.Options{})
	e := env(t, sb)
	r := runCLI(t, e, "--endpoint", sb.URL, "activate", "--customer", customer, "--subscription", subA, "-o", "json")
	var res struct{ SubscriptionID, Status string }
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &res) != nil || res.Status != "Success" || res.SubscriptionID != subA {
		t.Fatalf("activate: %+v", r)
	}
	// Again: one clear line with the Partner Center code and the request id, exit 1.
	r = runCLI(t, e, "--endpoint", sb.URL, "activate", "--customer", customer, "--subscription", subA)
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if r.code != 1 || len(lines) != 1 || !strings.Contains(lines[0], "code 800041") || !strings.Contains(lines[0], "request id") {
		t.Fatalf("second activation: %+v", r)
	}
	if sb.State.Activations(subA) != 1 {
		t.Fatal("activated twice")
	}
	// --verbose traces the exchange with the token redacted.
	r = runCLI(t, e, "--endpoint", sb.URL, "--verbose", "activate", "--customer", customer, "--subscription", subB)
	if r.code != 0 || !strings.Contains(r.stderr, "Ms-Requestid: ") || !strings.Contains(r.stderr, "Authorization: REDACTED") || strings.Contains(r.stderr, "sbx-access.") {
		t.Fatalf("verbose trace: %+v", r)
	}
}

func TestNoCredentials(t *testing.T) {
	sb := sandbox.Start(t, sandbox.Options{})
	r := runCLI(t, []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}, "--endpoint", sb.URL, "activate", "--customer", customer, "--subscription", subA)
	if r.code != 1 || !strings.Contains(r.stderr, "no credentials") || !strings.Contains(r.stderr, "AZURE_CLIENT_SECRET") {
		t.Fatalf("%+v", r)
	}
}

func TestRefreshTokenFile(t *testing.T) {
	sb := sandbox.Start(t, sandbox.Options{})
	rtFile := filepath.Join(t.TempDir(), "rt")
	os.WriteFile(rtFile, []byte("sandbox-refresh-token-0\n"), 0o600)
	e := env(t, sb)
	e = append(e[:len(e)-1], "PARTNER_CENTER_REFRESH_TOKEN_FILE="+rtFile) // no client secret: App+User
	for i := range 2 {
		if r := runCLI(t, e, "--endpoint", sb.URL, "links", "--customer", customer, "--order", order); r.code != 0 {
			t.Fatalf("run %d: %+v", i, r)
		}
	}
	if data, _ := os.ReadFile(rtFile); !strings.HasPrefix(string(data), "sbx-refresh.") {
		t.Fatalf("the rotated refresh token was not stored: %q", data)
	}
}

func writeCSV(t *testing.T, lines ...string) string {
	path := filepath.Join(t.TempDir(), "subs.csv")
	os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	return path
}

func readResults(t *testing.T, path string) []result {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []result
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r result
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("results line %q: %v", sc.Text(), err)
		}
		out = append(out, r)
	}
	return out
}

// A batch with injected faults, random 429s and a rate limit: every subscription activated
// exactly once, every result written, exit 0.
func TestBatchWithFaults(t *testing.T) {
	t.Parallel() // waits on the sandbox's Retry-After, rate limit or latency
	seed, ids := sandbox.SeedWithSubscriptions(200)
	sb := sandbox.Start(t, sandbox.Options{Seed: seed, Faults: sandbox.Faults{
		Seed: 5, RateLimit: 100, ThrottleRate: 0.02, Error503Rate: 0.15, ResetAfterEffectRate: 0.05}})
	lines := []string{"customer,subscription"}
	for _, id := range ids {
		lines = append(lines, customer+","+id)
	}
	results := filepath.Join(t.TempDir(), "out.jsonl")
	r := runCLI(t, env(t, sb), "--endpoint", sb.URL, "activate", "--file", writeCSV(t, lines...), "--results", results, "--concurrency", "16", "--progress", "lines")
	if r.code != 0 {
		t.Fatalf("batch: %+v", r)
	}
	got := readResults(t, results)
	if len(got) != len(ids) {
		t.Fatalf("%d results for %d rows", len(got), len(ids))
	}
	for _, res := range got {
		if res.Status != "activated" || res.Line < 2 {
			t.Fatalf("result %+v", res)
		}
	}
	for _, id := range ids {
		if n := sb.State.Activations(id); n != 1 {
			t.Fatalf("%s activated %d times", id, n)
		}
	}
	st := sb.Stats()
	if st.Throttled == 0 || st.Errors503 == 0 || st.Resets == 0 {
		t.Fatalf("the faults did not happen: %+v", st)
	}
	if !strings.Contains(r.stderr, "200 activated") || !strings.Contains(r.stderr, "progress:") {
		t.Fatalf("summary or progress missing:\n%s", r.stderr)
	}
}

// Ctrl-C stops a batch cleanly; a resumed run finishes the rest with no duplicate activation.
func TestBatchInterruptedAndResumed(t *testing.T) {
	t.Parallel() // waits on the sandbox's Retry-After, rate limit or latency
	seed, ids := sandbox.SeedWithSubscriptions(60)
	sb := sandbox.Start(t, sandbox.Options{Seed: seed, Faults: sandbox.Faults{Latency: 100 * time.Millisecond}})
	lines := []string{}
	for _, id := range ids {
		lines = append(lines, customer+","+id)
	}
	csvPath := writeCSV(t, lines...)
	results := filepath.Join(t.TempDir(), "out.jsonl")
	e := env(t, sb)

	cmd := exec.Command(built(t), "--endpoint", sb.URL, "activate", "--file", csvPath, "--results", results, "--concurrency", "2", "--progress", "none")
	cmd.Env = e
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for sb.Stats().Requests < 10 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 130 || !strings.Contains(stderr.String(), "interrupted") || !strings.Contains(stderr.String(), "--resume") {
		t.Fatalf("interrupted run: %v\n%s", err, stderr.String())
	}
	first := readResults(t, results)
	if len(first) == 0 || len(first) >= len(ids) {
		t.Fatalf("the interrupted run wrote %d results of %d", len(first), len(ids))
	}

	// The hint is the whole command, flags included: pasted into a shell, it finishes the batch.
	hint := lastLine(stderr.String())
	resume, ok := strings.CutPrefix(hint, "partnercenter: interrupted: ")
	_, resume, found := strings.Cut(resume, "finish them with: ")
	want := binary + " --endpoint " + sb.URL + " activate --file " + csvPath + " --results " + results + " --concurrency 2 --progress none --resume " + results
	if !ok || !found || resume != want {
		t.Fatalf("the interrupt hint %q is not the whole command %q", hint, want)
	}
	sh := exec.Command("sh", "-c", resume)
	sh.Env = e
	var out bytes.Buffer
	sh.Stderr = &out
	if err := sh.Run(); err != nil || !strings.Contains(out.String(), fmt.Sprintf("%d skipped as done", len(first))) {
		t.Fatalf("the hint's command: %v\n%s", err, out.String())
	}
	done := map[string]int{}
	for _, res := range readResults(t, results) {
		if res.done() {
			done[res.Subscription]++
		}
	}
	for _, id := range ids {
		if done[id] != 1 {
			t.Fatalf("%s has %d done results", id, done[id])
		}
		if n := sb.State.Activations(id); n != 1 {
			t.Fatalf("%s took effect %d times", id, n)
		}
	}
}

func TestBatchWithBadRows(t *testing.T) {
	sb := sandbox.Start(t, sandbox.Options{})
	csvPath := writeCSV(t,
		"customer,subscription",
		customer+","+subA,
		"not-a-guid,"+subB,
		customer,
		customer+","+strings.ToUpper(subA), // a duplicate of line 2: activated once, reported
		`"unterminated,`+subB,              // an open quote runs to the end of the file: last
	)
	r := runCLI(t, env(t, sb), "--endpoint", sb.URL, "activate", "--file", csvPath, "--progress", "none")
	if r.code != 1 {
		t.Fatalf("a batch with bad rows must exit 1: %+v", r)
	}
	for _, want := range []string{"line 3:", "line 4:", "skipped"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	var activated, invalid, duplicate int
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var res result
		if err := json.Unmarshal([]byte(line), &res); err != nil {
			t.Fatalf("stdout line %q is not a result", line)
		}
		switch res.Status {
		case "activated":
			activated++
		case "invalid":
			invalid++
		case "duplicate":
			duplicate++
			if res.Error != "repeats line 2" {
				t.Errorf("duplicate row result %+v", res)
			}
		}
	}
	if activated != 1 || invalid != 3 || duplicate != 1 || !sb.State.Active(subA) || sb.State.Active(subB) || sb.State.Activations(subA) != 1 {
		t.Fatalf("activated %d, invalid %d, duplicate %d:\n%s", activated, invalid, duplicate, r.stdout)
	}
}

func TestContractValidate(t *testing.T) {
	r := runCLI(t, []string{"PATH=" + os.Getenv("PATH")}, "contract", "validate", "../../contract/testdata/cassettes")
	if r.code != 0 || !strings.Contains(r.stdout, "0 violations") || !strings.Contains(r.stdout, "ActivateSubscription") {
		t.Fatalf("%+v", r)
	}
	dir := t.TempDir()
	src, _ := os.ReadFile("../../contract/testdata/cassettes/documented/activate-sandbox-subscription.yaml")
	os.WriteFile(filepath.Join(dir, "bad.yaml"), bytes.Replace(src, []byte(`\"status\":\"Success\"`), []byte(`\"status\":1`), 1), 0o644)
	r = runCLI(t, []string{"PATH=" + os.Getenv("PATH")}, "contract", "validate", dir)
	if r.code != 1 || !strings.Contains(r.stdout, "/response/body/status") {
		t.Fatalf("%+v", r)
	}
	src2 := bytes.Replace(src, []byte(`\"status\":\"Success\"`), []byte(`\"status\":\"Success\",\"extra\":1`), 1)
	os.WriteFile(filepath.Join(dir, "bad.yaml"), src2, 0o644)
	if r := runCLI(t, []string{"PATH=" + os.Getenv("PATH")}, "contract", "validate", dir); r.code != 0 || !strings.Contains(r.stdout, "drift") {
		t.Fatalf("drift without --strict: %+v", r)
	}
	if r := runCLI(t, []string{"PATH=" + os.Getenv("PATH")}, "contract", "validate", dir, "--strict"); r.code != 1 {
		t.Fatalf("drift with --strict: %+v", r)
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
