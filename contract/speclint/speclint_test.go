package speclint_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/partnercenter-go/partnercenter/contract/speclint"
	"github.com/partnercenter-go/partnercenter/generated/spec"
)

const specPath = "../../openapi.yaml"

func loadSpec(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := speclint.LoadFile(specPath)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// The embedded spec must be openapi.yaml itself (not oapi-codegen's overlaid view): the
// contract gate validates against it.
func TestEmbeddedSpecIsOpenAPIYAML(t *testing.T) {
	fromFile := loadSpec(t)
	embedded, err := spec.GetSpec()
	if err != nil {
		t.Fatal(err)
	}
	if err := speclint.Lint(embedded); err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(fromFile)
	b, _ := json.Marshal(embedded)
	if !bytes.Equal(a, b) {
		t.Fatal("spec.GetSpec() differs from openapi.yaml: run make generate")
	}
	if embedded.Components.Responses["ActivationLinks"].Value.Content.Get("text/xml") == nil {
		t.Fatal("embedded spec lost text/xml: it was generated from the overlaid view")
	}
}

var (
	// Every status of the error-codes page (405, 406, 412, 501 from its list; 417 from its table's
	// 800036), and 200.
	documentedStatuses = []string{"200", "400", "401", "403", "404", "405", "406", "408", "409", "412", "417", "429", "500", "501", "502", "503", "504"}
	mediaTypes         = []string{"application/json", "application/xml", "text/json", "text/xml"}
	requestHeaders     = []string{"MS-CV", "MS-Contract-Version", "MS-CorrelationId", "MS-PartnerCenter-Application", "MS-RequestId", "X-Locale"}
)

// A careless edit of the spec (a renamed operation, a dropped status or media type, a
// loosened id) fails this table.
func TestOperations(t *testing.T) {
	doc := loadSpec(t)
	tests := []struct {
		operationID string
		method      string
		path        string
		pathParams  map[string]string // name -> "guid", "nonempty" or "int32>=0"
		okSchema    string
	}{
		{"GetLineItemActivationLinks", http.MethodGet, "/v1/customers/{customerId}/orders/{orderId}/lineitems/{lineItemNumber}/activationlinks",
			map[string]string{"customerId": "guid", "orderId": "nonempty", "lineItemNumber": "int32>=0"}, "ActivationLinkCollection"},
		{"GetOrderActivationLinks", http.MethodGet, "/v1/customers/{customerId}/orders/{orderId}/activationlinks",
			map[string]string{"customerId": "guid", "orderId": "nonempty"}, "ActivationLinkCollection"},
		{"GetSubscriptionActivationLinks", http.MethodGet, "/v1/customers/{customerId}/subscriptions/{subscriptionId}/activationlinks",
			map[string]string{"customerId": "guid", "subscriptionId": "guid"}, "ActivationLinkCollection"},
		{"ActivateSubscription", http.MethodPost, "/v1/customers/{customerId}/subscriptions/{subscriptionId}/activate",
			map[string]string{"customerId": "guid", "subscriptionId": "guid"}, "SubscriptionActivationResult"},
	}
	if got := doc.Paths.Len(); got != len(tests) {
		t.Fatalf("spec has %d paths, want %d", got, len(tests))
	}
	for _, tc := range tests {
		t.Run(tc.operationID, func(t *testing.T) {
			item := doc.Paths.Find(tc.path)
			if item == nil {
				t.Fatalf("path %s missing", tc.path)
			}
			if n := len(item.Operations()); n != 1 {
				t.Fatalf("path has %d operations, want 1", n)
			}
			op := item.GetOperation(tc.method)
			if op == nil || op.OperationID != tc.operationID {
				t.Fatalf("%s %s: want operationId %s, got %+v", tc.method, tc.path, tc.operationID, op)
			}
			if op.Summary == "" || !strings.Contains(op.Description, "learn.microsoft.com") && !strings.Contains(op.Description, ".NET SDK") {
				t.Error("summary and a description citing its source are required")
			}
			if !strings.Contains(op.Description, "App-only and App+User") {
				t.Error("description must state the supported auth kinds")
			}

			params := map[string]*openapi3.Parameter{}
			for _, p := range append(item.Parameters, op.Parameters...) {
				params[p.Value.In+":"+p.Value.Name] = p.Value
			}
			for name, kind := range tc.pathParams {
				p := params["path:"+name]
				if p == nil || !p.Required {
					t.Fatalf("required path parameter %s missing", name)
				}
				s := p.Schema.Value
				switch kind {
				case "guid":
					if s.Format == "uuid" || s.Pattern == "" {
						t.Errorf("%s: want a hex-shape pattern and no format uuid, got format %q pattern %q", name, s.Format, s.Pattern)
					}
				case "nonempty":
					if !s.Type.Is("string") || s.MinLength != 1 || s.Pattern != "" {
						t.Errorf("%s: want any non-empty string", name)
					}
				case "int32>=0":
					if !s.Type.Is("integer") || s.Format != "int32" || s.Min == nil || *s.Min != 0 {
						t.Errorf("%s: want int32 minimum 0", name)
					}
				}
			}
			var headers []string
			for key, p := range params {
				if p.In == "header" {
					headers = append(headers, p.Name)
					if p.Required {
						t.Errorf("header %s must be optional", key)
					}
				}
			}
			slices.Sort(headers)
			if !slices.Equal(headers, requestHeaders) {
				t.Errorf("request headers %v, want %v", headers, requestHeaders)
			}

			var statuses []string
			for status, ref := range op.Responses.Map() {
				statuses = append(statuses, status)
				resp := ref.Value
				var types []string
				for mt := range resp.Content {
					types = append(types, mt)
				}
				slices.Sort(types)
				if !slices.Equal(types, mediaTypes) {
					t.Errorf("%s media types %v, want %v", status, types, mediaTypes)
				}
				for _, h := range []string{"MS-RequestId", "MS-CorrelationId"} {
					if resp.Headers[h] == nil {
						t.Errorf("%s lacks response header %s", status, h)
					}
				}
				if (resp.Headers["Retry-After"] != nil) != (status == "429") {
					t.Errorf("%s: Retry-After belongs to 429 alone", status)
				}
			}
			slices.Sort(statuses)
			if !slices.Equal(statuses, documentedStatuses) {
				t.Errorf("statuses %v, want exactly %v (no default)", statuses, documentedStatuses)
			}
			ok := op.Responses.Status(200).Value.Content.Get("application/json").Schema
			if !strings.HasSuffix(ok.Ref, "/"+tc.okSchema) {
				t.Errorf("200 schema %s, want %s", ok.Ref, tc.okSchema)
			}
			if op.Security != nil {
				t.Error("operations inherit the document's security requirements")
			}
		})
	}
}

func TestDocumentLevel(t *testing.T) {
	doc := loadSpec(t)
	var urls []string
	for _, s := range doc.Servers {
		urls = append(urls, s.URL)
		if s.Description == "" {
			t.Errorf("server %s has no description naming its cloud", s.URL)
		}
	}
	want := []string{"https://api.partnercenter.microsoft.com", "https://partner.partnercenterapi.microsoftonline.cn"}
	if !slices.Equal(urls, want) {
		t.Errorf("servers %v, want %v", urls, want)
	}
	for _, name := range []string{"AppOnly", "AppUser"} {
		if doc.Components.SecuritySchemes[name] == nil {
			t.Errorf("security scheme %s missing", name)
		}
	}
	if f := doc.Components.SecuritySchemes["AppOnly"].Value.Flows; f == nil || f.ClientCredentials == nil {
		t.Error("AppOnly must be OAuth2 client credentials")
	}
	if f := doc.Components.SecuritySchemes["AppUser"].Value.Flows; f == nil || f.AuthorizationCode == nil {
		t.Error("AppUser must be OAuth2 authorization code")
	}
	for _, name := range []string{"Link", "KeyValuePair", "ResourceLinks", "ResourceAttributes", "ActivationLink",
		"ActivationLinkCollection", "SubscriptionActivationResult", "Error", "GatewayThrottle", "ThrottledError"} {
		s := doc.Components.Schemas[name]
		if s == nil {
			t.Errorf("schema %s missing", name)
			continue
		}
		if s.Value.AdditionalProperties.Has != nil && !*s.Value.AdditionalProperties.Has {
			t.Errorf("schema %s forbids unknown fields: strictness belongs to the contract gate", name)
		}
	}
}

// router builds a kin-openapi router whose server is the test's, as the gate does.
func validateRequest(t *testing.T, doc *openapi3.T, req *http.Request) error {
	t.Helper()
	doc.Servers = openapi3.Servers{{URL: "http://example.test"}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	route, pathParams, err := router.FindRoute(req)
	if err != nil {
		return err
	}
	return openapi3filter.ValidateRequest(context.Background(), &openapi3filter.RequestValidationInput{
		Request: req, PathParams: pathParams, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
	})
}

// Activate: the docs send no body, the official SDKs send the JSON literal null. Both must
// conform; a real body must not.
func TestActivateRequestBody(t *testing.T) {
	doc := loadSpec(t)
	const url = "http://example.test/v1/customers/42b5f772-5c5c-4bce-b9d7-bdadeecca411/subscriptions/87363db7-39ab-dd25-d371-94340aaa2f97/activate"
	for _, tc := range []struct {
		name, body, contentType string
		ok                      bool
	}{
		{"no body (docs)", "", "", true},
		{"JSON null (SDKs)", "null", "application/json", true},
		{"an object with a field", `{"subscriptionId":"x"}`, "application/json", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, url, strings.NewReader(tc.body))
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			err := validateRequest(t, doc, req)
			if (err == nil) != tc.ok {
				t.Fatalf("conforms=%v, want %v (err %v)", err == nil, tc.ok, err)
			}
		})
	}
}

// Ids: the non-RFC-4122 subscription id of the activate page conforms; a non-hex id does not.
func TestIDShapes(t *testing.T) {
	doc := loadSpec(t)
	for _, tc := range []struct {
		path string
		ok   bool
	}{
		{"/v1/customers/42b5f772-5c5c-4bce-b9d7-bdadeecca411/subscriptions/87363db7-39ab-dd25-d371-94340aaa2f97/activationlinks", true},
		{"/v1/customers/42b5f772-5c5c-4bce-b9d7-bdadeecca411/subscriptions/not-a-guid/activationlinks", false},
		{"/v1/customers/8c5b65fd-c725-4f50-8d9c-97ec9169fdd0/orders/Ia80ZLkXp6eWOqpp35pBQJLhqv9IiGVZ1/lineitems/0/activationlinks", true},
		{"/v1/customers/8c5b65fd-c725-4f50-8d9c-97ec9169fdd0/orders/Ia80ZLkXp6eWOqpp35pBQJLhqv9IiGVZ1/lineitems/-1/activationlinks", false},
	} {
		req := httptest.NewRequest(http.MethodGet, "http://example.test"+tc.path, nil)
		if err := validateRequest(t, doc, req); (err == nil) != tc.ok {
			t.Errorf("%s: conforms=%v, want %v (%v)", tc.path, err == nil, tc.ok, err)
		}
	}
}

// Negative control: an example that violates its schema fails the lint.
func TestLintCatchesExampleViolatingSchema(t *testing.T) {
	src, err := os.ReadFile(specPath)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "openapi.yaml")
	writeMutant(t, path, src, "        status: Success\n", "        status: 12\n")
	_, err = speclint.LoadFile(path)
	if err == nil || !strings.Contains(err.Error(), "example") {
		t.Fatalf("lint passed a spec whose example violates its schema (err %v)", err)
	}
}

// writeMutant writes src to path with the first old replaced by new, and fails the test if
// src has no old: a negative control whose mutation did not apply would prove nothing.
func writeMutant(t *testing.T, path string, src []byte, old, new string) {
	t.Helper()
	mutated := bytes.Replace(src, []byte(old), []byte(new), 1)
	if bytes.Equal(src, mutated) {
		t.Fatalf("mutation did not apply: %q is not in the source", old)
	}
	if err := os.WriteFile(path, mutated, 0o644); err != nil {
		t.Fatal(err)
	}
}
