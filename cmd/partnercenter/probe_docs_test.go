package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/partnercenter-go/partnercenter/contract/probe"
	"github.com/partnercenter-go/partnercenter/sandbox"
)

// shBlocks are the lines of docs/probe.md's ```sh blocks.
func shBlocks(t *testing.T) []string {
	doc, err := os.ReadFile("../../docs/probe.md")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, block := range regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(string(doc), -1) {
		lines = append(lines, strings.Split(strings.TrimSpace(block[1]), "\n")...)
	}
	return lines
}

// Every command of docs/probe.md runs, as written, against a sandbox set up as the page says
// (the ids as MODE=live reads them): each exits 0 with no finding. The counts the page shows
// are what --dry-run prints.
func TestProbeDocs(t *testing.T) {
	lines := shBlocks(t)
	if len(lines) != 4 {
		t.Fatalf("docs/probe.md has %d commands, want the 4 this test knows: %q", len(lines), lines)
	}
	doc, _ := os.ReadFile("../../docs/probe.md")
	for _, c := range probe.Checks {
		if !strings.Contains(string(doc), "| `"+string(c)+"` |") {
			t.Errorf("docs/probe.md's table of checks lacks %s", c)
		}
	}
	root, _ := filepath.Abs("../..")
	for _, line := range lines {
		t.Run(line, func(t *testing.T) {
			t.Parallel()
			sb := sandbox.Start(t, sandbox.Options{}) // each its own: the scenario activates
			e := append(probeEnv(t, sb, subA), "PATH="+filepath.Dir(built(t))+":"+os.Getenv("PATH"))
			cmd := exec.Command("bash", "-c", line)
			cmd.Dir = t.TempDir()
			if strings.HasPrefix(line, "make ") {
				cmd.Dir = root
				e = append(e, "GOCACHE="+goEnv(t, "GOCACHE"), "GOPATH="+goEnv(t, "GOPATH"), "CI=1")
			}
			cmd.Env = e
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%s: %v\n%s", line, err, out)
			}
			if strings.Contains(line, "--dry-run") {
				first := strings.SplitN(string(out), "\n", 2)[0]
				m := regexp.MustCompile(`^(\d+) requests: (\d+) positive, (\d+) negative, (\d+) auth, (\d+) method, (\d+) accept$`).FindStringSubmatch(first)
				if m == nil || !strings.Contains(string(doc), "that is "+m[1]+" requests, plus 5") {
					t.Errorf("the page's total is not what --dry-run prints: %q", first)
				}
				for i, kind := range []string{"positive", "negative", "auth", "method", "accept"} {
					if m != nil && !strings.Contains(string(doc), "| "+kind+" | "+m[i+2]+" |") {
						t.Errorf("the page's count of %s is not %s, as --dry-run prints", kind, m[i+2])
					}
				}
				if n := strings.Count(string(out), "\ncurl "); m != nil && n != 57 {
					t.Errorf("--dry-run printed %d curl lines, want 57", n)
				}
			} else if !strings.Contains(string(out), "no finding") {
				t.Errorf("%s: no 'no finding' line:\n%s", line, out)
			}
		})
	}
}

func goEnv(t *testing.T, name string) string {
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}
