package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/partnercenter-go/partnercenter/sandbox"
)

// batchCSV is a CSV of customer,subscription rows for ids.
func batchCSV(t *testing.T, ids []string) string {
	lines := []string{"customer,subscription"}
	for _, id := range ids {
		lines = append(lines, customer+","+id)
	}
	return writeCSV(t, lines...)
}

// withEndpoint is env(t, sb) with the endpoint in PARTNER_CENTER_ENDPOINT, so that the
// commands the batch prints hold no address and can be run against another sandbox.
func withEndpoint(t *testing.T, sb *sandbox.Sandbox) []string {
	return append(env(t, sb), "PARTNER_CENTER_ENDPOINT="+sb.URL)
}

// A Retry-After of a day stops the batch at once, in one line naming the wait and the whole
// command that resumes it; that command, run again later (as often as the service stops it),
// finishes the batch, every subscription activated once. The control: a Retry-After of a
// second is waited for, and the batch finishes.
func TestBatchStopsOnALongRetryAfter(t *testing.T) {
	t.Parallel() // waits on the sandbox's Retry-After, rate limit or latency
	seed, ids := sandbox.SeedWithSubscriptions(40)
	sb := sandbox.Start(t, sandbox.Options{Seed: seed, Faults: sandbox.Faults{Seed: 7, ThrottleRate: 0.2, RetryAfter: 24 * time.Hour}})
	e := withEndpoint(t, sb)
	csvPath := batchCSV(t, ids)
	results := filepath.Join(t.TempDir(), "out.jsonl")
	r := runCLI(t, e, "activate", "--file", csvPath, "--results", results, "--concurrency", "4", "--progress", "none")
	line := lastLine(r.stderr)
	stop := regexp.MustCompile(`^partnercenter: stopped: the service asked to wait 24h0m0s \(Retry-After: 86400\), more than --max-pause 1m0s; (\d+) subscriptions? not done; finish them with: (.*)$`)
	m := stop.FindStringSubmatch(line)
	want := binary + " activate --file " + csvPath + " --results " + results + " --concurrency 4 --progress none --resume " + results
	if r.code != exitTryLater || m == nil || m[2] != want {
		t.Fatalf("exit %d, last line %q; want exit 75 and the stop line with %q", r.code, line, want)
	}
	if notDone, _ := strconv.Atoi(m[1]); notDone == 0 || len(readResults(t, results)) > len(ids)-notDone {
		t.Fatalf("%s not done, %d results", m[1], len(readResults(t, results)))
	}
	// Later: the printed command, as often as it takes (each attempt of a request id has its
	// own fault draw, so each run gets further).
	for run := 2; ; run++ {
		sh := exec.Command("sh", "-c", m[2])
		sh.Env = e
		out, err := sh.CombinedOutput()
		if err == nil {
			break
		}
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitTryLater || run > 30 {
			t.Fatalf("run %d of the resume command: %v\n%s", run, err, out)
		}
	}
	for _, id := range ids {
		if n := sb.State.Activations(id); n != 1 {
			t.Fatalf("%s activated %d times", id, n)
		}
	}

	short := sandbox.Start(t, sandbox.Options{Seed: seed, Faults: sandbox.Faults{Seed: 7, ThrottleRate: 0.2, RetryAfter: time.Second}})
	if r := runCLI(t, withEndpoint(t, short), "activate", "--file", csvPath, "--concurrency", "4", "--progress", "none"); r.code != 0 {
		t.Fatalf("control: a Retry-After of 1s: %+v", r)
	}
}

// A batch whose first answers are 429s (the tenant's quota is used up by someone else)
// pauses for the Retry-After and goes on at the pace the service allows: it never learns a
// pace of 1/s from an empty history.
func TestBatchFirst429DoesNotCollapseThePace(t *testing.T) {
	t.Parallel() // waits on the sandbox's Retry-After, rate limit or latency
	seed, ids := sandbox.SeedWithSubscriptions(100)
	sb := sandbox.Start(t, sandbox.Options{Seed: seed, Faults: sandbox.Faults{RateLimit: 30}})
	e := withEndpoint(t, sb)
	csvPath := batchCSV(t, ids)
	// Another client of the tenant uses up the quota for the batch's first seconds: the
	// batch's first answers are 429s, with no history to learn a pace from.
	hc := sb.HTTPClient()
	defer hc.CloseIdleConnections()
	tok := bearer(t, sb)
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		for end := time.Now().Add(3 * time.Second); time.Now().Before(end); {
			send(t, hc, "GET", sb.URL+"/v1/customers/"+customer+"/orders/"+order+"/activationlinks", tok, nil)
		}
	}()
	defer func() { <-drained }()
	r := runCLI(t, e, "activate", "--file", csvPath, "--concurrency", "8", "--progress", "lines")
	if r.code != 0 {
		t.Fatalf("%+v", r)
	}
	for _, m := range regexp.MustCompile(`pace (\d+)/s`).FindAllStringSubmatch(r.stderr, -1) {
		if pace, _ := strconv.Atoi(m[1]); pace < 5 {
			t.Fatalf("the pace collapsed to %d/s:\n%s", pace, r.stderr)
		}
	}
	if sb.Stats().Throttled == 0 {
		t.Fatal("no 429 happened: the test means nothing")
	}
	for _, id := range ids {
		if sb.State.Activations(id) != 1 {
			t.Fatalf("%s activated %d times", id, sb.State.Activations(id))
		}
	}
}

func bearer(t *testing.T, sb *sandbox.Sandbox) string {
	tok, err := sb.MustCredential(t).GetToken(t.Context(), policy.TokenRequestOptions{Scopes: []string{"https://api.partnercenter.microsoft.com/.default"}})
	if err != nil {
		t.Fatal(err)
	}
	return tok.Token
}

// Excel's CSV: a byte-order mark, CR line endings (Excel for Mac), a header in its own words,
// trailing commas, a line of spaces, and a stray quote that spoils its own line only.
func TestBatchReadsExcelCSV(t *testing.T) {
	seed, ids := sandbox.SeedWithSubscriptions(4)
	sb := sandbox.Start(t, sandbox.Options{Seed: seed})
	csv := "\xef\xbb\xbfCustomer ID,Subscription ID\r" +
		customer + "," + ids[0] + ",\r" +
		"   \r" +
		`"` + customer + "," + ids[1] + "\r" + // line 4: an unterminated quote
		customer + "," + ids[2] + "\r" +
		`"` + customer + `","` + ids[3] + `"` + "\r"
	path := filepath.Join(t.TempDir(), "excel.csv")
	os.WriteFile(path, []byte(csv), 0o644)
	r := runCLI(t, withEndpoint(t, sb), "activate", "--file", path, "--progress", "none")
	if r.code != 1 || !strings.Contains(r.stderr, path+" line 4: not CSV: the quote opened at column 1 is not closed on this line") ||
		!strings.Contains(r.stderr, "3 activated") {
		t.Fatalf("%+v", r)
	}
	for i, id := range ids {
		if want := i != 1; sb.State.Active(id) != want {
			t.Errorf("row %d (%s): active %v, want %v", i, id, !want, want)
		}
	}
}

// The results file across runs: a re-run skips what is done (and --force does not), bad
// rows are written once, a cut last line is ended, a 200 KiB line is read, and --resume of a
// missing file is an error.
func TestResultsFileAcrossRuns(t *testing.T) {
	seed, ids := sandbox.SeedWithSubscriptions(3)
	sb := sandbox.Start(t, sandbox.Options{Seed: seed})
	e := withEndpoint(t, sb)
	csvPath := writeCSV(t, customer+","+ids[0], "not-a-guid,"+ids[1], customer+","+ids[2], customer+","+ids[0])
	results := filepath.Join(t.TempDir(), "out.jsonl")
	batch := func(extra ...string) ran {
		return runCLI(t, e, append([]string{"activate", "--file", csvPath, "--results", results, "--progress", "none"}, extra...)...)
	}
	if r := batch(); r.code != 1 || !strings.Contains(r.stderr, "2 activated") {
		t.Fatalf("first run: %+v", r)
	}
	// A crash cut the last line; a long line of another tool's making sits in the middle.
	f, _ := os.OpenFile(results, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"line":99,"status":"invalid","error":"` + strings.Repeat("x", 200<<10) + `","time":"t"}` + "\n" + `{"line":3,"cust`)
	f.Close()

	r := batch()
	if r.code != 1 || !strings.Contains(r.stderr, "0 activated") || !strings.Contains(r.stderr, "2 skipped as done before") ||
		!strings.Contains(r.stderr, "the last line was cut off") {
		t.Fatalf("second run: %+v", r)
	}
	data, _ := os.ReadFile(results)
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	count := map[string]int{}
	for _, l := range lines {
		switch {
		case strings.Contains(l, `"status":"activated"`):
			count["activated"]++
		case strings.Contains(l, `"status":"invalid"`) && strings.Contains(l, "not-a-guid"):
			count["invalid"]++
		case strings.Contains(l, `"status":"duplicate"`):
			count["duplicate"]++
		}
	}
	if count["activated"] != 2 || count["invalid"] != 1 || count["duplicate"] != 1 || lines[len(lines)-1] != `{"line":3,"cust` {
		t.Fatalf("after two runs: %v; last line %q", count, lines[len(lines)-1])
	}

	// --force activates again, each row under a new MS-RequestId: the service takes it as a
	// second activation request (the sandbox's status holds a second stored answer), refuses
	// it (400, 800041), and the results say so: "already-active", never "activated".
	if r := batch("--force"); r.code != 1 || !strings.Contains(r.stderr, "0 activated, 2 already active") {
		t.Fatalf("--force: %+v", r)
	}
	answers := map[string]int{}
	for _, s := range sb.Status().Subscriptions {
		answers[s.Subscription] = s.StoredAnswers
	}
	for _, id := range []string{ids[0], ids[2]} {
		if sb.State.Activations(id) != 1 || answers[id] != 2 {
			t.Fatalf("%s: took effect %d times, %d activation requests stored; want 1 and 2", id, sb.State.Activations(id), answers[id])
		}
	}
	data, _ = os.ReadFile(results)
	lines = strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	for _, l := range lines[len(lines)-2:] {
		var res result
		if err := json.Unmarshal([]byte(l), &res); err != nil || res.Status != "already-active" || res.Code != "800041" {
			t.Fatalf("a forced row's result: %s", l)
		}
	}

	missing := filepath.Join(t.TempDir(), "nope.jsonl")
	if r := batch("--resume", missing); r.code != 2 || !strings.Contains(r.stderr, "--resume \""+missing+"\": no such file") {
		t.Fatalf("--resume of a missing file: %+v", r)
	}
}

// Every usage error exits 2 with one line and a pointer to --help, whichever command it is
// in; the controls: help exits 0, and a command that runs and fails exits 1.
func TestUsageErrorsExit2(t *testing.T) {
	csvPath := writeCSV(t, customer+","+subA)
	// Credentials are set (and wrong): a usage error is found before anything is sent.
	e := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "AZURE_TENANT_ID=" + tenant, "AZURE_CLIENT_ID=app", "AZURE_CLIENT_SECRET=s",
		"AZURE_AUTHORITY_HOST=https://127.0.0.1:1/"}
	for _, args := range [][]string{
		{"bogus"},
		{"activate", "extra"},
		{"links", "--customer", customer, "--order", order, "extra"},
		{"contract", "validate"},
		// contract validate takes PATH... (several paths are no usage error): its flags' values are.
		{"contract", "validate", "--format", "xml", "a"},
		{"contract", "validate", "--report", "html=x", "a"},
		{"contract", "bogus"},
		{"sandbox", "bogus"},
		{"sandbox", "status", "extra"},
		{"activate", "--nope"},
		{"activate", "--concurrency", "many"},
		{"activate", "--file", csvPath, "--concurrency", "0"},
		{"activate", "--file", csvPath, "--max-pause", "0s"},
		{"activate", "--file", csvPath, "--progress", "fancy"},
		{"activate", "--file", csvPath, "--rate", "-1"},
		{"activate", "--file", csvPath, "--rate", "NaN"},
		{"activate", "--file", csvPath, "--rate", "+Inf"},
		{"activate", "--file", csvPath, "--customer", customer},
		{"--endpoint", "http://partner.example", "links", "--customer", customer, "--order", order},
	} {
		r := runCLI(t, e, args...)
		lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
		if r.code != 2 || len(lines) != 2 || !strings.HasPrefix(lines[0], "partnercenter: ") || !strings.HasPrefix(lines[1], "Run 'partnercenter") || !strings.HasSuffix(lines[1], " --help' for usage.") {
			t.Errorf("%v: want exit 2 with one line and the --help pointer, got %+v", args, r)
		}
	}
	for _, args := range [][]string{{"--help"}, {"sandbox"}, {"activate", "--help"}} {
		if r := runCLI(t, e, args...); r.code != 0 {
			t.Errorf("%v: %+v", args, r)
		}
	}
	if r := runCLI(t, e, "activate", "--file", filepath.Join(t.TempDir(), "none.csv")); r.code != 2 || !strings.Contains(r.stderr, "none.csv\": no such file") {
		t.Errorf("a missing --file is a usage error, exit 2: %+v", r)
	}
}

// Credential and endpoint errors are one line naming the variable or flag to look at.
func TestCredentialAndEndpointErrors(t *testing.T) {
	sb := sandbox.Start(t, sandbox.Options{})
	base := env(t, sb)
	without := func(names ...string) []string {
		var out []string
	next:
		for _, kv := range base {
			for _, n := range names {
				if strings.HasPrefix(kv, n+"=") {
					continue next
				}
			}
			out = append(out, kv)
		}
		return out
	}
	links := []string{"--endpoint", sb.URL, "links", "--customer", customer, "--order", order}
	for _, tc := range []struct {
		name string
		env  []string
		args []string
		code int
		want []string
	}{
		{"a wrong secret", append(without("AZURE_CLIENT_SECRET"), "AZURE_CLIENT_SECRET=wrong"), links, 1,
			[]string{"authentication failed: 401 invalid_client: AADSTS7000215: Invalid client secret provided.", "(check AZURE_CLIENT_SECRET and AZURE_CLIENT_ID)"}},
		{"no secret", without("AZURE_CLIENT_SECRET"), links, 1, []string{"AZURE_CLIENT_SECRET not set"}},
		{"no tenant", without("AZURE_TENANT_ID"), links, 1, []string{"AZURE_TENANT_ID not set"}},
		{"a used-up refresh token", append(without("AZURE_CLIENT_SECRET"), "PARTNER_CENTER_REFRESH_TOKEN=sbx-refresh.gone"), links, 1,
			[]string{"invalid_grant", "check PARTNER_CENTER_REFRESH_TOKEN"}},
		{"a bad --endpoint", base, []string{"--endpoint", sb.URL + "/v1", "links", "--customer", customer, "--order", order}, 2,
			[]string{"--endpoint \"" + sb.URL + "/v1\" must not end in /v1"}},
		{"a bad PARTNER_CENTER_ENDPOINT", append(base, "PARTNER_CENTER_ENDPOINT=http://partner.example"), links[2:], 2,
			[]string{"PARTNER_CENTER_ENDPOINT \"http://partner.example\": http:// is allowed for loopback hosts only"}},
	} {
		r := runCLI(t, tc.env, tc.args...)
		first := strings.Split(r.stderr, "\n")[0]
		for _, w := range tc.want {
			if r.code != tc.code || !strings.Contains(first, w) || strings.Contains(r.stderr, "RESPONSE") || strings.Contains(r.stderr, "ClientOptions") {
				t.Errorf("%s: want exit %d and one line with %q, got %+v", tc.name, tc.code, w, r)
			}
		}
		if tc.code == 1 && strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Errorf("%s: more than one line:\n%s", tc.name, r.stderr)
		}
	}
}

// Without the sandbox's certificate, the command fails at the first attempt (no retries:
// the trace shows no second try) with the variable to set; a CA file that does not exist is named
// with the same hint. The control: with the certificate, the same command works.
func TestUntrustedCertificateFailsFast(t *testing.T) {
	sb := sandbox.Start(t, sandbox.Options{})
	e := env(t, sb)
	var noCA []string
	for _, kv := range e {
		if !strings.HasPrefix(kv, "PARTNER_CENTER_CA_FILE=") {
			noCA = append(noCA, kv)
		}
	}
	args := []string{"--endpoint", sb.URL, "--verbose", "links", "--customer", customer, "--order", order}
	r := runCLI(t, noCA, args...)
	if retries := strings.Count(r.stderr, "=====> Try=2"); r.code != 1 || retries != 0 || !strings.HasPrefix(lastLine(r.stderr), "partnercenter: the certificate of ") ||
		!strings.Contains(lastLine(r.stderr), "set PARTNER_CENTER_CA_FILE") {
		t.Fatalf("exit %d after %d retries, last line %q", r.code, retries, lastLine(r.stderr))
	}
	r = runCLI(t, append(noCA, "PARTNER_CENTER_CA_FILE=/nonexistent/ca.pem"), args...)
	if r.code != 1 || !strings.Contains(r.stderr, "PARTNER_CENTER_CA_FILE: open /nonexistent/ca.pem") || !strings.Contains(r.stderr, "banner") {
		t.Fatalf("a missing CA file: %+v", r)
	}
	if r := runCLI(t, e, args...); r.code != 0 {
		t.Fatalf("control: %+v", r)
	}
}

// On a terminal of 80 columns, each redraw of the progress bar fits in 79; the control: on a
// terminal of 200, the same bar is wider than 80. (script(1) gives the command a terminal.)
func TestProgressBarFitsTheTerminal(t *testing.T) {
	scriptPath, err := exec.LookPath("script")
	if err != nil {
		t.Fatal("this test needs script(1) (util-linux/bsdutils) to give the command a terminal")
	}
	widest := func(cols int) int {
		seed, ids := sandbox.SeedWithSubscriptions(60)
		sb := sandbox.Start(t, sandbox.Options{Seed: seed, Faults: sandbox.Faults{Latency: 20 * time.Millisecond}})
		cmdline := "stty cols " + strconv.Itoa(cols) + " rows 24; exec " + built(t) + " activate --file " + batchCSV(t, ids) + " --concurrency 2 --rate 1000 --progress auto"
		cmd := exec.Command(scriptPath, "-qfec", cmdline, "/dev/null")
		cmd.Env = withEndpoint(t, sb)
		var out bytes.Buffer
		cmd.Stdout = &out
		if err := cmd.Run(); err != nil {
			t.Fatalf("%v\n%s", err, out.String())
		}
		max := 0
		for _, seg := range regexp.MustCompile("\r|\n").Split(strings.ReplaceAll(out.String(), "\033[K", ""), -1) {
			if strings.Contains(seg, "/60 done") && len(seg) > max {
				max = len(seg)
			}
		}
		if max == 0 {
			t.Fatalf("no progress bar drawn:\n%q", out.String())
		}
		return max
	}
	if w := widest(80); w > 79 {
		t.Fatalf("a %d-column progress line on an 80-column terminal", w)
	}
	if w := widest(200); w <= 80 {
		t.Fatalf("control: on a 200-column terminal the bar is only %d columns", w)
	}
}

// --results naming a file that is not a results file (here the batch's own CSV) is refused
// with the line that shows it, before anything is activated or appended: the CSV stays as it
// was. (The control, a results file of our own, is TestResultsFileAcrossRuns.)
func TestResultsFileNotOursIsRefused(t *testing.T) {
	seed, ids := sandbox.SeedWithSubscriptions(2)
	sb := sandbox.Start(t, sandbox.Options{Seed: seed})
	csvPath := batchCSV(t, ids)
	before, _ := os.ReadFile(csvPath)
	r := runCLI(t, withEndpoint(t, sb), "activate", "--file", csvPath, "--results", csvPath, "--progress", "none")
	if r.code != 1 || !strings.Contains(r.stderr, "--results "+csvPath+": line 1 is not a result of partnercenter activate") {
		t.Fatalf("%+v", r)
	}
	if after, _ := os.ReadFile(csvPath); !bytes.Equal(after, before) {
		t.Fatalf("the CSV was changed:\n%s", after)
	}
	for _, id := range ids {
		if n := sb.State.Activations(id); n != 0 {
			t.Fatalf("%s activated %d times", id, n)
		}
	}
}

// --results /dev/stdout into a pipe is written to, not read for earlier runs (that read
// waited forever for the run's own output, deaf to Ctrl-C): the results arrive in the pipe.
func TestResultsToAPipe(t *testing.T) {
	seed, ids := sandbox.SeedWithSubscriptions(2)
	sb := sandbox.Start(t, sandbox.Options{Seed: seed})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, built(t), "activate", "--file", batchCSV(t, ids), "--results", "/dev/stdout", "--progress", "none")
	cmd.Env = withEndpoint(t, sb)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr // a pipe
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v (ctx: %v)\n%s", err, ctx.Err(), stderr.String())
	}
	if n := strings.Count(stdout.String(), `"status":"activated"`); n != len(ids) {
		t.Fatalf("%d activated results in the pipe, want %d:\n%s", n, len(ids), stdout.String())
	}
}

// A batch against a sandbox that limits the tenant to 40 requests a second and answers 5% of
// the attempts it admits with a random 429 keeps at least 80% of the limit (the most it can
// keep is 95%: a random 429 uses up a token): the random 429s do not ratchet the pace down.
// The rate is the service's answers a second after the first two seconds (the results'
// times), where the pace was found: the first second is the bucket's burst and the
// Retry-After pause that shows the limit, the same on any machine. The sandbox's faults are
// seeded (Faults.Seed), so the same attempts get the same 429s. TestPacerRandom429sKeepThePace
// proves the same on a virtual clock, over ten minutes.
func TestBatchKeepsThePaceUnderRandom429s(t *testing.T) {
	const limit = 40
	seed, ids := sandbox.SeedWithSubscriptions(320)
	sb := sandbox.Start(t, sandbox.Options{Seed: seed, Faults: sandbox.Faults{Seed: 21, RateLimit: limit, ThrottleRate: 0.05}})
	e := withEndpoint(t, sb)
	results := filepath.Join(t.TempDir(), "out.jsonl")
	r := runCLI(t, e, "activate", "--file", batchCSV(t, ids), "--concurrency", "8", "--progress", "lines", "--results", results)
	if r.code != 0 || !strings.Contains(r.stderr, fmt.Sprintf("%d activated, 0 already active, 0 failed", len(ids))) {
		t.Fatalf("%+v", r)
	}
	var times []time.Time
	for _, res := range readResults(t, results) {
		at, err := time.Parse(time.RFC3339Nano, res.Time)
		if err != nil {
			t.Fatal(err)
		}
		times = append(times, at)
	}
	slices.SortFunc(times, time.Time.Compare)
	from := times[0].Add(2 * time.Second)
	n := len(times) - sort.Search(len(times), func(i int) bool { return !times[i].Before(from) })
	rate := float64(n-1) / times[len(times)-1].Sub(from).Seconds()
	st := sb.Stats()
	t.Logf("%.1f/s of a %d/s limit after the first 2s; %d 429s of %d requests\n%s", rate, limit, st.Throttled, st.Requests, r.stderr)
	if st.Throttled < 10 {
		t.Fatalf("only %d 429s: the test means nothing", st.Throttled)
	}
	if rate < 0.8*limit {
		t.Fatalf("the batch kept %.1f/s, under 80%% of the %d/s limit:\n%s", rate, limit, r.stderr)
	}
}
