package probe_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/partnercenter-go/partnercenter/contract"
	"github.com/partnercenter-go/partnercenter/contract/overlayapply"
	"github.com/partnercenter-go/partnercenter/contract/probe"
	"github.com/partnercenter-go/partnercenter/contract/speclint"
)

// A service that answers a status the spec does not document (418 to the Accept case) and an
// error code none of the 401 examples has: the suggested overlay declares both, and applied to
// openapi.yaml it makes the same answers conform.
func TestSuggestedOverlayDeclaresStatusesAndCodes(t *testing.T) {
	sb, v := setup(t)
	target, _ := url.Parse(sb.URL)
	proxy := &httputil.ReverseProxy{
		Rewrite:   func(pr *httputil.ProxyRequest) { pr.SetURL(target) },
		Transport: sb.HTTPClient().Transport,
		ModifyResponse: func(resp *http.Response) error {
			switch {
			case resp.Request.Header.Get("Accept") == "text/html":
				setBody(resp, 418, `{"code":4180,"description":"I am a teapot"}`)
			case resp.StatusCode == 401:
				setBody(resp, 401, `{"code":900999,"description":"Token is not valid"}`)
			}
			return nil
		},
	}
	srv := httptest.NewServer(proxy)
	defer srv.Close()
	run := func(v *contract.Validator) (*probe.Result, *contract.OverlaySuggester) {
		plan, err := probe.Generate(v, probe.Config{IDs: sandboxIDs, Seed: 5})
		if err != nil {
			t.Fatal(err)
		}
		s := contract.NewOverlaySuggester(v)
		res, err := probe.Run(context.Background(), v, plan, probe.Options{Endpoint: srv.URL, Token: sandboxToken(sb), Observe: s.Observe})
		if err != nil {
			t.Fatal(err)
		}
		return res, s
	}
	res, s := run(v)
	if len(res.Findings) == 0 || res.Findings[0].Check != probe.StatusCodeConformance {
		t.Fatalf("the 418 is not a status_code_conformance finding: %+v", res.Findings)
	}
	var overlay bytes.Buffer
	if err := s.WriteOverlay(&overlay); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"418":`, "code4180:", "code900999:", "Unauthorized", "name a source before applying"} {
		if !strings.Contains(overlay.String(), want) {
			t.Errorf("overlay lacks %s:\n%s", want, overlay.String())
		}
	}
	spec, err := os.ReadFile("../../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	patched, err := overlayapply.Apply(spec, overlay.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	doc, err := speclint.LoadData(patched)
	if err != nil {
		t.Fatalf("the patched spec does not lint: %v", err)
	}
	pv, err := contract.New(doc, contract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, s = run(pv)
	if len(res.Findings) > 0 || s.Len() > 0 {
		var out strings.Builder
		probe.WriteText(&out, res)
		t.Fatalf("with the overlay applied, still %d findings and %d suggestions:\n%s", len(res.Findings), s.Len(), out.String())
	}
}
