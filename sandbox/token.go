package sandbox

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
)

// The audiences the sandbox issues Partner Center tokens for (learn.microsoft.com/partner-center/developer/partner-center-authentication;
// the 21Vianet audience is inferred from Microsoft's PowerShell module). Any other audience gets a token that the API refuses with 401
// code 900420, as the real service refuses https://graph.windows.net.
var partnerCenterAudiences = []string{
	"https://api.partnercenter.microsoft.com",
	"https://partner.partnercenterapi.microsoftonline.cn",
}

type issuedToken struct {
	tenant   string
	audience string
	expires  time.Time
	appUser  bool // from a refresh token (App+User), not client credentials (App-only)
	mfa      bool // the App+User sign-in was MFA-verified
}

// refreshGrant is what a refresh token stands for: its owner ("tenant/clientID") and whether
// its sign-in was MFA-verified (kept when the token rolls).
type refreshGrant struct {
	owner string
	mfa   bool
}

// tokens is the sandbox's Entra stand-in: client-credentials and refresh-token grants at
// /{tenant}/oauth2/v2.0/token, and the OpenID configuration document that azidentity (MSAL)
// reads first, so that azidentity credentials work against it unchanged.
type tokens struct {
	seed     *Seed
	lifetime time.Duration
	baseURL  func() string

	mu        sync.Mutex
	access    map[string]issuedToken
	nextSweep int                     // len(access) at which expired tokens are dropped
	refresh   map[string]refreshGrant // rotated on each use
	// requireMFA refuses App+User tokens without the MFA claim (Options.RequireMFA).
	requireMFA bool
}

// maxTokenForm bounds a token request's form: a few hundred bytes in practice.
const maxTokenForm = 64 << 10

// minSweep is the size of the access-token map below which expired tokens are kept.
const minSweep = 1024

func newTokens(seed *Seed, lifetime time.Duration, baseURL func() string) *tokens {
	t := &tokens{seed: seed, lifetime: lifetime, baseURL: baseURL, access: map[string]issuedToken{}, refresh: map[string]refreshGrant{}}
	for _, p := range seed.Partners {
		for _, rt := range p.RefreshTokens {
			t.refresh[rt.Token] = refreshGrant{strings.ToLower(p.TenantID) + "/" + rt.ClientID, rt.MFA}
		}
	}
	return t
}

func (t *tokens) partner(tenant string) *PartnerSeed {
	for i, p := range t.seed.Partners {
		if strings.EqualFold(p.TenantID, tenant) {
			return &t.seed.Partners[i]
		}
	}
	return nil
}

func (t *tokens) openIDConfiguration(w http.ResponseWriter, r *http.Request) {
	tenant := r.PathValue("tenant")
	if t.partner(tenant) == nil {
		oauthError(w, http.StatusBadRequest, "invalid_tenant", "AADSTS90002: Tenant '"+tenant+"' not found.")
		return
	}
	base := t.baseURL() + "/" + tenant
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                base + "/v2.0",
		"authorization_endpoint":                base + "/oauth2/v2.0/authorize",
		"token_endpoint":                        base + "/oauth2/v2.0/token",
		"jwks_uri":                              t.baseURL() + "/discovery/v2.0/keys",
		"response_types_supported":              []string{"code", "id_token", "code id_token", "token id_token"},
		"subject_types_supported":               []string{"pairwise"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"scopes_supported":                      []string{"openid", "profile", "email", "offline_access"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "client_secret_basic"},
		"tenant_region_scope":                   "NA",
	})
}

func (t *tokens) token(w http.ResponseWriter, r *http.Request) {
	tenant := strings.ToLower(r.PathValue("tenant"))
	p := t.partner(tenant)
	if p == nil {
		oauthError(w, http.StatusBadRequest, "invalid_tenant", "AADSTS90002: Tenant not found.")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxTokenForm)
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "The request body must be form-encoded.")
		return
	}
	clientID := r.PostForm.Get("client_id")
	audience := audienceOf(r.PostForm.Get("scope"), r.PostForm.Get("resource"))
	switch r.PostForm.Get("grant_type") {
	case "client_credentials":
		if !appMatches(p, clientID, r.PostForm.Get("client_secret")) {
			oauthError(w, http.StatusUnauthorized, "invalid_client", "AADSTS7000215: Invalid client secret provided.")
			return
		}
		writeJSON(w, http.StatusOK, t.issue(tenant, audience, ""))
	case "refresh_token":
		// The token is checked against its owner (tenant and app) and the app's secret before
		// it is used up: a request with the wrong client_id must not burn the owner's token.
		rt := r.PostForm.Get("refresh_token")
		if secret := r.PostForm.Get("client_secret"); secret != "" && !appMatches(p, clientID, secret) {
			oauthError(w, http.StatusUnauthorized, "invalid_client", "AADSTS7000215: Invalid client secret provided.")
			return
		}
		t.mu.Lock()
		grant, ok := t.refresh[rt]
		ok = ok && grant.owner == tenant+"/"+clientID
		if ok {
			delete(t.refresh, rt) // refresh tokens roll on each use
		}
		t.mu.Unlock()
		if !ok {
			oauthError(w, http.StatusBadRequest, "invalid_grant", "AADSTS70000: The provided refresh token has expired, was already used, or was not issued to this client.")
			return
		}
		next := randomToken("sbx-refresh.")
		t.mu.Lock()
		t.refresh[next] = grant
		t.mu.Unlock()
		writeJSON(w, http.StatusOK, t.issueWithMFA(tenant, audience, next, grant.mfa))
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "The sandbox supports client_credentials and refresh_token.")
	}
}

// issue answers a token request. expires_in is a string, as Entra's v1 endpoint sends it:
// clients must accept both forms.
func (t *tokens) issue(tenant, audience, refreshToken string) map[string]any {
	return t.issueWithMFA(tenant, audience, refreshToken, false)
}

// issueWithMFA is issue for an App+User sign-in whose MFA verification is known.
func (t *tokens) issueWithMFA(tenant, audience, refreshToken string, mfa bool) map[string]any {
	tok := randomToken("sbx-access.")
	now := time.Now()
	t.mu.Lock()
	t.access[tok] = issuedToken{tenant: tenant, audience: audience, expires: now.Add(t.lifetime), appUser: refreshToken != "", mfa: mfa}
	if len(t.access) >= t.nextSweep {
		// Drop tokens that expired more than a lifetime ago (a recently expired one is still
		// told apart from one never issued), and sweep next when the map has doubled: memory
		// stays within twice the tokens of two lifetimes, at an amortized constant cost.
		for k, it := range t.access {
			if now.After(it.expires.Add(t.lifetime)) {
				delete(t.access, k)
			}
		}
		t.nextSweep = max(minSweep, 2*len(t.access))
	}
	t.mu.Unlock()
	secs := strconv.Itoa(int(t.lifetime.Seconds()))
	out := map[string]any{"token_type": "Bearer", "access_token": tok, "expires_in": secs, "ext_expires_in": secs}
	if refreshToken != "" {
		out["refresh_token"] = refreshToken
		out["scope"] = audience + "/user_impersonation"
	}
	return out
}

// authenticate returns the partner tenant of a bearer token the sandbox issued for a Partner
// Center audience, or the documented 401 error body's code and description.
func (t *tokens) authenticate(header string) (tenant string, code int64, description string) {
	tok, ok := strings.CutPrefix(header, "Bearer ")
	if !ok || tok == "" {
		return "", 401, "The request was not authenticated: a bearer token is required."
	}
	t.mu.Lock()
	it, ok := t.access[tok]
	t.mu.Unlock()
	switch {
	case !ok:
		return "", 401, "The request was not authenticated: the token was not issued by this sandbox."
	case time.Now().After(it.expires):
		return "", 401, "The request was not authenticated: the token has expired."
	case !contains(partnerCenterAudiences, it.audience):
		return "", 900420, "The token audience " + it.audience + " is no longer supported."
	case t.requireMFA && it.appUser && !it.mfa:
		// The 2025-2026 enforcement: App+User calls need a token from an MFA-verified sign-in
		// (https://learn.microsoft.com/partner-center/security/partner-security-requirements-mandating-mfa).
		return "", 900421, "Multi-factor authentication is required: this App+User token does not come from an MFA-verified sign-in."
	}
	return it.tenant, 0, ""
}

func audienceOf(scope, resource string) string {
	if resource != "" {
		return strings.TrimSuffix(resource, "/")
	}
	for _, s := range strings.Fields(scope) {
		if i := strings.LastIndex(s, "/"); i > 0 && strings.HasPrefix(s, "http") {
			return s[:i]
		}
	}
	return ""
}

func appMatches(p *PartnerSeed, clientID, secret string) bool {
	for _, a := range p.Apps {
		if a.ClientID == clientID && a.ClientSecret == secret && secret != "" {
			return true
		}
	}
	return false
}

func randomToken(prefix string) string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

func oauthError(w http.ResponseWriter, status int, code, description string) {
	writeJSON(w, status, map[string]any{
		"error": code, "error_description": description, "error_codes": []int{},
		"timestamp": time.Now().UTC().Format("2006-01-02 15:04:05Z"), "trace_id": uuid.NewString(), "correlation_id": uuid.NewString(),
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
