package releasetest

import (
	"crypto/sha256"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"

	"gopkg.in/yaml.v3"
)

// actionDef is what the test reads of action.yml.
type actionDef struct {
	Inputs map[string]struct {
		Required bool   `yaml:"required"`
		Default  string `yaml:"default"`
	} `yaml:"inputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []struct {
			ID    string            `yaml:"id"`
			Shell string            `yaml:"shell"`
			Env   map[string]string `yaml:"env"`
			Run   string            `yaml:"run"`
		} `yaml:"steps"`
	} `yaml:"runs"`
}

// readAction reads action.yml and checks that its one step hands every input to the script
// as INPUT_<NAME>: a composite action's step sees only what its env maps.
func readAction(t *testing.T) actionDef {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a actionDef
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if a.Runs.Using != "composite" || len(a.Runs.Steps) != 1 || a.Runs.Steps[0].Shell != "bash" {
		t.Fatalf("action.yml: want a composite action of one bash step, got %+v", a.Runs)
	}
	step := a.Runs.Steps[0]
	for name := range a.Inputs {
		env := "INPUT_" + strings.ToUpper(name)
		if want := "${{ inputs." + name + " }}"; step.Env[env] != want {
			t.Errorf("action.yml: the step's env maps %s to %q, want %q", env, step.Env[env], want)
		}
	}
	if !strings.Contains(step.Run, "$GITHUB_ACTION_PATH/scripts/action-gate.sh") {
		t.Errorf("action.yml: the step does not run scripts/action-gate.sh: %q", step.Run)
	}
	return a
}

// runner is one run of the action's step as the runner does it: bash --noprofile --norc
// -eo pipefail running the step's run line, in the workspace, with the inputs (the given
// ones, else action.yml's defaults) as INPUT_* and the runner's files and variables.
type runner struct {
	stdout                    string
	code                      int
	outputs, summary, workdir string
}

func runAction(t *testing.T, a actionDef, workspace string, inputs map[string]string, extraEnv ...string) runner {
	t.Helper()
	files := t.TempDir()
	output, summary := filepath.Join(files, "output"), filepath.Join(files, "summary")
	env := []string{"GITHUB_ACTIONS=true", "CI=true", "GITHUB_WORKSPACE=" + workspace,
		"GITHUB_ACTION_PATH=" + root, "GITHUB_OUTPUT=" + output, "GITHUB_STEP_SUMMARY=" + summary,
		"RUNNER_TEMP=" + t.TempDir(), "RUNNER_OS=" + map[string]string{"linux": "Linux", "darwin": "macOS", "windows": "Windows"}[runtime.GOOS],
		"RUNNER_ARCH=" + map[string]string{"amd64": "X64", "arm64": "ARM64"}[runtime.GOARCH], "ACTION_REF=main"}
	for name, in := range a.Inputs {
		value, ok := inputs[name]
		if !ok {
			value = in.Default
		}
		env = append(env, "INPUT_"+strings.ToUpper(name)+"="+value)
	}
	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", a.Runs.Steps[0].Run)
	cmd.Dir = workspace
	cmd.Env = append(append(os.Environ(), env...), extraEnv...)
	out, err := cmd.CombinedOutput()
	r := runner{stdout: string(out), workdir: workspace}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	o, _ := os.ReadFile(output)
	s, _ := os.ReadFile(summary)
	r.outputs, r.summary = string(o), string(s)
	return r
}

var (
	buildOnce sync.Once
	built     string
	buildErr  error
)

// command builds the command once for the action's tests.
func command(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "releasetest")
		if err != nil {
			buildErr = err
			return
		}
		built = filepath.Join(dir, "partnercenter")
		if out, err := tryRun(root, nil, "go", "build", "-o", built, "./cmd/partnercenter"); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return built
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built != "" {
		os.RemoveAll(filepath.Dir(built))
	}
	os.Exit(code)
}

// TestActionPassesOnTheProjectsRecordings: the project's cassettes and HAR captures pass; the
// outputs, the JUnit report and the summary say so, and nothing is annotated as an error.
func TestActionPassesOnTheProjectsRecordings(t *testing.T) {
	t.Parallel()
	a := readAction(t)
	report := filepath.Join(t.TempDir(), "contract.xml")
	r := runAction(t, a, root, map[string]string{
		"paths":  "contract/testdata/cassettes\n  contract/testdata/har  \n",
		"report": report, "binary": command(t),
	})
	if r.code != 0 || strings.Contains(r.stdout, "::error") {
		t.Fatalf("the action failed on the project's recordings: exit %d\n%s", r.code, r.stdout)
	}
	if !strings.Contains(r.outputs, "verdict=pass\n") || !strings.Contains(r.outputs, "report="+report+"\n") {
		t.Errorf("GITHUB_OUTPUT:\n%s", r.outputs)
	}
	if !strings.Contains(r.summary, "### Partner Center contract gate: PASS") || !regexp.MustCompile(`\n    PASS: [0-9]+ files, [0-9]+ interactions: .*; 0 violations`).MatchString(r.summary) {
		t.Errorf("GITHUB_STEP_SUMMARY:\n%s", r.summary)
	}
	if !strings.Contains(r.stdout, "::warning file=contract/testdata/cassettes/published/") {
		t.Errorf("the drift of the published cassettes is not annotated on their files:\n%s", r.stdout)
	}
	suite := readJUnit(t, report)
	if suite.Tests < 30 || suite.Failures != 0 {
		t.Errorf("JUnit report: %d tests, %d failures; want the project's interactions, none failed", suite.Tests, suite.Failures)
	}
}

// TestActionFailsOnABrokenCassette: a cassette whose answer breaks the spec fails the step
// with an error annotation on the file (its path relative to the workspace), the default
// report in the workspace holding the failed testcase, and the outputs saying fail.
func TestActionFailsOnABrokenCassette(t *testing.T) {
	t.Parallel()
	a := readAction(t)
	workspace := t.TempDir()
	src, err := os.ReadFile(filepath.Join(root, "contract/testdata/cassettes/documented/activate-sandbox-subscription.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(src), `\"status\":\"Success\"`, `\"status\":7`, 1)
	if broken == string(src) {
		t.Fatal("the mutation did not apply")
	}
	if err := os.MkdirAll(filepath.Join(workspace, "recordings"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(workspace, "recordings", "activate.yaml"), []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runAction(t, a, workspace, map[string]string{"paths": "recordings", "binary": command(t)})
	if r.code != 1 {
		t.Fatalf("exit %d, want 1:\n%s", r.code, r.stdout)
	}
	want := "::error file=recordings/activate.yaml,title=contract violation%3A interaction 0::violation: recordings/activate.yaml interaction 0: ActivateSubscription 200: /response/body/status"
	if !strings.Contains(r.stdout, want) {
		t.Errorf("no annotation line %q in:\n%s", want, r.stdout)
	}
	if !strings.Contains(r.outputs, "verdict=fail\n") || !strings.Contains(r.summary, "contract gate: FAIL") || !strings.Contains(r.summary, "Annotated on their files: violations 1, drift 0.") {
		t.Errorf("outputs:\n%s\nsummary:\n%s", r.outputs, r.summary)
	}
	suite := readJUnit(t, filepath.Join(workspace, "partnercenter-contract.xml"))
	if suite.Failures != 1 {
		t.Errorf("JUnit report in the workspace: %d failures, want 1", suite.Failures)
	}
}

// TestActionRefusesWrongInputs: exit 2 with an error annotation naming the input, and the gate
// not run.
func TestActionRefusesWrongInputs(t *testing.T) {
	t.Parallel()
	a := readAction(t)
	bin := command(t)
	for _, tc := range []struct {
		name   string
		inputs map[string]string
		want   string
	}{
		{"no paths", map[string]string{"paths": " \n\n", "binary": bin}, "input paths is empty"},
		{"missing path", map[string]string{"paths": "contract/testdata/nothing-here", "binary": bin}, "input paths: contract/testdata/nothing-here does not exist"},
		{"strict yes", map[string]string{"paths": "contract/testdata/har", "strict": "yes", "binary": bin}, `input strict: "yes" is not true or false`},
		{"spec missing", map[string]string{"paths": "contract/testdata/har", "spec": "nope.yaml", "binary": bin}, "input spec: nope.yaml is not a file"},
		{"bad version", map[string]string{"paths": "contract/testdata/har", "version": "latest"}, `input version: "latest" is neither a release tag`},
		{"binary not executable", map[string]string{"paths": "contract/testdata/har", "binary": "README.md"}, "input binary: README.md is not an executable file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runAction(t, a, root, tc.inputs)
			if r.code != 2 || !strings.Contains(r.stdout, "::error title=partnercenter contract gate::"+tc.want) || strings.Contains(r.stdout, "PASS:") {
				t.Errorf("exit %d, want 2 and an annotation %q:\n%s", r.code, tc.want, r.stdout)
			}
		})
	}
}

// TestActionDownloadsARelease: with version: v9.9.9 the step downloads the runner's build
// and the release's checksums.txt (from a loopback server laid out as a GitHub release), checks
// the one against the other, and runs it; a build that does not match is never run.
func TestActionDownloadsARelease(t *testing.T) {
	t.Parallel()
	a := readAction(t)
	bin, err := os.ReadFile(command(t))
	if err != nil {
		t.Fatal(err)
	}
	name := "partnercenter_" + runtime.GOOS + "_" + runtime.GOARCH
	release := map[string][]byte{name: bin}
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		body, ok := release[strings.TrimPrefix(r.URL.Path, "/v9.9.9/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(body)
	}))
	defer srv.Close()
	setChecksums := func(of []byte) {
		mu.Lock()
		defer mu.Unlock()
		release["checksums.txt"] = fmt.Appendf(nil, "%x  partnercenter_windows_amd64.exe\n%x  %s\n", sha256.Sum256(nil), sha256.Sum256(of), name)
	}
	inputs := map[string]string{"paths": "contract/testdata/har", "version": "v9.9.9", "report": ""}

	setChecksums(bin)
	r := runAction(t, a, root, inputs, "PARTNERCENTER_RELEASES_URL="+srv.URL)
	if r.code != 0 || !strings.Contains(r.stdout, "PASS: 3 files") {
		t.Fatalf("the downloaded release did not run the gate: exit %d\n%s", r.code, r.stdout)
	}

	setChecksums(append(bin, 0)) // the release's checksum of another build
	r = runAction(t, a, root, inputs, "PARTNERCENTER_RELEASES_URL="+srv.URL)
	if r.code != 1 || !strings.Contains(r.stdout, "does not match its checksums.txt: not running it") || strings.Contains(r.stdout, "PASS:") {
		t.Fatalf("a build that does not match checksums.txt must not run: exit %d\n%s", r.code, r.stdout)
	}

	inputs["version"] = "v9.9.8" // no such release
	r = runAction(t, a, root, inputs, "PARTNERCENTER_RELEASES_URL="+srv.URL)
	if r.code != 2 || !strings.Contains(r.stdout, "cannot download "+srv.URL+"/v9.9.8/checksums.txt (is v9.9.8 a release?)") {
		t.Fatalf("a missing release: exit %d\n%s", r.code, r.stdout)
	}
}

type junitSuite struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
}

// readJUnit reads the report's totals (a <testsuites> root or a lone <testsuite>).
func readJUnit(t *testing.T, path string) junitSuite {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("JUnit report: %v", err)
	}
	var doc struct {
		XMLName xml.Name
		junitSuite
		Suites []junitSuite `xml:"testsuite"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("JUnit report %s: %v", path, err)
	}
	total := doc.junitSuite
	if doc.XMLName.Local == "testsuites" && total.Tests == 0 {
		for _, s := range doc.Suites {
			total.Tests += s.Tests
			total.Failures += s.Failures
		}
	}
	return total
}

// TestActionBuildsFromSource: with version: source (the default at a ref that is not a release
// tag) the step builds the command with Go from the action's checkout; without Go on the
// runner it says what to add, exit 2.
func TestActionBuildsFromSource(t *testing.T) {
	t.Parallel()
	a := readAction(t)
	inputs := map[string]string{"paths": "contract/testdata/har", "report": ""}
	r := runAction(t, a, root, inputs)
	if r.code != 0 || !strings.Contains(r.stdout, "partnercenter (devel)") || !strings.Contains(r.stdout, "PASS: 3 files") {
		t.Fatalf("version: source: exit %d\n%s", r.code, r.stdout)
	}
	noGo := t.TempDir() // a PATH with the tools the script uses, and no go
	for _, tool := range []string{"bash", "dirname", "grep", "sed", "tee", "rm", "head", "mkdir", "curl", "sha256sum", "uname"} {
		if p, err := exec.LookPath(tool); err == nil {
			os.Symlink(p, filepath.Join(noGo, tool))
		}
	}
	r = runAction(t, a, root, inputs, "PATH="+noGo)
	if r.code != 2 || !strings.Contains(r.stdout, "::error title=partnercenter contract gate::version: source needs Go on the runner (actions/setup-go") {
		t.Fatalf("version: source without Go: exit %d\n%s", r.code, r.stdout)
	}
}
