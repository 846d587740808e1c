package contract_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/partnercenter-go/partnercenter/contract"
)

// Wrap keeps every line within the width, breaks at spaces, and breaks a path too long for
// any line after a slash; nothing is lost (the words, joined again, are the text).
func TestWrap(t *testing.T) {
	path := "contract/testdata/cassettes/published/msrest-for-python-issue-144/byte-order-mark.yaml"
	text := "drift: " + path + " interaction 0: ActivateSubscription 200: /response/body: starts with a UTF-8 byte-order mark\nsecond line"
	out := contract.Wrap(text, 80, "  ")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	for _, l := range lines {
		if len(l) > 80 {
			t.Errorf("%d columns: %q", len(l), l)
		}
	}
	if lines[0] != "drift: contract/testdata/cassettes/published/msrest-for-python-issue-144/" || lines[1] != "  byte-order-mark.yaml interaction 0: ActivateSubscription 200: /response/body:" {
		t.Errorf("the path is not broken after a slash:\n%s", out)
	}
	if lines[len(lines)-1] != "second line" {
		t.Errorf("a second line of the text is not a line of its own:\n%s", out)
	}
	if got := contract.Wrap(strings.Repeat("x", 200), 80, "  "); strings.Count(got, "\n") != 3 || strings.ReplaceAll(strings.ReplaceAll(got, "\n", ""), " ", "") != strings.Repeat("x", 200) {
		t.Errorf("a word without a slash is cut at the width, nothing lost:\n%s", got)
	}
}

// A finding repeated in other exchanges is said once: drift is counted ("and 2 more"),
// a violation is a short line naming its exchange; a long fix shared by findings at other
// fields (a secret's) is said once, counted at the end. The control: different reasons are each
// printed in full.
func TestTextPrinterSaysRepeatsOnce(t *testing.T) {
	var b strings.Builder
	p := contract.NewTextPrinter(&b)
	bom := contract.Finding{Severity: contract.Drift, Cassette: "a.yaml", OperationID: "ActivateSubscription", Status: 200, Pointer: "/response/body", Reason: "starts with a UTF-8 byte-order mark (EF BB BF): clients must strip it"}
	secret := contract.Finding{Severity: contract.Violation, Cassette: "a.yaml", OperationID: "ActivateSubscription", Status: 200, Pointer: "/request/header/Authorization", Reason: "holds a bearer token: re-record with the recorder's hook that removes every credential before it is saved"}
	for i := range 3 {
		bom.Interaction, secret.Interaction = i, i
		p.Finding(bom)
		p.Finding(secret)
	}
	other := bom
	other.Reason = "is empty"
	p.Finding(other)
	cookie := secret
	cookie.Pointer, cookie.Reason = "/request/header/Cookie", "holds a cookie: re-record with the recorder's hook that removes every credential before it is saved"
	p.Finding(cookie)
	p.Close()
	out := b.String()
	if strings.Count(out, "byte-order mark") != 2 || !strings.Contains(out, "in 2 more exchanges (--format json lists each)") {
		t.Errorf("the drift is not said once with a count:\n%s", out)
	}
	if strings.Count(out, "re-record with") != 2 || strings.Count(out, "Authorization: the same as above") != 2 ||
		!strings.Contains(out, "Cookie: holds a cookie: the fix as above") || !strings.Contains(strings.ReplaceAll(out, "\n  ", " "), "applies to 1 more finding\n") {
		t.Errorf("the violation's fix is not said once:\n%s", out)
	}
	if !strings.Contains(out, "/response/body: is empty") {
		t.Errorf("control: another reason is printed:\n%s", out)
	}
}

// FuzzWrap: any text, any width from 10: no panic, no line wider than the width, and the
// words come back (the text's spaces aside) in order.
func FuzzWrap(f *testing.F) {
	f.Add("drift: contract/testdata/cassettes/published/x/y.yaml interaction 0: a b c", 80)
	f.Add(strings.Repeat("/", 300), 10)
	f.Add("a\nb  c\n\n", 12)
	f.Fuzz(func(t *testing.T, s string, width int) {
		if width < 10 || width > 200 || !utf8.ValidString(s) {
			return
		}
		out := contract.Wrap(s, width, "  ")
		for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			if len(l) > width {
				t.Fatalf("a line of %d bytes at width %d: %q", len(l), width, l)
			}
		}
		squeeze := func(s string) string { return strings.Join(strings.Fields(s), "") }
		if squeeze(out) != squeeze(s) {
			t.Fatalf("the text changed:\n%q\n%q", s, out)
		}
	})
}
