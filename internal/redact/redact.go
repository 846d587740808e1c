// Package redact is the project's one redaction: what counts as a credential, what counts as a
// placeholder left where one was removed, and how free text is masked before it is printed.
// The client's errors and logs, the command's --verbose trace, and the contract gate's secret
// scan and recorder all use it, so that what one of them masks the others mask too.
package redact

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/partnercenter-go/partnercenter/internal/guid"
)

// Mask replaces a credential in printed text.
const Mask = "[REDACTED]"

// tokenInText finds credentials inside free text: bearer tokens, JWTs, OAuth2 fields in form
// (a=b&c=d), JSON ("a":"b", escaped quotes too) or header-like (a: b) syntax, and the
// project sandbox's opaque tokens. Group 1, where present, is the part kept (the field name
// or the word Bearer); the value after it is masked.
var tokenInText = regexp.MustCompile(`(?i)` +
	`(bearer\s+)[a-z0-9._~+/=-]+` +
	`|eyJ[a-z0-9_-]{4,}\.[a-z0-9_-]+\.[a-z0-9_.-]*` + // dots after the second: a match never stops inside a token (JWE has five parts)
	`|((?:access_token|refresh_token|id_token|client_secret|client_assertion|password|assertion)(?:\\?["'])?\s*[:=]\s*(?:\\?["'])?)[^\s"'\\&,}]+` +
	`|((?:^|[?&;,\s"'])secret=)[a-z0-9._~+/-]{8,}` + // form or query syntax only: "secret: x" is prose
	`|((?:^|[?&;,\s"'])code=)[a-z0-9._~+/-]{16,}` + // an OAuth2 authorization code; Partner Center's "code":800041 is JSON
	`|sbx-(?:access|refresh)\.[a-z0-9._-]+`)

// bearerAuthParam reports whether m, a match of tokenInText followed by the text rest, is
// "Bearer name=value", the start of a challenge's parameters (Bearer error="invalid_token"),
// rather than a token: a token68 has "=" only as trailing padding, and an auth-param's "=" is
// followed by its value.
func bearerAuthParam(m, rest string) bool {
	if len(m) < 7 || !equalFoldLower(m[:6], "bearer") {
		return false
	}
	value := strings.TrimLeft(m[6:], " \t\r\n")
	eq := strings.IndexByte(value, '=')
	if eq <= 0 {
		return false
	}
	if strings.TrimRight(value, "=") != value[:eq] {
		return true // name=value: "=" inside
	}
	return len(rest) > 0 && rest[0] == '"' && eq == len(value)-1 // name="quoted"
}

// String masks every credential inside s. It is safe on any input and never grows s by more
// than the masks it inserts.
func String(s string) string {
	if !mayHoldCredential(s) {
		return s
	}
	return mask(s)
}

// mask is String without the cue check. It matches on the text with JSON escapes of token
// characters undone (unescapeTokenChars); text without a credential is returned as it was.
func mask(s string) string {
	if t := unescapeTokenChars(s); t != s {
		if !tokenInText.MatchString(t) {
			return s
		}
		s = t
	}
	var b strings.Builder
	last := 0
	for m := range credentialMatches(s) {
		b.WriteString(s[last:m.start])
		b.WriteString(s[m.start:m.keepEnd] + Mask)
		last = m.end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// credentialMatch is one match of tokenInText: s[start:keepEnd] is kept (a field name, the
// word Bearer), s[keepEnd:end] is the credential.
type credentialMatch struct{ start, keepEnd, end int }

// credentialMatches yields the matches of tokenInText in s, in order, except "Bearer name=":
// that is a challenge's parameter, and what follows it is searched again (Bearer
// code=<a code> still yields the code).
func credentialMatches(s string) func(yield func(credentialMatch) bool) {
	return func(yield func(credentialMatch) bool) {
		for pos := 0; pos < len(s); {
			m := tokenInText.FindStringSubmatchIndex(s[pos:])
			if m == nil {
				return
			}
			for i := range m {
				if m[i] >= 0 {
					m[i] += pos
				}
			}
			if bearerAuthParam(s[m[0]:m[1]], s[m[1]:]) {
				pos = m[0] + len("bearer")
				continue
			}
			keepEnd := m[0]
			for g := 1; g < len(m)/2; g++ {
				if m[2*g] >= 0 {
					keepEnd = m[2*g+1]
					break
				}
			}
			if !yield(credentialMatch{m[0], keepEnd, m[1]}) {
				return
			}
			pos = max(m[1], m[0]+1)
		}
	}
}

// credentialCues are what every match of tokenInText contains, in lower case: String runs the
// regular expression only on text that holds one, so that masking every header of every
// response costs next to nothing. Keep them in step with tokenInText.
// A \u escape can hide any of them ("\u0065yJ..."), so it is a cue too.
var credentialCues = []string{"bearer", "eyj", "token", "secret", "assertion", "password", "sbx-", "code=", `\u`}

// mayHoldCredential reports whether s contains a credential cue, ignoring ASCII case, without
// allocating.
func mayHoldCredential(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20 // ASCII lower case of a letter (a cue's first byte that is no letter is compared as it is)
		if !cueStart[c] && !cueStart[s[i]] {
			continue // most bytes: two table lookups
		}
		for _, cue := range credentialCues {
			if (c == cue[0] || s[i] == cue[0]) && len(s)-i >= len(cue) && equalFoldLower(s[i:i+len(cue)], cue) {
				return true
			}
		}
	}
	return false
}

// unescapeTokenChars undoes the JSON escapes (\uXXXX, \/) of the characters a credential is
// made of ([A-Za-z0-9._~+/=-]): a body that writes a token as "\u0065yJhbGci..." or
// "Bearer abc\/def" must not slip past a pattern that looks for "eyJ" or stops at a
// backslash. Escapes of any other character are left as they are, so JSON text stays JSON.
// (An escaped backslash before "u0065" is undone too: masking more is the safe side.)
func unescapeTokenChars(s string) string {
	if !strings.Contains(s, `\u`) && !strings.Contains(s, `\/`) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			if s[i+1] == '/' {
				b.WriteByte('/')
				i++
				continue
			}
			if s[i+1] == 'u' && i+6 <= len(s) {
				if r, err := strconv.ParseUint(s[i+2:i+6], 16, 16); err == nil && r < utf8.RuneSelf && isTokenChar(byte(r)) {
					b.WriteByte(byte(r))
					i += 5
					continue
				}
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isTokenChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("._~+/=-", c) >= 0
}

// cueStart marks the first bytes of credentialCues.
var cueStart = func() (t [256]bool) {
	for _, cue := range credentialCues {
		t[cue[0]] = true
	}
	return t
}()

// Bounded is String(s) cut to at most max bytes (on a rune boundary), with a note of how much
// was cut. Every string an error prints goes through it: a hostile server must not be able to
// make an error message megabytes long.
//
// Only the first max+boundedWindow bytes are masked: what lies past them is never printed, and
// masking a 4 MiB description to print 1 KiB of it took over a second of CPU on every Error().
// (A JWT that starts before the cut and is longer than the window, 16 KiB, would not be
// recognised, and its head could show; real ones are a few KiB.)
func Bounded(s string, max int) string {
	unseen := 0
	if len(s) > max+boundedWindow {
		unseen = len(s) - (max + boundedWindow)
		s = s[:max+boundedWindow]
	}
	s = String(s)
	if len(s) <= max && unseen == 0 {
		return s
	}
	cut := min(max, len(s))
	for cut > 0 && cut < len(s) && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "...(" + itoa(len(s)-cut+unseen) + " more bytes)"
}

// boundedWindow is how far past its cut Bounded masks: room for any real token that starts
// before the cut.
const boundedWindow = 16 << 10

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}

// sensitiveHeaders carry credentials by their name. Canonical form. (A challenge header,
// WWW-Authenticate, is not one of them: ChallengeHeader.)
var sensitiveHeaders = map[string]bool{
	"Authorization":             true,
	"Proxy-Authorization":       true,
	"Cookie":                    true,
	"Set-Cookie":                true,
	"X-Ms-Client-Secret":        true,
	"Ocp-Apim-Subscription-Key": true,
}

// SensitiveHeader reports whether a header of that name (any case) carries a credential by
// its name: its value is never printed or stored.
func SensitiveHeader(name string) bool {
	if v, ok := sensitiveHeaders[name]; ok {
		return v // already canonical: the common case of every header scanned
	}
	// Any other spelling (MS-CV, AUTHORIZATION, " cookie"), compared without allocating:
	// the gate asks this of every header of every recording.
	name = strings.TrimSpace(name)
	for h := range sensitiveHeaders {
		if len(h) == len(name) && strings.EqualFold(h, name) {
			return true
		}
	}
	return false
}

// SensitiveHeaders lists them in canonical form, for APIs that take a list (azcore's logging
// allow-list works the other way; the recorder deletes these).
func SensitiveHeaders() []string {
	out := make([]string, 0, len(sensitiveHeaders))
	for h := range sensitiveHeaders {
		out = append(out, h)
	}
	return out
}

// sensitiveFields are OAuth2 and credential field names, in forms, query strings and JSON
// bodies (lower case).
var sensitiveFields = map[string]bool{
	"access_token":     true,
	"refresh_token":    true,
	"id_token":         true,
	"client_secret":    true,
	"client_assertion": true,
	"assertion":        true,
	"password":         true,
	"secret":           true,
	"code":             false, // an OAuth2 authorization code, but also Partner Center's error code: judged by its shape (FieldCredential)
}

// SensitiveField reports whether a form, query or JSON member of that name (any case) holds a
// credential.
func SensitiveField(name string) bool {
	return sensitiveFields[strings.ToLower(strings.TrimSpace(name))]
}

// IsPlaceholder reports whether v is what teams leave where a credential was removed: empty,
// REDACTED, [REDACTED], Sanitized (Azure's test proxy), ***, <token>, and the same after
// "Bearer ". Case does not matter.
func IsPlaceholder(v string) bool {
	v = strings.TrimSpace(v)
	if len(v) > 7 && strings.EqualFold(v[:7], "bearer ") {
		v = strings.TrimSpace(v[7:])
	} else if strings.EqualFold(v, "bearer") {
		return true
	}
	if v == "" {
		return true
	}
	if len(v) > 64 {
		return false
	}
	inner := strings.Trim(v, "[]<>{}()\"'")
	if inner == "" || strings.Trim(inner, "*xX.-_#") == "" {
		return true // ***, xxxx, ..., [], <>
	}
	switch strings.ToLower(strings.ReplaceAll(inner, "-", "_")) {
	case "redacted", "sanitized", "token", "secret", "removed", "filtered", "hidden", "masked",
		"placeholder", "access_token", "refresh_token", "client_secret", "bearer_token", "your_token",
		"fake", "fake_token", "dummy", "none", "null":
		return true
	}
	return false
}

var (
	jwtValue    = regexp.MustCompile(`^eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$`)
	jwtInText   = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`)
	bearerValue = regexp.MustCompile(`(?i)^bearer\s+\S`)
)

// Credential reports what kind of credential value v is, judged as the value of a header or
// field that carries one (Authorization, client_secret...): "" when it is a placeholder.
// Anything else that is not a placeholder is treated as a credential: a gate must fail closed.
func Credential(v string) string {
	v = strings.TrimSpace(v)
	switch {
	case IsPlaceholder(v):
		return ""
	case jwtValue.MatchString(v):
		return "JWT"
	case bearerValue.MatchString(v):
		return "bearer token"
	}
	return "credential"
}

// CredentialInText reports the kind of the first credential found inside free text (a body,
// a URL, a header that carries no credential by its name): a JWT, a bearer token that is not
// a placeholder, or an OAuth2 field with a value that is not one. "" when there is none.
func CredentialInText(s string) string {
	s = unescapeTokenChars(s)
	if !MayHoldCredential(s) {
		return ""
	}
	if jwtInText.MatchString(s) {
		return "JWT"
	}
	for m := range credentialMatches(s) {
		whole := s[m.start:m.end]
		value := s[m.keepEnd:m.end]
		if m.keepEnd == m.start {
			value = whole
		}
		if IsPlaceholder(value) || IsPlaceholder(strings.Trim(whole, " ")) {
			continue
		}
		low := strings.ToLower(whole)
		switch {
		case strings.HasPrefix(low, "bearer"):
			return "bearer token"
		case strings.HasPrefix(low, "sbx-"):
			return "sandbox token"
		case len(value) >= 4:
			return "OAuth2 secret field"
		}
	}
	return ""
}

// MayHoldCredential is false when s holds no credential this package recognizes, whatever
// its syntax (no credential cue): it is cheap (no regexp, no allocation), so scanners call it
// before parsing a body.
func MayHoldCredential(s string) bool { return mayHoldCredential(s) }

// equalFoldLower reports whether s equals the lower-case word w, ignoring ASCII case.
func equalFoldLower(s, w string) bool {
	for j := 0; j < len(w); j++ {
		c := s[j]
		if 'A' <= c && c <= 'Z' {
			c |= 0x20
		}
		if c != w[j] {
			return false
		}
	}
	return true
}

// containsFold is strings.Contains ignoring ASCII case, for a lower-case word, without
// allocating a lower-case copy of s.
func containsFold(s, word string) bool {
	for i := 0; i+len(word) <= len(s); i++ {
		if s[i]|0x20 == word[0] && equalFoldLower(s[i:i+len(word)], word) {
			return true
		}
	}
	return false
}

// TokenEndpoint reports whether a URL is an OAuth2 or OpenID endpoint of an authority (Entra
// ID's /oauth2/ paths, the discovery document): its exchanges carry credentials in their
// bodies, so recordings drop them and the gate reads every field of them as a credential.
func TokenEndpoint(rawURL string) bool {
	return containsFold(rawURL, "/oauth2/") || containsFold(rawURL, "/.well-known/openid-configuration")
}

// harmlessTokenFields are the members of an OAuth2 token request or response (RFC 6749
// sections 4 and 5, Entra ID's additions) that never hold a credential.
var harmlessTokenFields = map[string]bool{
	"grant_type": true, "client_id": true, "scope": true, "redirect_uri": true, "resource": true,
	"client_assertion_type": true, "requested_token_use": true, "client_info": true,
	"token_type": true, "expires_in": true, "ext_expires_in": true, "expires_on": true, "not_before": true,
	"refresh_token_expires_in": true, "foci": true, "error": true, "error_description": true,
	"error_codes": true, "timestamp": true, "trace_id": true, "correlation_id": true, "error_uri": true,
}

// TokenExchangeField reports whether a form or JSON member of that name, in an exchange with a
// token endpoint, may hold a credential: every member but those known to be harmless
// (grant_type, client_id, scope, token_type, expires_in...), so that an authorization code,
// a code_verifier or a field this package has never heard of fails closed.
func TokenExchangeField(name string) bool {
	return !harmlessTokenFields[strings.ToLower(strings.TrimSpace(name))]
}

// FieldCredential is the one rule for a named value (a form field, a query parameter, a JSON
// member, a challenge's parameter): the kind of credential it holds, "" when none. A field
// that carries a credential by its name (client_secret, refresh_token, secret...), and every
// field of an exchange with a token endpoint but the harmless ones, must hold a placeholder;
// "code" holds one when its value is token-like (an OAuth2 authorization code), not when it is
// Partner Center's error code; any other field is judged by its text.
func FieldCredential(name, value string, tokenExchange bool) string {
	switch {
	case SensitiveField(name) || tokenExchange && TokenExchangeField(name):
		return Credential(value)
	case strings.EqualFold(strings.TrimSpace(name), "code") && looksOpaque(value):
		return "OAuth2 authorization code"
	}
	return CredentialInText(value)
}

// looksOpaque reports whether v has the shape of an opaque token: at least 16 token
// characters, letters and digits both, nothing else but "=" padding, and not a GUID.
func looksOpaque(v string) bool {
	t := strings.TrimRight(v, "=")
	if len(t) < 16 || guid.Valid(t) {
		return false
	}
	var letter, digit bool
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case '0' <= c && c <= '9':
			digit = true
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			letter = true
		case !isTokenChar(c) || c == '=':
			return false
		}
	}
	return letter && digit
}

// HeaderCredential is the one rule for a header: the kind of credential its value holds, ""
// when none. A header that carries a credential by its name (Authorization, Cookie...) must
// hold a placeholder; a challenge (WWW-Authenticate) is judged part by part
// (ChallengeCredential); any other header by its text.
func HeaderCredential(name, value string) string {
	switch {
	case SensitiveHeader(name):
		return Credential(value)
	case ChallengeHeader(name):
		return ChallengeCredential(value)
	}
	return CredentialInText(value)
}

// Header returns a header's value as it may be printed or stored: Mask for a header that
// carries a credential by its name, else the value with its credentials masked (a challenge's
// realm, error and error_description stay readable).
func Header(name, value string) string {
	switch {
	case SensitiveHeader(name):
		return Mask
	case ChallengeHeader(name):
		return maskChallenge(value)
	}
	return String(value)
}

// ScrubHeaders makes h fit to store, in place: it deletes the headers that carry a credential
// by their name and masks the credentials in the others (Header). Recorders call it.
func ScrubHeaders(h http.Header) {
	for name, values := range h {
		if SensitiveHeader(name) {
			delete(h, name)
			continue
		}
		for i, v := range values {
			if HeaderCredential(name, v) != "" {
				values[i] = Header(name, v)
			}
		}
	}
}
