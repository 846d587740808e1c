package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/partnercenter-go/partnercenter/internal/redact"
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

// resultStatuses are the statuses a result has: a JSON line with another one is not ours.
var resultStatuses = map[string]bool{"activated": true, "already-active": true, "failed": true, "invalid": true, "duplicate": true}

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

// resultPrefix starts every line this command writes (json.Marshal of a result).
const resultPrefix = `{"line":`

// load reads a results file, with no limit on a line's length (a long invalid row makes a long
// line). A line that a crash cut off (it starts as a result does, but is not whole JSON) is
// noted in skipped: its row is simply done again, under the same MS-RequestId. Any other line
// that is not a result means the file is not a results file (the batch's CSV, say, named by
// mistake): an error naming the line, so that nothing is appended to someone else's file.
func (p *priorResults) load(r io.Reader) error {
	br := bufio.NewReader(r)
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		if n == 1 { // a byte-order mark, left by an editor that saved the file
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
		}
		if trimmed := bytes.TrimSpace(line); len(trimmed) > 0 {
			var res result
			parseErr := json.Unmarshal(line, &res)
			switch {
			case parseErr == nil && resultStatuses[res.Status]:
				if res.done() {
					p.done[key(res.Customer, res.Subscription)] = true
				} else if res.Status == "invalid" || res.Status == "duplicate" {
					p.reported[res.reportKey()] = true
				}
			case parseErr != nil && (bytes.HasPrefix(trimmed, []byte(resultPrefix)) || strings.HasPrefix(resultPrefix, string(trimmed))):
				p.skipped = append(p.skipped, n)
			default:
				return fmt.Errorf("line %d is not a result of partnercenter activate: %s", n,
					strconv.Quote(redact.Bounded(string(trimmed), 80)))
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

// openResults opens a results file for appending and locks it for this run (see lockFile):
// a second run on the same file, started while this one runs, would do every row again and
// report it twice.
func openResults(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// endCutLine ends the last line of a results file when a crash cut it off in the middle of a
// write, so that the next result is not glued onto it; repaired says so.
func endCutLine(f *os.File) (repaired bool, err error) {
	st, err := f.Stat()
	if err != nil || st.Size() == 0 {
		return false, err
	}
	last := make([]byte, 1)
	if _, err := f.ReadAt(last, st.Size()-1); err != nil {
		return false, err
	}
	if last[0] == '\n' {
		return false, nil
	}
	if _, err := f.Write([]byte{'\n'}); err != nil {
		return false, err
	}
	return true, nil
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
