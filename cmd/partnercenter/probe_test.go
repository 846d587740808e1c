package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/partnercenter-go/partnercenter/sandbox"
)

// probeEnv is env with the seed's ids of customer 42b5... as MODE=live reads them.
func probeEnv(t *testing.T, sb *sandbox.Sandbox, subscription string) []string {
	return append(env(t, sb), "PARTNER_CENTER_ENDPOINT="+sb.URL, "PARTNER_CENTER_CUSTOMER_ID="+customer,
		"PARTNER_CENTER_ORDER_ID="+order, "PARTNER_CENTER_LINE_ITEM=1", "PARTNER_CENTER_SUBSCRIPTION_ID="+subscription)
}

// The built command against the sandbox, writes allowed: exit 0 and no finding, twice (the
// second run finds the subscription active); the recorded cassette passes `contract validate`;
// the JUnit report lists every case.
func TestProbeCommandAgainstTheSandbox(t *testing.T) {
	sb := sandbox.Start(t, sandbox.Options{})
	e := probeEnv(t, sb, subB)
	dir := t.TempDir()
	junit := filepath.Join(dir, "probe.xml")
	for run := 1; run <= 2; run++ {
		r := runCLI(t, e, "contract", "probe", "--allow-writes", "--rate", "0", "--record", filepath.Join(dir, "cassettes"), "--report", "junit="+junit)
		if r.code != 0 || !strings.Contains(r.stdout, "no finding: 62 cases, 62 requests, 0 skipped; 10 of 10 checks exercised") {
			t.Fatalf("run %d: want exit 0 and no finding, got %+v", run, r)
		}
		for _, line := range strings.Split(r.stdout, "\n") {
			if len(line) > 80 && !strings.HasPrefix(line, "recorded /") {
				t.Errorf("run %d: line wider than 80 columns: %q", run, line)
			}
		}
	}
	if !sb.State.Active(subB) {
		t.Fatal("the scenario did not activate the subscription")
	}
	if r := runCLI(t, e, "contract", "validate", filepath.Join(dir, "cassettes")); r.code != 0 {
		t.Fatalf("contract validate on the probe's cassettes: %+v", r)
	}
	report, err := os.ReadFile(junit)
	if err != nil || strings.Count(string(report), "<testcase ") != 62 || strings.Contains(string(report), "<failure") {
		t.Fatalf("JUnit report: %v\n%s", err, report)
	}
}

// Usage errors: exit 2 with one line naming the flag, nothing sent.
func TestProbeCommandUsageErrors(t *testing.T) {
	sb := sandbox.Start(t, sandbox.Options{})
	e := probeEnv(t, sb, subA)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--format", "yaml"}, `--format "yaml"`},
		{[]string{"--report", "html"}, `--report "html"`},
		{[]string{"--customer", "contoso"}, `customerId "contoso" breaks the spec`},
		{[]string{"--line-item", "x"}, `--line-item (or PARTNER_CENTER_LINE_ITEM) "x"`},
		{[]string{"--max-requests", "-1"}, "--max-requests"},
		{[]string{"--spec", "/nonexistent.yaml"}, "--spec"},
		{[]string{"--endpoint", "http://partner.example"}, "plain HTTP"},
		// A folder that does not exist, as validate and proxy say it.
		{[]string{"--report", "junit=/nonexistent/probe.xml"}, "--report"},
		{[]string{"--suggest-overlay", "/nonexistent/overlay.yaml"}, "--suggest-overlay"},
	} {
		args := append([]string{"contract", "probe", "--rate", "0"}, tc.args...)
		if tc.args[0] == "--endpoint" {
			args = append([]string{tc.args[0], tc.args[1]}, "contract", "probe")
		}
		r := runCLI(t, e, args...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.want) || strings.Count(r.stderr, "partnercenter:") != 1 {
			t.Errorf("%v: want exit 2 naming %s, got %+v", tc.args, tc.want, r)
		}
	}
	// Outputs that cannot be written fail before anything is sent (exit 1, naming the flag).
	for _, args := range [][]string{
		{"--record", "/dev/null/cassettes"},
	} {
		r := runCLI(t, e, append([]string{"contract", "probe", "--rate", "0"}, args...)...)
		if r.code != 1 || !strings.Contains(r.stderr, args[0]) {
			t.Errorf("%v: want exit 1 naming %s, got %+v", args, args[0], r)
		}
	}
	if n := sb.Stats().Requests; n != 0 {
		t.Errorf("usage errors sent %d requests", n)
	}
	// --spec FILE: the spec given.
	if r := runCLI(t, e, "contract", "probe", "--dry-run", "--spec", "../../openapi.yaml"); r.code != 0 || strings.Count(r.stdout, "\ncurl ") != 57 {
		t.Errorf("--spec openapi.yaml --dry-run: %+v", r)
	}
}

// badServer ignores the token, takes ids that are not GUIDs and answers an HTML 500 to a
// line item that is not an integer; it keeps the Authorization values it received.
type badServer struct {
	requests atomic.Int64
	mu       sync.Mutex
	tokens   map[string]bool
}

func (b *badServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.requests.Add(1)
	b.mu.Lock()
	if a := r.Header.Get("Authorization"); a != "" {
		b.tokens[strings.TrimPrefix(a, "Bearer ")] = true
	}
	b.mu.Unlock()
	io.Copy(io.Discard, r.Body)
	if m := regexp.MustCompile(`/lineitems/([^/]*)/`).FindStringSubmatch(r.URL.Path); m != nil && !regexp.MustCompile(`^-?[0-9]+$`).MatchString(m[1]) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(500)
		io.WriteString(w, "<html><body>Server Error in '/' Application.</body></html>")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if strings.HasSuffix(r.URL.Path, "/activate") {
		json.NewEncoder(w).Encode(map[string]string{"subscriptionId": "x", "status": "Success"})
		return
	}
	io.WriteString(w, `{"totalCount":0,"items":[],"nextLink":"x"}`) // nextLink: a field the spec does not declare
}

// The bad server: exit 1, ignored_auth, negative_data_rejection and not_a_server_error
// reported each with a curl line, over at least 20 requests, and the token sent appears
// nowhere in the output. The not_a_server_error reproducer, pasted into bash, gets the 500
// again.
func TestProbeCommandAgainstABadServer(t *testing.T) {
	sb := sandbox.Start(t, sandbox.Options{}) // the token authority only
	bad := &badServer{tokens: map[string]bool{}}
	srv := httptest.NewServer(bad)
	defer srv.Close()
	e := append(probeEnv(t, sb, subA), "PARTNER_CENTER_ENDPOINT="+srv.URL)
	r := runCLI(t, e, "contract", "probe", "--rate", "0", "--seed", "42")
	if r.code != 1 {
		t.Fatalf("want exit 1, got %+v", r)
	}
	if n := bad.requests.Load(); n < 20 {
		t.Fatalf("%d requests, want at least 20", n)
	}
	lines := strings.Split(r.stdout, "\n")
	curlOf := map[string]string{}
	for i, line := range lines {
		for _, check := range []string{"ignored_auth", "negative_data_rejection", "not_a_server_error"} {
			if strings.HasPrefix(line, check+" ") && i+1 < len(lines) && strings.HasPrefix(lines[i+1], "  curl ") && curlOf[check] == "" {
				curlOf[check] = strings.TrimSpace(lines[i+1])
			}
		}
	}
	for _, check := range []string{"ignored_auth", "negative_data_rejection", "not_a_server_error"} {
		if curlOf[check] == "" {
			t.Errorf("no %s finding with a curl line:\n%s", check, r.stdout)
		}
	}
	bad.mu.Lock()
	for tok := range bad.tokens {
		if strings.HasPrefix(tok, "probe-not-a-token-") {
			continue // the garbage token: random, not a secret
		}
		if strings.Contains(r.stdout, tok) || strings.Contains(r.stderr, tok) {
			t.Error("the token sent appears in the output")
		}
	}
	if len(bad.tokens) < 2 {
		t.Errorf("the server saw %d tokens, want the real one and the garbage one", len(bad.tokens))
	}
	bad.mu.Unlock()
	// The reproducer replays the fault.
	replay := exec.Command("bash", "-c", curlOf["not_a_server_error"])
	replay.Env = append(os.Environ(), "PARTNER_CENTER_TOKEN=some-token")
	out, err := replay.CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "HTTP/1.1 500") || !strings.Contains(string(out), "Server Error") {
		t.Fatalf("the reproducer %s did not replay the 500: %v\n%s", curlOf["not_a_server_error"], err, out)
	}
}

// The output formats against the bad server: JSON lines and nothing else on stdout, GitHub
// annotations, the overlay of what the server added; --dry-run sends nothing; --max-requests
// stops at the budget and says what it skipped.
func TestProbeCommandFormatsAndBudget(t *testing.T) {
	sb := sandbox.Start(t, sandbox.Options{})
	bad := &badServer{tokens: map[string]bool{}}
	srv := httptest.NewServer(bad)
	defer srv.Close()
	e := append(probeEnv(t, sb, subA), "PARTNER_CENTER_ENDPOINT="+srv.URL)

	overlay := filepath.Join(t.TempDir(), "overlay.yaml")
	r := runCLI(t, e, "contract", "probe", "--rate", "0", "--format", "json", "--suggest-overlay", overlay)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 1 || len(lines) < 3 {
		t.Fatalf("json: want exit 1 and findings, got %+v", r)
	}
	for _, line := range lines {
		var f map[string]any
		if err := json.Unmarshal([]byte(line), &f); err != nil {
			t.Fatalf("stdout holds something else than JSON lines: %q", line)
		}
		for _, k := range []string{"check", "operationId", "status", "reason", "curl"} {
			if f[k] == nil || f[k] == "" {
				t.Errorf("a JSON finding without %s: %s", k, line)
			}
		}
	}
	bad.mu.Lock()
	for tok := range bad.tokens {
		if !strings.HasPrefix(tok, "probe-not-a-token-") && (strings.Contains(r.stdout, tok) || strings.Contains(r.stderr, tok)) {
			t.Error("the token sent appears in the JSON output")
		}
	}
	bad.mu.Unlock()
	if data, err := os.ReadFile(overlay); err != nil || !strings.Contains(string(data), "nextLink:") {
		t.Errorf("--suggest-overlay: no nextLink declared: %v\n%s", err, data)
	}

	r = runCLI(t, e, "contract", "probe", "--rate", "0", "--format", "github")
	gh := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 1 || !strings.HasPrefix(gh[0], "::error title=") || !strings.Contains(gh[0], "%0Acurl ") {
		t.Fatalf("github: %+v", r)
	}

	before := bad.requests.Load()
	r = runCLI(t, e, "contract", "probe", "--dry-run")
	if r.code != 0 || bad.requests.Load() != before || strings.Count(r.stdout, "\ncurl ") != 57 {
		t.Fatalf("--dry-run: sent %d requests; %+v", bad.requests.Load()-before, r)
	}

	r = runCLI(t, e, "contract", "probe", "--dry-run", "--format", "json")
	if dry := strings.Split(strings.TrimSpace(r.stdout), "\n"); r.code != 0 || len(dry) != 57 || !json.Valid([]byte(dry[0])) || !strings.Contains(dry[0], `"curl":"curl `) {
		t.Fatalf("--dry-run --format json: %+v", r)
	}

	before = bad.requests.Load()
	r = runCLI(t, e, "contract", "probe", "--rate", "0", "--max-requests", "10")
	if sent := bad.requests.Load() - before; sent != 10 || !strings.Contains(r.stdout, "10 requests, 52 skipped") ||
		!strings.Contains(r.stdout, "skipped 47 cases: the budget (--max-requests) is spent\n") ||
		!strings.Contains(r.stdout, "skipped 5 cases: writes are not allowed (--allow-writes)\n") {
		t.Fatalf("--max-requests 10: sent %d; %+v", sent, r)
	}
}

// A dry-run's reproducer, pasted into bash with the token and the sandbox's CA in the
// environment, gets the sandbox's answer over HTTPS.
func TestProbeReproducerOverHTTPS(t *testing.T) {
	sb := sandbox.Start(t, sandbox.Options{})
	e := probeEnv(t, sb, subA)
	r := runCLI(t, e, "contract", "probe", "--dry-run")
	var line string
	for _, l := range strings.Split(r.stdout, "\n") {
		if strings.HasPrefix(l, "curl ") {
			line = l
			break
		}
	}
	if !strings.Contains(line, `--cacert "$PARTNER_CENTER_CA_FILE"`) || !strings.Contains(line, `"Authorization: Bearer $PARTNER_CENTER_TOKEN"`) {
		t.Fatalf("reproducer %q", line)
	}
	tok, err := sb.MustCredential(t).GetToken(t.Context(), policy.TokenRequestOptions{Scopes: []string{"https://api.partnercenter.microsoft.com/.default"}})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", "-c", line)
	cmd.Env = append(e, "PARTNER_CENTER_TOKEN="+tok.Token)
	out, err := cmd.CombinedOutput()
	if err != nil || !regexp.MustCompile(`^HTTP/[0-9.]+ 200`).Match(out) {
		t.Fatalf("%s: %v\n%s", line, err, out)
	}
}

// The probe's bar stays quiet for a run shorter than its delay and is drawn for a longer one
// (the probe's, 2 s, is shortened here); it needs no pacer.
func TestProbeProgressAfterADelay(t *testing.T) {
	for _, tc := range []struct {
		run   time.Duration
		drawn bool
	}{{0, false}, {300 * time.Millisecond, true}} {
		var out syncBuffer
		p := newProgress(&out, "bar", 10, nil)
		p.after = 100 * time.Millisecond
		p.start()
		p.record(result{Status: "activated"})
		time.Sleep(tc.run) // the run's length is what is tested: nothing to await
		p.stop()
		if drawn := strings.Contains(out.String(), "1/10 done"); drawn != tc.drawn {
			t.Errorf("a %v run: drawn %v, want %v (%q)", tc.run, drawn, tc.drawn, out.String())
		}
	}
}

// In process, as gh tests its commands: the plan's counts come first, within 80 columns, and
// a dry run needs no credentials.
func TestProbeDryRunInProcess(t *testing.T) {
	vars := map[string]string{"PARTNER_CENTER_CUSTOMER_ID": customer, "PARTNER_CENTER_SUBSCRIPTION_ID": subA}
	var stdout, stderr strings.Builder
	code := run(t.Context(), []string{"contract", "probe", "--dry-run", "--seed", "3", "--allow-writes"}, strings.NewReader(""), &stdout, &stderr,
		func(k string) string { return vars[k] })
	lines := strings.Split(stdout.String(), "\n")
	if code != 0 || lines[0] != "28 requests: 7 positive, 8 negative, 4 auth, 2 method, 2 accept, 5 stateful" ||
		lines[1] != "seed 3 (repeat the run with --seed 3)" || !strings.HasPrefix(lines[2], "not generated: GetOrderActivationLinks: no --order given") {
		t.Fatalf("exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	for _, l := range lines {
		if len(l) > 80 && !strings.HasPrefix(l, "curl ") {
			t.Errorf("wider than 80 columns: %q", l)
		}
	}
}
