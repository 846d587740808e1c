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
