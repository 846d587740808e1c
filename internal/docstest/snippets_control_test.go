package docstest

import (
	"strings"
	"testing"
)

// TestSnippetCheckCatchesFaults: each kind of marker fails when what it says does not hold,
// and a block without a marker fails.
func TestSnippetCheckCatchesFaults(t *testing.T) {
	t.Parallel()
	page := strings.Join([]string{
		"```go", "fmt.Println(1)", "```", // 1: no marker
		"<!-- snippet: same as internal/docstest/doc.go -->", "```go", "package docstest", "// not in the file", "```", // 5
		"<!-- snippet: by TestNoSuchTestAnywhere -->", "```go", "x", "```", // 10
		"<!-- snippet: by .ci/run -->", "```sh", "make nothing-of-the-sort", "```", // 14
		"<!-- snippet: run -->", "```sh", "true", "false", "```", // 18
		"<!-- snippet: run -->", "```sh", "echo hello   # exit 1", "```", // 23
		"<!-- snippet: run -->", "```sh", "echo took 35ms; exit 0", "```", // 27
		"<!-- snippet: output -->", "```text", "took 2s", "...", "not printed", "```", // 31
		"<!-- snippet: maybe -->", "```", "x", "```", // 37
		"<!-- snippet: by TestSnippetCheckCatchesFaults -->", "```go", "fine", "```", // 41
		"<!-- snippet: same as internal/docstest/doc.go -->", "```go", "package docstest", "```", // 45
		"<!-- snippet: run -->", "```sh", "sleep 300 &", "false", "```", // 49: fails, and the sleep is stopped
	}, "\n")
	blocks, _, err := parse(page)
	if err != nil {
		t.Fatal(err)
	}
	got := checkBlocks(t, "x.md", blocks)
	wants := []string{
		"x.md:1: a fenced block with no snippet marker",
		"x.md:5: the block differs from internal/docstest/doc.go at its line 2",
		"x.md:10: by TestNoSuchTestAnywhere: no func TestNoSuchTestAnywhere",
		`x.md:14: by .ci/run: the file does not run "make nothing-of-the-sort"`,
		"x.md:18: the block does not run as written",
		"x.md:23: the block does not run as written",
		`x.md:31: the run block above did not print "not printed"`,
		`x.md:37: unknown snippet marker "maybe"`,
		"x.md:49: the block does not run as written",
	}
	if len(got) != len(wants) {
		t.Fatalf("%d problems, want %d:\n%s", len(got), len(wants), strings.Join(got, "\n"))
	}
	for i, want := range wants {
		if !strings.HasPrefix(got[i], want) {
			t.Errorf("problem %d:\n got %s\nwant %s...", i, got[i], want)
		}
	}
	if !strings.Contains(got[4], "docstest: line 2 exited 1, want 0") || !strings.Contains(got[5], "docstest: line 1 exited 0, want 1") {
		t.Errorf("the run problems do not name the line and its exit status:\n%s\n%s", got[4], got[5])
	}
	if _, _, err := parse("text\n```sh\nopen\n"); err == nil || !strings.Contains(err.Error(), "line 2: a ``` fence is never closed") {
		t.Errorf("an unclosed fence: %v", err)
	}
}
