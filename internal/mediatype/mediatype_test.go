package mediatype

import "testing"

func TestHoldsJSON(t *testing.T) {
	for ct, want := range map[string]bool{
		"application/json":                true,
		"application/json; charset=utf-8": true,
		"Application/JSON":                true, // case-insensitive
		"text/json":                       true,
		"application/problem+json":        true,
		"application/json; charset":       true, // a malformed parameter does not spoil the type
		"application/xml":                 false,
		"text/plain":                      false,
		"":                                false,
		"json":                            false, // no subtype
		"application/jsonx":               false,
		"application/json-seq":            false,
	} {
		if got := HoldsJSON(ct); got != want {
			t.Errorf("HoldsJSON(%q) = %v, want %v", ct, got, want)
		}
	}
	if !IsXML("text/xml") || !IsXML("application/atom+xml") || IsXML("application/json") {
		t.Error("IsXML")
	}
}
