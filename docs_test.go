package partnercenter_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// apiDocsLine is how each operation links its page, as go-github does with "GitHub API docs:".
var apiDocsLine = regexp.MustCompile(`(?m)^Partner Center API docs: https://learn\.microsoft\.com/\S+$`)

// TestOperationsLinkTheirDocs: every exported method of *Client that takes a context is an
// operation, and its doc comment links its learn.microsoft.com page.
func TestOperationsLinkTheirDocs(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	operations := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || !fn.Name.IsExported() || !isClientOperation(fn) {
				continue
			}
			operations++
			if !apiDocsLine.MatchString(fn.Doc.Text()) {
				t.Errorf("%s: (*Client).%s: the doc comment must end with a line \"Partner Center API docs: https://learn.microsoft.com/...\"", fset.Position(fn.Pos()), fn.Name.Name)
			}
		}
	}
	if operations != 5 {
		t.Errorf("found %d operations of *Client, want 5: the check would miss some", operations)
	}
}

// isClientOperation reports whether fn is a method of *Client whose first parameter is a
// context.Context.
func isClientOperation(fn *ast.FuncDecl) bool {
	star, ok := fn.Recv.List[0].Type.(*ast.StarExpr)
	if !ok || star.X.(*ast.Ident).Name != "Client" || len(fn.Type.Params.List) == 0 {
		return false
	}
	sel, ok := fn.Type.Params.List[0].Type.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "Context"
}

// outsideReference matches a reference to a file outside the repository: the source documents
// the project was written from live beside it, not in it, so a reader of a vendored copy
// cannot follow such a reference. Public pages are cited by URL instead.
var outsideReference = regexp.MustCompile(`\.\./shared/|partner-center-facts\.md`)

func TestNoReferenceOutsideTheRepository(t *testing.T) {
	if !outsideReference.MatchString("// (partner-center-facts.md, Errors)") || !outsideReference.MatchString("from ../shared/docs") {
		t.Fatal("control: outsideReference misses a known outside reference")
	}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); name == ".git" || name == "bin" || name == "reports" {
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(path) {
		case ".go", ".yaml", ".yml", ".md", ".json", ".txt":
		default:
			return nil
		}
		if path == "docs_test.go" {
			return nil // the pattern itself
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(data), "\n") {
			if outsideReference.MatchString(line) {
				t.Errorf("%s:%d points outside the repository: %s", path, i+1, strings.TrimSpace(line))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
