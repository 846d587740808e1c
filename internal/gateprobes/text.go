package gateprobes

import (
	"strings"

	"github.com/partnercenter-go/partnercenter/contract"
)

// FindingLines are the findings and ignored interactions of a text report (the command's,
// make contract's, or the proxy's, whose passing exchanges are "ok: " lines), each
// unwrapped to one line: a line that starts with "violation: ", "drift: ", "ignored: " or
// "ok: " and the continuation lines (two spaces of indent) under it.
func FindingLines(out string) []string {
	var lines []string
	open := false
	for _, l := range strings.Split(out, "\n") {
		switch {
		case startsFinding(l):
			lines, open = append(lines, l), true
		case open && strings.HasPrefix(l, "  "):
			last := &lines[len(lines)-1]
			if strings.HasSuffix(*last, "/") { // a long path broken after a slash
				*last += l[2:]
			} else {
				*last += " " + l[2:]
			}
		default:
			open = false
		}
	}
	return lines
}

// LibraryLines are the library's findings and ignored interactions as the text report
// prints them (repeats said once), unwrapped as FindingLines unwraps the report.
func LibraryLines(r *contract.Report) []string {
	var b strings.Builder
	p := contract.NewTextPrinter(&b)
	for _, f := range r.Findings {
		p.Finding(f)
	}
	for _, i := range r.IgnoredInteractions {
		p.Line(i.String())
	}
	p.Close()
	return FindingLines(b.String())
}

// startsFinding: the first word of l is a finding's severity, "ignored:" or "ok:" (alone on
// its line when the path after it did not fit).
func startsFinding(l string) bool {
	word, _, _ := strings.Cut(l, " ")
	switch word {
	case "violation:", "drift:", "ignored:", "ok:":
		return true
	}
	return false
}
