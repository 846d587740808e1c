package probe

import (
	"sort"
	"strings"

	"github.com/partnercenter-go/partnercenter/internal/redact"
	"github.com/partnercenter-go/partnercenter/internal/shell"
)

// Curl is a command that sends the case again from a POSIX shell. The token is never in it:
// a case that sends one reads it from $PARTNER_CENTER_TOKEN (expanded by the shell); the
// garbage token of an ignored_auth case is the plan's random value. With caFile, the
// certificate comes from $PARTNER_CENTER_CA_FILE, as the command's.
func Curl(endpoint string, c Case, garbage string, caFile bool) string {
	words := []string{"curl", "-sS", "-i", "-X", c.Method}
	var b strings.Builder
	b.WriteString(shell.Join(words))
	switch c.Token {
	case TokenValid:
		b.WriteString(` -H "Authorization: Bearer $PARTNER_CENTER_TOKEN"`)
	case TokenGarbage:
		b.WriteString(" -H " + shell.Quote("Authorization: Bearer "+garbage))
	}
	names := make([]string, 0, len(c.Header))
	for name := range c.Header {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if redact.SensitiveHeader(name) {
			continue
		}
		for _, v := range c.Header[name] {
			b.WriteString(" -H " + shell.Quote(name+": "+redact.String(v)))
		}
	}
	if c.Body != nil {
		b.WriteString(" --data-binary " + shell.Quote(string(c.Body)))
	}
	if caFile {
		b.WriteString(` --cacert "$PARTNER_CENTER_CA_FILE"`)
	}
	b.WriteString(" " + shell.Quote(strings.TrimRight(endpoint, "/")+c.Path))
	return b.String()
}
