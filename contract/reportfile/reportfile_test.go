package reportfile_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/partnercenter-go/partnercenter/contract/htmlreport"
	"github.com/partnercenter-go/partnercenter/contract/reportfile"
)

func TestParse(t *testing.T) {
	for _, c := range []struct {
		value, base string
		want        reportfile.Spec
		err         string
	}{
		{"junit=gate.xml", "", reportfile.Spec{Kind: "junit", File: "gate.xml"}, ""},
		{"html=gate.html", "", reportfile.Spec{Kind: "html", File: "gate.html"}, ""},
		{"gate.xml", "", reportfile.Spec{Kind: "junit", File: "gate.xml"}, ""}, // REPORT=gate.xml as before
		{"html=a=b.html", "", reportfile.Spec{Kind: "html", File: "a=b.html"}, ""},
		{"html=out/gate.html", "/repo", reportfile.Spec{Kind: "html", File: "/repo/out/gate.html"}, ""},
		{"html=/tmp/gate.html", "/repo", reportfile.Spec{Kind: "html", File: "/tmp/gate.html"}, ""},
		{"pdf=gate.pdf", "", reportfile.Spec{}, `"pdf=gate.pdf": unknown report kind "pdf": want junit=FILE or html=FILE`},
		{"HTML=gate.html", "", reportfile.Spec{}, `unknown report kind "HTML"`},
		{"html=", "", reportfile.Spec{}, `"html=": no FILE: want junit=FILE or html=FILE`},
		{"html", "", reportfile.Spec{}, `"html": no FILE: want junit=FILE or html=FILE`}, // not a JUnit file named html
		{"junit", "", reportfile.Spec{}, `"junit": no FILE`},
		{"html=  ", "", reportfile.Spec{}, "no FILE"},
		{"", "", reportfile.Spec{}, "no FILE"},
		{"=gate.html", "", reportfile.Spec{}, `unknown report kind ""`},
	} {
		got, err := reportfile.Parse(c.value, c.base)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("Parse(%q): %v, want an error with %q", c.value, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("Parse(%q, %q) = %+v, %v; want %+v", c.value, c.base, got, err, c.want)
		}
	}
}

// Any value either parses to a known kind and a file, or is refused with an error quoting it.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"junit=a.xml", "html=b.html", "a.xml", "x=y", "html=", "=", "html==", "junit=a b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, value string) {
		s, err := reportfile.Parse(value, "")
		if err != nil {
			if !strings.Contains(err.Error(), "want junit=FILE or html=FILE") {
				t.Fatalf("Parse(%q): the error does not name the kinds: %v", value, err)
			}
			return
		}
		if s.Kind != reportfile.JUnit && s.Kind != reportfile.HTML || strings.TrimSpace(s.File) == "" {
			t.Fatalf("Parse(%q) = %+v", value, s)
		}
		if again, err := reportfile.Parse(s.Kind+"="+s.File, ""); err != nil || again != s {
			t.Fatalf("Parse(%q) = %+v, but its KIND=FILE reads as %+v, %v", value, s, again, err)
		}
	})
}

// Open fails at once where FILE cannot be written, and Close without a finished run leaves
// nothing, neither FILE nor a temporary file.
func TestOpenCloseWritesNothingUnfinished(t *testing.T) {
	dir := t.TempDir()
	if _, err := reportfile.Open([]reportfile.Spec{{Kind: "html", File: filepath.Join(dir, "none", "r.html")}}, htmlreport.Run{}); err == nil || strings.Contains(err.Error(), ".tmp") {
		t.Errorf("Open into a missing folder: %v, want an error naming FILE, not the temporary file", err)
	}
	s, err := reportfile.Open([]reportfile.Spec{{Kind: "html", File: filepath.Join(dir, "r.html")}, {Kind: "junit", File: filepath.Join(dir, "r.xml")}}, htmlreport.Run{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(s.Reporters()); n != 2 {
		t.Fatalf("%d reporters for 2 reports", n)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("an unfinished run left %v", left)
	}
}

// Write puts each kind through its writer; only the reports written whole take their names.
func TestWrite(t *testing.T) {
	dir := t.TempDir()
	files, err := reportfile.CreateAll([]reportfile.Spec{{Kind: "junit", File: filepath.Join(dir, "r.xml")}, {Kind: "html", File: filepath.Join(dir, "r.html")}})
	if err != nil {
		t.Fatal(err)
	}
	err = reportfile.Write(files, func(w io.Writer) error { _, err := io.WriteString(w, "<testsuites/>"); return err },
		func() *htmlreport.Model {
			return &htmlreport.Model{Run: htmlreport.Run{Tool: "contract probe"}, Pass: true}
		})
	if err != nil {
		t.Fatal(err)
	}
	if err := reportfile.CloseAll(files); err != nil {
		t.Fatal(err)
	}
	if xml, _ := os.ReadFile(filepath.Join(dir, "r.xml")); string(xml) != "<testsuites/>" {
		t.Errorf("JUnit report: %q", xml)
	}
	if page, _ := os.ReadFile(filepath.Join(dir, "r.html")); !strings.Contains(string(page), "<title>contract probe: PASS</title>") {
		t.Errorf("HTML report: %.200q", page)
	}
	// A writer that fails: its report is not put in place, and nothing is left.
	files, _ = reportfile.CreateAll([]reportfile.Spec{{Kind: "junit", File: filepath.Join(dir, "bad.xml")}})
	if err := reportfile.Write(files, func(io.Writer) error { return errors.New("disk full") }, nil); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Write: %v", err)
	}
	reportfile.CloseAll(files)
	if left, _ := filepath.Glob(filepath.Join(dir, "*bad*")); len(left) != 0 {
		t.Errorf("a failed report left %v", left)
	}
}
