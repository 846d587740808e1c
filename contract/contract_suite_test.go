package contract_test

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/partnercenter-go/partnercenter/contract"
	"github.com/partnercenter-go/partnercenter/contract/reportfile"
)

// The gate is configured by the environment, as `make contract` sets it:
//
//	CASSETTES  a folder (or file) of go-vcr v4 cassettes to judge instead of the project's own
//	STRICT=1   undeclared fields, undocumented +json types and empty error bodies are violations, not drift
//	FORMAT     text (default), json or github: how the gate prints (as the command's --format)
//	REPORT     reports to write, as the command's --report values: junit=FILE, html=FILE (several
//	           separated by spaces; a bare FILE is junit), relative to GATE_ROOT
//	GATE_ROOT  the folder GitHub annotations are made relative to (make passes the repository)
//	MODE       replay (default), live or record (see live_test.go), or probe (probe_mode_test.go)
//	GATE_SPEC  the OpenAPI document to judge with (make's SPEC=); default: the embedded spec
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
	c.options = contract.Options{Strict: c.strict, SpecFile: os.Getenv("GATE_SPEC")}
	if _, err := reportfile.ParseAll(strings.Fields(c.report), c.root); err != nil {
		// A usage error, before anything runs or is written: make's exit status is 2.
		fmt.Fprintf(os.Stderr, "make contract: REPORT=%s\n", err)
		os.Exit(2)
	}
	if c.options.SpecFile != "" {
		// A spec that cannot be judged with stops the gate at once, naming the file, before
		// any spec runs (each would fail with the same error).
		if _, err := contract.LoadSpec(c.options.SpecFile); err != nil {
			fmt.Fprintln(os.Stderr, "make contract: SPEC="+c.options.SpecFile+":", strings.TrimPrefix(err.Error(), "spec "+c.options.SpecFile+": "))
			os.Exit(2)
		}
		c.ownDir = false // the suite's self-tests expect the embedded spec's verdicts
	}
	return c
}

var cfg = loadConfig()

// TestContract runs the Ginkgo suite. Ginkgo refuses `go test -count=N` (it runs a suite once
// per process), so with a count other than 1 the suite is skipped, saying so: `make
// test-race` runs `go test -race -count=2 ./...` for the plain tests, `make contract` the suite.
func TestContract(t *testing.T) {
	if f := flag.Lookup("test.count"); f != nil && f.Value.String() != "1" {
		t.Skip("the Ginkgo suite is run by `make contract` (ginkgo refuses go test -count=" + f.Value.String() + ")")
	}
	RegisterFailHandler(Fail)
	RunSpecs(t, "Contract gate")
}
