package sandbox

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// The admin endpoint answers loopback callers with the admin token only. The sandbox listens
// on loopback, so a request from another address cannot be sent over a socket here: the
// handler is called with the source address a proxy or a port forward would give it. The
// controls: the same request from 127.0.0.1 and ::1 is answered.
func TestAdminStatusRefusesNonLoopbackCallers(t *testing.T) {
	sb, err := New(Options{PlainHTTP: true, AdminToken: "sbx-admin.right"})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	for _, tc := range []struct {
		remote, token string
		want          int
	}{
		{"127.0.0.1:4000", "sbx-admin.right", http.StatusOK},
		{"[::1]:4000", "sbx-admin.right", http.StatusOK},
		{"192.0.2.7:4000", "sbx-admin.right", http.StatusForbidden},
		{"[::ffff:192.0.2.7]:4000", "sbx-admin.right", http.StatusForbidden},
		{"[2001:db8::1]:4000", "sbx-admin.right", http.StatusForbidden},
		{"garbage", "sbx-admin.right", http.StatusForbidden},
		{"127.0.0.1:4000", "sbx-admin.wrong", http.StatusUnauthorized},
		{"127.0.0.1:4000", "", http.StatusUnauthorized},
	} {
		req := httptest.NewRequest(http.MethodGet, "/sandbox/status", nil)
		req.RemoteAddr = tc.remote
		if tc.token != "" {
			req.Header.Set("Authorization", "Bearer "+tc.token)
		}
		rec := httptest.NewRecorder()
		sb.serveStatus(rec, req)
		if rec.Code != tc.want {
			t.Errorf("from %s with %q: %d, want %d", tc.remote, tc.token, rec.Code, tc.want)
		}
	}
}

// An invalid MS-RequestId is remembered nowhere: neither in the idempotency store (which
// TestInvalidRequestIDsAreNotStored reads through Stats) nor in the per-id attempt counts of
// the fault schedule, which Stats does not show. The control: a valid id is counted in both.
func TestInvalidRequestIDsAreNotCounted(t *testing.T) {
	sb, err := New(Options{PlainHTTP: true})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	p, _ := sb.sandboxPartner()
	resp, err := http.PostForm(sb.URL+"/"+p.TenantID+"/oauth2/v2.0/token", url.Values{"grant_type": {"client_credentials"},
		"client_id": {p.Apps[0].ClientID}, "client_secret": {p.Apps[0].ClientSecret}, "scope": {"https://api.partnercenter.microsoft.com/.default"}})
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	c := p.Customers[0]
	activate := func(id string) int {
		req := httptest.NewRequest(http.MethodPost, "/v1/customers/"+c.ID+"/subscriptions/"+c.Subscriptions[0].ID+"/activate", nil)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		req.Header.Set("MS-RequestId", id)
		rec := httptest.NewRecorder()
		sb.api.ServeHTTP(rec, req)
		return rec.Code
	}
	for i := range 20 {
		if code := activate(strings.Repeat(string(rune('a'+i)), 4<<10)); code != http.StatusBadRequest {
			t.Fatalf("an invalid id: %d", code)
		}
	}
	if n, m := sb.api.attempts.len(), sb.api.idem.len(); n != 0 || m != 0 {
		t.Fatalf("after 20 invalid ids: %d attempt counts, %d stored answers", n, m)
	}
	activate("3705fc6d-4127-4a87-bdba-9658f73fe019")
	if n, m := sb.api.attempts.len(), sb.api.idem.len(); n != 1 || m != 1 {
		t.Fatalf("control: after a valid id, %d attempt counts, %d stored answers", n, m)
	}
}
