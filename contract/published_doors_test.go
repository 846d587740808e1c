package contract_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"

	"github.com/partnercenter-go/partnercenter/contract"
)

// Every published exchange passes the gate in every door (issue 19): as a cassette, as a HAR
// file built from the same interactions, and through the proxy from a loopback upstream that
// replays them. Drift (a BOM, an empty error body) is allowed; a violation is not, in any door,
// and each door judges every interaction.
func TestPublishedExchangesPassEveryDoor(t *testing.T) {
	cassettes, err := readCassettesUnder(publishedDir)
	if err != nil || len(cassettes) < 10 {
		t.Fatalf("%d published cassettes: %v", len(cassettes), err)
	}
	for _, c := range cassettes {
		name, _ := filepath.Rel(publishedDir, c.path)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			report, err := defaultValidator.Check(c.path)
			if err != nil || report.Judged != len(c.interactions) {
				t.Fatalf("cassette door: %v, %d of %d judged: %v", err, report.Judged, len(c.interactions), report.Violations())
			}
			har := filepath.Join(t.TempDir(), "published.har")
			if err := os.WriteFile(har, harOf(c.interactions), 0o644); err != nil {
				t.Fatal(err)
			}
			report, err = defaultValidator.Check(har)
			if err != nil || report.Judged != len(c.interactions) {
				t.Fatalf("HAR door: %v, %d of %d judged: %v", err, report.Judged, len(c.interactions), report.Violations())
			}
			recorded := t.TempDir()
			verdicts := throughProxy(t, c.interactions, recorded)
			if len(verdicts) != len(c.interactions) {
				t.Fatalf("proxy door: %d verdicts for %d interactions", len(verdicts), len(c.interactions))
			}
			for i, v := range verdicts {
				if v.Ignored != "" || v.Status != c.interactions[i].Response.Code {
					t.Errorf("proxy door, interaction %d: ignored %q, status %d", i, v.Ignored, v.Status)
				}
				for _, f := range v.Findings {
					if f.Severity == contract.Violation {
						t.Errorf("proxy door, interaction %d: %s", i, f)
					}
				}
			}
			// What the proxy recorded passes the gate too, challenges kept as sent.
			report, err = defaultValidator.Check(recorded)
			if err != nil || report.Judged != len(c.interactions) {
				t.Fatalf("the proxy's recording: %v, %d of %d judged: %v", err, report.Judged, len(c.interactions), report.Violations())
			}
			for _, in := range c.interactions {
				if ch := in.Response.Headers.Get("WWW-Authenticate"); ch != "" && !recordingHolds(t, recorded, ch) {
					t.Errorf("the proxy's recording lost the challenge %q", ch)
				}
			}
		})
	}
}

// The negative control of every door: the MFA page's exchange with a JWT placed in its
// challenge (as the whole value, then in a parameter) is reported by the cassette and HAR
// doors, without the value; the proxy, which passes live traffic on as it is, records it with
// the token masked and the challenge's error kept, and that recording passes.
func TestPublishedChallengeWithATokenFailsEveryDoor(t *testing.T) {
	cs, err := readCassettesUnder(filepath.Join(publishedDir, "partner-center-mfa-page"))
	if err != nil || len(cs) != 1 {
		t.Fatalf("the MFA page's cassette: %v", err)
	}
	for _, challenge := range []string{"Bearer " + jwt, `Bearer error="invalid_token", error_description="` + jwt + `"`, `Bearer error="insufficient_claims", claims="` + jwt + `"`} {
		in := *cs[0].interactions[0]
		in.Response.Headers = in.Response.Headers.Clone()
		in.Response.Headers.Set("WWW-Authenticate", challenge)
		ins := []*cassette.Interaction{&in}
		dir := t.TempDir()
		har := filepath.Join(dir, "planted.har")
		os.WriteFile(har, harOf(ins), 0o644)
		original, err := os.ReadFile(cs[0].path)
		if err != nil {
			t.Fatal(err)
		}
		yaml := filepath.Join(dir, "planted")
		quoted, _ := json.Marshal(challenge)
		os.WriteFile(yaml+".yaml", []byte(strings.Replace(string(original), `Www-Authenticate: ["Bearer error=\"invalid_token\""]`, "Www-Authenticate: ["+string(quoted)+"]", 1)), 0o644)
		for _, door := range []string{yaml + ".yaml", har} {
			report, err := defaultValidator.Check(door)
			secrets := 0
			for _, f := range report.Violations() {
				if strings.Contains(f.String(), "c2lnbmF0dXJl") {
					t.Errorf("a finding prints the token: %s", f)
				}
				if f.Pointer == "/response/header/Www-Authenticate" && strings.Contains(f.Reason, "holds a") {
					secrets++
				}
			}
			if err == nil || secrets != 1 {
				t.Errorf("%s, %q: %d findings of the token: %v", filepath.Base(door), challenge, secrets, report.Violations())
			}
		}
		recorded := t.TempDir()
		throughProxy(t, ins, recorded)
		if report, err := defaultValidator.Check(recorded); err != nil || recordingHolds(t, recorded, "c2lnbmF0dXJl") || !recordingHolds(t, recorded, "Bearer ") {
			t.Errorf("the proxy's recording of %q: %v, %v", challenge, err, report.Violations())
		}
	}
}

// recordingHolds reports whether a cassette the proxy recorded in dir holds s.
func recordingHolds(t *testing.T, dir, s string) bool {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), s) || strings.Contains(string(data), strings.ReplaceAll(s, `"`, `\"`)) {
			return true
		}
	}
	return false
}

// harOf writes the interactions as a HAR 1.2 document, as a browser would export them.
func harOf(ins []*cassette.Interaction) []byte {
	type nv struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	headers := func(h http.Header) []nv {
		out := []nv{}
		for k, vs := range h {
			for _, v := range vs {
				out = append(out, nv{k, v})
			}
		}
		return out
	}
	var entries []any
	for _, in := range ins {
		req := map[string]any{"method": in.Request.Method, "url": in.Request.URL, "httpVersion": "HTTP/1.1", "headers": headers(in.Request.Headers), "cookies": []nv{}}
		if in.Request.Body != "" {
			req["postData"] = map[string]any{"mimeType": in.Request.Headers.Get("Content-Type"), "text": in.Request.Body}
		}
		_, text, _ := strings.Cut(in.Response.Status, " ")
		entries = append(entries, map[string]any{"request": req, "response": map[string]any{
			"status": in.Response.Code, "statusText": text, "httpVersion": "HTTP/1.1", "headers": headers(in.Response.Headers), "cookies": []nv{},
			"content": map[string]any{"size": len(in.Response.Body), "mimeType": in.Response.Headers.Get("Content-Type"), "text": in.Response.Body},
		}})
	}
	data, err := json.Marshal(map[string]any{"log": map[string]any{"version": "1.2", "creator": map[string]string{"name": "harOf", "version": "1"}, "entries": entries}})
	if err != nil {
		panic(err)
	}
	return data
}

// throughProxy sends each interaction's request through a contract proxy whose upstream, on
// loopback, answers it with the recorded response (reason phrase included), and returns the
// proxy's verdicts in order.
func throughProxy(t *testing.T, ins []*cassette.Interaction, recordDir string) []contract.ProxyVerdict {
	t.Helper()
	var mu sync.Mutex
	next := 0
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		mu.Lock()
		in := ins[next]
		next++
		mu.Unlock()
		writeRecorded(w, in)
	}))
	defer upstream.Close()
	target, _ := url.Parse(upstream.URL)
	var verdicts []contract.ProxyVerdict
	p, err := contract.NewProxy(contract.ProxyOptions{Target: target, RecordDir: recordDir, OnExchange: func(v contract.ProxyVerdict) { verdicts = append(verdicts, v) }})
	if err != nil {
		t.Fatal(err)
	}
	front := httptest.NewServer(p)
	defer front.Close()
	for _, in := range ins {
		u, _ := url.Parse(in.Request.URL)
		req, _ := http.NewRequest(in.Request.Method, front.URL+u.RequestURI(), strings.NewReader(in.Request.Body))
		req.Header = in.Request.Headers.Clone()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	return verdicts
}

// writeRecorded answers with the recorded response, on the raw connection so that a reason
// phrase net/http would replace ("Unauthorized - MFA required") is sent as recorded.
func writeRecorded(w http.ResponseWriter, in *cassette.Interaction) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err)
	}
	defer conn.Close()
	_, text, _ := strings.Cut(in.Response.Status, " ")
	h := in.Response.Headers.Clone()
	h.Del("Transfer-Encoding")
	h.Set("Content-Length", strconv.Itoa(len(in.Response.Body)))
	h.Set("Connection", "close")
	fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\n", in.Response.Code, text)
	h.Write(buf)
	buf.WriteString("\r\n" + in.Response.Body)
	buf.Flush()
}
