// Command walkthrough uses the client against a running sandbox (`make sandbox`), configured
// by the environment the sandbox prints: links of a line item, an activation, and the
// already-activated error of a second one.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/partnercenter-go/partnercenter"
)

func main() {
	if err := run(context.Background(), os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "walkthrough:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, getenv func(string) string, out io.Writer) error {
	// Trust the sandbox's self-signed certificate.
	pem, err := os.ReadFile(getenv("PARTNER_CENTER_CA_FILE"))
	if err != nil {
		return fmt.Errorf("PARTNER_CENTER_CA_FILE: %w", err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pem)
	httpClient := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}

	// App-only, exactly as against Partner Center, with the sandbox as the Entra authority.
	cred, err := azidentity.NewClientSecretCredential(getenv("AZURE_TENANT_ID"), getenv("AZURE_CLIENT_ID"), getenv("AZURE_CLIENT_SECRET"),
		&azidentity.ClientSecretCredentialOptions{
			ClientOptions:            azcore.ClientOptions{Cloud: cloud.Configuration{ActiveDirectoryAuthorityHost: getenv("AZURE_AUTHORITY_HOST")}, Transport: httpClient},
			DisableInstanceDiscovery: true,
		})
	if err != nil {
		return err
	}
	client, err := partnercenter.NewClient(cred, &partnercenter.ClientOptions{Endpoint: getenv("PARTNER_CENTER_ENDPOINT"), Transport: httpClient})
	if err != nil {
		return err
	}

	customer, order, subscription := getenv("PARTNER_CENTER_CUSTOMER_ID"), getenv("PARTNER_CENTER_ORDER_ID"), getenv("PARTNER_CENTER_SUBSCRIPTION_ID")
	lineItem, _ := strconv.Atoi(getenv("PARTNER_CENTER_LINE_ITEM"))
	links, err := client.GetLineItemActivationLinks(ctx, customer, order, lineItem, nil)
	if err != nil {
		return err
	}
	for _, l := range links.Items {
		fmt.Fprintf(out, "line item %d: %s %s\n", l.LineItemNumber, l.Link.Method, l.Link.URI)
	}

	result, err := client.ActivateSubscription(ctx, customer, subscription, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "activated %s: %s\n", result.SubscriptionID, result.Status)

	_, err = client.ActivateSubscription(ctx, customer, subscription, nil)
	var pcErr *partnercenter.Error
	if !errors.As(err, &pcErr) || pcErr.Code != partnercenter.CodeAlreadyActivated {
		return fmt.Errorf("a second activation should be refused as already activated, got %v", err)
	}
	fmt.Fprintf(out, "again: %d code %s: %s\n", pcErr.StatusCode, pcErr.Code, pcErr.Description)
	return nil
}
