package partnercenter_test

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/partnercenter-go/partnercenter"
)

var guidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func TestOperationsSendWhatTheSpecSays(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		answer string
		call   func(*partnercenter.Client) (any, error)
		method string
		path   string
		body   string
	}{
		{"GetLineItemActivationLinks", linksBody, func(c *partnercenter.Client) (any, error) {
			return c.GetLineItemActivationLinks(ctx, customerID, orderID, 2, nil)
		}, "GET", "/v1/customers/" + customerID + "/orders/" + orderID + "/lineitems/2/activationlinks", ""},
		{"GetOrderActivationLinks escapes the order id", linksBody, func(c *partnercenter.Client) (any, error) {
			return c.GetOrderActivationLinks(ctx, customerID, "a/b?c", nil)
		}, "GET", "/v1/customers/" + customerID + "/orders/a%2Fb%3Fc/activationlinks", ""},
		{"GetSubscriptionActivationLinks", linksBody, func(c *partnercenter.Client) (any, error) {
			return c.GetSubscriptionActivationLinks(ctx, customerID, subscriptionID, nil)
		}, "GET", "/v1/customers/" + customerID + "/subscriptions/" + subscriptionID + "/activationlinks", ""},
		{"ActivateSubscription", activatedBody, func(c *partnercenter.Client) (any, error) {
			return c.ActivateSubscription(ctx, customerID, subscriptionID, nil)
		}, "POST", "/v1/customers/" + customerID + "/subscriptions/" + subscriptionID + "/activate", "null"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t, jsonAnswer(200, tc.answer))
			c, _ := newClient(t, s, &partnercenter.ClientOptions{ApplicationName: "contoso-billing", Locale: "fr-FR"})
			got, err := tc.call(c)
			if err != nil {
				t.Fatal(err)
			}
			seen := s.seen()
			if len(seen) != 1 {
				t.Fatalf("%d requests, want 1", len(seen))
			}
			a := seen[0]
			if a.Method != tc.method || a.Path != basePath+tc.path || a.Body != tc.body {
				t.Fatalf("sent %s %s body %q; want %s %s body %q", a.Method, a.Path, a.Body, tc.method, basePath+tc.path, tc.body)
			}
			want := map[string]string{
				"Authorization":                "Bearer token-1",
				"Accept":                       "application/json",
				"X-Locale":                     "fr-FR",
				"MS-PartnerCenter-Application": "contoso-billing",
			}
			if tc.method == "POST" {
				want["Content-Type"] = "application/json"
			}
			for k, v := range want {
				if got := a.Header.Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
			for _, k := range []string{"MS-RequestId", "MS-CorrelationId"} {
				if !guidRE.MatchString(a.Header.Get(k)) {
					t.Errorf("header %s = %q, want a new GUID", k, a.Header.Get(k))
				}
			}
			if ua := a.Header.Get("User-Agent"); !strings.Contains(ua, "partnercenter/"+partnercenter.Version) {
				t.Errorf("User-Agent %q does not name this module and version", ua)
			}
			// Results marshal back to the documented JSON field names.
			out, _ := json.Marshal(got)
			var back, doc map[string]any
			json.Unmarshal(out, &back)
			json.Unmarshal([]byte(tc.answer), &doc)
			for k := range doc {
				if _, ok := back[k]; !ok {
					t.Errorf("result lost documented field %q on the way back to JSON: %s", k, out)
				}
			}
		})
	}
}

// The ids of the options are sent by every operation, and come back in the response.
func TestCallerSuppliedIDsWin(t *testing.T) {
	const rid, cid = "3705fc6d-4127-4a87-bdba-9658f73fe019", "b12260fb-82de-4701-a25f-dcd367690645"
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		call func(*partnercenter.Client) (requestID, correlationID string, err error)
	}{
		{"GetLineItemActivationLinks", func(c *partnercenter.Client) (string, string, error) {
			r, err := c.GetLineItemActivationLinks(ctx, customerID, orderID, 0, &partnercenter.GetLineItemActivationLinksOptions{RequestID: rid, CorrelationID: cid})
			return r.RequestID, r.CorrelationID, err
		}},
		{"GetOrderActivationLinks", func(c *partnercenter.Client) (string, string, error) {
			r, err := c.GetOrderActivationLinks(ctx, customerID, orderID, &partnercenter.GetOrderActivationLinksOptions{RequestID: rid, CorrelationID: cid})
			return r.RequestID, r.CorrelationID, err
		}},
		{"GetSubscriptionActivationLinks", func(c *partnercenter.Client) (string, string, error) {
			r, err := c.GetSubscriptionActivationLinks(ctx, customerID, subscriptionID, &partnercenter.GetSubscriptionActivationLinksOptions{RequestID: rid, CorrelationID: cid})
			return r.RequestID, r.CorrelationID, err
		}},
		{"ActivateSubscription", func(c *partnercenter.Client) (string, string, error) {
			r, err := c.ActivateSubscription(ctx, customerID, subscriptionID, &partnercenter.ActivateSubscriptionOptions{RequestID: rid, CorrelationID: cid})
			return r.RequestID, r.CorrelationID, err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := linksBody
			if tc.name == "ActivateSubscription" {
				body = activatedBody
			}
			s := newServer(t, jsonAnswer(200, body))
			c, _ := newClient(t, s, nil)
			gotRID, gotCID, err := tc.call(c)
			if err != nil {
				t.Fatal(err)
			}
			h := s.seen()[0].Header
			if h.Get("MS-RequestId") != rid || h.Get("MS-CorrelationId") != cid {
				t.Fatalf("sent %s / %s, want the caller's %s / %s", h.Get("MS-RequestId"), h.Get("MS-CorrelationId"), rid, cid)
			}
			if gotRID != rid || gotCID != cid {
				t.Fatalf("response ids %s / %s, want %s / %s", gotRID, gotCID, rid, cid)
			}
		})
	}
}

// ClientOptions.Telemetry reaches the User-Agent, as in every azcore client.
func TestTelemetryApplicationID(t *testing.T) {
	s := newServer(t, jsonAnswer(200, activatedBody))
	c, _ := newClient(t, s, &partnercenter.ClientOptions{Telemetry: policy.TelemetryOptions{ApplicationID: "contoso-billing"}})
	if _, err := c.ActivateSubscription(context.Background(), customerID, subscriptionID, nil); err != nil {
		t.Fatal(err)
	}
	ua := s.seen()[0].Header.Get("User-Agent")
	if !strings.HasPrefix(ua, "contoso-billing ") || !strings.Contains(ua, "partnercenter/"+partnercenter.Version) {
		t.Fatalf("User-Agent %q: want the application id first, then this module and version", ua)
	}
}

// The response's ids are those the service echoed; without an echo, those sent.
func TestResponseIDs(t *testing.T) {
	ctx := context.Background()
	t.Run("as echoed", func(t *testing.T) {
		const echoedRID, echoedCID = "0f0e0d0c-0b0a-0908-0706-050403020100", "00010203-0405-0607-0809-0a0b0c0d0e0f"
		s := newServer(t, answer{status: 200, body: activatedBody, headers: map[string]string{
			"Content-Type": "application/json", "MS-RequestId": echoedRID, "MS-CorrelationId": echoedCID}})
		c, _ := newClient(t, s, nil)
		r, err := c.ActivateSubscription(ctx, customerID, subscriptionID, nil)
		if err != nil {
			t.Fatal(err)
		}
		if r.RequestID != echoedRID || r.CorrelationID != echoedCID {
			t.Fatalf("response ids %s / %s, want the echoed %s / %s", r.RequestID, r.CorrelationID, echoedRID, echoedCID)
		}
		if r.SubscriptionID != subscriptionID || r.Status != partnercenter.ActivationStatusSuccess {
			t.Fatalf("embedded result %+v", r.SubscriptionActivationResult)
		}
	})
	t.Run("as sent, without an echo", func(t *testing.T) {
		s := newServer(t, answer{status: 200, body: linksBody, headers: map[string]string{
			"Content-Type": "application/json", "MS-RequestId": "", "MS-CorrelationId": ""}})
		c, _ := newClient(t, s, nil)
		r, err := c.GetSubscriptionActivationLinks(ctx, customerID, subscriptionID, nil)
		if err != nil {
			t.Fatal(err)
		}
		h := s.seen()[0].Header
		if !guidRE.MatchString(r.RequestID) || r.RequestID != h.Get("MS-RequestId") || r.CorrelationID != h.Get("MS-CorrelationId") {
			t.Fatalf("response ids %q / %q, want those sent: %q / %q", r.RequestID, r.CorrelationID, h.Get("MS-RequestId"), h.Get("MS-CorrelationId"))
		}
		if r.TotalCount != 1 || len(r.Items) != 1 {
			t.Fatalf("embedded collection %+v", r.ActivationLinkCollection)
		}
	})
}

// Every bad input is refused with an error naming the argument and its value, and nothing
// reaches the network.
func TestBadInputSendsNothing(t *testing.T) {
	s := newServer(t, jsonAnswer(200, activatedBody))
	c, _ := newClient(t, s, nil)
	ctx := context.Background()
	tests := []struct {
		name, arg, value string
		call             func() error
	}{
		{"customer not a GUID", "customerID", "contoso", func() error { _, err := c.ActivateSubscription(ctx, "contoso", subscriptionID, nil); return err }},
		{"subscription with braces", "subscriptionID", "{" + subscriptionID + "}", func() error {
			_, err := c.ActivateSubscription(ctx, customerID, "{"+subscriptionID+"}", nil)
			return err
		}},
		{"subscription too short", "subscriptionID", "87363db7-39ab-dd25-d371-94340aaa2f9", func() error {
			_, err := c.GetSubscriptionActivationLinks(ctx, customerID, "87363db7-39ab-dd25-d371-94340aaa2f9", nil)
			return err
		}},
		{"subscription not hex", "subscriptionID", "87363db7-39ab-dd25-d371-94340aaa2fzz", func() error {
			_, err := c.ActivateSubscription(ctx, customerID, "87363db7-39ab-dd25-d371-94340aaa2fzz", nil)
			return err
		}},
		{"empty customer", "customerID", "", func() error { _, err := c.GetOrderActivationLinks(ctx, "", orderID, nil); return err }},
		{"empty order", "orderID", "", func() error { _, err := c.GetOrderActivationLinks(ctx, customerID, "", nil); return err }},
		{"dot-dot order", "orderID", "..", func() error { _, err := c.GetLineItemActivationLinks(ctx, customerID, "..", 0, nil); return err }},
		{"negative line item", "lineItemNumber", "-1", func() error { _, err := c.GetLineItemActivationLinks(ctx, customerID, orderID, -1, nil); return err }},
		{"line item over int32", "lineItemNumber", "2147483648", func() error {
			_, err := c.GetLineItemActivationLinks(ctx, customerID, orderID, 1<<31, nil)
			return err
		}},
		{"request id not a GUID", "options.RequestID", "retry-1", func() error {
			_, err := c.ActivateSubscription(ctx, customerID, subscriptionID, &partnercenter.ActivateSubscriptionOptions{RequestID: "retry-1"})
			return err
		}},
		{"correlation id not a GUID", "options.CorrelationID", "trace", func() error {
			_, err := c.GetOrderActivationLinks(ctx, customerID, orderID, &partnercenter.GetOrderActivationLinksOptions{CorrelationID: "trace"})
			return err
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			var ae *partnercenter.ArgumentError
			if !errors.As(err, &ae) {
				t.Fatalf("want *ArgumentError, got %T %v", err, err)
			}
			if !strings.HasPrefix(ae.Name, tc.arg) || ae.Value != tc.value {
				t.Errorf("error names %s=%q, want %s=%q", ae.Name, ae.Value, tc.arg, tc.value)
			}
			if !strings.Contains(err.Error(), tc.arg) || !strings.Contains(err.Error(), `"`+tc.value+`"`) {
				t.Errorf("message %q must name the argument and its value", err)
			}
		})
	}
	if n := len(s.seen()); n != 0 {
		t.Fatalf("bad input sent %d requests", n)
	}
	// The control: the same client with good input does reach the server.
	if _, err := c.ActivateSubscription(ctx, customerID, strings.ToUpper(subscriptionID), nil); err != nil {
		t.Fatal(err)
	}
	if n := len(s.seen()); n != 1 {
		t.Fatalf("good input sent %d requests, want 1", n)
	}
}

func TestEndpointChecks(t *testing.T) {
	cred := &countingCredential{}
	for _, tc := range []struct {
		endpoint string
		ok       bool
	}{
		{"https://api.partnercenter.microsoft.com", true},
		{"http://127.0.0.1:8080", true},
		{"http://localhost:8080/prefix", true},
		{"http://[::1]:8080", true},
		{"http://api.partnercenter.microsoft.com", false},
		{"http://10.0.0.1:8080", false},
		{"https://api.partnercenter.microsoft.com/v1", false},
		{"ftp://example.test", false},
		{"not a url", false},
		{"https://user:pass@example.test", false},
	} {
		_, err := partnercenter.NewClient(cred, &partnercenter.ClientOptions{Endpoint: tc.endpoint})
		if (err == nil) != tc.ok {
			t.Errorf("%s: accepted=%v, want %v (%v)", tc.endpoint, err == nil, tc.ok, err)
		}
		if err != nil && !strings.Contains(err.Error(), "Endpoint") {
			t.Errorf("%s: error %q does not name the option", tc.endpoint, err)
		}
	}
	if _, err := partnercenter.NewClient(nil, nil); err == nil {
		t.Error("a nil credential for the real service must be refused")
	}
}

func TestClouds(t *testing.T) {
	for _, tc := range []struct {
		cloud    partnercenter.Cloud
		endpoint string
		scope    string
		host     string
	}{
		{partnercenter.Cloud{}, "https://api.partnercenter.microsoft.com", "https://api.partnercenter.microsoft.com/.default", "https://login.microsoftonline.com/"},
		{partnercenter.CloudUSGovernment, "https://api.partnercenter.microsoft.com", "https://api.partnercenter.microsoft.com/.default", "https://login.microsoftonline.us/"},
		{partnercenter.CloudChina, "https://partner.partnercenterapi.microsoftonline.cn", "https://partner.partnercenterapi.microsoftonline.cn/.default", "https://login.chinacloudapi.cn/"},
	} {
		c, err := partnercenter.NewClient(&countingCredential{}, &partnercenter.ClientOptions{Cloud: tc.cloud})
		if err != nil {
			t.Fatal(err)
		}
		if c.Endpoint() != tc.endpoint || tc.cloud.Scope() != tc.scope || tc.cloud.AzureCloud().ActiveDirectoryAuthorityHost != tc.host {
			t.Errorf("%q: endpoint %s scope %s authority %s", tc.cloud.Name, c.Endpoint(), tc.cloud.Scope(), tc.cloud.AzureCloud().ActiveDirectoryAuthorityHost)
		}
	}
}
