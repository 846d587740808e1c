package partnercenter_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/log"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/partnercenter-go/partnercenter"
)

var noRetry = policy.RetryOptions{MaxRetries: -1}

// Every malformed answer gives a useful *Error: never a panic, never nil with nil.
func TestMalformedResponses(t *testing.T) {
	tests := []struct {
		name   string
		answer answer
		want   partnercenter.Error // the fields checked; RawBody checked non-empty when body is
		msg    []string            // substrings of Error()
		unwrap bool                // a 2xx that did not decode
	}{
		{"numeric code", jsonAnswer(400, `{"code":800041,"description":"The item is already activated.","data":[],"source":"PartnerFD"}`),
			partnercenter.Error{StatusCode: 400, Code: "800041", Description: "The item is already activated.", Source: "PartnerFD"},
			[]string{"ActivateSubscription", "400", "800041", "already activated"}, false},
		{"string code", jsonAnswer(401, `{"code":"900420","description":"Audience refused."}`),
			partnercenter.Error{StatusCode: 401, Code: "900420", Description: "Audience refused."}, []string{"900420"}, false},
		{"gateway 429 body", answer{status: 429, body: `{"statusCode":429,"message":"Rate limit is exceeded. Try again in 57 seconds."}`,
			headers: map[string]string{"Content-Type": "application/json", "Retry-After": "57"}},
			partnercenter.Error{StatusCode: 429, Code: "429", Description: "Rate limit is exceeded. Try again in 57 seconds.", RetryAfter: 57 * time.Second},
			[]string{"429", "Rate limit", "retry after 57s"}, false},
		{"HTML 502 from a proxy", answer{status: 502, body: "<html><body>Bad Gateway</body></html>", headers: map[string]string{"Content-Type": "text/html"}},
			partnercenter.Error{StatusCode: 502, ContentType: "text/html"}, []string{"502", "text/html"}, false},
		{"empty body", answer{status: 500}, partnercenter.Error{StatusCode: 500}, []string{"500", "empty body"}, false},
		{"byte-order mark", jsonAnswer(404, "\ufeff"+`{"code":20003,"description":"Subscription not found."}`),
			partnercenter.Error{StatusCode: 404, Code: "20003", Description: "Subscription not found."}, []string{"20003"}, false},
		{"JSON error body that is not an object", jsonAnswer(500, `["boom"]`), partnercenter.Error{StatusCode: 500}, []string{"500"}, false},
		{"truncated 200", jsonAnswer(200, `{"subscriptionId":"87363db7-`), partnercenter.Error{StatusCode: 200}, []string{"malformed response body"}, true},
		{"empty 200", jsonAnswer(200, ``), partnercenter.Error{StatusCode: 200}, []string{"malformed response body", "empty body"}, true},
		{"XML 200", answer{status: 200, body: "<SubscriptionActivationResult/>", headers: map[string]string{"Content-Type": "text/xml"}},
			partnercenter.Error{StatusCode: 200, ContentType: "text/xml"}, []string{"text/xml"}, true},
		{"200 of the wrong type", jsonAnswer(200, `{"subscriptionId":12,"status":"Success"}`), partnercenter.Error{StatusCode: 200}, []string{"malformed"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t, tc.answer)
			c, _ := newClient(t, s, &partnercenter.ClientOptions{Retry: noRetry})
			res, err := activate(c, context.Background())
			if res != (partnercenter.ActivateSubscriptionResponse{}) || err == nil {
				t.Fatalf("got result %v and error %v", res, err)
			}
			var pe *partnercenter.Error
			if !errors.As(err, &pe) {
				t.Fatalf("want *Error, got %T %v", err, err)
			}
			w := tc.want
			if pe.StatusCode != w.StatusCode || pe.Code != w.Code || pe.Description != w.Description || pe.Source != w.Source ||
				pe.RetryAfter != w.RetryAfter || (w.ContentType != "" && pe.ContentType != w.ContentType) {
				t.Errorf("got %+v\nwant %+v", *pe, w)
			}
			if pe.Operation != "ActivateSubscription" || !guidRE.MatchString(pe.RequestID) || !guidRE.MatchString(pe.CorrelationID) {
				t.Errorf("operation %q, request id %q, correlation id %q", pe.Operation, pe.RequestID, pe.CorrelationID)
			}
			if body := strings.TrimPrefix(tc.answer.body, "\ufeff"); string(pe.RawBody) != body {
				t.Errorf("RawBody %q, want %q", pe.RawBody, body)
			}
			if (errors.Unwrap(err) != nil) != tc.unwrap {
				t.Errorf("Unwrap() = %v; a decoding error is expected only for a 2xx", errors.Unwrap(err))
			}
			for _, m := range tc.msg {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("Error() %q lacks %q", err, m)
				}
			}
			if !strings.Contains(err.Error(), pe.RequestID) {
				t.Errorf("Error() %q lacks the request id", err)
			}
		})
	}
}

// A 200 with a byte-order mark decodes: proxies that add one must not break a success.
func TestByteOrderMarkOnSuccess(t *testing.T) {
	s := newServer(t, jsonAnswer(200, "\ufeff"+activatedBody))
	c, _ := newClient(t, s, nil)
	if res, err := activate(c, context.Background()); err != nil || res.SubscriptionID != subscriptionID {
		t.Fatalf("got %v, %v", res, err)
	}
}

func TestRawBodyIsBounded(t *testing.T) {
	big := `{"code":1,"description":"x","data":["` + strings.Repeat("a", 200<<10) + `"]}`
	s := newServer(t, jsonAnswer(400, big))
	c, _ := newClient(t, s, nil)
	_, err := activate(c, context.Background())
	var pe *partnercenter.Error
	if !errors.As(err, &pe) || len(pe.RawBody) != 64<<10 || pe.Code != "1" {
		t.Fatalf("want a 64 KiB RawBody and a parsed code, got %d bytes, %v", len(pe.RawBody), err)
	}
}

// The token never appears in an error, even when a server echoes it back.
func TestErrorNeverCarriesTheToken(t *testing.T) {
	const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
	s := newServer(t, jsonAnswer(401, `{"code":0,"description":"Token rejected: Bearer `+jwt+` (`+jwt+`)"}`))
	c, _ := newClient(t, s, &partnercenter.ClientOptions{Retry: noRetry})
	_, err := activate(c, context.Background())
	if err == nil {
		t.Fatal("want an error")
	}
	if strings.Contains(err.Error(), jwt) || strings.Contains(err.Error(), "token-1") {
		t.Fatalf("error leaks the token: %s", err)
	}
	if !strings.Contains(err.Error(), "[REDACTED]") {
		t.Fatalf("the echoed token was not redacted: %s", err)
	}
}

// azcore logging is on and shows the ids, while the Authorization header is redacted.
func TestLoggingRedactsAuthorization(t *testing.T) {
	var mu sync.Mutex
	var logged strings.Builder
	log.SetListener(func(_ log.Event, msg string) {
		mu.Lock()
		logged.WriteString(msg + "\n")
		mu.Unlock()
	})
	defer log.SetListener(nil)

	s := newServer(t, jsonAnswer(200, activatedBody))
	c, _ := newClient(t, s, nil)
	if _, err := activate(c, context.Background()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	out := logged.String()
	mu.Unlock()
	requestID := s.seen()[0].Header.Get("MS-RequestId")
	if !strings.Contains(out, requestID) {
		t.Fatalf("the log does not show MS-RequestId %s:\n%s", requestID, out)
	}
	if !strings.Contains(out, "Authorization: REDACTED") {
		t.Fatalf("the log does not show a redacted Authorization header:\n%s", out)
	}
	if strings.Contains(out, "token-1") {
		t.Fatalf("the log leaks the token:\n%s", out)
	}
}
