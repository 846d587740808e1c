package partnercenter_test

import (
	"os"
	"strings"
	"testing"
)

const readmeExampleMarker = "<!-- The code below is example_vendoring_test.go"

// readmeExample returns the Go block that follows the marker in README.md.
func readmeExample(t *testing.T) string {
	t.Helper()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), readmeExampleMarker)
	if !ok {
		t.Fatalf("README.md lacks the marker %q before the vendoring example", readmeExampleMarker)
	}
	_, rest, ok = strings.Cut(rest, "```go\n")
	if !ok {
		t.Fatal("README.md: no ```go block after the vendoring example's marker")
	}
	block, _, ok := strings.Cut(rest, "```\n")
	if !ok {
		t.Fatal("README.md: the vendoring example's ```go block is not closed")
	}
	return block
}

// TestREADMEShowsTheVendoringExample: README's vendoring example is example_vendoring_test.go
// from its import block on (which Example_vendoring runs against the sandbox), and it compiles
// as written, as a program of a module of its own that requires the client.
func TestREADMEShowsTheVendoringExample(t *testing.T) {
	block := readmeExample(t)
	src, err := os.ReadFile("example_vendoring_test.go")
	if err != nil {
		t.Fatal(err)
	}
	_, code, ok := strings.Cut(string(src), "\nimport (")
	if !ok {
		t.Fatal("example_vendoring_test.go has no import block")
	}
	code = "import (" + code
	if block != code {
		t.Fatalf("README.md's vendoring example differs from example_vendoring_test.go (from its import block on) at line %d; copy the file's code into README.md", firstDifferentLine(block, code))
	}

	dir := scratchConsumer(t, map[string]string{"readme.go": "package main\n\n" + block})
	if out, err := tryGoCmd(dir, "vet", "."); err != nil {
		t.Fatalf("README's vendoring example does not compile as written: %v\n%s", err, out)
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
		t.Fatalf("control: a README example with an unused variable must not compile; got %v", err)
	}
}

func firstDifferentLine(a, b string) int {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return i + 1
		}
	}
	return min(len(la), len(lb)) + 1
}
