package contract

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strconv"

	"github.com/partnercenter-go/partnercenter/internal/mediatype"
	"github.com/partnercenter-go/partnercenter/internal/redact"
)

// The secret scan reads an interaction's structure, not its lines: every header value, form
// field, query parameter and body member, each judged by internal/redact (the project's one
// redaction). A header or field that carries credentials by its name (Authorization,
// client_secret...) must hold a placeholder (empty, REDACTED, [REDACTED], Sanitized, ***,
// <token>, the same after "Bearer "); a challenge (WWW-Authenticate) is read part by part, its
// realm, error and error_description being no secrets; any other value fails if it holds a
// JWT, a bearer token or an OAuth2 field (redact.HeaderCredential, redact.FieldCredential:
// this file only walks the structure). Exchanges with a token endpoint are read with every
// member suspect but the harmless ones (grant_type, token_type...). Findings name the field,
// never the value.

const (
	fixHeader    = "delete the header or replace its value with a placeholder such as REDACTED; contract.NewRecorder does it when recording"
	fixChallenge = "replace the token in the challenge with a placeholder such as REDACTED (its realm and error may stay); contract.NewRecorder does it when recording"
	fixField     = "replace the value with a placeholder such as REDACTED; contract.NewRecorder drops token exchanges and removes credentials when recording"
)

// scanSecrets adds a violation to r for every credential in the interaction; u is its URL as
// parsed once by the caller (nil when it does not parse), response its response body as the
// validator decoded it (nil when it did not).
func scanSecrets(r *reporter, in Interaction, u *url.URL, response *Body) {
	if in.SecretAdvice != "" {
		start := len(r.findings)
		defer func() {
			for i := start; i < len(r.findings); i++ {
				r.findings[i].Reason += in.SecretAdvice
			}
		}()
	}
	token := redact.TokenEndpoint(in.URL)
	scanURL(r, in.URL, u, token)
	scanHeaders(r, "/request/header/", in.RequestHeader)
	scanHeaders(r, "/response/header/", in.ResponseHeader)
	for _, name := range sortedKeys(in.Form) {
		for _, v := range in.Form[name] {
			scanField(r, "/request/form/"+escapeToken(name), name, v, token)
		}
	}
	scanBody(r, "/request/body", in.RequestBody, in.RequestHeader, token, nil)
	scanBody(r, "/response/body", in.ResponseBody, in.ResponseHeader, token, response)
}

func secretFinding(r *reporter, pointer, kind, fix string) {
	r.add(Violation, pointer, "holds a "+kind+": "+fix)
}

func scanURL(r *reporter, raw string, u *url.URL, token bool) {
	if u == nil {
		if kind := redact.CredentialInText(raw); kind != "" {
			secretFinding(r, "/request/url", kind, fixField)
		}
		return
	}
	if kind := redact.CredentialInText(u.EscapedPath()); kind != "" {
		secretFinding(r, "/request/path", kind, fixField)
	}
	if u.RawQuery == "" {
		return
	}
	q, _ := url.ParseQuery(u.RawQuery)
	for _, name := range sortedKeys(q) {
		for _, v := range q[name] {
			scanField(r, "/request/query/"+escapeToken(name), name, v, token)
		}
	}
}

func scanHeaders(r *reporter, prefix string, h http.Header) {
	if !headersMayHoldCredential(h) {
		return
	}
	for _, name := range sortedKeys(h) {
		for _, v := range h[name] {
			if kind := redact.HeaderCredential(name, v); kind != "" {
				fix := fixHeader
				if redact.ChallengeHeader(name) {
					fix = fixChallenge
				}
				secretFinding(r, prefix+escapeToken(name), kind, fix)
			}
		}
	}
}

// headersMayHoldCredential is the cheap first pass over a header map (no sorting, no
// allocation): most recorded headers carry nothing a credential could hide in.
func headersMayHoldCredential(h http.Header) bool {
	for name, values := range h {
		sensitive := redact.SensitiveHeader(name) || redact.ChallengeHeader(name)
		for _, v := range values {
			if sensitive && v != "" || redact.MayHoldCredential(v) {
				return true
			}
		}
	}
	return false
}

// scanField judges one named value: a form field, a query parameter or a JSON member.
func scanField(r *reporter, pointer, name, v string, token bool) {
	if kind := redact.FieldCredential(name, v, token); kind != "" {
		secretFinding(r, pointer, kind, fixField)
	}
}

// scanBody reads a JSON or form body member by member and any other body as text. Bodies
// without a credential word are skipped before any parsing (redact's prefilter): most are.
func scanBody(r *reporter, pointer string, body []byte, h http.Header, token bool, decoded *Body) {
	if decoded != nil && decoded.Decoded && mediatype.IsJSON(decoded.MediaType) {
		// Decoded once by the validator (gzip undone, BOM removed): read its members.
		if token || redact.MayHoldCredential(string(decoded.Bytes)) {
			scanJSON(r, pointer, "", decoded.Value, token)
		}
		return
	}
	if len(body) == 0 {
		return
	}
	if codings := h.Values("Content-Encoding"); len(codings) > 0 {
		// A gzip body would hide its text from the scan: read it as sent.
		if data, err := undoContentEncoding(codings, body); err == nil {
			body = data
		}
	}
	text := string(body)
	if !token && !redact.MayHoldCredential(text) {
		return
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		var v any
		dec := json.NewDecoder(bytes.NewReader(trimmed))
		dec.UseNumber()
		if dec.Decode(&v) == nil {
			scanJSON(r, pointer, "", v, token)
			return
		}
	}
	if form, err := url.ParseQuery(text); err == nil && (token || isForm(h)) {
		for _, name := range sortedKeys(form) {
			for _, v := range form[name] {
				scanField(r, pointer+"/"+escapeToken(name), name, v, token)
			}
		}
		return
	}
	if kind := redact.CredentialInText(text); kind != "" {
		secretFinding(r, pointer, kind, fixField)
	}
}

func isForm(h http.Header) bool {
	ct := h.Get("Content-Type")
	return len(ct) >= 33 && ct[:33] == "application/x-www-form-urlencoded"
}

func scanJSON(r *reporter, pointer, name string, v any, token bool) {
	switch v := v.(type) {
	case map[string]any:
		for _, k := range sortedKeys(v) {
			scanJSON(r, pointer+"/"+escapeToken(k), k, v[k], token)
		}
	case []any:
		for i, e := range v {
			scanJSON(r, pointer+"/"+strconv.Itoa(i), name, e, token)
		}
	case string:
		if name == "" {
			if kind := redact.CredentialInText(v); kind != "" {
				secretFinding(r, pointer, kind, fixField)
			}
			return
		}
		scanField(r, pointer, name, v, token)
	}
}

func escapeToken(s string) string { return pointerEscaper.Replace(s) }

func sortedKeys[M ~map[string]V, V any](m M) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
