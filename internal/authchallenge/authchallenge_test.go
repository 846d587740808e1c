package authchallenge

import (
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []Challenge
	}{
		// https://learn.microsoft.com/partner-center/developer/error-codes
		{`OAuth realm=urn:cpsvc:cpid:{some cid}`, []Challenge{{Scheme: "OAuth", Params: []Param{{"realm", "urn:cpsvc:cpid:{some cid}"}}}}},
		// https://learn.microsoft.com/partner-center/security/partner-security-requirements-mandating-mfa
		{`Bearer error="invalid_token"`, []Challenge{{Scheme: "Bearer", Params: []Param{{"error", "invalid_token"}}}}},
		{`Bearer`, []Challenge{{Scheme: "Bearer"}}},
		{`Bearer realm="a \"b\"", error=invalid_token`, []Challenge{{Scheme: "Bearer", Params: []Param{{"realm", `a "b"`}, {"error", "invalid_token"}}}}},
		{`Negotiate oRQwEqADCgEAoQsGCSqGSIb3EgECAg==, Basic realm="x"`, []Challenge{{Scheme: "Negotiate", Token68: "oRQwEqADCgEAoQsGCSqGSIb3EgECAg=="}, {Scheme: "Basic", Params: []Param{{"realm", "x"}}}}},
		{`Bearer abc=`, []Challenge{{Scheme: "Bearer", Token68: "abc="}}},
		{`Basic realm = "spaced" , charset="UTF-8"`, []Challenge{{Scheme: "Basic", Params: []Param{{"realm", "spaced"}, {"charset", "UTF-8"}}}}},
		{`error="x"`, []Challenge{{Params: []Param{{"error", "x"}}}}},
		{`Bearer error_description="unterminated`, []Challenge{{Scheme: "Bearer", Params: []Param{{"error_description", "unterminated"}}}}},
		{``, nil},
	} {
		if got := Parse(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Parse(%q) = %#v, want %#v", c.in, got, c.want)
		}
	}
	c := Parse(`Bearer ERROR="invalid_token"`)[0]
	if v, ok := c.Param("error"); !ok || v != "invalid_token" {
		t.Errorf("Param(error) = %q, %v", v, ok)
	}
	if _, ok := c.Param("realm"); ok {
		t.Error("Param(realm) found")
	}
}

// Every letter and digit of the value lands in some part: a judge that reads the parts sees
// all of it. (A part may drop only quotes, backslashes, separators and white space.)
func FuzzParse(f *testing.F) {
	for _, s := range []string{`OAuth realm=urn:cpsvc:cpid:{some cid}`, `Bearer error="invalid_token"`, `Negotiate abc==, Basic realm="x"`,
		`Bearer "x"`, `,,=,"`, `Bearer a=b=c`, `x y z`, `Bearer error="a\"b`, "Bearer\t;;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var parts strings.Builder
		for _, c := range Parse(s) {
			parts.WriteString(c.Scheme + c.Token68)
			for _, p := range c.Params {
				parts.WriteString(p.Name + p.Value)
			}
		}
		if got, want := alnum(parts.String()), alnum(s); got != want {
			t.Fatalf("Parse(%q) lost text: parts hold %q, the value %q", s, got, want)
		}
	})
}

func alnum(s string) string {
	return strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' {
			return r
		}
		return -1
	}, s)
}
