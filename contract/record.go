package contract

import (
	"net/http"

	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/recorder"

	"github.com/partnercenter-go/partnercenter/internal/redact"
)

// RedactInteraction is the BeforeSaveHook of recordings: it drops token-endpoint exchanges
// (whose bodies are secrets) altogether, removes the headers that carry credentials, and masks
// any credential left in another header or a body, all as internal/redact defines them, so
// that what it saves passes the gate's secret scan.
func RedactInteraction(i *cassette.Interaction) error {
	if redact.TokenEndpoint(i.Request.URL) {
		i.DiscardOnSave = true
		return nil
	}
	for _, h := range []http.Header{i.Request.Headers, i.Response.Headers} {
		for name, values := range h {
			if redact.SensitiveHeader(name) {
				delete(h, name)
				continue
			}
			for k, v := range values {
				if redact.CredentialInText(v) != "" {
					values[k] = redact.String(v)
				}
			}
		}
	}
	i.Request.Form = nil
	if redact.CredentialInText(i.Request.Body) != "" {
		i.Request.Body = redact.String(i.Request.Body)
	}
	if redact.CredentialInText(i.Response.Body) != "" {
		i.Response.Body = redact.String(i.Response.Body)
	}
	return nil
}

// Matcher matches a live request to a recorded one by method and URL (and body), ignoring
// what RedactInteraction removed and the ids that change on every call.
var Matcher = cassette.NewDefaultMatcher(
	cassette.WithIgnoreAuthorization(),
	cassette.WithIgnoreUserAgent(),
	cassette.WithIgnoreHeaders("Proxy-Authorization", "Cookie", "Ms-Requestid", "Ms-Correlationid", "X-Ms-Client-Request-Id", "Content-Length", "Accept-Encoding"),
)

// NewRecorder returns a go-vcr recorder for cassette name (without .yaml) that never writes
// a secret: use it as the client's Transport. real is the transport for live traffic.
func NewRecorder(name string, mode recorder.Mode, real http.RoundTripper) (*recorder.Recorder, error) {
	return recorder.New(name,
		recorder.WithMode(mode),
		recorder.WithRealTransport(real),
		recorder.WithSkipRequestLatency(true),
		recorder.WithMatcher(Matcher),
		recorder.WithHook(RedactInteraction, recorder.BeforeSaveHook),
	)
}
