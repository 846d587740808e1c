package sandbox_test

import (
	"context"
	"fmt"
	"log"

	"github.com/partnercenter-go/partnercenter"
	"github.com/partnercenter-go/partnercenter/sandbox"
)

// A sandbox and a client of it, over HTTPS, authenticated by azidentity at the sandbox's token
// endpoint. In a test, sandbox.Start(t, sandbox.Options{}) does the first three lines.
func ExampleNew() {
	sb, err := sandbox.New(sandbox.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer sb.Close()
	cred, err := sb.Credential()
	if err != nil {
		log.Fatal(err)
	}
	client, err := partnercenter.NewClient(cred, sb.ClientOptions())
	if err != nil {
		log.Fatal(err)
	}
	res, err := client.ActivateSubscription(context.Background(), "42b5f772-5c5c-4bce-b9d7-bdadeecca411", "aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e", nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Status, sb.State.Activations(res.SubscriptionID))
	// Output: Success 1
}
