package probe

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// The activation scenario: generated over the spec's write operation and a read operation of
// the same ids, sent in order with writes allowed, and judged as a whole. It adapts to the
// state it finds: a subscription active before the run answers the first activation with the
// spec's "already activated", which passes, and the replay must repeat that answer.

// scenario is links -> activate -> activate again -> the first activation replayed with its
// MS-RequestId -> links again, over the ids given.
func (g *generator) scenario(template string, op *openapi3.Operation, pathParams []*openapi3.Parameter) {
	links := g.readOf(pathParams)
	if links == nil {
		g.plan.Skipped = append(g.plan.Skipped, op.OperationID+": no read-only operation over the same ids for the scenario")
		return
	}
	g.plan.alreadyActivated = exampleCode(op, "alreadyActivated")
	first, again := g.guid(), g.guid()
	mk := func(s step, method, path, opID, requestID, name, why string, body []byte) Case {
		c := Case{Kind: Stateful, OperationID: opID, Method: method, Path: path, Header: http.Header{}, Body: body, step: s,
			Name: "scenario " + strconv.Itoa(int(s)) + ": " + name, Why: why, Write: method != http.MethodGet}
		c.Header["MS-RequestId"] = []string{requestID}
		if body != nil {
			c.Header.Set("Content-Type", "application/json")
		}
		return c
	}
	var body []byte
	if op.RequestBody != nil {
		body = []byte("null")
	}
	path := expand(template, g.ids)
	g.plan.Scenario = []Case{
		mk(stepLinks, http.MethodGet, links.path, links.op.OperationID, g.guid(), links.op.OperationID+" before", "the links of the subscription", nil),
		mk(stepActivate, http.MethodPost, path, op.OperationID, first, op.OperationID, "activates it, or finds it active (400 "+g.plan.alreadyActivated+")", body),
		mk(stepAgain, http.MethodPost, path, op.OperationID, again, op.OperationID+" again", "a new activation of an active subscription: 400 "+g.plan.alreadyActivated+" (example alreadyActivated)", body),
		mk(stepReplay, http.MethodPost, path, op.OperationID, first, op.OperationID+" replayed", "the first activation with its MS-RequestId: the first answer again (headers page)", body),
		mk(stepLinksThen, http.MethodGet, links.path, links.op.OperationID, g.guid(), links.op.OperationID+" after", "the links, still there", nil),
	}
}

type readOp struct {
	op   *openapi3.Operation
	path string
}

// readOf finds a GET operation whose path has exactly these path parameters.
func (g *generator) readOf(pathParams []*openapi3.Parameter) *readOp {
	want := map[string]bool{}
	for _, p := range pathParams {
		want[p.Name] = true
	}
	for _, template := range g.doc.Paths.InMatchingOrder() {
		item := g.doc.Paths.Value(template)
		if item.Get == nil {
			continue
		}
		got := map[string]bool{}
		for _, ref := range item.Parameters {
			if ref.Value != nil && ref.Value.In == openapi3.ParameterInPath {
				got[ref.Value.Name] = true
			}
		}
		if len(got) == len(want) && subset(got, want) {
			return &readOp{op: item.Get, path: expand(template, g.ids)}
		}
	}
	return nil
}

func subset(a, b map[string]bool) bool {
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

// exampleCode is the error code of the named example of the operation's 4xx answers.
func exampleCode(op *openapi3.Operation, name string) string {
	for status, ref := range op.Responses.Map() {
		if !strings.HasPrefix(status, "4") || ref.Value == nil {
			continue
		}
		mt := ref.Value.Content.Get("application/json")
		if mt == nil || mt.Examples[name] == nil || mt.Examples[name].Value == nil {
			continue
		}
		if m, ok := mt.Examples[name].Value.Value.(map[string]any); ok {
			return codeString(m["code"])
		}
	}
	return ""
}

// codeString is an error code, a JSON number or string, as text.
func codeString(v any) string {
	switch c := v.(type) {
	case float64:
		return strconv.FormatFloat(c, 'f', -1, 64)
	case int:
		return strconv.Itoa(c)
	case int64:
		return strconv.FormatInt(c, 10)
	case uint64:
		return strconv.FormatUint(c, 10)
	case json.Number:
		return c.String()
	case string:
		return c
	}
	return ""
}

// runScenario sends the activation scenario's steps and checks the state they show.
func (r *runner) runScenario(ctx context.Context) {
	answers := map[step]answer{}
	cases := map[step]Case{}
	for _, c := range r.plan.Scenario {
		start := time.Now()
		a := r.send(ctx, c)
		answers[c.step], cases[c.step] = a, c
		fs := r.judge(c, a)
		if a.err == nil && a.status < 500 {
			fs = append(fs, r.stepChecks(c, a, answers)...)
		}
		r.record(c, a, fs, time.Since(start))
	}
}

// stepChecks are the checks of one step, given the answers of the steps before it.
func (r *runner) stepChecks(c Case, a answer, before map[step]answer) []Finding {
	var fs []Finding
	refused := r.alreadyActive(a)
	switch c.step {
	case stepLinks, stepLinksThen:
		fs = r.expect(fs, c, a, PositiveDataAcceptance, a.status >= 200 && a.status < 300,
			"the links of the subscription given got "+statusText(a.status)+": want a 2xx")
	case stepActivate:
		fs = r.expect(fs, c, a, ActivationStateTransition, (a.status >= 200 && a.status < 300) || refused,
			"activating the subscription given got "+statusText(a.status)+": want a 2xx, or "+r.refusal()+" when it is active already")
	case stepAgain:
		fs = r.expect(fs, c, a, ActivationStateTransition, refused,
			"a second activation got "+statusText(a.status)+": want "+r.refusal()+" (the subscription is active)")
	case stepReplay:
		first := before[stepActivate]
		same := first.err == nil && first.status == a.status && sameBody(first.body, a.body)
		reason := "replaying the first activation's MS-RequestId got " + statusText(a.status) + ", the first answer was " + statusText(first.status)
		if first.status == a.status {
			reason = "replaying the first activation's MS-RequestId got another body than the first answer"
		}
		fs = r.expect(fs, c, a, IdempotentReplay, same, reason)
	}
	return fs
}

func (r *runner) refusal() string {
	if r.plan.alreadyActivated == "" {
		return "a 4xx"
	}
	return "400 with code " + r.plan.alreadyActivated
}

// alreadyActive reports whether a is the spec's "already activated" refusal.
func (r *runner) alreadyActive(a answer) bool {
	if r.plan.alreadyActivated == "" {
		return a.status >= 400 && a.status < 500
	}
	return a.status == http.StatusBadRequest && errorCode(a.body) == r.plan.alreadyActivated
}

// errorCode is the code of a Partner Center error body ("" when there is none).
func errorCode(body []byte) string {
	var e struct {
		Code json.RawMessage `json:"code"`
	}
	body = bytes.TrimPrefix(body, []byte("\xEF\xBB\xBF"))
	if json.Unmarshal(body, &e) != nil || len(e.Code) == 0 {
		return ""
	}
	var v any
	d := json.NewDecoder(bytes.NewReader(e.Code))
	d.UseNumber()
	if d.Decode(&v) != nil {
		return ""
	}
	return codeString(v)
}

// sameBody compares two answers: as JSON values when both are JSON, byte for byte otherwise.
func sameBody(a, b []byte) bool {
	a, b = bytes.TrimPrefix(a, []byte("\xEF\xBB\xBF")), bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
	var x, y any
	if json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil {
		xs, _ := json.Marshal(x)
		ys, _ := json.Marshal(y)
		return bytes.Equal(xs, ys)
	}
	return bytes.Equal(a, b)
}
