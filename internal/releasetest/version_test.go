package releasetest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestVersionFromBuildInfo builds the command as the issue says a user does, with
// `go build -buildvcs=true ./cmd/partnercenter` in a fresh clone (GOFLAGS=-buildvcs=false in
// the environment, as some machines set it), and reads --version: the clone's commit and its
// date, "(devel)" without a tag; after `git tag`, the tag; after an edit, "modified".
func TestVersionFromBuildInfo(t *testing.T) {
	t.Parallel()
	clone := freshClone(t)
	head := git(t, clone, "rev-parse", "HEAD")
	date := git(t, clone, "show", "-s", "--format=%cd", "--date=format-local:%Y-%m-%dT%H:%M:%SZ", "HEAD")
	env := []string{"GOFLAGS=-buildvcs=false", "TZ=UTC"}
	bin := filepath.Join(t.TempDir(), "partnercenter")
	version := func() string {
		t.Helper()
		run(t, clone, env, "go", "build", "-buildvcs=true", "-o", bin, "./cmd/partnercenter")
		return run(t, clone, nil, bin, "--version")
	}

	out := version()
	if want := "partnercenter (devel): not a release"; !strings.HasPrefix(out, want) {
		t.Errorf("untagged build: --version does not start with %q:\n%s", want, out)
	}
	if want := "commit " + head + " (" + date + ")\n"; !strings.Contains(out, want) {
		t.Errorf("untagged build: --version lacks %q:\n%s", want, out)
	}

	git(t, clone, "tag", "v0.9.0")
	out = version()
	if want := "partnercenter v0.9.0\ncommit " + head + " (" + date + ")\n"; !strings.HasPrefix(out, want) {
		t.Errorf("tagged build: --version does not start with %q:\n%s", want, out)
	}

	readme := filepath.Join(clone, "README.md")
	data, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(readme, append(data, "\nan edit\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	out = version()
	if want := "commit " + head + " (" + date + "), modified\n"; !strings.Contains(out, want) {
		t.Errorf("build of an edited tree: --version lacks %q:\n%s", want, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if len(line) > 80 {
			t.Errorf("--version line wider than 80 columns: %q", line)
		}
	}
}
