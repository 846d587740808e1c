package partnercenter_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// forbiddenInClient are the libraries of the tooling (code generation, the contract gate, the
// command, the tests) that must never reach a module importing only the root package. Each is
// matched against import paths; "yaml" matches any YAML library (gopkg.in/yaml.v3,
// go.yaml.in/yaml, sigs.k8s.io/yaml, github.com/goccy/go-yaml, github.com/oasdiff/yaml3...).
var forbiddenInClient = []struct{ name, match string }{
	{"kin-openapi", "github.com/getkin/kin-openapi"},
	{"a JSON Schema library", "jsonschema"},
	{"a YAML library", "yaml"},
	{"Ginkgo", "github.com/onsi/ginkgo"},
	{"Gomega", "github.com/onsi/gomega"},
	{"cobra", "github.com/spf13/cobra"},
	{"go-vcr", "go-vcr"},
	{"oapi-codegen's generator", "github.com/oapi-codegen/oapi-codegen/"},
}

// forbiddenDeps returns "<package> (<library>)" for every package of deps that is forbidden.
func forbiddenDeps(deps []string) []string {
	var bad []string
	for _, pkg := range deps {
		for _, f := range forbiddenInClient {
			if strings.Contains(strings.ToLower(pkg), f.match) {
				bad = append(bad, pkg+" ("+f.name+")")
				break
			}
		}
	}
	return bad
}

func TestForbiddenDeps(t *testing.T) {
	allowed := []string{
		"github.com/partnercenter-go/partnercenter",
		"github.com/partnercenter-go/partnercenter/generated",
		"github.com/oapi-codegen/runtime", // the generated client's runtime: fine
		"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime",
		"github.com/google/uuid",
		"encoding/json",
	}
	if bad := forbiddenDeps(allowed); len(bad) > 0 {
		t.Errorf("forbiddenDeps flags the client's own dependencies: %v", bad)
	}
	for _, pkg := range []string{
		"github.com/getkin/kin-openapi/openapi3",
		"github.com/santhosh-tekuri/jsonschema/v6",
		"gopkg.in/yaml.v3",
		"go.yaml.in/yaml/v3",
		"sigs.k8s.io/yaml",
		"github.com/goccy/go-yaml",
		"github.com/oasdiff/yaml3",
		"github.com/onsi/ginkgo/v2",
		"github.com/onsi/gomega",
		"github.com/spf13/cobra",
		"gopkg.in/dnaeon/go-vcr.v4/pkg/recorder",
		"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen",
	} {
		if bad := forbiddenDeps([]string{pkg}); len(bad) != 1 {
			t.Errorf("forbiddenDeps(%q) = %v, want it flagged", pkg, bad)
		}
	}
}

// TestConsumerFootprint builds testdata/consumer, a module that imports only the root package
// with a replace to this checkout, and fails when `go list -deps` of it reaches a forbidden
// library. Modules come from the module cache (or the Go module proxy); the checkout's go.sum
// seeds the consumer's, so tidy needs nothing else.
func TestConsumerFootprint(t *testing.T) {
	deps := consumerDeps(t, nil)
	if !slices.Contains(deps, "github.com/partnercenter-go/partnercenter") {
		t.Fatalf("go list -deps of the consumer lacks the root package; the check would be vacuous:\n%s", strings.Join(deps, "\n"))
	}
	if bad := forbiddenDeps(deps); len(bad) > 0 {
		t.Fatalf("a module importing only github.com/partnercenter-go/partnercenter links tooling libraries:\n  %s", strings.Join(bad, "\n  "))
	}

	// Negative control: the same consumer with one more import, of the package that embeds the
	// spec (it links kin-openapi, jsonschema and YAML), must be caught.
	t.Run("a forbidden import is caught", func(t *testing.T) {
		deps := consumerDeps(t, map[string]string{
			"spec.go": "package main\n\nimport _ \"github.com/partnercenter-go/partnercenter/generated/spec\"\n",
		})
		bad := strings.Join(forbiddenDeps(deps), "\n")
		for _, want := range []string{"kin-openapi", "JSON Schema", "YAML"} {
			if !strings.Contains(bad, want) {
				t.Errorf("importing generated/spec must be flagged for %s; flagged:\n%s", want, bad)
			}
		}
	})
}

// consumerDeps returns `go list -deps` of the consumer module (with extra files).
func consumerDeps(t *testing.T, extra map[string]string) []string {
	t.Helper()
	dir := scratchConsumer(t, extra)
	return strings.Fields(goCmd(t, dir, "list", "-deps", "."))
}

// scratchConsumer copies testdata/consumer (plus extra files) into a scratch directory, points
// its replace at this checkout and tidies it.
func scratchConsumer(t *testing.T, extra map[string]string) string {
	t.Helper()
	root, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files := map[string]string{}
	for _, name := range []string{"go.mod", "main.go"} {
		b, err := os.ReadFile(filepath.Join("testdata", "consumer", name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = string(b)
	}
	files["go.mod"] = strings.Replace(files["go.mod"], "=> ../..", "=> "+root, 1)
	sum, err := os.ReadFile("go.sum")
	if err != nil {
		t.Fatal(err)
	}
	files["go.sum"] = string(sum)
	for name, src := range extra {
		files[name] = src
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	goCmd(t, dir, "mod", "tidy")
	return dir
}

func goCmd(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := tryGoCmd(dir, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// tryGoCmd runs the go command in dir; the error carries its stderr.
func tryGoCmd(dir string, args ...string) (string, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return string(out), fmt.Errorf("go %s in %s: %v\n%s", strings.Join(args, " "), dir, err, stderr.String())
	}
	return string(out), nil
}
