// Package retryafter parses the HTTP Retry-After header: the one parser behind the client's
// retry decision, Error.RetryAfter and the command's pacer.
package retryafter

import (
	"net/http"
	"strings"
	"time"
)

// Max is the longest wait Parse returns: a larger number of seconds (or a date further away)
// is clamped to it, so that no caller ever overflows a time.Duration or waits for centuries.
// A caller that caps waits lower does so itself.
const Max = 365 * 24 * time.Hour

// Parse reads v as delta-seconds or an HTTP date (RFC 9110 section 10.2.3) relative to now.
// It returns the wait and whether v was a valid value. A date in the past, and zero, are a
// wait of 0; a negative number or anything else is invalid (0, false). Values are clamped to
// Max, so that "99999999999999999999" is a year, never a negative or a wrapped duration.
func Parse(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if isDigits(v) {
		var secs int64
		for _, c := range []byte(v) {
			secs = secs*10 + int64(c-'0')
			if secs > int64(Max/time.Second) {
				return Max, true
			}
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	d := t.Sub(now) // time.Time.Sub saturates instead of overflowing
	switch {
	case d < 0:
		return 0, true
	case d > Max:
		return Max, true
	}
	return d, true
}

func isDigits(v string) bool {
	for _, c := range []byte(v) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
