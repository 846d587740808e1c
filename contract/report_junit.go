package contract

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"strings"
)

// junitReporter writes a JUnit XML report: one testsuite, one testcase per interaction named
// by the file's path relative to the judged folder, the interaction's index and its operation
// (so that CI history lines up across machines), failed by its violations, skipped when the
// interaction is not a Partner Center call; one testcase per file that could not be read.
// The coverage table is the suite's properties and system-out. Testcases are spooled to a
// temporary file as they come, so that memory stays bounded, and assembled in Done, when the
// suite's counts are known.
type junitReporter struct {
	out                      io.Writer
	spool                    *os.File
	buf                      *bufio.Writer
	tests, failures, skipped int
}

// NewJUnitReporter returns a Reporter that writes a JUnit XML report to w when the run is done.
func NewJUnitReporter(w io.Writer) (Reporter, error) {
	spool, err := os.CreateTemp("", "contract-junit-*.xml")
	if err != nil {
		return nil, fmt.Errorf("contract: JUnit report: %w", err)
	}
	os.Remove(spool.Name()) // unlinked at once: nothing is left behind whatever happens
	return &junitReporter{out: w, spool: spool, buf: bufio.NewWriter(spool)}, nil
}

type junitCase struct {
	XMLName   xml.Name      `xml:"testcase"`
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

func (j *junitReporter) File(fv *FileVerdict) error {
	if len(fv.Findings) > 0 || len(fv.Interactions) == 0 {
		if err := j.writeCase(fv.Rel, fv.Rel, nil, fv.Findings); err != nil {
			return err
		}
	}
	for _, iv := range fv.Interactions {
		op := iv.OperationID
		if op == "" {
			op = "(no operation)"
		}
		name := fmt.Sprintf("%s #%d %s", fv.Rel, iv.Index, op)
		var skip *junitSkipped
		if !iv.Judged() {
			name = fmt.Sprintf("%s #%d (ignored)", fv.Rel, iv.Index)
			skip = &junitSkipped{Message: iv.Method + " " + iv.Host + ": " + iv.Ignored}
		}
		if err := j.writeCase(name, fv.Rel, skip, iv.Findings); err != nil {
			return err
		}
	}
	return nil
}

func (j *junitReporter) writeCase(name, class string, skip *junitSkipped, findings []Finding) error {
	c := junitCase{Name: name, Classname: class}
	var violations, drift []string
	for _, f := range findings {
		if f.Severity == Violation {
			violations = append(violations, f.String())
		} else {
			drift = append(drift, f.String())
		}
	}
	j.tests++
	switch {
	case len(violations) > 0:
		j.failures++
		first := violations[0]
		c.Failure = &junitFailure{Message: first, Type: "violation", Text: strings.Join(violations, "\n")}
	case skip != nil:
		j.skipped++
		c.Skipped = skip
	}
	if len(drift) > 0 {
		c.SystemOut = strings.Join(drift, "\n")
	}
	b, err := xml.MarshalIndent(c, "    ", "  ")
	if err != nil {
		return err
	}
	j.buf.Write(b)
	_, err = j.buf.WriteString("\n")
	return err
}

func (j *junitReporter) Done(s *Summary) error {
	defer j.spool.Close()
	if err := j.buf.Flush(); err != nil {
		return fmt.Errorf("contract: JUnit report: %w", err)
	}
	w := bufio.NewWriter(j.out)
	fmt.Fprintf(w, "%s<testsuites tests=\"%d\" failures=\"%d\" skipped=\"%d\">\n", xml.Header, j.tests, j.failures, j.skipped)
	fmt.Fprintf(w, "  <testsuite name=\"contract gate\" tests=\"%d\" failures=\"%d\" skipped=\"%d\" errors=\"0\">\n", j.tests, j.failures, j.skipped)
	w.WriteString("    <properties>\n")
	for _, e := range s.Coverage.entries() {
		fmt.Fprintf(w, "      <property name=\"coverage %s\" value=\"%s\"></property>\n", xmlEscape(e.Operation), xmlEscape(countsText(e.Statuses)+"; "+countsText(e.MediaTypes)))
	}
	w.WriteString("    </properties>\n")
	if _, err := j.spool.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("contract: JUnit report: %w", err)
	}
	if _, err := io.Copy(w, j.spool); err != nil {
		return fmt.Errorf("contract: JUnit report: %w", err)
	}
	var table strings.Builder
	s.Coverage.Write(&table)
	fmt.Fprintf(w, "    <system-out>%s</system-out>\n", xmlEscape(table.String()+summaryLine(s)+"\n"))
	w.WriteString("  </testsuite>\n</testsuites>\n")
	if err := w.Flush(); err != nil {
		return fmt.Errorf("contract: JUnit report: %w", err)
	}
	return nil
}

func countsText(m map[string]int) string {
	parts := make([]string, 0, len(m))
	for _, k := range sortedKeys(m) {
		parts = append(parts, fmt.Sprintf("%s:%d", k, m[k]))
	}
	return strings.Join(parts, " ")
}

func xmlEscape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
