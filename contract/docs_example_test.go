package contract_test

// docs/go-tests.md shows TestActivation as it is here (internal/docstest keeps the two equal).

import (
	"net/http"
	"testing"

	"github.com/partnercenter-go/partnercenter"
	"github.com/partnercenter-go/partnercenter/contract"
	"github.com/partnercenter-go/partnercenter/sandbox"
)

func TestActivation(t *testing.T) {
	sb := sandbox.Start(t, sandbox.Options{})
	opts := sb.ClientOptions() // or &partnercenter.ClientOptions{} for the real service
	opts.Transport = &http.Client{Transport: contract.NewCheckingTransport(t, sb.HTTPClient().Transport)}
	cred, err := sb.Credential()
	if err != nil {
		t.Fatal(err)
	}
	client, err := partnercenter.NewClient(cred, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.ActivateSubscription(t.Context(), "42b5f772-5c5c-4bce-b9d7-bdadeecca411", "aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e", nil); err != nil {
		t.Fatal(err)
	}
}
