package releasetest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/partnercenter-go/partnercenter/internal/repocopy"
)

// root is the checkout under test.
var root = func() string {
	abs, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		panic(err)
	}
	return abs
}()

// freshClone returns a new git repository, one commit holding the checkout's files as they are
// (tracked and untracked, minus what .gitignore excludes): what `git clone` of this tree
// gives, uncommitted work included. A git worktree is no substitute: Go reads only a .git
// folder, so a worktree's builds carry no commit.
func freshClone(t *testing.T) string {
	t.Helper()
	dir := repocopy.Copy(t, root)
	git(t, dir, "init", "-q", "-b", "main")
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "fresh clone")
	return dir
}

// git runs git in dir with a fixed identity and no user configuration.
func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	env := []string{"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=releasetest", "GIT_AUTHOR_EMAIL=releasetest@example.com",
		"GIT_COMMITTER_NAME=releasetest", "GIT_COMMITTER_EMAIL=releasetest@example.com"}
	return strings.TrimSpace(run(t, dir, env, "git", args...))
}

// run runs a command in dir with the process's environment plus env, and fails t on a
// non-zero exit, showing its output.
func run(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	out, err := tryRun(dir, env, name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

// tryRun is run without failing: the combined output and the error.
func tryRun(dir string, env []string, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if err != nil {
		err = fmt.Errorf("%w (in %s)", err, dir)
	}
	return out.String(), err
}
