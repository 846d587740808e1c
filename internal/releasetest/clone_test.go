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

// freshClone is a git clone of the checkout, uncommitted work included (repocopy.Clone).
func freshClone(t *testing.T) string {
	t.Helper()
	return repocopy.Clone(t, root)
}

// git runs git in dir as repocopy.Git does, and fails t on an error.
func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := repocopy.Git(dir, args...)
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(out)
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
