// Package overlayapply applies an OpenAPI Overlay 1.0 document to an OpenAPI description,
// with speakeasy-api/openapi's overlay package (the one oapi-codegen applies its own
// overlays with). `partnercenter contract validate --suggest-overlay` writes such a document;
// `make apply-overlay OVERLAY=FILE` applies it to openapi.yaml through this package.
package overlayapply

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/speakeasy-api/openapi/overlay"
	"gopkg.in/yaml.v3"
)

// Apply returns spec with the overlay applied. It is strict: an overlay that is not a valid
// Overlay document, or an action whose target matches nothing in spec, is an error (a
// suggestion made against another version of the spec must not be half applied).
func Apply(spec, overlayDoc []byte) ([]byte, error) {
	o, err := overlay.ParseReader(bytes.NewReader(overlayDoc))
	if err != nil {
		return nil, fmt.Errorf("overlay: not an Overlay document: %w", err)
	}
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("overlay: %w", err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(spec, &root); err != nil {
		return nil, fmt.Errorf("spec: %w", err)
	}
	warnings, err := o.ApplyToStrict(&root)
	if err != nil {
		return nil, fmt.Errorf("overlay: %w", err)
	}
	if len(warnings) > 0 {
		return nil, fmt.Errorf("overlay: %s", strings.Join(warnings, "; "))
	}
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(&root); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
