package partnercenter_test

// docs/client.md's vendoring example is this file from its import block to the end:
// internal/docstest keeps the two equal, TestDocsVendoringExampleBuildsAlone builds the page's
// copy as a program of its own, and Example_vendoring runs it against the local sandbox.

import (
	"context"
	"errors"
	"fmt"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"

	"github.com/partnercenter-go/partnercenter"
)

// activateAndListLinks activates a SaaS subscription bought from an integration sandbox
// account and prints its activation links. cred is any azcore.TokenCredential (in production
// an azidentity credential, as in Example_appOnly); opts names the cloud, or another endpoint.
func activateAndListLinks(ctx context.Context, cred azcore.TokenCredential, opts *partnercenter.ClientOptions, customerID, subscriptionID string) error {
	client, err := partnercenter.NewClient(cred, opts)
	if err != nil {
		return err
	}
	res, err := client.ActivateSubscription(ctx, customerID, subscriptionID, nil)
	var pcErr *partnercenter.Error
	switch {
	case errors.As(err, &pcErr) && pcErr.Code == partnercenter.CodeAlreadyActivated:
		fmt.Println("already active")
	case err != nil:
		return err // a *partnercenter.Error carries the call's RequestID and CorrelationID too
	default:
		// res.RequestID and res.CorrelationID are what Partner Center support asks for.
		fmt.Println(res.SubscriptionID, res.Status)
	}
	links, err := client.GetSubscriptionActivationLinks(ctx, customerID, subscriptionID, nil)
	if err != nil {
		return err
	}
	for _, item := range links.Items {
		fmt.Println(item.LineItemNumber, item.Link.Method, item.Link.URI)
	}
	return nil
}
