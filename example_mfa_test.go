package partnercenter_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/partnercenter-go/partnercenter"
	"github.com/partnercenter-go/partnercenter/sandbox"
)

// An App+User call refused for want of multi-factor authentication is ErrMFARequired, in
// each of the forms Partner Center has answered it: here the local sandbox's --require-mfa
// with a refresh token whose sign-in was not MFA-verified. The client does not retry it: sign
// in again with MFA and store that sign-in's refresh token.
func ExampleErrMFARequired() {
	sb, err := sandbox.New(sandbox.Options{RequireMFA: true})
	if err != nil {
		log.Fatal(err)
	}
	defer sb.Close()
	cred, err := sb.RefreshTokenCredential(sb.TenantID(), "sandbox-app", "sandbox-refresh-token-without-mfa", nil)
	if err != nil {
		log.Fatal(err)
	}
	client, err := partnercenter.NewClient(cred, sb.ClientOptions())
	if err != nil {
		log.Fatal(err)
	}
	_, err = client.GetOrderActivationLinks(context.Background(), "42b5f772-5c5c-4bce-b9d7-bdadeecca411", "Ia80ZLkXp6eWOqpp35pBQJLhqv9IiGVZ1", nil)
	var pcErr *partnercenter.Error
	if errors.Is(err, partnercenter.ErrMFARequired) && errors.As(err, &pcErr) {
		fmt.Println("MFA required:", pcErr.StatusCode, pcErr.Code)
	}
	// Output: MFA required: 401 900421
}

// Pages are followed with NextActivationLinks until it reports no next page; a next link
// written with or without /v1 is followed the same way.
func ExampleClient_NextActivationLinks() {
	srv := exampleServer()
	defer srv.Close()
	client, _ := partnercenter.NewClient(staticToken{}, &partnercenter.ClientOptions{Endpoint: srv.URL})
	ctx := context.Background()
	page, err := client.GetOrderActivationLinks(ctx, "8c5b65fd-c725-4f50-8d9c-97ec9169fdd0", "Ia80ZLkXp6eWOqpp35pBQJLhqv9IiGVZ1", nil)
	if err != nil {
		log.Fatal(err)
	}
	collection := page.ActivationLinkCollection
	for {
		for _, item := range collection.Items {
			fmt.Println(item.LineItemNumber, item.Link.URI)
		}
		next, ok, err := client.NextActivationLinks(ctx, collection, nil)
		if err != nil {
			log.Fatal(err)
		}
		if !ok {
			break
		}
		collection = next.ActivationLinkCollection
	}
	// Output: 0 https://publisher.example/activate?token=abc
}
