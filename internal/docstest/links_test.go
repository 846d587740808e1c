package docstest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// root is the checkout whose documentation is checked.
const root = "../.."

// TestLinksResolve: every relative link and image of README.md and docs/*.md names a file of
// the repository, and every anchor a heading of its page.
func TestLinksResolve(t *testing.T) {
	t.Parallel()
	all, err := pages(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, page := range all {
		broken, err := brokenLinks(root, page)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range broken {
			t.Error(b)
		}
	}
}

// TestLinkCheckCatchesBrokenLinks: the check finds a missing file, a missing anchor in
// another page and in the same page, and a link out of the repository, and passes the good
// links beside them.
func TestLinkCheckCatchesBrokenLinks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("docs/gate.md", "# The gate\n\n## Reports: JUnit and `github`\n\n## Reports: JUnit and `github`\n")
	write("docs/img/report.png", "png")
	write("README.md", strings.Join([]string{
		"# Title", "",
		"[ok](docs/gate.md) [ok](docs/gate.md#reports-junit-and-github) [ok](docs/gate.md#reports-junit-and-github-1)",
		"![ok](docs/img/report.png) [ok](#title) [web](https://example.com/x#y) `[code](nothing.md)`",
		"[missing file](docs/nothing.md)",
		"[missing anchor](docs/gate.md#reports)",
		"[missing local anchor](#quick-start)",
		"[outside](../elsewhere/x.md)",
		"```sh", "[in a block](nothing.md)", "```",
		"[ref]: docs/gone.md",
	}, "\n"))
	broken, err := brokenLinks(dir, "README.md")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"README.md:5: docs/nothing.md: no such file docs/nothing.md",
		"README.md:6: docs/gate.md#reports: docs/gate.md has no heading with the anchor #reports",
		"README.md:7: #quick-start: README.md has no heading with the anchor #quick-start",
		"README.md:8: ../elsewhere/x.md: points outside the repository",
		"README.md:12: docs/gone.md: no such file docs/gone.md",
	}
	if strings.Join(broken, "\n") != strings.Join(want, "\n") {
		t.Errorf("broken links:\n%s\nwant:\n%s", strings.Join(broken, "\n"), strings.Join(want, "\n"))
	}
}
