package contract

import (
	"fmt"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Spec patches from drift: an OverlaySuggester turns the gate's undeclared-field findings
// into an OpenAPI Overlay 1.0 document (https://spec.openapis.org/overlay/v1.0.0) that
// declares each field on the schema that lacks it, typed from the values seen. A maintainer
// reviews the one file, applies it to openapi.yaml, and runs `make generate`.
//
// Decisions:
//   - One action per schema that lacks fields; its target is the schema itself (a $ref'd
//     component where there is one, else the inline schema's place under paths), and its
//     update merges {properties: {field: schema}} into it, so that the action applies whether
//     or not the schema already has a properties map.
//   - Types are inferred from every value seen: integer and number widen to number; an
//     object's members and an array's items are inferred too, so nested fields are declared
//     at once; a field seen with values of different types, or only as null, gets no type
//     (any value), and its description says so.
//   - The description names the cassette and interaction where the field was first seen,
//     never a value.
//   - Targets are JSONPath in bracket notation ($["paths"]["/v1/..."]), which both the
//     legacy and the RFC 9535 JSONPath of overlay tools read.

// OverlaySuggester collects undeclared fields from judged exchanges. Not safe for concurrent
// use.
type OverlaySuggester struct {
	v       *Validator
	targets map[string]*overlayTarget
	answers map[string]*observedAnswer // statuses and error codes not declared (overlay_answers.go)
}

type overlayTarget struct {
	path   string
	fields map[string]*inferred
}

// NewOverlaySuggester collects against v's spec.
func NewOverlaySuggester(v *Validator) *OverlaySuggester {
	return &OverlaySuggester{v: v, targets: map[string]*overlayTarget{}, answers: map[string]*observedAnswer{}}
}

// reasonUndeclared is the validator's reason for an undeclared field (drift, or a violation
// under strict mode).
const reasonUndeclared = "field is not declared in the spec"

// Observe takes the exchange's findings, as the validator reported them with their cassette
// and interaction, and keeps the undeclared response fields among them, and the status or
// error code of the answer when the spec does not declare it.
func (s *OverlaySuggester) Observe(ex Exchange, findings []Finding) {
	s.observeAnswer(ex, findings)
	var body any
	decoded := false
	for _, f := range findings {
		if f.Reason != reasonUndeclared || !strings.HasPrefix(f.Pointer, "/response/body/") || f.OperationID == "" {
			continue
		}
		base, schema, ok := s.responseSchema(f.OperationID, ex)
		if !ok {
			continue
		}
		if !decoded {
			body, ok = decodeBody(ex, schema)
			if !ok {
				return
			}
			decoded = true
		}
		tokens := strings.Split(strings.TrimPrefix(f.Pointer, "/response/body/"), "/")
		for i := range tokens {
			tokens[i] = strings.NewReplacer("~1", "/", "~0", "~").Replace(tokens[i])
		}
		parentPath, value, ok := walkToParent(schema, base, body, tokens)
		if !ok {
			continue
		}
		name := tokens[len(tokens)-1]
		field := value.(map[string]any)[name]
		where := fmt.Sprintf("Seen in %s interaction %d (%s %d); not declared in openapi.yaml", f.Cassette, f.Interaction, f.OperationID, f.Status)
		s.add(parentPath, name, field, where)
	}
}

// Len is the number of undeclared fields, statuses and error codes collected.
func (s *OverlaySuggester) Len() int {
	n := len(s.answers)
	for _, t := range s.targets {
		n += len(t.fields)
	}
	return n
}

func (s *OverlaySuggester) add(target, name string, value any, where string) {
	t := s.targets[target]
	if t == nil {
		t = &overlayTarget{path: target, fields: map[string]*inferred{}}
		s.targets[target] = t
	}
	if prev, ok := t.fields[name]; ok {
		prev.merge(infer(value))
		return
	}
	in := infer(value)
	in.where = where
	t.fields[name] = in
}

// responseSchema finds the schema of the exchange's response and its JSONPath in the spec.
func (s *OverlaySuggester) responseSchema(operationID string, ex Exchange) (string, *openapi3.SchemaRef, bool) {
	doc := s.v.Spec()
	for _, path := range doc.Paths.InMatchingOrder() {
		for method, op := range doc.Paths.Value(path).Operations() {
			if op.OperationID != operationID {
				continue
			}
			statusKey, resp := responseFor(op, ex.Status)
			if resp == nil || resp.Value == nil {
				return "", nil, false
			}
			base := jsonPath("paths", path, strings.ToLower(method), "responses", statusKey)
			if isLocalRef(resp.Ref) {
				base = refPath(resp.Ref)
			}
			mtKey, mt := mediaTypeFor(resp.Value.Content, ex.ResponseHeader.Get("Content-Type"))
			if mt == nil || mt.Schema == nil {
				return "", nil, false
			}
			return base + jsonPath("content", mtKey, "schema")[1:], mt.Schema, true
		}
	}
	return "", nil, false
}

func responseFor(op *openapi3.Operation, status int) (string, *openapi3.ResponseRef) {
	code := strconv.Itoa(status)
	for _, key := range []string{code, code[:1] + "XX", "default"} {
		if r := op.Responses.Value(key); r != nil {
			return key, r
		}
	}
	return "", nil
}

func mediaTypeFor(content openapi3.Content, header string) (string, *openapi3.MediaType) {
	want, _, err := mime.ParseMediaType(header)
	if err != nil {
		return "", nil
	}
	keys := make([]string, 0, len(content))
	for k := range content {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if mt, _, err := mime.ParseMediaType(k); err == nil && strings.EqualFold(mt, want) {
			return k, content[k]
		}
	}
	return "", nil
}

// decodeBody decodes the response body by the gate's own rules (DecodeBody: gzip, BOM, JSON
// or XML), so that the overlay describes exactly what the validator judged.
func decodeBody(ex Exchange, schema *openapi3.SchemaRef) (any, bool) {
	h := http.Header{}
	for k, vs := range ex.ResponseHeader {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	b, _ := DecodeBody(h, ex.ResponseBody, schema)
	return b.Value, b.Decoded
}

// walkToParent follows tokens (all but the last) through the body and the schema together,
// and returns the JSONPath of the schema that should declare the last token, and the object
// value holding it.
func walkToParent(ref *openapi3.SchemaRef, path string, value any, tokens []string) (string, any, bool) {
	if ref == nil || ref.Value == nil {
		return "", nil, false
	}
	if isLocalRef(ref.Ref) {
		path = refPath(ref.Ref)
	}
	if len(tokens) == 1 {
		_, ok := value.(map[string]any)
		return path, value, ok
	}
	switch v := value.(type) {
	case map[string]any:
		child, childPath, ok := findProperty(ref.Value, path, tokens[0])
		if !ok {
			return "", nil, false
		}
		return walkToParent(child, childPath, v[tokens[0]], tokens[1:])
	case []any:
		i, err := strconv.Atoi(tokens[0])
		if err != nil || i < 0 || i >= len(v) {
			return "", nil, false
		}
		items, itemsPath, ok := findItems(ref.Value, path)
		if !ok {
			return "", nil, false
		}
		return walkToParent(items, itemsPath, v[i], tokens[1:])
	}
	return "", nil, false
}

// findProperty finds a declared property in a schema or its allOf/anyOf/oneOf branches.
func findProperty(s *openapi3.Schema, path, name string) (*openapi3.SchemaRef, string, bool) {
	if p, ok := s.Properties[name]; ok {
		return p, path + jsonPath("properties", name)[1:], true
	}
	for _, br := range branchesOf(s) {
		for i, b := range br.refs {
			bp := path + jsonPath(br.kind)[1:] + "[" + strconv.Itoa(i) + "]"
			if isLocalRef(b.Ref) {
				bp = refPath(b.Ref)
			}
			if b.Value == nil {
				continue
			}
			if p, pp, ok := findProperty(b.Value, bp, name); ok {
				return p, pp, true
			}
		}
	}
	return nil, "", false
}

func findItems(s *openapi3.Schema, path string) (*openapi3.SchemaRef, string, bool) {
	if s.Items != nil {
		return s.Items, path + jsonPath("items")[1:], true
	}
	for _, br := range branchesOf(s) {
		for i, b := range br.refs {
			bp := path + jsonPath(br.kind)[1:] + "[" + strconv.Itoa(i) + "]"
			if isLocalRef(b.Ref) {
				bp = refPath(b.Ref)
			}
			if b.Value != nil {
				if it, ip, ok := findItems(b.Value, bp); ok {
					return it, ip, true
				}
			}
		}
	}
	return nil, "", false
}

type branchList struct {
	kind string
	refs openapi3.SchemaRefs
}

// branchesOf lists a schema's composition branches in a fixed order.
func branchesOf(s *openapi3.Schema) []branchList {
	return []branchList{{"allOf", s.AllOf}, {"anyOf", s.AnyOf}, {"oneOf", s.OneOf}}
}

// jsonPath renders keys in bracket notation: $["paths"]["/v1/x"]["get"].
func jsonPath(keys ...string) string {
	var b strings.Builder
	b.WriteString("$")
	for _, k := range keys {
		b.WriteString("[")
		b.WriteString(strconv.Quote(k))
		b.WriteString("]")
	}
	return b.String()
}

// isLocalRef: a $ref into this document. A remote one has no place in openapi.yaml to patch,
// so a field under it is declared where it is used instead.
func isLocalRef(ref string) bool { return strings.HasPrefix(ref, "#/") }

// refPath turns a local $ref (#/components/schemas/Link) into its JSONPath.
func refPath(ref string) string {
	ref = strings.TrimPrefix(ref, "#/")
	keys := strings.Split(ref, "/")
	for i, k := range keys {
		keys[i] = strings.NewReplacer("~1", "/", "~0", "~").Replace(k)
	}
	return jsonPath(keys...)
}
