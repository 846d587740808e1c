package partnercenter_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/partnercenter-go/partnercenter"
)

const tenantID = "11111111-2222-3333-4444-555555555555"

// tokenEndpoint is a loopback Entra stand-in that rotates refresh tokens on every use, as
// Entra does, and refuses a refresh token it has already rotated away.
type tokenEndpoint struct {
	*httptest.Server
	mu        sync.Mutex
	current   string // the only refresh token it accepts
	issued    int
	expiresIn any // sent as given: a string ("3600") or a number
	forms     []map[string]string
}

func newTokenEndpoint(t *testing.T, first string, expiresIn any) *tokenEndpoint {
	e := &tokenEndpoint{current: first, expiresIn: expiresIn}
	e.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		e.mu.Lock()
		defer e.mu.Unlock()
		form := map[string]string{"path": r.URL.Path}
		for k := range r.PostForm {
			form[k] = r.PostForm.Get(k)
		}
		e.forms = append(e.forms, form)
		w.Header().Set("Content-Type", "application/json")
		if r.PostForm.Get("grant_type") != "refresh_token" || r.PostForm.Get("refresh_token") != e.current {
			w.WriteHeader(400)
			fmt.Fprint(w, `{"error":"invalid_grant","error_description":"AADSTS70000: The refresh token has expired or was already used.","correlation_id":"c0ffee"}`)
			return
		}
		e.issued++
		e.current = fmt.Sprintf("refresh-%d", e.issued)
		json.NewEncoder(w).Encode(map[string]any{
			"token_type": "Bearer", "access_token": fmt.Sprintf("access-%d", e.issued),
			"refresh_token": e.current, "expires_in": e.expiresIn,
		})
	}))
	t.Cleanup(e.Close)
	return e
}

func TestRefreshTokenCredentialRotates(t *testing.T) {
	for name, expiresIn := range map[string]any{"expires_in as a string": "3600", "expires_in as a number": 3600} {
		t.Run(name, func(t *testing.T) {
			e := newTokenEndpoint(t, "refresh-0", expiresIn)
			var rotated []string
			cred, err := partnercenter.NewRefreshTokenCredential(tenantID, "app-id", "refresh-0", &partnercenter.RefreshTokenCredentialOptions{
				AuthorityHost: e.URL + "/",
				ClientSecret:  "app-secret",
				HTTPClient:    e.Client(),
				OnRefreshTokenRotated: func(_ context.Context, rt string) error {
					rotated = append(rotated, rt)
					return nil
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			opts := policy.TokenRequestOptions{Scopes: []string{partnercenter.CloudGlobal.Scope()}}
			for i := 1; i <= 2; i++ {
				tok, err := cred.GetToken(context.Background(), opts)
				if err != nil {
					t.Fatal(err)
				}
				if tok.Token != fmt.Sprintf("access-%d", i) || tok.ExpiresOn.IsZero() {
					t.Fatalf("token %d: %+v", i, tok)
				}
			}
			if strings.Join(rotated, ",") != "refresh-1,refresh-2" {
				t.Fatalf("rotated tokens handed back: %v", rotated)
			}
			f := e.forms[1]
			if f["path"] != "/"+tenantID+"/oauth2/v2.0/token" || f["refresh_token"] != "refresh-1" || f["client_id"] != "app-id" ||
				f["client_secret"] != "app-secret" || f["scope"] != "https://api.partnercenter.microsoft.com/.default offline_access" {
				t.Fatalf("second exchange sent %v", f)
			}
		})
	}
}

// A refused exchange is an *AuthenticationError that names the OAuth2 error and never the
// refresh token or the secret.
func TestRefreshTokenCredentialRefused(t *testing.T) {
	e := newTokenEndpoint(t, "refresh-0", "3600")
	cred, err := partnercenter.NewRefreshTokenCredential(tenantID, "app-id", "stale-refresh-token", &partnercenter.RefreshTokenCredentialOptions{
		AuthorityHost: e.URL, ClientSecret: "app-secret", HTTPClient: e.Client(),
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{"s/.default"}})
	var ae *partnercenter.AuthenticationError
	if !errors.As(err, &ae) || ae.StatusCode != 400 || ae.ErrorCode != "invalid_grant" || ae.CorrelationID != "c0ffee" {
		t.Fatalf("want *AuthenticationError invalid_grant, got %v", err)
	}
	for _, secret := range []string{"stale-refresh-token", "app-secret"} {
		if strings.Contains(err.Error(), secret) {
			t.Fatalf("error leaks %q: %s", secret, err)
		}
	}
	if !strings.Contains(err.Error(), "invalid_grant") {
		t.Fatalf("error does not name the OAuth2 error: %s", err)
	}
}

func TestRefreshTokenCredentialPersistFailureIsLoud(t *testing.T) {
	e := newTokenEndpoint(t, "refresh-0", 3600)
	cred, _ := partnercenter.NewRefreshTokenCredential(tenantID, "app-id", "refresh-0", &partnercenter.RefreshTokenCredentialOptions{
		AuthorityHost: e.URL, HTTPClient: e.Client(),
		OnRefreshTokenRotated: func(context.Context, string) error { return errors.New("vault unavailable") },
	})
	_, err := cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{"s/.default"}})
	if err == nil || !strings.Contains(err.Error(), "vault unavailable") {
		t.Fatalf("want the persistence failure, got %v", err)
	}
	// The rotated token is still used in memory: the next exchange succeeds.
	cred2Err := func() error {
		_, err := cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{"s/.default"}})
		return err
	}()
	if cred2Err == nil || !strings.Contains(cred2Err.Error(), "vault unavailable") || e.issued != 2 {
		t.Fatalf("second exchange: issued %d, err %v", e.issued, cred2Err)
	}
}

func TestRefreshTokenCredentialArguments(t *testing.T) {
	for _, tc := range []struct{ tenant, client, rt, authority, arg string }{
		{"", "app", "rt", "", "tenantID"},
		{"a/b", "app", "rt", "", "tenantID"},
		{tenantID, "", "rt", "", "clientID"},
		{tenantID, "app", "", "", "refreshToken"},
		{tenantID, "app", "rt", "http://login.example.test/", "AuthorityHost"},
	} {
		_, err := partnercenter.NewRefreshTokenCredential(tc.tenant, tc.client, tc.rt, &partnercenter.RefreshTokenCredentialOptions{AuthorityHost: tc.authority})
		var ae *partnercenter.ArgumentError
		if !errors.As(err, &ae) || ae.Name != tc.arg {
			t.Errorf("%+v: want an ArgumentError naming %s, got %v", tc, tc.arg, err)
		}
	}
}

// End to end over HTTPS: the client authenticates with the App+User credential, and the
// API server receives the access token the token endpoint issued.
func TestClientWithRefreshTokenCredentialOverTLS(t *testing.T) {
	e := newTokenEndpoint(t, "refresh-0", "3600")
	cred, _ := partnercenter.NewRefreshTokenCredential(tenantID, "app-id", "refresh-0", &partnercenter.RefreshTokenCredentialOptions{
		AuthorityHost: e.URL, HTTPClient: e.Client(),
	})
	var gotAuth string
	api := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAuth = r.Header.Get("Authorization")
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, activatedBody)
	}))
	defer api.Close()
	c, err := partnercenter.NewClient(cred, &partnercenter.ClientOptions{Endpoint: api.URL, Transport: api.Client()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ActivateSubscription(context.Background(), customerID, subscriptionID, nil); err != nil {
		t.Fatal(err)
	}
	if gotAuth != "Bearer access-1" {
		t.Fatalf("API saw Authorization %q", gotAuth)
	}
}

// An expires_in too large for a time.Duration is capped at a day, never wrapped into the past
// (which would make every call exchange the refresh token again). Control: 3600 is an hour.
func TestRefreshTokenCredentialExpiresInOverflow(t *testing.T) {
	for expiresIn, want := range map[any]time.Duration{"9223372037": 24 * time.Hour, int64(1) << 62: 24 * time.Hour, 3600: time.Hour} {
		e := newTokenEndpoint(t, "refresh-0", expiresIn)
		cred, err := partnercenter.NewRefreshTokenCredential(tenantID, "app-id", "refresh-0", &partnercenter.RefreshTokenCredentialOptions{
			AuthorityHost: e.URL + "/", HTTPClient: e.Client(),
		})
		if err != nil {
			t.Fatal(err)
		}
		before := time.Now()
		tok, err := cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{partnercenter.CloudGlobal.Scope()}})
		if err != nil {
			t.Fatal(err)
		}
		if got := tok.ExpiresOn.Sub(before); got < want-time.Minute || got > want+time.Minute {
			t.Errorf("expires_in %v: the token expires in %v, want about %v", expiresIn, got, want)
		}
	}
}
