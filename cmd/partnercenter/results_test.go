package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func resultLine(t *testing.T, r result) string {
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A results file is read whatever its lines' length; lines that are not results are noted,
// not fatal; done rows and bad-row reports are found.
func TestPriorResults(t *testing.T) {
	long := result{Line: 7, Status: "invalid", Error: strings.Repeat("x", 200<<10), Time: "t"}
	done := result{Line: 2, Customer: c1, Subscription: strings.ToUpper(s1), Status: "activated", Time: "t"}
	failed := result{Line: 3, Customer: c1, Subscription: s2, Status: "failed", Time: "t"}
	input := resultLine(t, long) + "\n" + resultLine(t, done) + "\n\n" + "not json\n" + resultLine(t, failed) + "\n" + `{"line":4,"cust`
	p := newPriorResults()
	if err := p.load(strings.NewReader(input)); err != nil {
		t.Fatal(err)
	}
	if !p.done[key(c1, s1)] || p.done[key(c1, s2)] || len(p.done) != 1 {
		t.Errorf("done %v: want only %s", p.done, s1)
	}
	if !p.reported[long.reportKey()] || len(p.reported) != 1 {
		t.Errorf("the 200 KiB invalid row's report was not found: %d reports", len(p.reported))
	}
	if len(p.skipped) != 2 || p.skipped[0] != 4 || p.skipped[1] != 6 {
		t.Errorf("skipped lines %v, want [4 6]", p.skipped)
	}
}

// A results file whose last line a crash cut off is ended before the next result is
// appended; an intact one is left alone.
func TestOpenResultsRepairsACutLine(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, before string
		repaired     bool
	}{
		{"cut", `{"line":1}` + "\n" + `{"line":2,"cus`, true},
		{"intact", `{"line":1}` + "\n", false},
		{"empty", "", false},
	} {
		path := filepath.Join(dir, tc.name)
		os.WriteFile(path, []byte(tc.before), 0o644)
		f, repaired, err := openResults(path)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString(`{"line":3}` + "\n")
		f.Close()
		data, _ := os.ReadFile(path)
		last := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
		if repaired != tc.repaired || last[len(last)-1] != `{"line":3}` {
			t.Errorf("%s: repaired %v, file %q", tc.name, repaired, data)
		}
	}
}

// FuzzPriorResults: any results file loads without a panic or an error (it is in memory), and
// every non-blank line is either understood or noted as skipped.
func FuzzPriorResults(f *testing.F) {
	f.Add(`{"line":2,"customer":"` + c1 + `","subscription":"` + s1 + `","status":"activated","time":"t"}` + "\n")
	f.Add(`{"line":3,"status":"invalid","error":"want two GUIDs","time":"t"}` + "\n" + `{"line":4,"st`)
	f.Add("\n\n[1,2]\n\"str\"\nnull\n{}\n")
	f.Add(`{"line":"x","status":7}` + "\r\n")
	f.Fuzz(func(t *testing.T, input string) {
		p := newPriorResults()
		if err := p.load(strings.NewReader(input)); err != nil {
			t.Fatalf("in-memory input: %v", err)
		}
		lines := 0
		for _, l := range strings.Split(input, "\n") {
			if strings.TrimSpace(l) != "" {
				lines++
			}
		}
		if len(p.skipped) > lines || len(p.done) > lines || len(p.reported) > lines {
			t.Fatalf("%d lines, but %d skipped, %d done, %d reported", lines, len(p.skipped), len(p.done), len(p.reported))
		}
	})
}
