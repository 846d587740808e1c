package probe

import (
	"strings"
	"testing"
)

// errorCode and sameBody read what the service answers: any bytes, never a panic; a code is
// a bare number or string, and a body is the same as itself.
func FuzzReadAnswer(f *testing.F) {
	for _, seed := range []string{
		"\xEF\xBB\xBF{\"code\":800041,\"description\":\"This item has already been activated\"}",
		`{"code":"900420"}`, `{"code":null}`, `{"code":{"a":1}}`, `{"code":1e400}`, `[]`, `<html>500</html>`, "", `{"code":`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		code := errorCode(body)
		if strings.ContainsAny(code, `{}[]"`) {
			t.Fatalf("errorCode(%q) = %q", body, code)
		}
		if !sameBody(body, body) {
			t.Fatalf("sameBody(%q, itself) is false", body)
		}
	})
}

func TestErrorCode(t *testing.T) {
	for body, want := range map[string]string{
		"\xEF\xBB\xBF{\"code\":800041}": "800041", `{"code":"900420"}`: "900420", `{"code":800041.0}`: "800041.0",
		`{"description":"x"}`: "", `<html/>`: "", `{"code":[1]}`: "",
	} {
		if got := errorCode([]byte(body)); got != want {
			t.Errorf("errorCode(%q) = %q, want %q", body, got, want)
		}
	}
}
