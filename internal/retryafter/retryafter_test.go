package retryafter

import (
	"net/http"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"7", 7 * time.Second, true},
		{" 7 ", 7 * time.Second, true},
		{"86400", 24 * time.Hour, true},
		// Overflow: the pacer's old copy turned this one negative and the next into 250 years.
		{"9223372037", Max, true},
		{"99999999999999999999", Max, true},
		{"-5", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},                  // past date: retry now
		{now.AddDate(500, 0, 0).Format(http.TimeFormat), Max, true},             // far future: clamped
		{now.Add(30 * time.Second).Format(time.RFC850), 30 * time.Second, true}, // obsolete forms too
		{now.Add(30 * time.Second).Format(time.ANSIC), 30 * time.Second, true},
	}
	for _, c := range cases {
		got, ok := Parse(c.in, now)
		if got != c.want || ok != c.wantOK {
			t.Errorf("Parse(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.wantOK)
		}
		if got < 0 || got > Max {
			t.Errorf("Parse(%q) = %v: out of [0, Max]", c.in, got)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"0", "120", "9223372037", "99999999999999999999", "-1", "Fri, 31 Dec 1999 23:59:59 GMT"} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := Parse(s, now)
		if d < 0 || d > Max {
			t.Fatalf("Parse(%q) = %v", s, d)
		}
		if !ok && d != 0 {
			t.Fatalf("Parse(%q) invalid but %v", s, d)
		}
	})
}
