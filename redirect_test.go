package partnercenter_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/partnercenter-go/partnercenter"
)

// witness is the second server a redirect points to: it records whatever reaches it.
type witness struct {
	*httptest.Server
	mu   sync.Mutex
	seen []attempt
}

func newWitness(t *testing.T, tls bool) *witness {
	w := &witness{}
	h := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.mu.Lock()
		w.seen = append(w.seen, attempt{r.Method, r.URL.EscapedPath(), string(body), r.Header.Clone()})
		w.mu.Unlock()
		rw.Header().Set("Content-Type", "application/json")
		io.WriteString(rw, activatedBody) // a "success", as an attacker would answer
	})
	if tls {
		w.Server = httptest.NewTLSServer(h)
	} else {
		w.Server = httptest.NewServer(h)
	}
	t.Cleanup(w.Close)
	return w
}

func (w *witness) attempts() []attempt {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]attempt(nil), w.seen...)
}

// redirector answers everything with status and a Location to target + the request's path.
func redirector(t *testing.T, tls bool, status int, target func() string) *httptest.Server {
	h := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		rw.Header().Set("Location", target()+r.URL.RequestURI())
		rw.WriteHeader(status)
	})
	var s *httptest.Server
	if tls {
		s = httptest.NewTLSServer(h)
	} else {
		s = httptest.NewServer(h)
	}
	t.Cleanup(s.Close)
	return s
}

// otherHost is the witness's URL with "localhost" for 127.0.0.1: the same machine under
// another host name.
func otherHost(w *witness) string {
	u, _ := url.Parse(w.URL)
	return u.Scheme + "://localhost:" + u.Port()
}

// redirectCases are the three places a redirect can send the token: the same host on another
// port (over TLS), the same host over http://, and another host name.
var redirectCases = []struct {
	name       string
	tlsWitness bool
	target     func(*witness) string
	// tokenFollows: Go's own redirect handling resends Authorization there (the control).
	tokenFollows bool
}{
	{"same host, other port", true, func(w *witness) string { return w.URL }, true},
	{"same host, http://", false, func(w *witness) string { return w.URL }, true},
	{"other host", false, otherHost, false},
}

// A redirect is never followed, whatever the status, whatever the Transport: no second
// server ever sees a request, let alone the token; the call is an *Error that names the
// status and where the redirect pointed.
func TestRedirectsAreRefused(t *testing.T) {
	for _, tc := range redirectCases {
		for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
			t.Run(tc.name+"/"+http.StatusText(status), func(t *testing.T) {
				w := newWitness(t, tc.tlsWitness)
				target := tc.target(w)
				// The caller's client follows redirects (its default): the client must not.
				a := redirector(t, true, status, func() string { return target })
				c, err := partnercenter.NewClient(&countingCredential{}, &partnercenter.ClientOptions{
					Endpoint: a.URL + basePath, Transport: a.Client(), Retry: fastRetry,
				})
				if err != nil {
					t.Fatal(err)
				}
				_, err = activate(c, context.Background())
				checkRedirectRefused(t, err, status, target, w)

				// Control: the same redirect through the same *http.Client, as the caller
				// gave it, reaches the second server, with the token where Go keeps it.
				followed := sendWithToken(t, a.Client(), a.URL+basePath+"/v1/x")
				seen := w.attempts()
				if followed.StatusCode != 200 || len(seen) == 0 {
					t.Fatalf("control: the redirect was not followed (%d, %d requests seen)", followed.StatusCode, len(seen))
				}
				if got := seen[0].Header.Get("Authorization") == "Bearer token-1"; got != tc.tokenFollows {
					t.Fatalf("control: token forwarded = %v, want %v", got, tc.tokenFollows)
				}
			})
		}
	}
}

// The same without a Transport: azcore's default client follows redirects; the client's
// default must not.
func TestRedirectsAreRefusedByTheDefaultTransport(t *testing.T) {
	w := newWitness(t, false)
	a := redirector(t, false, http.StatusTemporaryRedirect, func() string { return w.URL })
	c, err := partnercenter.NewClient(&countingCredential{}, &partnercenter.ClientOptions{Endpoint: a.URL + basePath, Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	_, err = activate(c, context.Background())
	checkRedirectRefused(t, err, http.StatusTemporaryRedirect, w.URL, w)

	// Control: a default net/http client follows it, token and all.
	sendWithToken(t, &http.Client{}, a.URL+"/v1/x")
	if seen := w.attempts(); len(seen) != 1 || seen[0].Header.Get("Authorization") != "Bearer token-1" {
		t.Fatalf("control: the witness saw %d requests", len(seen))
	}
}

// A Transporter that follows a redirect itself cannot be stopped from sending, but its answer
// (here the attacker's "success" to a GET the POST became) is refused.
func TestAnswerToAFollowedRedirectIsRefused(t *testing.T) {
	w := newWitness(t, false)
	a := redirector(t, false, http.StatusFound, func() string { return w.URL })
	c, err := partnercenter.NewClient(&countingCredential{}, &partnercenter.ClientOptions{
		Endpoint: a.URL + basePath, Transport: followingTransporter{&http.Client{}}, Retry: fastRetry,
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := activate(c, context.Background())
	if res != (partnercenter.ActivateSubscriptionResponse{}) || !errors.Is(err, partnercenter.ErrRedirectRefused) || !strings.Contains(err.Error(), w.URL) {
		t.Fatalf("got %v, %v; want the followed redirect refused", res, err)
	}
	// Control: the transporter did follow it, and the POST became a GET.
	if seen := w.attempts(); len(seen) != 1 || seen[0].Method != http.MethodGet {
		t.Fatalf("control: the witness saw %+v", seen)
	}
}

// followingTransporter is a policy.Transporter that is not an *http.Client.
type followingTransporter struct{ hc *http.Client }

func (f followingTransporter) Do(r *http.Request) (*http.Response, error) { return f.hc.Do(r) }

// The refresh-token credential's token endpoint: a 307 would resend the form, refresh token
// and client secret included.
func TestTokenEndpointRedirectIsRefused(t *testing.T) {
	for _, tc := range redirectCases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWitness(t, tc.tlsWitness)
			target := tc.target(w)
			a := redirector(t, true, http.StatusTemporaryRedirect, func() string { return target })
			cred, err := partnercenter.NewRefreshTokenCredential(tenantID, "app-id", "refresh-secret-0", &partnercenter.RefreshTokenCredentialOptions{
				AuthorityHost: a.URL + "/", ClientSecret: "app-secret", HTTPClient: a.Client(),
			})
			if err != nil {
				t.Fatal(err)
			}
			_, err = cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{partnercenter.CloudGlobal.Scope()}})
			var ae *partnercenter.AuthenticationError
			if !errors.As(err, &ae) || ae.StatusCode != http.StatusTemporaryRedirect || !errors.Is(err, partnercenter.ErrRedirectRefused) {
				t.Fatalf("want an *AuthenticationError for the 307, got %T %v", err, err)
			}
			if !strings.Contains(err.Error(), target) {
				t.Fatalf("%q does not name %s", err, target)
			}
			if seen := w.attempts(); len(seen) != 0 {
				t.Fatalf("the second server saw %d requests: %+v", len(seen), seen)
			}

			// Control: the caller's client, used directly, resends the secrets there.
			resp, err := a.Client().PostForm(a.URL+"/"+tenantID+"/oauth2/v2.0/token", url.Values{"refresh_token": {"refresh-secret-0"}})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if seen := w.attempts(); len(seen) != 1 || !strings.Contains(seen[0].Body, "refresh-secret-0") {
				t.Fatalf("control: the witness saw %+v", seen)
			}
		})
	}
}

func checkRedirectRefused(t *testing.T, err error, status int, target string, w *witness) {
	t.Helper()
	var pe *partnercenter.Error
	if !errors.As(err, &pe) || pe.StatusCode != status || !errors.Is(err, partnercenter.ErrRedirectRefused) {
		t.Fatalf("want an *Error for the %d that is ErrRedirectRefused, got %T %v", status, err, err)
	}
	if msg := err.Error(); !strings.Contains(msg, "redirect to "+target+" refused") || !strings.Contains(msg, http.StatusText(status)) {
		t.Fatalf("%q does not name the status and %s", msg, target)
	}
	if seen := w.attempts(); len(seen) != 0 {
		t.Fatalf("the second server saw %d requests: %+v", len(seen), seen)
	}
}

// sendWithToken POSTs to u with the token as the client would, through hc.
func sendWithToken(t *testing.T, hc *http.Client, u string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader("null"))
	req.Header.Set("Authorization", "Bearer token-1")
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// A 3xx without a Location is refused as a redirect too (errors.Is ErrRedirectRefused), by the
// client and by the token credential: a proxy answered either way. Control: a 400 is not.
func TestRedirectWithoutLocationIsRefused(t *testing.T) {
	for _, status := range []int{http.StatusMultipleChoices, http.StatusFound, http.StatusNotModified, http.StatusTemporaryRedirect, http.StatusBadRequest} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			s := newServer(t, answer{status: status})
			c, _ := newClient(t, s, &partnercenter.ClientOptions{Retry: noRetry})
			_, err := activate(c, context.Background())
			var pe *partnercenter.Error
			if !errors.As(err, &pe) || pe.StatusCode != status {
				t.Fatalf("want an *Error %d, got %T %v", status, err, err)
			}
			want := status != http.StatusBadRequest
			if got := errors.Is(err, partnercenter.ErrRedirectRefused); got != want || want && !strings.Contains(err.Error(), "redirect without a Location refused") {
				t.Fatalf("ErrRedirectRefused = %v, want %v: %v", got, want, err)
			}

			tokens := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(status) }))
			defer tokens.Close()
			cred, err := partnercenter.NewRefreshTokenCredential(tenantID, "app-id", "refresh-0", &partnercenter.RefreshTokenCredentialOptions{
				AuthorityHost: tokens.URL + "/", HTTPClient: tokens.Client(),
			})
			if err != nil {
				t.Fatal(err)
			}
			_, err = cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{partnercenter.CloudGlobal.Scope()}})
			var ae *partnercenter.AuthenticationError
			if !errors.As(err, &ae) || ae.StatusCode != status || errors.Is(err, partnercenter.ErrRedirectRefused) != want {
				t.Fatalf("token endpoint: want an *AuthenticationError %d, ErrRedirectRefused %v; got %T %v", status, want, err, err)
			}
		})
	}
}
