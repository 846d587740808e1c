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
// run, and a new cassette every proxyCassetteSize exchanges. Each interaction is marshalled
// once, by the save that first writes it; a save writes the cassette's header and the
// interactions' YAML through a temporary file and a rename, so that a proxy killed at any
// moment leaves only complete cassettes, losing at most the exchanges since the last save.
type proxyRecording struct {
	dir     string
	stem    string
	part    int
	file    string                  // the current cassette, .yaml included
	items   [][]byte                // its saved interactions, each as YAML items of the list
	size    int                     // the bytes of items
	unsaved []*cassette.Interaction // its interactions added since the last save
}

const (
	proxyCassetteSize = 200
	// proxyBatch bounds the exchanges a busy proxy holds unsaved (see Proxy.drain).
	proxyBatch = 32
)

func newProxyRecording(dir string) (*proxyRecording, error) {
	r := &proxyRecording{dir: dir, stem: "proxy-" + time.Now().UTC().Format("20060102T150405Z")}
	r.next()
	return r, nil
}

func (r *proxyRecording) next() {
	r.part++
	r.file = filepath.Join(r.dir, fmt.Sprintf("%s-%03d.yaml", r.stem, r.part))
	r.items, r.size = nil, 0
}

// add records one exchange, redacted, and returns the cassette file and the index the
// interaction has in it (-1 when it is not recorded: a token exchange). It is saved by save.
func (r *proxyRecording) add(ex Exchange, req *http.Request, resp *http.Response, took time.Duration) (string, int, error) {
	if len(r.items)+len(r.unsaved) >= proxyCassetteSize {
		if err := r.save(); err != nil {
			return r.file, -1, err
		}
		r.next()
	}
	in := interactionOf(ex, req, resp, took)
	if err := RedactInteraction(in); err != nil {
		return r.file, -1, err
	}
	if in.DiscardOnSave {
		return r.file, -1, nil
	}
	scrubCredentials(in)
	in.ID = len(r.items) + len(r.unsaved)
	r.unsaved = append(r.unsaved, in)
	return r.file, in.ID, nil
}

// cassetteHeader is what go-vcr writes before the interactions: a block sequence may sit at
// its key's indentation, so each interaction's YAML follows as marshalled on its own.
var cassetteHeader = fmt.Sprintf("---\nversion: %d\ninteractions:\n", cassette.CassetteFormatVersion)

func (r *proxyRecording) save() error {
	if len(r.unsaved) == 0 {
		return nil
	}
	for _, in := range r.unsaved {
		item, err := marshalCassette([]*cassette.Interaction{in})
		if err != nil {
			return fmt.Errorf("record %s: %w", r.file, err)
		}
		r.items = append(r.items, item)
		r.size += len(item)
	}
	r.unsaved = r.unsaved[:0]
	data := make([]byte, 0, len(cassetteHeader)+r.size)
	data = append(data, cassetteHeader...)
	for _, item := range r.items {
		data = append(data, item...)
	}
	if err := (atomicFS{}).WriteFile(r.file, data); err != nil {
		return fmt.Errorf("record %s: %w", r.file, err)
	}
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
