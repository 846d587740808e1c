package partnercenter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/partnercenter-go/partnercenter/internal/redact"
)

// RefreshTokenCredentialOptions configures NewRefreshTokenCredential.
type RefreshTokenCredentialOptions struct {
	// Cloud selects the Entra authority (default CloudGlobal).
	Cloud Cloud
	// AuthorityHost overrides the cloud's authority, e.g. a local sandbox's token endpoint
	// ("https://127.0.0.1:8443/"). It must be https://, or http:// on a loopback host.
	AuthorityHost string
	// ClientSecret authenticates a confidential application; leave empty for a public one.
	ClientSecret string
	// OnRefreshTokenRotated receives each new refresh token. Refresh tokens roll on every use
	// and the old one stops working eventually, so persist it. If it returns an error, GetToken
	// fails with that error (the new token is still used in memory), so that a failure to
	// persist is never silent.
	OnRefreshTokenRotated func(ctx context.Context, refreshToken string) error
	// HTTPClient sends the token requests (default http.DefaultClient). It is used through a
	// copy that never follows a redirect: a 307 would send the refresh token and the client
	// secret again, to wherever it points. A 3xx is an *AuthenticationError naming its target.
	HTTPClient *http.Client
}

// RefreshTokenCredential is the App+User credential of the secure application model: it
// exchanges a stored refresh token (grant_type=refresh_token) for access tokens at the cloud's
// Entra authority. It implements azcore.TokenCredential; the client's bearer-token policy
// caches the access tokens it returns until shortly before they expire.
type RefreshTokenCredential struct {
	tokenURL     string
	clientID     string
	clientSecret string
	onRotated    func(context.Context, string) error
	httpClient   *http.Client

	mu           sync.Mutex // one exchange at a time: each use rotates the refresh token
	refreshToken string
}

// NewRefreshTokenCredential returns a credential for the given tenant and application that
// starts from refreshToken.
func NewRefreshTokenCredential(tenantID, clientID, refreshToken string, opts *RefreshTokenCredentialOptions) (*RefreshTokenCredential, error) {
	var o RefreshTokenCredentialOptions
	if opts != nil {
		o = *opts
	}
	const op = "NewRefreshTokenCredential"
	if tenantID == "" || strings.ContainsAny(tenantID, "/?#") {
		return nil, &ArgumentError{op, "tenantID", tenantID, "must be a tenant GUID or domain name"}
	}
	if clientID == "" {
		return nil, &ArgumentError{op, "clientID", clientID, "must not be empty"}
	}
	if refreshToken == "" {
		return nil, &ArgumentError{op, "refreshToken", "", "must not be empty"}
	}
	authority := o.AuthorityHost
	if authority == "" {
		authority = o.Cloud.orDefault().AuthorityHost
	}
	u, err := url.Parse(authority)
	if err != nil || u.Host == "" || !(u.Scheme == "https" || u.Scheme == "http" && isLoopbackHost(u.Hostname())) {
		return nil, &ArgumentError{op, "AuthorityHost", authority, "must be an https:// URL (http:// only on a loopback host)"}
	}
	hc := o.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	return &RefreshTokenCredential{
		tokenURL:     strings.TrimSuffix(authority, "/") + "/" + url.PathEscape(tenantID) + "/oauth2/v2.0/token",
		clientID:     clientID,
		clientSecret: o.ClientSecret,
		onRotated:    o.OnRefreshTokenRotated,
		httpClient:   withoutRedirects(hc),
		refreshToken: refreshToken,
	}, nil
}

// GetToken exchanges the refresh token for an access token with the requested scopes.
func (c *RefreshTokenCredential) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if len(opts.Scopes) == 0 {
		return azcore.AccessToken{}, errors.New("partnercenter: RefreshTokenCredential.GetToken: no scopes requested")
	}
	c.mu.Lock()
	defer c.mu.Unlock()

	form := url.Values{
		"grant_type":    {"refresh_token"},
		"client_id":     {c.clientID},
		"refresh_token": {c.refreshToken},
		// offline_access asks for the rotated refresh token.
		"scope": {strings.Join(append(opts.Scopes[:len(opts.Scopes):len(opts.Scopes)], "offline_access"), " ")},
	}
	if c.clientSecret != "" {
		form.Set("client_secret", c.clientSecret)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return azcore.AccessToken{}, fmt.Errorf("partnercenter: refresh-token exchange: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", contentTypeJSON)
	start := time.Now()
	resp, err := c.httpClient.Do(req)
	if err != nil {
		// *url.Error names the URL, never the form: no secret reaches the message.
		return azcore.AccessToken{}, fmt.Errorf("partnercenter: refresh-token exchange: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 && resp.StatusCode <= 399 {
		return azcore.AccessToken{}, &AuthenticationError{StatusCode: resp.StatusCode, redirect: &redirectError{target: redirectTarget(req.URL, resp.Header.Get("Location"))}}
	}
	body, tooLarge, err := readBounded(resp.Body, resp.ContentLength, maxTokenResponseBytes)
	if err != nil {
		return azcore.AccessToken{}, fmt.Errorf("partnercenter: refresh-token exchange: reading the answer: %w", err)
	}
	if tooLarge {
		return azcore.AccessToken{}, &AuthenticationError{StatusCode: resp.StatusCode, decodeErr: fmt.Errorf("%w: more than %d bytes", ErrResponseTooLarge, maxTokenResponseBytes)}
	}
	var tr tokenResponse
	decodeErr := json.Unmarshal(body, &tr)
	if resp.StatusCode != http.StatusOK || decodeErr != nil || tr.AccessToken == "" {
		return azcore.AccessToken{}, &AuthenticationError{
			StatusCode: resp.StatusCode, ErrorCode: tr.Error, Description: tr.ErrorDescription,
			CorrelationID: tr.CorrelationID, decodeErr: decodeErr,
		}
	}
	switch {
	case tr.ExpiresIn <= 0:
		tr.ExpiresIn = 3600
	case tr.ExpiresIn > maxTokenLifetimeSeconds:
		// Entra issues access tokens for at most a day. A larger number would overflow the
		// Duration below (9223372037 s wraps negative): the token would look expired and every
		// call would exchange, and rotate, the refresh token again.
		tr.ExpiresIn = maxTokenLifetimeSeconds
	}
	token := azcore.AccessToken{Token: tr.AccessToken, ExpiresOn: start.Add(time.Duration(tr.ExpiresIn) * time.Second)}
	if tr.RefreshToken != "" && tr.RefreshToken != c.refreshToken {
		c.refreshToken = tr.RefreshToken
		if c.onRotated != nil {
			if err := c.onRotated(ctx, tr.RefreshToken); err != nil {
				return azcore.AccessToken{}, fmt.Errorf("partnercenter: OnRefreshTokenRotated: %w", err)
			}
		}
	}
	return token, nil
}

// maxTokenLifetimeSeconds caps expires_in: Entra's longest configurable access-token lifetime.
const maxTokenLifetimeSeconds = 24 * 60 * 60

// maxTokenResponseBytes bounds a token endpoint's answer; a real one is a few KiB.
const maxTokenResponseBytes = 1 << 20

type tokenResponse struct {
	AccessToken      string    `json:"access_token"`
	RefreshToken     string    `json:"refresh_token"`
	ExpiresIn        flexInt64 `json:"expires_in"`
	Error            string    `json:"error"`
	ErrorDescription string    `json:"error_description"`
	CorrelationID    string    `json:"correlation_id"`
}

// flexInt64 decodes a JSON number or a string holding one: Entra's v1 endpoint sends
// "expires_in": "3600".
type flexInt64 int64

func (f *flexInt64) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		*f = 0
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("expires_in %s is not a number of seconds", b)
	}
	*f = flexInt64(n)
	return nil
}

// AuthenticationError is a refused, redirected or malformed token exchange. It never holds
// the refresh token or the client secret it sent; what the endpoint answered is kept in the
// fields, and Error() masks credentials in everything it prints and bounds its length.
type AuthenticationError struct {
	StatusCode    int
	ErrorCode     string // OAuth2 error, e.g. "invalid_grant"
	Description   string // error_description
	CorrelationID string
	decodeErr     error
	redirect      *redirectError
}

func (e *AuthenticationError) Error() string {
	msg := fmt.Sprintf("partnercenter: refresh-token exchange: %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.redirect != nil {
		return msg + ": " + e.redirect.Error()
	}
	if e.ErrorCode != "" {
		msg += ": " + redact.Bounded(e.ErrorCode, maxPrintedCode)
	}
	if e.Description != "" {
		msg += ": " + redact.Bounded(e.Description, maxPrintedText)
	}
	if e.decodeErr != nil {
		msg += ": malformed token response: " + redact.Bounded(e.decodeErr.Error(), maxPrintedText)
	} else if e.ErrorCode == "" {
		msg += ": no access token in the answer"
	}
	if e.CorrelationID != "" {
		msg += " [correlation id " + redact.Bounded(e.CorrelationID, maxPrintedID) + "]"
	}
	return msg
}

// Unwrap returns the decoding error of a malformed answer (ErrResponseTooLarge for one past
// 1 MiB), or ErrRedirectRefused for a 3xx.
func (e *AuthenticationError) Unwrap() error {
	if e.redirect != nil {
		return e.redirect
	}
	return e.decodeErr
}
