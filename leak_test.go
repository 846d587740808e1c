package partnercenter_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/log"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/partnercenter-go/partnercenter"
)

// plantedJWT is the credential a hostile server echoes everywhere it can. (A JWT's shape:
// header.payload.signature, base64url.)
const plantedJWT = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJodHRwczovL2FwaS5wYXJ0bmVyY2VudGVyLm1pY3Jvc29mdC5jb20ifQ.c2lnbmF0dXJlLXBsYW50ZWQ"

// plantingServer answers with plantedJWT in every field of the error body and in every
// response header a client might print.
func plantingServer(t *testing.T, status int, body string) *httptest.Server {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		h := w.Header()
		h.Set("Content-Type", "application/"+plantedJWT+"+json; charset=utf-8")
		h.Set("MS-RequestId", plantedJWT)
		h.Set("MS-CorrelationId", "Bearer "+plantedJWT)
		h.Set("Retry-After", plantedJWT)
		h.Set("WWW-Authenticate", `Bearer error="invalid_token", error_description="token `+plantedJWT+` refused"`)
		h.Set("Location", "https://"+plantedJWT+".example/")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(s.Close)
	return s
}

// Every field of the error body carries the token, and the description is long.
var plantedErrorBody = fmt.Sprintf(`{"code":"Bearer %[1]s","description":"visible-marker %[1]s access_token=%[1]s %[2]s","source":"%[1]s","message":"%[1]s","statusCode":"%[1]s","data":["%[1]s"]}`,
	plantedJWT, strings.Repeat("long ", 2000))

// logged collects azcore's log lines while a test runs.
func logged(t *testing.T) func() string {
	var mu sync.Mutex
	var b strings.Builder
	log.SetEvents() // all events
	log.SetListener(func(ev log.Event, msg string) {
		mu.Lock()
		fmt.Fprintf(&b, "[%s] %s\n", ev, msg)
		mu.Unlock()
	})
	t.Cleanup(func() { log.SetListener(nil) })
	return func() string {
		mu.Lock()
		defer mu.Unlock()
		return b.String()
	}
}

// No Error(), and no log line, ever holds the token, whatever field a server plants it in.
func TestNoErrorOrLogCarriesAPlantedToken(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
	}{
		{"400 error body", 400, plantedErrorBody},
		{"401 error body", 401, plantedErrorBody},
		{"429 gateway body", 429, `{"statusCode":"` + plantedJWT + `","message":"visible-marker Bearer ` + plantedJWT + `"}`},
		{"200 that does not decode", 200, `{"subscriptionId":"visible-marker ` + plantedJWT + `","status":{"x":"` + plantedJWT + `"}}`},
		{"307 with a Location host", 307, `visible-marker ` + plantedJWT},
	} {
		t.Run(tc.name, func(t *testing.T) {
			log := logged(t)
			s := plantingServer(t, tc.status, tc.body)
			var sawChallenge string
			c, err := partnercenter.NewClient(&countingCredential{}, &partnercenter.ClientOptions{
				Endpoint: s.URL, Retry: noRetry, Logging: policy.LogOptions{IncludeBody: true},
				PerRetryPolicies: []policy.Policy{policyFunc(func(req *policy.Request) (*http.Response, error) {
					resp, err := req.Next()
					if resp != nil {
						sawChallenge = resp.Header.Get("WWW-Authenticate")
					}
					return resp, err
				})},
			})
			if err != nil {
				t.Fatal(err)
			}
			_, err = activate(c, context.Background())
			var pe *partnercenter.Error
			if !errors.As(err, &pe) {
				t.Fatalf("want an *Error, got %T %v", err, err)
			}
			msg, out := err.Error(), log()
			for what, text := range map[string]string{"Error()": msg, "%+v": fmt.Sprintf("%+v", err), "the log": out} {
				if strings.Contains(text, plantedJWT) || strings.Contains(text, plantedJWT[:40]) {
					t.Errorf("%s carries the token:\n%s", what, text)
				}
			}
			if len(msg) > 2048 {
				t.Errorf("Error() is %d bytes long: not bounded", len(msg))
			}
			// Controls: the server did send the token where a printer could find it, the log
			// did show the body and the WWW-Authenticate challenge (its error readable, the token
			// masked: a challenge is no secret, a token in it is), and the policies
			// above the log still see the real challenge.
			if !strings.Contains(string(pe.RawBody), plantedJWT) || pe.RequestID != plantedJWT {
				t.Errorf("control: the planted token is not in RawBody or RequestID: %+v", pe)
			}
			if tc.status == 400 && pe.Code != "Bearer "+plantedJWT {
				t.Errorf("control: Code = %q, want the planted value", pe.Code)
			}
			if !strings.Contains(out, "visible-marker") || !strings.Contains(out, `Www-Authenticate: Bearer error="invalid_token", error_description="token [REDACTED] refused"`) {
				t.Errorf("control: the log lacks the body or the masked challenge:\n%s", out)
			}
			if !strings.Contains(sawChallenge, plantedJWT) {
				t.Errorf("control: the WWW-Authenticate header was not restored above the log: %q", sawChallenge)
			}
		})
	}
}

// Body logging masks credentials in what it prints, not in what the caller gets.
func TestBodyLoggingMasksWithoutChangingTheResult(t *testing.T) {
	log := logged(t)
	uri := "https://publisher.example/activate?access_token=" + plantedJWT
	body := strings.Replace(linksBody, "https://publisher.example/activate?token=abc", uri, 1)
	s := newServer(t, jsonAnswer(200, body))
	c, _ := newClient(t, s, &partnercenter.ClientOptions{Logging: policy.LogOptions{IncludeBody: true}})
	links, err := c.GetLineItemActivationLinks(context.Background(), customerID, orderID, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := links.Items[0].Link.URI; got != uri {
		t.Fatalf("the result was changed: %q", got)
	}
	if out := log(); strings.Contains(out, plantedJWT) || !strings.Contains(out, "publisher.example/activate?access_token=[REDACTED]") {
		t.Fatalf("the log shows the token, or not the masked body:\n%s", out)
	}
}

// JSON may escape any character: a body that writes the token "\u0065yJ..." is masked in the
// log all the same (before internal/redact undid such escapes, the whole token was logged).
func TestBodyLoggingMasksAJSONEscapedToken(t *testing.T) {
	log := logged(t)
	signature := plantedJWT[strings.LastIndex(plantedJWT, ".")+1:]
	escaped := `\u0065` + plantedJWT[1:]
	s := newServer(t, jsonAnswer(400, `{"code":"800002","description":"visible-marker Bearer `+escaped+`"}`))
	c, _ := newClient(t, s, &partnercenter.ClientOptions{Retry: noRetry, Logging: policy.LogOptions{IncludeBody: true}})
	_, err := activate(c, context.Background())
	var pe *partnercenter.Error
	if !errors.As(err, &pe) || pe.Description != "visible-marker Bearer "+plantedJWT { // control: the server sent the token
		t.Fatalf("want an *Error with the decoded token in Description, got %v", err)
	}
	out := log()
	if strings.Contains(out, signature) || strings.Contains(err.Error(), signature) {
		t.Fatalf("the log or Error() carries the token's signature:\n%s\n%s", err, out)
	}
	if !strings.Contains(out, "visible-marker Bearer [REDACTED]") { // control: the body was logged
		t.Fatalf("the log lacks the masked body:\n%s", out)
	}
}

// A credential passed as an id by mistake is not quoted back.
func TestArgumentErrorNeverCarriesAToken(t *testing.T) {
	c, _ := newClient(t, newServer(t, jsonAnswer(200, activatedBody)), nil)
	for _, id := range []string{plantedJWT, "Bearer " + plantedJWT, "access_token=" + plantedJWT} {
		_, err := c.ActivateSubscription(context.Background(), id, subscriptionID, nil)
		var ae *partnercenter.ArgumentError
		if !errors.As(err, &ae) {
			t.Fatalf("want an *ArgumentError, got %v", err)
		}
		if strings.Contains(err.Error(), plantedJWT[:30]) {
			t.Errorf("Error() quotes the token: %s", err)
		}
		if ae.Value != id { // control: the value was the token
			t.Errorf("control: Value = %q", ae.Value)
		}
	}
	// Control: an ordinary bad id is still quoted, so that the caller can see it.
	_, err := c.ActivateSubscription(context.Background(), "not-a-guid", subscriptionID, nil)
	if err == nil || !strings.Contains(err.Error(), `"not-a-guid"`) {
		t.Fatalf("the refused value is no longer quoted: %v", err)
	}
}

// The token endpoint's error answer can echo anything: no AuthenticationError prints it.
func TestAuthenticationErrorNeverCarriesAToken(t *testing.T) {
	for name, answer := range map[string]struct {
		status int
		body   map[string]any
	}{
		"refused":                  {400, map[string]any{"error": "Bearer " + plantedJWT, "error_description": "visible-marker refresh_token=" + plantedJWT + " " + strings.Repeat("x", 5000), "correlation_id": plantedJWT}},
		"malformed expires_in":     {200, map[string]any{"access_token": plantedJWT, "expires_in": plantedJWT}},
		"no access token, error 0": {200, map[string]any{"error_description": plantedJWT}},
	} {
		t.Run(name, func(t *testing.T) {
			s := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(answer.status)
				json.NewEncoder(w).Encode(answer.body)
			}))
			defer s.Close()
			cred, err := partnercenter.NewRefreshTokenCredential(tenantID, "app-id", "refresh-0", &partnercenter.RefreshTokenCredentialOptions{
				AuthorityHost: s.URL + "/", HTTPClient: s.Client(),
			})
			if err != nil {
				t.Fatal(err)
			}
			_, err = cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{partnercenter.CloudGlobal.Scope()}})
			var ae *partnercenter.AuthenticationError
			if !errors.As(err, &ae) {
				t.Fatalf("want an *AuthenticationError, got %T %v", err, err)
			}
			if msg := err.Error(); strings.Contains(msg, plantedJWT[:30]) || len(msg) > 2048 {
				t.Fatalf("Error() carries the token or is unbounded (%d bytes): %s", len(msg), msg)
			}
			if name == "refused" && ae.ErrorCode != "Bearer "+plantedJWT { // control
				t.Fatalf("control: ErrorCode = %q", ae.ErrorCode)
			}
		})
	}
}

type policyFunc func(*policy.Request) (*http.Response, error)

func (f policyFunc) Do(req *policy.Request) (*http.Response, error) { return f(req) }
