package gatetest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// make contract MODE=probe REPORT=html=FILE against a sandbox: the probe's HTML report,
// through the same reportfile as the gate's.
func TestMakeContractProbeHTMLReport(t *testing.T) {
	_, env := startSandbox(t)
	page := filepath.Join(t.TempDir(), "probe.html")
	out, err := runMake(t, append(env, "AZURE_CLIENT_SECRET=sandbox-app-password", "PROBE_RATE=0"), "MODE=probe", "REPORT=html="+page)
	if err != nil {
		t.Fatalf("make contract MODE=probe: %v\n%s", err, out)
	}
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<title>make contract MODE=probe: PASS</title>", `id="grid-status"`, "REPORT=html="} {
		if !strings.Contains(string(html), want) {
			t.Errorf("the probe's HTML report does not hold %q", want)
		}
	}
}
