package main

import (
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/partnercenter-go/partnercenter/sandbox"
)

// witness records every request that reaches it: the second server of a redirect.
type witness struct {
	*httptest.Server
	mu     sync.Mutex
	bodies []string
	auths  []string
}

func newWitness(t *testing.T) *witness {
	w := &witness{}
	w.Server = httptest.NewTLSServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.mu.Lock()
		w.bodies = append(w.bodies, string(body))
		w.auths = append(w.auths, r.Header.Get("Authorization"))
		w.mu.Unlock()
		rw.Header().Set("Content-Type", "application/json")
		io.WriteString(rw, `{"subscriptionId":"`+subA+`","status":"Success"}`)
	}))
	t.Cleanup(w.Close)
	return w
}

func (w *witness) count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.bodies)
}

// redirectTo answers every request with a 307 to the same path on target.
func redirectTo(t *testing.T, target string) *httptest.Server {
	s := httptest.NewTLSServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		http.Redirect(rw, r, target+r.URL.RequestURI(), http.StatusTemporaryRedirect)
	}))
	t.Cleanup(s.Close)
	return s
}

// caFile writes s's certificate (every httptest TLS server shares it) as PEM.
func caFile(t *testing.T, s *httptest.Server) string {
	path := filepath.Join(t.TempDir(), "ca.pem")
	data := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw})
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// The command's HTTP client, which also carries the token requests of azidentity and of the
// refresh-token credential, hands back a 3xx instead of following it.
func TestHTTPClientRefusesRedirects(t *testing.T) {
	w := newWitness(t)
	r := redirectTo(t, w.URL) // same host, other port: Go would keep Authorization
	a := &app{getenv: envMap{"PARTNER_CENTER_CA_FILE": caFile(t, r)}.get}
	hc, err := a.httpClient()
	if err != nil {
		t.Fatal(err)
	}
	if code := post(t, hc, r.URL); code != http.StatusTemporaryRedirect || w.count() != 0 {
		t.Fatalf("status %d, witness saw %d requests: want the 307 and none", code, w.count())
	}
	// Control: the same client with Go's default redirect handling sends the token on.
	follows := *hc
	follows.CheckRedirect = nil
	if code := post(t, &follows, r.URL); code != http.StatusOK || w.count() != 1 || w.auths[0] != "Bearer secret-token" {
		t.Fatalf("control: status %d, witness saw %d requests", code, w.count())
	}
}

// End to end: an authority host that redirects gets neither the client secret nor the
// refresh token through to a second server, and the command fails.
func TestCommandRefusesRedirects(t *testing.T) {
	for name, creds := range map[string][]string{
		"App-only (azidentity)":               {"AZURE_CLIENT_SECRET=app-secret-value"},
		"App+User (refresh-token credential)": {"PARTNER_CENTER_REFRESH_TOKEN=refresh-secret-value"},
	} {
		t.Run(name, func(t *testing.T) {
			w := newWitness(t)
			r := redirectTo(t, w.URL)
			environ := append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(),
				"PARTNER_CENTER_CA_FILE=" + caFile(t, r), "AZURE_AUTHORITY_HOST=" + r.URL + "/",
				"AZURE_TENANT_ID=" + tenant, "AZURE_CLIENT_ID=app-id"}, creds...)
			res := runCLI(t, environ, "--endpoint", r.URL, "activate", "--customer", customer, "--subscription", subA)
			if res.code == 0 || w.count() != 0 {
				t.Fatalf("exit %d, the witness saw %d requests %q; stderr: %s", res.code, w.count(), w.bodies, res.stderr)
			}
			if !strings.Contains(res.stderr, "redirect to "+w.URL+" refused") {
				t.Fatalf("stderr does not name where the redirect pointed: %s", res.stderr)
			}
			if strings.Contains(res.stderr, "secret-value") {
				t.Fatalf("stderr leaks the secret: %s", res.stderr)
			}
		})
	}
}

// An API endpoint that redirects: the token comes from the sandbox, the activate call is
// refused with a line naming where the redirect pointed, and the second server sees nothing.
func TestCommandRefusesAnAPIRedirect(t *testing.T) {
	sb := sandbox.Start(t, sandbox.Options{})
	w := newWitness(t)
	r := redirectTo(t, w.URL)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	pems := append(append([]byte{}, sb.CertPEM...), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: r.Certificate().Raw})...)
	if err := os.WriteFile(ca, pems, 0o600); err != nil {
		t.Fatal(err)
	}
	res := runCLI(t, append(env(t, sb), "PARTNER_CENTER_CA_FILE="+ca), "--endpoint", r.URL, "activate", "--customer", customer, "--subscription", subA)
	if res.code != 1 || !strings.Contains(res.stderr, "307 Temporary Redirect: redirect to "+w.URL+" refused") || w.count() != 0 {
		t.Fatalf("exit %d, witness saw %d requests; stderr: %s", res.code, w.count(), res.stderr)
	}
}

type envMap map[string]string

func (e envMap) get(k string) string { return e[k] }

func post(t *testing.T, hc *http.Client, u string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u+"/v1/customers/x/subscriptions/y/activate", strings.NewReader("null"))
	req.Header.Set("Authorization", "Bearer secret-token")
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}
