package partnercenter

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"reflect"
	"strings"
)

// The client reads answers by the contract gate's rules (contract/media.go, contract/body.go):
// a media type matches in any case with its parameters ignored; application/json, text/json
// (the REST reference lists it for every status) and any +json type hold JSON; the body is
// exactly one JSON value (the pipeline has already removed a leading byte-order mark); and a
// success must carry every member the spec requires. A 200 whose body is `{}`, `null` or an
// error body ({"code":800041,...}) is therefore an *Error, never a success that a batch would
// record as "activated".

// isJSONMediaType reports whether a Content-Type value names a JSON media type.
func isJSONMediaType(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil && !errors.Is(err, mime.ErrInvalidMediaParameter) {
		return false
	}
	return mt == "application/json" || mt == "text/json" || strings.HasSuffix(mt, "+json")
}

// decodeSuccess decodes the body of a 2xx answer into a T.
func decodeSuccess[T any](resp *http.Response, body []byte) (*T, error) {
	if ct := resp.Header.Get("Content-Type"); !isJSONMediaType(ct) {
		return nil, fmt.Errorf("no JSON body to decode (Content-Type %q)", ct)
	}
	var raw any
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	if raw == nil {
		return nil, errors.New("the body is JSON null where the spec requires an object")
	}
	if where := missingRequired(reflect.TypeFor[T](), raw, ""); where != "" {
		return nil, fmt.Errorf("the body lacks %s, which the spec requires", where)
	}
	v := new(T)
	if err := json.Unmarshal(body, v); err != nil {
		return nil, err
	}
	return v, nil
}

// missingRequired returns the JSON pointer of the first member that t requires and v lacks
// (absent or null), or "". A value of another JSON type is left to json.Unmarshal, which
// names the type mismatch. The generated models carry the spec's required list in their
// tags: oapi-codegen writes omitempty on exactly the optional members.
func missingRequired(t reflect.Type, v any, ptr string) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" || !f.IsExported() {
				continue
			}
			child, present := obj[name]
			if !present || child == nil {
				if strings.Contains(opts, "omitempty") {
					continue
				}
				return ptr + "/" + name
			}
			if where := missingRequired(f.Type, child, ptr+"/"+name); where != "" {
				return where
			}
		}
	case reflect.Slice:
		items, ok := v.([]any)
		if !ok {
			return ""
		}
		for i, item := range items {
			if where := missingRequired(t.Elem(), item, fmt.Sprintf("%s/%d", ptr, i)); where != "" {
				return where
			}
		}
	}
	return ""
}
