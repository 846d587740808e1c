// Package authchallenge reads the value of a WWW-Authenticate or Proxy-Authenticate header
// (RFC 9110 section 11.6.1): one or more challenges, each an auth-scheme followed by either a
// token68 or a list of auth-params. It is the project's one reading of a challenge: the secret
// rule (internal/redact) judges each part, and the client keeps the challenge's "error".
//
// The reading is lenient, as a client's must be: a value that breaks the grammar is read as far
// as it makes sense, never refused, and every byte of it lands in some part (a scheme, a
// token68, a parameter's name or value), so that nothing escapes a judge that reads the parts.
package authchallenge

import "strings"

// Challenge is one challenge of the header.
type Challenge struct {
	Scheme string // "Bearer", "OAuth", "Basic"... as sent
	// Token68 is the opaque value after the scheme, when the challenge has one instead of
	// parameters ("Negotiate oRQwEq..."). A bearer challenge never should.
	Token68 string
	Params  []Param
}

// Param is one auth-param: name=value, the value unquoted.
type Param struct {
	Name, Value string
}

// Param returns the value of the first parameter of that name (any case) and whether there is
// one.
func (c Challenge) Param(name string) (string, bool) {
	for _, p := range c.Params {
		if strings.EqualFold(p.Name, name) {
			return p.Value, true
		}
	}
	return "", false
}

// Parse reads a header value into its challenges. Parameters that come before any scheme
// (a value that breaks the grammar) belong to a challenge with an empty Scheme.
func Parse(v string) []Challenge {
	var out []Challenge
	s := scanner{s: v}
	for {
		s.skip(" \t,")
		if s.done() {
			return out
		}
		start := s.i
		name := s.token()
		if name == "" {
			// Not a token: a stray quoted string or separator. Keep its text as a value, so a
			// judge still sees it.
			val := s.value()
			if val == "" && s.i == start {
				s.i++
				val = v[start:s.i]
			}
			out = appendParam(out, Param{Value: val})
			continue
		}
		if s.paramFollows() {
			s.skip(" \t")
			s.i++ // '='
			s.skip(" \t")
			out = appendParam(out, Param{Name: name, Value: s.value()})
			continue
		}
		c := Challenge{Scheme: name}
		s.skip(" \t")
		if t := s.token68(); t != "" {
			c.Token68 = t
		}
		out = append(out, c)
	}
}

func appendParam(out []Challenge, p Param) []Challenge {
	if len(out) == 0 {
		out = append(out, Challenge{})
	}
	last := &out[len(out)-1]
	last.Params = append(last.Params, p)
	return out
}

type scanner struct {
	s string
	i int
}

func (s *scanner) done() bool { return s.i >= len(s.s) }

func (s *scanner) skip(set string) {
	for s.i < len(s.s) && strings.IndexByte(set, s.s[s.i]) >= 0 {
		s.i++
	}
}

// token reads an RFC 9110 token (tchar run).
func (s *scanner) token() string {
	start := s.i
	for s.i < len(s.s) && isTChar(s.s[s.i]) {
		s.i++
	}
	return s.s[start:s.i]
}

// paramFollows reports whether, after the token just read, comes BWS "=" BWS and then a value
// (a quote or a token character): a token68 ends in "=" padding instead.
func (s *scanner) paramFollows() bool {
	j := s.i
	for j < len(s.s) && (s.s[j] == ' ' || s.s[j] == '\t') {
		j++
	}
	if j >= len(s.s) || s.s[j] != '=' {
		return false
	}
	j++
	for j < len(s.s) && (s.s[j] == ' ' || s.s[j] == '\t') {
		j++
	}
	return j < len(s.s) && (s.s[j] == '"' || isTChar(s.s[j]))
}

// token68 reads the opaque value after a scheme, if what follows is one rather than an
// auth-param: token68 characters, "=" padding, then the end, a comma or white space.
func (s *scanner) token68() string {
	start := s.i
	j := s.i
	for j < len(s.s) && isToken68Char(s.s[j]) {
		j++
	}
	if j == start {
		return ""
	}
	// An auth-param's name is a token68 too: look past it for "name=value".
	save := s.i
	s.i = j
	name := s.s[start:j]
	if isAllTChar(name) && s.paramFollows() {
		s.i = save
		return ""
	}
	for j < len(s.s) && s.s[j] == '=' {
		j++
	}
	// What does not end here (a stray character) belongs to the token68 as well, up to a
	// separator: nothing is left unread.
	for j < len(s.s) && s.s[j] != ',' && s.s[j] != ' ' && s.s[j] != '\t' {
		j++
	}
	s.i = j
	return s.s[start:j]
}

// value reads a quoted-string (unquoted, backslash escapes undone) or a token; when neither
// is there, it reads up to the next comma, so that nothing is skipped.
func (s *scanner) value() string {
	if s.i < len(s.s) && s.s[s.i] == '"' {
		var b strings.Builder
		s.i++
		for s.i < len(s.s) {
			c := s.s[s.i]
			s.i++
			switch {
			case c == '\\' && s.i < len(s.s):
				b.WriteByte(s.s[s.i])
				s.i++
			case c == '"':
				return b.String()
			default:
				b.WriteByte(c)
			}
		}
		return b.String() // unterminated: the rest is the value
	}
	start := s.i
	for s.i < len(s.s) && s.s[s.i] != ',' {
		s.i++
	}
	return strings.TrimRight(s.s[start:s.i], " \t")
}

func isTChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

func isAllTChar(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isTChar(s[i]) {
			return false
		}
	}
	return true
}

func isToken68Char(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~+/", c) >= 0
}
