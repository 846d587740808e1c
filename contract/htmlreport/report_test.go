package htmlreport_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/partnercenter-go/partnercenter/contract"
	"github.com/partnercenter-go/partnercenter/contract/htmlreport"
)

// liveJWT is shaped like a real access token (header, payload, signature): the redaction must
// keep every part of it out of the report.
const liveJWT = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJsaXZlLXVzZXIiLCJhdWQiOiJodHRwczovL2FwaS5wYXJ0bmVyY2VudGVyLm1pY3Jvc29mdC5jb20ifQ.c2lnbmF0dXJlLW9mLWEtbGl2ZS10b2tlbg"

// hostileText is what a hostile server could answer: a script and an image whose error
// handler runs one. The report must show it as text.
const hostileText = `<script>document.title='pwned'</script><img src=x onerror="document.title='pwned'">`

// hostileCassette is one ActivateSubscription exchange whose answer violates the spec
// (status is a number), declares a field the spec does not (note: drift), carries hostileText
// in that field and in a header, and a live JWT in the request's Authorization, in a response
// header and in the body.
func hostileCassette() string {
	body := fmt.Sprintf(`{"subscriptionId":"aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e","status":1,"note":%q,"debug":"token=%s"}`, hostileText, liveJWT)
	return `version: 2
interactions:
  - id: 0
    request:
      proto: HTTP/1.1
      host: api.partnercenter.microsoft.com
      headers:
        Accept: ["application/json"]
        Authorization: ["Bearer ` + liveJWT + `"]
      url: https://api.partnercenter.microsoft.com/v1/customers/42b5f772-5c5c-4bce-b9d7-bdadeecca411/subscriptions/aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e/activate
      method: POST
    response:
      proto: HTTP/1.1
      body: ` + strconv.Quote(body) + `
      headers:
        Content-Type: ["application/json"]
        X-Debug: ["` + strings.ReplaceAll(hostileText, `"`, `\"`) + `"]
        X-Echo: ["Bearer ` + liveJWT + `"]
      status: 200 OK
      code: 200
      duration: 0s
`
}

// cassetteSet is a folder holding the project's documented ActivateSubscription cassette (a
// real, passing file) and hostileCassette.
func cassetteSet(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	src, err := os.ReadFile("../testdata/cassettes/documented/activate-sandbox-subscription.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"documented.yaml": src, "hostile.yaml": []byte(hostileCassette())} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// gateReport runs the engine over paths into an HTML report and returns the page with the
// run's summary.
func gateReport(t testing.TB, paths ...string) ([]byte, *contract.Summary) {
	t.Helper()
	v, err := contract.NewDefault(contract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	r := htmlreport.NewGateReporter(&page, htmlreport.RunOf(v, "contract validate", []string{"partnercenter", "contract", "validate", "--token", liveJWT}))
	sum, err := v.Print(context.Background(), paths, r)
	if sum == nil || sum.Judged == 0 {
		t.Fatalf("the engine judged nothing: %v", err)
	}
	return page.Bytes(), sum
}

// No part of a credential reaches the file, wherever the recording held it (a header, a
// sensitive header, a body, the command line); the control shows the recording did hold it
// and the gate flagged it.
func TestReportHoldsNoSecret(t *testing.T) {
	dir := cassetteSet(t)
	raw, _ := os.ReadFile(filepath.Join(dir, "hostile.yaml"))
	if c := strings.Count(string(raw), liveJWT); c != 3 {
		t.Fatalf("control: the cassette holds the JWT %d times, want 3", c)
	}
	page, sum := gateReport(t, dir)
	if sum.Violations == 0 {
		t.Fatal("control: the gate did not flag the hostile cassette")
	}
	for _, part := range strings.Split(liveJWT, ".") {
		if bytes.Contains(page, []byte(part)) {
			t.Errorf("the report holds part of the JWT: %s", part)
		}
	}
	if !bytes.Contains(page, []byte("[REDACTED]")) {
		t.Error("the report shows no [REDACTED] where the credentials were")
	}
}

// The page escapes what the recording holds: the hostile body and header show as text, and
// the page holds no script at all.
func TestReportEscapesHostileValues(t *testing.T) {
	page, _ := gateReport(t, cassetteSet(t))
	for _, bad := range []string{"<script", "<img", "onerror=\""} {
		if bytes.Contains(page, []byte(bad)) {
			t.Errorf("the page holds %q unescaped", bad)
		}
	}
	if !bytes.Contains(page, []byte("&lt;script&gt;document.title=")) {
		t.Error("the hostile body is not shown (escaped) in the report")
	}
	if re := regexp.MustCompile(`(?i)\b(src|href)="(https?:)?//`); re.Match(page) {
		t.Errorf("the page fetches from the network: %s", re.Find(page))
	}
}

// Findings group by operation and rule: array indices do not split a group, each group
// keeps its first Examples exchanges and counts the rest, and another reason is another group.
func TestCollectorGroups(t *testing.T) {
	c := htmlreport.Collector{Examples: 2}
	for i := range 5 {
		c.Add(htmlreport.Finding{Violation: true, OperationID: "GetOrderActivationLinks", Status: 200,
			Pointer: fmt.Sprintf("/response/body/items/%d/link", i), Reason: "value must be a string",
			Where: fmt.Sprintf("c.yaml interaction %d", i), Exchange: &htmlreport.Exchange{Method: "GET"}})
	}
	c.Add(htmlreport.Finding{Violation: true, OperationID: "GetOrderActivationLinks", Status: 400,
		Pointer: "/response/body/items/9/link", Reason: "property \"link\" is missing"})
	c.Add(htmlreport.Finding{OperationID: "GetOrderActivationLinks", Status: 200, Pointer: "/response/body/items/0/extra", Reason: "undeclared"})
	c.Add(htmlreport.Finding{Violation: true, OperationID: "ActivateSubscription", Check: "status_code_conformance", Reason: "undocumented status 418", Curl: "curl -X POST ..."})
	c.Add(htmlreport.Finding{Violation: true, OperationID: "ActivateSubscription", Check: "status_code_conformance", Reason: "customerId breaks its pattern: 418", Curl: "curl -X POST ..."})
	if len(c.Violations) != 3 || len(c.Drift) != 1 {
		t.Fatalf("%d violation groups and %d drift groups, want 3 and 1", len(c.Violations), len(c.Drift))
	}
	g := c.Violations[0]
	if g.Rule != "/response/body/items/*/link" || g.Count != 5 || len(g.Examples) != 2 || g.More() != 3 {
		t.Errorf("group: rule %q, %d findings, %d shown, %d more; want /response/body/items/*/link, 5, 2, 3", g.Rule, g.Count, len(g.Examples), g.More())
	}
	if g.Examples[1].Where != "c.yaml interaction 1" || g.Examples[1].Pointer != "/response/body/items/1/link" {
		t.Errorf("the group keeps %+v as its second example, want the second finding", g.Examples[1])
	}
	if p := c.Violations[2]; p.Rule != "status_code_conformance" || p.Count != 2 || p.Examples[0].Curl == "" {
		t.Errorf("probe findings group by check whatever their reasons, and keep their curl lines: %+v", p)
	}
	if c.Room(htmlreport.Finding{Violation: true, OperationID: "GetOrderActivationLinks", Pointer: "/response/body/items/7/link", Reason: "value must be a string"}) {
		t.Error("Room: a full group has room")
	}
}

// The coverage cells read without colour: each holds a symbol and a count, and a failure
// counts against the operation's status and media type.
func TestCellState(t *testing.T) {
	for _, c := range []struct {
		cell        htmlreport.Cell
		state, mark string
	}{
		{htmlreport.Cell{Documented: true}, "not exercised", "·"},
		{htmlreport.Cell{Documented: true, Exercised: 2}, "exercised", "✓"},
		{htmlreport.Cell{Documented: true, Exercised: 2, Failed: 1}, "failed", "✗"},
		{htmlreport.Cell{Exercised: 1}, "undocumented", "!"},
	} {
		if c.cell.State() != c.state || c.cell.Symbol() != c.mark {
			t.Errorf("%+v: %s %s, want %s %s", c.cell, c.cell.State(), c.cell.Symbol(), c.state, c.mark)
		}
	}
}

// A server that names members after ids makes a group of each: the page stays bounded (at
// most MaxGroups groups a section, MaxShown findings shown whole) and counts the rest.
func TestCollectorBounds(t *testing.T) {
	c := htmlreport.Collector{}
	body := strings.Repeat("x", htmlreport.BodyExcerpt)
	for i := range 5000 {
		for _, violation := range []bool{true, false} {
			f := htmlreport.Finding{Violation: violation, OperationID: "GetOrderActivationLinks", Status: 200,
				Pointer: fmt.Sprintf("/response/body/sub-%d", i), Reason: "property is not declared"}
			if c.Room(f) {
				f.Exchange = &htmlreport.Exchange{Method: "GET", URL: "https://x/v1/y", RequestBody: body, ResponseBody: body}
			}
			c.Add(f)
		}
	}
	shown := 0
	for _, g := range append(c.Violations, c.Drift...) {
		shown += len(g.Examples)
	}
	if len(c.Violations) != htmlreport.MaxGroups || len(c.Drift) != htmlreport.MaxGroups || shown != htmlreport.MaxShown ||
		c.UngroupedViolations != 5000-htmlreport.MaxGroups || c.UngroupedDrift != 5000-htmlreport.MaxGroups {
		t.Fatalf("%d+%d groups, %d shown, %d+%d ungrouped; want %d+%d, %d, %d+%d", len(c.Violations), len(c.Drift), shown,
			c.UngroupedViolations, c.UngroupedDrift, htmlreport.MaxGroups, htmlreport.MaxGroups, htmlreport.MaxShown, 5000-htmlreport.MaxGroups, 5000-htmlreport.MaxGroups)
	}
	var page bytes.Buffer
	if err := htmlreport.Render(&page, &c.Model); err != nil {
		t.Fatal(err)
	}
	if page.Len() > 5e6 {
		t.Errorf("the page is %d bytes, over 5 MB", page.Len())
	}
	if !strings.Contains(page.String(), "4500 more findings past the page's 500 groups") {
		t.Error("the page does not count the findings past its groups")
	}
	t.Logf("10,000 findings in 10,000 would-be groups: a page of %.1f MB", float64(page.Len())/1e6)
}
