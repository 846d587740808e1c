package contract

import (
	"net/http"
	"net/textproto"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/partnercenter-go/partnercenter/internal/mediatype"
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

// documentedMedia finds the spec's entry for media type mt (lower case, no parameters) in
// content. An undocumented +json or +xml type is judged by the application/json or
// application/xml entry; fallback then names that entry.
func documentedMedia(content openapi3.Content, mt string) (media *openapi3.MediaType, fallback string) {
	for k, m := range content {
		if documented, ok := mediatype.Parse(k); ok && documented == mt {
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
