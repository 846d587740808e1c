package contract_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/partnercenter-go/partnercenter/contract"
)

// LoadSpec reads openapi.yaml as the embedded spec has it, and refuses, naming the file and
// what is wrong, every file that is not an OpenAPI 3 document it can judge with.
func TestLoadSpec(t *testing.T) {
	doc, err := contract.LoadSpec("../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	embedded, _ := contract.NewDefault(contract.Options{})
	if doc.Paths.Len() != embedded.Spec().Paths.Len() || doc.Paths.Len() == 0 {
		t.Fatalf("openapi.yaml has %d paths, the embedded spec %d", doc.Paths.Len(), embedded.Spec().Paths.Len())
	}
	dir := t.TempDir()
	for _, tc := range []struct{ name, content, want string }{
		{"overlay.yaml", "overlay: 1.0.0\nactions: []\n", "an OpenAPI Overlay, not an OpenAPI document"},
		{"swagger.json", `{"swagger": "2.0", "paths": {}}`, "a Swagger 2.0 document"},
		{"cassette.yaml", "version: 2\ninteractions: []\n", "not an OpenAPI document: it has no openapi field"},
		{"v4.yaml", "openapi: 4.0.0\n", `openapi "4.0.0"`},
		{"tabs.yaml", "openapi: 3.0.3\n\tinfo: x\n", "not YAML or JSON"},
		{"nopaths.yaml", "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n", "it declares no paths"},
		{"external.yaml", "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    $ref: 'other.yaml#/x'\n", "spec "},
		{"invalid.yaml", "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: strin}\n", "invalid: "},
	} {
		path := filepath.Join(dir, tc.name)
		os.WriteFile(path, []byte(tc.content), 0o644)
		_, err := contract.LoadSpec(path)
		var se *contract.SpecError
		if !errors.As(err, &se) || se.Path != path || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "spec "+path+": ") {
			t.Errorf("%s: got %v, want a SpecError naming the file and %q", tc.name, err, tc.want)
		}
		if _, err := contract.NewDefault(contract.Options{SpecFile: path}); !errors.As(err, &se) {
			t.Errorf("%s: NewDefault with it: %v", tc.name, err)
		}
	}
	if _, err := contract.LoadSpec(filepath.Join(dir, "none.yaml")); err == nil || !strings.Contains(err.Error(), "none.yaml: no such file or directory") {
		t.Errorf("a missing file: %v", err)
	}
}
