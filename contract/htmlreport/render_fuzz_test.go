package htmlreport_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/partnercenter-go/partnercenter/contract/htmlreport"
)

// modelWith puts s in every string a recording, a server or a probe can fill.
func modelWith(s string) *htmlreport.Model {
	c := htmlreport.Collector{}
	ex := &htmlreport.Exchange{Method: s, URL: s, RequestBody: s, ResponseBody: s, Status: 200,
		RequestHeader: []htmlreport.Header{{Name: s, Value: s}}, ResponseHeader: []htmlreport.Header{{Name: s, Value: s}}}
	c.Add(htmlreport.Finding{Violation: true, OperationID: s, Where: s, Pointer: s, Reason: s, Exchange: ex, Curl: s})
	c.Add(htmlreport.Finding{OperationID: s, Check: s, Where: s, Reason: s, Exchange: ex})
	c.Run = htmlreport.Run{Tool: s, SpecTitle: s, SpecVersion: s, CommandLine: s}
	c.Headline = s
	c.Counts = []htmlreport.Count{{Label: s, N: 1}}
	c.Coverage = []htmlreport.Operation{{ID: s, Method: s, Path: s, Statuses: []htmlreport.Cell{{Key: s, Documented: true, Exercised: 1}}}}
	return &c.Model
}

// Whatever the values hold, they add no markup: the page has as many '<' as the page of
// empty values (html/template escapes every one of theirs), and it renders without error.
func FuzzRenderAddsNoMarkup(f *testing.F) {
	for _, s := range []string{`<script>document.title='pwned'</script>`, `<img src=x onerror="alert(1)">`, `"><svg onload=alert(1)>`,
		`</style><script>x</script>`, `</pre></details><iframe>`, "javascript:alert(1)", `{{.Pass}}`, "\x00<\xff"} {
		f.Add(s)
	}
	var empty bytes.Buffer
	if err := htmlreport.Render(&empty, modelWith("x")); err != nil {
		f.Fatal(err)
	}
	want := strings.Count(empty.String(), "<")
	f.Fuzz(func(t *testing.T, s string) {
		if s == "" {
			return // an empty value drops its element (no Pointer row): nothing to compare
		}
		var page bytes.Buffer
		if err := htmlreport.Render(&page, modelWith(s)); err != nil {
			t.Fatalf("Render: %v", err)
		}
		if got := strings.Count(page.String(), "<"); got != want {
			t.Fatalf("a value added markup: %d '<' in the page, %d with a harmless value", got, want)
		}
	})
}
