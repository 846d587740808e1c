package contract

import (
	"net/http"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
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
	redact.ScrubHeaders(i.Request.Headers)
	redact.ScrubHeaders(i.Response.Headers)
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

// Recorder is a go-vcr recorder that plugs into partnercenter.ClientOptions.Transport as it is:
// it is an azcore policy.Transporter (Do) as well as an http.RoundTripper. The embedded
// *recorder.Recorder keeps the rest of go-vcr's API: Stop saves the cassette, Mode and
// IsRecording report what it does.
type Recorder struct {
	*recorder.Recorder
}

var _ policy.Transporter = (*Recorder)(nil)

// Do sends req through the recorder: to the real transport while recording, from the cassette
// while replaying.
func (r *Recorder) Do(req *http.Request) (*http.Response, error) { return r.RoundTrip(req) }

// NewRecorder returns a go-vcr recorder for cassette name (without .yaml) that never writes
// a secret: use it as the client's ClientOptions.Transport, and Stop it to save the cassette.
// real is the transport for live traffic.
func NewRecorder(name string, mode recorder.Mode, real http.RoundTripper) (*Recorder, error) {
	rec, err := recorder.New(name,
		recorder.WithMode(mode),
		recorder.WithRealTransport(real),
		recorder.WithSkipRequestLatency(true),
		recorder.WithMatcher(Matcher),
		recorder.WithHook(RedactInteraction, recorder.BeforeSaveHook),
	)
	if err != nil {
		return nil, err
	}
	return &Recorder{rec}, nil
}
