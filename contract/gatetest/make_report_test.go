package gatetest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	probes "github.com/partnercenter-go/partnercenter/internal/gateprobes"
)

// make contract REPORT="junit=FILE html=FILE" writes both reports through the command's
// parser; a kind it does not know stops make before the gate runs, naming REPORT= and the
// kinds, and writes nothing.
func TestMakeContractHTMLReport(t *testing.T) {
	dir := t.TempDir()
	page, junit := filepath.Join(dir, "gate.html"), filepath.Join(dir, "gate.xml")
	cassettes := probes.TempDir(t, "a recorded token exchange, redacted")
	out, err := makeContract(t, "CASSETTES="+cassettes, "REPORT=junit="+junit+" html="+page)
	if err != nil {
		t.Fatalf("make contract: %v\n%s", err, out)
	}
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<title>make contract: PASS</title>", "PASS: 1 file", "1 judged, 1 ignored", `id="grid-status"`, "REPORT=junit="} {
		if !strings.Contains(string(html), want) {
			t.Errorf("the HTML report does not hold %q", want)
		}
	}
	if _, err := os.Stat(junit); err != nil {
		t.Errorf("the JUnit report: %v", err)
	}

	bad := filepath.Join(dir, "bad")
	os.Mkdir(bad, 0o755)
	out, err = makeContract(t, "CASSETTES="+cassettes, "REPORT=pdf="+filepath.Join(bad, "gate.pdf"))
	if err == nil || !strings.Contains(out, `unknown report kind "pdf": want junit=FILE or html=FILE`) || !strings.Contains(out, "REPORT=") {
		t.Errorf("REPORT=pdf=...: err %v, want a failure naming REPORT= and the kinds:\n%s", err, out)
	}
	if left, _ := os.ReadDir(bad); len(left) != 0 {
		t.Errorf("written on error: %v", left)
	}
}
