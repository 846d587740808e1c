package redact

import (
	"fmt"
	"runtime"
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

// JSON may escape any character: a token written with \u escapes or \/ is still a token.
// (Without unescapeTokenChars, every one of these leaks whole or in part.)
func TestStringMasksJSONEscapedCredentials(t *testing.T) {
	signature := jwt[strings.LastIndex(jwt, ".")+1:]
	for _, s := range []string{
		`{"description":"Bearer \u0065` + jwt[1:] + `"}`,
		`{"description":"` + `\u0065\u0079\u004A` + jwt[3:] + `"}`,
		`{"description":"` + jwt[:10] + `\u002E` + jwt[11:] + `"}`,
		`{"description":"bearer abc\/defgh12345"}`,
		`{"\u0062earer":"x","d":"\u0042earer opaque12345"}`,
		`{"access\u005ftoken":"opaque-access-value"}`,
	} {
		got := String(s)
		for _, leak := range []string{signature, "defgh12345", "opaque12345", "opaque-access-value"} {
			if strings.Contains(got, leak) {
				t.Errorf("String(%q) = %q: leaks %q", s, got, leak)
			}
		}
		if CredentialInText(s) == "" {
			t.Errorf("CredentialInText(%q) found nothing", s)
		}
	}
	// Control: escapes in text without a credential are left as they are.
	for _, s := range []string{`{"d":"caf\u00e9 \u0041BC","uri":"https:\/\/x.example\/a"}`, `\u`, `\u00`, `\uZZZZ \/`} {
		if got := String(s); got != s {
			t.Errorf("String(%q) = %q: changed text with no credential", s, got)
		}
		if k := CredentialInText(s); k != "" {
			t.Errorf("CredentialInText(%q) = %q", s, k)
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

// Bounded masks only what it may print: a hostile description of megabytes printed to 1 KiB
// costs a window's worth, not the whole text (String on 4 MiB of it allocates 110 MB and took
// over a second, on every Error()). A token that straddles the cut is still masked, and the note counts every byte
// left out. Control: String itself on the same text allocates more than the text.
// (Allocation stands for the work: a count, not a timing.)
func TestBoundedMasksOnlyWhatItPrints(t *testing.T) {
	hostile := strings.Repeat("Bearer x ", (128<<10)/9)
	// Compared with String in the same run: -race multiplies what the regexp allocates.
	var got string
	bounded := allocated(func() { got = Bounded(hostile, 1024) })
	whole := allocated(func() { String(hostile) })
	if whole < uint64(len(hostile)) {
		t.Fatalf("control: String allocated only %d bytes: the measure is blind", whole)
	}
	if bounded*4 > whole {
		t.Fatalf("Bounded allocated %d KiB on a %d KiB text, String %d KiB: not a window's worth", bounded>>10, len(hostile)>>10, whole>>10)
	}
	want := String(hostile[:64<<10]) // the same masks as on the whole text, up to the cut
	cut := strings.LastIndex(got, "...(")
	var more int
	if _, err := fmt.Sscanf(got[cut:], "...(%d more bytes)", &more); err != nil || got[:cut] != want[:cut] || more < len(hostile)-cut {
		t.Fatalf("Bounded differs from String cut by hand, or its note counts too few bytes: %q", got[max(0, len(got)-80):])
	}
	straddling := strings.Repeat("x", 1000) + " Bearer " + jwt + strings.Repeat(" y", 1<<20)
	if got := Bounded(straddling, 1020); strings.Contains(got, jwt[:8]) || strings.Contains(got, "Bearer e") {
		t.Fatalf("a token across the cut shows: %q", got[990:])
	}
}

func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
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
	if SensitiveHeader("www-authenticate") || !SensitiveHeader("AUTHORIZATION") || SensitiveHeader("Content-Type") {
		t.Error("SensitiveHeader: a challenge header carries no credential by its name (ChallengeHeader)")
	}
	if !ChallengeHeader("www-authenticate") || !ChallengeHeader("Proxy-Authenticate") || ChallengeHeader("Authorization") {
		t.Error("ChallengeHeader")
	}
	if !SensitiveField("Client_Secret") || SensitiveField("code") {
		t.Error("SensitiveField")
	}
}

func TestPrefilter(t *testing.T) {
	// The prefilter skips the regexps on text without any credential word, in any case.
	for _, v := range []string{"BEARER abcdefghij1234", "x REFRESH_TOKEN=abcdefghij", "Password: hunter22"} {
		if !MayHoldCredential(v) || CredentialInText(v) == "" {
			t.Errorf("%q: the prefilter or the scan missed it", v)
		}
	}
	// Every sensitive field name holds a credential cue, or the prefilter would hide it.
	for name, sensitive := range sensitiveFields {
		if sensitive && !MayHoldCredential(`{"`+name+`":"x"}`) {
			t.Errorf("the prefilter does not see the sensitive field %s", name)
		}
	}
	if MayHoldCredential(`{"subscriptionId":"aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e","status":"Success"}`) {
		t.Error("prefilter: a body without credential words may hold one")
	}
}

func TestTokenExchanges(t *testing.T) {
	for _, u := range []string{"https://login.microsoftonline.com/tenant/oauth2/v2.0/token", "https://login.microsoftonline.com/common/.well-known/openid-configuration", "http://127.0.0.1:1/T/OAUTH2/TOKEN"} {
		if !TokenEndpoint(u) {
			t.Errorf("TokenEndpoint(%q) = false", u)
		}
	}
	if TokenEndpoint("https://api.partnercenter.microsoft.com/v1/customers/x/subscriptions/y/activate") {
		t.Error("control: an API call is not a token endpoint")
	}
	for _, f := range []string{"code", "code_verifier", "client_secret", "refresh_token", "access_token", "brand_new_field"} {
		if !TokenExchangeField(f) {
			t.Errorf("TokenExchangeField(%q) = false: a token exchange's %s must be judged", f, f)
		}
	}
	for _, f := range []string{"grant_type", "Client_Id", "scope", "token_type", "expires_in"} {
		if TokenExchangeField(f) {
			t.Errorf("TokenExchangeField(%q) = true: harmless", f)
		}
	}
}

// The cue check is only a shortcut: String masks exactly what the regular expression alone
// masks. (Drop a cue, "token" say, and the access_token seed fails.)
func FuzzCuesNeverHideACredential(f *testing.F) {
	for _, s := range []string{
		"", "plain text", "Bearer abc.def", "BEARER xyz", "x " + jwt + " y", "EYJABCDE.FGH.IJK",
		"access_token=abcd1234", `{"Refresh_Token":"abcd"}`, "id_token: abc", "client_secret=s3cr3t",
		"client_assertion=abc", "assertion=abc", "PASSWORD=hunter22", "sbx-access.abc", "SBX-refresh.x",
		`{"d":"\u0042earer opaque12345"}`, `\u0065yJabcd.efg.hij`, // a \u cue: its first byte is no letter
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

// What String and Bounded print holds no credential the gate's scan (CredentialInText) would
// find, escaped or not, and Bounded never exceeds its bound by more than its note. (Drop the
// \u cue, or unescapeTokenChars, and the escaped seeds fail.)
func FuzzPrintedTextHoldsNoCredential(f *testing.F) {
	for _, s := range []string{
		"", "Bearer " + jwt, `{"description":"Bearer \u0065` + jwt[1:] + `"}`, `\u0065\u0079\u004A` + jwt[3:],
		"access_token=abcd1234&x=1", `{"refresh_token":"opaque-refresh"}`, "caf\u00e9 " + strings.Repeat("é", 40),
		"sbx-access.abc", `bearer abc\/defgh`,
	} {
		f.Add(s, uint16(20))
	}
	f.Fuzz(func(t *testing.T, s string, max uint16) {
		printed := String(s)
		if kind := CredentialInText(printed); kind != "" {
			t.Fatalf("String(%q) = %q: still holds a %s", s, printed, kind)
		}
		if jwtInText.MatchString(unescapeTokenChars(printed)) {
			t.Fatalf("String(%q) = %q: a JWT survives", s, printed)
		}
		b := Bounded(s, int(max))
		if len(printed) <= int(max) {
			if b != printed {
				t.Fatalf("Bounded(%q, %d) = %q, want String's %q", s, max, b, printed)
			}
			return
		}
		note := "...(" + itoa(len(printed)) + " more bytes)"
		if len(b) > int(max)+len(note) || !strings.HasPrefix(printed, strings.TrimSuffix(b[:strings.LastIndex(b, "...(")], "")) {
			t.Fatalf("Bounded(%q, %d) = %q (%d bytes): past its bound or not a prefix of String's %q", s, max, b, len(b), printed)
		}
	})
}
