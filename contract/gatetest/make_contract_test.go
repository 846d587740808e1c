// Package gatetest runs `make contract` the way CI systems and other teams do, on cassette
// directories made for each case, and checks its exit status and output.
package gatetest

import (
	"encoding/xml"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/partnercenter-go/partnercenter/contract"
	probes "github.com/partnercenter-go/partnercenter/internal/gateprobes"
)

const repoRoot = "../.."

// makeContract runs `make contract args...` with this process's environment.
func makeContract(t *testing.T, args ...string) (string, error) {
	t.Helper()
	return runMake(t, append(os.Environ(), "CI=true"), args...)
}

// runMake runs `make contract args...` in the repository with exactly env.
func runMake(t *testing.T, env []string, args ...string) (string, error) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs make: not in -short mode (make test runs it)")
	}
	cmd := exec.Command("make", append([]string{"-s", "--no-print-directory", "-C", repoRoot, "contract"}, args...)...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestMakeContractOnOwnCassettes(t *testing.T) {
	t.Parallel()
	out, err := makeContract(t)
	if err != nil {
		t.Fatalf("make contract fails on the project's cassettes: %v\n%s", err, out)
	}
	for _, want := range []string{"Contract coverage", "ActivateSubscription"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !regexp.MustCompile(`(?m)^PASS: \d+ files?, \d+ interactions: \d+ judged, 0 ignored; 0 violations`).MatchString(out) {
		t.Errorf("output lacks the summary line of a pass:\n%s", out)
	}
	if m := regexp.MustCompile(`mutants caught: (\d+)/(\d+) \(100%\)`).FindStringSubmatch(out); m == nil || m[1] != m[2] {
		t.Errorf("output lacks a full mutant catch:\n%s", out)
	}
}

// The suite agrees with the library on every probe at once: each probe is a folder of one
// directory, judged in one `make contract CASSETTES=` run (a run per probe would cost a
// minute of builds); its finding lines and verdict must be the library's, and each probe's
// expected strings must be in the output. The probes' per-probe verdicts are checked through
// the library and the command in cmd/partnercenter's TestContractProbesLibraryAndCommand.
func TestMakeContractProbes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, p := range probes.All() {
		if err := p.Write(filepath.Join(dir, folderOf(p.Name))); err != nil {
			t.Fatal(err)
		}
	}
	v, err := contract.NewDefault(contract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	report, libErr := v.Check(dir)
	if libErr == nil {
		t.Fatal("the probes hold violations: the library must fail them")
	}
	out, err := makeContract(t, "CASSETTES="+dir)
	if err == nil {
		t.Fatalf("make contract passed the probes:\n%s", out)
	}
	lib := probes.LibraryLines(report)
	got := probes.FindingLines(out)
	if strings.Join(sorted(got), "\n") != strings.Join(sorted(lib), "\n") {
		t.Errorf("make contract and the library disagree:\nmake:\n%s\nlibrary:\n%s", strings.Join(got, "\n"), strings.Join(lib, "\n"))
	}
	for _, p := range probes.All() {
		for _, secret := range p.Secrets {
			if strings.Contains(out, secret) {
				t.Errorf("probe %q: a secret leaked into make's output", p.Name)
			}
		}
	}
	if strings.Contains(out, "mutants caught") {
		t.Error("mutants belong to the project's own cassettes, not to CASSETTES=")
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func folderOf(name string) string {
	return strings.NewReplacer(" ", "-", `"`, "", "/", "_", "'", "", "*", "star", "<", "", ">", "", "[", "", "]", "").Replace(name)
}

// A placeholder-redacted recording with a token exchange passes, lists the exchange as
// ignored and writes a JUnit report with nothing but its interactions; drift is reported and
// fails only with STRICT=1; a folder with nothing to judge fails.
func TestMakeContractCassettes(t *testing.T) {
	t.Parallel()
	t.Run("redacted recording, JUnit report", func(t *testing.T) {
		t.Parallel()
		report := filepath.Join(t.TempDir(), "junit.xml")
		out, err := makeContract(t, "CASSETTES="+probes.TempDir(t, "a recorded token exchange, redacted"), "REPORT="+report)
		if err != nil || !strings.Contains(out, "ignored: ") || !strings.Contains(out, "PASS: 1 file, 2 interactions: 1 judged, 1 ignored") {
			t.Fatalf("err %v:\n%s", err, out)
		}
		data, err := os.ReadFile(report)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Cases []struct {
				Name string `xml:"name,attr"`
			} `xml:"testsuite>testcase"`
		}
		if err := xml.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, c := range doc.Cases {
			names = append(names, c.Name)
		}
		if strings.Join(names, ",") != "rec.yaml #0 ActivateSubscription,rec.yaml #1 (ignored)" {
			t.Errorf("JUnit testcases %q: want one per interaction, nothing else", names)
		}
	})
	t.Run("drift, STRICT=1", func(t *testing.T) {
		t.Parallel()
		dir := probes.TempDir(t, "a refresh token in a JSON body")
		// Replace the refresh token by a harmless undeclared field.
		path := filepath.Join(dir, "rec.yaml")
		data, _ := os.ReadFile(path)
		os.WriteFile(path, []byte(strings.Replace(string(data), `\"refresh_token\":\"0.AAAArefresh-value-123\"`, `\"activatedOn\":\"2026-01-01\"`, 1)), 0o644)
		out, err := makeContract(t, "CASSETTES="+dir)
		if err != nil || !strings.Contains(out, "drift: ") || !strings.Contains(out, "/response/body/activatedOn") {
			t.Fatalf("drift must be reported and pass without STRICT (err %v):\n%s", err, out)
		}
		out, err = makeContract(t, "CASSETTES="+dir, "STRICT=1", "FORMAT=github")
		if err == nil || !strings.Contains(out, "::error file=") || !strings.Contains(out, "/response/body/activatedOn") {
			t.Fatalf("STRICT=1 must fail on an undeclared field, FORMAT=github annotate it (err %v):\n%s", err, out)
		}
	})
	t.Run("HAR captures", func(t *testing.T) {
		t.Parallel()
		out, err := makeContract(t, "CASSETTES=contract/testdata/har")
		if err != nil || !strings.Contains(out, "PASS: 3 files, 7 interactions: 6 judged, 1 ignored") {
			t.Fatalf("the HAR captures must pass (err %v):\n%s", err, out)
		}
		out, err = makeContract(t, "CASSETTES=contract/testdata/har-negative")
		out = strings.Join(probes.FindingLines(out), "\n") // the findings, unwrapped
		if err == nil || !strings.Contains(out, "violating.har interaction 1: ActivateSubscription 200: /response/body/status") ||
			!strings.Contains(out, "secrets.har interaction 1: GetSubscriptionActivationLinks 200: /request/header/Authorization: holds a bearer token") {
			t.Fatalf("the negative HAR captures must fail, naming file, entry and field (err %v):\n%s", err, out)
		}
	})
	t.Run("nothing judged", func(t *testing.T) {
		t.Parallel()
		out, err := makeContract(t, "CASSETTES="+probes.TempDir(t, "only traffic that is not Partner Center's"))
		if err == nil || !strings.Contains(out, "no interaction was judged") {
			t.Fatalf("err %v:\n%s", err, out)
		}
	})
}

// SPEC= judges with exactly the given file: a copy of openapi.yaml whose line item numbers
// start at 5 makes the cassettes that ask for line items 0 and 1 violations (the embedded
// spec passes them: TestMakeContractOnOwnCassettes); a file that is no OpenAPI document
// stops the gate at once, naming it.
func TestMakeContractSpec(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "openapi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	mutated := strings.Replace(string(data), "\n        minimum: 0\n", "\n        minimum: 5\n", 1)
	if mutated == string(data) {
		t.Fatal("openapi.yaml no longer has LineItemNumber's minimum: 0; update this test")
	}
	dir := t.TempDir()
	specFile := filepath.Join(dir, "patched.yaml")
	os.WriteFile(specFile, []byte(mutated), 0o644)
	cassettes, _ := filepath.Abs(filepath.Join(repoRoot, "contract/testdata/cassettes"))
	out, err := makeContract(t, "CASSETTES="+cassettes, "SPEC="+specFile)
	if err == nil || !strings.Contains(out, "violation: ") || !strings.Contains(out, "GetLineItemActivationLinks") {
		t.Fatalf("make contract SPEC=<patched> passed, or failed for another reason (err %v):\n%s", err, out)
	}
	overlay := filepath.Join(dir, "overlay.yaml")
	os.WriteFile(overlay, []byte("overlay: 1.0.0\nactions: []\n"), 0o644)
	out, err = makeContract(t, "CASSETTES="+cassettes, "SPEC="+overlay)
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 || !strings.Contains(out, "SPEC="+overlay+": an OpenAPI Overlay, not an OpenAPI document") {
		t.Fatalf("make contract SPEC=<an overlay>: want exit 2 naming the file, got %v:\n%s", err, out)
	}
}

// Colour only on a terminal with NO_COLOR unset (no-color.org): make contract on a terminal
// (a pty, through util-linux's script) colours Ginkgo's report; with NO_COLOR set, or into a
// pipe (a log), there is no escape code. The first case is the control: the decision is
// what removes the colour, Ginkgo itself colours into a pipe too.
func TestMakeContractColour(t *testing.T) {
	script, err := exec.LookPath("script")
	if err != nil {
		t.Fatal("this test needs util-linux's script (a pty for make): ", err)
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CI=") && !strings.HasPrefix(kv, "NO_COLOR=") {
			env = append(env, kv)
		}
	}
	negative, _ := filepath.Abs(filepath.Join(repoRoot, "contract/testdata/har-negative"))
	onTerminal := func(extra ...string) string {
		cmd := exec.Command(script, "-qec", "make -s --no-print-directory -C "+repoRoot+" contract CASSETTES="+negative, "/dev/null")
		cmd.Env = append(append(env[:len(env):len(env)], "TERM=xterm"), extra...)
		out, _ := cmd.CombinedOutput()
		return string(out)
	}
	if out := onTerminal(); !strings.Contains(out, "\x1b[") {
		t.Fatalf("control: on a terminal, Ginkgo's report has no colour:\n%s", out)
	}
	if out := onTerminal("NO_COLOR=1"); strings.Contains(out, "\x1b[") || !strings.Contains(out, "violation: ") {
		t.Errorf("NO_COLOR=1 on a terminal: escape codes, or no report:\n%q", out)
	}
	out, _ := runMake(t, env, "CASSETTES="+negative)
	if strings.Contains(out, "\x1b[") || !strings.Contains(out, "violation: ") {
		t.Errorf("into a pipe: escape codes, or no report:\n%q", out)
	}
}
