package htmlreport

import (
	"github.com/partnercenter-go/partnercenter/contract"
	"github.com/partnercenter-go/partnercenter/contract/probe"
)

// ProbeModel is the page of a probe's run: the summary, the statuses each operation answered
// (the probe reads no media type), and its findings grouped by operation and check, each
// with its case, its redacted exchange and its curl reproducer. spec is the probe's
// validator's spec, for the grid's documented statuses.
func ProbeModel(res *probe.Result, v *contract.Validator, run Run) *Model {
	c := &Collector{}
	c.Run = run
	cov := contract.NewCoverage(v.Spec())
	for _, cr := range res.Ran {
		if cr.Status != 0 {
			cov.Record(cr.Case.OperationID, contract.Exchange{Status: cr.Status})
		}
		if len(cr.Findings) > 0 {
			c.Failed(cr.Case.OperationID, cr.Status, "")
		}
	}
	for _, f := range res.Findings {
		c.Add(Finding{Violation: true, OperationID: f.OperationID, Check: string(f.Check), Where: f.Case,
			Status: f.Status, Reason: f.Reason, Curl: f.Curl, Exchange: probeExchange(f.Exchange)})
	}
	c.Pass = len(res.Findings) == 0
	c.Headline = probe.SummaryLine(res)
	c.Counts = []Count{{"cases", len(res.Ran)}, {"requests", res.Requests}, {"findings", len(res.Findings)}, {"skipped", len(res.Skipped)}}
	c.SetCoverage(cov)
	for i := range c.Coverage {
		c.Coverage[i].MediaTypes = nil // the probe's cases do not keep what type each answer had
	}
	return &c.Model
}

func probeExchange(ex *probe.Exchange) *Exchange {
	if ex == nil {
		return nil
	}
	return (&Exchange{Method: ex.Method, URL: ex.URL, RequestHeader: headersOf(ex.RequestHeader), Status: ex.Status,
		ResponseHeader: headersOf(ex.ResponseHeader), ResponseBody: ex.BodyExcerpt}).redacted()
}
