package main

import (
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/partnercenter-go/partnercenter/sandbox"
)

// echoedJWT is what a hostile or broken server plants in an error body's code.
const echoedJWT = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJwYyJ9.c2lnbmF0dXJlLWVjaG9lZA"

// An error body's code is written to the results file: it goes through the one redaction and
// is bounded, as Error() is (it was written as the server sent it, token and all). Control:
// an ordinary code is written as it is, and the file does record the failure.
func TestResultsFileNeverCarriesAnEchoedToken(t *testing.T) {
	sb := sandbox.Start(t, sandbox.Options{})
	for code, want := range map[string]string{
		`"Bearer ` + echoedJWT + `"`:          "Bearer [REDACTED]",
		`"` + strings.Repeat("9", 5000) + `"`: strings.Repeat("9", 64) + "...(4936 more bytes)",
		`800002`:                              "800002",
	} {
		api := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"code":`+code+`,"description":"refused"}`)
		}))
		defer api.Close()
		ca := filepath.Join(t.TempDir(), "ca.pem")
		pems := append(append([]byte{}, sb.CertPEM...), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: api.Certificate().Raw})...)
		if err := os.WriteFile(ca, pems, 0o600); err != nil {
			t.Fatal(err)
		}
		results := filepath.Join(t.TempDir(), "out.jsonl")
		r := runCLI(t, append(env(t, sb), "PARTNER_CENTER_CA_FILE="+ca), "--endpoint", api.URL, "activate",
			"--file", writeCSV(t, "customer,subscription", customer+","+subA), "--results", results, "--progress", "lines")
		data, _ := os.ReadFile(results)
		if strings.Contains(string(data), echoedJWT[:40]) || strings.Contains(r.stderr, echoedJWT[:40]) {
			t.Fatalf("the results file or stderr carries the token:\n%s\n%s", data, r.stderr)
		}
		got := readResults(t, results)
		if len(got) != 1 || got[0].Status != "failed" || got[0].Code != want {
			t.Fatalf("code %s: results %+v, want one failed row with code %q", code[:min(len(code), 20)], got, want)
		}
	}
}
