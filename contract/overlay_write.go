package contract

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// inferred is the schema a field's values suggest.
type inferred struct {
	types      map[string]bool // JSON Schema types seen ("null" included)
	properties map[string]*inferred
	items      *inferred
	where      string // description: where it was first seen
}

func infer(v any) *inferred {
	in := &inferred{types: map[string]bool{}}
	switch v := v.(type) {
	case nil:
		in.types["null"] = true
	case bool:
		in.types["boolean"] = true
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1<<53 {
			in.types["integer"] = true
		} else {
			in.types["number"] = true
		}
	case string:
		in.types["string"] = true
	case map[string]any:
		in.types["object"] = true
		in.properties = map[string]*inferred{}
		for k, child := range v {
			in.properties[k] = infer(child)
		}
	case []any:
		in.types["array"] = true
		for _, child := range v {
			if in.items == nil {
				in.items = infer(child)
			} else {
				in.items.merge(infer(child))
			}
		}
	default: // XML leaves the decoder could not type
		in.types["string"] = true
	}
	return in
}

// merge widens in to also describe o.
func (in *inferred) merge(o *inferred) {
	for t := range o.types {
		in.types[t] = true
	}
	if o.properties != nil {
		if in.properties == nil {
			in.properties = map[string]*inferred{}
		}
		for k, p := range o.properties {
			if mine, ok := in.properties[k]; ok {
				mine.merge(p)
			} else {
				in.properties[k] = p
			}
		}
	}
	if o.items != nil {
		if in.items == nil {
			in.items = o.items
		} else {
			in.items.merge(o.items)
		}
	}
}

// schemaType is the one OpenAPI 3.0 type the values allow, with nullable; "" when they
// disagree (any value) or only null was seen.
func (in *inferred) schemaType() (typ string, nullable bool) {
	var kinds []string
	for t := range in.types {
		if t == "null" {
			nullable = true
			continue
		}
		kinds = append(kinds, t)
	}
	sort.Strings(kinds)
	switch {
	case len(kinds) == 1:
		return kinds[0], nullable
	case len(kinds) == 2 && kinds[0] == "integer" && kinds[1] == "number":
		return "number", nullable
	}
	return "", nullable
}

// node renders the schema as YAML, keys in a fixed order.
func (in *inferred) node() *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	put := func(k string, v *yaml.Node) { m.Content = append(m.Content, scalar(k), v) }
	typ, nullable := in.schemaType()
	if typ != "" {
		put("type", scalar(typ))
	}
	if nullable {
		put("nullable", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"})
	}
	if in.where != "" {
		desc := in.where + "."
		switch {
		case typ == "" && len(in.types) == 1 && in.types["null"]:
			desc += " Only null was seen: no type inferred."
		case typ == "":
			desc += " Values of several types were seen: " + strings.Join(sortedKeys(in.types), ", ") + "."
		default:
			desc += " Type inferred from the values seen."
		}
		put("description", scalar(desc))
	}
	if typ == "object" && len(in.properties) > 0 {
		props := &yaml.Node{Kind: yaml.MappingNode}
		for _, k := range sortedKeys(in.properties) {
			props.Content = append(props.Content, scalar(k), in.properties[k].node())
		}
		put("properties", props)
	}
	if typ == "array" {
		items := &yaml.Node{Kind: yaml.MappingNode}
		if in.items != nil {
			items = in.items.node()
		}
		put("items", items)
	}
	return m
}

func scalar(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}

// WriteOverlay writes the collected fields as an OpenAPI Overlay 1.0 document, one action per
// schema, in a stable order.
func (s *OverlaySuggester) WriteOverlay(w io.Writer) error {
	doc := &yaml.Node{Kind: yaml.MappingNode}
	put := func(m *yaml.Node, k string, v *yaml.Node) { m.Content = append(m.Content, scalar(k), v) }
	put(doc, "overlay", scalar("1.0.0"))
	info := &yaml.Node{Kind: yaml.MappingNode}
	put(info, "title", scalar("Fields the judged traffic showed that openapi.yaml does not declare"))
	put(info, "version", scalar("1.0.0"))
	put(doc, "info", info)
	actions := &yaml.Node{Kind: yaml.SequenceNode}
	for _, key := range sortedKeys(s.targets) {
		t := s.targets[key]
		names := sortedKeys(t.fields)
		props := &yaml.Node{Kind: yaml.MappingNode}
		for _, name := range names {
			props.Content = append(props.Content, scalar(name), t.fields[name].node())
		}
		update := &yaml.Node{Kind: yaml.MappingNode}
		put(update, "properties", props)
		action := &yaml.Node{Kind: yaml.MappingNode}
		put(action, "target", scalar(t.path))
		put(action, "description", scalar(fmt.Sprintf("Declare %s, seen in traffic.", strings.Join(names, ", "))))
		put(action, "update", update)
		actions.Content = append(actions.Content, action)
	}
	actions.Content = append(actions.Content, s.answerActions()...)
	put(doc, "actions", actions)
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return err
	}
	return enc.Close()
}
