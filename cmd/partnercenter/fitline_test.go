package main

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// A line cut to 80 columns stays valid UTF-8: the cut never falls inside a character.
func TestFitLineKeepsCharactersWhole(t *testing.T) {
	for pad := 0; pad < 3; pad++ {
		s := strings.Repeat("x", pad) + strings.Repeat("é", 60)
		got := fitLine(s)
		if !utf8.ValidString(got) || len(got) > 80 || !strings.HasSuffix(got, "...") {
			t.Errorf("fitLine(%d x + 60 é) = %q", pad, got)
		}
	}
}
