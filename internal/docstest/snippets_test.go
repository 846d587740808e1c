package docstest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/partnercenter-go/partnercenter/internal/repocopy"
)

// TestSnippets: every fenced block of README.md and docs/*.md carries a snippet marker (see the
// package comment), and what the marker says holds: run blocks run as written, output blocks
// are what they printed, "same as" blocks are part of their file, "by" blocks name a test or a
// CI file that runs them.
func TestSnippets(t *testing.T) {
	freshWorkspace()
	t.Parallel()
	all, err := pages(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, page := range all {
		t.Run(page, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(root, page))
			if err != nil {
				t.Fatal(err)
			}
			blocks, _, err := parse(string(data))
			if err != nil {
				t.Fatalf("%s: %v", page, err)
			}
			for _, problem := range checkBlocks(t, page, blocks) {
				t.Error(problem)
			}
		})
	}
}

// checkBlocks returns one line per block of page whose marker is missing or does not hold.
func checkBlocks(t *testing.T, page string, blocks []block) []string {
	var problems []string
	var ran *runResult // the last run block's, for the output block after it
	for i, b := range blocks {
		where := fmt.Sprintf("%s:%d", page, b.line)
		kind, arg, _ := strings.Cut(b.marker, " ")
		var problem string
		switch {
		case b.marker == "":
			problem = "a fenced block with no snippet marker: put <!-- snippet: run|output|same as PATH|by TestName --> on the line before it (internal/docstest/doc.go)"
		case kind == "run":
			r := runBlock(t, b.text)
			ran, problem = &r, r.problem
		case kind == "output":
			if ran == nil || i == 0 || !strings.HasPrefix(blocks[i-1].marker, "run") {
				problem = "an output block must follow a run block"
			} else {
				problem = missingOutput(b.text, ran.output)
			}
		case kind == "same" && strings.HasPrefix(arg, "as "):
			problem = sameAs(strings.TrimPrefix(arg, "as "), b.text)
		case kind == "by":
			problem = ranBy(arg, b.text)
		default:
			problem = fmt.Sprintf("unknown snippet marker %q", b.marker)
		}
		if problem != "" {
			problems = append(problems, where+": "+problem)
		}
	}
	return problems
}

// sameAs says what is wrong when text is not, verbatim, part of the file at path.
func sameAs(path, text string) string {
	data, err := os.ReadFile(filepath.Join(root, path))
	if err != nil {
		return fmt.Sprintf("same as %s: %v", path, err)
	}
	for _, indent := range []string{"\t", "\t\t"} { // a function's body, shown on its own
		if strings.Contains(string(data), indented(text, indent)) {
			return ""
		}
	}
	if !strings.Contains(string(data), text) {
		lines := strings.Split(text, "\n")
		for n := len(lines); n > 0; n-- {
			if !strings.Contains(string(data), strings.Join(lines[:n], "\n")) {
				continue
			}
			return fmt.Sprintf("the block differs from %s at its line %d: %q; copy the file's code into the page", path, n+1, lines[min(n, len(lines)-1)])
		}
		return fmt.Sprintf("the block differs from %s at its line 1: copy the file's code into the page", path)
	}
	return ""
}

// indented is text with indent before each line that is not empty.
func indented(text, indent string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = indent + l
		}
	}
	return strings.Join(lines, "\n")
}

var testFunc = regexp.MustCompile(`^Test[A-Z0-9_]\w*$`)

// ranBy says what is wrong when what names neither an existing test function nor a file that
// runs each command line of text.
func ranBy(what, text string) string {
	if testFunc.MatchString(what) {
		if !testExists(what) {
			return fmt.Sprintf("by %s: no func %s in any _test.go file of the repository", what, what)
		}
		return ""
	}
	data, err := os.ReadFile(filepath.Join(root, what))
	if err != nil {
		return fmt.Sprintf("by %s: %v", what, err)
	}
	for _, line := range commandLines(text) {
		if !strings.Contains(string(data), line.cmd) {
			return fmt.Sprintf("by %s: the file does not run %q", what, line.cmd)
		}
	}
	return ""
}

var (
	testIndex     map[string]bool
	testIndexOnce sync.Once
)

// testExists reports whether a _test.go file of the repository declares func name.
func testExists(name string) bool {
	testIndexOnce.Do(func() {
		testIndex = map[string]bool{}
		decl := regexp.MustCompile(`(?m)^func (Test\w+)\(`)
		filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			if strings.HasSuffix(path, "_test.go") {
				data, err := os.ReadFile(path)
				if err != nil {
					return err
				}
				for _, m := range decl.FindAllSubmatch(data, -1) {
					testIndex[string(m[1])] = true
				}
			}
			return nil
		})
	})
	return testIndex[name]
}

// A commandLine is one command of a sh block (continuation lines joined) and the exit status
// its "# exit N" comment expects.
type commandLine struct {
	cmd  string
	exit int
	line int
}

var exitComment = regexp.MustCompile(`#\s*exit (\d+)\b`)

func commandLines(text string) []commandLine {
	var out []commandLine
	var cur strings.Builder
	start := 0
	for i, l := range strings.Split(text, "\n") {
		if cur.Len() == 0 {
			start = i + 1
			if t := strings.TrimSpace(l); t == "" || strings.HasPrefix(t, "#") {
				continue
			}
		}
		if strings.HasSuffix(l, "\\") {
			cur.WriteString(strings.TrimSuffix(l, "\\"))
			continue
		}
		cur.WriteString(l)
		full := cur.String()
		cur.Reset()
		c := commandLine{cmd: full, line: start}
		if m := exitComment.FindStringSubmatch(full); m != nil {
			c.exit, _ = strconv.Atoi(m[1])
		}
		if i := strings.Index(full, " #"); i >= 0 {
			c.cmd = strings.TrimSpace(full[:i])
		}
		out = append(out, c)
	}
	return out
}

type runResult struct {
	output, problem string
}

var (
	buildOnce         sync.Once
	binDir            string
	buildErr          error
	workMu            sync.Mutex
	workDir           string // the current copy; "" until a run block needs one
	durationOrRateAny = regexp.MustCompile(`\b\d+(\.\d+)?(ns|µs|ms|s|m|h)\b|\(\d+(\.\d+)?/s\)`)
)

// freshWorkspace makes the next run block start from a new copy of the repository, so that
// what one run of TestSnippets wrote (a results file, a report) cannot change what the next
// run prints (go test -count=2).
func freshWorkspace() {
	workMu.Lock()
	defer workMu.Unlock()
	workDir = ""
}

// workspace is the copy of the repository the run blocks of one TestSnippets run share, and a
// folder holding the command built once from the repository, for PATH.
func workspace(t *testing.T) (string, string) {
	buildOnce.Do(func() {
		binDir = (&onceTB{T: t}).TempDir()
		cmd := exec.Command("go", "build", "-o", filepath.Join(binDir, "partnercenter"), "./cmd/partnercenter")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	workMu.Lock()
	defer workMu.Unlock()
	if workDir == "" {
		workDir = repocopy.Copy(&onceTB{T: t}, root)
	}
	return workDir, binDir
}

// onceTB is a testing.TB whose temporary folders outlive the test that made them: the run
// blocks of every page share one copy, removed by TestMain.
type onceTB struct{ *testing.T }

var sharedTemp []string

func (o *onceTB) TempDir() string {
	d, err := os.MkdirTemp("", "docstest")
	if err != nil {
		o.Fatal(err)
	}
	sharedTemp = append(sharedTemp, d)
	return d
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, d := range sharedTemp {
		os.RemoveAll(d)
	}
	os.Exit(code)
}

// runBlock runs each command of a sh block with bash in the workspace, in order, in one shell
// (so that a cd or an export carries to the next line), and checks each exit status.
func runBlock(t *testing.T, text string) runResult {
	dir, bin := workspace(t)
	var script strings.Builder
	for _, c := range commandLines(text) {
		fmt.Fprintf(&script, "%s\ns=$?; if [ $s != %d ]; then echo \"docstest: line %d exited $s, want %d\" >&2; exit 99; fi\n", c.cmd, c.exit, c.line, c.exit)
	}
	cmd := exec.Command("bash", "--noprofile", "--norc", "-c", script.String())
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "NO_COLOR=1", "COLUMNS=80")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	// A process group of its own: what a block starts in the background (a sandbox) is
	// stopped with it, even when a line fails before the block's own kill.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = 2 * time.Second // a background process keeps the output open
	err := cmd.Start()
	if err == nil {
		err = cmd.Wait()
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	r := runResult{output: out.String()}
	if err != nil {
		r.problem = fmt.Sprintf("the block does not run as written: %v\n%s", err, out.String())
	}
	return r
}

// missingOutput names the first line of want (but "..." lines) that is not a line of got,
// durations and rates aside.
func missingOutput(want, got string) string {
	norm := func(s string) string { return durationOrRateAny.ReplaceAllString(strings.TrimRight(s, " "), "<time>") }
	lines := map[string]bool{}
	for _, l := range strings.Split(got, "\n") {
		lines[norm(l)] = true
	}
	for _, l := range strings.Split(strings.TrimRight(want, "\n"), "\n") {
		if strings.TrimSpace(l) == "..." || lines[norm(l)] {
			continue
		}
		return fmt.Sprintf("the run block above did not print %q; it printed:\n%s", l, got)
	}
	return ""
}
