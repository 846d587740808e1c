package contract

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// NewOverlayReporter is a Reporter for `contract validate --suggest-overlay FILE`: it collects
// the undeclared fields of every judged file as the run streams them, and when the run is done
// writes the OpenAPI Overlay 1.0 document declaring them to file (or, with none, says so on
// note and writes nothing). The verdicts carry findings, not bodies: a file with undeclared
// fields is loaded once more, by its format, to type the fields from their values; only files
// with drift are read again, one at a time, so memory stays bounded as the engine's does.
func (v *Validator) NewOverlayReporter(file string, note io.Writer) Reporter {
	formats := v.formats
	if len(formats) == 0 {
		formats = Formats()
	}
	return &overlayReporter{s: NewOverlaySuggester(v), formats: formats, file: file, note: note}
}

type overlayReporter struct {
	s       *OverlaySuggester
	formats []Format
	file    string
	note    io.Writer
}

func (o *overlayReporter) File(fv *FileVerdict) error {
	var drifting []InteractionVerdict
	for _, iv := range fv.Interactions {
		for _, f := range iv.Findings {
			if f.Reason == reasonUndeclared || f.Pointer == "/response/status" {
				drifting = append(drifting, iv)
				break
			}
		}
	}
	if len(drifting) == 0 {
		return nil
	}
	format := claim(o.formats, filepath.Base(fv.Path))
	if format == nil {
		return nil
	}
	f, err := os.Open(fv.Path)
	if err != nil {
		return fmt.Errorf("--suggest-overlay: read %s again: %w", fv.Path, unwrapPathError(err))
	}
	defer f.Close()
	interactions, err := format.Load(f)
	if err != nil {
		return fmt.Errorf("--suggest-overlay: %s changed while it was judged: %v", fv.Path, err)
	}
	for _, iv := range drifting {
		if iv.Index < len(interactions) {
			o.s.Observe(interactions[iv.Index].Exchange, iv.Findings)
		}
	}
	return nil
}

func (o *overlayReporter) Done(*Summary) error {
	if o.s.Len() == 0 {
		fmt.Fprintf(o.note, "suggest-overlay: no undeclared field seen; %s not written\n", o.file)
		return nil
	}
	var buf bytes.Buffer
	if err := o.s.WriteOverlay(&buf); err != nil {
		return err
	}
	if err := os.WriteFile(o.file, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("--suggest-overlay: %w", err)
	}
	fmt.Fprintf(o.note, "suggest-overlay: %d undeclared fields declared in %s (an OpenAPI Overlay 1.0 document: review it, apply it with make apply-overlay, run make generate)\n", o.s.Len(), o.file)
	return nil
}
