package partnercenter_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/partnercenter-go/partnercenter"
)

// bigBody is a valid activation answer padded to n bytes: under a large enough bound it
// decodes, so that only the bound can refuse it.
func bigBody(n int) string {
	head := `{"subscriptionId":"` + subscriptionID + `","status":"Success","padding":"`
	return head + strings.Repeat("a", n-len(head)-2) + `"}`
}

// streamingServer answers status with a body of n bytes written in 32 KiB chunks from one
// buffer, with or without a Content-Length, and stops when the client hangs up.
func streamingServer(t *testing.T, status, n int, contentLength bool) *httptest.Server {
	body := []byte(bigBody(n))
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		if contentLength {
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		}
		w.WriteHeader(status)
		for off := 0; off < len(body); off += 32 << 10 {
			if _, err := w.Write(body[off:min(off+32<<10, len(body))]); err != nil {
				return
			}
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// A body past the bound is an *Error that says so, keeps the first 64 KiB and is not retried;
// the same body under a larger bound decodes (the control: only the bound refused it).
func TestBodyPastTheBoundIsAnError(t *testing.T) {
	const size = 2 << 20
	for _, status := range []int{200, 400, 503} {
		for _, withLength := range []bool{true, false} {
			name := http.StatusText(status) + map[bool]string{true: "/Content-Length", false: "/chunked"}[withLength]
			t.Run(name, func(t *testing.T) {
				s := streamingServer(t, status, size, withLength)
				tries := 0
				counter := policyFunc(func(req *policy.Request) (*http.Response, error) { tries++; return req.Next() })
				c, err := partnercenter.NewClient(nil, &partnercenter.ClientOptions{
					Endpoint: s.URL, MaxResponseBodyBytes: 1 << 20, Retry: fastRetry, PerRetryPolicies: []policy.Policy{counter},
				})
				if err != nil {
					t.Fatal(err)
				}
				_, err = activate(c, context.Background())
				var pe *partnercenter.Error
				if !errors.As(err, &pe) || pe.StatusCode != status || !errors.Is(err, partnercenter.ErrResponseTooLarge) {
					t.Fatalf("want an *Error %d that is ErrResponseTooLarge, got %T %v", status, err, err)
				}
				if !bytes.Equal(pe.RawBody, []byte(bigBody(size))[:64<<10]) {
					t.Fatalf("RawBody is %d bytes, not the body's first 64 KiB", len(pe.RawBody))
				}
				if msg := err.Error(); !strings.Contains(msg, "larger than 1048576 bytes") || !strings.Contains(msg, "MaxResponseBodyBytes") {
					t.Fatalf("Error() does not say what happened: %s", msg)
				}
				if tries != 1 {
					t.Fatalf("%d tries: a body past the bound is not retried", tries)
				}
			})
		}
	}
	// Control: under a bound it fits, exactly or with room, the same answer is a success.
	for _, bound := range []int64{size, 4 << 20} {
		for _, withLength := range []bool{true, false} {
			s := streamingServer(t, 200, size, withLength)
			c, err := partnercenter.NewClient(nil, &partnercenter.ClientOptions{Endpoint: s.URL, MaxResponseBodyBytes: bound})
			if err != nil {
				t.Fatal(err)
			}
			if res, err := activate(c, context.Background()); err != nil || res.Status != "Success" {
				t.Fatalf("control, bound %d, Content-Length %v: %v, %v", bound, withLength, res, err)
			}
		}
	}
	// The default bound is DefaultMaxResponseBodyBytes: one byte more is refused.
	s := streamingServer(t, 200, partnercenter.DefaultMaxResponseBodyBytes+1, true)
	c, _ := partnercenter.NewClient(nil, &partnercenter.ClientOptions{Endpoint: s.URL})
	if _, err := activate(c, context.Background()); !errors.Is(err, partnercenter.ErrResponseTooLarge) {
		t.Fatalf("default bound: got %v", err)
	}
	if _, err := partnercenter.NewClient(nil, &partnercenter.ClientOptions{Endpoint: s.URL, MaxResponseBodyBytes: -1}); err == nil || !strings.Contains(err.Error(), "MaxResponseBodyBytes") {
		t.Fatalf("a negative bound was accepted: %v", err)
	}
}

// allocatedDuring is how many bytes the process allocated while f ran (runtime.MemStats
// TotalAlloc: a count, not a timing).
func allocatedDuring(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Memory stays bounded whatever the server sends, with body logging on too: a 32 MiB body
// under a 1 MiB bound costs a few MiB, where the same call without the bound allocates more
// than the whole body (the control that shows the measure sees an unbounded read).
func TestMemoryIsBoundedByTheBound(t *testing.T) {
	const size = 32 << 20
	run := func(t *testing.T, bound int64, logBodies bool) uint64 {
		s := streamingServer(t, 200, size, false)
		if logBodies {
			logged(t)
		}
		c, err := partnercenter.NewClient(nil, &partnercenter.ClientOptions{
			Endpoint: s.URL, MaxResponseBodyBytes: bound, Retry: noRetry, Logging: policy.LogOptions{IncludeBody: logBodies},
		})
		if err != nil {
			t.Fatal(err)
		}
		return allocatedDuring(func() { activate(c, context.Background()) })
	}
	for _, logBodies := range []bool{false, true} {
		got := run(t, 1<<20, logBodies)
		t.Logf("body logging %v, 1 MiB bound: %.1f MiB allocated", logBodies, float64(got)/(1<<20))
		if got > 8<<20 {
			t.Errorf("body logging %v: %d MiB allocated for a 32 MiB body under a 1 MiB bound", logBodies, got>>20)
		}
	}
	got := run(t, 64<<20, false)
	t.Logf("control, 64 MiB bound: %.1f MiB allocated", float64(got)/(1<<20))
	if got < size {
		t.Errorf("control: only %d MiB allocated reading 32 MiB without a bound in the way: the measure is blind", got>>20)
	}
}

// The refresh-token credential reads a token answer through a bound of its own (1 MiB).
func TestTokenAnswerPastTheBound(t *testing.T) {
	for _, size := range []int{2 << 20, 1 << 10} {
		s := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			head := `{"access_token":"access-1","expires_in":3600,"padding":"`
			io.WriteString(w, head+strings.Repeat("a", size-len(head)-2)+`"}`)
		}))
		cred, err := partnercenter.NewRefreshTokenCredential(tenantID, "app-id", "refresh-0", &partnercenter.RefreshTokenCredentialOptions{AuthorityHost: s.URL + "/", HTTPClient: s.Client()})
		if err != nil {
			t.Fatal(err)
		}
		_, err = cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{partnercenter.CloudGlobal.Scope()}})
		s.Close()
		var ae *partnercenter.AuthenticationError
		tooLarge := errors.As(err, &ae) && errors.Is(err, partnercenter.ErrResponseTooLarge)
		if want := size > 1<<20; tooLarge != want { // the small answer is the control
			t.Errorf("%d-byte answer: got %v, want too large = %v", size, err, want)
		}
	}
}

// A body within the bound cannot make the client hold many times its size: 4 MiB of empty
// items ({"items":[{},{},...]}) was decoded three times over (by the generated client into
// its models, and into an any to check required members), some 800 MB allocated and 300 MB
// live; it is refused at its first item now. A valid body of the same size decodes, and a
// large body that lacks a member deep inside is still named exactly (the streamed check).
func TestBodyWithinTheBoundIsNotAmplified(t *testing.T) {
	item := `{"lineItemNumber":0,"link":{"method":"GET","headers":[]}}`
	for _, tc := range []struct {
		name, items string
		wantErr     string // "" for a success
		bounded     bool   // allocation checked
	}{
		{"a million empty items", strings.TrimSuffix(strings.Repeat(`{},`, (4<<20-100)/3), ","), "lacks /items/0/lineItemNumber", true},
		{"valid items", strings.TrimSuffix(strings.Repeat(item+",", (4<<20-100)/(len(item)+1)), ","), "", false},
		{"item 5000 lacks link.method", strings.Repeat(item+",", 5000) + `{"lineItemNumber":0,"link":{"headers":[]}}`, "lacks /items/5000/link/method", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := `{"totalCount":1,"items":[` + tc.items + `]}`
			s := newServer(t, jsonAnswer(200, body))
			c, _ := newClient(t, s, &partnercenter.ClientOptions{Retry: noRetry})
			var links partnercenter.GetSubscriptionActivationLinksResponse
			var err error
			alloc := allocatedDuring(func() {
				links, err = c.GetSubscriptionActivationLinks(context.Background(), customerID, subscriptionID, nil)
			})
			if tc.wantErr == "" {
				if err != nil || len(links.Items) < 1000 {
					t.Fatalf("the valid body did not decode: %v", err)
				}
				return // its cost is its models: not bounded here
			}
			var pe *partnercenter.Error
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("want an *Error that %s, got %v", tc.wantErr, err)
			}
			// Measured: about 55 MB (the body's copies through the pipeline); 800 MB before.
			if limit := uint64(30 * len(body)); tc.bounded && alloc > limit {
				t.Fatalf("a %d-byte body allocated %d MB (limit %d MB)", len(body), alloc>>20, limit>>20)
			}
		})
	}
}
