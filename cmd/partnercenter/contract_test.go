package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/partnercenter-go/partnercenter/contract"
	probes "github.com/partnercenter-go/partnercenter/internal/gateprobes"
)

// Every probe through the library (contract.Check) and the command: the same verdict, the same
// findings, the strings each probe expects, and never a secret.
func TestContractProbesLibraryAndCommand(t *testing.T) {
	v, err := contract.NewDefault(contract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range probes.All() {
		t.Run(p.Name, func(t *testing.T) {
			dir := t.TempDir()
			if err := p.Write(dir); err != nil {
				t.Fatal(err)
			}
			report, libErr := v.Check(dir)
			if (libErr == nil) != p.Pass {
				t.Fatalf("library: err %v, want pass=%v", libErr, p.Pass)
			}
			r := runCLI(t, []string{"PATH=" + os.Getenv("PATH")}, "contract", "validate", dir)
			wantCode := 1
			if p.Pass {
				wantCode = 0
			}
			if r.code != wantCode {
				t.Fatalf("command: exit %d, want %d\n%s%s", r.code, wantCode, r.stdout, r.stderr)
			}
			libLines := probes.LibraryLines(report)
			if got := findingLines(r.stdout); strings.Join(sorted(got), "\n") != strings.Join(sorted(libLines), "\n") {
				t.Errorf("the command and the library disagree:\ncommand:\n%s\nlibrary:\n%s", strings.Join(got, "\n"), strings.Join(libLines, "\n"))
			}
			for _, want := range p.Want {
				if !strings.Contains(unwrapped(r.stdout), want) {
					t.Errorf("command output lacks %q:\n%s", want, r.stdout)
				}
			}
			for _, secret := range p.Secrets {
				if strings.Contains(r.stdout+r.stderr, secret) || strings.Contains(strings.Join(libLines, "\n"), secret) {
					t.Errorf("a secret leaked into the output")
				}
			}
		})
	}
}

// findingLines are the findings and ignored interactions of the text output, unwrapped.
func findingLines(out string) []string { return probes.FindingLines(out) }

// unwrapped is the text output with its findings on one line each (the rest as it is), for
// looking for a phrase that a line break may have cut.
func unwrapped(out string) string {
	return out + "\n" + strings.Join(probes.FindingLines(out), "\n")
}

func sorted(s []string) []string { return slices.Sorted(slices.Values(s)) }

func TestContractValidateOutputs(t *testing.T) {
	env := []string{"PATH=" + os.Getenv("PATH")}
	bad := probes.TempDir(t, "a schema violation")
	good := probes.TempDir(t, "a recorded token exchange, redacted")

	t.Run("json lines", func(t *testing.T) {
		r := runCLI(t, env, "contract", "validate", "--format", "json", bad)
		if r.code != 1 {
			t.Fatalf("%+v", r)
		}
		var kinds []string
		for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
			var obj map[string]any
			if err := json.Unmarshal([]byte(l), &obj); err != nil {
				t.Fatalf("not a JSON line: %q", l)
			}
			kinds = append(kinds, obj["kind"].(string))
			if obj["kind"] == "summary" && (obj["pass"] != false || obj["violations"].(float64) != 1) {
				t.Errorf("summary %v", obj)
			}
			if obj["kind"] == "finding" && obj["pointer"] != "/response/body/status" {
				t.Errorf("finding %v", obj)
			}
		}
		if strings.Join(kinds, ",") != "finding,summary" {
			t.Errorf("kinds %v", kinds)
		}
	})
	t.Run("github annotations point at the file", func(t *testing.T) {
		r := runCLI(t, env, "contract", "validate", "--format", "github", bad)
		want := "::error file=" + filepath.ToSlash(filepath.Join(bad, "team", "rec.yaml")) + ",title=contract violation%3A interaction 0::violation: "
		if r.code != 1 || !strings.Contains(r.stdout, want) {
			t.Fatalf("want %q in:\n%s", want, r.stdout)
		}
	})
	t.Run("junit report", func(t *testing.T) {
		report := filepath.Join(t.TempDir(), "junit.xml")
		r := runCLI(t, env, "contract", "validate", "--report", "junit="+report, good, bad)
		if r.code != 1 {
			t.Fatalf("%+v", r)
		}
		data, err := os.ReadFile(report)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Suites []struct {
				Tests    int `xml:"tests,attr"`
				Failures int `xml:"failures,attr"`
				Props    []struct {
					Name string `xml:"name,attr"`
				} `xml:"properties>property"`
				Cases []struct {
					Name    string    `xml:"name,attr"`
					Failure *struct{} `xml:"failure"`
					Skipped *struct{} `xml:"skipped"`
				} `xml:"testcase"`
			} `xml:"testsuite"`
		}
		if err := xml.Unmarshal(data, &doc); err != nil {
			t.Fatalf("not XML: %v\n%s", err, data)
		}
		var names []string
		for _, c := range doc.Suites[0].Cases {
			n := c.Name
			if c.Failure != nil {
				n += " FAIL"
			}
			if c.Skipped != nil {
				n += " SKIP"
			}
			names = append(names, n)
		}
		want := "rec.yaml #0 ActivateSubscription,rec.yaml #1 (ignored) SKIP,team/rec.yaml #0 ActivateSubscription FAIL"
		if strings.Join(names, ",") != want {
			t.Errorf("testcases %q, want %q", strings.Join(names, ","), want)
		}
		if len(doc.Suites[0].Props) != 4 || !bytes.Contains(data, []byte("<system-out>")) {
			t.Errorf("coverage is not in the properties and system-out:\n%s", data)
		}
	})
	t.Run("usage errors exit 2", func(t *testing.T) {
		for _, args := range [][]string{
			{"contract", "validate"},
			{"contract", "validate", "--format", "xml", good},
			{"contract", "validate", "--report", "pdf=x", good},
		} {
			if r := runCLI(t, env, args...); r.code != 2 {
				t.Errorf("%v: exit %d, want 2 (%s)", args, r.code, r.stderr)
			}
		}
	})
	t.Run("a missing path is a usage error", func(t *testing.T) {
		if r := runCLI(t, env, "contract", "validate", filepath.Join(good, "nope")); r.code != 2 || !strings.Contains(r.stderr, "no such file") {
			t.Errorf("%+v", r)
		}
	})
}

// The library streams the same verdicts in the same order whatever the number of workers.
func TestContractRunOrderIsStable(t *testing.T) {
	dir := t.TempDir()
	for _, p := range probes.All()[:12] {
		if err := p.Write(filepath.Join(dir, strings.ReplaceAll(p.Name, " ", "-"))); err != nil {
			t.Fatal(err)
		}
	}
	var outs []string
	for _, workers := range []int{1, 2, 7} {
		v, _ := contract.NewDefault(contract.Options{Workers: workers})
		var b strings.Builder
		rep, _ := contract.NewReporter("text", &b, "")
		if _, err := v.Print(context.Background(), []string{dir}, rep); err == nil {
			t.Fatal("the probes hold violations: the run must fail")
		}
		outs = append(outs, b.String())
	}
	if outs[0] != outs[1] || outs[0] != outs[2] {
		t.Errorf("the output depends on the number of workers:\n%s\n---\n%s", outs[0], outs[2])
	}
}
