package partnercenter_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// vendoringPage is the documentation page of the vendoring lines and example.
const vendoringPage = "docs/client.md"

// docBlock returns the fenced block of vendoringPage that follows the first line after which
// contains marker.
func docBlock(t *testing.T, marker, fence string) string {
	t.Helper()
	page, err := os.ReadFile(vendoringPage)
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(page), marker)
	if !ok {
		t.Fatalf("%s lacks %q", vendoringPage, marker)
	}
	_, rest, ok = strings.Cut(rest, fence+"\n")
	if !ok {
		t.Fatalf("%s: no %s block after %q", vendoringPage, fence, marker)
	}
	block, _, ok := strings.Cut(rest, "```\n")
	if !ok {
		t.Fatalf("%s: the %s block after %q is not closed", vendoringPage, fence, marker)
	}
	return block
}

// TestDocsVendoringExampleBuildsAlone: the page's vendoring example (which internal/docstest
// keeps equal to example_vendoring_test.go, run against the sandbox by Example_vendoring)
// compiles as written, as a program of a module of its own that requires the client.
func TestDocsVendoringExampleBuildsAlone(t *testing.T) {
	block := docBlock(t, "<!-- snippet: same as example_vendoring_test.go -->", "```go")
	dir := scratchConsumer(t, map[string]string{"readme.go": "package main\n\n" + block})
	if out, err := tryGoCmd(dir, "vet", "."); err != nil {
		t.Fatalf("the vendoring example does not compile as written: %v\n%s", err, out)
	}
	// Control: the same build catches what the old snippet did wrong (an unused variable).
	broken := strings.Replace(block, "\tclient, err := partnercenter.NewClient(cred, opts)\n", "\tclient, err := partnercenter.NewClient(cred, opts)\n\tunused := 1\n", 1)
	if broken == block {
		t.Fatal("control: the mutation did not apply")
	}
	if err := os.WriteFile(dir+"/readme.go", []byte("package main\n\n"+broken), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := tryGoCmd(dir, "vet", "."); err == nil || !strings.Contains(err.Error(), "declared and not used") {
		t.Fatalf("control: an example with an unused variable must not compile; got %v", err)
	}
}

// TestDocumentedVendoringLines: the page's lines for before the first tag (go mod edit
// -require -replace, go mod tidy) turn a new module that imports the client into one that
// builds against this checkout. (Its go get line for a tag is run by TestGoGetOfATag, in
// internal/releasetest.)
func TestDocumentedVendoringLines(t *testing.T) {
	checkout, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	lines := docBlock(t, "**Before the first tag**", "```sh")
	if !strings.Contains(lines, "/path/to/partnercenter") {
		t.Fatalf("%s: the replace lines do not say /path/to/partnercenter:\n%s", vendoringPage, lines)
	}
	dir := t.TempDir()
	main, err := os.ReadFile("testdata/consumer/main.go")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"go.mod": "module example.com/newteam\n\ngo 1.26.0\n", "main.go": string(main)}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	script := strings.ReplaceAll(lines, "/path/to/partnercenter", checkout)
	cmd := exec.Command("bash", "-euo", "pipefail", "-c", script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the documented lines fail in a new module: %v\n%s", err, out)
	}
	if out, err := tryGoCmd(dir, "build", "-o", os.DevNull, "."); err != nil {
		t.Fatalf("after the documented lines, the module does not build: %v\n%s", err, out)
	}
	// Control: without them, it does not.
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.Remove(filepath.Join(dir, "go.sum"))
	cmd = exec.Command("go", "build", "-o", os.DevNull, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=readonly", "GOPROXY=off")
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Fatalf("control: the module built without the documented lines:\n%s", out)
	}
}
