package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/partnercenter-go/partnercenter/internal/browsertest"
)

// BenchmarkHTMLReportScale writes `contract validate --report html=FILE` on the 100,000
// interaction scale set twice, as it is (it passes) and with every 200 answer's status turned
// into a number (20,000 violations, each with its exchange), and opens each report in
// headless Chromium. It reports each file's size (target: under 5 MB) and how long Chromium
// took to load and render it, beside a blank page's time in the same run (target: under 5 s).
func BenchmarkHTMLReportScale(b *testing.B) {
	browsertest.Chromium(b)
	passing := scaleDir(b, 100_000)
	violating := scaleDirEdited(b, 100_000, func(s string) string {
		return strings.ReplaceAll(s, `\"status\":\"Success\"`, `\"status\":1`)
	})
	dir := b.TempDir()
	blank := filepath.Join(dir, "blank.html")
	os.WriteFile(blank, []byte("<!DOCTYPE html><title>blank</title>"), 0o644)
	for b.Loop() {
		_, blankTook := browsertest.DumpDOM(b, blank)
		b.ReportMetric(blankTook.Seconds(), "s-open-blank")
		for _, set := range []struct{ name, dir string }{{"passing", passing}, {"violating", violating}} {
			page := filepath.Join(dir, set.name+".html")
			cmd := exec.Command(binary, "contract", "validate", set.dir, "--report", "html="+page)
			if out, err := cmd.CombinedOutput(); cmd.ProcessState == nil || cmd.ProcessState.ExitCode() > 1 {
				b.Fatalf("contract validate: %v\n%s", err, out)
			}
			st, err := os.Stat(page)
			if err != nil {
				b.Fatal(err)
			}
			dom, took := browsertest.DumpDOM(b, page)
			if !strings.Contains(dom, `id="grid-status"`) {
				b.Fatalf("Chromium did not render the %s report", set.name)
			}
			if set.name == "violating" && !strings.Contains(dom, "19997 more not shown") {
				b.Fatalf("the violating report does not count 20,000 violations in one group")
			}
			b.ReportMetric(float64(st.Size())/1e6, "MB-"+set.name)
			b.ReportMetric(took.Seconds(), "s-open-"+set.name)
		}
	}
}
