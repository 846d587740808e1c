package partnercenter_test

import (
	"os"
	"strings"
	"testing"
)

// Every decision in docs/spec-decisions.md names its source: each section holds a link.
// Control: a section without one is caught (the check runs on a planted page too).
func TestSpecDecisionsNameTheirSources(t *testing.T) {
	page, err := os.ReadFile("docs/spec-decisions.md")
	if err != nil {
		t.Fatal(err)
	}
	if bad := sectionsWithoutSource(string(page)); len(bad) > 0 {
		t.Errorf("docs/spec-decisions.md: sections without a source link: %q", bad)
	}
	if bad := sectionsWithoutSource("# x\n## Sourced\nhttps://learn.microsoft.com/x\n## Unsourced\nno link\n"); len(bad) != 1 || bad[0] != "Unsourced" {
		t.Errorf("control: %q", bad)
	}
}

func sectionsWithoutSource(page string) []string {
	var bad []string
	for _, section := range strings.Split(page, "\n## ")[1:] {
		title, body, _ := strings.Cut(section, "\n")
		if !strings.Contains(body, "https://") {
			bad = append(bad, title)
		}
	}
	return bad
}
