package contract_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/partnercenter-go/partnercenter/contract"
	probes "github.com/partnercenter-go/partnercenter/internal/gateprobes"
)

// FuzzLoadAndJudge feeds arbitrary bytes to the gate's cassette loader, and what it loads to
// the full check of an interaction (judging and the secret scan): they must end in a verdict,
// never a panic and never a hang. The seeds are the
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
		done := make(chan struct{})
		go func() {
			defer close(done)
			// Load and judge directly, not through Check: the engine would turn a panic into
			// a finding, and the file system adds nothing the input decides.
			interactions, err := contract.Cassettes.Load(bytes.NewReader(data))
			if err != nil {
				return
			}
			for i, in := range interactions {
				for _, fd := range v.JudgeInteraction("fuzz.yaml", i, in).Findings {
					if fd.Cassette != "fuzz.yaml" || fd.Interaction != i {
						t.Errorf("finding mislabelled: %s", fd)
					}
				}
			}
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("the gate hangs on this input (%d bytes)", len(data))
		}
	})
}
