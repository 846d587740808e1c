package contract_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/recorder"

	"github.com/partnercenter-go/partnercenter/contract"
)

const jwt = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJodHRwczovL2FwaSJ9.c2lnbmF0dXJlLXZhbHVl"

var _ = Describe("Secrets", func() {
	It("no cassette under "+cfg.dir+" holds a secret", func() {
		var hits []string
		err := filepath.WalkDir(cfg.dir, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, h := range contract.ScanSecrets(data) {
				hits = append(hits, fmt.Sprintf("%s %s", path, h))
			}
			return nil
		})
		Expect(err).NotTo(HaveOccurred())
		Expect(hits).To(BeEmpty(), "secret-like strings in cassettes")
	})

	// The control: the scanner finds each kind of secret it claims to find, and names the line
	// without printing the secret.
	DescribeTable("the scan finds a planted secret",
		func(line, kind string) {
			data := []byte("version: 2\ninteractions: []\n" + line + "\n")
			hits := contract.ScanSecrets(data)
			Expect(hits).NotTo(BeEmpty())
			Expect(hits[0].Line).To(Equal(3))
			Expect(hits[0].Kind).To(Equal(kind))
			Expect(hits[0].String()).NotTo(ContainSubstring(strings.Fields(line)[len(strings.Fields(line))-1]))
		},
		Entry("bearer token", `        Authorization-Echo: ["Bearer abcdefgh12345678"]`, "bearer token"),
		Entry("JWT", `      body: "`+jwt+`"`, "JWT"),
		Entry("Authorization header", `        Authorization: ["Basic dXNlcjpwYXNz"]`, "Authorization header"),
		Entry("refresh token in a form", `      body: grant_type=refresh_token&refresh_token=0.AAAAsecret`, "OAuth2 secret field"),
		Entry("client secret in JSON", `      body: "{\"client_secret\":\"s3cr3t-value\"}"`, "OAuth2 secret field"),
		Entry("a header that may echo the token", `        Www-Authenticate: ["Bearer error=\"invalid_token\", error_description=\"x\""]`, "Www-Authenticate header"),
		Entry("a header key whose value is on the next lines", `            Authorization:`, "Authorization header"),
	)

	// The scan and the client's redaction are one (internal/redact): a placeholder left where a
	// recorder removed a credential is not a hit.
	It("finds nothing in a placeholder", func() {
		for _, line := range []string{`        Authorization: ["Bearer REDACTED"]`, `        Authorization: [Sanitized]`, `      body: "{\"access_token\":\"REDACTED\"}"`} {
			Expect(contract.ScanSecrets([]byte(line))).To(BeEmpty(), line)
		}
	})

	It("finds nothing in a clean line", func() {
		Expect(contract.ScanSecrets([]byte(`      body: "{\"subscriptionId\":\"aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e\",\"status\":\"Success\"}"`))).To(BeEmpty())
	})

	// Recording never writes a secret: a real recording of an API call and a token exchange,
	// saved through contract.NewRecorder, scans clean; the same traffic saved without the hook
	// does not (the control).
	It("records without Authorization headers or token exchanges", func() {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			if strings.Contains(r.URL.Path, "/oauth2/") {
				io.WriteString(w, `{"access_token":"`+jwt+`","refresh_token":"0.rotated-refresh","expires_in":"3600"}`)
				return
			}
			io.WriteString(w, `{"subscriptionId":"aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e","status":"Success"}`)
		}))
		defer srv.Close()
		dir := GinkgoT().TempDir()

		record := func(name string, redact bool) string {
			var rec *recorder.Recorder
			var err error
			if redact {
				rec, err = contract.NewRecorder(filepath.Join(dir, name), recorder.ModeRecordOnly, http.DefaultTransport)
			} else {
				rec, err = recorder.New(filepath.Join(dir, name), recorder.WithMode(recorder.ModeRecordOnly), recorder.WithRealTransport(http.DefaultTransport))
			}
			Expect(err).NotTo(HaveOccurred())
			hc := rec.GetDefaultClient()
			form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"0.stored-refresh"}, "client_secret": {"app-secret"}}
			resp, err := hc.PostForm(srv.URL+"/tenant/oauth2/v2.0/token", form)
			Expect(err).NotTo(HaveOccurred())
			resp.Body.Close()
			req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, srv.URL+"/v1/customers/42b5f772-5c5c-4bce-b9d7-bdadeecca411/subscriptions/aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e/activate", strings.NewReader("null"))
			req.Header.Set("Authorization", "Bearer "+jwt)
			resp, err = hc.Do(req)
			Expect(err).NotTo(HaveOccurred())
			resp.Body.Close()
			Expect(rec.Stop()).To(Succeed())
			data, err := os.ReadFile(filepath.Join(dir, name+".yaml"))
			Expect(err).NotTo(HaveOccurred())
			return string(data)
		}

		raw := record("raw", false)
		Expect(contract.ScanSecrets([]byte(raw))).NotTo(BeEmpty(), "control: an unredacted recording must be caught")

		clean := record("clean", true)
		Expect(contract.ScanSecrets([]byte(clean))).To(BeEmpty())
		for _, secret := range []string{jwt, "0.stored-refresh", "0.rotated-refresh", "app-secret"} {
			Expect(clean).NotTo(ContainSubstring(secret))
		}
		Expect(clean).To(ContainSubstring("/activate"), "the API call itself is kept")
		Expect(clean).NotTo(ContainSubstring("/oauth2/"), "the token exchange is dropped")

		// The redacted cassette replays: the matcher ignores what was removed.
		rec, err := contract.NewRecorder(filepath.Join(dir, "clean"), recorder.ModeReplayOnly, http.DefaultTransport)
		Expect(err).NotTo(HaveOccurred())
		defer rec.Stop()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/customers/42b5f772-5c5c-4bce-b9d7-bdadeecca411/subscriptions/aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e/activate", strings.NewReader("null"))
		req.Header.Set("Authorization", "Bearer another-token")
		resp, err := rec.GetDefaultClient().Do(req)
		Expect(err).NotTo(HaveOccurred())
		Expect(resp.StatusCode).To(Equal(200))
	})
})
