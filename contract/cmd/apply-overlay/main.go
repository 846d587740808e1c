// Command apply-overlay applies an OpenAPI Overlay 1.0 document (such as the one
// `partnercenter contract validate --suggest-overlay` writes) to an OpenAPI description, in
// place:
//
//	go run ./contract/cmd/apply-overlay suggested.yaml openapi.yaml
//
// Every action must match; the spec is rewritten with two-space indentation (comments kept).
package main

import (
	"fmt"
	"os"

	"github.com/partnercenter-go/partnercenter/contract/overlayapply"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: apply-overlay OVERLAY SPEC")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "apply-overlay:", err)
		os.Exit(1)
	}
}

func run(overlayFile, specFile string) error {
	doc, err := os.ReadFile(overlayFile)
	if err != nil {
		return err
	}
	spec, err := os.ReadFile(specFile)
	if err != nil {
		return err
	}
	out, err := overlayapply.Apply(spec, doc)
	if err != nil {
		return fmt.Errorf("%s onto %s: %w", overlayFile, specFile, err)
	}
	return os.WriteFile(specFile, out, 0o644)
}
