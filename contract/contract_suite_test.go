package contract_test

import (
	"flag"
	"os"
	"strings"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/partnercenter-go/partnercenter/contract"
)

// The gate is configured by the environment, as `make contract` sets it:
//
//	CASSETTES  a folder (or file) of go-vcr v4 cassettes to judge instead of the project's own
//	STRICT=1   undeclared fields, undocumented +json types and empty error bodies are violations, not drift
//	FORMAT     text (default), json or github: how the gate prints (as the command's --format)
//	REPORT     a file to write the JUnit report to (as the command's --report junit=FILE)
//	GATE_ROOT  the folder GitHub annotations are made relative to (make passes the repository)
//	MODE       replay (default), live or record (see live_test.go), or probe (probe_mode_test.go)
type gateConfig struct {
	dir     string
	ownDir  bool // judging the project's own cassettes: replay and mutants run too
	strict  bool
	mode    string
	format  string
	report  string
	root    string
	options contract.Options
}

const ownCassettes = "testdata/cassettes"

func loadConfig() gateConfig {
	c := gateConfig{dir: os.Getenv("CASSETTES"), strict: os.Getenv("STRICT") == "1", mode: strings.ToLower(os.Getenv("MODE")),
		format: os.Getenv("FORMAT"), report: os.Getenv("REPORT"), root: os.Getenv("GATE_ROOT")}
	if c.dir == "" {
		c.dir, c.ownDir = ownCassettes, true
	}
	if c.mode == "" {
		c.mode = "replay"
	}
	c.options = contract.Options{Strict: c.strict}
	return c
}

var cfg = loadConfig()

// TestContract runs the Ginkgo suite. Ginkgo refuses `go test -count=N` (it runs a suite once
// per process), so with a count other than 1 the suite is skipped, saying so: `make test`
// runs `go test -count=2 ./...` for the plain tests and the suite through `make contract`.
func TestContract(t *testing.T) {
	if f := flag.Lookup("test.count"); f != nil && f.Value.String() != "1" {
		t.Skip("the Ginkgo suite is run by `make contract` (ginkgo refuses go test -count=" + f.Value.String() + ")")
	}
	RegisterFailHandler(Fail)
	RunSpecs(t, "Contract gate")
}
