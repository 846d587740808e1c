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

// A hostile endpoint echoes the access token it received into every field of its error body
// and every header it answers with: neither the --verbose trace nor the error line shows it.
func TestVerboseTraceNeverShowsAnEchoedToken(t *testing.T) {
	sb := sandbox.Start(t, sandbox.Options{}) // the token endpoint
	var mu sync.Mutex
	var received string
	hostile := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		mu.Lock()
		received = token
		mu.Unlock()
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("MS-RequestId", token)
		h.Set("MS-CorrelationId", "Bearer "+token)
		h.Set("MS-CV", token)
		h.Set("WWW-Authenticate", `Bearer error="invalid_token", error_description="`+token+`"`)
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"code":"Bearer `+token+`","description":"visible-marker `+token+`","source":"`+token+`"}`)
	}))
	defer hostile.Close()

	// Trust both the sandbox's certificate and the hostile server's.
	ca := filepath.Join(t.TempDir(), "ca.pem")
	pems := append(append([]byte{}, sb.CertPEM...), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: hostile.Certificate().Raw})...)
	if err := os.WriteFile(ca, pems, 0o600); err != nil {
		t.Fatal(err)
	}
	environ := append(env(t, sb), "PARTNER_CENTER_CA_FILE="+ca)

	r := runCLI(t, environ, "--endpoint", hostile.URL, "--verbose", "activate", "--customer", customer, "--subscription", subA)
	mu.Lock()
	token := received
	mu.Unlock()
	// Controls: the token did reach the server, and the trace and the error line are there.
	if len(token) < 20 {
		t.Fatalf("control: the hostile server received no token (%q); stderr: %s", token, r.stderr)
	}
	if r.code != 1 || !strings.Contains(r.stderr, `Www-Authenticate: Bearer error="invalid_token", error_description="[REDACTED]"`) || !strings.Contains(r.stderr, "visible-marker") {
		t.Fatalf("control: exit %d, no trace or no error line:\n%s", r.code, r.stderr)
	}
	if strings.Contains(r.stderr, token) || strings.Contains(r.stdout, token) {
		t.Fatalf("the output shows the token:\n%s", r.stderr)
	}
}
