package main

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/partnercenter-go/partnercenter/sandbox"
)

// contract probe --report html=FILE against the bad server: the page groups the findings by
// operation and check, each with its curl reproducer and the server's answer escaped (its
// HTML error page shows as text), and holds no token; the JUnit report beside it is written
// by the same --report.
func TestProbeHTMLReport(t *testing.T) {
	sb := sandbox.Start(t, sandbox.Options{}) // the token authority only
	bad := &badServer{tokens: map[string]bool{}}
	srv := httptest.NewServer(bad)
	defer srv.Close()
	dir := t.TempDir()
	page, junit := filepath.Join(dir, "probe.html"), filepath.Join(dir, "probe.xml")
	e := append(probeEnv(t, sb, subA), "PARTNER_CENTER_ENDPOINT="+srv.URL)
	r := runCLI(t, e, "contract", "probe", "--rate", "0", "--seed", "42", "--report", "html="+page, "--report", "junit="+junit)
	if r.code != 1 {
		t.Fatalf("want exit 1, got %+v", r)
	}
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<title>contract probe: FAIL</title>", `<code class="rule">not_a_server_error</code>`,
		`<code class="rule">ignored_auth</code>`, `<pre class="curl">curl `, "&lt;html&gt;&lt;body&gt;Server Error", `id="grid-status"`} {
		if !strings.Contains(string(html), want) {
			t.Errorf("the probe's report does not hold %q", want)
		}
	}
	if strings.Contains(string(html), "<html><body>Server Error") {
		t.Error("the server's HTML is in the page unescaped")
	}
	bad.mu.Lock()
	for tok := range bad.tokens {
		if !strings.HasPrefix(tok, "probe-not-a-token-") && strings.Contains(string(html), tok) {
			t.Error("the token sent is in the report")
		}
	}
	bad.mu.Unlock()
	if _, err := os.Stat(junit); err != nil {
		t.Errorf("the JUnit report: %v", err)
	}
}
