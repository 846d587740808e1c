// Package reportfile is the one reading of a report request, `--report KIND=FILE` on the
// command and REPORT= on `make contract`, and writes the reports it names. A report is
// written to a temporary file beside FILE and renamed into place when the run is done, so
// that a run that fails to complete leaves nothing behind, and a reader never sees half a file.
package reportfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/partnercenter-go/partnercenter/contract"
	"github.com/partnercenter-go/partnercenter/contract/htmlreport"
)

// The kinds of report.
const (
	JUnit = "junit" // JUnit XML: one testcase per interaction
	HTML  = "html"  // one self-contained HTML page (contract/htmlreport)
)

// Kinds lists the kinds a request may name, as usage errors print them.
const Kinds = "junit=FILE or html=FILE"

// Spec is one report to write.
type Spec struct {
	Kind string
	File string
}

// Parse reads one request: KIND=FILE, or a bare FILE, which is JUnit (REPORT=gate.xml has
// always meant a JUnit report). A relative FILE is taken relative to base when base is not
// "" (make runs the gate in ./contract but the user named a file from the repository).
func Parse(value, base string) (Spec, error) {
	kind, file, ok := strings.Cut(value, "=")
	if !ok {
		if value == JUnit || value == HTML {
			return Spec{}, fmt.Errorf("%q: no FILE: want %s", value, Kinds) // --report html
		}
		kind, file = JUnit, value
	}
	if kind != JUnit && kind != HTML {
		return Spec{}, fmt.Errorf("%q: unknown report kind %q: want %s", value, kind, Kinds)
	}
	if strings.TrimSpace(file) == "" {
		return Spec{}, fmt.Errorf("%q: no FILE: want %s", value, Kinds)
	}
	if base != "" && !filepath.IsAbs(file) {
		file = filepath.Join(base, file)
	}
	return Spec{Kind: kind, File: file}, nil
}

// ParseAll reads each value with Parse.
func ParseAll(values []string, base string) ([]Spec, error) {
	specs := make([]Spec, 0, len(values))
	for _, v := range values {
		s, err := Parse(v, base)
		if err != nil {
			return nil, err
		}
		specs = append(specs, s)
	}
	return specs, nil
}

// Set is the reports of one run being written.
type Set struct {
	reporters []contract.Reporter
	html      []htmlFile
	files     []*File
}

type htmlFile struct {
	*htmlreport.GateReporter
	p *File
}

// File is a report being written: a temporary file beside its name, renamed to it by Close
// once Done has been called, removed otherwise. A front end whose reports are not the
// engine's reporters (the probe's) writes through Create and File.
type File struct {
	*os.File
	Spec
	done bool
}

// Create creates the temporary file of spec, so that a folder that does not exist or cannot
// be written fails now, before the run.
func Create(spec Spec) (*File, error) {
	f, err := os.CreateTemp(filepath.Dir(spec.File), "."+filepath.Base(spec.File)+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("report %s=%s: %w", spec.Kind, spec.File, unwrapPath(err))
	}
	f.Chmod(0o644) // as os.Create leaves a file under the usual umask: CreateTemp makes it 0600
	return &File{File: f, Spec: spec}, nil
}

// Done marks the report whole: Close renames it into place.
func (p *File) Done() { p.done = true }

// Close renames a report marked Done to its name, and removes one that is not.
func (p *File) Close() error {
	err := p.File.Close()
	if err == nil && p.done {
		err = os.Rename(p.File.Name(), p.Spec.File)
	}
	if err != nil || !p.done {
		os.Remove(p.File.Name())
	}
	if err != nil {
		return fmt.Errorf("report %s: %w", p.Spec.File, unwrapPath(err))
	}
	return nil
}

// Open creates a temporary file beside each report's FILE (so that a folder that does not
// exist or cannot be written fails now, before the run) and the reporter that writes it.
// run describes the run in HTML reports. Call Close when the run is over.
func Open(specs []Spec, run htmlreport.Run) (*Set, error) {
	s := &Set{}
	for _, spec := range specs {
		p, err := Create(spec)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.files = append(s.files, p)
		var r contract.Reporter
		switch spec.Kind {
		case JUnit:
			if r, err = contract.NewJUnitReporter(p); err != nil {
				s.Close()
				return nil, err
			}
		case HTML:
			h := htmlreport.NewGateReporter(p, run)
			s.html = append(s.html, htmlFile{h, p})
			r = h
		}
		s.reporters = append(s.reporters, doneMarker{r, p})
	}
	return s, nil
}

// Reporters are the reports as the engine's reporters.
func (s *Set) Reporters() []contract.Reporter { return s.reporters }

// Proxy counts one exchange of `contract proxy` in each HTML report.
func (s *Set) Proxy(v contract.ProxyVerdict) {
	for _, h := range s.html {
		h.Proxy(v)
	}
}

// FinishProxy writes each HTML report of a proxy's run from its coverage.
func (s *Set) FinishProxy(cov *contract.Coverage) error {
	for _, h := range s.html {
		h.FinishProxy(cov)
		if err := htmlreport.Render(h.Writer(), &h.Model); err != nil {
			return fmt.Errorf("report html=%s: %w", h.p.Spec.File, err)
		}
		h.p.Done()
	}
	return nil
}

// Close renames each finished report into place and removes the rest: a run that ended
// before its summary (an error, Ctrl-C during `contract validate`) writes no report.
func (s *Set) Close() error {
	var errs []error
	for _, p := range s.files {
		if err := p.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	s.files = nil
	return errors.Join(errs...)
}

// doneMarker marks its report finished once Done has written it.
type doneMarker struct {
	contract.Reporter
	p *File
}

func (d doneMarker) Done(sum *contract.Summary) error {
	if err := d.Reporter.Done(sum); err != nil {
		return err
	}
	d.p.Done()
	return nil
}

// unwrapPath drops the temporary file's name from an error: the user named FILE, not it.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// CreateAll creates each report's temporary file (Create), or none: on an error those
// already created are removed.
func CreateAll(specs []Spec) ([]*File, error) {
	var files []*File
	for _, s := range specs {
		f, err := Create(s)
		if err != nil {
			CloseAll(files)
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

// CloseAll closes each file (File.Close): those marked Done take their names.
func CloseAll(files []*File) error {
	var errs []error
	for _, f := range files {
		if err := f.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Write writes the reports of a run that is over, for a front end whose reports are not the
// engine's reporters (the probe's): JUnit XML with junit, the HTML page of page's model.
// Each is marked Done once written whole; CloseAll then puts it in place.
func Write(files []*File, junit func(io.Writer) error, page func() *htmlreport.Model) error {
	for _, f := range files {
		var err error
		switch f.Kind {
		case JUnit:
			err = junit(f)
		case HTML:
			err = htmlreport.Render(f, page())
		}
		if err != nil {
			return fmt.Errorf("report %s=%s: %w", f.Kind, f.Spec.File, err)
		}
		f.Done()
	}
	return nil
}
