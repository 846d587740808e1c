package overlayapply

import (
	"strings"
	"testing"
)

const spec = `openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Link:
      type: object
      properties:
        uri: {type: string}
`

func TestApply(t *testing.T) {
	out, err := Apply([]byte(spec), []byte(`overlay: 1.0.0
info: {title: t, version: "1"}
actions:
  - target: $["components"]["schemas"]["Link"]
    update:
      properties:
        weight: {type: number}
`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "weight:") || !strings.Contains(string(out), "uri:") {
		t.Fatalf("not merged:\n%s", out)
	}
}

// The negative cases: a target that matches nothing, and a document that is not an overlay,
// are errors, never a silent no-op.
func TestApplyRefuses(t *testing.T) {
	for name, doc := range map[string]string{
		"target matches nothing": "overlay: 1.0.0\ninfo: {title: t, version: \"1\"}\nactions:\n  - target: $[\"components\"][\"schemas\"][\"Nope\"]\n    update: {properties: {x: {type: string}}}\n",
		"no actions":             "overlay: 1.0.0\ninfo: {title: t, version: \"1\"}\nactions: []\n",
		"not an overlay":         "openapi: 3.0.3\n",
		"not YAML":               "{[",
	} {
		if _, err := Apply([]byte(spec), []byte(doc)); err == nil {
			t.Errorf("%s: applied without an error", name)
		}
	}
}
