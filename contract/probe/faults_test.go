package probe_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/dnaeon/go-vcr.v4/pkg/recorder"

	"github.com/partnercenter-go/partnercenter/contract"
	"github.com/partnercenter-go/partnercenter/contract/probe"
	"github.com/partnercenter-go/partnercenter/generated/spec"
	"github.com/partnercenter-go/partnercenter/sandbox"
)

// A fault is a wrong service: the sandbox behind a proxy that breaks one promise.
type fault struct {
	check    probe.Check
	ids      map[string]string // default sandboxIDs, read-only
	writes   bool
	request  func(r *http.Request, token string)
	response func(resp *http.Response)
	// strictSpec makes MS-RequestId a required response header (no answer of the real spec
	// can break a header: they are all optional strings).
	strictSpec bool
	// replayed tells whether the reproducer's output shows the fault again.
	replayed func(out string) bool
}

func setBody(resp *http.Response, status int, body string) {
	resp.Body.Close()
	resp.StatusCode = status
	resp.Status = strconv.Itoa(status) + " " + http.StatusText(status)
	resp.Body = io.NopCloser(strings.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
	resp.Header.Set("Content-Type", "application/json; charset=utf-8")
}

func readBody(resp *http.Response) string {
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return string(b)
}

// The seed's second integration sandbox customer: one subscription per writing fault.
func customerB(subscription string) map[string]string {
	return map[string]string{"customerId": "42b5f772-5c5c-4bce-b9d7-bdadeecca411", "orderId": "Ia80ZLkXp6eWOqpp35pBQJLhqv9IiGVZ1",
		"lineItemNumber": "1", "subscriptionId": subscription}
}

var faults = []fault{
	{check: probe.NotAServerError,
		response: func(resp *http.Response) {
			if resp.Request.Header.Get("Accept") == "text/html" {
				setBody(resp, 500, `{"code":800003,"description":"Unexpected service error"}`)
			}
		},
		replayed: func(out string) bool { return strings.HasPrefix(out, "HTTP/1.1 500") }},
	{check: probe.StatusCodeConformance,
		response: func(resp *http.Response) {
			if resp.StatusCode == 200 {
				resp.StatusCode, resp.Status = 203, "203 Non-Authoritative Information"
			}
		},
		replayed: func(out string) bool { return strings.HasPrefix(out, "HTTP/1.1 203") }},
	{check: probe.ContentTypeConformance,
		response: func(resp *http.Response) {
			if resp.StatusCode == 200 {
				resp.Header.Set("Content-Type", "text/plain")
			}
		},
		replayed: func(out string) bool { return strings.Contains(out, "Content-Type: text/plain") }},
	{check: probe.ResponseSchemaConformance,
		response: func(resp *http.Response) {
			if resp.StatusCode == 200 {
				setBody(resp, 200, `{"totalCount":"one","items":[]}`)
			}
		},
		replayed: func(out string) bool { return strings.Contains(out, `"totalCount":"one"`) }},
	{check: probe.ResponseHeadersConformance, strictSpec: true,
		response: func(resp *http.Response) { resp.Header.Del("MS-RequestId") },
		replayed: func(out string) bool { return !strings.Contains(strings.ToLower(out), "ms-requestid:") }},
	{check: probe.NegativeDataRejection,
		response: func(resp *http.Response) {
			if strings.Contains(resp.Request.URL.Path, "not-a-guid") {
				setBody(resp, 200, `{"totalCount":0,"items":[]}`)
			}
		},
		replayed: func(out string) bool { return strings.HasPrefix(out, "HTTP/1.1 200") }},
	{check: probe.PositiveDataAcceptance,
		response: func(resp *http.Response) {
			if resp.Request.Header.Get("MS-CV") != "" {
				setBody(resp, 404, `{"code":20000,"description":"Order ID not found"}`)
			}
		},
		replayed: func(out string) bool { return strings.HasPrefix(out, "HTTP/1.1 404") }},
	{check: probe.IgnoredAuth,
		request: func(r *http.Request, token string) {
			if r.Header.Get("Authorization") == "" {
				r.Header.Set("Authorization", "Bearer "+token)
			}
		},
		replayed: func(out string) bool { return strings.HasPrefix(out, "HTTP/1.1 200") }},
	{check: probe.IdempotentReplay, writes: true, ids: customerB("aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e"),
		request: func(r *http.Request, _ string) {
			if r.Method == http.MethodPost {
				r.Header.Del("MS-RequestId") // every attempt is a new request: acted on twice
			}
		},
		replayed: func(out string) bool { return strings.Contains(out, "800041") }},
	{check: probe.ActivationStateTransition, writes: true, ids: customerB("87363db7-39ab-dd25-d371-94340aaa2f97"),
		response: func(resp *http.Response) {
			if resp.StatusCode == 400 && strings.Contains(readBody(resp), "800041") {
				setBody(resp, 200, `{"subscriptionId":"87363db7-39ab-dd25-d371-94340aaa2f97","status":"Success"}`)
			}
		},
		replayed: func(out string) bool { return strings.HasPrefix(out, "HTTP/1.1 200") }},
}

// Each check fires against a service that breaks its promise, one by one, with a reproducer
// that, pasted into bash, gets the wrong answer again.
func TestEachCheckCanFail(t *testing.T) {
	sb, v := setup(t)
	if _, err := exec.LookPath("curl"); err != nil {
		t.Fatal("curl is needed to replay the reproducers (apt-get install curl)")
	}
	covered := map[probe.Check]bool{}
	for _, f := range faults {
		covered[f.check] = true
		t.Run(string(f.check), func(t *testing.T) {
			sb := sb
			if f.writes { // a pending subscription, whatever ran before (go test -count=2)
				sb = sandbox.Start(t, sandbox.Options{})
			}
			target, _ := url.Parse(sb.URL)
			token, err := sandboxToken(sb)(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			proxy := &httputil.ReverseProxy{
				Rewrite: func(pr *httputil.ProxyRequest) {
					pr.SetURL(target)
					if f.request != nil {
						f.request(pr.Out, token)
					}
				},
				Transport: sb.HTTPClient().Transport,
				ModifyResponse: func(resp *http.Response) error {
					if f.response != nil {
						f.response(resp)
					}
					return nil
				},
			}
			srv := httptest.NewServer(proxy)
			defer srv.Close()
			validator := v
			if f.strictSpec {
				validator = strictValidator(t)
			}
			ids := f.ids
			if ids == nil {
				ids = sandboxIDs
			}
			plan, err := probe.Generate(validator, probe.Config{IDs: ids, Seed: 3})
			if err != nil {
				t.Fatal(err)
			}
			res, err := probe.Run(context.Background(), validator, plan, probe.Options{Endpoint: srv.URL, Token: sandboxToken(sb), AllowWrites: f.writes})
			if err != nil {
				t.Fatal(err)
			}
			var fired *probe.Finding
			for i := range res.Findings {
				if res.Findings[i].Check == f.check {
					fired = &res.Findings[i]
					break
				}
			}
			if fired == nil {
				var out strings.Builder
				probe.WriteText(&out, res)
				t.Fatalf("%s did not fire:\n%s", f.check, out.String())
			}
			if !strings.HasPrefix(fired.Curl, "curl ") || strings.Contains(fired.Curl, token) {
				t.Fatalf("reproducer %q", fired.Curl)
			}
			cmd := exec.Command("bash", "-c", fired.Curl)
			cmd.Env = append(os.Environ(), "PARTNER_CENTER_TOKEN="+token)
			out, err := cmd.CombinedOutput()
			if err != nil || !f.replayed(string(out)) {
				t.Fatalf("the reproducer did not replay the fault: %v\n%s\n%s", err, fired.Curl, out)
			}
		})
	}
	for _, c := range probe.Checks {
		if !covered[c] {
			t.Errorf("no fault proves %s can fail", c)
		}
	}
}

// strictValidator judges against the spec with MS-RequestId a required response header.
func strictValidator(t *testing.T) *contract.Validator {
	doc, err := spec.GetSpec()
	if err != nil {
		t.Fatal(err)
	}
	doc.Components.Headers["MSRequestID"].Value.Required = true
	v, err := contract.New(doc, contract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// The conformance checks are the gate's verdict: the exchanges the probe recorded, judged by
// `contract validate`'s engine, fail on the same interactions, for the same reasons.
func TestConformanceEqualsTheGate(t *testing.T) {
	sb, v := setup(t)
	target, _ := url.Parse(sb.URL)
	proxy := &httputil.ReverseProxy{
		Rewrite:   func(pr *httputil.ProxyRequest) { pr.SetURL(target) },
		Transport: sb.HTTPClient().Transport,
		ModifyResponse: func(resp *http.Response) error {
			if resp.StatusCode == 200 && resp.Request.Header.Get("MS-CorrelationId") != "" {
				setBody(resp, 200, `{"totalCount":"one","items":[]}`)
			}
			if resp.StatusCode == 401 {
				resp.Header.Set("Content-Type", "text/csv")
			}
			return nil
		},
	}
	srv := httptest.NewServer(proxy)
	defer srv.Close()
	dir := t.TempDir()
	rec, err := contract.NewRecorder(dir+"/probe", recorder.ModeRecordOnly, http.DefaultTransport)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := probe.Generate(v, probe.Config{IDs: sandboxIDs, Seed: 8})
	if err != nil {
		t.Fatal(err)
	}
	res, err := probe.Run(context.Background(), v, plan, probe.Options{Endpoint: srv.URL, Token: sandboxToken(sb), Record: rec})
	if err != nil {
		t.Fatal(err)
	}
	if err := rec.Stop(); err != nil {
		t.Fatal(err)
	}
	probeSaw := map[string]int{}
	for _, f := range res.Findings {
		switch f.Check {
		case probe.ResponseSchemaConformance, probe.ContentTypeConformance, probe.StatusCodeConformance, probe.ResponseHeadersConformance:
			probeSaw[string(f.Check)]++
		}
	}
	report, err := v.Check(dir)
	if !errors.Is(err, contract.ErrViolations) {
		t.Fatalf("the gate over the probe's cassette: %v", err)
	}
	gateSaw := map[string]int{}
	seen := map[string]bool{}
	for _, f := range report.Violations() {
		check := "content_type_conformance"
		if strings.HasPrefix(f.Pointer, "/response/body") {
			check = "response_schema_conformance"
		}
		if key := check + "/" + strconv.Itoa(f.Interaction); !seen[key] {
			seen[key] = true
			gateSaw[check]++
		}
	}
	if probeSaw["response_schema_conformance"] != 3 || probeSaw["content_type_conformance"] != 8 || len(probeSaw) != 2 {
		t.Fatalf("the probe saw %v; want 3 schema findings (a MS-CorrelationId case per read operation) and 8 content-type ones (the auth cases)", probeSaw)
	}
	for check, n := range probeSaw {
		if gateSaw[check] != n {
			t.Errorf("%s: the probe found %d, the gate over its cassette %d", check, n, gateSaw[check])
		}
	}
}
