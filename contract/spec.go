package contract

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v4"
)

// LoadSpec reads the OpenAPI document at path: the one loader behind every front end that
// judges with a spec other than the embedded one (`contract validate --spec`, the proxy, the
// probe, `make contract SPEC=`), such as openapi.yaml with an overlay applied. An error
// names the file and what is wrong with it; it never quotes the file's content.
//
// External references ($ref to another file or a URL) are refused: a spec is judged as one
// file, and loading it must not reach the network.
func LoadSpec(path string) (*openapi3.T, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, specErr(path, "%w", unwrapPathError(err))
	}
	var head struct {
		OpenAPI any `yaml:"openapi"`
		Swagger any `yaml:"swagger"`
		Overlay any `yaml:"overlay"`
	}
	if err := yaml.Unmarshal(data, &head); err != nil {
		return nil, specErr(path, "not YAML or JSON: %s", yamlReason(err))
	}
	switch v := fmt.Sprint(head.OpenAPI); {
	case head.Overlay != nil:
		return nil, specErr(path, "an OpenAPI Overlay, not an OpenAPI document: apply it to openapi.yaml first (make apply-overlay OVERLAY=%s SPEC=COPY)", path)
	case head.Swagger != nil:
		return nil, specErr(path, "a Swagger 2.0 document: the gate reads OpenAPI 3.0 and 3.1")
	case head.OpenAPI == nil:
		return nil, specErr(path, "not an OpenAPI document: it has no openapi field")
	case !strings.HasPrefix(v, "3."):
		return nil, specErr(path, "openapi %q: the gate reads OpenAPI 3.0 and 3.1", v)
	}
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, specErr(path, "%w", err)
	}
	if doc.Paths == nil || doc.Paths.Len() == 0 {
		return nil, specErr(path, "it declares no paths")
	}
	if err := doc.Validate(context.Background(), openapi3.SetRegexCompiler(compilePattern), openapi3.DisableExamplesValidation()); err != nil {
		return nil, specErr(path, "invalid: %s", strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	return doc, nil
}

// SpecError is a spec file LoadSpec cannot judge with: which file, and what is wrong.
type SpecError struct {
	Path   string
	Reason string
	Err    error // the underlying error, when there is one
}

func (e *SpecError) Error() string { return "spec " + e.Path + ": " + e.Reason }
func (e *SpecError) Unwrap() error { return e.Err }

func specErr(path, format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	return &SpecError{Path: path, Reason: err.Error(), Err: errors.Unwrap(err)}
}
