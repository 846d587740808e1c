package plural

import "testing"

func TestOf(t *testing.T) {
	for _, tc := range []struct {
		n    int
		noun string
		more []string
		want string
	}{
		{0, "file", nil, "0 files"},
		{1, "file", nil, "1 file"},
		{2, "file", nil, "2 files"},
		{-1, "file", nil, "-1 files"},
		{1, "entry", []string{"entries"}, "1 entry"},
		{41, "entry", []string{"entries"}, "41 entries"},
	} {
		if got := Of(tc.n, tc.noun, tc.more...); got != tc.want {
			t.Errorf("Of(%d, %q) = %q, want %q", tc.n, tc.noun, got, tc.want)
		}
	}
}
