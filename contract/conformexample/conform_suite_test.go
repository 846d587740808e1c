// Package conformexample is a team's own Ginkgo suite using the gate's matcher: the README's
// "Ginkgo matcher" example, run by `go test ./contract/conformexample`.
package conformexample

import (
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/partnercenter-go/partnercenter/contract"
	"github.com/partnercenter-go/partnercenter/sandbox"
)

// TestConformExample runs the suite. Ginkgo refuses `go test -count=N` for N other than 1, which
// `make test` uses for the plain tests: the suite then skips, saying so (the matcher's plain
// tests, positive and negative, are TestConformMatcher in ../checking_test.go).
func TestConformExample(t *testing.T) {
	if f := flag.Lookup("test.count"); f != nil && f.Value.String() != "1" {
		t.Skip("run this Ginkgo suite with go test -count=1 ./contract/conformexample (ginkgo refuses -count=" + f.Value.String() + ")")
	}
	RegisterFailHandler(Fail)
	RunSpecs(t, "Conform example")
}

const (
	customer = "42b5f772-5c5c-4bce-b9d7-bdadeecca411"
	order    = "Ia80ZLkXp6eWOqpp35pBQJLhqv9IiGVZ1"
)

var _ = Describe("the sandbox", func() {
	It("answers a request without a token as documented", func() {
		sb := sandbox.Start(GinkgoT(), sandbox.Options{PlainHTTP: true})
		resp, err := http.Get(sb.URL + "/v1/customers/" + customer + "/orders/" + order + "/activationlinks")
		Expect(err).NotTo(HaveOccurred())
		defer resp.Body.Close()
		Expect(resp).To(contract.Conform())
		Expect(resp.StatusCode).To(Equal(http.StatusUnauthorized))
		body, _ := io.ReadAll(resp.Body) // still readable after the match
		Expect(string(body)).To(ContainSubstring(`"code"`))
	})
})

var _ = Describe("a service that answers against the spec", func() {
	It("does not conform", func() {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"totalCount":"one","items":[]}`)
		}))
		DeferCleanup(srv.Close)
		resp, err := http.Get(srv.URL + "/v1/customers/" + customer + "/orders/" + order + "/activationlinks")
		Expect(err).NotTo(HaveOccurred())
		defer resp.Body.Close()
		Expect(resp).NotTo(contract.Conform())
	})
})
