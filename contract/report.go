package contract

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/partnercenter-go/partnercenter/internal/plural"
)

// Report is a run gathered in memory: the library's front end (Check).
type Report struct {
	Summary
	Findings []Finding
	// IgnoredInteractions lists the interactions that are not Partner Center API calls.
	IgnoredInteractions []Ignored
}

// Ignored is one interaction the gate did not judge, and why.
type Ignored struct {
	File        string
	Interaction int
	Method      string
	Host        string
	Reason      string
}

func (i Ignored) String() string {
	return fmt.Sprintf("ignored: %s interaction %d: %s %s: %s", i.File, i.Interaction, i.Method, i.Host, i.Reason)
}

// Violations are the findings that fail the gate.
func (r *Report) Violations() []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Severity == Violation {
			out = append(out, f)
		}
	}
	return out
}

// Check judges every recording under paths (folders or files) and returns the report with
// the gate's verdict: nil, or an error wrapping ErrViolations or ErrNothingJudged. It is Run
// with every finding kept; use Run to stream instead.
func (v *Validator) Check(paths ...string) (*Report, error) {
	r := &Report{}
	sum, err := v.Run(context.Background(), paths, func(fv *FileVerdict) {
		r.Findings = append(r.Findings, fv.Findings...)
		for _, iv := range fv.Interactions {
			r.Findings = append(r.Findings, iv.Findings...)
			if !iv.Judged() {
				r.IgnoredInteractions = append(r.IgnoredInteractions, ignoredOf(fv, iv))
			}
		}
	})
	if err != nil {
		return nil, err
	}
	r.Summary = *sum
	return r, sum.Err()
}

func ignoredOf(fv *FileVerdict, iv InteractionVerdict) Ignored {
	return Ignored{File: fv.Path, Interaction: iv.Index, Method: iv.Method, Host: iv.Host, Reason: iv.Ignored}
}

// A Reporter prints a run as it goes: every file's verdict in order, then the summary. The
// command and `make contract` print through the same reporters, so they print alike.
type Reporter interface {
	File(*FileVerdict) error
	Done(*Summary) error
}

// NewReporter returns the reporter of a --format: "text", "json" (JSON lines) or "github"
// (workflow commands that annotate the cassette files in a pull request; their paths are made
// relative to base when base is not "").
func NewReporter(format string, w io.Writer, base string) (Reporter, error) {
	switch format {
	case "", "text":
		return &textReporter{w: w}, nil
	case "json":
		return newJSONReporter(w), nil
	case "github":
		return &githubReporter{textReporter: textReporter{w: w}, base: base}, nil
	}
	return nil, fmt.Errorf("unknown format %q: want text, json or github", format)
}

// Reporters prints through each of rs in turn.
func Reporters(rs ...Reporter) Reporter { return multiReporter(rs) }

type multiReporter []Reporter

func (m multiReporter) File(fv *FileVerdict) error {
	for _, r := range m {
		if err := r.File(fv); err != nil {
			return err
		}
	}
	return nil
}

func (m multiReporter) Done(s *Summary) error {
	for _, r := range m {
		if err := r.Done(s); err != nil {
			return err
		}
	}
	return nil
}

// Print runs the gate over paths through reporter and returns the gate's verdict (Summary.Err)
// or the first error of the run or of the reporter.
func (v *Validator) Print(ctx context.Context, paths []string, reporter Reporter) (*Summary, error) {
	var printErr error
	sum, err := v.Run(ctx, paths, func(fv *FileVerdict) {
		if printErr == nil {
			printErr = reporter.File(fv)
		}
	})
	if err != nil {
		return sum, err
	}
	if printErr != nil {
		return sum, printErr
	}
	if err := reporter.Done(sum); err != nil {
		return sum, err
	}
	return sum, sum.Err()
}

// Line is the summary as one line, as the text output ends: the verdict and the counts.
func (s *Summary) Line() string { return summaryLine(s) }

// summaryLine is the last line of the text output, and the JUnit suite's system-out head.
func summaryLine(s *Summary) string {
	verdict := "PASS"
	if s.Err() != nil {
		verdict = "FAIL"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s, %s: %d judged, %d ignored; %s, %d drift", verdict, plural.Of(s.Files, "file"),
		plural.Of(s.Interactions, "interaction"), s.Judged, s.Ignored, plural.Of(s.Violations, "violation"), s.Drift)
	// Said on lines of their own, so that the summary keeps within 80 columns.
	if s.Skipped > 0 {
		skipped := plural.Of(s.Skipped, "file") + " that are not recordings skipped"
		if s.Skipped == 1 {
			skipped = "1 file that is not a recording skipped"
		}
		fmt.Fprintf(&b, "\n(%s)", skipped)
	}
	if s.Judged == 0 {
		b.WriteString("\nno interaction was judged, which fails the gate")
	}
	return b.String()
}
