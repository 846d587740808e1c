package sandbox

import (
	"net/http"
	"net/http/httptest"
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
