package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/partnercenter-go/partnercenter"
	"github.com/partnercenter-go/partnercenter/internal/guid"
)

type batchOptions struct {
	file, results, resume, progress string
	concurrency                     int
	rate                            float64
}

// row is one CSV row to activate.
type row struct {
	line                   int
	customer, subscription string
}

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

// requestIDNamespace derives each subscription's MS-RequestId (UUID v5), so that a resumed run
// repeats the id of an activation that was cut off mid-call and gets the service's stored
// answer instead of a second activation.
var requestIDNamespace = uuid.MustParse("a3c4e5f6-0718-4293-a4b5-c6d7e8f90a1b")

func (a *app) runBatch(ctx context.Context, opts batchOptions) error {
	if opts.concurrency < 1 || opts.concurrency > 256 {
		return usagef("--concurrency %d: from 1 to 256", opts.concurrency)
	}
	if opts.rate < 0 {
		return usagef("--rate %v: not negative", opts.rate)
	}
	switch opts.progress {
	case "auto", "bar", "lines", "none":
	default:
		return usagef("--progress %q: want auto, bar, lines or none", opts.progress)
	}
	rows, invalid, dups, err := readRows(opts.file)
	if err != nil {
		return err
	}
	done := map[string]bool{}
	if opts.resume != "" {
		if done, err = readDone(opts.resume); err != nil {
			return err
		}
	}
	out := a.stdout
	if opts.results != "" {
		f, err := os.OpenFile(opts.results, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			return fmt.Errorf("--results: %w", err)
		}
		defer f.Close()
		out = f
	}
	w := &resultWriter{w: out}
	for _, bad := range append(invalid, dups...) {
		fmt.Fprintf(a.stderr, "partnercenter: %s line %d: %s; skipped\n", opts.file, bad.Line, bad.Error)
		w.write(bad)
	}

	var todo []row
	skipped := 0
	for _, r := range rows {
		if done[key(r.customer, r.subscription)] {
			skipped++
			continue
		}
		todo = append(todo, r)
	}

	p := newPacer(opts.rate)
	// A batch retries longer than one call (9 tries, not 4): over thousands of rows, a few
	// would otherwise meet four transient faults in a row and be reported failed.
	a.maxRetries = 8
	client, err := a.newClient(p)
	if err != nil {
		return err
	}
	prog := newProgress(a.stderr, opts.progress, len(todo), p)
	prog.start()

	jobs := make(chan row)
	var wg sync.WaitGroup
	for range opts.concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range jobs {
				res, interrupted := activateRow(ctx, client, r)
				if interrupted {
					prog.interrupted.Add(1)
					continue // not written: a resumed run does it again, with the same MS-RequestId
				}
				w.write(res)
				prog.record(res)
			}
		}()
	}
feed:
	for _, r := range todo {
		select {
		case jobs <- r:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	prog.stop()

	s := prog.summary()
	fmt.Fprintf(a.stderr, "partnercenter: %d activated, %d already active, %d failed, %d invalid rows, %d duplicate rows, %d skipped as done (--resume), in %s (%.1f/s)\n",
		s.activated, s.already, s.failed, len(invalid), len(dups), skipped, s.elapsed.Round(time.Millisecond), s.rate)
	if w.err != nil {
		return fmt.Errorf("writing results: %w", w.err)
	}
	if ctx.Err() != nil {
		left := len(todo) - int(s.activated+s.already+s.failed)
		msg := fmt.Sprintf("interrupted: %d subscriptions not done", left)
		if opts.results != "" {
			msg += fmt.Sprintf("; finish them with --file %s --resume %s --results %s", opts.file, opts.results, opts.results)
		}
		return &exitError{code: exitInterrupted, err: errors.New(msg)}
	}
	if s.failed > 0 || len(invalid) > 0 {
		return &exitError{code: exitFailed, err: fmt.Errorf("%d rows failed, %d rows invalid", s.failed, len(invalid))}
	}
	return nil
}

// activateRow activates one subscription; interrupted is true when Ctrl-C cut the call off.
func activateRow(ctx context.Context, client *partnercenter.Client, r row) (res result, interrupted bool) {
	id := uuid.NewSHA1(requestIDNamespace, []byte(key(r.customer, r.subscription))).String()
	res = result{Line: r.line, Customer: r.customer, Subscription: r.subscription, RequestID: id}
	_, err := client.ActivateSubscription(ctx, r.customer, r.subscription, &partnercenter.ActivateSubscriptionOptions{RequestID: id})
	res.Time = time.Now().UTC().Format(time.RFC3339Nano)
	var pcErr *partnercenter.Error
	switch {
	case err == nil:
		res.Status = "activated"
	case ctx.Err() != nil:
		return res, true
	case errors.As(err, &pcErr) && pcErr.Code == partnercenter.CodeAlreadyActivated:
		res.Status, res.Code = "already-active", string(pcErr.Code)
	default:
		res.Status, res.Error = "failed", trimPrefix(err.Error())
		if errors.As(err, &pcErr) {
			res.Code = string(pcErr.Code)
		}
	}
	return res, false
}

func key(customer, subscription string) string {
	return strings.ToLower(customer) + "/" + strings.ToLower(subscription)
}

// readRows reads customer,subscription rows; rows that are not two GUIDs come back as
// invalid results naming their line.
func readRows(path string) (rows []row, invalid, dups []result, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("--file: %w", err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.Comment = '#'
	firstLine := map[string]int{} // customer/subscription -> the line that has it first
	now := time.Now().UTC().Format(time.RFC3339Nano)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				invalid = append(invalid, result{Line: pe.Line, Status: "invalid", Error: "not CSV: " + pe.Err.Error(), Time: now})
				continue
			}
			return nil, nil, nil, fmt.Errorf("--file %s: %w", path, err)
		}
		line, _ := cr.FieldPos(0) // only after a successful Read: it panics otherwise
		if len(rows) == 0 && len(invalid) == 0 && len(rec) >= 1 && strings.EqualFold(strings.TrimSpace(rec[0]), "customer") {
			continue // the header row
		}
		if len(rec) != 2 || !guid.Valid(strings.TrimSpace(rec[0])) || !guid.Valid(strings.TrimSpace(rec[1])) {
			r := result{Line: line, Status: "invalid", Error: fmt.Sprintf("want two GUIDs (customer,subscription), got %q", strings.Join(rec, ",")), Time: now}
			if len(rec) == 2 {
				r.Customer, r.Subscription = rec[0], rec[1]
			}
			invalid = append(invalid, r)
			continue
		}
		r := row{line: line, customer: strings.TrimSpace(rec[0]), subscription: strings.TrimSpace(rec[1])}
		if first, seen := firstLine[key(r.customer, r.subscription)]; seen {
			dups = append(dups, result{Line: line, Customer: r.customer, Subscription: r.subscription, Status: "duplicate",
				Error: fmt.Sprintf("repeats line %d", first), Time: now})
			continue
		}
		firstLine[key(r.customer, r.subscription)] = line
		rows = append(rows, r)
	}
	return rows, invalid, dups, nil
}

// readDone reads a results file and returns the subscriptions it shows as done. A line cut
// off by a crash is ignored; the subscription is simply done again.
func readDone(path string) (map[string]bool, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return map[string]bool{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("--resume: %w", err)
	}
	defer f.Close()
	done := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r result
		if json.Unmarshal(sc.Bytes(), &r) == nil && r.done() {
			done[key(r.Customer, r.Subscription)] = true
		}
	}
	return done, sc.Err()
}

// resultWriter writes one JSON line per result, whole, as results finish.
type resultWriter struct {
	mu  sync.Mutex
	w   io.Writer
	err error
}

func (rw *resultWriter) write(r result) {
	b, _ := json.Marshal(r)
	rw.mu.Lock()
	defer rw.mu.Unlock()
	if _, err := rw.w.Write(append(b, '\n')); err != nil && rw.err == nil {
		rw.err = err
	}
}

// progress reports a batch on stderr: a bar redrawn on a terminal, periodic lines otherwise.
type progress struct {
	w                                       io.Writer
	mode                                    string
	total                                   int
	pacer                                   *pacer
	activated, already, failed, interrupted atomic.Int64
	begin                                   time.Time
	quit                                    chan struct{}
	finished                                chan struct{}
}

type batchSummary struct {
	activated, already, failed int64
	elapsed                    time.Duration
	rate                       float64
}

func newProgress(w io.Writer, mode string, total int, p *pacer) *progress {
	if mode == "auto" {
		mode = "lines"
		if f, ok := w.(*os.File); ok {
			if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
				mode = "bar"
			}
		}
	}
	return &progress{w: w, mode: mode, total: total, pacer: p, quit: make(chan struct{}), finished: make(chan struct{})}
}

func (p *progress) record(r result) {
	switch r.Status {
	case "activated":
		p.activated.Add(1)
	case "already-active":
		p.already.Add(1)
	default:
		p.failed.Add(1)
	}
}

func (p *progress) start() {
	p.begin = time.Now()
	go func() {
		defer close(p.finished)
		if p.mode == "none" {
			<-p.quit
			return
		}
		every := 2 * time.Second
		if p.mode == "bar" {
			every = 200 * time.Millisecond
		}
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				p.draw(false)
			case <-p.quit:
				p.draw(true)
				return
			}
		}
	}()
}

func (p *progress) stop() {
	close(p.quit)
	<-p.finished
}

func (p *progress) summary() batchSummary {
	s := batchSummary{activated: p.activated.Load(), already: p.already.Load(), failed: p.failed.Load(), elapsed: time.Since(p.begin)}
	if secs := s.elapsed.Seconds(); secs > 0 {
		s.rate = float64(s.activated+s.already+s.failed) / secs
	}
	return s
}

func (p *progress) draw(final bool) {
	s := p.summary()
	n := int(s.activated + s.already + s.failed)
	eta := "-"
	if s.rate > 0 && n < p.total {
		eta = (time.Duration(float64(p.total-n)/s.rate) * time.Second).Round(time.Second).String()
	}
	text := fmt.Sprintf("%d/%d done, %d failed, %.1f/s, ETA %s", n, p.total, s.failed, s.rate, eta)
	if r := p.pacer.rateNow(); r > 0 {
		text += fmt.Sprintf(", pace %.0f/s", r)
	}
	switch p.mode {
	case "bar":
		const width = 30
		filled := 0
		if p.total > 0 {
			filled = width * n / p.total
		}
		fmt.Fprintf(p.w, "\r[%s%s] %s\033[K", strings.Repeat("#", filled), strings.Repeat("-", width-filled), text)
		if final {
			fmt.Fprintln(p.w)
		}
	case "lines":
		fmt.Fprintf(p.w, "progress: %s\n", text)
	}
}
