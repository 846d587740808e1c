package partnercenter_test

import (
	"context"
	"errors"
	"testing"

	"github.com/partnercenter-go/partnercenter"
)

// A collection's next link is followed whether the service wrote it with /v1 (production,
// November 2021: https://github.com/microsoft/Partner-Center-PowerShell/issues/379, where a
// client that added /v1 again asked for /v1//v1/customers) or without (recorded sessions and the
// docs): the request goes to the one path, under the endpoint, with the link's headers.
func TestNextActivationLinksWithAndWithoutV1(t *testing.T) {
	t.Parallel()
	const want = basePath + "/v1/customers/" + customerID + "/orders/o1/activationlinks"
	for _, uri := range []string{
		"/v1/customers/" + customerID + "/orders/o1/activationlinks?seekOperation=Next",
		"/customers/" + customerID + "/orders/o1/activationlinks?seekOperation=Next",
		"customers/" + customerID + "/orders/o1/activationlinks?seekOperation=Next",
	} {
		t.Run(uri, func(t *testing.T) {
			t.Parallel()
			s := newServer(t, jsonAnswer(200, linksBody))
			client, _ := newClient(t, s, nil)
			page := partnercenter.ActivationLinkCollection{Links: &partnercenter.ResourceLinks{Next: &partnercenter.Link{
				URI: uri, Method: "GET", Headers: []partnercenter.KeyValuePair{{Key: "MS-ContinuationToken", Value: "c0ffee"}, {Key: "Authorization", Value: "Bearer planted"}}}}}
			next, ok, err := client.NextActivationLinks(context.Background(), page, nil)
			if err != nil || !ok || next.TotalCount != 1 {
				t.Fatalf("ok %v, err %v, %+v", ok, err, next)
			}
			seen := s.seen()
			if len(seen) != 1 || seen[0].Path != want {
				t.Fatalf("asked for %+v, want %s", seen, want)
			}
			if seen[0].Header.Get("MS-ContinuationToken") != "c0ffee" || seen[0].Header.Get("Authorization") != "Bearer token-1" {
				t.Errorf("headers sent: %v", seen[0].Header)
			}
		})
	}
}

// No next link: nothing is sent. A link to another host is refused before anything is sent.
func TestNextActivationLinksEndsAndStaysOnTheEndpoint(t *testing.T) {
	t.Parallel()
	s := newServer(t, jsonAnswer(200, linksBody))
	client, _ := newClient(t, s, nil)
	if _, ok, err := client.NextActivationLinks(context.Background(), partnercenter.ActivationLinkCollection{}, nil); ok || err != nil {
		t.Errorf("no next link: ok %v, err %v", ok, err)
	}
	away := partnercenter.ActivationLinkCollection{Links: &partnercenter.ResourceLinks{Next: &partnercenter.Link{URI: "https://attacker.example/v1/customers"}}}
	_, _, err := client.NextActivationLinks(context.Background(), away, nil)
	var argErr *partnercenter.ArgumentError
	if !errors.As(err, &argErr) || argErr.Name != "page.Links.Next.URI" {
		t.Errorf("a link to another host: %v", err)
	}
	lookalike := partnercenter.ActivationLinkCollection{Links: &partnercenter.ResourceLinks{Next: &partnercenter.Link{URI: s.URL + basePath + ".attacker.example/v1/customers"}}}
	if _, _, err := client.NextActivationLinks(context.Background(), lookalike, nil); !errors.As(err, &argErr) {
		t.Errorf("a link that only starts like the endpoint: %v", err)
	}
	del := partnercenter.ActivationLinkCollection{Links: &partnercenter.ResourceLinks{Next: &partnercenter.Link{URI: "/customers/x", Method: "DELETE"}}}
	if _, _, err := client.NextActivationLinks(context.Background(), del, nil); !errors.As(err, &argErr) || argErr.Name != "page.Links.Next.Method" {
		t.Errorf("a link with DELETE: %v", err)
	}
	if n := len(s.seen()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}
