package probe

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/partnercenter-go/partnercenter/contract"
)

// Kind says what a case tries, and so what its answer must be.
type Kind string

const (
	// Positive: a request that conforms, with the ids given: a 2xx.
	Positive Kind = "positive"
	// Negative: a request that breaks one constraint of the spec: a 4xx.
	Negative Kind = "negative"
	// Auth: no token, or a garbage one: 401.
	Auth Kind = "auth"
	// Method: a method the path does not document: a 4xx.
	Method Kind = "method"
	// Accept: an Accept the operation does not offer: 406, or a documented answer (RFC 9110
	// section 12.5.1 lets a server disregard Accept; ASP.NET, which serves Partner Center,
	// falls back to JSON), never a 5xx.
	Accept Kind = "accept"
	// Stateful: a step of the activation scenario (sent only with writes allowed).
	Stateful Kind = "stateful"
)

// Kinds are all the kinds, in the order plans and reports list them.
var Kinds = []Kind{Positive, Negative, Auth, Method, Accept, Stateful}

// TokenMode is the Authorization a case sends.
type TokenMode int

const (
	TokenValid   TokenMode = iota // the run's token
	TokenNone                     // no Authorization header
	TokenGarbage                  // a random value that is no token, never derived from the real one
)

// Case is one request the probe sends and what its answer must be.
type Case struct {
	Name        string // stable and unique: "GetOrderActivationLinks: customerId breaks its pattern"
	Kind        Kind
	OperationID string // the operation of the path (for Method cases, the one the path documents)
	Method      string
	Path        string      // escaped, from /v1/
	Header      http.Header // sent as is; Authorization is set from Token
	Token       TokenMode
	Body        []byte
	Why         string // what the case tries, in the spec's terms
	Write       bool   // may change state: sent only when writes are allowed
	step        step
}

// step is the role of a Stateful case in the scenario.
type step int

const (
	notAStep      step = iota
	stepLinks          // the links before
	stepActivate       // the first activation (MS-RequestId R1)
	stepAgain          // a new activation (R2): the spec's "already activated"
	stepReplay         // the first request again, with R1: the first answer again
	stepLinksThen      // the links after
)

// Plan is what a run will send: the cases in order, the scenario's steps (sent in order,
// after the cases, only with writes allowed) and what could not be generated, with why.
type Plan struct {
	Seed     uint64 // what the ids, request ids and garbage token were drawn from
	Cases    []Case
	Scenario []Case
	Skipped  []string
	// Garbage is the token of TokenGarbage cases: random from the seed, never the real one.
	Garbage string
	// alreadyActivated is the error code of the spec's example alreadyActivated ("" when the
	// spec has none: any 4xx then passes as a refusal).
	alreadyActivated string
}

// Config is what a plan is generated from besides the spec.
type Config struct {
	// IDs are the values of path parameters by name (customerId, orderId, lineItemNumber,
	// subscriptionId): the ids of the account the probe runs against. An operation whose path
	// needs an id not given is skipped, saying so.
	IDs  map[string]string
	Seed uint64
}

// Count is the number of requests of each kind the plan sends (the scenario's only when
// writes are allowed).
func (p *Plan) Count(allowWrites bool) map[Kind]int {
	n := map[Kind]int{}
	for _, c := range p.Cases {
		n[c.Kind]++
	}
	if allowWrites {
		n[Stateful] = len(p.Scenario)
	}
	return n
}

// methodsTried are the methods a Method case picks from, the first one the path does not
// document: GET first, so that a path whose only method writes is tried with a read.
var methodsTried = []string{http.MethodGet, http.MethodPut, http.MethodPost, http.MethodPatch, http.MethodDelete}

// notOffered is the Accept of Accept cases: a media type no operation of the spec answers.
const notOffered = "text/html"

// Generate makes the plan from v's spec: for each operation, a positive case with the ids
// given and one per documented optional header (read-only operations only), a negative case
// per constraint of each parameter, the two Auth cases, a Method and an Accept case; and the
// activation scenario over the spec's write operation. An id that itself breaks the spec is
// an error naming its parameter.
func Generate(v *contract.Validator, cfg Config) (*Plan, error) {
	doc := v.Spec()
	g := &generator{doc: doc, rng: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)), ids: cfg.IDs, plan: &Plan{Seed: cfg.Seed}}
	g.plan.Garbage = "probe-not-a-token-" + g.hex(16)
	if err := g.checkIDs(v, doc); err != nil {
		return nil, err
	}
	if err := requiredUnsupported(doc); err != nil {
		return nil, err
	}
	for _, path := range doc.Paths.InMatchingOrder() {
		g.path(path, doc.Paths.Value(path))
	}
	sort.SliceStable(g.plan.Cases, func(i, j int) bool { return kindOrder(g.plan.Cases[i].Kind) < kindOrder(g.plan.Cases[j].Kind) })
	return g.plan, nil
}

func kindOrder(k Kind) int {
	for i, o := range Kinds {
		if o == k {
			return i
		}
	}
	return len(Kinds)
}

type generator struct {
	doc  *openapi3.T
	rng  *rand.Rand
	ids  map[string]string
	plan *Plan
}

func (g *generator) hex(n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[g.rng.IntN(16)]
	}
	return string(b)
}

// guid is a fresh 8-4-4-4-12 id from the seed.
func (g *generator) guid() string {
	h := g.hex(32)
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:]
}

// checkIDs refuses ids that break the spec: a positive case built from them would be a
// negative one.
func (g *generator) checkIDs(v *contract.Validator, doc *openapi3.T) error {
	names := make([]string, 0, len(g.ids))
	for name := range g.ids {
		names = append(names, name)
	}
	sort.Strings(names)
	params := pathParameters(doc)
	for _, name := range names {
		p := params[name]
		if p == nil {
			return fmt.Errorf("no path parameter %q in the spec", name)
		}
		if err := p.Schema.Value.VisitJSON(asJSON(p.Schema.Value, g.ids[name])); err != nil {
			return fmt.Errorf("%s %q breaks the spec (%s)", name, g.ids[name], constraintOf(p.Schema.Value))
		}
	}
	return nil
}

// requiredUnsupported refuses a spec with a required query or cookie parameter: the probe
// generates path and header values only, so every positive case of such an operation would be
// a request the spec itself refuses, and a false positive_data_acceptance finding. (Partner
// Center's four operations have none; a --spec FILE may.)
func requiredUnsupported(doc *openapi3.T) error {
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for method, op := range item.Operations() {
			for _, ref := range append(append(openapi3.Parameters{}, item.Parameters...), op.Parameters...) {
				if p := ref.Value; p != nil && p.Required && (p.In == openapi3.ParameterInQuery || p.In == openapi3.ParameterInCookie) {
					return fmt.Errorf("%s %s: required %s parameter %q: the probe does not generate %s parameters yet", method, path, p.In, p.Name, p.In)
				}
			}
		}
	}
	return nil
}

// asJSON is a path value as the schema reads it.
func asJSON(s *openapi3.Schema, v string) any {
	if s.Type.Is(openapi3.TypeInteger) || s.Type.Is(openapi3.TypeNumber) {
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			return f
		}
	}
	return v
}

func constraintOf(s *openapi3.Schema) string {
	switch {
	case s.Pattern != "":
		return "pattern " + s.Pattern
	case s.Type.Is(openapi3.TypeInteger):
		return "an integer"
	}
	return "its schema"
}

// pathParameters are the spec's path parameters by name.
func pathParameters(doc *openapi3.T) map[string]*openapi3.Parameter {
	out := map[string]*openapi3.Parameter{}
	for _, item := range doc.Paths.Map() {
		for _, ref := range item.Parameters {
			if ref.Value != nil && ref.Value.In == openapi3.ParameterInPath {
				out[ref.Value.Name] = ref.Value
			}
		}
	}
	return out
}

// path generates the cases of one path of the spec.
func (g *generator) path(template string, item *openapi3.PathItem) {
	ops := item.Operations()
	methods := make([]string, 0, len(ops))
	for m := range ops {
		methods = append(methods, m)
	}
	sort.Strings(methods)
	var pathParams []*openapi3.Parameter
	for _, ref := range item.Parameters {
		if ref.Value != nil && ref.Value.In == openapi3.ParameterInPath {
			pathParams = append(pathParams, ref.Value)
		}
	}
	for _, p := range pathParams {
		if g.ids[p.Name] == "" {
			for _, m := range methods {
				g.plan.Skipped = append(g.plan.Skipped, fmt.Sprintf("%s: no %s given", ops[m].OperationID, p.Name))
			}
			return
		}
	}
	for _, m := range methods {
		g.operation(template, m, ops[m], item, pathParams)
	}
	g.methodCase(template, item, ops, methods, pathParams)
}

func (g *generator) operation(template, method string, op *openapi3.Operation, item *openapi3.PathItem, pathParams []*openapi3.Parameter) {
	write := method != http.MethodGet && method != http.MethodHead
	ids := g.ids
	if write {
		// Negative cases of a write never carry a pair of ids the service could act on.
		ids = g.unactionable(pathParams)
	}
	base := Case{OperationID: op.OperationID, Method: method, Write: write}
	if write && op.RequestBody != nil && op.RequestBody.Value.Content.Get("application/json") != nil {
		// The official SDKs POST the JSON literal null (openapi.yaml, ActivateSubscription).
		base.Body = []byte("null")
	}
	headers := headerParameters(item, op)
	// Every case carries the required headers (this spec has none), so that it breaks one
	// constraint only.
	required := http.Header{}
	for _, h := range headers {
		if h.Required {
			required[h.Name] = []string{g.valid(h)}
		}
	}
	mk := func(kind Kind, name, why string, values map[string]string) Case {
		c := base
		c.Kind, c.Name, c.Why = kind, op.OperationID+": "+name, why
		c.Path = expand(template, values)
		c.Header = required.Clone()
		if c.Body != nil {
			c.Header.Set("Content-Type", "application/json")
		}
		return c
	}
	if !write {
		g.add(mk(Positive, "the ids given", "a request that conforms, with ids that exist", g.ids))
		for _, h := range headers {
			if h.Required {
				continue // in every case already
			}
			c := mk(Positive, "with "+h.Name, "a documented optional header, with a value its schema allows", g.ids)
			c.Header[h.Name] = []string{g.valid(h)} // as the spec writes it
			g.add(c)
		}
	}
	for _, p := range pathParams {
		for _, bad := range g.violations(p.Name, p.Schema.Value) {
			values := copyMap(ids)
			values[p.Name] = bad.value
			g.add(mk(Negative, p.Name+" "+bad.what, p.Name+" "+bad.what+" ("+bad.rule+")", values))
		}
	}
	for _, h := range headers {
		if h.Required {
			c := mk(Negative, h.Name+" is missing", h.Name+" is missing (required)", ids)
			delete(c.Header, h.Name)
			g.add(c)
		}
		for _, bad := range g.violations(h.Name, h.Schema.Value) {
			c := mk(Negative, h.Name+" "+bad.what, h.Name+" "+bad.what+" ("+bad.rule+")", ids)
			c.Header[h.Name] = []string{bad.value}
			g.add(c)
		}
	}
	if secured(g.doc, op) {
		noToken := mk(Auth, "no token", "no Authorization: the spec requires an OAuth2 token", ids)
		noToken.Token = TokenNone
		garbage := mk(Auth, "a garbage token", "an Authorization that is no token", ids)
		garbage.Token = TokenGarbage
		g.add(noToken, garbage)
	}
	accept := mk(Accept, "Accept "+notOffered, "an Accept the operation does not offer: 406, or a documented answer", ids)
	accept.Header.Set("Accept", notOffered)
	g.add(accept)
	if write {
		g.scenario(template, op, pathParams)
	}
}

func (g *generator) add(cs ...Case) { g.plan.Cases = append(g.plan.Cases, cs...) }

// unactionable are the ids with the last id of the path (the one a write acts on) replaced by
// a fresh one that no account holds: the last parameter with the id pattern, so that the
// other parameters keep their shape.
func (g *generator) unactionable(pathParams []*openapi3.Parameter) map[string]string {
	values := copyMap(g.ids)
	for i := len(pathParams) - 1; i >= 0; i-- {
		if s := pathParams[i].Schema; s != nil && s.Value != nil && s.Value.Pattern != "" {
			values[pathParams[i].Name] = g.guid()
			break
		}
	}
	return values
}

// methodCase tries the first method of methodsTried the path does not document.
func (g *generator) methodCase(template string, item *openapi3.PathItem, ops map[string]*openapi3.Operation, methods []string, pathParams []*openapi3.Parameter) {
	for _, m := range methodsTried {
		if ops[m] != nil {
			continue
		}
		documented := ops[methods[0]]
		ids := g.ids
		if m != http.MethodGet {
			ids = g.unactionable(pathParams)
		}
		header := http.Header{}
		for _, h := range headerParameters(item, documented) {
			if h.Required {
				header[h.Name] = []string{g.valid(h)}
			}
		}
		g.add(Case{Kind: Method, OperationID: documented.OperationID, Method: m, Path: expand(template, ids), Header: header,
			Name: documented.OperationID + ": method " + m, Why: "a method the path does not document (it documents " + strings.Join(methods, ", ") + ")"})
		return
	}
}

// expand fills a path template with escaped values.
func expand(template string, values map[string]string) string {
	out := template
	for name, v := range values {
		out = strings.ReplaceAll(out, "{"+name+"}", url.PathEscape(v))
	}
	return out
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// headerParameters are the operation's header parameters (the path's, then its own), in the
// spec's order.
func headerParameters(item *openapi3.PathItem, op *openapi3.Operation) []*openapi3.Parameter {
	var out []*openapi3.Parameter
	for _, refs := range []openapi3.Parameters{item.Parameters, op.Parameters} {
		for _, ref := range refs {
			if ref.Value != nil && ref.Value.In == openapi3.ParameterInHeader && ref.Value.Schema != nil {
				out = append(out, ref.Value)
			}
		}
	}
	return out
}

// secured reports whether the operation requires a credential (its own security, or the
// document's when it has none).
func secured(doc *openapi3.T, op *openapi3.Operation) bool {
	if op.Security != nil {
		return len(*op.Security) > 0
	}
	return len(doc.Security) > 0
}
