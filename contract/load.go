package contract

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v4"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"
)

// Interaction is one recorded exchange as a Format read it.
type Interaction struct {
	Exchange
	// Form holds request form fields a recording keeps apart from the body (go-vcr's form:);
	// only the secret scan reads it.
	Form url.Values
	// Problem says why the interaction cannot be judged at all (a null entry); "" when it can.
	Problem string
	// SecretAdvice is added to the fix of each secret finding: how the tool that wrote this
	// format leaves credentials out ("" for none).
	SecretAdvice string
}

// A Format reads one kind of recording file. The engine asks each format in turn whether it
// claims a file (by name) and loads the file with the first that does, one file at a time:
// that is what keeps the engine's memory bounded by the files its workers hold.
type Format interface {
	// Claims reports whether a file of this base name is in the format.
	Claims(name string) bool
	// Load reads one file. An error is a problem with the whole file: the engine reports it as
	// a violation naming the file, so its text must never quote the file's content.
	Load(r io.Reader) ([]Interaction, error)
}

// Formats are the recording formats the gate reads when Options.Formats is empty.
func Formats() []Format { return []Format{Cassettes, HAR} }

// Cassettes is the go-vcr v4 cassette format (*.yaml and *.yml, in any case).
var Cassettes Format = cassetteFormat{}

type cassetteFormat struct{}

func (cassetteFormat) Claims(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".yaml" || ext == ".yml"
}

// cassetteFile is cassette.Cassette as it is written, read with the YAML library go-vcr uses.
// Version is kept loose so that a wrong one is named, not rejected as a type error; a missing
// interactions key (nil) tells a YAML file that is not a cassette.
type cassetteFile struct {
	Version      any                      `yaml:"version"`
	Interactions *[]*cassette.Interaction `yaml:"interactions"`
}

func (cassetteFormat) Load(r io.Reader) ([]Interaction, error) {
	dec := yaml.NewDecoder(r)
	var f cassetteFile
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("is empty: not a go-vcr cassette")
		}
		return nil, errors.New(yamlReason(err))
	}
	if f.Interactions == nil {
		return nil, errors.New("is not a go-vcr cassette: it has no interactions list")
	}
	switch v := f.Version.(type) {
	case nil:
		return nil, fmt.Errorf("has no version: go-vcr v4 cassettes say version: %d", cassette.CassetteFormatVersion)
	case int:
		if v != cassette.CassetteFormatVersion {
			return nil, fmt.Errorf("is cassette version %d: the gate reads version %d (go-vcr v4)", v, cassette.CassetteFormatVersion)
		}
	default:
		return nil, fmt.Errorf("has a version that is not a number: the gate reads version %d (go-vcr v4)", cassette.CassetteFormatVersion)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, errors.New("holds more than one YAML document: go-vcr would read only the first")
	}
	recorded := *f.Interactions
	if len(recorded) == 0 {
		return nil, errors.New("has no interactions")
	}
	out := make([]Interaction, len(recorded))
	for i, in := range recorded {
		if in == nil {
			out[i].Problem = "is null, not an interaction"
			continue
		}
		out[i] = Interaction{
			Exchange: Exchange{
				Method: in.Request.Method, URL: in.Request.URL, RequestHeader: in.Request.Headers, RequestBody: []byte(in.Request.Body),
				Status: in.Response.Code, ResponseHeader: in.Response.Headers, ResponseBody: []byte(in.Response.Body),
			},
			Form: in.Request.Form,
		}
	}
	return out, nil
}

// yamlReason keeps the YAML library's message to its position and, for syntax errors, its
// kind: errors of the constructor stage quote the offending scalar, which may be a secret.
func yamlReason(err error) string {
	var le *yaml.LoadError
	if !errors.As(err, &le) {
		return "is not valid YAML"
	}
	what, msg := "is not valid YAML", le.Message
	if string(le.Stage) == "constructor" || len(msg) > 120 {
		what, msg = "is not a valid go-vcr cassette", "a value has the wrong type"
	}
	if le.Mark.Line > 0 {
		return fmt.Sprintf("%s: line %d: %s", what, le.Mark.Line, msg)
	}
	return what + ": " + msg
}
