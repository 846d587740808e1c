package docstest

import (
	"strings"
	"testing"
)

// FuzzParse: any page parses without a panic, or fails naming a line; a parsed page keeps one
// prose line per line of the page (the link check's line numbers), and each block starts on a
// line of the page that is a fence.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"# T\n\n<!-- snippet: run -->\n```sh\necho hi # exit 0\n```\n[a](b.md#c)\n",
		"  ```go\n  x\n  ```\n~~~\n```\n~~~\n",
		"````\n```\n````\n",
		"```sh\nopen",
		"[r]: x.md\n![i](img/a.png \"t\") `[c](d)`\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, page string) {
		blocks, prose, err := parse(page)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "line ") {
				t.Fatalf("an error that names no line: %v", err)
			}
			return
		}
		lines := strings.Split(page, "\n")
		if len(prose) != len(lines) {
			t.Fatalf("%d prose lines for a page of %d lines", len(prose), len(lines))
		}
		for _, b := range blocks {
			if b.line < 1 || b.line > len(lines) || !fence.MatchString(lines[b.line-1]) {
				t.Fatalf("a block at line %d, which is not a fence", b.line)
			}
		}
		links(prose)
		anchors(prose)
	})
}
