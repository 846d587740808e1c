package contract

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
)

// SecretHit is a secret-like string found in a cassette.
type SecretHit struct {
	Line int
	Kind string
}

func (h SecretHit) String() string { return fmt.Sprintf("line %d: %s", h.Line, h.Kind) }

var secretPatterns = []struct {
	kind string
	re   *regexp.Regexp
}{
	{"bearer token", regexp.MustCompile(`(?i)bearer\s+[a-z0-9._~+/=-]{8,}`)},
	{"JWT", regexp.MustCompile(`eyJ[a-zA-Z0-9_-]{8,}\.[a-zA-Z0-9_-]{8,}\.[a-zA-Z0-9_-]*`)},
	{"Authorization header", regexp.MustCompile(`(?i)^\s*authorization\s*:`)},
	// Quotes may be escaped: a JSON body inside a YAML cassette reads \"client_secret\":\"...\".
	{"OAuth2 secret field", regexp.MustCompile(`(?i)(client_secret|refresh_token|access_token|client_assertion)(\\?["'])?\s*[:=]\s*(\\?["'])?[^\s"'\\&,}]{6,}`)},
	{"password field", regexp.MustCompile(`(?i)password(\\?["'])?\s*[:=]\s*(\\?["'])?[^\s"'\\&,}]{4,}`)},
}

// ScanSecrets reports the lines of data that look like they hold a credential: bearer
// tokens, JWTs, Authorization headers, OAuth2 secrets and refresh tokens, passwords. It never
// returns the matched text, so that its report can be printed.
func ScanSecrets(data []byte) []SecretHit {
	var hits []SecretHit
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for n := 1; sc.Scan(); n++ {
		for _, p := range secretPatterns {
			if p.re.Match(sc.Bytes()) {
				hits = append(hits, SecretHit{Line: n, Kind: p.kind})
			}
		}
	}
	return hits
}
