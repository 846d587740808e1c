package contract

import (
	"mime"
	"net/http"
	"net/textproto"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Media types and header names as the gate reads them. Cassettes are written by hand and by
// tools that keep header names as they were typed ("MS-RequestId", "content-type"), while
// http.Header.Get only finds canonical keys: without canonicalHeader a malformed
// MS-RequestId under a non-canonical key would pass unchecked, and a lower-case content-type
// would look absent.

// canonicalHeader returns h with every key in canonical form (textproto), the values of keys
// that differ only in case merged in order. h itself is not modified.
func canonicalHeader(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		ck := textproto.CanonicalMIMEHeaderKey(k)
		out[ck] = append(out[ck], vs...)
	}
	return out
}

// parseMediaType returns the type/subtype of a Content-Type value in lower case, parameters
// (charset=utf-8) ignored: media types are case-insensitive (RFC 9110, section 8.3.1).
func parseMediaType(contentType string) (string, bool) {
	mt, _, err := mime.ParseMediaType(contentType)
	if err == mime.ErrInvalidMediaParameter {
		err = nil // the type itself parsed; parameters do not matter to the gate
	}
	if err != nil || !strings.Contains(mt, "/") {
		return "", false
	}
	return mt, true
}

// isJSONMediaType: application/json, text/json (REST reference) and any structured-syntax
// +json type (RFC 6839) hold JSON.
func isJSONMediaType(mt string) bool {
	return mt == "application/json" || mt == "text/json" || strings.HasSuffix(mt, "+json")
}

func isXMLMediaType(mt string) bool {
	return mt == "application/xml" || mt == "text/xml" || strings.HasSuffix(mt, "+xml")
}

// documentedMedia finds the spec's entry for media type mt (lower case, no parameters) in
// content. An undocumented +json or +xml type is judged by the application/json or
// application/xml entry; fallback then names that entry.
func documentedMedia(content openapi3.Content, mt string) (media *openapi3.MediaType, fallback string) {
	for k, m := range content {
		if documented, ok := parseMediaType(k); ok && documented == mt {
			return m, ""
		}
	}
	var base string
	switch {
	case strings.HasSuffix(mt, "+json"):
		base = "application/json"
	case strings.HasSuffix(mt, "+xml"):
		base = "application/xml"
	default:
		return nil, ""
	}
	if m := content[base]; m != nil {
		return m, base
	}
	return nil, ""
}
