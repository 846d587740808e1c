package sandbox_test

// docs/sandbox.md shows the body of TestSandboxInYourTests from its first line to the comment
// (internal/docstest keeps the two equal).

import (
	"testing"

	"github.com/partnercenter-go/partnercenter"
	"github.com/partnercenter-go/partnercenter/sandbox"
)

func TestSandboxInYourTests(t *testing.T) {
	sb := sandbox.Start(t, sandbox.Options{Faults: sandbox.Faults{Error503Rate: 0.2, Seed: 1}})
	client, err := partnercenter.NewClient(sb.MustCredential(t), sb.ClientOptions())
	if err != nil {
		t.Fatal(err)
	}
	// ... then assert on sb.State.Activations(subscriptionID) and sb.Stats()
	const subscriptionID = "aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e"
	if _, err := client.ActivateSubscription(t.Context(), "42b5f772-5c5c-4bce-b9d7-bdadeecca411", subscriptionID, nil); err != nil {
		t.Fatal(err)
	}
	if n := sb.State.Activations(subscriptionID); n != 1 {
		t.Fatalf("activations: %d, want 1", n)
	}
}
