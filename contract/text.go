package contract

import (
	"fmt"
	"io"
	"strings"

	"github.com/partnercenter-go/partnercenter/internal/plural"
)

// textWidth is the width the text output keeps to: a terminal's, and a CI log's.
const textWidth = 80

// TextPrinter prints findings for a person, as the text report and the proxy do: each
// within textWidth columns (continuation lines indented by two spaces), and a finding that
// repeats one printed before (the same severity, pointer and reason, in another exchange)
// not said again: a repeated violation is one short line naming its exchange, a repeated
// drift is counted, and Close says how many more exchanges had it ("and 41 more exchanges").
// The JSON, GitHub and JUnit reports list every finding in full.
type TextPrinter struct {
	w      io.Writer
	groups map[string]*repeated
	order  []*repeated
	fixes  map[string]*repeated // long fixes ("holds a credential: <fix>") printed, by fix
	fixOrd []*repeated
}

type repeated struct {
	first Finding
	more  int
}

// minFixLength is the length from which the fix of a finding (its reason after the first
// ": ") is said once: shorter ones cost less than a reference to them.
const minFixLength = 60

// NewTextPrinter prints to w.
func NewTextPrinter(w io.Writer) *TextPrinter {
	return &TextPrinter{w: w, groups: map[string]*repeated{}, fixes: map[string]*repeated{}}
}

// Finding prints f, or notes it as a repeat.
func (p *TextPrinter) Finding(f Finding) error {
	key := string(f.Severity) + "\x00" + f.Pointer + "\x00" + f.Reason
	g := p.groups[key]
	if g == nil {
		p.groups[key] = &repeated{first: f}
		p.order = append(p.order, p.groups[key])
		// A long fix shared with a finding printed before (a secret's, at every field that
		// holds one) is said once.
		if what, fix, ok := strings.Cut(f.Reason, ": "); ok && len(fix) >= minFixLength {
			if r := p.fixes[fix]; r != nil {
				r.more++
				short := f
				short.Reason = what + ": the fix as above"
				return p.Line(short.String())
			}
			p.fixes[fix] = &repeated{first: f}
			p.fixOrd = append(p.fixOrd, p.fixes[fix])
		}
		return p.Line(f.String())
	}
	g.more++
	if f.Severity != Violation {
		return nil
	}
	short := f
	short.Reason = "the same as above"
	return p.Line(short.String())
}

// Line prints one line of text, wrapped.
func (p *TextPrinter) Line(s string) error {
	_, err := io.WriteString(p.w, Wrap(s, textWidth, "  "))
	return err
}

// Close prints the counts of the repeated drift.
func (p *TextPrinter) Close() error {
	for _, g := range p.order {
		if g.more == 0 || g.first.Severity == Violation {
			continue
		}
		what := strings.TrimPrefix(g.first.Pointer+": "+firstWords(g.first.Reason, 40), ": ")
		if err := p.Line(fmt.Sprintf("%s: the one above (%s) in %s (--format json lists each)", g.first.Severity, what, plural.Of(g.more, "more exchange"))); err != nil {
			return err
		}
	}
	for _, r := range p.fixOrd {
		if r.more == 0 {
			continue
		}
		_, fix, _ := strings.Cut(r.first.Reason, ": ")
		if err := p.Line(fmt.Sprintf("%s: the fix above (%s) applies to %s", r.first.Severity, firstWords(fix, 40), plural.Of(r.more, "more finding"))); err != nil {
			return err
		}
	}
	p.groups, p.order, p.fixes, p.fixOrd = map[string]*repeated{}, nil, map[string]*repeated{}, nil
	return nil
}

// firstWords is s cut at a word boundary to about n bytes, "..." marking the cut.
func firstWords(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if i := strings.LastIndexByte(s[:n], ' '); i > 0 {
		n = i
	}
	return strings.TrimRight(s[:n], ",:;") + "..."
}

// Wrap breaks each line of s into lines of at most width columns at spaces, continuation
// lines starting with indent, each line ended by a newline. A word too long for a line (a
// deep path) is broken after a slash, or anywhere if it has none.
func Wrap(s string, width int, indent string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		wrapLine(&b, line, width, indent)
	}
	return b.String()
}

func wrapLine(b *strings.Builder, s string, width int, indent string) {
	line := ""
	flush := func() {
		b.WriteString(strings.TrimRight(line, " "))
		b.WriteByte('\n')
		line = indent
	}
	for i, word := range strings.Split(s, " ") {
		sep := " "
		if i == 0 {
			sep = ""
		}
		if len(line)+len(sep)+len(word) <= width {
			line += sep + word
			continue
		}
		if strings.TrimSpace(line) != "" && len(indent)+len(word) <= width {
			flush() // the word fits on a line of its own
		} else if strings.TrimSpace(line) != "" {
			line += sep // too long for any line: it starts here, and is broken
		}
		for len(line)+len(word) > width {
			room := width - len(line)
			cut := strings.LastIndexByte(word[:room], '/') + 1
			if cut <= 0 {
				cut = room
			}
			line += word[:cut]
			word = word[cut:]
			flush()
		}
		line += word
	}
	flush()
}
