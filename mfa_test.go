package partnercenter_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/partnercenter-go/partnercenter"
)

// MFA refusals in each published form are ErrMFARequired, are sent once (no retry, not even
// the client's one retry of a 401 with a fresh token), keep the request id, and tell the user
// what to do. Controls: 900420 and a plain 401 are not MFA refusals, and a plain 401 is retried
// once.
func TestMFARequiredInEachPublishedForm(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name     string
		answer   answer
		mfa      bool
		attempts int
	}{
		// https://learn.microsoft.com/partner-center/security/partner-security-requirements-mandating-mfa (2019):
		// "HTTP/1.1 401 Unauthorized - MFA required", WWW-Authenticate: Bearer error="invalid_token", no body.
		{"the documented empty 401 with its reason phrase", answer{status: 401, reason: "Unauthorized - MFA required",
			headers: map[string]string{"WWW-Authenticate": `Bearer error="invalid_token"`}}, true, 1},
		// The 2025-2026 enforcement: 401 with code 900421 (body not published; the classic envelope assumed).
		{"900421", jsonAnswer(401, `{"code":"900421","description":"MFA is required to access this API.","data":[],"source":"PartnerFD"}`), true, 1},
		{"900421 as a number", jsonAnswer(401, `{"code":900421,"description":"x"}`), true, 1},
		// Partner Center puts a byte-order mark before its JSON (Azure/msrest-for-python#144).
		{"900421 after a byte-order mark", jsonAnswer(401, "\xEF\xBB\xBF"+`{"code":"900421","description":"x"}`), true, 1},
		// https://github.com/microsoft/Partner-Center-DotNet-Samples/issues/59: "Authentication failed. MFA required. (10001)".
		{"10001", jsonAnswer(401, `{"code":10001,"description":"Authentication failed. MFA required."}`), true, 1},
		// https://github.com/microsoft/Partner-Center-DotNet-Samples/issues/140: 900420 is an audience refusal.
		{"900420 is not MFA", jsonAnswer(401, `{"code":"900420","description":"The audience 'https://graph.windows.net' in the token is invalid and is no longer supported in Partner Center API."}`), false, 2},
		{"a plain empty 401 is not MFA", answer{status: 401, headers: map[string]string{"WWW-Authenticate": `Bearer error="invalid_token"`}}, false, 2},
		{"MFA words on a 403 are not this error", answer{status: 403, reason: "Forbidden - MFA required"}, false, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t, c.answer)
			client, cred := newClient(t, s, nil)
			_, err := client.ActivateSubscription(context.Background(), customerID, subscriptionID, &partnercenter.ActivateSubscriptionOptions{RequestID: "11111111-2222-3333-4444-555555555555"})
			var pcErr *partnercenter.Error
			if !errors.As(err, &pcErr) {
				t.Fatalf("want an *Error, got %v", err)
			}
			if got := errors.Is(err, partnercenter.ErrMFARequired); got != c.mfa {
				t.Errorf("errors.Is(err, ErrMFARequired) = %v, want %v: %v", got, c.mfa, err)
			}
			if n := len(s.seen()); n != c.attempts {
				t.Errorf("the server saw %d requests, want %d", n, c.attempts)
			}
			if c.mfa && cred.calls.Load() != 1 {
				t.Errorf("%d tokens fetched: an MFA refusal must not fetch another", cred.calls.Load())
			}
			if pcErr.RequestID != "11111111-2222-3333-4444-555555555555" {
				t.Errorf("RequestID = %q", pcErr.RequestID)
			}
			msg := err.Error()
			if want := "sign in again with MFA and use that sign-in's refresh token"; c.mfa != strings.Contains(msg, want) {
				t.Errorf("the message says what to do only for MFA refusals (%v): %s", c.mfa, msg)
			}
		})
	}
}

// The documented 2019 answer has no body: its reason phrase and the challenge's error are kept
// and printed, where a client used to print "401 Unauthorized (empty body)".
func TestErrorKeepsReasonPhraseAndChallengeError(t *testing.T) {
	t.Parallel()
	s := newServer(t, answer{status: 401, reason: "Unauthorized - MFA required",
		headers: map[string]string{"WWW-Authenticate": `Bearer error="invalid_token"`}})
	client, _ := newClient(t, s, nil)
	_, err := client.GetSubscriptionActivationLinks(context.Background(), customerID, subscriptionID, nil)
	var pcErr *partnercenter.Error
	if !errors.As(err, &pcErr) {
		t.Fatal(err)
	}
	if pcErr.ReasonPhrase != "Unauthorized - MFA required" || pcErr.ChallengeError != "invalid_token" {
		t.Errorf("ReasonPhrase %q, ChallengeError %q", pcErr.ReasonPhrase, pcErr.ChallengeError)
	}
	if msg := err.Error(); !strings.Contains(msg, "401 Unauthorized - MFA required (empty body)") || !strings.Contains(msg, `WWW-Authenticate error "invalid_token"`) {
		t.Errorf("Error() = %s", msg)
	}
	// Control: a standard reason phrase is not kept.
	s = newServer(t, jsonAnswer(404, `{"code":20000,"description":"Order ID not found"}`))
	client, _ = newClient(t, s, nil)
	_, err = client.GetOrderActivationLinks(context.Background(), customerID, orderID, nil)
	if !errors.As(err, &pcErr) || pcErr.ReasonPhrase != "" || pcErr.ChallengeError != "" {
		t.Errorf("a standard 404: %+v", pcErr)
	}
}

// The error-codes page lists "OK | 200 | 400072 | This item isn't available"
// (https://learn.microsoft.com/partner-center/developer/error-codes): a success status with an
// error body is an *Error with that code and description, not a decoding failure. Control: a
// 200 whose body is neither the model nor an error body still unwraps to the decoding error.
func TestSuccessStatusWithErrorBody(t *testing.T) {
	t.Parallel()
	s := newServer(t, jsonAnswer(200, `{"code":400072,"description":"This item isn't available.","data":[],"source":"PartnerFD"}`))
	client, _ := newClient(t, s, nil)
	_, err := client.GetOrderActivationLinks(context.Background(), customerID, orderID, nil)
	var pcErr *partnercenter.Error
	if !errors.As(err, &pcErr) {
		t.Fatal(err)
	}
	if pcErr.StatusCode != 200 || pcErr.Code != "400072" || pcErr.Description != "This item isn't available." || pcErr.Unwrap() != nil {
		t.Errorf("%+v", pcErr)
	}
	if msg := err.Error(); !strings.Contains(msg, "200 OK: code 400072: This item isn't available.") {
		t.Errorf("Error() = %s", msg)
	}
	s = newServer(t, jsonAnswer(200, `{"unexpected":true}`))
	client, _ = newClient(t, s, nil)
	_, err = client.GetOrderActivationLinks(context.Background(), customerID, orderID, nil)
	if !errors.As(err, &pcErr) || pcErr.Unwrap() == nil || pcErr.Code != "" {
		t.Errorf("control: %v", err)
	}
}

// An error keeps the call's request and correlation ids even when the answer does not echo
// them (the MFA page's sample has neither): they are the ids as sent. Control: echoed ids win.
func TestErrorKeepsTheIDsAsSent(t *testing.T) {
	t.Parallel()
	const rid, cid = "11111111-2222-3333-4444-555555555555", "66666666-7777-8888-9999-000000000000"
	s := newServer(t, answer{status: 401, reason: "Unauthorized - MFA required", headers: map[string]string{"MS-RequestId": "", "MS-CorrelationId": ""}})
	client, _ := newClient(t, s, nil)
	_, err := client.GetOrderActivationLinks(context.Background(), customerID, orderID, &partnercenter.GetOrderActivationLinksOptions{RequestID: rid, CorrelationID: cid})
	var pcErr *partnercenter.Error
	if !errors.As(err, &pcErr) || pcErr.RequestID != rid || pcErr.CorrelationID != cid || !strings.Contains(err.Error(), "[request id "+rid+"]") {
		t.Errorf("%+v", pcErr)
	}
	s = newServer(t, answer{status: 404, headers: map[string]string{"MS-RequestId": "aaaaaaaa-2222-3333-4444-555555555555"}})
	client, _ = newClient(t, s, nil)
	_, err = client.GetOrderActivationLinks(context.Background(), customerID, orderID, &partnercenter.GetOrderActivationLinksOptions{RequestID: rid})
	if !errors.As(err, &pcErr) || pcErr.RequestID != "aaaaaaaa-2222-3333-4444-555555555555" {
		t.Errorf("control: %+v", pcErr)
	}
}
