package main

import (
	"os"
	"strings"
	"testing"
)

// `contract validate` reads HAR captures beside cassettes: the captures of each tool pass,
// and the negative ones fail naming the file, the entry and the field.
func TestContractValidateHAR(t *testing.T) {
	e := []string{"PATH=" + os.Getenv("PATH")}
	r := runCLI(t, e, "contract", "validate", "../../contract/testdata/har", "../../contract/testdata/cassettes/documented")
	if r.code != 0 || !strings.Contains(unwrapped(r.stdout), "ignored: ../../contract/testdata/har/chrome.har interaction 0: GET partner.example") {
		t.Fatalf("%+v", r)
	}
	r = runCLI(t, e, "contract", "validate", "--format", "github", "../../contract/testdata/har-negative/violating.har")
	if r.code != 1 || !strings.Contains(r.stdout, "::error file=") || !strings.Contains(r.stdout, "/response/body/status") {
		t.Fatalf("%+v", r)
	}
}
