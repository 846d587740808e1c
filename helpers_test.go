package partnercenter_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/partnercenter-go/partnercenter"
)

const (
	customerID     = "42b5f772-5c5c-4bce-b9d7-bdadeecca411"
	subscriptionID = "87363db7-39ab-dd25-d371-94340aaa2f97" // not an RFC 4122 UUID: version nibble d
	orderID        = "Ia80ZLkXp6eWOqpp35pBQJLhqv9IiGVZ1"    // not a GUID
	basePath       = "/pc-base"

	activatedBody = `{"subscriptionId":"87363db7-39ab-dd25-d371-94340aaa2f97","status":"Success"}`
	linksBody     = `{"totalCount":1,"items":[{"lineItemNumber":0,"link":{"uri":"https://publisher.example/activate?token=abc","method":"GET","headers":[]}}],"links":{"self":{"uri":"/customers/x","method":"GET","headers":[]}},"attributes":{"objectType":"Collection"}}`
)

// attempt is what the test server saw of one HTTP request.
type attempt struct {
	Method, Path, Body string
	Header             http.Header
}

// answer is one scripted response.
type answer struct {
	status  int
	headers map[string]string
	body    string
	delay   time.Duration
	// reason, when set, is the status line's reason phrase ("Unauthorized - MFA required"),
	// which net/http's server cannot send: the answer is then written on the raw connection.
	reason string
}

func jsonAnswer(status int, body string) answer {
	return answer{status: status, body: body, headers: map[string]string{"Content-Type": "application/json; charset=utf-8"}}
}

// server is a loopback Partner Center stand-in that plays scripted answers in order (the last
// one repeats) and records every attempt. Its API lives under basePath, so a client that
// drops the endpoint's path fails.
type server struct {
	*httptest.Server
	mu       sync.Mutex
	answers  []answer
	attempts []attempt
}

func newServer(t *testing.T, answers ...answer) *server {
	t.Helper()
	s := &server{answers: answers}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.attempts = append(s.attempts, attempt{r.Method, r.URL.EscapedPath(), string(body), r.Header.Clone()})
	a := s.answers[min(len(s.attempts), len(s.answers))-1]
	s.mu.Unlock()
	if len(r.URL.Path) < len(basePath) || r.URL.Path[:len(basePath)] != basePath {
		http.Error(w, "outside the base path", http.StatusTeapot)
		return
	}
	if a.delay > 0 {
		select {
		case <-time.After(a.delay):
		case <-r.Context().Done():
			return
		}
	}
	// The ids are echoed, as Partner Center does, unless the answer sets them ("" drops one).
	w.Header().Set("MS-RequestId", r.Header.Get("MS-RequestId"))
	w.Header().Set("MS-CorrelationId", r.Header.Get("MS-CorrelationId"))
	for k, v := range a.headers {
		if v == "" {
			w.Header().Del(k)
			continue
		}
		w.Header().Set(k, v)
	}
	if a.reason != "" {
		writeRaw(w, a.status, a.reason, a.body)
		return
	}
	w.WriteHeader(a.status)
	io.WriteString(w, a.body)
}

// writeRaw writes the answer on the hijacked connection, with its own reason phrase.
func writeRaw(w http.ResponseWriter, status int, reason, body string) {
	h := w.Header().Clone()
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err)
	}
	defer conn.Close()
	fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\n", status, reason)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("Connection", "close")
	h.Write(buf)
	buf.WriteString("\r\n" + body)
	buf.Flush()
}

func (s *server) seen() []attempt {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]attempt(nil), s.attempts...)
}

// countingCredential hands out "token-1", "token-2", ... and counts its calls.
type countingCredential struct{ calls atomic.Int32 }

func (c *countingCredential) GetToken(_ context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	n := c.calls.Add(1)
	return azcore.AccessToken{Token: fmt.Sprintf("token-%d", n), ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// fastRetry keeps backoff short so that tests exercise retries without waiting.
var fastRetry = policy.RetryOptions{MaxRetries: 3, RetryDelay: time.Millisecond, MaxRetryDelay: 3 * time.Second}

func newClient(t *testing.T, s *server, opts *partnercenter.ClientOptions) (*partnercenter.Client, *countingCredential) {
	t.Helper()
	var o partnercenter.ClientOptions
	if opts != nil {
		o = *opts
	}
	o.Endpoint = s.URL + basePath
	if o.Retry.MaxRetries == 0 && o.Retry.RetryDelay == 0 {
		o.Retry = fastRetry
	}
	cred := &countingCredential{}
	c, err := partnercenter.NewClient(cred, &o)
	if err != nil {
		t.Fatal(err)
	}
	return c, cred
}
