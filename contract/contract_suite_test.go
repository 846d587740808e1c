package contract_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/partnercenter-go/partnercenter/contract"
)

// The gate is configured by the environment, as `make contract` sets it:
//
//	CASSETTES  a directory of go-vcr v4 cassettes to judge instead of the project's own
//	STRICT=1   undeclared fields are violations, not drift
//	MODE       replay (default), live or record (see live_test.go)
type gateConfig struct {
	dir     string
	ownDir  bool // judging the project's own cassettes: replay and mutants run too
	strict  bool
	mode    string
	options contract.Options
}

const ownCassettes = "testdata/cassettes"

func loadConfig() gateConfig {
	c := gateConfig{dir: os.Getenv("CASSETTES"), strict: os.Getenv("STRICT") == "1", mode: strings.ToLower(os.Getenv("MODE"))}
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

func TestContract(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Contract gate")
}

// coverage accumulates over the replay specs and is printed at the end of the suite.
var coverage *contract.Coverage

var _ = ReportAfterSuite("coverage", func(r Report) {
	if coverage == nil || cfg.mode != "replay" {
		return
	}
	fmt.Printf("\nContract coverage of %s (strict=%v):\n", cfg.dir, cfg.strict)
	coverage.Write(os.Stdout)
})
