package main

import (
	"context"
	"os"
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
	env := map[string]string{"PARTNER_CENTER_CA_FILE": ca}
	for _, line := range strings.Split(sb.Banner(ca), "\n") {
		for _, kv := range strings.Fields(strings.TrimPrefix(strings.TrimSpace(line), "export ")) {
			if k, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(line, "  export") {
				env[k] = v
			}
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
