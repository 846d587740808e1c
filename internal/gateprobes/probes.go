// Package gateprobes is the list of hostile and everyday inputs every front end of the contract
// gate must judge alike: the library, the command and `make contract` run each of them in
// their own tests, so that one verdict is proven everywhere.
package gateprobes

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// JWT is a well-formed JSON Web Token (header {"alg":"RS256","typ":"JWT"}): a secret no
// finding may ever print.
const JWT = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJodHRwczovL2FwaS5wYXJ0bmVyY2VudGVyLm1pY3Jvc29mdC5jb20ifQ.c2lnbmF0dXJlLXZhbHVlLW5vdC1yZWFs"

// interaction is ActivateSubscription's documented example (learn.microsoft.com/partner-center/
// developer/activate-sandbox-subscription, "Request example" and "Response example"), as
// go-vcr v4 writes it; %HEADERS% and %FORM% are where probes plant things.
const interaction = `  - id: 0
    request:
      proto: HTTP/1.1
      proto_major: 1
      proto_minor: 1
      content_length: 0
      host: api.partnercenter.microsoft.com
%FORM%      headers:
        Accept: ["application/json"]
        Ms-Requestid: ["655890ba-4d2b-4d09-a95f-4ea1348686a5"]
%HEADERS%      url: https://api.partnercenter.microsoft.com/v1/customers/42b5f772-5c5c-4bce-b9d7-bdadeecca411/subscriptions/aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e/activate
      method: POST
    response:
      proto: HTTP/1.1
      proto_major: 1
      proto_minor: 1
      content_length: 76
      body: "{\"subscriptionId\":\"aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e\",\"status\":\"Success\"}"
      headers:
        Content-Type: ["application/json"]
      status: 200 OK
      code: 200
      duration: 0s
`

// tokenExchange is a client-credentials token exchange with Entra ID as go-vcr records it when
// the credential shares the recorder (RFC 6749 section 4.4; Entra ID's v2.0 token endpoint).
const tokenExchange = `  - id: 1
    request:
      proto: HTTP/1.1
      proto_major: 1
      proto_minor: 1
      content_length: 0
      host: login.microsoftonline.com
      form:
        client_id: ["11111111-2222-3333-4444-555555555555"]
        client_secret: ["%SECRET%"]
        grant_type: ["client_credentials"]
        scope: ["https://api.partnercenter.microsoft.com/.default"]
      headers:
        Content-Type: ["application/x-www-form-urlencoded"]
      url: https://login.microsoftonline.com/5a1d6b6e-0d5c-4b8a-9f0e-2c3d4e5f6a7b/oauth2/v2.0/token
      method: POST
    response:
      proto: HTTP/1.1
      proto_major: 1
      proto_minor: 1
      content_length: 0
      body: "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"%TOKEN%\"}"
      headers:
        Content-Type: ["application/json; charset=utf-8"]
      status: 200 OK
      code: 200
      duration: 0s
`

// Cassette is a go-vcr v4 cassette of the documented interaction with headers (each line
// "Name: [values]") and form fields planted.
func Cassette(headers, form []string) string {
	return "version: 2\ninteractions:\n" + plant(headers, form)
}

func plant(headers, form []string) string {
	in := interaction
	h := ""
	for _, l := range headers {
		h += "        " + l + "\n"
	}
	f := ""
	if len(form) > 0 {
		f = "      form:\n"
		for _, l := range form {
			f += "        " + l + "\n"
		}
	}
	in = strings.Replace(in, "%HEADERS%", h, 1)
	return strings.Replace(in, "%FORM%", f, 1)
}

// WithTokenExchange is Cassette plus a recorded token exchange holding secret and token.
func WithTokenExchange(secret, token string) string {
	t := strings.NewReplacer("%SECRET%", secret, "%TOKEN%", token).Replace(tokenExchange)
	return Cassette(nil, nil) + t
}

// Probe is one input and the verdict every front end must give on it.
type Probe struct {
	Name  string
	Files map[string]string // path (slash-separated, relative to the probe's folder) -> content
	Links map[string]string // path -> symbolic link target (relative to the link's folder)
	Pass  bool              // the gate passes
	// Want are strings the text output must hold (a file name, a pointer, a reason).
	Want []string
	// Secrets are strings no output may hold.
	Secrets []string
}

// Write creates the probe's files under dir.
func (p Probe) Write(dir string) error {
	for name, content := range p.Files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			return err
		}
	}
	for name, target := range p.Links {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.Symlink(filepath.FromSlash(target), path); err != nil {
			return err
		}
	}
	return nil
}

// TempDir writes the probe called name into a new temporary folder of t and returns it; an
// unknown name fails t. (Only tests import this package, so it may take a testing.TB.)
func TempDir(t testing.TB, name string) string {
	t.Helper()
	for _, p := range All() {
		if p.Name == name {
			dir := t.TempDir()
			if err := p.Write(dir); err != nil {
				t.Fatal(err)
			}
			return dir
		}
	}
	t.Fatalf("no probe %q", name)
	return ""
}

// All lists the probes. The 17 MB body is over the 16 MiB line where the old line scanner
// gave up silently.
func All() []Probe {
	clean := Cassette(nil, nil)
	one := func(name string, content string) map[string]string { return map[string]string{name: content} }
	placeholders := []string{`"REDACTED"`, `"Bearer REDACTED"`, `"Sanitized"`, `"[REDACTED]"`, `"<token>"`, `"***"`, `""`}
	var redacted []Probe
	for _, p := range placeholders {
		redacted = append(redacted, Probe{Name: "Authorization " + p + " is a placeholder", Pass: true,
			Files: one("rec.yaml", Cassette([]string{"Authorization: [" + p + "]"}, nil))})
	}
	bigBody := strings.Repeat("x", 17<<20)
	probes := []Probe{
		{Name: "a conforming cassette", Pass: true, Files: one("team/rec.yaml", clean), Want: []string{"PASS: 1 file, 1 interaction: 1 judged"}},
		{Name: "a live bearer token in Authorization", Files: one("rec.yaml", Cassette([]string{`Authorization: ["Bearer ` + JWT + `"]`}, nil)),
			Want: []string{"rec.yaml interaction 0", "/request/header/Authorization", "holds a bearer token", "delete the header"}, Secrets: []string{JWT}},
		{Name: "Basic credentials in Authorization", Files: one("rec.yaml", Cassette([]string{`Authorization: ["Basic dXNlcjpwYXNzd29yZA=="]`}, nil)),
			Want: []string{"/request/header/Authorization", "holds a credential"}, Secrets: []string{"dXNlcjpwYXNzd29yZA"}},
		{Name: "a JWT in another header", Files: one("rec.yaml", Cassette([]string{`X-Debug-Token: ["` + JWT + `"]`}, nil)),
			Want: []string{"/request/header/X-Debug-Token", "holds a JWT"}, Secrets: []string{JWT}},
		{Name: "client_secret under go-vcr's multi-line form map", Files: one("rec.yaml", Cassette(nil, []string{"client_secret:", `          - "s3cr3t-app-password-value"`})),
			Want: []string{"/request/form/client_secret", "holds a credential"}, Secrets: []string{"s3cr3t-app-password-value"}},
		{Name: "a JWT in a header after a 17 MB body", Files: one("rec.yaml", strings.Replace(Cassette([]string{`X-Trace: ["` + JWT + `"]`}, nil), `"{\"subscriptionId\"`, `"{\"pad\":\"`+bigBody+`\",\"subscriptionId\"`, 1)),
			Want: []string{"/request/header/X-Trace", "holds a JWT"}, Secrets: []string{JWT}},
		{Name: "a refresh token in a JSON body", Files: one("rec.yaml", strings.Replace(clean, `\"status\":\"Success\"}`, `\"status\":\"Success\",\"refresh_token\":\"0.AAAArefresh-value-123\"}`, 1)),
			Want: []string{"/response/body/refresh_token", "holds a credential"}, Secrets: []string{"0.AAAArefresh-value-123"}},
		{Name: "a recorded token exchange with its secrets", Files: one("rec.yaml", WithTokenExchange("app-secret-value-123", JWT)),
			Want: []string{"rec.yaml interaction 1", "/request/form/client_secret", "/response/body/access_token", "ignored: ", "login.microsoftonline.com"}, Secrets: []string{JWT, "app-secret-value-123"}},
		{Name: "a recorded token exchange, redacted", Pass: true, Files: one("rec.yaml", WithTokenExchange("REDACTED", "Sanitized")),
			Want: []string{"ignored: ", "interaction 1: POST login.microsoftonline.com: not a Partner Center API host", "1 judged, 1 ignored"}},
		{Name: "only traffic that is not Partner Center's", Files: one("rec.yaml", strings.Replace(clean, "https://api.partnercenter.microsoft.com/v1/", "https://graph.microsoft.com/v1.0/", 1)),
			Want: []string{"no interaction was judged"}},
		{Name: "a /v1/ path that routes nowhere, with a secret in it", Files: one("rec.yaml", strings.Replace(clean, "/v1/customers/", "/v1/tokens/SECRETVALUE0123456789/", 1)),
			Want: []string{"routes to no operation"}, Secrets: []string{"SECRETVALUE0123456789"}},
		{Name: "a schema violation", Files: one("team/rec.yaml", strings.Replace(clean, `\"status\":\"Success\"`, `\"status\":7`, 1)),
			Want: []string{"team/rec.yaml interaction 0", "ActivateSubscription 200", "/response/body/status", "value must be a string"}},
		{Name: "a null interaction", Files: one("rec.yaml", "version: 2\ninteractions: [null]\n"),
			Want: []string{"rec.yaml interaction 0", "is null"}},
		{Name: "a null interaction after a good one", Files: one("rec.yaml", clean+"  - null\n"),
			Want: []string{"rec.yaml interaction 1", "is null"}},
		{Name: "a missing version", Files: one("rec.yaml", strings.Replace(clean, "version: 2\n", "", 1)),
			Want: []string{"rec.yaml", "has no version"}},
		{Name: "another version", Files: one("rec.yaml", strings.Replace(clean, "version: 2\n", "version: 3\n", 1)),
			Want: []string{"rec.yaml", "is cassette version 3", "reads version 2"}},
		{Name: "a second YAML document", Files: one("rec.yaml", clean+"---\n"+clean),
			Want: []string{"rec.yaml", "more than one YAML document"}},
		{Name: "malformed YAML", Files: one("rec.yaml", "version: 2\ninteractions: [unclosed\n"),
			Want: []string{"rec.yaml", "is not valid YAML", "line "}},
		{Name: "a wrong type where a secret would be quoted", Files: one("rec.yaml", strings.Replace(clean, "code: 200", "code: hunter2-secret", 1)),
			Want: []string{"rec.yaml", "wrong type"}, Secrets: []string{"hunter2-secret"}},
		{Name: "a YAML file that is not a cassette", Files: map[string]string{"ok.yaml": clean, "config.yaml": "name: app\nreplicas: 2\n"},
			Want: []string{"config.yaml", "not a go-vcr cassette"}},
		{Name: "an empty cassette file", Files: map[string]string{"ok.yaml": clean, "empty.yaml": ""},
			Want: []string{"empty.yaml", "is empty"}},
		{Name: ".yml and .YAML are cassettes too", Pass: true, Files: map[string]string{"a.yml": clean, "b.YAML": clean, "README.md": "# recordings\n"},
			Want: []string{"2 files, 2 interactions: 2 judged", "1 file that is not a recording skipped"}},
		{Name: "hidden folders are skipped", Pass: true, Files: map[string]string{"rec.yaml": clean, ".git/config.yaml": "not: a cassette\n"},
			Want: []string{"1 file, 1 interaction"}},
		{Name: "a symlinked folder is followed", Pass: true, Files: one("real/rec.yaml", clean), Links: map[string]string{"linked": "real"},
			Want: []string{"2 files, 2 interactions: 2 judged"}},
		{Name: "a symlink loop", Files: one("a/rec.yaml", clean), Links: map[string]string{"a/again": ".."},
			Want: []string{"a/again", "symbolic link loop"}},
		{Name: "a broken symlink", Files: one("rec.yaml", clean), Links: map[string]string{"gone.yaml": "nowhere.yaml"},
			Want: []string{"gone.yaml", "cannot be read"}},
		{Name: "an empty folder", Files: map[string]string{"notes.txt": "nothing here\n"}, Want: []string{"no interaction was judged"}},
	}
	return append(probes, redacted...)
}
