package partnercenter_test

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/partnercenter-go/partnercenter"
	"github.com/partnercenter-go/partnercenter/generated"
)

// jsonShape renders what encoding/json and the client's decoder see of t: field names, value
// kinds and whether a member is optional ("?", from omitempty: decode.go requires every other
// member), recursively. Pointers are looked through.
func jsonShape(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		var fields []string
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if strings.Contains(opts, "omitempty") {
				name += "?"
			}
			fields = append(fields, name+":"+jsonShape(f.Type))
		}
		sort.Strings(fields)
		return "{" + strings.Join(fields, ",") + "}"
	case reflect.Slice:
		return "[]" + jsonShape(t.Elem())
	default:
		return t.Kind().String()
	}
}

// TestModelsMirrorTheSpec: the hand-written models have the JSON shape of the types that
// oapi-codegen generates from openapi.yaml.
func TestModelsMirrorTheSpec(t *testing.T) {
	pairs := []struct {
		ours, spec any
	}{
		{partnercenter.ActivationLinkCollection{}, generated.ActivationLinkCollection{}},
		{partnercenter.ActivationLink{}, generated.ActivationLink{}},
		{partnercenter.Link{}, generated.Link{}},
		{partnercenter.KeyValuePair{}, generated.KeyValuePair{}},
		{partnercenter.ResourceLinks{}, generated.ResourceLinks{}},
		{partnercenter.ResourceAttributes{}, generated.ResourceAttributes{}},
		{partnercenter.SubscriptionActivationResult{}, generated.SubscriptionActivationResult{}},
	}
	for _, p := range pairs {
		ours, spec := jsonShape(reflect.TypeOf(p.ours)), jsonShape(reflect.TypeOf(p.spec))
		if ours != spec {
			t.Errorf("%T does not mirror openapi.yaml:\n  ours: %s\n  spec: %s", p.ours, ours, spec)
		}
	}

	// Control: a model that lost a field, or typed one differently, is told apart.
	type lostLink struct {
		LineItemNumber int32 `json:"lineItemNumber"`
	}
	type retyped struct {
		LineItemNumber string             `json:"lineItemNumber"`
		Link           partnercenter.Link `json:"link"`
	}
	want := jsonShape(reflect.TypeOf(generated.ActivationLink{}))
	for _, bad := range []any{lostLink{}, retyped{}} {
		if jsonShape(reflect.TypeOf(bad)) == want {
			t.Errorf("control: %T has the shape of generated.ActivationLink", bad)
		}
	}
}
