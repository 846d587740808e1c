package partnercenter_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/partnercenter-go/partnercenter"
	"github.com/partnercenter-go/partnercenter/internal/retryafter"
)

func throttledAnswer(retryAfter string) answer {
	return answer{status: 429, body: `{"statusCode":429,"message":"Rate limit is exceeded."}`,
		headers: map[string]string{"Content-Type": "application/json", "Retry-After": retryAfter}}
}

// Error.RetryAfter reads both forms through the one parser: overflow-safe, negative values
// and past dates as zero. (The "7" and the future dates are the controls: a parser that
// always answers 0 fails them.)
func TestErrorRetryAfterEdgeValues(t *testing.T) {
	now := time.Now()
	for _, tc := range []struct {
		name     string
		value    string
		min, max time.Duration
	}{
		{"seconds", "7", 7 * time.Second, 7 * time.Second},
		{"HTTP date", now.Add(90 * time.Second).UTC().Format(http.TimeFormat), 85 * time.Second, 91 * time.Second},
		{"RFC 850 date", now.Add(90 * time.Second).UTC().Format(time.RFC850), 85 * time.Second, 91 * time.Second},
		{"past date", now.Add(-time.Hour).UTC().Format(http.TimeFormat), 0, 0},
		{"zero", "0", 0, 0},
		{"negative", "-5", 0, 0},
		{"not a value", "soon", 0, 0},
		{"seconds that overflow a Duration", "9223372037", retryafter.Max, retryafter.Max},
		{"seconds that overflow an int64", "99999999999999999999", retryafter.Max, retryafter.Max},
		{"date centuries ahead", now.AddDate(500, 0, 0).UTC().Format(http.TimeFormat), retryafter.Max, retryafter.Max},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t, throttledAnswer(tc.value))
			c, _ := newClient(t, s, &partnercenter.ClientOptions{Retry: noRetry})
			_, err := activate(c, context.Background())
			var pe *partnercenter.Error
			if !errors.As(err, &pe) || pe.StatusCode != 429 {
				t.Fatalf("want the 429 *Error, got %v", err)
			}
			if pe.RetryAfter < tc.min || pe.RetryAfter > tc.max {
				t.Fatalf("Retry-After %q: RetryAfter %s, want %s to %s", tc.value, pe.RetryAfter, tc.min, tc.max)
			}
		})
	}
}

// The retry decision and azcore's wait read Retry-After the same way: a value that overflows
// azcore's own parser (which made it a negative wait, retried at once) is a wait of a year,
// beyond MaxRetryDelay, so the 429 comes back at once instead of being hammered again.
// Control: a short Retry-After is retried.
func TestRetryDecisionOnEdgeRetryAfter(t *testing.T) {
	for _, tc := range []struct {
		value    string
		attempts int
	}{
		{"9223372037", 1},
		{"99999999999999999999", 1},
		{time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat), 2}, // past date: retry now
		{"0", 2},
	} {
		s := newServer(t, throttledAnswer(tc.value), jsonAnswer(200, activatedBody))
		c, _ := newClient(t, s, &partnercenter.ClientOptions{
			TotalTimeout: -1, // no deadline: only MaxRetryDelay can refuse the wait
			Retry:        policy.RetryOptions{MaxRetries: 3, RetryDelay: time.Millisecond, MaxRetryDelay: time.Minute},
		})
		_, err := activate(c, context.Background())
		if n := len(s.seen()); n != tc.attempts {
			t.Errorf("Retry-After %q: %d attempts, want %d (error %v)", tc.value, n, tc.attempts, err)
		}
		var pe *partnercenter.Error
		if tc.attempts == 1 && (!errors.As(err, &pe) || pe.RetryAfter != retryafter.Max) {
			t.Errorf("Retry-After %q: want the 429 with RetryAfter %s, got %v", tc.value, retryafter.Max, err)
		}
	}
}
