package contract

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"go.yaml.in/yaml/v3"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"

	"github.com/partnercenter-go/partnercenter/internal/redact"
)

// proxyRecording writes the exchanges as go-vcr v4 cassettes under dir: one cassette per
// run, saved after every exchange (a crash loses nothing), and a new cassette every
// proxyCassetteSize exchanges so that a long session never rewrites a large file.
type proxyRecording struct {
	dir   string
	stem  string
	part  int
	cas   *cassette.Cassette
	dirty bool
}

const proxyCassetteSize = 200

func newProxyRecording(dir string) (*proxyRecording, error) {
	r := &proxyRecording{dir: dir, stem: "proxy-" + time.Now().UTC().Format("20060102T150405Z")}
	r.next()
	return r, nil
}

func (r *proxyRecording) next() {
	r.part++
	r.cas = cassette.New(filepath.Join(r.dir, fmt.Sprintf("%s-%03d", r.stem, r.part)))
	r.cas.MarshalFunc = marshalCassette
}

// add records one exchange, redacted, and returns the cassette file and the index the
// interaction has in it (-1 when it is not recorded: a token exchange).
func (r *proxyRecording) add(ex Exchange, req *http.Request, resp *http.Response, took time.Duration) (string, int, error) {
	if len(r.cas.Interactions) >= proxyCassetteSize {
		r.next()
	}
	in := interactionOf(ex, req, resp, took)
	if err := RedactInteraction(in); err != nil {
		return r.cas.File, -1, err
	}
	if in.DiscardOnSave {
		return r.cas.File, -1, nil
	}
	scrubCredentials(in)
	r.cas.AddInteraction(in)
	r.dirty = true
	return r.cas.File, len(r.cas.Interactions) - 1, r.save()
}

func (r *proxyRecording) save() error {
	if !r.dirty {
		return nil
	}
	if err := r.cas.SaveWithFS(atomicFS{}); err != nil {
		return fmt.Errorf("record %s: %w", r.cas.File, err)
	}
	r.dirty = false
	return nil
}

// interactionOf is the cassette interaction go-vcr's recorder would write for the exchange.
func interactionOf(ex Exchange, req *http.Request, resp *http.Response, took time.Duration) *cassette.Interaction {
	in := &cassette.Interaction{}
	in.Request = cassette.Request{
		Proto: req.Proto, ProtoMajor: req.ProtoMajor, ProtoMinor: req.ProtoMinor,
		ContentLength: int64(len(ex.RequestBody)), Host: req.URL.Host,
		Body: string(ex.RequestBody), Headers: ex.RequestHeader.Clone(), URL: ex.URL, Method: ex.Method,
	}
	in.Response = cassette.Response{
		Proto: resp.Proto, ProtoMajor: resp.ProtoMajor, ProtoMinor: resp.ProtoMinor,
		ContentLength: int64(len(ex.ResponseBody)), Body: string(ex.ResponseBody), Headers: ex.ResponseHeader.Clone(),
		Status: resp.Status, Code: resp.StatusCode, Duration: took,
	}
	return in
}

// scrubCredentials removes what RedactInteraction leaves, as internal/redact judges it: every
// header that carries or may echo a credential, and any credential inside a header value, the
// URL or a body (masked). The proxy forwards the token; the recording never holds it.
func scrubCredentials(in *cassette.Interaction) {
	redact.ScrubHeaders(in.Request.Headers)
	redact.ScrubHeaders(in.Response.Headers)
	for _, s := range []*string{&in.Request.URL, &in.Request.Body, &in.Response.Body} {
		if redact.CredentialInText(*s) != "" {
			*s = redact.String(*s)
		}
	}
}

// marshalCassette writes YAML as go-vcr's recorder does (its go.yaml.in/yaml/v4 and this v3 agree
// on everything a cassette holds, durations as strings included).
func marshalCassette(v any) ([]byte, error) { return yaml.Marshal(v) }

// atomicFS writes a cassette through a temporary file and a rename: a proxy stopped in the
// middle of a save leaves the previous, complete cassette.
type atomicFS struct{}

func (atomicFS) ReadFile(name string) ([]byte, error) { return os.ReadFile(name) }
func (atomicFS) IsFileExists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}
func (atomicFS) WriteFile(name string, data []byte) error {
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".cassette-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}
