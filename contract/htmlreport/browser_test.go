package htmlreport_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/partnercenter-go/partnercenter/contract"
	"github.com/partnercenter-go/partnercenter/contract/htmlreport"
	"github.com/partnercenter-go/partnercenter/internal/browsertest"
)

// The report as headless Chromium renders it (one launch for the DOM, one for the
// screenshot): every cell of both grids says what the run exercised, the violation shows its
// redacted exchange, the hostile body is text and no script ran.
func TestReportInChromium(t *testing.T) {
	browsertest.Chromium(t) // skips, saying why, where no Chromium can be had
	page, sum := gateReport(t, cassetteSet(t))
	file := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(file, page, 0o644); err != nil {
		t.Fatal(err)
	}
	dom, _ := browsertest.DumpDOM(t, file)

	t.Run("no script ran and the hostile body is text", func(t *testing.T) {
		if title := between(dom, "<title>", "</title>"); title != "contract validate: FAIL" {
			t.Errorf("title %q: a script ran or the verdict is wrong", title)
		}
		for _, tag := range []string{"<script", "<img"} {
			if strings.Contains(dom, tag) {
				t.Errorf("the rendered page holds an element from the recording: %s", tag)
			}
		}
		// Chromium serialises a text node with < and > escaped, quotes as they are.
		if !strings.Contains(dom, `&lt;script&gt;document.title='pwned'&lt;/script&gt;&lt;img src=x onerror="document.title='pwned'"&gt;`) {
			t.Error("the hostile body is not shown as text")
		}
	})

	t.Run("grid cells", func(t *testing.T) {
		failed := map[string]bool{"ActivateSubscription 200": true, "ActivateSubscription application/json": true}
		checked := 0
		for _, g := range []struct {
			id   string
			keys func(contract.OperationCoverage) []contract.Exercised
		}{
			{"status", func(o contract.OperationCoverage) []contract.Exercised { return o.Statuses }},
			{"media", func(o contract.OperationCoverage) []contract.Exercised { return o.MediaTypes }},
		} {
			cells := gridCells(t, dom, g.id)
			for _, op := range sum.Coverage.Operations() {
				for _, e := range g.keys(op) {
					want := "· not exercised"
					switch k := op.OperationID + " " + e.Key; {
					case failed[k]:
						want = fmt.Sprintf("✗ 1/%d failed", e.Count)
					case e.Count > 0:
						want = fmt.Sprintf("✓ %d exercised", e.Count)
					}
					if got := cells[op.OperationID+" "+e.Key]; got != want {
						t.Errorf("grid %s, %s %s: %q, want %q", g.id, op.OperationID, e.Key, got, want)
					}
					checked++
				}
			}
		}
		if checked < 20 {
			t.Fatalf("only %d cells checked", checked)
		}
		// The documented cassette's statuses, by hand: the grid is not merely consistent with itself.
		cells := gridCells(t, dom, "status")
		for k, want := range map[string]string{"ActivateSubscription 400": "✓ 1 exercised", "ActivateSubscription 401": "· not exercised", "GetOrderActivationLinks 200": "· not exercised"} {
			if cells[k] != want {
				t.Errorf("%s: %q, want %q", k, cells[k], want)
			}
		}
	})

	t.Run("a finding's exchange", func(t *testing.T) {
		group := between(dom, `<code class="rule">/response/body/status</code>`, "</details>")
		for _, want := range []string{
			"POST https://api.partnercenter.microsoft.com/v1/customers/42b5f772-5c5c-4bce-b9d7-bdadeecca411/subscriptions/aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e/activate",
			"Authorization: [REDACTED]", "200 OK", "Content-Type: application/json", `"status":1`, "value must be a string",
		} {
			if !strings.Contains(group, want) {
				t.Errorf("the violation's group does not show %q:\n%s", want, group)
			}
		}
	})

	png := browsertest.Screenshot(t, file, 1280, 1600)
	if st, _ := os.Stat(png); st.Size() < 10<<10 {
		t.Errorf("the screenshot is %d bytes: an empty page?", st.Size())
	}
}

var (
	gridRow  = regexp.MustCompile(`(?s)<tr><th scope="row"[^>]*>([^<]+)</th>(.*?)</tr>`)
	gridCell = regexp.MustCompile(`<td class="[^"]*" data-state="([^"]*)"[^>]*>([^<]*)</td>`)
	gridHead = regexp.MustCompile(`<th scope="col">([^<]*)</th>`)
)

// gridCells reads a grid of the rendered DOM as "operation key" -> "mark count state".
func gridCells(t *testing.T, dom, id string) map[string]string {
	t.Helper()
	table := between(dom, `<table class="grid" id="grid-`+id+`">`, "</table>")
	if table == "" {
		t.Fatalf("no grid %s in the page", id)
	}
	var cols []string
	for _, m := range gridHead.FindAllStringSubmatch(table, -1)[1:] {
		cols = append(cols, m[1])
	}
	out := map[string]string{}
	for _, row := range gridRow.FindAllStringSubmatch(table, -1) {
		cells := gridCell.FindAllStringSubmatch(row[2], -1)
		if len(cells) != len(cols) {
			t.Fatalf("grid %s, %s: %d cells for %d columns", id, row[1], len(cells), len(cols))
		}
		for i, c := range cells {
			out[row[1]+" "+cols[i]] = strings.TrimSpace(c[2]) + " " + c[1]
		}
	}
	return out
}

func between(s, from, to string) string {
	_, rest, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	in, _, _ := strings.Cut(rest, to)
	return in
}

// readmeScreenshot is the picture of a real report of the project's own cassettes that the
// README and docs/html-report.md show. UPDATE_SCREENSHOT=1 redraws it (headless Chromium).
const readmeScreenshot = "../../docs/img/report.png"

func TestReadmeScreenshot(t *testing.T) {
	if os.Getenv("UPDATE_SCREENSHOT") == "1" {
		browsertest.Chromium(t)
		t.Chdir("../..") // the findings name the files as from the repository
		v, err := contract.NewDefault(contract.Options{})
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(t.TempDir(), "report.html")
		f, err := os.Create(file)
		if err != nil {
			t.Fatal(err)
		}
		// The command line as a reader would type it from the repository.
		run := htmlreport.RunOf(v, "contract validate", []string{"partnercenter", "contract", "validate", "contract/testdata/cassettes", "--report", "html=report.html"})
		r := htmlreport.NewGateReporter(f, run)
		if _, err := v.Print(context.Background(), []string{"contract/testdata/cassettes"}, r); err != nil {
			t.Fatal(err)
		}
		f.Close()
		browsertest.ScreenshotTo(t, file, "docs/img/report.png", 1280, 1500)
		t.Chdir("contract/htmlreport")
	}
	png, err := os.ReadFile(readmeScreenshot)
	if err != nil {
		t.Fatalf("%v: run UPDATE_SCREENSHOT=1 go test -run TestReadmeScreenshot ./contract/htmlreport", err)
	}
	// PNG signature, then the IHDR chunk's width and height (big-endian).
	if len(png) < 24 || string(png[1:4]) != "PNG" {
		t.Fatalf("%s is not a PNG", readmeScreenshot)
	}
	if w := int(png[16])<<24 | int(png[17])<<16 | int(png[18])<<8 | int(png[19]); w != 1280 {
		t.Errorf("%s is %d pixels wide, want 1280", readmeScreenshot, w)
	}
}
