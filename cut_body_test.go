package partnercenter_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/partnercenter-go/partnercenter"
)

// cuttingServer cuts its first `cuts` answers after the status line and headers and part of
// the body, by closing the connection (reset: with SO_LINGER 0, so the client reads a
// connection reset instead of an early end), then answers with activatedBody. It records the
// MS-RequestId of every attempt.
type cuttingServer struct {
	*httptest.Server
	mu         sync.Mutex
	cuts       int
	requestIDs []string
}

func newCuttingServer(t *testing.T, cuts int, reset bool) *cuttingServer {
	s := &cuttingServer{cuts: cuts}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		s.mu.Lock()
		s.requestIDs = append(s.requestIDs, r.Header.Get("MS-RequestId"))
		cut := len(s.requestIDs) <= s.cuts
		s.mu.Unlock()
		if !cut {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, activatedBody)
			return
		}
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n" + activatedBody[:20])
		buf.Flush()
		if reset {
			// Let the client take the headers first: a reset drops what it has not read.
			time.Sleep(20 * time.Millisecond)
			conn.(*net.TCPConn).SetLinger(0)
		}
		conn.Close()
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *cuttingServer) attempts() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requestIDs...)
}

// An activate whose 200 is cut after its headers is retried under the same MS-RequestId (the
// activation may have taken effect; the id makes the retry safe) and succeeds.
func TestCutActivateBodyIsRetried(t *testing.T) {
	for name, reset := range map[string]bool{"early end": false, "connection reset": true} {
		t.Run(name, func(t *testing.T) {
			s := newCuttingServer(t, 1, reset)
			c, err := partnercenter.NewClient(nil, &partnercenter.ClientOptions{Endpoint: s.URL, Retry: fastRetry})
			if err != nil {
				t.Fatal(err)
			}
			res, err := activate(c, context.Background())
			if err != nil || res.Status != "Success" {
				t.Fatalf("got %v, %v; want the second attempt's success", res, err)
			}
			ids := s.attempts()
			if len(ids) != 2 || ids[0] == "" || ids[0] != ids[1] {
				t.Fatalf("attempts' MS-RequestIds %q: want two attempts under one id", ids)
			}

			// Control: the fault is real. A plain net/http POST gets the 200 and then fails to
			// read its body (azcore's body download, left alone, would not retry that on a POST).
			raw := newCuttingServer(t, 1, reset)
			resp, err := http.Post(raw.URL+"/x", "application/json", strings.NewReader("null"))
			if err != nil {
				t.Fatalf("control: the headers did not arrive: %v", err)
			}
			_, err = io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || err == nil {
				t.Fatalf("control: status %d, body read error %v: the answer was not cut after its headers", resp.StatusCode, err)
			}
		})
	}
}

// A server that cuts every answer: the call ends after its tries, and within its time bound,
// with an error that says the body was cut.
func TestCutBodyRetriesAreBounded(t *testing.T) {
	s := newCuttingServer(t, 1<<30, false)
	c, err := partnercenter.NewClient(nil, &partnercenter.ClientOptions{Endpoint: s.URL, Retry: policy.RetryOptions{MaxRetries: 2, RetryDelay: time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = activate(c, context.Background())
	if err == nil || !strings.Contains(err.Error(), "reading the body of a 200 response") || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("got %v", err)
	}
	if n := len(s.attempts()); n != 3 {
		t.Fatalf("%d attempts, want MaxRetries+1 = 3", n)
	}

	// The time bound: many tries allowed, a long backoff, a short TotalTimeout.
	s = newCuttingServer(t, 1<<30, false)
	c, _ = partnercenter.NewClient(nil, &partnercenter.ClientOptions{
		Endpoint: s.URL, TotalTimeout: 200 * time.Millisecond,
		Retry: policy.RetryOptions{MaxRetries: 50, RetryDelay: time.Second, MaxRetryDelay: time.Second},
	})
	_, err = activate(c, context.Background())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want the time bound to end the call, got %v", err)
	}
	if n := len(s.attempts()); n >= 50 {
		t.Fatalf("%d attempts: the time bound did not end the retries", n)
	}
}
