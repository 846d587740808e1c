package contract

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// textReporter prints one line per finding and per ignored interaction, then the coverage
// table and a summary line.
type textReporter struct {
	w       io.Writer
	printer *TextPrinter
}

func (t *textReporter) File(fv *FileVerdict) error {
	if t.printer == nil {
		t.printer = NewTextPrinter(t.w)
	}
	for _, f := range fv.Findings {
		if err := t.printer.Finding(f); err != nil {
			return err
		}
	}
	for _, iv := range fv.Interactions {
		for _, f := range iv.Findings {
			if err := t.printer.Finding(f); err != nil {
				return err
			}
		}
		if !iv.Judged() {
			if err := t.printer.Line(ignoredOf(fv, iv).String()); err != nil {
				return err
			}
		}
	}
	return nil
}

func (t *textReporter) Done(s *Summary) error {
	if t.printer != nil {
		if err := t.printer.Close(); err != nil {
			return err
		}
	}
	fmt.Fprintln(t.w, "\nContract coverage:")
	s.Coverage.Write(t.w)
	_, err := io.WriteString(t.w, Wrap(summaryLine(s), textWidth, ""))
	return err
}

// githubReporter prints findings as GitHub Actions workflow commands, which annotate the
// cassette file in the pull request (::error for violations, ::warning for drift), and the
// rest as text.
type githubReporter struct {
	textReporter
	base string
}

func (g *githubReporter) File(fv *FileVerdict) error {
	for _, f := range fv.Findings {
		if err := g.annotate(fv, f); err != nil {
			return err
		}
	}
	for _, iv := range fv.Interactions {
		for _, f := range iv.Findings {
			if err := g.annotate(fv, f); err != nil {
				return err
			}
		}
		if !iv.Judged() {
			if _, err := fmt.Fprintln(g.w, ignoredOf(fv, iv)); err != nil {
				return err
			}
		}
	}
	return nil
}

func (g *githubReporter) annotate(fv *FileVerdict, f Finding) error {
	level := "error"
	if f.Severity != Violation {
		level = "warning"
	}
	file := fv.Path
	if g.base != "" {
		if rel, err := filepath.Rel(g.base, fv.Path); err == nil && !strings.HasPrefix(rel, "..") {
			file = rel
		}
	}
	title := "contract " + string(f.Severity)
	if f.Interaction >= 0 {
		title = fmt.Sprintf("contract %s: interaction %d", f.Severity, f.Interaction)
	}
	_, err := fmt.Fprintf(g.w, "::%s file=%s,title=%s::%s\n", level, ghProperty(filepath.ToSlash(file)), ghProperty(title), ghData(f.String()))
	return err
}

// ghData and ghProperty escape a workflow command's message and property values as the
// runner expects (actions/toolkit, command.ts: escapeData, escapeProperty).
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
