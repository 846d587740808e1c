package redact

import (
	"net/http"
	"strings"
	"testing"
)

// Challenges the real service and its identity platform send, each with its source: none
// holds a credential, and each is printed as it was sent.
var publishedChallenges = []struct{ source, value string }{
	// https://learn.microsoft.com/partner-center/developer/error-codes (the 401 sample)
	{"error-codes page", `OAuth realm=urn:cpsvc:cpid:{some cid}`},
	// https://learn.microsoft.com/partner-center/security/partner-security-requirements-mandating-mfa
	{"MFA page", `Bearer error="invalid_token"`},
	// RFC 6750 section 3, as Entra-protected APIs send it
	{"RFC 6750 with authorization_uri", `Bearer authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="invalid_token", error_description="The access token is missing or invalid"`},
	{"RFC 6750 3 example", `Bearer realm="example", error="invalid_token", error_description="The access token expired"`},
	// https://learn.microsoft.com/entra/identity-platform/claims-challenge (a CAE challenge: claims is base64 JSON, not a token)
	{"claims challenge", `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwgInZhbHVlIjoiMTYwNDEwNjY1MSJ9fX0="`},
	{"resource_id", `Bearer authorization_uri="https://login.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47", resource_id="https://api.partnercenter.microsoft.com"`},
	{"scope", `Bearer scope="https://api.partnercenter.microsoft.com/user_impersonation", error="insufficient_scope"`},
	{"the sandbox's", "Bearer"},
	{"Digest (RFC 7616)", `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`},
	{"two challenges", `Negotiate, Basic realm="x", Bearer error="invalid_token"`},
}

func TestChallengesAreNotCredentials(t *testing.T) {
	for _, c := range publishedChallenges {
		for _, name := range []string{"WWW-Authenticate", "proxy-authenticate"} {
			if kind := HeaderCredential(name, c.value); kind != "" {
				t.Errorf("%s (%s): %s %q reported as a %s", c.source, name, name, c.value, kind)
			}
			if got := Header(name, c.value); got != c.value {
				t.Errorf("%s: printed as %q, want it as sent", c.source, got)
			}
		}
		h := http.Header{"Www-Authenticate": {c.value}}
		if ScrubHeaders(h); h.Get("WWW-Authenticate") != c.value {
			t.Errorf("%s: a recorder would store %q", c.source, h.Get("WWW-Authenticate"))
		}
		// The same challenge quoted in free text (a log line, a body) is no credential either.
		if kind := CredentialInText("WWW-Authenticate: " + c.value); kind != "" {
			t.Errorf("%s: in text, reported as a %s", c.source, kind)
		}
		if got := String("WWW-Authenticate: " + c.value); got != "WWW-Authenticate: "+c.value {
			t.Errorf("%s: in text, masked as %q", c.source, got)
		}
	}
}

// The negative controls: a token smuggled into a challenge, anywhere, is still reported, and
// neither the finding nor the printed value shows it.
func TestTokensInChallengesAreCaught(t *testing.T) {
	opaque := "q9Xv2LmR7tYw4ZpK8sNc3HdJ6bFa1EgU"
	for _, c := range []struct{ name, value, secret string }{
		{"a JWT as the whole value", jwt, jwt},
		{"a JWT as a bearer token68", "Bearer " + jwt, jwt},
		{"a long opaque bearer token68", "Bearer " + opaque, opaque},
		{"a JWT in error_description", `Bearer error="invalid_token", error_description="token ` + jwt + ` refused"`, jwt},
		{"a JWT as claims", `Bearer error="insufficient_claims", claims="` + jwt + `"`, jwt},
		{"a JWT in an unknown parameter", `Bearer error="invalid_token", token="` + jwt + `"`, jwt},
		{"an access_token parameter", `Bearer access_token="` + opaque + `", error="invalid_token"`, opaque},
		{"a code parameter", `Bearer code=` + opaque, opaque},
		{"an opaque unknown parameter", `Bearer error="invalid_token", session="` + opaque + `"`, opaque},
		{"a bearer token in error_description", `Bearer error_description="refused Bearer ` + opaque + `"`, opaque},
		{"a refresh_token= in error_description", `Bearer error_description="refresh_token=` + opaque + `"`, opaque},
		{"a JWT in a parameter without a scheme", `error="x", error_description="` + jwt + `"`, jwt},
		{"a JWT in an unterminated quote", `Bearer error_description="` + jwt, jwt},
	} {
		if kind := HeaderCredential("WWW-Authenticate", c.value); kind == "" {
			t.Errorf("%s: %q not reported", c.name, c.value)
		}
		if got := Header("WWW-Authenticate", c.value); strings.Contains(got, c.secret) || !strings.Contains(got, Mask) {
			t.Errorf("%s: printed as %q", c.name, got)
		}
		h := http.Header{"Www-Authenticate": {c.value}}
		if ScrubHeaders(h); strings.Contains(h.Get("WWW-Authenticate"), c.secret) {
			t.Errorf("%s: a recorder would store %q", c.name, h.Get("WWW-Authenticate"))
		}
		if got := String("WWW-Authenticate: " + c.value); strings.Contains(got, c.secret) && c.name != "an opaque unknown parameter" {
			t.Errorf("%s: in text, printed as %q", c.name, got)
		}
	}
	// In Authorization, a long opaque bearer token is a credential; a placeholder is not.
	if HeaderCredential("Authorization", "Bearer "+opaque) == "" || HeaderCredential("authorization", "Bearer REDACTED") != "" {
		t.Error("Authorization")
	}
	if Header("Authorization", "Bearer "+opaque) != Mask {
		t.Error("Authorization is printed")
	}
}

// code= and secret= values are credentials wherever they sit; Partner Center's error code is
// not.
func TestCodeAndSecretFields(t *testing.T) {
	authCode := "0.AXoAm9kY3Rlc3Rjb2RlMTIzNDU2Nzg5"
	for _, s := range []string{
		"https://app.example/callback?code=" + authCode + "&state=x",
		"grant_type=authorization_code&code=" + authCode,
		"client_id=x&secret=s3cr3t-value-1",
	} {
		if CredentialInText(s) == "" {
			t.Errorf("CredentialInText(%q) found nothing", s)
		}
		if got := String(s); strings.Contains(got, authCode) || strings.Contains(got, "s3cr3t-value-1") {
			t.Errorf("String(%q) = %q", s, got)
		}
	}
	if FieldCredential("code", authCode, false) == "" || FieldCredential("secret", "anything", false) == "" {
		t.Error("FieldCredential: a code or secret field was not caught")
	}
	// Controls: Partner Center's error codes, in JSON, in a field and in prose.
	for _, s := range []string{`{"code":800041,"description":"x"}`, `{"code": "900420"}`, "code=800041", "the client secret: expired", "error code=20000"} {
		if k := CredentialInText(s); k != "" {
			t.Errorf("CredentialInText(%q) = %q", s, k)
		}
	}
	for _, v := range []string{"800041", "900420", "20000", "8c5b65fd-c725-4f50-8d9c-97ec9169fdd0", "ABCDEFGHIJKLMNOPQRSTU"} {
		if k := FieldCredential("code", v, false); k != "" {
			t.Errorf("FieldCredential(code, %q) = %q", v, k)
		}
	}
}

// Whatever surrounds it, a JWT in a challenge is reported, and never printed or stored.
func FuzzChallengeKeepsNoToken(f *testing.F) {
	for _, c := range publishedChallenges {
		f.Add(c.value, uint8(len(c.value)/2))
	}
	f.Add(`Bearer error_description="`, uint8(26))
	f.Fuzz(func(t *testing.T, around string, at uint8) {
		i := min(int(at), len(around))
		v := around[:i] + jwt + around[i:]
		if HeaderCredential("WWW-Authenticate", v) == "" {
			t.Fatalf("%q: not reported", v)
		}
		if got := Header("WWW-Authenticate", v); strings.Contains(got, "c2lnbmF0dXJl") {
			t.Fatalf("%q printed as %q", v, got)
		}
	})
}
