package redact

import (
	"strings"
	"testing"
)

const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"

func TestStringMasksEveryForm(t *testing.T) {
	secrets := []string{
		"Bearer " + jwt,
		"bearer abcdefgh12345",
		jwt,
		"client_secret=s3cr3tvalue&grant_type=client_credentials",
		`{"refresh_token":"opaque-refresh-value"}`,
		`{\"access_token\":\"opaque-access-value\"}`,
		"password: hunter22",
		"sbx-access.abcdef123",
	}
	for _, s := range secrets {
		got := String("before " + s + " after")
		for _, leak := range []string{jwt, "abcdefgh12345", "s3cr3tvalue", "opaque-refresh-value", "opaque-access-value", "hunter22", "abcdef123"} {
			if strings.Contains(got, leak) {
				t.Errorf("String(%q) = %q: leaks %q", s, got, leak)
			}
		}
		if !strings.Contains(got, Mask) || !strings.HasPrefix(got, "before ") || !strings.HasSuffix(got, " after") {
			t.Errorf("String(%q) = %q: want the text around the mask kept", s, got)
		}
	}
	// Control: text without credentials is untouched.
	for _, s := range []string{"", "No relationship between caller and account.", `{"code":800041,"description":"This item has already been activated"}`} {
		if got := String(s); got != s {
			t.Errorf("String(%q) = %q: changed text with no credential", s, got)
		}
	}
}

func TestBounded(t *testing.T) {
	long := strings.Repeat("é", 1000)
	got := Bounded(long, 101)
	if len(got) > 101+len("...(2000 more bytes)") || !strings.HasSuffix(got, "more bytes)") {
		t.Fatalf("Bounded: %d bytes, %q", len(got), got[len(got)-20:])
	}
	if !strings.HasPrefix(got, strings.Repeat("é", 50)+"...") {
		t.Fatalf("Bounded cut inside a rune: %q", got[:110])
	}
	if got := Bounded("Bearer "+jwt, 1000); strings.Contains(got, jwt) {
		t.Fatalf("Bounded did not redact: %q", got)
	}
}

func TestPlaceholdersAndCredentials(t *testing.T) {
	for _, p := range []string{"", "REDACTED", "[REDACTED]", "Bearer REDACTED", "bearer [redacted]", "Sanitized", "***", "<token>", "Bearer <token>", "Bearer"} {
		if !IsPlaceholder(p) || Credential(p) != "" {
			t.Errorf("%q: want a placeholder", p)
		}
	}
	for v, kind := range map[string]string{
		jwt:                     "JWT",
		"Bearer abc.def.ghi123": "bearer token",
		"Bearer " + jwt:         "bearer token",
		"0123456789abcdef":      "credential",
		"Basic dXNlcjpwYXNz":    "credential",
	} {
		if got := Credential(v); got != kind {
			t.Errorf("Credential(%q) = %q, want %q", v, got, kind)
		}
	}
	if k := CredentialInText(`{"access_token":"REDACTED","x":1}`); k != "" {
		t.Errorf("placeholder in a body flagged as %q", k)
	}
	if k := CredentialInText(`{"access_token":"abcdefghij","x":1}`); k == "" {
		t.Error("control: a real access_token in a body was not flagged")
	}
	if k := CredentialInText("Authorization: Bearer " + jwt); k == "" {
		t.Error("control: a JWT in text was not flagged")
	}
	if !SensitiveHeader("www-authenticate") || !SensitiveHeader("AUTHORIZATION") || SensitiveHeader("Content-Type") {
		t.Error("SensitiveHeader")
	}
	if !SensitiveField("Client_Secret") || SensitiveField("code") {
		t.Error("SensitiveField")
	}
}

// The cue check is only a shortcut: String masks exactly what the regular expression alone
// masks. (Drop a cue, "token" say, and the access_token seed fails.)
func FuzzCuesNeverHideACredential(f *testing.F) {
	for _, s := range []string{
		"", "plain text", "Bearer abc.def", "BEARER xyz", "x " + jwt + " y", "EYJABCDE.FGH.IJK",
		"access_token=abcd1234", `{"Refresh_Token":"abcd"}`, "id_token: abc", "client_secret=s3cr3t",
		"client_assertion=abc", "assertion=abc", "PASSWORD=hunter22", "sbx-access.abc", "SBX-refresh.x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := String(s), mask(s); got != want {
			t.Fatalf("String(%q) = %q, the regular expression alone gives %q", s, got, want)
		}
	})
}

// A JWT planted inside any text never survives String, not even its signature: whatever
// comes before or after it must not make a match stop inside the token.
func FuzzStringNeverLeavesAPlantedJWT(f *testing.F) {
	for _, s := range [][2]string{
		{"", ""}, {"Bearer ", ""}, {"access_token=", "&x=1"}, {`{"code":"`, `"}`}, {"sbx-access.", ""},
		{"eyJabcd.", ""}, {"", ".eyJmore"}, {"x", "y"}, {"password: '", "'"},
	} {
		f.Add(s[0], s[1])
	}
	signature := jwt[strings.LastIndex(jwt, ".")+1:]
	f.Fuzz(func(t *testing.T, before, after string) {
		got := String(before + jwt + after)
		if strings.Contains(got, signature) && !strings.Contains(before+after, signature) {
			t.Fatalf("String(%q) = %q: the token's signature survives", before+jwt+after, got)
		}
	})
}
