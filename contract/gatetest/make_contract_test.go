// Package gatetest runs `make contract` the way CI systems and other teams do, on cassette
// directories made for each case, and checks its exit status and output.
package gatetest

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const (
	repoRoot   = "../.."
	documented = "../testdata/cassettes/documented/activate-sandbox-subscription.yaml"
)

// makeContract runs `make contract args...` with this process's environment.
func makeContract(t *testing.T, args ...string) (string, error) {
	t.Helper()
	return runMake(t, append(os.Environ(), "CI=true"), args...)
}

// runMake runs `make contract args...` in the repository with exactly env.
func runMake(t *testing.T, env []string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("make", append([]string{"-s", "--no-print-directory", "-C", repoRoot, "contract"}, args...)...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// dirWith makes a cassette directory holding the documented activate cassette, edited by
// replacing old with new ("" leaves it as is).
func dirWith(t *testing.T, old, new string) string {
	t.Helper()
	src, err := os.ReadFile(documented)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(src), old, new, 1)
	if old != "" && edited == string(src) {
		t.Fatalf("edit %q did not apply", old)
	}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "team"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "team", "recording.yaml"), []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

const okBody = `body: "{\"subscriptionId\":\"aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e\",\"status\":\"Success\"}"`

func TestMakeContractOnOwnCassettes(t *testing.T) {
	out, err := makeContract(t)
	if err != nil {
		t.Fatalf("make contract fails on the project's cassettes: %v\n%s", err, out)
	}
	for _, want := range []string{"Contract coverage", "ActivateSubscription"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if m := regexp.MustCompile(`mutants caught: (\d+)/(\d+) \(100%\)`).FindStringSubmatch(out); m == nil || m[1] != m[2] {
		t.Errorf("output lacks a full mutant catch:\n%s", out)
	}
}

func TestMakeContractCassettes(t *testing.T) {
	t.Run("a conforming directory passes and prints coverage", func(t *testing.T) {
		out, err := makeContract(t, "CASSETTES="+dirWith(t, "", ""))
		if err != nil || !strings.Contains(out, "Contract coverage") {
			t.Fatalf("err %v:\n%s", err, out)
		}
		if strings.Contains(out, "mutants caught") {
			t.Fatal("mutants belong to the project's own cassettes, not to CASSETTES=")
		}
	})
	t.Run("a violation fails, naming file, interaction, operation, status and pointer", func(t *testing.T) {
		out, err := makeContract(t, "CASSETTES="+dirWith(t, `\"status\":\"Success\"`, `\"status\":7`))
		if err == nil {
			t.Fatalf("make contract passed a violating cassette:\n%s", out)
		}
		for _, want := range []string{"team/recording.yaml interaction 0", "ActivateSubscription 200", "/response/body/status", "value must be a string"} {
			if !strings.Contains(out, want) {
				t.Errorf("finding lacks %q:\n%s", want, out)
			}
		}
	})
	t.Run("an empty directory fails", func(t *testing.T) {
		out, err := makeContract(t, "CASSETTES="+t.TempDir())
		if err == nil || !strings.Contains(out, "no cassettes") {
			t.Fatalf("err %v:\n%s", err, out)
		}
	})
	t.Run("an unreadable cassette fails", func(t *testing.T) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "broken.yaml"), []byte("version: 2\ninteractions: [unclosed\n"), 0o644)
		out, err := makeContract(t, "CASSETTES="+dir)
		if err == nil || !strings.Contains(out, "unreadable") {
			t.Fatalf("err %v:\n%s", err, out)
		}
	})
}

// An undeclared field is drift: reported, and the gate passes; with STRICT=1 it fails.
func TestMakeContractStrict(t *testing.T) {
	dir := dirWith(t, okBody, `body: "{\"subscriptionId\":\"aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e\",\"status\":\"Success\",\"activatedOn\":\"2026-01-01\"}"`)
	out, err := makeContract(t, "CASSETTES="+dir)
	if err != nil {
		t.Fatalf("drift must not fail the gate without STRICT: %v\n%s", err, out)
	}
	if !strings.Contains(out, "drift") || !strings.Contains(out, "/response/body/activatedOn") {
		t.Fatalf("drift is not reported:\n%s", out)
	}
	out, err = makeContract(t, "CASSETTES="+dir, "STRICT=1")
	if err == nil || !strings.Contains(out, "/response/body/activatedOn") {
		t.Fatalf("STRICT=1 must fail on an undeclared field (err %v):\n%s", err, out)
	}
}

func TestMakeContractJUnitReport(t *testing.T) {
	report := filepath.Join(t.TempDir(), "junit.xml")
	if out, err := makeContract(t, "REPORT="+report); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	data, err := os.ReadFile(report)
	if err != nil || !strings.Contains(string(data), "<testsuites") || !strings.Contains(string(data), "conforms to openapi.yaml") {
		t.Fatalf("no JUnit report at REPORT= (%v)", err)
	}
}
