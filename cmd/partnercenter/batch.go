package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/partnercenter-go/partnercenter"
	"github.com/partnercenter-go/partnercenter/internal/plural"
	"github.com/partnercenter-go/partnercenter/internal/redact"
	"github.com/partnercenter-go/partnercenter/internal/shell"
)

type batchOptions struct {
	file, results, resume, progress string
	concurrency                     int
	rate                            float64
	maxPause                        time.Duration
	force                           bool
}

// row is one CSV row to activate.
type row struct {
	line                   int
	customer, subscription string
	// again: the results show the row done and --force asks to activate it again. Its
	// attempt gets a new MS-RequestId: under the derived one, the service would answer
	// from its idempotency store (the first activation's answer) and never activate again.
	again bool
}

// requestIDNamespace derives each subscription's MS-RequestId (UUID v5), so that a resumed run
// repeats the id of an activation that was cut off mid-call and gets the service's stored
// answer instead of a second activation.
var requestIDNamespace = uuid.MustParse("a3c4e5f6-0718-4293-a4b5-c6d7e8f90a1b")

// exitTryLater is the status of a batch stopped because the service asked for a pause longer
// than --max-pause: EX_TEMPFAIL of sysexits.h, "try again later".
const exitTryLater = 75

// pauseTooLong is the cause of a batch stopped by the pacer.
type pauseTooLong struct {
	wait   time.Duration
	header string
}

func (p *pauseTooLong) Error() string { return "the service asked for a pause of " + p.wait.String() }

// maxReportedRows is how many invalid or duplicate rows are listed on stderr; the rest are
// counted (the results file has them all).
const maxReportedRows = 10

// check refuses bad flag values, and files that are missing or in folders that are not
// there, before anything is read, sent or written.
func (opts batchOptions) check() error {
	if opts.concurrency < 1 || opts.concurrency > 256 {
		return usagef("--concurrency %d: want 1 to 256 workers, e.g. --concurrency 8", opts.concurrency)
	}
	if opts.rate < 0 || math.IsNaN(opts.rate) || math.IsInf(opts.rate, 0) { // NaN passed "< 0" and ran unpaced
		return usagef("--rate %v: want requests per second, not negative, e.g. --rate 10", opts.rate)
	}
	if opts.maxPause < time.Second {
		return usagef("--max-pause %v: want at least 1s, e.g. --max-pause 5m", opts.maxPause)
	}
	switch opts.progress {
	case "auto", "bar", "lines", "none":
	default:
		return usagef("--progress %q: want auto, bar, lines or none, e.g. --progress lines", opts.progress)
	}
	if err := checkInputFile("file", opts.file); err != nil {
		return err
	}
	if opts.resume != "" {
		if _, err := os.Stat(opts.resume); errors.Is(err, os.ErrNotExist) {
			return usagef("--resume %s: no such file (to start a new batch, leave --resume out)", quoteValue(opts.resume))
		}
		if err := checkInputFile("resume", opts.resume); err != nil {
			return err
		}
	}
	if opts.results != "" {
		return checkOutputFile("results", opts.results)
	}
	return nil
}

// priorRuns reads what earlier runs did: the --resume file, and the --results file (a
// re-run of a finished batch does nothing twice). The caller holds the results file's lock.
func (a *app) priorRuns(opts batchOptions) (*priorResults, error) {
	prior := newPriorResults()
	for _, file := range []struct{ flag, path string }{{"--resume", opts.resume}, {"--results", opts.results}} {
		if file.path == "" || (file.flag == "--results" && file.path == opts.resume) {
			continue
		}
		// Only a regular results file holds earlier runs: reading --results /dev/stdout (a
		// pipe) would wait forever for this run's own output, deaf to Ctrl-C.
		if st, err := os.Stat(file.path); file.path == opts.results && err == nil && !st.Mode().IsRegular() {
			continue
		}
		if err := prior.loadFile(file.path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s %s: %w (is it the right file? a results file holds only the JSON lines this command writes)", file.flag, file.path, err)
		}
	}
	if n := len(prior.skipped); n > 0 {
		fmt.Fprintf(a.stderr, "partnercenter: %s of the results (first: line %d) cut off by a crash; their rows are done again\n",
			plural.Of(n, "line"), prior.skipped[0])
	}
	return prior, nil
}

func (a *app) runBatch(parent context.Context, opts batchOptions) error {
	if err := opts.check(); err != nil {
		return err
	}
	rows, invalid, dups, err := readRows(opts.file)
	if err != nil {
		return err
	}
	// The results file is locked before the earlier runs are read from it: a run started
	// meanwhile on the same file is refused instead of doing every row again.
	out, closeOut, err := a.openOutput(opts.results)
	if err != nil {
		return err
	}
	defer closeOut()
	prior, err := a.priorRuns(opts)
	if err != nil {
		return err
	}
	if f, ok := out.(*os.File); ok && opts.results != "" {
		if repaired, err := endCutLine(f); err != nil {
			return fmt.Errorf("--results: %w", err)
		} else if repaired {
			fmt.Fprintf(a.stderr, "partnercenter: %s: the last line was cut off (a crash?); it was ended before appending\n", opts.results)
		}
	}
	w := &resultWriter{w: out}
	a.reportBadRows(opts.file, w, prior, append(invalid, dups...))

	var todo []row
	skipped := 0
	for _, r := range rows {
		if prior.done[key(r.customer, r.subscription)] {
			if !opts.force {
				skipped++
				continue
			}
			r.again = true
		}
		todo = append(todo, r)
	}

	ctx, stop := context.WithCancelCause(parent)
	defer stop(nil)
	p := newPacer(opts.rate, opts.maxPause, func(wait time.Duration, header string) {
		stop(&pauseTooLong{wait: wait, header: header})
	})
	// A batch retries longer than one call (9 tries, not 4): over thousands of rows, a few
	// would otherwise meet four transient faults in a row and be reported failed. It waits
	// for a Retry-After up to --max-pause; the pacer stops the batch beyond it.
	a.maxRetries, a.maxRetryDelay = 8, opts.maxPause
	client, err := a.newClient(p)
	if err != nil {
		return err
	}
	prog := newProgress(a.stderr, opts.progress, len(todo), p)
	if opts.results == "" && isTerminal(a.stdout) {
		w.before = prog.clearBar // results and the bar share the terminal
	}
	prog.start()
	a.activateAll(ctx, client, todo, opts.concurrency, w, prog)
	prog.stop()

	s := prog.summary()
	a.printSummary(s, len(invalid), len(dups), skipped)
	if w.err != nil {
		return fmt.Errorf("writing results: %w", w.err)
	}
	return a.outcome(ctx, opts, s, len(todo), len(invalid))
}

// printSummary says what the batch did, within 80 columns: the service's answers on one
// line, the rows it did not send (if any) on another.
func (a *app) printSummary(s batchSummary, invalid, dups, skipped int) {
	fmt.Fprintf(a.stderr, "partnercenter: %d activated, %d already active, %d failed in %s (%.1f/s)\n",
		s.activated, s.already, s.failed, s.elapsed.Round(time.Millisecond), s.rate)
	var notSent []string
	if invalid > 0 {
		notSent = append(notSent, plural.Of(invalid, "invalid row"))
	}
	if dups > 0 {
		notSent = append(notSent, plural.Of(dups, "duplicate row"))
	}
	if skipped > 0 {
		notSent = append(notSent, fmt.Sprintf("%d skipped as done before", skipped))
	}
	if len(notSent) > 0 {
		fmt.Fprintf(a.stderr, "partnercenter: not sent: %s\n", strings.Join(notSent, ", "))
	}
}

// openOutput opens the results file for appending, locked for this run, or returns stdout.
func (a *app) openOutput(results string) (io.Writer, func(), error) {
	if results == "" {
		return a.stdout, func() {}, nil
	}
	f, err := openResults(results)
	if err != nil {
		return nil, nil, fmt.Errorf("--results %s: %w", results, err)
	}
	return f, func() { f.Close() }, nil
}

// outcome is the batch's exit: stopped by a long Retry-After, interrupted, with failed or
// invalid rows, or done.
func (a *app) outcome(ctx context.Context, opts batchOptions, s batchSummary, todo, invalid int) error {
	left := todo - int(s.activated+s.already+s.failed)
	var tooLong *pauseTooLong
	switch {
	case errors.As(context.Cause(ctx), &tooLong):
		return &exitError{code: exitTryLater, err: fmt.Errorf("stopped: the service asked to wait %s (Retry-After: %s), more than --max-pause %s; %s not done; %s",
			tooLong.wait, redact.Bounded(tooLong.header, 64), opts.maxPause, plural.Of(left, "subscription"), a.resumeHint(opts))}
	case ctx.Err() != nil:
		return &exitError{code: exitInterrupted, err: fmt.Errorf("interrupted: %s not done; %s", plural.Of(left, "subscription"), a.resumeHint(opts))}
	case s.failed > 0 || invalid > 0:
		return &exitError{code: exitFailed, err: fmt.Errorf("%s failed, %s invalid", plural.Of(int(s.failed), "row"), plural.Of(invalid, "row"))}
	}
	return nil
}

// reportBadRows writes the invalid and duplicate rows that the results do not have yet (once
// per batch file, not once per run), and lists the first of them on stderr.
func (a *app) reportBadRows(file string, w *resultWriter, prior *priorResults, bad []result) {
	for i, r := range bad {
		if i < maxReportedRows {
			fmt.Fprintf(a.stderr, "partnercenter: %s line %d: %s; skipped\n", file, r.Line, r.Error)
		} else if i == maxReportedRows {
			fmt.Fprintf(a.stderr, "partnercenter: %s: %s more invalid or duplicate (the results list them)\n", file, plural.Of(len(bad)-maxReportedRows, "row"))
		}
		if !prior.reported[r.reportKey()] {
			w.write(r)
		}
	}
}

// activateAll activates rows with concurrency workers until done or ctx ends.
func (a *app) activateAll(ctx context.Context, client *partnercenter.Client, rows []row, concurrency int, w *resultWriter, prog *progress) {
	jobs := make(chan row)
	var wg sync.WaitGroup
	for range concurrency {
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
	for _, r := range rows {
		select {
		case jobs <- r:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
}

// resumeHint is the whole command that finishes a stopped batch: the command line as given,
// without --force (it would redo the rows done), and with --resume naming the results file
// unless the line has a --resume already. That one stays: the run reads both its --resume and
// its --results file, and dropping it would redo every row the --resume file shows done.
func (a *app) resumeHint(opts batchOptions) string {
	if opts.results == "" {
		return "the results went to stdout: save them to a file and run the command again with --resume FILE --results FILE"
	}
	args := []string{programName}
	for _, arg := range a.args {
		if arg == "--force" || strings.HasPrefix(arg, "--force=") {
			continue
		}
		args = append(args, arg)
	}
	if opts.resume == "" {
		args = append(args, "--resume", opts.results)
	}
	return "finish them with: " + shell.Join(args)
}

// requestID is the MS-RequestId of a row's activation, kept across the attempt's retries:
// derived from its ids, so that a resumed run repeats it; random for a row activated again
// (--force), so that the service takes it as the new request it is.
func requestID(r row) string {
	if r.again {
		return uuid.NewString()
	}
	return uuid.NewSHA1(requestIDNamespace, []byte(key(r.customer, r.subscription))).String()
}

// activateRow activates one subscription; interrupted is true when Ctrl-C cut the call off.
// The status is what the service answered: a subscription activated before is refused
// (400, code 800041: "already-active"), whether or not --force asked to activate it again.
func activateRow(ctx context.Context, client *partnercenter.Client, r row) (res result, interrupted bool) {
	id := requestID(r)
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
			// The code is what the server sent: masked and bounded like everything Error() prints.
			res.Code = redact.Bounded(string(pcErr.Code), 64)
		}
	}
	return res, false
}

func key(customer, subscription string) string {
	return strings.ToLower(customer) + "/" + strings.ToLower(subscription)
}
