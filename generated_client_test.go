package partnercenter_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/partnercenter-go/partnercenter/generated"
)

// The generated client compiles and speaks the spec's four operations: each call is checked on
// the server side (method, escaped path under a base-path prefix, body) and its 200 decoded.
func TestGeneratedClientOperations(t *testing.T) {
	const (
		customer     = "8c5b65fd-c725-4f50-8d9c-97ec9169fdd0"
		order        = "Ia80ZLkXp6eWOqpp35pBQJLhqv9IiGVZ1"
		subscription = "87363db7-39ab-dd25-d371-94340aaa2f97"
		links        = `{"totalCount":1,"items":[{"lineItemNumber":3,"link":{"uri":"https://publisher.example/activate","method":"GET","headers":[]}}],"links":{"self":{"uri":"/x","method":"GET","headers":[]}},"attributes":{"objectType":"Collection"}}`
		activated    = `{"subscriptionId":"87363db7-39ab-dd25-d371-94340aaa2f97","status":"Success"}`
	)
	type seen struct{ method, path, body, requestID string }
	var got seen
	mux := http.NewServeMux()
	// A prefix catches a client that builds absolute paths and drops the server's base path.
	mux.HandleFunc("/prefix/", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = seen{r.Method, r.URL.EscapedPath(), string(b), r.Header.Get("MS-RequestId")}
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodPost {
			io.WriteString(w, activated)
			return
		}
		io.WriteString(w, links)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	c, err := generated.NewClientWithResponses(srv.URL + "/prefix")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	requestID := "3705fc6d-4127-4a87-bdba-9658f73fe019"

	check := func(t *testing.T, want seen) {
		t.Helper()
		if got != want {
			t.Fatalf("server saw %+v, want %+v", got, want)
		}
	}
	checkLinks := func(t *testing.T, c *generated.ActivationLinkCollection) {
		t.Helper()
		if c == nil || c.TotalCount != 1 || len(c.Items) != 1 || c.Items[0].LineItemNumber != 3 || c.Items[0].Link.URI != "https://publisher.example/activate" {
			t.Fatalf("decoded %+v", c)
		}
	}

	t.Run("GetLineItemActivationLinks", func(t *testing.T) {
		r, err := c.GetLineItemActivationLinksWithResponse(ctx, customer, order, 3, &generated.GetLineItemActivationLinksParams{MSRequestID: &requestID})
		if err != nil {
			t.Fatal(err)
		}
		check(t, seen{"GET", "/prefix/v1/customers/" + customer + "/orders/" + order + "/lineitems/3/activationlinks", "", requestID})
		checkLinks(t, r.JSON200)
	})
	t.Run("GetOrderActivationLinks escapes the order id", func(t *testing.T) {
		r, err := c.GetOrderActivationLinksWithResponse(ctx, customer, "a/b c", nil)
		if err != nil {
			t.Fatal(err)
		}
		check(t, seen{"GET", "/prefix/v1/customers/" + customer + "/orders/a%2Fb%20c/activationlinks", "", ""})
		checkLinks(t, r.JSON200)
	})
	t.Run("GetSubscriptionActivationLinks", func(t *testing.T) {
		r, err := c.GetSubscriptionActivationLinksWithResponse(ctx, customer, subscription, nil)
		if err != nil {
			t.Fatal(err)
		}
		check(t, seen{"GET", "/prefix/v1/customers/" + customer + "/subscriptions/" + subscription + "/activationlinks", "", ""})
		checkLinks(t, r.JSON200)
	})
	t.Run("ActivateSubscription", func(t *testing.T) {
		r, err := c.ActivateSubscriptionWithResponse(ctx, customer, subscription, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		check(t, seen{"POST", "/prefix/v1/customers/" + customer + "/subscriptions/" + subscription + "/activate", "null", ""})
		if r.JSON200 == nil || r.JSON200.SubscriptionID != subscription || r.JSON200.Status != "Success" {
			t.Fatalf("decoded %+v", r.JSON200)
		}
	})
}
