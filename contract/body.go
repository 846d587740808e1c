package contract

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/partnercenter-go/partnercenter/internal/mediatype"
)

// Body is a response body decoded once for judging.
type Body struct {
	// MediaType is the Content-Type's type/subtype in lower case, parameters dropped.
	MediaType string
	// Bytes is the body after its Content-Encoding was undone and a leading BOM removed.
	Bytes []byte
	// Value is the decoded document: the JSON value, or for XML the JSON value the schema
	// describes (see xml.go). Meaningful only when Decoded.
	Value   any
	Decoded bool
}

// utf8BOM is the UTF-8 byte-order mark. The live service starts its JSON answers with it
// (Azure/msrest-for-python issue 144: "Unexpected UTF-8 BOM" on every Partner Center answer;
// microsoft/PartnerCenterPowerShellModule strips the first character of every response).
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// maxDecodedBody bounds what a gzip body may expand to: a cassette is hostile input, and a
// few kilobytes of gzip can claim gigabytes.
const maxDecodedBody = 32 << 20

// DecodeBody decodes a response body as the gate judges it, in one pass: Content-Encoding
// gzip undone, a leading UTF-8 BOM removed (drift: RFC 8259 forbids it, the service sends
// it), then parsed by its media type, JSON (application/json, text/json, +json) as exactly
// one JSON value, XML by xml.go's rules against schema. header must have canonical keys
// (the Validator canonicalizes them). The findings' pointers are absolute
// (/response/body, /response/header/...); their reasons never quote the body.
func DecodeBody(header http.Header, raw []byte, schema *openapi3.SchemaRef) (Body, []Finding) {
	var findings []Finding
	add := func(s Severity, pointer, reason string) {
		findings = append(findings, Finding{Severity: s, Pointer: pointer, Reason: reason})
	}
	var b Body
	mt, ok := mediatype.Parse(header.Get("Content-Type"))
	if !ok {
		add(Violation, "/response/header/Content-Type", "is missing or not a media type")
		return b, findings
	}
	b.MediaType = mt
	data, err := undoContentEncoding(header.Values("Content-Encoding"), raw)
	if err != nil {
		add(Violation, "/response/body", err.Error())
		return b, findings
	}
	if bytes.HasPrefix(data, utf8BOM) {
		data = data[len(utf8BOM):]
		add(Drift, "/response/body", "starts with a UTF-8 byte-order mark (EF BB BF): accepted, as Partner Center sends it, "+
			"but RFC 8259 section 8.1 forbids it in JSON and most JSON parsers refuse it: clients must strip it")
	}
	b.Bytes = data
	switch {
	case mediatype.IsJSON(mt):
		b.Value, err = decodeJSON(data)
		if err != nil {
			add(Violation, "/response/body", "cannot be parsed: not valid JSON: "+err.Error())
			return b, findings
		}
	case mediatype.IsXML(mt):
		if len(bytes.TrimSpace(data)) == 0 {
			add(Violation, "/response/body", "cannot be parsed: not valid XML: the body is empty")
			return b, findings
		}
		b.Value, err = decodeXML(bytes.NewReader(data), schema)
		if err != nil {
			add(Violation, "/response/body", "cannot be parsed: not valid XML: "+err.Error())
			return b, findings
		}
	default:
		add(Violation, "/response/header/Content-Type", fmt.Sprintf("media type %q is neither JSON nor XML: the gate cannot judge its body", mt))
		return b, findings
	}
	b.Decoded = true
	return b, findings
}

// DecodeResponseBody is DecodeBody for ex's response (header names canonicalized first).
func (ex Exchange) DecodeResponseBody(schema *openapi3.SchemaRef) (Body, []Finding) {
	return DecodeBody(canonicalHeader(ex.ResponseHeader), ex.ResponseBody, schema)
}

// undoContentEncoding returns the body with its Content-Encoding removed: gzip (the only
// coding the service is known to apply) and identity.
func undoContentEncoding(codings []string, raw []byte) ([]byte, error) {
	var list []string
	for _, v := range codings {
		for _, c := range strings.Split(v, ",") {
			if c = strings.ToLower(strings.TrimSpace(c)); c != "" && c != "identity" {
				list = append(list, c)
			}
		}
	}
	data := raw
	// Codings are listed in the order they were applied: undo them from the last.
	for i := len(list) - 1; i >= 0; i-- {
		switch list[i] {
		case "gzip", "x-gzip":
			zr, err := gzip.NewReader(bytes.NewReader(data))
			if err != nil {
				return nil, fmt.Errorf("cannot be parsed: gzip body (Content-Encoding: gzip) is not gzip data: %v", err)
			}
			out, err := io.ReadAll(io.LimitReader(zr, maxDecodedBody+1))
			if err != nil {
				return nil, fmt.Errorf("cannot be parsed: gzip body (Content-Encoding: gzip) is corrupt: %v", err)
			}
			if len(out) > maxDecodedBody {
				return nil, fmt.Errorf("cannot be parsed: gzip body expands to more than %d MiB", maxDecodedBody>>20)
			}
			data = out
		default:
			return nil, fmt.Errorf("cannot be judged: Content-Encoding %q is not one the gate decodes (gzip, identity)", list[i])
		}
	}
	return data, nil
}

// decodeJSON parses exactly one JSON value. Its errors say where (a byte offset) and what,
// never the bytes themselves: a body may hold anything.
func decodeJSON(data []byte) (any, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("the body is empty")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var v any
	if err := dec.Decode(&v); err != nil {
		var syntax *json.SyntaxError
		switch {
		case errors.As(err, &syntax):
			return nil, fmt.Errorf("syntax error at byte %d", syntax.Offset)
		case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
			return nil, fmt.Errorf("the body ends inside the JSON value (%d bytes)", len(data))
		default:
			return nil, errors.New("the value cannot be decoded")
		}
	}
	end := dec.InputOffset()
	if rest := bytes.TrimLeft(data[end:], " \t\r\n"); len(rest) > 0 {
		return nil, fmt.Errorf("%d bytes of trailing data after the JSON value (from byte %d): a body holds one JSON value", len(rest), end)
	}
	return v, nil
}
