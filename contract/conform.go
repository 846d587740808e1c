package contract

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/onsi/gomega/types"
)

// Conform is a Gomega matcher for *http.Response: it judges the response, with the request
// in its Request field, against openapi.yaml, and fails with the list of findings.
//
//	resp, err := httpClient.Do(req)
//	Expect(err).NotTo(HaveOccurred())
//	Expect(resp).To(contract.Conform())
//
// The response body is read and put back, so the test can still read it. The request body
// is judged when the request can give it again (GetBody, which http.NewRequest sets for
// in-memory bodies); otherwise the request is judged without its body. Drift (undeclared
// fields) does not fail the match unless WithStrict is given; it is listed in the message
// of a failure.
func Conform(opts ...CheckOption) types.GomegaMatcher {
	return &conformMatcher{opts: opts}
}

type conformMatcher struct {
	opts     []CheckOption
	findings []Finding
}

func (m *conformMatcher) Match(actual any) (bool, error) {
	resp, ok := actual.(*http.Response)
	if !ok || resp == nil {
		return false, fmt.Errorf("contract.Conform expects a non-nil *http.Response, got %T", actual)
	}
	if resp.Request == nil {
		return false, errors.New("contract.Conform: the response has no Request to judge it with (set resp.Request)")
	}
	cfg, err := newCheckConfig(m.opts)
	if err != nil {
		return false, err
	}
	reqBody, err := requestBodyAgain(resp.Request)
	if err != nil {
		return false, err
	}
	if resp.Body == nil {
		resp.Body = http.NoBody
	}
	ex, err := FromRequestResponse(resp.Request, reqBody, resp)
	if err != nil {
		return false, fmt.Errorf("contract.Conform: read the response body: %w", err)
	}
	m.findings = cfg.validator.Validate(ex, "response", 0)
	for _, f := range m.findings {
		if f.Severity == Violation || cfg.strict {
			return false, nil
		}
	}
	return true, nil
}

func (m *conformMatcher) FailureMessage(actual any) string {
	return "Expected the response to conform to openapi.yaml, but the gate found:\n" + listFindings(m.findings)
}

func (m *conformMatcher) NegatedFailureMessage(actual any) string {
	msg := "Expected the response not to conform to openapi.yaml, but it does"
	if len(m.findings) > 0 {
		msg += " (drift only):\n" + listFindings(m.findings)
	}
	return msg
}

func listFindings(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString("    ")
		b.WriteString(f.String())
		b.WriteString("\n")
	}
	return b.String()
}

// requestBodyAgain reads a sent request's body through GetBody, when it has one.
func requestBodyAgain(req *http.Request) ([]byte, error) {
	if req.GetBody == nil {
		return nil, nil
	}
	rc, err := req.GetBody()
	if err != nil {
		return nil, fmt.Errorf("contract.Conform: the request's GetBody: %w", err)
	}
	defer rc.Close()
	return io.ReadAll(rc)
}
