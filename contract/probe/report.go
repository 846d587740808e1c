package probe

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
)

// Width is the width text output fits in (reproducers excepted: a command is printed whole,
// on a line of its own, so that it can be pasted).
const Width = 80

// PlanLines say what a run will send, each within Width: "62 requests: 21 positive, ...",
// then the stateful requests held back when writes are not allowed.
func PlanLines(counts map[Kind]int, allowWrites bool, scenario int) []string {
	total := 0
	var parts []string
	for _, k := range Kinds {
		if counts[k] > 0 {
			total += counts[k]
			parts = append(parts, fmt.Sprintf("%d %s", counts[k], k))
		}
	}
	lines := []string{fit(fmt.Sprintf("%s: %s", plural(total, "request"), strings.Join(parts, ", ")))}
	if !allowWrites && scenario > 0 {
		lines = append(lines, fmt.Sprintf("%s not sent: writes are off (--allow-writes)", plural(scenario, "stateful request")))
	}
	return lines
}

// WriteText writes the findings, one line each with its reproducer under it, and the summary
// table by check and operation.
func WriteText(w io.Writer, r *Result) error {
	for _, f := range r.Findings {
		fmt.Fprintln(w, fit(fmt.Sprintf("%s %s %s: %s", f.Check, f.OperationID, statusText(f.Status), f.Reason)))
		fmt.Fprintln(w, "  "+f.Curl)
	}
	if len(r.Findings) > 0 {
		fmt.Fprintln(w)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "CHECK\tOPERATION\tFINDINGS")
		for _, row := range r.Summary() {
			fmt.Fprintf(tw, "%s\t%s\t%d\n", row.Check, row.OperationID, row.Findings)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	for _, g := range skippedByReason(r.Skipped) {
		fmt.Fprintln(w, fit(fmt.Sprintf("skipped %s: %s", plural(g.n, "case"), g.reason)))
	}
	_, err := fmt.Fprintln(w, fit(SummaryLine(r)))
	return err
}

// SummaryLine is the run's last line.
func SummaryLine(r *Result) string {
	exercised := 0
	for _, c := range Checks {
		if r.Exercised[c] > 0 {
			exercised++
		}
	}
	verdict := "no finding"
	if n := len(r.Findings); n > 0 {
		verdict = plural(n, "finding")
	}
	return fmt.Sprintf("%s: %s, %s, %d skipped; %d of %d checks exercised",
		verdict, plural(len(r.Ran), "case"), plural(r.Requests, "request"), len(r.Skipped), exercised, len(Checks))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// fit cuts a line to Width.
func fit(s string) string {
	if len(s) <= Width {
		return s
	}
	cut := Width - 3
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "..."
}

// WriteJSON writes one JSON object per finding (JSON Lines), and nothing else.
func WriteJSON(w io.Writer, r *Result) error {
	enc := json.NewEncoder(w)
	for _, f := range r.Findings {
		if err := enc.Encode(f); err != nil {
			return err
		}
	}
	return nil
}

// WriteGitHub writes a workflow error annotation per finding, its reproducer included.
func WriteGitHub(w io.Writer, r *Result) error {
	for _, f := range r.Findings {
		title := escapeProperty(string(f.Check) + " " + f.OperationID)
		msg := escapeData(fmt.Sprintf("%s %s: %s\n%s", f.Case, statusText(f.Status), f.Reason, f.Curl))
		if _, err := fmt.Fprintf(w, "::error title=%s::%s\n", title, msg); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintln(w, SummaryLine(r))
	return err
}

// escapeData and escapeProperty escape workflow command text as the runner's toolkit does.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// WriteJUnit writes a JUnit XML report: a testcase per case (classname its operation), failed
// by its findings, and one skipped testcase per case not sent.
func WriteJUnit(w io.Writer, r *Result) error {
	type failure struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	}
	type skipped struct {
		Message string `xml:"message,attr"`
	}
	type testcase struct {
		Name      string   `xml:"name,attr"`
		Classname string   `xml:"classname,attr"`
		Time      string   `xml:"time,attr"`
		Failure   *failure `xml:"failure,omitempty"`
		Skipped   *skipped `xml:"skipped,omitempty"`
	}
	type testsuite struct {
		XMLName  xml.Name   `xml:"testsuite"`
		Name     string     `xml:"name,attr"`
		Tests    int        `xml:"tests,attr"`
		Failures int        `xml:"failures,attr"`
		Skipped  int        `xml:"skipped,attr"`
		Cases    []testcase `xml:"testcase"`
	}
	suite := testsuite{Name: "contract probe"}
	for _, run := range r.Ran {
		tc := testcase{Name: run.Case.Name, Classname: run.Case.OperationID, Time: strconv.FormatFloat(run.Duration.Seconds(), 'f', 3, 64)}
		if len(run.Findings) > 0 {
			var checks, text []string
			for _, f := range run.Findings {
				checks = append(checks, string(f.Check))
				text = append(text, fmt.Sprintf("%s: %s\n%s", f.Check, f.Reason, f.Curl))
			}
			tc.Failure = &failure{Message: strings.Join(checks, ", "), Type: "probe", Text: strings.Join(text, "\n\n")}
			suite.Failures++
		}
		suite.Cases = append(suite.Cases, tc)
	}
	for _, s := range r.Skipped {
		name, why := splitSkip(s)
		op, _, _ := strings.Cut(name, ": ")
		suite.Cases = append(suite.Cases, testcase{Name: name, Classname: op, Time: "0.000", Skipped: &skipped{Message: why}})
		suite.Skipped++
	}
	suite.Tests = len(suite.Cases)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(suite); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

type skipGroup struct {
	reason string
	n      int
}

// skippedByReason counts the skipped cases by why, in the order the reasons first came.
func skippedByReason(skipped []string) []skipGroup {
	var groups []skipGroup
	index := map[string]int{}
	for _, s := range skipped {
		_, reason := splitSkip(s)
		i, ok := index[reason]
		if !ok {
			i = len(groups)
			index[reason] = i
			groups = append(groups, skipGroup{reason: reason})
		}
		groups[i].n++
	}
	return groups
}

// splitSkip splits "case name: why" (case names hold ": " too; reasons do not).
func splitSkip(s string) (name, reason string) {
	if i := strings.LastIndex(s, ": "); i > 0 {
		return s[:i], s[i+2:]
	}
	return s, ""
}

// Summary counts the findings by check and operation, for the summary table.
func (r *Result) Summary() []SummaryRow {
	n := map[[2]string]int{}
	for _, f := range r.Findings {
		n[[2]string{string(f.Check), f.OperationID}]++
	}
	rows := make([]SummaryRow, 0, len(n))
	for k, c := range n {
		rows = append(rows, SummaryRow{Check: Check(k[0]), OperationID: k[1], Findings: c})
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].Check != rows[j].Check {
			return checkOrder(rows[i].Check) < checkOrder(rows[j].Check)
		}
		return rows[i].OperationID < rows[j].OperationID
	})
	return rows
}

// SummaryRow is a line of the summary table.
type SummaryRow struct {
	Check       Check
	OperationID string
	Findings    int
}

func checkOrder(c Check) int {
	for i, o := range Checks {
		if o == c {
			return i
		}
	}
	return len(Checks)
}
