package htmlreport

import (
	"fmt"
	"io"
	"strconv"

	"github.com/partnercenter-go/partnercenter/contract"
	"github.com/partnercenter-go/partnercenter/internal/mediatype"
	"github.com/partnercenter-go/partnercenter/internal/plural"
	"github.com/partnercenter-go/partnercenter/internal/shell"
)

// RunOf describes a run of v's spec by tool, started with args (os.Args, the command line
// that produced the report: redacted when rendered).
func RunOf(v *contract.Validator, tool string, args []string) Run {
	r := Run{Tool: tool, CommandLine: shell.Join(args)}
	if info := v.Spec().Info; info != nil {
		r.SpecTitle, r.SpecVersion = info.Title, info.Version
	}
	return r
}

// GateReporter is the engine's reporter for the HTML report: it groups the findings of each
// file's verdict as they stream by, keeping the first exchanges of each group, and writes the
// page to w when the run is done.
type GateReporter struct {
	Collector
	w io.Writer
}

// NewGateReporter returns a contract.Reporter that writes the HTML report of run to w.
func NewGateReporter(w io.Writer, run Run) *GateReporter {
	r := &GateReporter{w: w}
	r.Run = run
	return r
}

// File counts the findings of one file's verdict.
func (r *GateReporter) File(fv *contract.FileVerdict) error {
	for _, f := range fv.Findings {
		r.Add(findingOf(f, nil))
	}
	for i := range fv.Interactions {
		r.interaction(&fv.Interactions[i])
	}
	return nil
}

func (r *GateReporter) interaction(iv *contract.InteractionVerdict) {
	var ex *Exchange // built once, and only for a finding the report shows whole
	violation := false
	for _, f := range iv.Findings {
		hf := findingOf(f, nil)
		if r.Room(hf) {
			if ex == nil {
				ex = ExchangeOf(iv.Exchange)
			}
			hf.Exchange = ex
		}
		r.Add(hf)
		violation = violation || f.Severity == contract.Violation
	}
	if violation && iv.Judged() {
		mt, _ := mediatype.Parse(iv.Exchange.ResponseHeader.Get("Content-Type"))
		r.Failed(iv.OperationID, iv.Status, mt)
	}
}

// Done writes the page.
func (r *GateReporter) Done(s *contract.Summary) error {
	r.Pass = s.Err() == nil
	r.Headline = s.Line()
	r.Counts = []Count{{"files", s.Files}, {"interactions", s.Interactions}, {"judged", s.Judged},
		{"ignored", s.Ignored}, {"violations", s.Violations}, {"drift", s.Drift}}
	r.SetCoverage(s.Coverage)
	if err := Render(r.w, &r.Model); err != nil {
		return fmt.Errorf("contract: HTML report: %w", err)
	}
	return nil
}

func findingOf(f contract.Finding, ex *Exchange) Finding {
	where := f.Cassette
	if f.Interaction >= 0 {
		where += " interaction " + strconv.Itoa(f.Interaction)
	}
	return Finding{Violation: f.Severity == contract.Violation, OperationID: f.OperationID, Where: where,
		Status: f.Status, Pointer: f.Pointer, Reason: f.Reason, Exchange: ex}
}

// Proxy counts one exchange that passed through `contract proxy`; Finish the report with
// the proxy's coverage when it stops.
func (c *Collector) Proxy(v contract.ProxyVerdict) {
	c.proxy.interactions++
	if v.Ignored != "" {
		c.proxy.ignored++
		return
	}
	c.proxy.judged++
	var ex *Exchange
	violation := false
	for _, f := range v.Findings {
		hf := findingOf(f, nil)
		if c.Room(hf) {
			if ex == nil {
				ex = ExchangeOf(v.Exchange)
			}
			hf.Exchange = ex
		}
		c.Add(hf)
		if f.Severity == contract.Violation {
			violation = true
			c.proxy.violations++
		} else {
			c.proxy.drift++
		}
	}
	if violation {
		mt, _ := mediatype.Parse(v.Exchange.ResponseHeader.Get("Content-Type"))
		c.Failed(v.OperationID, v.Status, mt)
	}
}

// FinishProxy sets the summary of a proxy's run from the exchanges counted and its coverage.
func (c *Collector) FinishProxy(cov *contract.Coverage) {
	p := c.proxy
	c.Pass = p.violations == 0
	verdict := "PASS"
	if !c.Pass {
		verdict = "FAIL"
	}
	c.Headline = fmt.Sprintf("%s: %s: %d judged, %d ignored; %s, %d drift", verdict, plural.Of(p.interactions, "exchange"),
		p.judged, p.ignored, plural.Of(p.violations, "violation"), p.drift)
	c.Counts = []Count{{"exchanges", p.interactions}, {"judged", p.judged}, {"ignored", p.ignored}, {"violations", p.violations}, {"drift", p.drift}}
	c.SetCoverage(cov)
}

// SetCoverage fills the grids from cov and the failures counted.
func (c *Collector) SetCoverage(cov *contract.Coverage) {
	c.Coverage = nil
	for _, oc := range cov.Operations() {
		op := Operation{ID: oc.OperationID, Method: oc.Method, Path: oc.Path}
		op.Statuses = c.cells(oc.OperationID, oc.Statuses)
		op.MediaTypes = c.cells(oc.OperationID, oc.MediaTypes)
		c.Coverage = append(c.Coverage, op)
	}
}

func (c *Collector) cells(op string, es []contract.Exercised) []Cell {
	out := make([]Cell, len(es))
	for i, e := range es {
		out[i] = Cell{Key: e.Key, Documented: e.Documented, Exercised: e.Count, Failed: c.failed[cellKey{op, e.Key}]}
	}
	return out
}

// Writer is where Done writes the page.
func (r *GateReporter) Writer() io.Writer { return r.w }
