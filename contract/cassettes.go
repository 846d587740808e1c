package contract

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"
)

// Cassette is a loaded go-vcr v4 cassette and the path it came from.
type Cassette struct {
	Path         string
	Interactions []*cassette.Interaction
}

// LoadCassettes reads every go-vcr v4 cassette (*.yaml) under dir, recursively. An empty
// directory and an unreadable cassette are errors: a gate that judged nothing must not pass.
func LoadCassettes(dir string) ([]Cassette, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".yaml") {
			paths = append(paths, path)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("contract: read cassettes under %s: %w", dir, err)
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("contract: no cassettes (*.yaml) under %s", dir)
	}
	sort.Strings(paths)
	out := make([]Cassette, 0, len(paths))
	for _, p := range paths {
		c, err := cassette.Load(strings.TrimSuffix(p, ".yaml"))
		if err != nil {
			return nil, fmt.Errorf("contract: cassette %s is unreadable: %w", p, err)
		}
		if len(c.Interactions) == 0 {
			return nil, fmt.Errorf("contract: cassette %s has no interactions", p)
		}
		out = append(out, Cassette{Path: p, Interactions: c.Interactions})
	}
	return out, nil
}

// ExchangeOf turns a recorded interaction into an Exchange.
func ExchangeOf(i *cassette.Interaction) Exchange {
	return Exchange{
		Method: i.Request.Method, URL: i.Request.URL, RequestHeader: i.Request.Headers, RequestBody: []byte(i.Request.Body),
		Status: i.Response.Code, ResponseHeader: i.Response.Headers, ResponseBody: []byte(i.Response.Body),
	}
}

// Report is the verdict on a set of cassettes.
type Report struct {
	Interactions int
	Findings     []Finding
	Coverage     *Coverage
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

// Judge validates every interaction of the cassettes and records coverage.
func (v *Validator) Judge(cassettes []Cassette) *Report {
	r := &Report{Coverage: NewCoverage(v.doc)}
	for _, c := range cassettes {
		for i, in := range c.Interactions {
			ex := ExchangeOf(in)
			r.Interactions++
			r.Findings = append(r.Findings, v.Validate(ex, c.Path, i)...)
			op, _, _ := v.Route(ex.Method, ex.URL)
			r.Coverage.Record(op, ex)
		}
	}
	return r
}

// JudgeDir loads and judges every cassette under dir.
func (v *Validator) JudgeDir(dir string) (*Report, error) {
	cs, err := LoadCassettes(dir)
	if err != nil {
		return nil, err
	}
	return v.Judge(cs), nil
}

// ErrViolations is returned by Check when the gate fails.
var ErrViolations = errors.New("contract: the exchanges and openapi.yaml disagree")

// Check judges dir and returns ErrViolations (wrapped with the count) if any finding fails.
func (v *Validator) Check(dir string) (*Report, error) {
	r, err := v.JudgeDir(dir)
	if err != nil {
		return nil, err
	}
	if n := len(r.Violations()); n > 0 {
		return r, fmt.Errorf("%w: %d violations in %d interactions", ErrViolations, n, r.Interactions)
	}
	return r, nil
}
