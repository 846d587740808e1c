package main

import (
	"io"
	"testing"
)

// The progress line fits the terminal: 80 columns and narrower, a batch of a million rows
// with a pace; the control: a wide terminal gets everything, bar included.
func TestProgressFitsTheTerminal(t *testing.T) {
	p := newProgress(io.Discard, "bar", 1_000_000, newPacer(1234, 0, nil))
	p.activated.Store(123_456)
	p.failed.Store(7_890)
	for _, width := range []int{79, 59, 39, 19} {
		if line := p.line(width, true); len(line) > width {
			t.Errorf("%d columns: %d-column line %q", width, len(line), line)
		}
	}
	if line := p.line(199, true); len(line) < 81 || line[0] != '[' {
		t.Errorf("control: a wide terminal got %q", line)
	}
	if line := p.line(79, false); len(line) > 79 {
		t.Errorf("progress lines off a terminal: %q", line)
	}
}
