package partnercenter_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/partnercenter-go/partnercenter"
	"github.com/partnercenter-go/partnercenter/sandbox"
)

// README's vendoring example (example_vendoring_test.go), run twice against the local
// sandbox: the second activation finds the subscription active.
func Example_vendoring() {
	sb, err := sandbox.New(sandbox.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer sb.Close()
	cred, err := sb.Credential()
	if err != nil {
		log.Fatal(err)
	}
	for range 2 {
		if err := activateAndListLinks(context.Background(), cred, sb.ClientOptions(), "42b5f772-5c5c-4bce-b9d7-bdadeecca411", "aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e"); err != nil {
			log.Fatal(err)
		}
	}
	// Output:
	// aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e Success
	// 0 GET https://publisher.example/activate?subscription=aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e
	// already active
	// 0 GET https://publisher.example/activate?subscription=aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e
}

// App-only: any azidentity credential, pointed at the cloud's authority. (Compiled, not run:
// it would reach Entra ID.)
func Example_appOnly() {
	cloud := partnercenter.CloudGlobal
	cred, err := azidentity.NewClientSecretCredential("partner-tenant-id", "app-id", "app-secret",
		&azidentity.ClientSecretCredentialOptions{ClientOptions: azcore.ClientOptions{Cloud: cloud.AzureCloud()}})
	if err != nil {
		log.Fatal(err)
	}
	client, err := partnercenter.NewClient(cred, &partnercenter.ClientOptions{Cloud: cloud, ApplicationName: "contoso-billing"})
	if err != nil {
		log.Fatal(err)
	}
	links, err := client.GetLineItemActivationLinks(context.Background(), "8c5b65fd-c725-4f50-8d9c-97ec9169fdd0", "03fb46b3-bf8c-49aa-b908-ca2e93bcc04a", 0, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range links.Items {
		fmt.Println(l.LineItemNumber, l.Link.URI)
	}
}

// App+User: a stored refresh token, rotated on every use and handed back for storage.
func ExampleNewRefreshTokenCredential() {
	cred, err := partnercenter.NewRefreshTokenCredential("partner-tenant-id", "app-id", "stored-refresh-token",
		&partnercenter.RefreshTokenCredentialOptions{
			Cloud: partnercenter.CloudGlobal,
			OnRefreshTokenRotated: func(ctx context.Context, refreshToken string) error {
				return nil // persist refreshToken in your secret store
			},
		})
	if err != nil {
		log.Fatal(err)
	}
	client, err := partnercenter.NewClient(cred, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client.Endpoint())
	// Output: https://api.partnercenter.microsoft.com
}

// exampleServer stands in for Partner Center so that the examples below run offline.
func exampleServer() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("MS-RequestId", r.Header.Get("MS-RequestId"))
		switch r.Method {
		case http.MethodPost:
			if r.URL.Path == "/v1/customers/42b5f772-5c5c-4bce-b9d7-bdadeecca411/subscriptions/aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e/activate" {
				w.WriteHeader(http.StatusBadRequest)
				io.WriteString(w, `{"code":800041,"description":"The item is already activated.","source":"PartnerFD"}`)
				return
			}
			io.WriteString(w, activatedBody)
		default:
			io.WriteString(w, linksBody)
		}
	}))
}

// staticToken is a stand-in credential for the offline examples.
type staticToken struct{}

func (staticToken) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: "example", ExpiresOn: time.Now().Add(time.Hour)}, nil
}

func ExampleClient_ActivateSubscription() {
	srv := exampleServer()
	defer srv.Close()
	client, err := partnercenter.NewClient(staticToken{}, &partnercenter.ClientOptions{Endpoint: srv.URL})
	if err != nil {
		log.Fatal(err)
	}
	result, err := client.ActivateSubscription(context.Background(), "42b5f772-5c5c-4bce-b9d7-bdadeecca411", "87363db7-39ab-dd25-d371-94340aaa2f97", nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(result.SubscriptionID, result.Status)
	// Output: 87363db7-39ab-dd25-d371-94340aaa2f97 Success
}

func ExampleClient_GetLineItemActivationLinks() {
	srv := exampleServer()
	defer srv.Close()
	client, _ := partnercenter.NewClient(staticToken{}, &partnercenter.ClientOptions{Endpoint: srv.URL})
	links, err := client.GetLineItemActivationLinks(context.Background(), "8c5b65fd-c725-4f50-8d9c-97ec9169fdd0", "Ia80ZLkXp6eWOqpp35pBQJLhqv9IiGVZ1", 0, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, item := range links.Items {
		fmt.Println(item.LineItemNumber, item.Link.Method, item.Link.URI)
	}
	// Output: 0 GET https://publisher.example/activate?token=abc
}

// Errors are *partnercenter.Error values, found with errors.As; Code is always a string.
func ExampleError() {
	srv := exampleServer()
	defer srv.Close()
	client, _ := partnercenter.NewClient(staticToken{}, &partnercenter.ClientOptions{Endpoint: srv.URL})
	_, err := client.ActivateSubscription(context.Background(), "42b5f772-5c5c-4bce-b9d7-bdadeecca411", "aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e", nil)
	var pcErr *partnercenter.Error
	if errors.As(err, &pcErr) && pcErr.Code == partnercenter.CodeAlreadyActivated {
		fmt.Println(pcErr.StatusCode, pcErr.Code, pcErr.Description)
	}
	// Output: 400 800041 The item is already activated.
}
