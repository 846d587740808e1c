package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// shellBlocks returns the lines of a Markdown page's ```sh blocks.
func shellBlocks(t *testing.T, page string) []string {
	t.Helper()
	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, m := range regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(string(data), -1) {
		lines = append(lines, strings.Split(strings.TrimSpace(m[1]), "\n")...)
	}
	return lines
}

// Every command of docs/html-report.md runs and writes the report it says: validate as
// written (from a folder where contract/ is the repository's), make as written in the
// repository (its files removed after), and the proxy with the service's URL swapped for a
// local server and its report put in a temporary folder (it listens on a free port).
func TestHTMLReportDocCommands(t *testing.T) {
	t.Parallel()
	repo, _ := filepath.Abs("../..")
	lines := shellBlocks(t, filepath.Join(repo, "docs", "html-report.md"))
	if len(lines) != 3 {
		t.Fatalf("docs/html-report.md has %d commands, this test knows 3: %q", len(lines), lines)
	}
	path := filepath.Dir(built(t)) + string(os.PathListSeparator) + os.Getenv("PATH")
	for _, line := range lines {
		switch {
		case strings.HasPrefix(line, "partnercenter contract validate "):
			dir := t.TempDir()
			os.Symlink(filepath.Join(repo, "contract"), filepath.Join(dir, "contract"))
			sh := exec.Command("sh", "-c", line)
			sh.Dir, sh.Env = dir, []string{"PATH=" + path}
			if out, err := sh.CombinedOutput(); err != nil {
				t.Errorf("%s: %v\n%s", line, err, out)
			}
			mustHoldReport(t, line, filepath.Join(dir, "gate.html"), "contract validate: PASS")
		case strings.HasPrefix(line, "make contract "):
			for _, f := range []string{"gate.xml", "gate.html"} {
				if _, err := os.Stat(filepath.Join(repo, f)); err == nil {
					t.Fatalf("%s already exists in the repository: not running %q over it", f, line)
				}
				t.Cleanup(func() { os.Remove(filepath.Join(repo, f)) })
			}
			sh := exec.Command("sh", "-c", line)
			sh.Dir, sh.Env = repo, append(os.Environ(), "CI=true")
			if out, err := sh.CombinedOutput(); err != nil {
				t.Errorf("%s: %v\n%s", line, err, out)
			}
			mustHoldReport(t, line, filepath.Join(repo, "gate.html"), "make contract: PASS")
			if _, err := os.Stat(filepath.Join(repo, "gate.xml")); err != nil {
				t.Errorf("%s: no JUnit report: %v", line, err)
			}
		case strings.HasPrefix(line, "partnercenter contract proxy "):
			target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, `{"subscriptionId":"`+subA+`","status":"Success"}`)
			}))
			defer target.Close()
			page := filepath.Join(t.TempDir(), "proxy.html")
			args := strings.Fields(strings.NewReplacer("https://api.partnercenter.microsoft.com", target.URL, "html=proxy.html", "html="+page).Replace(line))[3:]
			proxy := startProxy(t, []string{"PATH=" + path}, args...)
			resp, err := http.Post(proxy.URL+"/v1/customers/"+customer+"/subscriptions/"+subA+"/activate", "application/json", nil)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			proxy.waitFor(t, "ok: ")
			if code, out := proxy.interrupt(t); code != 0 {
				t.Errorf("%s: exit %d\n%s", line, code, out)
			}
			mustHoldReport(t, line, page, "contract proxy: PASS")
		default:
			t.Errorf("docs/html-report.md: a command this test does not run: %q", line)
		}
	}
}

func mustHoldReport(t *testing.T, line, page, title string) {
	t.Helper()
	html, err := os.ReadFile(page)
	if err != nil {
		t.Errorf("%s: %v", line, err)
		return
	}
	if !strings.Contains(string(html), "<title>"+title+"</title>") {
		t.Errorf("%s: the report's title is not %q", line, title)
	}
}
