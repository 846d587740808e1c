package contract

import (
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// The REST reference lists application/xml and text/xml for every status, and kin-openapi
// decodes only JSON-like bodies by itself. The decoder below turns an XML document into the
// JSON value the schema describes, so the same schema judges both:
//   - the root element is the schema's value; child elements are properties, matched to the
//     schema's property names without regard to case (the service's XML serializer writes
//     SubscriptionId for subscriptionId);
//   - an array is the sequence of its element's children;
//   - leaf text is parsed as the schema's type (integer, number, boolean), and is left a
//     string when it does not parse, so that validation reports it;
//   - an element with xsi:nil="true" is null.
func init() {
	for _, mt := range []string{"application/xml", "text/xml"} {
		openapi3filter.RegisterBodyDecoder(mt, func(r io.Reader, _ http.Header, schema *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
			return decodeXML(r, schema)
		})
	}
}

type xmlNode struct {
	name     string
	text     strings.Builder
	nilled   bool
	children []*xmlNode
}

func decodeXML(r io.Reader, schema *openapi3.SchemaRef) (any, error) {
	dec := xml.NewDecoder(r)
	var stack []*xmlNode
	var root *xmlNode
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &xmlNode{name: t.Name.Local}
			for _, a := range t.Attr {
				if a.Name.Local == "nil" && a.Value == "true" {
					n.nilled = true
				}
			}
			if len(stack) > 0 {
				parent := stack[len(stack)-1]
				parent.children = append(parent.children, n)
			} else if root != nil {
				return nil, errors.New("more than one root element")
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		}
	}
	if root == nil {
		return nil, errors.New("no root element")
	}
	return xmlValue(root, schema), nil
}

func xmlValue(n *xmlNode, ref *openapi3.SchemaRef) any {
	if n.nilled {
		return nil
	}
	var s *openapi3.Schema
	if ref != nil {
		s = ref.Value
	}
	if s == nil {
		return untypedXML(n)
	}
	switch {
	case s.Type.Is("array"):
		items := make([]any, 0, len(n.children))
		for _, c := range n.children {
			items = append(items, xmlValue(c, s.Items))
		}
		return items
	case s.Type.Is("object") || len(s.Properties) > 0 || len(unionBranches(s)) > 0 && len(n.children) > 0:
		props, _ := declaredProperties(s)
		obj := map[string]any{}
		for _, c := range n.children {
			name, prop := c.name, (*openapi3.SchemaRef)(nil)
			for k, p := range props {
				if strings.EqualFold(k, c.name) {
					name, prop = k, p
					break
				}
			}
			obj[name] = xmlValue(c, prop)
		}
		return obj
	}
	text := strings.TrimSpace(n.text.String())
	return scalarXML(text, s)
}

func scalarXML(text string, s *openapi3.Schema) any {
	switch {
	case s.Type.Is("integer"):
		if i, err := strconv.ParseInt(text, 10, 64); err == nil {
			return float64(i)
		}
	case s.Type.Is("number"):
		if f, err := strconv.ParseFloat(text, 64); err == nil {
			return f
		}
	case s.Type.Is("boolean"):
		if b, err := strconv.ParseBool(text); err == nil {
			return b
		}
	case s.Type == nil || len(*s.Type) == 0:
		// A union of scalars (ErrorCode: integer or string): a number when it parses as one.
		for _, b := range unionBranches(s) {
			if b.Value != nil && b.Value.Type.Is("integer") {
				if i, err := strconv.ParseInt(text, 10, 64); err == nil {
					return float64(i)
				}
			}
		}
	}
	return text
}

func untypedXML(n *xmlNode) any {
	if len(n.children) == 0 {
		return strings.TrimSpace(n.text.String())
	}
	obj := map[string]any{}
	for _, c := range n.children {
		obj[c.name] = untypedXML(c)
	}
	return obj
}
