package contract_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/recorder"

	"github.com/partnercenter-go/partnercenter"
	"github.com/partnercenter-go/partnercenter/contract"
)

var _ = Describe("NewRecorder", func() {
	// The recorder goes into ClientOptions.Transport as it is: the client's call is recorded,
	// and the cassette replays it without the server.
	It("plugs into ClientOptions.Transport as it is, records and replays", func() {
		const customer, subscription = "42b5f772-5c5c-4bce-b9d7-bdadeecca411", "aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e"
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"subscriptionId":"`+subscription+`","status":"Success"}`)
		}))
		name := filepath.Join(GinkgoT().TempDir(), "client")

		activate := func(mode recorder.Mode) (string, error) {
			rec, err := contract.NewRecorder(name, mode, http.DefaultTransport)
			Expect(err).NotTo(HaveOccurred())
			client, err := partnercenter.NewClient(nil, &partnercenter.ClientOptions{Endpoint: srv.URL, Transport: rec})
			Expect(err).NotTo(HaveOccurred())
			res, err := client.ActivateSubscription(context.Background(), customer, subscription, nil)
			Expect(rec.Stop()).To(Succeed())
			if err != nil {
				return "", err
			}
			return res.SubscriptionID + " " + res.Status, nil
		}

		Expect(activate(recorder.ModeRecordOnly)).To(Equal(subscription + " Success"))
		cassette, err := os.ReadFile(name + ".yaml")
		Expect(err).NotTo(HaveOccurred())
		Expect(string(cassette)).To(ContainSubstring("/subscriptions/" + subscription + "/activate"))

		srv.Close() // replay needs no server
		Expect(activate(recorder.ModeReplayOnly)).To(Equal(subscription + " Success"))
	})
})
