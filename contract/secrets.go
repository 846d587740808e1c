package contract

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"
	"strings"

	"github.com/partnercenter-go/partnercenter/internal/redact"
)

// SecretHit is a secret-like string found in a cassette.
type SecretHit struct {
	Line int
	Kind string
}

func (h SecretHit) String() string { return fmt.Sprintf("line %d: %s", h.Line, h.Kind) }

// ScanSecrets reports the lines of data that look like they hold a credential: a header that
// carries one (Authorization, Cookie, WWW-Authenticate...: internal/redact's list) with a
// value that is not a placeholder, bearer tokens, JWTs, OAuth2 secrets and refresh tokens,
// passwords. internal/redact, the project's one redaction, decides what a credential is. It
// never returns the matched text, so that its report can be printed.
func ScanSecrets(data []byte) []SecretHit {
	var hits []SecretHit
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for n := 1; sc.Scan(); n++ {
		if kind := secretInLine(sc.Text()); kind != "" {
			hits = append(hits, SecretHit{Line: n, Kind: kind})
		}
	}
	return hits
}

// secretInLine judges one cassette line. A credential-carrying header's key is a hit unless its
// value on the same line is a placeholder: a value on the lines below (YAML's block list) is
// not looked at, so that the scan fails closed.
func secretInLine(line string) string {
	if name, value, ok := yamlKey(line); ok && redact.SensitiveHeader(name) {
		value = strings.Trim(strings.TrimSpace(value), `[]"'`)
		if value == "" || redact.Credential(value) != "" {
			return http.CanonicalHeaderKey(name) + " header"
		}
	}
	return redact.CredentialInText(line)
}

// yamlKey splits "  Name: value" (a header name's characters only) into name and value.
func yamlKey(line string) (name, value string, ok bool) {
	name, value, ok = strings.Cut(strings.TrimLeft(line, " \t-"), ":")
	if !ok || name == "" || strings.IndexFunc(name, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-' || r == '_')
	}) >= 0 {
		return "", "", false
	}
	return name, value, true
}
