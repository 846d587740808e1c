package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// jwtIn finds the parts of a JWT: none may reach a report.
var jwtIn = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{8,}`)

// contract validate --report html=FILE --report junit=FILE writes both when the gate fails
// (exit 1): the HTML page with the verdict, the grid and the findings, and no credential of
// the HAR captures it judged (the control: the captures hold JWTs).
func TestContractValidateHTMLReport(t *testing.T) {
	t.Parallel()
	src := "../../contract/testdata/har-negative"
	raw, _ := os.ReadFile(filepath.Join(src, "secrets.har"))
	if !jwtIn.Match(raw) {
		t.Fatal("control: secrets.har holds no JWT")
	}
	dir := t.TempDir()
	page, junit := filepath.Join(dir, "gate.html"), filepath.Join(dir, "gate.xml")
	r := runCLI(t, []string{"PATH=" + os.Getenv("PATH")}, "contract", "validate", src, "--report", "html="+page, "--report", "junit="+junit)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1: %+v", r.code, r)
	}
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<title>contract validate: FAIL</title>", `id="grid-status"`, "/response/body/status", "value must be a string", "version 1.0.0", "--report html="} {
		if !strings.Contains(string(html), want) {
			t.Errorf("the report does not hold %q", want)
		}
	}
	if m := jwtIn.Find(html); m != nil {
		t.Errorf("the report holds a JWT: %s", m)
	}
	if xml, err := os.ReadFile(junit); err != nil || !strings.Contains(string(xml), "<testsuites") {
		t.Errorf("the JUnit report beside it: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// anyFailure is a want of any non-zero exit status: what is checked is that nothing is written.
const anyFailure = -1

// A bad --report is a usage error (exit 2) naming the flag and the kinds it accepts, on the
// command and the proxy alike; a run that does not finish writes no report, and nothing is
// left beside it.
func TestContractReportErrors(t *testing.T) {
	t.Parallel()
	e := []string{"PATH=" + os.Getenv("PATH")}
	dir := t.TempDir()
	out := filepath.Join(dir, "r.html")
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"contract", "validate", "../../contract/testdata/cassettes", "--report", "pdf=" + out}, 2, `--report "pdf=` + out + `": unknown report kind "pdf": want junit=FILE or html=FILE`},
		{[]string{"contract", "validate", "../../contract/testdata/cassettes", "--report", "html="}, 2, `--report "html=": no FILE`},
		{[]string{"contract", "proxy", "--target", "https://example.com", "--report", "junit=" + out}, 2, "contract proxy writes html=FILE reports only"},
		{[]string{"contract", "proxy", "--target", "https://example.com", "--report", "xml=" + out}, 2, `unknown report kind "xml"`},
		{[]string{"contract", "validate", filepath.Join(dir, "missing"), "--report", "html=" + out}, anyFailure, "missing"},
		{[]string{"contract", "validate", "../../contract/testdata/cassettes", "--report", "html=" + filepath.Join(dir, "no", "such", "r.html")}, 2, "/no/such\" does not exist"},
		{[]string{"contract", "proxy", "--target", "https://example.com", "--report", "html=" + filepath.Join(dir, "no", "r.html")}, 2, "/no\" does not exist"},
	} {
		r := runCLI(t, e, c.args...)
		if (r.code != c.code && (c.code != anyFailure || r.code == 0)) || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", c.args, r.code, r.stderr, c.code, c.want)
		}
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("written on error: %v", left)
	}
}

// contract proxy --report html=FILE writes the page at Ctrl-C: the violating exchange with
// its Authorization masked, the token never.
func TestProxyHTMLReport(t *testing.T) {
	t.Parallel()
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"subscriptionId":"`+subA+`","status":1}`)
	}))
	defer target.Close()
	page := filepath.Join(t.TempDir(), "proxy.html")
	proxy := startProxy(t, []string{"PATH=" + os.Getenv("PATH")}, "--target", target.URL, "--report", "html="+page)
	const token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwcm94eS11c2VyIn0.c2lnbmF0dXJlLXByb3h5"
	req, _ := http.NewRequest("POST", proxy.URL+"/v1/customers/"+customer+"/subscriptions/"+subA+"/activate", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	proxy.waitFor(t, "violation:")
	if _, err := os.Stat(page); err == nil {
		t.Fatal("the report was written before Ctrl-C")
	}
	if code, out := proxy.interrupt(t); code != 1 {
		t.Fatalf("exit %d after a violation:\n%s", code, out)
	}
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<title>contract proxy: FAIL</title>", "/response/body/status", "Authorization: [REDACTED]", "POST " + target.URL + "/v1/customers/"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("the proxy's report does not hold %q", want)
		}
	}
	if m := jwtIn.Find(html); m != nil {
		t.Errorf("the proxy's report holds the token: %s", m)
	}
}
