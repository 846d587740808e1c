package shell

import (
	"os/exec"
	"testing"
)

// Every word comes back from a real shell as it went in: spaces, quotes, $, globs, newlines,
// the empty word. The control: an unquoted word with a space splits in two.
func TestQuoteRoundTripsThroughSh(t *testing.T) {
	words := []string{"plain", "", "two words", "it's", `"dq"`, "$HOME", "*", "a\nb", "semi;colon", "back`tick`", `back\slash`, "é"}
	script := "for w in " + Join(words) + `; do printf '%s\0' "$w"; done`
	out, err := exec.Command("sh", "-c", script).Output()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	start := 0
	for i, b := range out {
		if b == 0 {
			got = append(got, string(out[start:i]))
			start = i + 1
		}
	}
	if len(got) != len(words) {
		t.Fatalf("got %d words %q, want %d", len(got), got, len(words))
	}
	for i := range words {
		if got[i] != words[i] {
			t.Errorf("word %d: got %q, want %q", i, got[i], words[i])
		}
	}
	control, _ := exec.Command("sh", "-c", `for w in two words; do printf '%s\0' "$w"; done`).Output()
	if len(control) != len("two\x00words\x00") {
		t.Fatalf("control: %q", control)
	}
}
