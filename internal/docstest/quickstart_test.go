package docstest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/partnercenter-go/partnercenter/internal/repocopy"
)

// TestQuickStartSetUp runs README's set-up block as written, but for the clone's URL, which
// becomes a local repository of the checkout's files (the tests have no network): the clone
// must land in ./partnercenter, and go mod download must succeed in it.
func TestQuickStartSetUp(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks, _, err := parse(string(readme))
	if err != nil {
		t.Fatal(err)
	}
	var setUp string
	for _, b := range blocks {
		if b.marker == "by TestQuickStartSetUp" {
			setUp = b.text
		}
	}
	const url = "https://github.com/partnercenter-go/partnercenter.git"
	if !strings.Contains(setUp, "git clone "+url) {
		t.Fatalf("README.md: no set-up block marked by TestQuickStartSetUp that clones %s:\n%s", url, setUp)
	}
	upstream := filepath.Join(t.TempDir(), "partnercenter.git")
	if err := os.Rename(repocopy.Clone(t, root), upstream); err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	script := strings.ReplaceAll(setUp, url, upstream)
	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script)
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("README's set-up block fails: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(work, "partnercenter", "go.mod")); err != nil {
		t.Fatalf("the set-up block did not leave a clone in ./partnercenter: %v", err)
	}
}
