package redact

import (
	"strings"

	"github.com/partnercenter-go/partnercenter/internal/authchallenge"
)

// An authentication challenge (WWW-Authenticate, Proxy-Authenticate) says where to get a token;
// it is not one. Its parameters (realm, authorization_uri, error, error_description, scope,
// resource_id, claims...) are judged as text: a JWT, a bearer token or an OAuth2 field inside
// them is still a credential. A token68 after the scheme, and a parameter this rule does not
// know that holds a long opaque value, fail closed.

// challengeHeaders carry a challenge. Canonical form.
var challengeHeaders = map[string]bool{"Www-Authenticate": true, "Proxy-Authenticate": true}

// ChallengeHeader reports whether a header of that name (any case) carries an authentication
// challenge.
func ChallengeHeader(name string) bool {
	if challengeHeaders[name] {
		return true
	}
	name = strings.TrimSpace(name)
	return strings.EqualFold(name, "WWW-Authenticate") || strings.EqualFold(name, "Proxy-Authenticate")
}

// challengeParams are the auth-params of the challenges the Microsoft identity platform, RFC
// 6750, RFC 9110 (Basic, Digest) and Partner Center send: none holds a credential by its name.
// (Lower case.)
var challengeParams = map[string]bool{
	"realm": true, "authorization_uri": true, "authorization": true, "error": true,
	"error_description": true, "error_uri": true, "scope": true, "resource_id": true,
	"resource": true, "claims": true, "trusted_issuers": true, "client_id": true,
	"tenant_id": true, "token_types": true, "charset": true, "nonce": true, "opaque": true,
	"qop": true, "algorithm": true, "stale": true, "domain": true, "userhash": true,
	"cnonce": true, "nc": true, "max_age": true, "acr_values": true,
	"trace_id": true, "correlation_id": true, "timestamp": true, "error_codes": true,
}

// ChallengeCredential reports the kind of the first credential in a challenge header's value,
// "" when it holds none: what it sends are parameters, and a parameter holds a credential only
// when its content is token-like (a JWT, a bearer token, an OAuth2 field), or when its name
// says it carries one (access_token=, code=...). A token68 after the scheme that is not a
// placeholder is a credential.
func ChallengeCredential(v string) string {
	if IsPlaceholder(v) {
		return ""
	}
	if jwtInText.MatchString(unescapeTokenChars(v)) {
		return "JWT" // wherever it sits
	}
	for _, c := range authchallenge.Parse(v) {
		if schemeIsToken(c.Scheme) {
			return "credential"
		}
		if c.Token68 != "" && !IsPlaceholder(c.Token68) {
			if jwtValue.MatchString(c.Token68) {
				return "JWT"
			}
			if strings.EqualFold(c.Scheme, "bearer") {
				return "bearer token"
			}
			return "credential"
		}
		for _, p := range c.Params {
			if kind := challengeParamCredential(p); kind != "" {
				return kind
			}
		}
	}
	return ""
}

// schemeIsToken: what stands where a scheme should is a token (a bare token sent back as the
// whole value).
func schemeIsToken(scheme string) bool {
	return jwtValue.MatchString(scheme) || looksOpaque(scheme)
}

func challengeParamCredential(p authchallenge.Param) string {
	name := strings.ToLower(p.Name)
	if challengeParams[name] {
		return CredentialInText(p.Value)
	}
	if kind := FieldCredential(p.Name, p.Value, false); kind != "" {
		return kind
	}
	if looksOpaque(p.Value) {
		return "credential"
	}
	return ""
}

// maskChallenge masks the credentials in a challenge header's value, keeping the rest as sent.
// A value with a credential in it is rewritten from its parts.
func maskChallenge(v string) string {
	if ChallengeCredential(v) == "" {
		return v
	}
	var b strings.Builder
	for i, c := range authchallenge.Parse(v) {
		if i > 0 {
			b.WriteString(", ")
		}
		if schemeIsToken(c.Scheme) {
			b.WriteString(Mask)
		} else {
			b.WriteString(String(c.Scheme))
		}
		if c.Token68 != "" {
			b.WriteString(" " + Mask)
		}
		for j, p := range c.Params {
			switch {
			case j > 0:
				b.WriteString(", ")
			case c.Scheme != "":
				b.WriteString(" ")
			}
			value := p.Value
			if challengeParamCredential(p) != "" {
				value = String(value)
				if value == p.Value { // a credential by its name or shape: all of it
					value = Mask
				}
			}
			if p.Name != "" {
				b.WriteString(String(p.Name) + "=") // a token may stand where a name should
			}
			b.WriteString(`"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(value) + `"`)
		}
	}
	return b.String()
}
