package contract

import (
	"regexp"
	"testing"
)

// The hand matcher agrees with the regexp it replaces, on GUIDs and on near misses.
func TestGUIDMatcherIsThePattern(t *testing.T) {
	re := regexp.MustCompile(guidPattern)
	m, err := compilePattern(guidPattern)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := m.(guidMatcher); !ok {
		t.Fatal("the GUID pattern is not matched by hand")
	}
	cases := []string{
		"42b5f772-5c5c-4bce-b9d7-bdadeecca411", "AAAA0A0A-BB1B-CC2C-DD3D-EEEEEE4E4E4E", "",
		"42b5f772-5c5c-4bce-b9d7-bdadeecca41", "42b5f772-5c5c-4bce-b9d7-bdadeecca4111", "42b5f772x5c5c-4bce-b9d7-bdadeecca411",
		"42b5f772-5c5c-4bce-b9d7-bdadeecca41g", "g2b5f772-5c5c-4bce-b9d7-bdadeecca411", "42b5f772-5c5c-4bce-b9d7-bdadeecca411\n",
		"{42b5f772-5c5c-4bce-b9d7-bdadeecca41}", "42b5f7725c5c4bceb9d7bdadeecca411abcd", "42b5f772-5c5c-4bce-b9d7_bdadeecca411",
		"42b5f772-5c5c-4bce-b9d7-bdadeecca4é",
	}
	for _, c := range cases {
		if got, want := m.MatchString(c), re.MatchString(c); got != want {
			t.Errorf("%q: hand %v, regexp %v", c, got, want)
		}
	}
	other, err := compilePattern(`^[a-z]+$`)
	if err != nil || !other.MatchString("abc") || other.MatchString("ab1") {
		t.Error("another pattern is not compiled as a regexp")
	}
}

func FuzzGUIDMatcher(f *testing.F) {
	re := regexp.MustCompile(guidPattern)
	f.Add("42b5f772-5c5c-4bce-b9d7-bdadeecca411")
	f.Add("42b5f772-5c5c-4bce-b9d7-bdadeecca41\n")
	f.Fuzz(func(t *testing.T, s string) {
		if (guidMatcher{}).MatchString(s) != re.MatchString(s) {
			t.Fatalf("%q: the matchers disagree", s)
		}
	})
}
