package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// overWidth lists the lines of out wider than 80 columns (runes, as a terminal counts them).
func overWidth(out string) []string {
	var long []string
	for _, l := range strings.Split(out, "\n") {
		if len([]rune(l)) > 80 {
			long = append(long, l)
		}
	}
	return long
}

// commandPaths are the paths of every command of the tree, root included.
func commandPaths(c *cobra.Command) [][]string {
	paths := [][]string{{}}
	for _, sub := range c.Commands() {
		if sub.Hidden || sub.Name() == "help" || sub.Name() == "completion" {
			continue
		}
		for _, p := range commandPaths(sub) {
			paths = append(paths, append([]string{sub.Name()}, p...))
		}
	}
	return paths
}

// Every command's --help, run as a person runs it, fits 80 columns and has an Example:
// section; so does the gate's text report over the project's cassettes. overWidth's control:
// a line of 81 columns is caught.
func TestHelpAndReportFitIn80Columns(t *testing.T) {
	if got := overWidth(strings.Repeat("x", 80) + "\n" + strings.Repeat("é", 81)); len(got) != 1 {
		t.Fatalf("control: overWidth found %d lines, want the one of 81 columns", len(got))
	}
	e := []string{"PATH=" + os.Getenv("PATH")}
	root := newRootCommand(&app{getenv: os.Getenv})
	paths := commandPaths(root)
	if len(paths) < 9 {
		t.Fatalf("only %d commands found: %v", len(paths), paths)
	}
	for _, path := range paths {
		r := runCLI(t, e, append(path, "--help")...)
		name := strings.Join(append([]string{"partnercenter"}, path...), " ")
		if r.code != 0 {
			t.Errorf("%s --help: %+v", name, r)
			continue
		}
		if long := overWidth(r.stdout); len(long) > 0 {
			t.Errorf("%s --help has %d lines over 80 columns:\n%s", name, len(long), strings.Join(long, "\n"))
		}
		if !strings.Contains(r.stdout, "\nExamples:\n  ") {
			t.Errorf("%s --help has no Examples: section", name)
		}
	}
	for _, args := range [][]string{
		{"contract", "validate", "../../contract/testdata/cassettes"},
		{"contract", "validate", "--strict", "../../contract/testdata/cassettes", "../../contract/testdata/har", "../../contract/testdata/har-negative"},
	} {
		r := runCLI(t, e, args...)
		if !strings.Contains(r.stdout, "Contract coverage:") {
			t.Fatalf("%v: %+v", args, r)
		}
		if long := overWidth(r.stdout + r.stderr); len(long) > 0 {
			t.Errorf("%v: %d lines over 80 columns:\n%s", args, len(long), strings.Join(long, "\n"))
		}
	}
}

// The examples of the commands that talk to Partner Center run as written against a
// sandbox (its banner pasted into the shell), each exiting 0: they are real commands, not
// sketches.
func TestExamplesRunAgainstTheSandbox(t *testing.T) {
	s := serve(t)
	root := newRootCommand(&app{getenv: os.Getenv})
	dir := t.TempDir()
	var env []string
	for _, kv := range s.env {
		if p, ok := strings.CutPrefix(kv, "PATH="); ok {
			kv = "PATH=" + filepath.Dir(binary) + ":" + p // "partnercenter" is the built binary
		}
		env = append(env, kv)
	}
	for _, path := range [][]string{{"links"}, {"activate"}, {"sandbox", "status"}} {
		cmd, _, err := root.Find(path)
		if err != nil || cmd.Example == "" {
			t.Fatalf("%v: no example (%v)", path, err)
		}
		sh := exec.Command("sh", "-e", "-c", cmd.Example)
		sh.Env, sh.Dir = env, dir
		out, err := sh.CombinedOutput()
		if err != nil {
			t.Errorf("the examples of partnercenter %s fail: %v\n%s\n%s", strings.Join(path, " "), err, cmd.Example, out)
		}
		if long := overWidth(string(out)); path[0] == "sandbox" && len(long) > 0 {
			t.Errorf("partnercenter sandbox status prints %d lines over 80 columns:\n%s", len(long), strings.Join(long, "\n"))
		}
	}
	// They did what they say: activate's two examples activated their two subscriptions.
	if got := activations(s.status(t)); got[subA] != 1 || got[subB] != 1 {
		t.Errorf("activations after the examples: %v", got)
	}
}
