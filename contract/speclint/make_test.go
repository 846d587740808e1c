package speclint_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// These tests run the Makefile targets themselves, so the negative controls prove that the
// commands CI and maintainers run would catch the fault, not just a library call.

const repoRoot = "../.."

func runMake(t *testing.T, args ...string) (string, error) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs make: not in -short mode (make test runs it)")
	}
	cmd := exec.Command("make", append([]string{"-s", "--no-print-directory", "-C", repoRoot}, args...)...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// copyDir copies the tree under src to dst (generated/ has a subpackage, generated/spec).
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		from, to := filepath.Join(src, e.Name()), filepath.Join(dst, e.Name())
		if e.IsDir() {
			if err := os.Mkdir(to, 0o755); err != nil {
				t.Fatal(err)
			}
			copyDir(t, from, to)
			continue
		}
		data, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCheckGenerated(t *testing.T) {
	if out, err := runMake(t, "check-generated"); err != nil {
		t.Fatalf("make check-generated fails on the committed generated/: %v\n%s", err, out)
	}

	t.Run("catches a hand edit", func(t *testing.T) {
		dir := t.TempDir()
		copyDir(t, filepath.Join(repoRoot, "generated"), dir)
		file := filepath.Join(dir, "partnercenter.gen.go")
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		writeMutant(t, file, src, "type ActivationLink struct {", "type ActivationLink struct {\n\tHandAdded string")
		out, err := runMake(t, "check-generated", "GENERATED="+dir)
		if err == nil {
			t.Fatalf("check-generated passed a hand-edited copy:\n%s", out)
		}
		if !strings.Contains(out, "partnercenter.gen.go") {
			t.Fatalf("check-generated must name the file that differs:\n%s", out)
		}
	})

	t.Run("catches a hand edit of the embedded spec", func(t *testing.T) {
		dir := t.TempDir()
		copyDir(t, filepath.Join(repoRoot, "generated"), dir)
		file := filepath.Join(dir, "spec", "spec.gen.go")
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		writeMutant(t, file, src, "var swaggerSpec = []string{\n", "var swaggerSpec = []string{\n\t\"AAAA\",\n")
		out, err := runMake(t, "check-generated", "GENERATED="+dir)
		if err == nil || !strings.Contains(out, "spec.gen.go") {
			t.Fatalf("check-generated must fail naming spec/spec.gen.go (err %v):\n%s", err, out)
		}
	})

	t.Run("catches a hand-added file", func(t *testing.T) {
		dir := t.TempDir()
		copyDir(t, filepath.Join(repoRoot, "generated"), dir)
		os.WriteFile(filepath.Join(dir, "helpers.go"), []byte("package generated\n"), 0o644)
		out, err := runMake(t, "check-generated", "GENERATED="+dir)
		if err == nil || !strings.Contains(out, "helpers.go") {
			t.Fatalf("check-generated must fail naming helpers.go (err %v):\n%s", err, out)
		}
	})
}

func TestMakeLintSpec(t *testing.T) {
	if out, err := runMake(t, "lint-spec"); err != nil {
		t.Fatalf("make lint-spec fails on openapi.yaml: %v\n%s", err, out)
	}
	src, err := os.ReadFile(specPath)
	if err != nil {
		t.Fatal(err)
	}
	// Negative control: the seed page's example with a required field's type broken.
	path := filepath.Join(t.TempDir(), "openapi.yaml")
	writeMutant(t, path, src, "        totalCount: 1\n", "        totalCount: \"one\"\n")
	out, err := runMake(t, "lint-spec", "SPEC="+path)
	if err == nil {
		t.Fatalf("make lint-spec passed a spec whose example violates its schema:\n%s", out)
	}
	if !strings.Contains(out, "totalCount") {
		t.Fatalf("lint-spec must name the offending value:\n%s", out)
	}
}
