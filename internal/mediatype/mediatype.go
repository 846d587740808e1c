// Package mediatype is the one reading of Content-Type that the client and the contract gate
// share, so that what the gate passes the client can decode (and the other way round).
package mediatype

import (
	"mime"
	"strings"
)

// Parse returns the type/subtype of a Content-Type value in lower case, parameters
// (charset=utf-8) ignored: media types are case-insensitive (RFC 9110, section 8.3.1), and a
// malformed parameter does not spoil a type that parsed.
func Parse(contentType string) (string, bool) {
	mt, _, err := mime.ParseMediaType(contentType)
	if err == mime.ErrInvalidMediaParameter {
		err = nil
	}
	if err != nil || !strings.Contains(mt, "/") {
		return "", false
	}
	return mt, true
}

// IsJSON reports whether mt (as Parse returns it) holds JSON: application/json, text/json
// (which the REST reference lists for every status) and any structured-syntax +json type
// (RFC 6839).
func IsJSON(mt string) bool {
	return mt == "application/json" || mt == "text/json" || strings.HasSuffix(mt, "+json")
}

// IsXML is IsJSON's counterpart for XML.
func IsXML(mt string) bool {
	return mt == "application/xml" || mt == "text/xml" || strings.HasSuffix(mt, "+xml")
}

// HoldsJSON reports whether a Content-Type value names a JSON media type.
func HoldsJSON(contentType string) bool {
	mt, ok := Parse(contentType)
	return ok && IsJSON(mt)
}
