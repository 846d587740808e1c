package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/partnercenter-go/partnercenter/sandbox"
)

// The README's walkthrough, run against a fresh sandbox with the environment its banner prints.
func TestWalkthrough(t *testing.T) {
	sb := sandbox.Start(t, sandbox.Options{})
	ca := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(ca, sb.CertPEM, 0o644)
	// The banner pasted into a shell, as its reader would: the environment it leaves.
	sh := exec.Command("sh", "-e", "-c", sb.Banner(ca)+"env")
	sh.Env = []string{}
	printed, err := sh.Output()
	if err != nil {
		t.Fatalf("the banner does not run in a shell: %v\n%s", err, sb.Banner(ca))
	}
	env := map[string]string{}
	for _, line := range strings.Split(string(printed), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			env[k] = v
		}
	}
	var out strings.Builder
	if err := run(context.Background(), func(k string) string { return env[k] }, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"line item 0: GET https://publisher.example/", ": Success", "again: 400 code 800041"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
