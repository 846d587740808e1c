package guid

import "testing"

func TestValid(t *testing.T) {
	for _, s := range []string{
		"87363db7-39ab-dd25-d371-94340aaa2f97", // the activate page's id: not an RFC 4122 UUID
		"8C5B65FD-C725-4F50-8D9C-97EC9169FDD0",
		"00000000-0000-0000-0000-000000000000",
	} {
		if !Valid(s) {
			t.Errorf("Valid(%q) = false, want true", s)
		}
	}
	for _, s := range []string{
		"",
		"Ia80ZLkXp6eWOqpp35pBQJLhqv9IiGVZ1",      // an order id: not a GUID
		"87363db7-39ab-dd25-d371-94340aaa2f9",    // one digit short
		"87363db7-39ab-dd25-d371-94340aaa2f977",  // one digit long
		"87363db7039ab-dd25-d371-94340aaa2f97",   // a digit where a dash goes
		"87363db7-39ab-dd25-d371-94340aaa2f9g",   // not hex
		"{87363db7-39ab-dd25-d371-94340aaa2f97}", // braces
		"87363db7-39ab-dd25-d371-94340aaa2f9\u00e9",
	} {
		if Valid(s) {
			t.Errorf("Valid(%q) = true, want false", s)
		}
	}
}

func FuzzValid(f *testing.F) {
	f.Add("87363db7-39ab-dd25-d371-94340aaa2f97")
	f.Add("87363db7-39ab-dd25-d371-94340aaa2f9g")
	f.Fuzz(func(t *testing.T, s string) {
		if !Valid(s) {
			return
		}
		if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
			t.Fatalf("Valid(%q) accepted a string without the 8-4-4-4-12 shape", s)
		}
	})
}
