package contract_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"

	"github.com/partnercenter-go/partnercenter/contract"
	"github.com/partnercenter-go/partnercenter/contract/overlayapply"
)

// suggestOverlay runs the gate over dir with the --suggest-overlay reporter and returns the
// overlay it wrote (nil when it wrote none) and what it said.
func suggestOverlay(t *testing.T, v *contract.Validator, dir string) ([]byte, string) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "suggested.yaml")
	var note bytes.Buffer
	if _, err := v.Print(context.Background(), []string{dir}, v.NewOverlayReporter(file, &note)); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(file)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return data, note.String()
}

// applyOverlay applies an Overlay document to openapi.yaml as `make apply-overlay` does
// (strictly: every action's target must match) and compiles the result.
func applyOverlay(t *testing.T, doc []byte) *openapi3.T {
	t.Helper()
	specBytes, err := os.ReadFile("../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	patched, err := overlayapply.Apply(specBytes, doc)
	if err != nil {
		t.Fatalf("applying the overlay: %v\n%s", err, doc)
	}
	spec, err := openapi3.NewLoader().LoadFromData(patched)
	if err != nil {
		t.Fatalf("the patched spec does not load: %v", err)
	}
	if err := spec.Validate(openapi3.NewLoader().Context); err != nil {
		t.Fatalf("the patched spec is not valid OpenAPI: %v", err)
	}
	return spec
}

func strictViolations(t *testing.T, spec *openapi3.T, dir string) []string {
	t.Helper()
	v, err := contract.New(spec, contract.Options{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	r, err := v.Check(dir)
	if r == nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range r.Violations() {
		out = append(out, f.String())
	}
	return out
}

// The overlay suggested from drift, applied to openapi.yaml, makes the same traffic pass under
// STRICT=1; the project's own cassettes still pass; and the traffic fails STRICT=1 without it
// (the negative case).
func TestSuggestedOverlayMakesDriftPassStrict(t *testing.T) {
	const dir = "testdata/overlay"
	lenient, err := contract.NewDefault(contract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if before := strictViolations(t, lenient.Spec(), dir); len(before) != 8 {
		t.Fatalf("want the 8 undeclared fields as strict violations before the overlay, got %d:\n%s", len(before), strings.Join(before, "\n"))
	}
	doc, note := suggestOverlay(t, lenient, dir)
	if !strings.Contains(note, "6 undeclared fields declared in ") {
		t.Errorf("want 6 distinct undeclared fields, got %q:\n%s", note, doc)
	}
	for _, want := range []string{
		"overlay: 1.0.0",
		`target: $["components"]["schemas"]["ActivationLink"]`,
		`target: $["components"]["schemas"]["Link"]`,
		"Seen in testdata/overlay/drift.yaml interaction 1 (ActivateSubscription 200)",
	} {
		if !bytes.Contains(doc, []byte(want)) {
			t.Errorf("the overlay lacks %q:\n%s", want, doc)
		}
	}
	for _, value := range []string{"2026-11-21T09:00:00Z", "0f1e2d3c", "monthly"} {
		if bytes.Contains(doc, []byte(value)) {
			t.Errorf("the overlay prints a value seen (%q):\n%s", value, doc)
		}
	}
	patched := applyOverlay(t, doc)
	if after := strictViolations(t, patched, dir); len(after) > 0 {
		t.Fatalf("the same traffic still fails STRICT=1 after the overlay:\n%s\noverlay:\n%s", strings.Join(after, "\n"), doc)
	}
	// The project's own cassettes: the overlay changes nothing in their strict verdict (some
	// published ones are strict violations by design, such as an empty error body).
	ownBefore := strictViolations(t, lenient.Spec(), "testdata/cassettes")
	if ownAfter := strictViolations(t, patched, "testdata/cassettes"); strings.Join(ownAfter, "\n") != strings.Join(ownBefore, "\n") {
		t.Fatalf("the overlay changed the project's cassettes' verdict:\nbefore:\n%s\nafter:\n%s", strings.Join(ownBefore, "\n"), strings.Join(ownAfter, "\n"))
	}
}

// Types are inferred from every value seen: 1 and 1.5 widen to number, an object's members
// are declared with it, and a field seen only as null is nullable with no type.
func TestSuggestedOverlayTypes(t *testing.T) {
	lenient, err := contract.NewDefault(contract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := suggestOverlay(t, lenient, "testdata/overlay")
	var o struct {
		Actions []struct {
			Target string
			Update struct {
				Properties map[string]map[string]any
			}
		}
	}
	if err := yaml.Unmarshal(doc, &o); err != nil {
		t.Fatal(err)
	}
	fields := map[string]map[string]any{}
	for _, a := range o.Actions {
		for name, schema := range a.Update.Properties {
			fields[name] = schema
		}
	}
	for name, want := range map[string]string{"weight": "number", "expiresInSeconds": "integer", "activatedAt": "string", "billing": "object", "traceId": "string"} {
		if got := fields[name]["type"]; got != want {
			t.Errorf("%s: type %v, want %s", name, got, want)
		}
	}
	billing, _ := fields["billing"]["properties"].(map[string]any)
	if tags, _ := billing["tags"].(map[string]any); tags["type"] != "array" {
		t.Errorf("billing's members not declared: %v", fields["billing"])
	}
	if nl := fields["nextLink"]; nl["type"] != nil || nl["nullable"] != true {
		t.Errorf("nextLink (only null): %v", nl)
	}
}

// Nothing to suggest: a conforming directory gives an overlay with no action, which the
// command does not write (it says so instead).
func TestSuggestOverlayNothing(t *testing.T) {
	lenient, err := contract.NewDefault(contract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if doc, note := suggestOverlay(t, lenient, "testdata/cassettes"); doc != nil || !strings.Contains(note, "no undeclared field seen") {
		t.Errorf("the project's cassettes have no undeclared field, yet %q:\n%s", note, doc)
	}
}
