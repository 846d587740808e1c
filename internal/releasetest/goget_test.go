package releasetest

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"

	"github.com/partnercenter-go/partnercenter/internal/repocopy"
)

// TestGoGetOfATag runs docs/client.md's `go get` line, as written, in a new module whose
// GOPROXY serves this checkout as that tag, laid out as the module proxy lays out a release
// (the module zip made by golang.org/x/mod/zip, the zip Go itself makes); the module then
// builds against the tag. A version that was never tagged fails.
func TestGoGetOfATag(t *testing.T) {
	t.Parallel()
	page, err := os.ReadFile(filepath.Join(root, "docs", "client.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go get (github.com/partnercenter-go/partnercenter)@(v\d+\.\d+\.\d+)$`).FindSubmatch(page)
	if m == nil {
		t.Fatal("docs/client.md has no line go get github.com/partnercenter-go/partnercenter@vX.Y.Z")
	}
	line, path, version := string(m[0]), string(m[1]), string(m[2])

	proxy := t.TempDir()
	at := filepath.Join(proxy, path, "@v")
	if err := os.MkdirAll(at, 0o755); err != nil {
		t.Fatal(err)
	}
	zipFile, err := os.Create(filepath.Join(at, version+".zip"))
	if err != nil {
		t.Fatal(err)
	}
	if err := modzip.CreateFromDir(zipFile, module.Version{Path: path, Version: version}, repocopy.Copy(t, root)); err != nil {
		t.Fatalf("the checkout does not make a module zip: %v", err)
	}
	if err := zipFile.Close(); err != nil {
		t.Fatal(err)
	}
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{
		"list": version + "\n", version + ".mod": string(gomod),
		version + ".info": `{"Version":"` + version + `","Time":"2026-12-03T00:00:00Z"}`,
	} {
		if err := os.WriteFile(filepath.Join(at, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	team := t.TempDir()
	main, err := os.ReadFile(filepath.Join(root, "testdata", "consumer", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"go.mod": "module example.com/newteam\n\ngo 1.26.0\n", "main.go": string(main)} {
		if err := os.WriteFile(filepath.Join(team, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The client's dependencies come from the module cache (the tests have no network); this
	// module only from the proxy folder. GOFLAGS=-mod=mod: the go.mod has no go.sum yet.
	env := []string{"GOPROXY=file://" + filepath.ToSlash(proxy), "GOSUMDB=off", "GOWORK=off", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local"}
	fields := strings.Fields(line)
	run(t, team, env, fields[0], fields[1:]...)
	run(t, team, env, "go", "build", "-o", os.DevNull, ".")
	if got := strings.TrimSpace(run(t, team, env, "go", "list", "-m", "-f", "{{.Version}}", path)); got != version {
		t.Errorf("after %q the module requires %s %s", line, path, got)
	}

	// Control: a version the proxy does not have is refused.
	if out, err := tryRun(team, env, "go", "get", path+"@v0.0.99"); err == nil || !strings.Contains(out, "v0.0.99") {
		t.Errorf("go get of a version never tagged must fail naming it; got %v\n%s", err, out)
	}
}
