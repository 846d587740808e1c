package main

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/partnercenter-go/partnercenter/contract"
)

// writeSuggestedOverlay judges the cassettes under dir and writes, to file, the OpenAPI
// Overlay 1.0 document that declares every undeclared field they showed. With nothing to
// declare, no file is written and the command says so.
func writeSuggestedOverlay(v *contract.Validator, dir, file string, out io.Writer) error {
	cassettes, err := contract.LoadCassettes(dir)
	if err != nil {
		return err
	}
	s := contract.NewOverlaySuggester(v)
	for _, c := range cassettes {
		for i, in := range c.Interactions {
			ex := contract.ExchangeOf(in)
			s.Observe(ex, v.Validate(ex, c.Path, i))
		}
	}
	if s.Len() == 0 {
		fmt.Fprintf(out, "suggest-overlay: no undeclared field seen; %s not written\n", file)
		return nil
	}
	var buf bytes.Buffer
	if err := s.WriteOverlay(&buf); err != nil {
		return err
	}
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("--suggest-overlay: %w", err)
	}
	fmt.Fprintf(out, "suggest-overlay: %d undeclared fields declared in %s (an OpenAPI Overlay 1.0 document: review it, apply it to openapi.yaml, run make generate)\n", s.Len(), file)
	return nil
}
