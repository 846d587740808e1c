package contract

import (
	"net/http"
	"strings"

	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/recorder"

	"github.com/partnercenter-go/partnercenter/internal/redact"
)

// redactedHeaders are removed from every recorded interaction before it is saved: the headers
// that carry or may echo a credential (internal/redact, the project's one list).
var redactedHeaders = redact.SensitiveHeaders()

// RedactInteraction is the BeforeSaveHook of recordings: it removes credentials from an
// interaction, and drops token-endpoint exchanges (whose bodies are secrets) altogether.
func RedactInteraction(i *cassette.Interaction) error {
	if isTokenExchange(i) {
		i.DiscardOnSave = true
		return nil
	}
	for _, h := range redactedHeaders {
		i.Request.Headers.Del(h)
		i.Response.Headers.Del(h)
	}
	i.Request.Form = nil
	return nil
}

func isTokenExchange(i *cassette.Interaction) bool {
	u := strings.ToLower(i.Request.URL)
	body := strings.ToLower(i.Request.Body + i.Response.Body)
	return strings.Contains(u, "/oauth2/") || strings.Contains(u, "/.well-known/openid-configuration") ||
		strings.Contains(body, "client_secret") || strings.Contains(body, "refresh_token") || strings.Contains(body, "access_token")
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
