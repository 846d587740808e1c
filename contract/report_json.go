package contract

import (
	"encoding/json"
	"io"
)

// jsonReporter prints JSON lines: one object per finding and per ignored interaction as they
// come, then one summary object with the coverage. Each object has a "kind".
type jsonReporter struct {
	enc *json.Encoder
}

func newJSONReporter(w io.Writer) *jsonReporter { return &jsonReporter{enc: json.NewEncoder(w)} }

type jsonFinding struct {
	Kind        string `json:"kind"` // "finding"
	Severity    string `json:"severity"`
	File        string `json:"file"`
	Interaction int    `json:"interaction"` // -1: the whole file
	Operation   string `json:"operation,omitempty"`
	Status      int    `json:"status,omitempty"`
	Pointer     string `json:"pointer"`
	Reason      string `json:"reason"`
}

type jsonIgnored struct {
	Kind        string `json:"kind"` // "ignored"
	File        string `json:"file"`
	Interaction int    `json:"interaction"`
	Method      string `json:"method"`
	Host        string `json:"host"`
	Reason      string `json:"reason"`
}

type jsonSummary struct {
	Kind         string         `json:"kind"` // "summary"
	Pass         bool           `json:"pass"`
	Error        string         `json:"error,omitempty"`
	Files        int            `json:"files"`
	Skipped      int            `json:"skipped"`
	Interactions int            `json:"interactions"`
	Judged       int            `json:"judged"`
	Ignored      int            `json:"ignored"`
	Violations   int            `json:"violations"`
	Drift        int            `json:"drift"`
	Coverage     []coverageJSON `json:"coverage"`
}

func (j *jsonReporter) finding(f Finding) error {
	return j.enc.Encode(jsonFinding{"finding", string(f.Severity), f.Cassette, f.Interaction, f.OperationID, f.Status, f.Pointer, f.Reason})
}

func (j *jsonReporter) File(fv *FileVerdict) error {
	for _, f := range fv.Findings {
		if err := j.finding(f); err != nil {
			return err
		}
	}
	for _, iv := range fv.Interactions {
		for _, f := range iv.Findings {
			if err := j.finding(f); err != nil {
				return err
			}
		}
		if !iv.Judged() {
			if err := j.enc.Encode(jsonIgnored{"ignored", fv.Path, iv.Index, iv.Method, iv.Host, iv.Ignored}); err != nil {
				return err
			}
		}
	}
	return nil
}

func (j *jsonReporter) Done(s *Summary) error {
	out := jsonSummary{Kind: "summary", Pass: s.Err() == nil, Files: s.Files, Skipped: s.Skipped, Interactions: s.Interactions,
		Judged: s.Judged, Ignored: s.Ignored, Violations: s.Violations, Drift: s.Drift, Coverage: s.Coverage.entries()}
	if err := s.Err(); err != nil {
		out.Error = err.Error()
	}
	return j.enc.Encode(out)
}
