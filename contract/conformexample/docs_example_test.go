package conformexample

// docs/go-tests.md shows the first Describe as it is here (internal/docstest keeps the two
// equal); the second is why it uses sb.HTTPClient: the sandbox serves HTTPS with a certificate
// of its own, which http.Get refuses.

import (
	"crypto/x509"
	"errors"
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/partnercenter-go/partnercenter/contract"
	"github.com/partnercenter-go/partnercenter/sandbox"
)

var _ = Describe("the sandbox over HTTPS", func() {
	It("answers a request without a token as documented", func() {
		sb := sandbox.Start(GinkgoT(), sandbox.Options{})
		resp, err := sb.HTTPClient().Get(sb.URL + "/v1/customers/42b5f772-5c5c-4bce-b9d7-bdadeecca411/orders/Ia80ZLkXp6eWOqpp35pBQJLhqv9IiGVZ1/activationlinks")
		Expect(err).NotTo(HaveOccurred())
		defer resp.Body.Close()
		Expect(resp).To(contract.Conform())
	})
})

var _ = Describe("the sandbox over HTTPS, through http.Get", func() {
	It("is refused: its certificate is signed by its own CA", func() {
		sb := sandbox.Start(GinkgoT(), sandbox.Options{})
		_, err := http.Get(sb.URL + "/v1/customers/" + customer + "/orders/" + order + "/activationlinks")
		var unknown x509.UnknownAuthorityError
		Expect(errors.As(err, &unknown)).To(BeTrue(), "http.Get: %v", err)
	})
})
