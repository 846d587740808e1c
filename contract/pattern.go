package contract

import (
	"regexp"

	"github.com/getkin/kin-openapi/openapi3"
)

// guidPattern is the spec's one pattern: Partner Center's ids are GUIDs.
const guidPattern = `^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`

// compilePattern is the gate's kin-openapi RegexCompiler: the GUID pattern, which every path
// parameter and most bodies carry, is matched by hand, any other pattern by regexp.
//
// kin-openapi caches compiled patterns process-wide by their text, whatever compiler made
// them: New installs this one, so in a process that uses the gate every schema with the GUID
// pattern uses guidMatcher, kin-openapi's own validations included (which makes the
// benchmarks against kin-openapi used by hand conservative).
func compilePattern(expr string) (openapi3.RegexMatcher, error) {
	if expr == guidPattern {
		return guidMatcher{}, nil
	}
	return regexp.Compile(expr)
}

type guidMatcher struct{}

// MatchString is guidPattern without a regexp: 8-4-4-4-12 hex digits, any case.
func (guidMatcher) MatchString(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}
