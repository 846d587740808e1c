package probe

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// What the spec allows and forbids of a parameter: a valid value for positive cases, one
// value per stated constraint for negative ones.

// valid is a value the header's schema allows: its example, a fresh id for an id pattern, a
// word otherwise.
func (g *generator) valid(p *openapi3.Parameter) string {
	if s, ok := p.Example.(string); ok && s != "" {
		return s
	}
	if s, ok := p.Schema.Value.Example.(string); ok && s != "" {
		return s
	}
	if p.Schema.Value.Pattern != "" || p.Schema.Value.Format == "uuid" {
		return g.guid()
	}
	return "partnercenter-probe"
}

// violation is a value that breaks one constraint of a schema.
type violation struct {
	value string
	what  string // "breaks its pattern"
	rule  string // the constraint, as the spec states it
}

// violations are one value per constraint the schema states.
func (g *generator) violations(name string, s *openapi3.Schema) []violation {
	var out []violation
	if s.Pattern != "" {
		if bad, ok := breaking(s.Pattern); ok {
			out = append(out, violation{bad, "breaks its pattern", "pattern " + s.Pattern})
		}
	}
	if s.Format == "uuid" && s.Pattern == "" {
		out = append(out, violation{"not-a-uuid", "is not a UUID", "format uuid"})
	}
	if s.MinLength > 0 {
		out = append(out, violation{strings.Repeat("x", int(s.MinLength)-1), "is too short", "minLength " + strconv.FormatUint(s.MinLength, 10)})
	}
	if s.MaxLength != nil {
		out = append(out, violation{strings.Repeat("x", int(*s.MaxLength)+1), "is too long", "maxLength " + strconv.FormatUint(*s.MaxLength, 10)})
	}
	if s.Type.Is(openapi3.TypeInteger) {
		out = append(out, violation{"x1", "is not an integer", "type integer"})
		out = append(out, violation{"1.5", "is not a whole number", "type integer"})
		switch s.Format {
		case "int32":
			out = append(out, violation{"2147483648", "is out of the int32 range", "format int32"})
		case "int64":
			out = append(out, violation{"9223372036854775808", "is out of the int64 range", "format int64"})
		}
		if s.Min != nil {
			out = append(out, violation{strconv.FormatFloat(*s.Min-1, 'f', -1, 64), "is below its minimum", "minimum " + strconv.FormatFloat(*s.Min, 'f', -1, 64)})
		}
		if s.Max != nil {
			out = append(out, violation{strconv.FormatFloat(*s.Max+1, 'f', -1, 64), "is above its maximum", "maximum " + strconv.FormatFloat(*s.Max, 'f', -1, 64)})
		}
	}
	if len(s.Enum) > 0 {
		out = append(out, violation{"not-in-the-enum", "is not one of its values", "enum"})
	}
	return out
}

// breaking is a value the pattern does not match: the first of a few candidates.
func breaking(pattern string) (string, bool) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return "", false
	}
	for _, c := range []string{"not-a-guid", "x", "0", "-"} {
		if !re.MatchString(c) {
			return c, true
		}
	}
	return "", false
}
