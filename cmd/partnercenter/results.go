package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"
)

// result is one JSON line of --results.
type result struct {
	Line         int    `json:"line"`
	Customer     string `json:"customer"`
	Subscription string `json:"subscription"`
	// Status: "activated", "already-active" (done before), "failed", "invalid" (a bad row), or
	// "duplicate" (the row repeats an earlier one, which alone is activated).
	Status    string `json:"status"`
	Code      string `json:"code,omitempty"`
	RequestID string `json:"requestId,omitempty"`
	Error     string `json:"error,omitempty"`
	Time      string `json:"time"`
}

func (r result) done() bool { return r.Status == "activated" || r.Status == "already-active" }

// reportKey identifies a report of a bad row: written once per batch file, not once per run.
func (r result) reportKey() string {
	return fmt.Sprintf("%s/%d/%s/%s/%s", r.Status, r.Line, r.Customer, r.Subscription, r.Error)
}

// priorResults is what results files of earlier runs show.
type priorResults struct {
	done     map[string]bool // customer/subscription keys done
	reported map[string]bool // reportKeys of invalid and duplicate rows already written
	skipped  []int           // lines that are not results (cut off by a crash, or not ours)
}

func newPriorResults() *priorResults {
	return &priorResults{done: map[string]bool{}, reported: map[string]bool{}}
}

// load reads a results file, with no limit on a line's length (a long invalid row makes a long
// line). A line that is not a result, such as one a crash cut off, is noted in skipped: its
// row is simply done again, under the same MS-RequestId.
func (p *priorResults) load(r io.Reader) error {
	br := bufio.NewReader(r)
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			var res result
			if json.Unmarshal(line, &res) != nil || res.Status == "" {
				p.skipped = append(p.skipped, n)
			} else if res.done() {
				p.done[key(res.Customer, res.Subscription)] = true
			} else if res.Status == "invalid" || res.Status == "duplicate" {
				p.reported[res.reportKey()] = true
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// loadFile reads a results file; a missing one is os.ErrNotExist.
func (p *priorResults) loadFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return p.load(f)
}

// openResults opens a results file for appending. When its last line was cut off (a crash in
// the middle of a write), the line is ended first, so that the next result is not glued onto
// it; repaired says so.
func openResults(path string) (f *os.File, repaired bool, err error) {
	f, err = os.OpenFile(path, os.O_CREATE|os.O_RDWR|os.O_APPEND, 0o644)
	if err != nil {
		return nil, false, err
	}
	st, err := f.Stat()
	if err != nil || st.Size() == 0 {
		return f, false, err
	}
	last := make([]byte, 1)
	if _, err := f.ReadAt(last, st.Size()-1); err != nil {
		f.Close()
		return nil, false, err
	}
	if last[0] == '\n' {
		return f, false, nil
	}
	if _, err := f.Write([]byte{'\n'}); err != nil {
		f.Close()
		return nil, false, err
	}
	return f, true, nil
}

// resultWriter writes one JSON line per result, whole, as results finish.
type resultWriter struct {
	mu     sync.Mutex
	w      io.Writer
	err    error
	before func() // run before each line: clears a progress bar drawn on the same terminal
}

func (rw *resultWriter) write(r result) {
	b, _ := json.Marshal(r)
	rw.mu.Lock()
	defer rw.mu.Unlock()
	if rw.before != nil {
		rw.before()
	}
	if _, err := rw.w.Write(append(b, '\n')); err != nil && rw.err == nil {
		rw.err = err
	}
}
