//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/partnercenter-go/partnercenter/sandbox"
)

// A results file open in one run is refused to a second; the control: once the first closes
// it, it opens again.
func TestOpenResultsLocksTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.jsonl")
	first, err := openResults(path)
	if err != nil {
		t.Fatal(err)
	}
	if second, err := openResults(path); !errors.Is(err, errLocked) {
		second.Close()
		t.Fatalf("a second open of a locked results file: %v, want errLocked", err)
	}
	first.Close()
	third, err := openResults(path)
	if err != nil {
		t.Fatalf("after the first run closed it: %v", err)
	}
	third.Close()
}

// Two runs of one batch on one results file, the second started while the first runs: the
// second is refused at once, and each row is reported once; the control: a run after the first
// ended opens the file and finds every row done.
func TestConcurrentRunsOnOneResultsFile(t *testing.T) {
	seed, ids := sandbox.SeedWithSubscriptions(4)
	sb := sandbox.Start(t, sandbox.Options{Seed: seed, Faults: sandbox.Faults{Latency: 500 * time.Millisecond}})
	e := withEndpoint(t, sb)
	csvPath := batchCSV(t, ids)
	results := filepath.Join(t.TempDir(), "out.jsonl")
	args := []string{"activate", "--file", csvPath, "--results", results, "--concurrency", "1", "--progress", "none"}
	first := exec.Command(built(t), args...)
	first.Env = e
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(results); err == nil {
			break
		} else if time.Now().After(deadline) {
			t.Fatal("the first run did not create the results file")
		}
	}
	second := runCLI(t, e, args...)
	if err := first.Wait(); err != nil {
		t.Fatalf("first run: %v", err)
	}
	if second.code != 1 || !strings.Contains(second.stderr, "--results "+results+": another partnercenter activate is writing to this results file") {
		t.Fatalf("second run: %+v", second)
	}
	got := readResults(t, results)
	if len(got) != len(ids) {
		t.Fatalf("%d results for %d rows: %+v", len(got), len(ids), got)
	}
	if r := runCLI(t, e, args...); r.code != 0 || !strings.Contains(r.stderr, "0 activated, 0 already active, 0 failed in ") ||
		!strings.Contains(r.stderr, fmt.Sprintf("not sent: %d skipped as done before\n", len(ids))) {
		t.Fatalf("a run after the first: %+v", r)
	}
}
