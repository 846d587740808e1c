package partnercenter_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/partnercenter-go/partnercenter"
)

func activate(c *partnercenter.Client, ctx context.Context) (partnercenter.ActivateSubscriptionResponse, error) {
	return c.ActivateSubscription(ctx, customerID, subscriptionID, nil)
}

// 503 then 200: the activate POST is retried, every attempt carries the call's MS-RequestId
// and MS-CorrelationId, and the next call gets new ones.
func TestRetryKeepsRequestIDAcrossAttempts(t *testing.T) {
	s := newServer(t, jsonAnswer(503, `{"code":503,"description":"busy"}`), jsonAnswer(503, `{"code":503,"description":"busy"}`), jsonAnswer(200, activatedBody))
	c, _ := newClient(t, s, nil)
	res, err := activate(c, context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != "Success" {
		t.Fatalf("status %q", res.Status)
	}
	seen := s.seen()
	if len(seen) != 3 {
		t.Fatalf("%d attempts, want 3", len(seen))
	}
	for i, a := range seen {
		for _, h := range []string{"MS-RequestId", "MS-CorrelationId"} {
			if a.Header.Get(h) != seen[0].Header.Get(h) {
				t.Errorf("attempt %d changed %s: %s -> %s", i, h, seen[0].Header.Get(h), a.Header.Get(h))
			}
		}
		if a.Body != "null" {
			t.Errorf("attempt %d sent body %q: the body must be rewound", i, a.Body)
		}
	}
	if _, err := activate(c, context.Background()); err != nil {
		t.Fatal(err)
	}
	if next := s.seen()[3].Header.Get("MS-RequestId"); next == seen[0].Header.Get("MS-RequestId") {
		t.Fatal("a new call reused the previous call's MS-RequestId")
	}
}

func TestRetriedStatuses(t *testing.T) {
	for _, status := range []int{408, 429, 500, 502, 503, 504} {
		s := newServer(t, jsonAnswer(status, `{"code":1,"description":"transient"}`), jsonAnswer(200, activatedBody))
		c, _ := newClient(t, s, nil)
		if _, err := activate(c, context.Background()); err != nil {
			t.Errorf("%d: %v", status, err)
		}
		if n := len(s.seen()); n != 2 {
			t.Errorf("%d: %d attempts, want 2", status, n)
		}
	}
}

func TestNotRetriedStatuses(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		code   partnercenter.ErrorCode
	}{
		{400, `{"code":800041,"description":"The item is already activated.","data":[],"source":"PartnerFD"}`, partnercenter.CodeAlreadyActivated},
		{403, `{"code":20002,"description":"No relationship.","data":[{"k":1}],"source":"PartnerFD"}`, partnercenter.CodeNoCommerceRelation},
		{404, `{"code":20003,"description":"Subscription not found.","source":"PartnerFD"}`, partnercenter.CodeSubscriptionNotFound},
		{409, `{"code":800060,"description":"Order in progress."}`, partnercenter.CodeOrderInProgress},
	} {
		s := newServer(t, jsonAnswer(tc.status, tc.body), jsonAnswer(200, activatedBody))
		c, _ := newClient(t, s, nil)
		_, err := activate(c, context.Background())
		var pe *partnercenter.Error
		if !errors.As(err, &pe) || pe.StatusCode != tc.status || pe.Code != tc.code {
			t.Errorf("%d: got %v, want *Error with code %s", tc.status, err, tc.code)
		}
		if n := len(s.seen()); n != 1 {
			t.Errorf("%d was retried: %d attempts", tc.status, n)
		}
	}
}

// The retry count is bounded: a service that stays down gives the last answer as an *Error
// after MaxRetries+1 attempts.
func TestRetriesAreBounded(t *testing.T) {
	s := newServer(t, jsonAnswer(503, `{"code":503,"description":"down"}`))
	c, _ := newClient(t, s, &partnercenter.ClientOptions{Retry: policy.RetryOptions{MaxRetries: 2, RetryDelay: time.Millisecond}})
	_, err := activate(c, context.Background())
	var pe *partnercenter.Error
	if !errors.As(err, &pe) || pe.StatusCode != 503 {
		t.Fatalf("got %v", err)
	}
	if n := len(s.seen()); n != 3 {
		t.Fatalf("%d attempts, want 3", n)
	}
}

// Retry-After is honoured in both forms: the second attempt does not come before it.
// (Lower bounds only: a shared machine can be slow, never early.)
func TestRetryAfterIsHonoured(t *testing.T) {
	for name, value := range map[string]func() string{
		"delay-seconds": func() string { return "1" },
		"HTTP date":     func() string { return time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat) },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel() // each waits for its Retry-After
			throttled := answer{status: 429, body: `{"statusCode":429,"message":"Rate limit is exceeded. Try again in 1 seconds."}`,
				headers: map[string]string{"Content-Type": "application/json", "Retry-After": value()}}
			s := newServer(t, throttled, jsonAnswer(200, activatedBody))
			c, _ := newClient(t, s, nil)
			start := time.Now()
			if _, err := activate(c, context.Background()); err != nil {
				t.Fatal(err)
			}
			if n := len(s.seen()); n != 2 {
				t.Fatalf("%d attempts, want 2", n)
			}
			// fastRetry's own backoff is 1 ms: only Retry-After explains a wait this long.
			if waited := time.Since(start); waited < 900*time.Millisecond {
				t.Fatalf("retried after %s, before Retry-After", waited)
			}
		})
	}
}

// A Retry-After longer than the context has left is not waited for: the caller gets the 429
// and its RetryAfter at once, not a deadline error later.
func TestRetryAfterBeyondDeadlineReturnsAtOnce(t *testing.T) {
	throttled := answer{status: 429, body: `{"statusCode":429,"message":"Rate limit is exceeded. Try again in 57 seconds."}`,
		headers: map[string]string{"Content-Type": "application/json", "Retry-After": "57"}}
	s := newServer(t, throttled)
	c, _ := newClient(t, s, &partnercenter.ClientOptions{Retry: policy.RetryOptions{MaxRetries: 3, RetryDelay: time.Millisecond, MaxRetryDelay: time.Hour}})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := activate(c, ctx)
	var pe *partnercenter.Error
	if !errors.As(err, &pe) || pe.StatusCode != 429 || pe.RetryAfter != 57*time.Second || pe.Code != "429" {
		t.Fatalf("want the 429 with RetryAfter 57s, got %v", err)
	}
	if ctx.Err() != nil {
		t.Fatal("the client waited for the deadline")
	}
	if n := len(s.seen()); n != 1 {
		t.Fatalf("%d attempts, want 1", n)
	}
}

func TestContextDeadlineWins(t *testing.T) {
	s := newServer(t, answer{status: 200, body: activatedBody, delay: 10 * time.Second})
	c, _ := newClient(t, s, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := activate(c, ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want context.DeadlineExceeded, got %v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatal("the deadline did not cut the call short")
	}
}

func TestTotalTimeoutBoundsAllAttempts(t *testing.T) {
	s := newServer(t, answer{status: 200, body: activatedBody, delay: 10 * time.Second})
	c, _ := newClient(t, s, &partnercenter.ClientOptions{TotalTimeout: 100 * time.Millisecond})
	_, err := activate(c, context.Background())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want the total timeout to end the call, got %v", err)
	}
}

// Connection errors are retried: a server that hangs up once, then answers.
func TestConnectionErrorIsRetried(t *testing.T) {
	s := newServer(t, jsonAnswer(200, activatedBody))
	hangUps := 1
	inner := s.Config.Handler
	s.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hangUps > 0 {
			hangUps--
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		inner.ServeHTTP(w, r)
	})
	c, _ := newClient(t, s, nil)
	if _, err := activate(c, context.Background()); err != nil {
		t.Fatal(err)
	}
	if hangUps != 0 {
		t.Fatal("the hang-up never happened")
	}
}

// A 401 is retried once with a freshly fetched token; a second 401 is an error.
func TestUnauthorizedRetriedOnceWithFreshToken(t *testing.T) {
	unauthorized := jsonAnswer(401, `{"code":"900420","description":"The token audience is no longer supported."}`)

	s := newServer(t, unauthorized, jsonAnswer(200, activatedBody))
	c, cred := newClient(t, s, nil)
	if _, err := activate(c, context.Background()); err != nil {
		t.Fatal(err)
	}
	seen := s.seen()
	if len(seen) != 2 || seen[0].Header.Get("Authorization") != "Bearer token-1" || seen[1].Header.Get("Authorization") != "Bearer token-2" {
		t.Fatalf("want token-1 then a fresh token-2, got %d attempts", len(seen))
	}
	if seen[0].Body != "null" || seen[1].Body != "null" {
		t.Fatalf("bodies %q, %q: the 401 retry must resend the body", seen[0].Body, seen[1].Body)
	}
	if cred.calls.Load() != 2 {
		t.Fatalf("credential asked %d times, want 2", cred.calls.Load())
	}

	s = newServer(t, unauthorized)
	c, _ = newClient(t, s, nil)
	_, err := activate(c, context.Background())
	var pe *partnercenter.Error
	if !errors.As(err, &pe) || pe.StatusCode != 401 || pe.Code != partnercenter.CodeAudienceNotSupported {
		t.Fatalf("want *Error 401 code 900420, got %v", err)
	}
	if n := len(s.seen()); n != 2 {
		t.Fatalf("%d attempts after two 401s, want 2", n)
	}
}

// The token is cached between calls (fetched per attempt from the bearer policy's cache).
func TestTokenIsCachedAcrossCalls(t *testing.T) {
	s := newServer(t, jsonAnswer(200, activatedBody))
	c, cred := newClient(t, s, nil)
	for range 3 {
		if _, err := activate(c, context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if cred.calls.Load() != 1 {
		t.Fatalf("credential asked %d times for 3 calls, want 1", cred.calls.Load())
	}
}
