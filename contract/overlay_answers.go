package contract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/partnercenter-go/partnercenter/internal/redact"
)

// Statuses and error codes the service answered that the spec does not declare: an
// undocumented status becomes a response of its operation (an Error body with the code seen as
// its example, when the answer had one), and a documented error status answered with a code
// none of its examples has gains an example of it. Descriptions name where each was seen and
// ask for a source: an answer seen once is evidence, not documentation.

type observedAnswer struct {
	target, key string // the JSONPath the action updates, and the status or example name
	status      int
	code, text  string // the error body's code and description ("" when none)
	where       string
}

// observeAnswer keeps an undocumented status, or an undeclared error code, of the exchange.
func (s *OverlaySuggester) observeAnswer(ex Exchange, findings []Finding) {
	opID, _, err := s.v.Route(ex.Method, ex.URL)
	if err != nil {
		return
	}
	path, method, found := s.operationPath(opID)
	if !found {
		return
	}
	code, text := errorBodyOf(ex.ResponseBody)
	where := fmt.Sprintf("Seen in an answer of %s (status %d); not declared in openapi.yaml: name a source before applying", opID, ex.Status)
	for _, f := range findings {
		if f.Pointer == "/response/status" {
			a := &observedAnswer{target: jsonPath("paths", path, method, "responses"), key: strconv.Itoa(ex.Status), status: ex.Status, code: code, text: text, where: where}
			s.answers[a.target+" "+a.key] = a
			return
		}
	}
	if ex.Status < 400 || code == "" {
		return
	}
	op := s.v.Spec().Paths.Value(path).GetOperation(strings.ToUpper(method))
	statusKey, resp := responseFor(op, ex.Status)
	if resp == nil || resp.Value == nil {
		return
	}
	mt := resp.Value.Content.Get("application/json")
	if mt == nil {
		return
	}
	for _, ex := range mt.Examples {
		if ex != nil && ex.Value != nil {
			if m, ok := ex.Value.Value.(map[string]any); ok && fmt.Sprint(m["code"]) == code {
				return
			}
		}
	}
	base := jsonPath("paths", path, method, "responses", statusKey)
	if isLocalRef(resp.Ref) {
		base = refPath(resp.Ref)
	}
	a := &observedAnswer{target: base + jsonPath("content", "application/json")[1:], key: "code" + code, status: ex.Status, code: code, text: text, where: where}
	s.answers[a.target+" "+a.key] = a
}

func (s *OverlaySuggester) operationPath(opID string) (path, method string, ok bool) {
	doc := s.v.Spec()
	for _, p := range doc.Paths.InMatchingOrder() {
		for m, op := range doc.Paths.Value(p).Operations() {
			if op.OperationID == opID {
				return p, strings.ToLower(m), true
			}
		}
	}
	return "", "", false
}

// errorBodyOf reads a Partner Center error body's code and description ("" when it is not one).
func errorBodyOf(body []byte) (code, text string) {
	var e struct {
		Code        json.RawMessage `json:"code"`
		Description string          `json:"description"`
	}
	if json.Unmarshal(bytes.TrimPrefix(body, []byte("\xEF\xBB\xBF")), &e) != nil || len(e.Code) == 0 {
		return "", ""
	}
	code = strings.Trim(string(e.Code), `"`)
	if strings.ContainsAny(code, "{}[], \t\n") || code == "null" || len(code) > 32 {
		return "", ""
	}
	return code, redact.Bounded(e.Description, 200)
}

// answerActions are the overlay's actions for the answers observed, in a stable order.
func (s *OverlaySuggester) answerActions() []*yaml.Node {
	var out []*yaml.Node
	for _, k := range sortedKeys(s.answers) {
		a := s.answers[k]
		example := func() *yaml.Node {
			v := &yaml.Node{Kind: yaml.MappingNode}
			n, err := strconv.ParseInt(a.code, 10, 64)
			codeNode := scalar(a.code)
			if err == nil {
				codeNode = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.FormatInt(n, 10)}
			}
			v.Content = append(v.Content, scalar("code"), codeNode, scalar("description"), scalar(a.text))
			ex := mapping("summary", scalar(fmt.Sprintf("%d, code %s, as observed", a.status, a.code)), "description", scalar(a.where), "value", v)
			return mapping("code"+a.code, ex)
		}
		var update *yaml.Node
		if strings.HasPrefix(a.key, "code") { // an example of a documented status
			update = mapping("examples", example())
		} else {
			resp := mapping("description", scalar(a.where))
			if a.code != "" {
				resp = mapping("description", scalar(a.where), "content",
					mapping("application/json", mapping("schema", mapping("$ref", scalar("#/components/schemas/Error")), "examples", example())))
			}
			update = mapping(a.key, resp)
		}
		what := "status " + a.key
		if strings.HasPrefix(a.key, "code") {
			what = fmt.Sprintf("error code %s of status %d", a.code, a.status)
		}
		out = append(out, mapping("target", scalar(a.target), "description", scalar("Declare "+what+", seen in traffic."), "update", update))
	}
	return out
}

// mapping builds a YAML mapping from key, value pairs, in order.
func mapping(kv ...any) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	for i := 0; i < len(kv); i += 2 {
		m.Content = append(m.Content, scalar(kv[i].(string)), kv[i+1].(*yaml.Node))
	}
	return m
}
