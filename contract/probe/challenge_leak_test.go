package probe_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/partnercenter-go/partnercenter/contract/probe"
)

// A service that refuses with a challenge quoting a credential (an opaque token after a
// scheme, a token= parameter): no report of the probe's, text, JSON or annotations, carries it.
// The challenge is judged as redact.Header judges it, as the HTML report and cassettes do.
func TestChallengeCredentialNeverReported(t *testing.T) {
	_, v := setup(t)
	const opaque = "a1b2c3d4e5f6g7h8i9j0k1l2m3n4"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("WWW-Authenticate", "Negotiate "+opaque)
		w.Header().Add("WWW-Authenticate", `Bearer realm="pc", token="`+opaque+`"`)
		w.WriteHeader(http.StatusUnauthorized)
	}))
	defer srv.Close()
	plan, err := probe.Generate(v, probe.Config{IDs: sandboxIDs, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	res, err := probe.Run(context.Background(), v, plan, probe.Options{Endpoint: srv.URL, MaxRequests: 5,
		Token: func(context.Context) (string, error) { return "the-token", nil }})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) == 0 || res.Findings[0].Exchange == nil {
		t.Fatalf("no finding with its exchange against a service that answers 401 to all: %+v", res.Findings)
	}
	if got := res.Findings[0].Exchange.ResponseHeader.Values("WWW-Authenticate"); len(got) != 2 || !strings.Contains(got[1], `realm="pc"`) {
		t.Errorf("the challenge is not shown (masked) in the finding: %q", got)
	}
	for name, write := range map[string]func(*bytes.Buffer, *probe.Result) error{
		"text":   func(b *bytes.Buffer, r *probe.Result) error { return probe.WriteText(b, r) },
		"json":   func(b *bytes.Buffer, r *probe.Result) error { return probe.WriteJSON(b, r) },
		"github": func(b *bytes.Buffer, r *probe.Result) error { return probe.WriteGitHub(b, r) },
		"junit":  func(b *bytes.Buffer, r *probe.Result) error { return probe.WriteJUnit(b, r) },
	} {
		var b bytes.Buffer
		if err := write(&b, res); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(b.String(), opaque) || strings.Contains(b.String(), "the-token") {
			t.Errorf("%s output carries a credential:\n%s", name, b.String())
		}
	}
}
