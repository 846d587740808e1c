package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// These run against the built binary's `sandbox serve`, with raw HTTP where a client would
// not send what an attacker does.

func (s *served) getenv(name string) string {
	for _, kv := range s.env {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			return v
		}
	}
	return ""
}

func (s *served) httpClient(t *testing.T) *http.Client {
	pem, err := os.ReadFile(s.getenv("PARTNER_CENTER_CA_FILE"))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, MaxConnsPerHost: 256, MaxIdleConnsPerHost: 256}}
	t.Cleanup(hc.CloseIdleConnections)
	return hc
}

func (s *served) token(t *testing.T, hc *http.Client) string {
	resp, err := hc.PostForm(s.url+"/"+tenant+"/oauth2/v2.0/token", url.Values{"grant_type": {"client_credentials"},
		"client_id": {s.getenv("AZURE_CLIENT_ID")}, "client_secret": {s.getenv("AZURE_CLIENT_SECRET")}, "scope": {"https://api.partnercenter.microsoft.com/.default"}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tr struct {
		AccessToken string `json:"access_token"`
	}
	if json.NewDecoder(resp.Body).Decode(&tr); tr.AccessToken == "" {
		t.Fatalf("no token: %d", resp.StatusCode)
	}
	return tr.AccessToken
}

func send(t *testing.T, hc *http.Client, method, u, tok string, header map[string]string) (int, string) {
	req, _ := http.NewRequest(method, u, strings.NewReader("null"))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Error(err)
		return 0, ""
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// 24 concurrent activations with one MS-RequestId for each of 20 subscriptions of `sandbox
// serve`: one effect each and identical answers, as `sandbox status` confirms; the same id on
// another subscription is refused, and that subscription stays pending.
func TestServeIdempotencyUnderConcurrency(t *testing.T) {
	seed, ids := writeSeed(t, 21)
	s := serve(t, "--seed", seed)
	hc := s.httpClient(t)
	tok := s.token(t, hc)
	subs, other := ids[:20], ids[20]
	answers := make([][24]string, len(subs))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, id := range subs {
		for j := range 24 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				status, body := send(t, hc, "POST", s.url+"/v1/customers/"+customer+"/subscriptions/"+id+"/activate", tok,
					map[string]string{"MS-RequestId": fmt.Sprintf("0d0d0d0d-0000-4000-8000-%012d", i)})
				answers[i][j] = fmt.Sprint(status, " ", body)
			}()
		}
	}
	close(start)
	wg.Wait()
	for i, id := range subs {
		for j := range 24 {
			if answers[i][j] != answers[i][0] || !strings.HasPrefix(answers[i][0], "200 ") {
				t.Fatalf("%s: answer %d %q, answer 0 %q", id, j, answers[i][j], answers[i][0])
			}
		}
	}
	status, body := send(t, hc, "POST", s.url+"/v1/customers/"+customer+"/subscriptions/"+other+"/activate", tok,
		map[string]string{"MS-RequestId": "0d0d0d0d-0000-4000-8000-000000000000"})
	if status != 400 || !strings.Contains(body, "800002") || !strings.Contains(body, "already used for another request") {
		t.Fatalf("a reused MS-RequestId: %d %s", status, body)
	}
	st := s.status(t)
	for _, sub := range st.Subscriptions {
		want := 1
		if sub.Subscription == other {
			want = 0
		}
		if sub.Activations != want || sub.StoredAnswers != want {
			t.Fatalf("%+v: want %d activation and stored answer", sub, want)
		}
	}
	if st.Stats.Replayed != 20*23 || st.Stats.Reused != 1 {
		t.Fatalf("stats %+v", st.Stats)
	}
}

// What an attacker sends to `sandbox serve`: a short MS-CorrelationId (a panic once), 40 KiB
// request ids (remembered once), slow bodies to the unauthenticated token endpoint (held
// open once), a refresh token with another client_id (burnt once).
func TestServeUnderHostileRequests(t *testing.T) {
	s := serve(t, "--read-timeout", "300ms", "--idle-timeout", "300ms")
	hc := s.httpClient(t)
	tok := s.token(t, hc)
	activate := s.url + "/v1/customers/" + customer + "/subscriptions/" + subA + "/activate"

	if status, body := send(t, hc, "POST", activate, tok, map[string]string{"MS-CorrelationId": "abc"}); status != 400 || !strings.Contains(body, "MS-CorrelationId") {
		t.Fatalf("a short MS-CorrelationId: %d %s", status, body)
	}
	for i := range 20 {
		if status, _ := send(t, hc, "POST", activate, tok, map[string]string{"MS-RequestId": strings.Repeat(fmt.Sprint(i%10), 40<<10)}); status != 400 {
			t.Fatalf("a 40 KiB MS-RequestId: %d", status)
		}
	}
	if st := s.status(t); st.Stats.Stored != 0 || st.Stats.Invalid != 21 || activations(st)[subA] != 0 {
		t.Fatalf("refused requests left state behind: %+v", st.Stats)
	}

	conn, err := tls.Dial("tcp", strings.TrimPrefix(s.url, "https://"), hc.Transport.(*http.Transport).TLSClientConfig)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "POST /"+tenant+"/oauth2/v2.0/token HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\ngrant_type=")
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, err = io.ReadAll(conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatal("a slow body held its connection past --read-timeout")
	}

	// The seed's refresh token, presented with another client_id, is refused and not used up.
	resp, err := hc.PostForm(s.url+"/"+tenant+"/oauth2/v2.0/token", url.Values{"grant_type": {"refresh_token"}, "client_id": {"someone-else"},
		"refresh_token": {"sandbox-refresh-token-0"}, "scope": {"https://api.partnercenter.microsoft.com/.default"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Fatalf("another app's use of the refresh token: %d", resp.StatusCode)
	}
	var appUser []string
	for _, kv := range s.env {
		if !strings.HasPrefix(kv, "AZURE_CLIENT_SECRET=") {
			appUser = append(appUser, kv)
		}
	}
	appUser = append(appUser, "PARTNER_CENTER_REFRESH_TOKEN=sandbox-refresh-token-0")
	if r := runCLI(t, appUser, "links", "--customer", customer, "--order", order); r.code != 0 {
		t.Fatalf("the owner's refresh token after another app's attempt: %+v", r)
	}
}

// Bad `sandbox serve` flags are usage errors naming the flag, with exit status 2.
func TestServeFlagErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--throttle-rate", "2"}, "--throttle-rate 2: a share from 0 to 1"},
		{[]string{"--addr", "0.0.0.0:8443"}, `--addr "0.0.0.0:8443": the sandbox listens on loopback addresses only`},
		{[]string{"--read-timeout", "0s"}, "--read-timeout 0s: must be positive"},
		{[]string{"--rate-limt", "5"}, "unknown flag --rate-limt; did you mean --rate-limit?"},
	} {
		r := runCLI(t, []string{"PATH=" + os.Getenv("PATH")}, append([]string{"sandbox", "serve"}, tc.args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: want exit 2 naming %q, got %+v", tc.args, tc.want, r)
		}
	}
}
