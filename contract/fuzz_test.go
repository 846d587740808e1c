package contract_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/partnercenter-go/partnercenter/contract"
	probes "github.com/partnercenter-go/partnercenter/internal/gateprobes"
)

// FuzzLoadAndJudge feeds arbitrary bytes to the gate as a cassette file: loading, judging and
// the secret scan must end in a verdict, never a panic (the engine turns a panic into an
// "internal error" finding, which fails this target) and never a hang. The seeds are the
// probes (but the 17 MB one) and the project's cassettes; `go test` runs them in `make test`:
//
//	go test ./contract -run '^$' -fuzz FuzzLoadAndJudge -fuzztime 60s
func FuzzLoadAndJudge(f *testing.F) {
	for _, p := range probes.All() {
		for _, content := range p.Files {
			if len(content) < 1<<20 {
				f.Add([]byte(content))
			}
		}
	}
	own, _ := filepath.Glob(filepath.Join(ownCassettes, "*", "*.yaml"))
	for _, path := range own {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("version: 2\ninteractions:\n  - request: {url: \"%zz\", method: \"\"}\n"))
	f.Add([]byte("version: 2\ninteractions:\n  - request: {url: \"http://[::1\", method: GET}\n    response: {code: -1}\n"))
	f.Add([]byte("version: 2\ninteractions: &a [*a]\n"))
	v, err := contract.NewDefault(contract.Options{Workers: 1})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "fuzz.yaml")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		done := make(chan *contract.Report, 1)
		go func() {
			report, _ := v.Check(path)
			done <- report
		}()
		var report *contract.Report
		select {
		case report = <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("the gate hangs on this input (%d bytes)", len(data))
		}
		if report == nil {
			t.Fatal("no report for an existing file")
		}
		if report.Files != 1 {
			t.Fatalf("judged %d files, want 1", report.Files)
		}
		for _, fd := range report.Findings {
			if strings.Contains(fd.Reason, "internal error") {
				t.Fatalf("the gate panicked on this input: %s", fd)
			}
		}
	})
}
