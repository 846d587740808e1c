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

// A results file is read whatever its lines' length; lines a crash cut off are noted, not
// fatal; done rows and bad-row reports are found.
func TestPriorResults(t *testing.T) {
	long := result{Line: 7, Status: "invalid", Error: strings.Repeat("x", 200<<10), Time: "t"}
	done := result{Line: 2, Customer: c1, Subscription: strings.ToUpper(s1), Status: "activated", Time: "t"}
	failed := result{Line: 3, Customer: c1, Subscription: s2, Status: "failed", Time: "t"}
	input := resultLine(t, long) + "\n" + resultLine(t, done) + "\n\n" + `{"li` + "\n" + resultLine(t, failed) + "\n" + `{"line":4,"cust`
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
		f, err := openResults(path)
		if err != nil {
			t.Fatal(err)
		}
		repaired, err := endCutLine(f)
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

// A file that is not a results file (the batch's CSV named by mistake, another tool's JSON) is
// refused with the line that shows it, before anything is appended to it; the controls: a
// file an editor saved (a byte-order mark, CRLF), and lines a crash cut off, at any length.
func TestPriorResultsRefusesAFileNotOurs(t *testing.T) {
	done := resultLine(t, result{Line: 2, Customer: c1, Subscription: s1, Status: "activated", Time: "t"})
	for _, tc := range []struct{ input, line string }{
		{"customer,subscription\n" + c1 + "," + s1 + "\n", "line 1"},
		{done + "\n" + `{"a":1}` + "\n", "line 2"},
		{done + "\n\n[1,2]\n", "line 3"},
		{done + "\n" + `{"line":9,"status":"ok","time":"t"}` + "\n", "line 2"}, // another tool's JSON lines
		{done + "\nnot json\n" + done + "\n", "line 2"},
	} {
		err := newPriorResults().load(strings.NewReader(tc.input))
		if err == nil || !strings.HasPrefix(err.Error(), tc.line+" is not a result of partnercenter activate") {
			t.Errorf("%q: got %v, want an error naming %s", tc.input, err, tc.line)
		}
	}
	if p := newPriorResults(); p.load(strings.NewReader("\xef\xbb\xbf"+done+"\r\n")) != nil || len(p.done) != 1 {
		t.Errorf("a results file an editor saved with a byte-order mark and CRLF: %v", p.done)
	}
	for _, cut := range []string{"{", `{"li`, `{"line":`, done[:len(done)/2], done[:len(done)-1]} {
		p := newPriorResults()
		if err := p.load(strings.NewReader(done + "\n" + cut + "\n" + done + "\n")); err != nil || len(p.skipped) != 1 {
			t.Errorf("cut line %q: %v, skipped %v", cut, err, p.skipped)
		}
	}
}

// FuzzPriorResults: any results file loads without a panic; it is refused only with a line
// number, and every non-blank line is either understood or noted as skipped.
func FuzzPriorResults(f *testing.F) {
	f.Add(`{"line":2,"customer":"` + c1 + `","subscription":"` + s1 + `","status":"activated","time":"t"}` + "\n")
	f.Add(`{"line":3,"status":"invalid","error":"want two GUIDs","time":"t"}` + "\n" + `{"line":4,"st`)
	f.Add("\n\n[1,2]\n\"str\"\nnull\n{}\n")
	f.Add(`{"line":"x","status":7}` + "\r\n")
	f.Fuzz(func(t *testing.T, input string) {
		p := newPriorResults()
		if err := p.load(strings.NewReader(input)); err != nil {
			if !strings.HasPrefix(err.Error(), "line ") {
				t.Fatalf("an error that names no line: %v", err)
			}
			return
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

// The resume hint keeps the --resume the batch was given (the resumed run reads it and the
// --results file), so that the rows it shows done are not sent again; the controls: without
// one, the hint adds --resume naming the results file, and --force is dropped.
func TestResumeHintKeepsTheResumeFile(t *testing.T) {
	for _, tc := range []struct {
		args []string
		opts batchOptions
		want string
	}{
		{[]string{"activate", "--file", "s.csv", "--resume", "a.json", "--results", "b.json"}, batchOptions{resume: "a.json", results: "b.json"},
			"activate --file s.csv --resume a.json --results b.json"},
		{[]string{"activate", "--file", "s.csv", "--resume=a.json", "--results=b.json"}, batchOptions{resume: "a.json", results: "b.json"},
			"activate --file s.csv --resume=a.json --results=b.json"},
		{[]string{"activate", "--force", "--file", "s.csv", "--results", "b.json"}, batchOptions{results: "b.json"},
			"activate --file s.csv --results b.json --resume b.json"},
	} {
		a := &app{args: tc.args}
		if got := a.resumeHint(tc.opts); got != "finish them with: "+programName+" "+tc.want {
			t.Errorf("%v: %q", tc.args, got)
		}
	}
}
