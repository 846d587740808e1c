package partnercenter

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"

	"github.com/partnercenter-go/partnercenter/internal/mediatype"
)

// The client reads answers by the contract gate's rules (contract/media.go, contract/body.go):
// a media type matches in any case with its parameters ignored; application/json, text/json
// (the REST reference lists it for every status) and any +json type hold JSON; the body is
// exactly one JSON value (the pipeline has already removed a leading byte-order mark); and a
// success must carry every member the spec requires. A 200 whose body is `{}`, `null` or an
// error body ({"code":800041,...}) is therefore an *Error, never a success that a batch would
// record as "activated".

// decodeSuccess decodes the body of a 2xx answer into v, a pointer to one of the models.
func decodeSuccess(resp *http.Response, body []byte, v any) error {
	if ct := resp.Header.Get("Content-Type"); !mediatype.HoldsJSON(ct) {
		return fmt.Errorf("no JSON body to decode (Content-Type %q)", ct)
	}
	var raw json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		return fmt.Errorf("not valid JSON: %w", err)
	}
	if isJSONNull(raw) {
		return errors.New("the body is JSON null where the spec requires an object")
	}
	if where := missingRequired(reflect.TypeOf(v), raw, ""); where != "" {
		return fmt.Errorf("the body lacks %s, which the spec requires", where)
	}
	return json.Unmarshal(body, v)
}

// missingRequired returns the JSON pointer of the first member that t requires and raw lacks
// (absent or null), or "". A value of another JSON type is left to json.Unmarshal, which
// names the type mismatch. The models carry the spec's required list in their tags: omitempty
// on exactly the optional members, as oapi-codegen writes them (TestModelsMirrorTheSpec holds
// the hand-written models to the generated ones, tags included).
//
// It walks json.RawMessage values, streaming through large ones (eachJSONValue), rather than
// decoding the body into an any: a hostile 4 MiB body of empty items ({"items":[{},{},...]})
// is a million maps as an any (over 200 MB), and is refused here at its first item.
func missingRequired(t reflect.Type, raw json.RawMessage, ptr string) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		members := map[string]json.RawMessage{} // t's members only, the last of duplicates (as json.Unmarshal)
		ok := eachJSONValue(raw, '{', func(key string, v json.RawMessage) bool {
			if fieldOfJSONName(t, key) != "" {
				members[key] = v
			}
			return true
		})
		if !ok {
			return ""
		}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" || !f.IsExported() {
				continue
			}
			child, present := members[name]
			if !present || isJSONNull(child) {
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
		var where string
		i := 0
		eachJSONValue(raw, '[', func(_ string, item json.RawMessage) bool {
			where = missingRequired(t.Elem(), item, fmt.Sprintf("%s/%d", ptr, i))
			i++
			return where == ""
		})
		return where
	}
	return ""
}

// fieldOfJSONName is the Go name of t's exported field whose JSON name is name, or "".
func fieldOfJSONName(t reflect.Type, name string) string {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if n, _, _ := strings.Cut(f.Tag.Get("json"), ","); n == name && n != "" && n != "-" && f.IsExported() {
			return f.Name
		}
	}
	return ""
}

// streamJSONAbove is the size past which eachJSONValue streams: below it, a map or slice of
// json.RawMessage costs little (and fewer allocations than a json.Decoder); above it, a hostile
// body of a million empty items must not become a million values at once. (A variable only so
// that FuzzRequiredMembersStreamedOrNot can compare both ways.)
var streamJSONAbove = 64 << 10

// eachJSONValue calls f with each member (key and value) of the JSON object raw, or each item
// of the JSON array raw (key ""), as open says, until f returns false. It reports false when raw
// is not such a value or does not parse: decodeSuccess then leaves it to json.Unmarshal.
func eachJSONValue(raw json.RawMessage, open json.Delim, f func(key string, v json.RawMessage) bool) bool {
	if len(raw) <= streamJSONAbove {
		if open == '{' {
			var obj map[string]json.RawMessage
			if json.Unmarshal(raw, &obj) != nil || obj == nil {
				return false
			}
			for k, v := range obj {
				if !f(k, v) {
					break
				}
			}
			return true
		}
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil || items == nil {
			return false
		}
		for _, v := range items {
			if !f("", v) {
				break
			}
		}
		return true
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != open {
		return false
	}
	for dec.More() {
		var key string
		if open == '{' {
			tok, err := dec.Token()
			if err != nil {
				return false
			}
			key, _ = tok.(string)
		}
		var v json.RawMessage
		if dec.Decode(&v) != nil {
			return false
		}
		if !f(key, v) {
			return true
		}
	}
	return true
}

// isJSONNull reports whether raw is the JSON literal null (or empty).
func isJSONNull(raw json.RawMessage) bool {
	return len(raw) == 0 || string(bytes.TrimSpace(raw)) == "null"
}
