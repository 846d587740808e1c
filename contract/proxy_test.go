package contract_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/partnercenter-go/partnercenter/contract"
)

// The proxy's recording: a new cassette every 200 exchanges, each a loadable go-vcr v4
// cassette, and no credential in any of them, whether in a header the client sent or in a body
// the target echoed (the negative case: the target echoes the bearer token).
func TestProxyRecording(t *testing.T) {
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token", token="`+jwt+`"`)
		io.WriteString(w, `{"subscriptionId":"`+sbSubA+`","status":"Success","echo":"`+r.Header.Get("Authorization")+`"}`)
	}))
	defer target.Close()
	u, _ := url.Parse(target.URL)
	dir := t.TempDir()
	var verdicts []contract.ProxyVerdict
	p, err := contract.NewProxy(contract.ProxyOptions{Target: u, RecordDir: dir, OnExchange: func(v contract.ProxyVerdict) { verdicts = append(verdicts, v) }})
	if err != nil {
		t.Fatal(err)
	}
	front := httptest.NewServer(p)
	defer front.Close()
	for i := 0; i < 201; i++ {
		req, _ := http.NewRequest("POST", front.URL+"/v1/customers/"+sbCustomer+"/subscriptions/"+sbSubA+"/activate", nil)
		req.Header.Set("Authorization", "Bearer "+jwt)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if i == 0 && !strings.Contains(string(body), jwt) {
			t.Fatalf("the answer was changed on its way to the client: %s", body)
		}
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if len(files) != 2 {
		t.Fatalf("want two cassettes (200 + 1), got %v", files)
	}
	// The recording as the gate reads it: two files, 201 interactions, no secret (the engine's
	// secret scan), the drift only.
	v, err := contract.NewDefault(contract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	report, err := v.Check(dir)
	if err != nil || report.Files != 2 || report.Interactions != 201 {
		t.Fatalf("the recording: %v, %+v", err, report)
	}
	if v := verdicts[200]; v.Cassette != files[1] || v.Interaction != 0 {
		t.Errorf("exchange 200 is labelled %s %d, want %s 0", v.Cassette, v.Interaction, files[1])
	}
	for _, f := range files {
		data, _ := os.ReadFile(f)
		if strings.Contains(string(data), "eyJ") {
			t.Fatalf("%s holds the token", f)
		}
	}
	if p.Violations() != 0 {
		t.Errorf("drift only, yet %d violations", p.Violations())
	}
}

func TestNewProxyRefusesABadTarget(t *testing.T) {
	for _, raw := range []string{"", "ftp://h", "/relative", "https://"} {
		u, _ := url.Parse(raw)
		if _, err := contract.NewProxy(contract.ProxyOptions{Target: u}); err == nil {
			t.Errorf("%q accepted", raw)
		}
	}
}

// A target that declares an answer larger than the proxy holds gets a 502, not an unbounded
// buffer; one that streams such an answer without declaring its length has it passed on
// whole (the client is answered first), and the proxy says it did not judge it.
func TestProxyRefusesAnOversizedAnswer(t *testing.T) {
	const size = 40 << 20
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("declared") == "1" {
			w.Header().Set("Content-Length", strconv.Itoa(size))
		}
		chunk := strings.Repeat(" ", 1<<20)
		for i := 0; i < size>>20; i++ {
			io.WriteString(w, chunk)
		}
	}))
	defer target.Close()
	u, _ := url.Parse(target.URL)
	var errs []error
	p, err := contract.NewProxy(contract.ProxyOptions{Target: u, OnError: func(err error) { errs = append(errs, err) }})
	if err != nil {
		t.Fatal(err)
	}
	front := httptest.NewServer(p)
	defer front.Close()
	links := front.URL + "/v1/customers/" + sbCustomer + "/orders/" + sbOrder + "/activationlinks"
	resp, err := http.Get(links + "?declared=1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadGateway || len(errs) != 1 || !strings.Contains(errs[0].Error(), "larger than 32 MiB: not passed on") {
		t.Fatalf("declared: status %d, errors %v", resp.StatusCode, errs)
	}
	resp, err = http.Get(links)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || n != size || len(errs) != 2 || !strings.Contains(errs[1].Error(), "larger than 32 MiB: passed on, not judged") {
		t.Fatalf("streamed: status %d, %d bytes, errors %v", resp.StatusCode, n, errs)
	}
	if s := p.Summary(); !strings.Contains(s, "0 exchanges judged") || !strings.Contains(s, "1 passed on unjudged") {
		t.Errorf("the summary hides the unjudged answer: %s", s)
	}
}

// The client is answered before its exchange is judged: with the engine held (its
// OnExchange blocked), every request still gets its answer. Once released, the verdicts come
// in the order the exchanges were answered, and Violations, asked before Close, counts every
// violation the queue held (the negative case: odd exchanges answer with a wrong status type).
func TestProxyAnswersFirstAndJudgesInOrder(t *testing.T) {
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		status := `"Success"`
		if r.URL.Query().Get("n")[0]%2 == 1 { // '1', '3', ...: odd
			status = `42`
		}
		io.WriteString(w, `{"subscriptionId":"`+sbSubA+`","status":`+status+`}`)
	}))
	defer target.Close()
	u, _ := url.Parse(target.URL)
	release := make(chan struct{})
	var verdicts []contract.ProxyVerdict
	p, err := contract.NewProxy(contract.ProxyOptions{Target: u, OnExchange: func(v contract.ProxyVerdict) {
		<-release
		verdicts = append(verdicts, v)
	}})
	if err != nil {
		t.Fatal(err)
	}
	front := httptest.NewServer(p)
	defer front.Close()
	const n = 8
	for i := range n {
		resp, err := http.Post(front.URL+"/v1/customers/"+sbCustomer+"/subscriptions/"+sbSubA+"/activate?n="+strconv.Itoa(i), "", nil)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	// Every client has its answer; the engine has yet to give a verdict.
	close(release)
	if got := p.Violations(); got != n/2 {
		t.Fatalf("Violations() = %d before Close, want %d: the queue was not waited for", got, n/2)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if len(verdicts) != n {
		t.Fatalf("%d verdicts for %d exchanges", len(verdicts), n)
	}
	for i, v := range verdicts {
		violating := len(v.Findings) > 0 && v.Findings[0].Severity == contract.Violation
		if v.Interaction != i || violating != (i%2 == 1) {
			t.Fatalf("verdict %d: interaction %d, violating %v: out of order", i, v.Interaction, violating)
		}
	}
}
