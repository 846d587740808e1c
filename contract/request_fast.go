package contract

import (
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
)

// surelyConforms reports whether a request certainly conforms to its route's parameters and
// body, judged without kin-openapi's generic parameter decoding, which is most of the cost
// of ValidateRequest. It accepts only what it fully understands (string and integer
// parameters in their default style, in the path and headers, no query, no body) and judges
// values with the very schema validator ValidateRequest uses; anything else, and any doubt,
// is false, and the caller runs ValidateRequest, which gives the findings. So it can make
// the gate faster, never more lenient: TestSurelyConformsNeverAcceptsWhatKinRejects holds it
// to that.
func surelyConforms(route *routers.Route, pathParams map[string]string, header http.Header, rawQuery string, body []byte) bool {
	op := route.Operation
	if rawQuery != "" || len(body) > 0 {
		return false
	}
	if op.RequestBody != nil && (op.RequestBody.Value == nil || op.RequestBody.Value.Required) {
		return false
	}
	for _, ref := range route.PathItem.Parameters {
		p := ref.Value
		if p == nil {
			return false
		}
		if op.Parameters.GetByInAndName(p.In, p.Name) != nil {
			continue // overridden by the operation
		}
		if !parameterSurelyConforms(p, pathParams, header) {
			return false
		}
	}
	for _, ref := range op.Parameters {
		if ref.Value == nil || !parameterSurelyConforms(ref.Value, pathParams, header) {
			return false
		}
	}
	return true
}

func parameterSurelyConforms(p *openapi3.Parameter, pathParams map[string]string, header http.Header) bool {
	if p.Content != nil || p.Schema == nil || p.Schema.Value == nil || p.Explode != nil || p.AllowEmptyValue {
		return false
	}
	var raw string
	switch p.In {
	case openapi3.ParameterInPath:
		if p.Style != "" && p.Style != openapi3.SerializationSimple {
			return false
		}
		v, ok := pathParams[p.Name]
		if !ok {
			return false
		}
		raw = v
	case openapi3.ParameterInHeader:
		if p.Style != "" && p.Style != openapi3.SerializationSimple {
			return false
		}
		values := header.Values(p.Name)
		switch len(values) {
		case 0:
			return !p.Required
		case 1:
			raw = values[0]
		default:
			return false
		}
	default:
		return false // query and cookie parameters: kin-openapi judges them
	}
	s := p.Schema.Value
	switch {
	case s.Type.Is(openapi3.TypeString):
		if raw == "" {
			return false // kin-openapi has its own rules for empty values
		}
		return s.VisitJSON(raw, openapi3.MultiErrors()) == nil
	case s.Type.Is(openapi3.TypeInteger):
		n, ok := plainInteger(raw)
		return ok && s.VisitJSON(float64(n), openapi3.MultiErrors()) == nil
	}
	return false
}

// plainInteger parses a non-negative decimal integer without sign or leading zeros, the one
// spelling every integer parser reads alike; anything else is left to kin-openapi.
func plainInteger(raw string) (int64, bool) {
	if raw == "" || len(raw) > 15 || raw[0] == '0' && len(raw) > 1 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}
