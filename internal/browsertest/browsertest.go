// Package browsertest opens pages in headless Chromium for tests: the HTML report is checked
// as a browser renders it, not as a string.
package browsertest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

var (
	once    sync.Once
	found   string
	missing string // why there is no browser, when there is none
)

// names are the Chromium binaries tried on PATH, in order: Debian's chromium package installs
// chromium; chromium-headless-shell is the smaller build Playwright and CI images ship.
var names = []string{"chromium", "chromium-headless-shell", "chromium-browser", "google-chrome"}

// Chromium returns the path of a headless-capable Chromium. When none is on PATH and the test
// runs as root, it installs Debian's chromium package, once per test process (apt-get update;
// apt-get install chromium). Where neither works it skips t, saying why, so that a skip is
// visible in `go test -v` and never counted as a pass in silence.
func Chromium(t testing.TB) string {
	t.Helper()
	once.Do(func() { found, missing = locate() })
	if found == "" {
		t.Skipf("SKIPPED: no headless Chromium: %s", missing)
	}
	return found
}

func locate() (string, string) {
	if p := lookPath(); p != "" {
		return p, ""
	}
	if os.Geteuid() != 0 {
		return "", "none of " + fmt.Sprint(names) + " is on PATH and the test is not root, so it cannot apt-get install chromium; install it (Debian: apt-get install chromium)"
	}
	if _, err := exec.LookPath("apt-get"); err != nil {
		return "", "none of " + fmt.Sprint(names) + " is on PATH and there is no apt-get to install Debian's chromium with"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	for _, args := range [][]string{{"update", "-qq"}, {"install", "-y", "-qq", "chromium"}} {
		cmd := exec.CommandContext(ctx, "apt-get", args...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Sprintf("apt-get %v failed: %v\n%s", args, err, tail(out))
		}
	}
	if p := lookPath(); p != "" {
		return p, ""
	}
	return "", "apt-get install chromium succeeded but no chromium is on PATH"
}

func lookPath() string {
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

func tail(b []byte) []byte {
	if len(b) > 2000 {
		return b[len(b)-2000:]
	}
	return b
}

// flags run Chromium headless, alone and offline: no sandbox (tests run as root in
// containers), no GPU, no first-run or extension noise, and a profile of its own so that
// parallel runs do not share one.
func flags(t testing.TB) []string {
	return []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--no-first-run", "--disable-extensions", "--disable-background-networking",
		"--user-data-dir=" + t.TempDir()}
}

// DumpDOM opens file and returns the DOM as Chromium serialises it once the page has loaded,
// and how long Chromium took (start to exit).
func DumpDOM(t testing.TB, file string) (string, time.Duration) {
	t.Helper()
	out, took := run(t, append(flags(t), "--virtual-time-budget=2000", "--dump-dom", fileURL(t, file))...)
	return string(out), took
}

// Screenshot renders file at width x height pixels to a PNG under the test's temp dir, logs
// its path for a person to look at, and returns it.
func Screenshot(t testing.TB, file string, width, height int) string {
	t.Helper()
	png := filepath.Join(t.TempDir(), filepath.Base(file)+".png")
	ScreenshotTo(t, file, png, width, height)
	t.Logf("screenshot of %s: %s", file, png)
	return png
}

// ScreenshotTo renders file to png.
func ScreenshotTo(t testing.TB, file, png string, width, height int) {
	t.Helper()
	run(t, append(flags(t), "--hide-scrollbars", fmt.Sprintf("--window-size=%d,%d", width, height),
		"--screenshot="+png, fileURL(t, file))...)
	if st, err := os.Stat(png); err != nil || st.Size() == 0 {
		t.Fatalf("chromium wrote no screenshot to %s: %v", png, err)
	}
}

func run(t testing.TB, args ...string) ([]byte, time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, Chromium(t), args...)
	var stderr limitedBuffer
	cmd.Stderr = &stderr
	start := time.Now()
	out, err := cmd.Output()
	took := time.Since(start)
	if err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, stderr.b)
	}
	return out, took
}

func fileURL(t testing.TB, file string) string {
	abs, err := filepath.Abs(file)
	if err != nil {
		t.Fatal(err)
	}
	return (&url.URL{Scheme: "file", Path: abs}).String()
}

// limitedBuffer keeps the last few KiB of Chromium's chatter on stderr, for a failure.
type limitedBuffer struct{ b []byte }

func (l *limitedBuffer) Write(p []byte) (int, error) {
	l.b = append(l.b, p...)
	if len(l.b) > 8<<10 {
		l.b = l.b[len(l.b)-8<<10:]
	}
	return len(p), nil
}
