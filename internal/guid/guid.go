// Package guid checks the id shape Partner Center uses for customers, subscriptions and the
// MS-RequestId/MS-CorrelationId headers. It is shared by the client, the command and the
// sandbox, and kept out of the client's public API.
package guid

// Valid reports whether s has the id shape of openapi.yaml's HexGUID: 8-4-4-4-12 hex digits,
// with no version check, because real subscription ids such as
// 87363db7-39ab-dd25-d371-94340aaa2f97 are not RFC 4122 UUIDs. (Written out rather than a
// regexp: it runs on every call.)
func Valid(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return false
			}
		case '0' <= c && c <= '9', 'a' <= c && c <= 'f', 'A' <= c && c <= 'F':
		default:
			return false
		}
	}
	return true
}
