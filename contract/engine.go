package contract

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"runtime"
	"strings"
	"sync"

	"github.com/partnercenter-go/partnercenter"
	"github.com/partnercenter-go/partnercenter/internal/plural"
)

// The engine is the gate's one verdict: `make contract`, `partnercenter contract validate` and
// the library (Check, Run) are front ends over Run and print what it streams.
//
// Run walks each path given (a folder or a file), loads one file at a time, judges its
// interactions and scans them for secrets on a pool of workers (GOMAXPROCS by default), and
// hands the verdicts to the caller in a stable order: path, then interaction. Memory is
// bounded by the files in flight (at most two per worker), not by the size of the folder.

// FileVerdict is the verdict on one file (or one problem the walk met at a path).
type FileVerdict struct {
	Path string // the path given joined with Rel: what findings name
	Rel  string // relative to the path given, slash-separated; the base name when a file was given
	// Findings about the file as a whole (Interaction -1): it cannot be read, is not a
	// recording, is a symlink loop...
	Findings     []Finding
	Interactions []InteractionVerdict
}

// InteractionVerdict is the verdict on one interaction of a file.
type InteractionVerdict struct {
	Index       int
	Method      string
	Host        string
	OperationID string // "" when the interaction was not judged or routes to no operation
	Status      int
	// Ignored says why the interaction was not judged against the spec ("" when it was): it is
	// not a Partner Center API call (another host, or a path not under /v1/). Its secrets are
	// scanned all the same.
	Ignored  string
	Findings []Finding
	// Exchange is the interaction as the file holds it, NOT redacted: a report that shows it
	// prints it through internal/redact (as contract/htmlreport does). It lives as long as the
	// verdict, which the engine drops once the sink has returned.
	Exchange  Exchange
	mediaType string
}

// Judged reports whether the interaction was judged against the spec.
func (iv InteractionVerdict) Judged() bool { return iv.Ignored == "" }

// Summary counts what a Run saw; Err turns it into the gate's verdict.
type Summary struct {
	Files        int // files read (and problems the walk met)
	Skipped      int // files no format claims (README.md...), not read
	Interactions int // interactions read
	Judged       int // interactions judged against the spec
	Ignored      int // interactions that are not Partner Center API calls
	Violations   int
	Drift        int
	Coverage     *Coverage
}

// ErrViolations is the error of a run with violations.
var ErrViolations = errors.New("contract: the exchanges and the spec disagree")

// ErrNothingJudged is the error of a run that judged no interaction: a gate that saw nothing
// must not pass.
var ErrNothingJudged = errors.New("contract: no interaction was judged")

// Err is nil when the gate passes, else ErrViolations or ErrNothingJudged (wrapped with counts).
func (s *Summary) Err() error {
	switch {
	case s.Violations > 0:
		return fmt.Errorf("%w: %s", ErrViolations, plural.Of(s.Violations, "violation"))
	case s.Judged == 0:
		return fmt.Errorf("%w: %d files, %d interactions, %d of them ignored", ErrNothingJudged, s.Files, s.Interactions, s.Ignored)
	}
	return nil
}

// Run judges every recording under paths and calls sink with each file's verdict, in order
// (path given, then path, then interaction), from the calling goroutine. A path that does not
// exist is an error; every problem inside a path (an unreadable or malformed file, a symlink
// loop) is a violation naming the file. The error is nil when the run completed: the gate's
// verdict is the summary's Err.
func (v *Validator) Run(ctx context.Context, paths []string, sink func(*FileVerdict)) (*Summary, error) {
	formats := v.formats
	if len(formats) == 0 {
		formats = Formats()
	}
	sum := &Summary{Coverage: NewCoverage(v.doc)}
	var items []fileItem
	for _, p := range paths {
		found, skipped, err := walk(p, formats)
		if err != nil {
			return nil, err
		}
		items = append(items, found...)
		sum.Skipped += skipped
	}
	err := v.judgeInOrder(ctx, items, func(fv *FileVerdict) {
		sum.add(fv)
		if sink != nil {
			sink(fv)
		}
	})
	return sum, err
}

func (s *Summary) add(fv *FileVerdict) {
	s.Files++
	s.count(fv.Findings)
	for _, iv := range fv.Interactions {
		s.Interactions++
		if iv.Judged() {
			s.Judged++
			s.Coverage.record(iv.OperationID, iv.Status, iv.mediaType)
		} else {
			s.Ignored++
		}
		s.count(iv.Findings)
	}
}

func (s *Summary) count(fs []Finding) {
	for _, f := range fs {
		if f.Severity == Violation {
			s.Violations++
		} else {
			s.Drift++
		}
	}
}

// judgeInOrder judges items on the worker pool and emits their verdicts in item order. At
// most 2*workers files are in flight (being judged, or judged and waiting for an earlier
// one), which bounds memory whatever the number of files.
func (v *Validator) judgeInOrder(ctx context.Context, items []fileItem, emit func(*FileVerdict)) error {
	workers := v.workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	type done struct {
		i  int
		fv *FileVerdict
	}
	slots := make(chan struct{}, 2*workers)
	jobs := make(chan int)
	results := make(chan done)
	go func() {
		defer close(jobs)
		for i := range items {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			jobs <- i
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				results <- done{i, v.judgeFile(items[i])}
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()
	pending := map[int]*FileVerdict{}
	next := 0
	for d := range results {
		pending[d.i] = d.fv
		for fv, ok := pending[next]; ok; fv, ok = pending[next] {
			delete(pending, next)
			next++
			emit(fv)
			<-slots
		}
	}
	return ctx.Err()
}

// judgeFile loads one file with its format and judges every interaction. It never panics on
// hostile input: a panic in a dependency (the YAML library, kin-openapi) becomes a finding.
func (v *Validator) judgeFile(it fileItem) (fv *FileVerdict) {
	fv = &FileVerdict{Path: it.path, Rel: it.rel}
	fileProblem := func(reason string) {
		fv.Findings = append(fv.Findings, Finding{Severity: Violation, Cassette: it.path, Interaction: -1, Pointer: "/", Reason: reason})
	}
	if it.problem != "" {
		fileProblem(it.problem)
		return fv
	}
	defer func() {
		if p := recover(); p != nil {
			fv.Interactions = nil
			fileProblem("could not be judged: the gate hit an internal error on it; please report it with the file")
		}
	}()
	f, err := os.Open(it.path)
	if err != nil {
		fileProblem("cannot be read: " + unwrapPathError(err).Error())
		return fv
	}
	defer f.Close()
	interactions, err := it.format.Load(f)
	if err != nil {
		fileProblem(err.Error())
		return fv
	}
	fv.Interactions = make([]InteractionVerdict, len(interactions))
	for i, in := range interactions {
		fv.Interactions[i] = v.JudgeInteraction(it.path, i, in)
	}
	return fv
}

// JudgeInteraction is the engine's full check of one recorded interaction: it is ignored when it
// is not a Partner Center API call, judged against the spec otherwise, and scanned for secrets
// either way. path and i label the findings.
func (v *Validator) JudgeInteraction(path string, i int, in Interaction) InteractionVerdict {
	iv := InteractionVerdict{Index: i, Method: in.Method, Status: in.Status, Exchange: in.Exchange}
	if in.Problem != "" {
		// Judged, and failed: it is a verdict, not traffic to ignore.
		iv.Findings = []Finding{{Severity: Violation, Cassette: path, Interaction: i, Pointer: "/", Reason: in.Problem}}
		return iv
	}
	u, err := url.Parse(in.URL)
	if err == nil {
		iv.Host = u.Hostname()
		iv.Ignored = ignoredBecause(u)
	} else {
		u = nil
	}
	var response *Body
	if iv.Judged() {
		iv.OperationID, iv.Findings, response = v.judge(in.Exchange, u, path, i)
		iv.mediaType = in.ResponseHeader.Get("Content-Type")
	}
	r := &reporter{base: Finding{Cassette: path, Interaction: i, Status: in.Status, OperationID: iv.OperationID}}
	scanSecrets(r, in, u, response)
	iv.Findings = append(iv.Findings, r.findings...)
	return iv
}

// apiHosts are the hosts of Partner Center's clouds; with loopback (the local sandbox, test
// servers) they are the hosts whose /v1/ traffic the gate judges.
var apiHosts = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range []partnercenter.Cloud{partnercenter.CloudGlobal, partnercenter.CloudUSGovernment, partnercenter.CloudChina} {
		if u, err := url.Parse(c.Endpoint); err == nil {
			m[strings.ToLower(u.Hostname())] = true
		}
	}
	return m
}()

// ignoredBecause says why a request is not a Partner Center API call, "" when it is one: a
// recorder shared with the token credential also records the token exchange, and a team's
// recordings may hold calls to other services. A URL without a host is judged (fail closed).
func ignoredBecause(u *url.URL) string {
	host := strings.ToLower(u.Hostname())
	if host != "" && !apiHosts[host] && host != "localhost" {
		if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
			return "not a Partner Center API host"
		}
	}
	if !strings.HasPrefix(u.EscapedPath(), "/v1/") {
		return "not a Partner Center API path (/v1/...)"
	}
	return ""
}
