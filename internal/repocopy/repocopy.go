// Package repocopy copies a checkout for tests that must run make, git or the documentation's
// commands on the repository without touching it.
package repocopy

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Copy copies the files of the git checkout at root (tracked and untracked, minus what
// .gitignore excludes, as they are in the work tree) into a new temporary folder, removed
// when tb ends, and returns it. It has no .git.
func Copy(tb testing.TB, root string) string {
	tb.Helper()
	cmd := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	files, err := cmd.Output()
	if err != nil {
		tb.Fatalf("git ls-files in %s: %v\n%s", root, err, stderr.String())
	}
	dir := tb.TempDir()
	for name := range strings.SplitSeq(strings.TrimRight(string(files), "\x00"), "\x00") {
		src := filepath.Join(root, name)
		info, err := os.Stat(src)
		if os.IsNotExist(err) {
			continue // deleted in the work tree, not yet in the index
		}
		if err != nil {
			tb.Fatal(err)
		}
		data, err := os.ReadFile(src)
		if err != nil {
			tb.Fatal(err)
		}
		dst := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(dst, data, info.Mode().Perm()); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

// Clone is Copy made a git repository of one commit: what `git clone` of the checkout gives,
// uncommitted work included. (A git worktree is no substitute for tests of builds: Go reads
// only a .git folder, so a worktree's builds carry no commit.)
func Clone(tb testing.TB, root string) string {
	tb.Helper()
	dir := Copy(tb, root)
	for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"add", "-A"}, {"commit", "-q", "-m", "fresh clone"}} {
		if out, err := Git(dir, args...); err != nil {
			tb.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	return dir
}

// Git runs git in dir with a fixed identity and no user or system configuration, and returns
// its combined output.
func Git(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=repocopy", "GIT_AUTHOR_EMAIL=repocopy@example.com",
		"GIT_COMMITTER_NAME=repocopy", "GIT_COMMITTER_EMAIL=repocopy@example.com")
	out, err := cmd.CombinedOutput()
	return string(out), err
}
