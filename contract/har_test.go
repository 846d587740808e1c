package contract_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/partnercenter-go/partnercenter/contract"
)

const (
	harDir         = "testdata/har"          // captures that conform
	harNegativeDir = "testdata/har-negative" // captures the gate must fail
)

func parseHARFile(t *testing.T, name string) []contract.HAREntry {
	t.Helper()
	return parseHARFileIn(t, harDir, name)
}

func parseHARFileIn(t *testing.T, dir, name string) []contract.HAREntry {
	t.Helper()
	path := filepath.Join(dir, name)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := contract.ParseHAR(path, data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return entries
}

var defaultValidator = func() *contract.Validator {
	v, err := contract.NewDefault(contract.Options{})
	if err != nil {
		panic(err)
	}
	return v
}()

// violationsOf judges every readable entry as the engine does (ignored traffic, secret scan)
// and returns the violations, malformed entries' problems included.
func violationsOf(entries []contract.HAREntry, path string) []contract.Finding {
	var out []contract.Finding
	for _, e := range entries {
		out = append(out, e.Problems...)
		if e.Interaction == nil {
			continue
		}
		for _, f := range defaultValidator.JudgeInteraction(path, e.Index, *e.Interaction).Findings {
			if f.Severity == contract.Violation {
				out = append(out, f)
			}
		}
	}
	return out
}

// The captures of each tool, as each writes HAR, conform.
func TestHARFromEachToolConforms(t *testing.T) {
	for name, wantEntries := range map[string]int{"chrome.har": 4, "firefox.har": 2} {
		entries := parseHARFile(t, name)
		if len(entries) != wantEntries {
			t.Fatalf("%s: %d entries, want %d", name, len(entries), wantEntries)
		}
		if v := violationsOf(entries, name); len(v) > 0 {
			t.Errorf("%s: conforming capture judged a violation: %v", name, v)
		}
	}
}

func TestHARChromeEntriesAreReadLikeACassette(t *testing.T) {
	entries := parseHARFile(t, "chrome.har")[1:] // entry 0 is the page's script
	get := entries[0].Interaction
	for name := range get.RequestHeader {
		if strings.HasPrefix(name, ":") {
			t.Errorf("HTTP/2 pseudo-header %q kept as a header", name)
		}
	}
	if got := get.RequestHeader.Get("MS-RequestId"); got != "5f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d01" {
		t.Errorf("lower-case ms-requestid not read as MS-RequestId: %q", got)
	}
	if get.ResponseHeader.Get("Content-Encoding") != "" {
		t.Error("Content-Encoding kept, though the HAR text is the decoded body")
	}
	// Entry 1's body is base64 in the file and JSON once read.
	var body map[string]any
	if err := json.Unmarshal(entries[1].Interaction.ResponseBody, &body); err != nil || body["totalCount"] != float64(1) {
		t.Errorf("base64 body not decoded: %v %v", err, body)
	}
	post := entries[2].Interaction
	if post.Method != "POST" || string(post.RequestBody) != "null" || post.RequestHeader.Get("Content-Type") != "application/json" {
		t.Errorf("postData not read: %+v", post.Exchange)
	}
}

// content.mimeType stands in for a missing Content-Type header, as the header would have said.
func TestHARMimeTypeStandsInForContentType(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(harDir, "firefox.har"))
	if err != nil {
		t.Fatal(err)
	}
	stripped := strings.ReplaceAll(string(data), `"name": "content-type"`, `"name": "x-removed"`)
	entries, err := contract.ParseHAR("firefox.har", []byte(stripped))
	if err != nil {
		t.Fatal(err)
	}
	if got := entries[1].Interaction.ResponseHeader.Get("Content-Type"); got != "application/json; charset=utf-8" {
		t.Fatalf("Content-Type from content.mimeType: %q", got)
	}
	if v := violationsOf(entries, "firefox.har"); len(v) > 0 {
		t.Errorf("judged a violation: %v", v)
	}
	// The control: with neither, the media type is missing and the gate says so.
	none := strings.ReplaceAll(stripped, `"mimeType": "application/json; charset=utf-8"`, `"mimeType": ""`)
	entries, _ = contract.ParseHAR("firefox.har", []byte(none))
	if v := violationsOf(entries, "firefox.har"); len(v) == 0 {
		t.Error("a body without any media type passed")
	}
}

// The service's byte-order mark survives the HAR's JSON escaping as the three bytes EF BB BF.
func TestHARBOMBody(t *testing.T) {
	entries := parseHARFile(t, "mitmproxy-bom.har")
	body := string(entries[0].Interaction.ResponseBody)
	if !strings.HasPrefix(body, "\xef\xbb\xbf{") {
		t.Fatalf("BOM not kept as bytes: %q", body[:min(8, len(body))])
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(strings.TrimPrefix(body, "\xef\xbb\xbf")), &v); err != nil {
		t.Fatalf("body after the BOM: %v", err)
	}
}

// The negative case: a violating entry is found, named by file and entry index.
func TestHARViolatingEntry(t *testing.T) {
	path := filepath.Join(harNegativeDir, "violating.har")
	v := violationsOf(parseHARFileIn(t, harNegativeDir, "violating.har"), path)
	if len(v) != 1 {
		t.Fatalf("want exactly entry 1's violation, got %v", v)
	}
	f := v[0]
	if f.Cassette != path || f.Interaction != 1 || f.OperationID != "ActivateSubscription" || f.Pointer != "/response/body/status" {
		t.Errorf("finding does not name the file, entry and field: %s", f)
	}
}

// Hostile documents: an error naming the file, or a finding naming the entry and field; never
// a panic, never a silent skip, never the offending value.
func TestHARMalformed(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		notHAR    bool
		pointer   string
	}{
		{"not JSON", `{"log": `, true, ""},
		{"a cassette", "version: 2\ninteractions: []\n", true, ""},
		{"no log", `{"entries": []}`, true, ""},
		{"no entries", `{"log": {"version": "1.2"}}`, true, ""},
		{"log of the wrong type", `{"log": "SECRETVALUE"}`, true, ""},
		{"entry not an object", `{"log": {"entries": ["SECRETVALUE"]}}`, false, "/log/entries/0"},
		{"no response", `{"log": {"entries": [{"request": {"method": "GET", "url": "https://h/v1/x"}}]}}`, false, "/log/entries/0/response"},
		{"no request", `{"log": {"entries": [{"response": {"status": 200}}]}}`, false, "/log/entries/0/request"},
		{"status 0", `{"log": {"entries": [{"request": {"method": "GET", "url": "https://h/v1/x"}, "response": {"status": 0, "content": {}}}]}}`, false, "/log/entries/0/response/status"},
		{"status out of range", `{"log": {"entries": [{"request": {"method": "GET", "url": "https://h/v1/x"}, "response": {"status": 10000}}]}}`, false, "/log/entries/0/response/status"},
		{"status a string", `{"log": {"entries": [{"request": {"method": "GET", "url": "https://h/v1/x"}, "response": {"status": "SECRETVALUE"}}]}}`, false, "/log/entries/0"},
		{"relative URL", `{"log": {"entries": [{"request": {"method": "GET", "url": "/v1/SECRETVALUE"}, "response": {"status": 200}}]}}`, false, "/log/entries/0/request/url"},
		{"no method", `{"log": {"entries": [{"request": {"url": "https://h/v1/x"}, "response": {"status": 200}}]}}`, false, "/log/entries/0/request/method"},
		{"bad base64", `{"log": {"entries": [{"request": {"method": "GET", "url": "https://h/v1/x"}, "response": {"status": 200, "content": {"text": "SECRETVALUE!!", "encoding": "base64"}}}]}}`, false, "/log/entries/0/response/content/text"},
		{"unknown encoding", `{"log": {"entries": [{"request": {"method": "GET", "url": "https://h/v1/x"}, "response": {"status": 200, "content": {"text": "x", "encoding": "SECRETVALUE"}}}]}}`, false, "/log/entries/0/response/content/encoding"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			entries, err := contract.ParseHAR("team/x.har", []byte(tc.doc))
			if tc.notHAR {
				if !errors.Is(err, contract.ErrNotHAR) || !strings.Contains(err.Error(), "team/x.har") {
					t.Fatalf("want ErrNotHAR naming the file, got %v", err)
				}
				if strings.Contains(err.Error(), "SECRETVALUE") {
					t.Errorf("the error prints the value: %v", err)
				}
				return
			}
			if err != nil || len(entries) != 1 {
				t.Fatalf("want one entry and no error, got %d, %v", len(entries), err)
			}
			e := entries[0]
			if e.Interaction != nil || len(e.Problems) == 0 {
				t.Fatalf("malformed entry read as an interaction: %+v", e)
			}
			p := e.Problems[0]
			if p.Pointer != tc.pointer || p.Cassette != "team/x.har" || p.Interaction != 0 || p.Severity != contract.Violation {
				t.Errorf("problem does not name file, entry and field: %s", p)
			}
			if strings.Contains(p.String(), "SECRETVALUE") {
				t.Errorf("the finding prints the value: %s", p)
			}
		})
	}
}

// One malformed entry never hides the others: each keeps its own index.
func TestHARBadEntryKeepsIndices(t *testing.T) {
	doc := `{"log": {"entries": [null, {"request": {"method": "GET", "url": "https://h/v1/x"}, "response": {"status": 200}}]}}`
	entries, err := contract.ParseHAR("x.har", []byte(doc))
	if err != nil || len(entries) != 2 {
		t.Fatalf("%d entries, %v", len(entries), err)
	}
	if entries[0].Interaction != nil || len(entries[0].Problems) == 0 {
		t.Errorf("a null entry was read: %+v", entries[0])
	}
	if entries[1].Index != 1 || entries[1].Interaction == nil {
		t.Errorf("the good entry after it: %+v", entries[1])
	}
}

// FuzzParseHAR: no input makes the parser, the engine's HAR loader, or the judging and secret
// scan of what they return panic, and every entry is either an interaction or a finding with
// the entry's index. The seeds (the captures
// above and the malformed documents) run with every `go test`.
func FuzzParseHAR(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(harDir, "*.har"))
	negative, _ := filepath.Glob(filepath.Join(harNegativeDir, "*.har"))
	for _, file := range append(files, negative...) {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{`{"log": {"entries": [null]}}`, `{"log": {"entries": [{}]}}`, `{"log": null}`, `[]`, ``, "\xef\xbb\xbf{\"log\":{\"entries\":[]}}",
		`{"log": {"entries": [{"request": {"method": "GET", "url": "https://h/v1/customers/x/orders/y/activationlinks", "headers": [{"name": ":path", "value": "/"}, {"name": "", "value": ""}], "cookies": [{"name": "a", "value": "b"}]}, "response": {"status": 200, "headers": [], "cookies": [{"name": "s", "value": "t"}], "content": {"mimeType": "application/json", "text": "e30=", "encoding": "BASE64"}}}]}}`,
		`{"log": {"entries": [{"request": {"method": "POST", "url": "https://h/v1/x", "postData": {"params": [{"name": "client_secret", "value": "x"}]}}, "response": {"status": 999}}]}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := contract.ParseHAR("fuzz.har", data)
		if err != nil {
			if !errors.Is(err, contract.ErrNotHAR) {
				t.Fatalf("error is not ErrNotHAR: %v", err)
			}
			return
		}
		for i, e := range entries {
			if e.Index != i || (e.Interaction == nil) == (len(e.Problems) == 0) {
				t.Fatalf("entry %d: index %d, interaction %v, problems %v", i, e.Index, e.Interaction != nil, e.Problems)
			}
			if e.Interaction != nil {
				defaultValidator.JudgeInteraction("fuzz.har", i, *e.Interaction) // judged and secret-scanned
			}
		}
		// The engine's loader over the same bytes: as many interactions as entries.
		if loaded, err := contract.HAR.Load(bytes.NewReader(data)); err == nil && len(loaded) != len(entries) {
			t.Fatalf("the HAR format loaded %d interactions of %d entries", len(loaded), len(entries))
		}
	})
}

// The BOM capture is judged as the gate judges the service's BOM: it conforms, and the BOM is
// reported as drift so that the team learns of it. The control: a BOM in front of a body of
// the wrong shape is still a violation.
func TestHARBOMBodyVerdict(t *testing.T) {
	entries := parseHARFile(t, "mitmproxy-bom.har")
	findings := defaultValidator.Validate(entries[0].Interaction.Exchange, "mitmproxy-bom.har", 0)
	var drift []string
	for _, f := range findings {
		if f.Severity == contract.Violation {
			t.Errorf("a BOM body judged a violation: %s", f)
		} else {
			drift = append(drift, f.String())
		}
	}
	if len(drift) == 0 || !strings.Contains(strings.Join(drift, "\n"), "byte-order mark") {
		t.Errorf("the BOM is not reported as drift: %q", drift)
	}
	bad := *entries[0].Interaction
	bad.ResponseBody = []byte(strings.Replace(string(bad.ResponseBody), `"totalCount":1`, `"totalCount":"one"`, 1))
	if v := violationsOf([]contract.HAREntry{{Interaction: &bad}}, "x.har"); len(v) == 0 {
		t.Error("a BOM in front of a wrong body passed")
	}
}

// Through the engine, as `contract validate` and `make contract CASSETTES=` read them: the
// captures conform (the page's script listed as ignored), the violating entry is named by
// file and entry index, a malformed entry is a finding naming its field, and the secrets of
// a browser capture are found, named by entry and field, never printed, with the advice on
// how to strip them from a HAR file.
func TestHARThroughTheEngine(t *testing.T) {
	report, err := defaultValidator.Check(harDir)
	if err != nil {
		t.Fatalf("the captures: %v\n%v", err, report.Findings)
	}
	if report.Files != 3 || report.Judged != 6 || report.Ignored != 1 || report.IgnoredInteractions[0].File != filepath.Join(harDir, "chrome.har") {
		t.Errorf("want 3 files, 6 judged and chrome.har's script ignored: %+v", report.Summary)
	}

	path := filepath.Join(harNegativeDir, "violating.har")
	report, err = defaultValidator.Check(path)
	if !errors.Is(err, contract.ErrViolations) || len(report.Violations()) != 1 || !strings.HasPrefix(report.Violations()[0].String(), "violation: "+path+" interaction 1: ActivateSubscription 200: /response/body/status") {
		t.Errorf("violating.har: %v %v", err, report.Violations())
	}

	path = filepath.Join(harNegativeDir, "secrets.har")
	report, _ = defaultValidator.Check(path)
	var secrets []string
	for _, f := range report.Violations() {
		s := f.String()
		if strings.Contains(s, "eyJ") || strings.Contains(s, "fake-session-cookie-value") || strings.Contains(s, "fake-refresh-token") {
			t.Errorf("a finding prints the secret: %s", s)
		}
		if strings.Contains(s, "holds a") {
			if !strings.Contains(s, "Export HAR (sanitized)") {
				t.Errorf("a HAR secret finding without the HAR advice: %s", s)
			}
			secrets = append(secrets, s)
		}
	}
	for _, want := range []string{
		path + " interaction 0: ", "/response/body/access_token", "/response/body/refresh_token",
		path + " interaction 1: ", "/request/header/Authorization", "/request/header/Cookie",
	} {
		if !strings.Contains(strings.Join(secrets, "\n"), want) {
			t.Errorf("secret findings lack %q:\n%s", want, strings.Join(secrets, "\n"))
		}
	}

	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "failed.har"), []byte(`{"log": {"entries": [{"request": {"method": "GET", "url": "https://api.partnercenter.microsoft.com/v1/customers/x/orders/y/activationlinks"}, "response": {"status": 0, "content": {}}}]}}`), 0o644)
	os.WriteFile(filepath.Join(dir, "empty.har"), []byte(`{"log": {"version": "1.2", "entries": []}}`), 0o644)
	os.WriteFile(filepath.Join(dir, "broken.HAR"), []byte(`{"log": `), 0o644)
	report, _ = defaultValidator.Check(dir)
	got := make([]string, 0, len(report.Findings))
	for _, f := range report.Findings {
		got = append(got, f.String())
	}
	for _, want := range []string{
		"broken.HAR: is not a HAR 1.2 document: invalid JSON at byte 8",
		"empty.har: has no entries",
		"failed.har interaction 0: (no operation) 0: /: log/entries/0/response/status is 0",
	} {
		if !strings.Contains(strings.Join(got, "\n"), want) {
			t.Errorf("findings lack %q:\n%s", want, strings.Join(got, "\n"))
		}
	}
}
