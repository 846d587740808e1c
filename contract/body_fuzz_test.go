package contract_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/partnercenter-go/partnercenter/contract"
)

// DecodeBody reads hostile input (any cassette): it never panics, every finding points into
// the response, and a decoded JSON body is one JSON value.
func FuzzDecodeBody(f *testing.F) {
	f.Add("application/json; charset=utf-8", "", bom(okResult))
	f.Add("text/json", "", okResult+"garbage")
	f.Add("Application/JSON", "gzip", gzipped(bom(okResult)))
	f.Add("application/json", "gzip", okResult)
	f.Add("application/problem+json", "gzip, identity", gzipped(gzipped("{}")))
	f.Add("text/xml", "", `<Error><Code>800041</Code><Description>x</Description></Error>`)
	f.Add("application/xml", "", bom(`<a><b>`))
	f.Add("", "", "")
	f.Add("application/json; charset", "br", "\xEF\xBB")
	validator, err := contract.NewDefault(contract.Options{})
	if err != nil {
		f.Fatal(err)
	}
	schema := validator.Spec().Components.Schemas["Error"]
	f.Fuzz(func(t *testing.T, contentType, encoding, body string) {
		h := http.Header{"Content-Type": {contentType}, "Content-Encoding": {encoding}}
		b, findings := contract.DecodeBody(h, []byte(body), schema)
		for _, fd := range findings {
			if !strings.HasPrefix(fd.Pointer, "/response/") || fd.Reason == "" {
				t.Fatalf("finding %+v", fd)
			}
		}
		if b.Decoded && strings.Contains(b.MediaType, "json") {
			if _, err := json.Marshal(b.Value); err != nil {
				t.Fatalf("decoded value does not marshal: %v", err)
			}
			if !json.Valid(b.Bytes) {
				t.Fatalf("decoded a body that is not one JSON value")
			}
		}
	})
}
