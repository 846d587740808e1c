package gatetest

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

const (
	customer     = "42b5f772-5c5c-4bce-b9d7-bdadeecca411"
	order        = "Ia80ZLkXp6eWOqpp35pBQJLhqv9IiGVZ1"
	subscription = "87363db7-39ab-dd25-d371-94340aaa2f97"
	tenant       = "11111111-2222-3333-4444-555555555555"
)

// localEndpoint is a minimal loopback stand-in for Partner Center and its Entra authority,
// answering with the documented bodies, so that live mode can run end to end here. (The
// sandbox of its own issue is the full, stateful one.)
func localEndpoint(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var apiCalls atomic.Int32
	var issued atomic.Int32
	links := `{"totalCount":1,"items":[{"lineItemNumber":0,"link":{"uri":"https://publisher.example/activate","method":"GET","headers":[]}}],"links":{"self":{"uri":"/customers/x","method":"GET","headers":[]}},"attributes":{"objectType":"Collection"}}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/"+tenant+"/oauth2/v2.0/token" {
			r.ParseForm()
			n := issued.Add(1)
			fmt.Fprintf(w, `{"token_type":"Bearer","access_token":"local-access-%d","refresh_token":"local-refresh-%d","expires_in":"3600"}`, n, n)
			return
		}
		if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer local-access-") {
			w.WriteHeader(401)
			io.WriteString(w, `{"code":"900420","description":"Unauthorized."}`)
			return
		}
		apiCalls.Add(1)
		w.Header().Set("MS-RequestId", r.Header.Get("MS-RequestId"))
		w.Header().Set("MS-CorrelationId", r.Header.Get("MS-CorrelationId"))
		if r.Method == http.MethodPost {
			fmt.Fprintf(w, `{"subscriptionId":%q,"status":"Success"}`, subscription)
			return
		}
		io.WriteString(w, links)
	}))
	t.Cleanup(srv.Close)
	return srv, &apiCalls
}

func liveEnv(srv *httptest.Server, extra ...string) []string {
	return append(append(os.Environ(), "CI=true",
		"PARTNER_CENTER_ENDPOINT="+srv.URL, "AZURE_AUTHORITY_HOST="+srv.URL+"/",
		"AZURE_TENANT_ID="+tenant, "AZURE_CLIENT_ID=gate-app", "PARTNER_CENTER_REFRESH_TOKEN=local-refresh-0",
		"PARTNER_CENTER_CUSTOMER_ID="+customer, "PARTNER_CENTER_ORDER_ID="+order, "PARTNER_CENTER_SUBSCRIPTION_ID="+subscription,
	), extra...)
}

func TestLiveModeSkipsCleanlyWithoutCredentials(t *testing.T) {
	env := []string{"CI=true", "PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "GOFLAGS=" + os.Getenv("GOFLAGS"),
		"GOPATH=" + os.Getenv("GOPATH"), "GOCACHE=" + os.Getenv("GOCACHE"), "GOMODCACHE=" + os.Getenv("GOMODCACHE"), "GOPROXY=" + os.Getenv("GOPROXY")}
	out, err := runMake(t, env, "MODE=live")
	if err != nil {
		t.Fatalf("live mode without credentials must skip, not fail: %v\n%s", err, out)
	}
	for _, want := range []string{"PARTNER_CENTER_CUSTOMER_ID", "AZURE_TENANT_ID", "PARTNER_CENTER_REFRESH_TOKEN"} {
		if !strings.Contains(out, want) {
			t.Errorf("the skip message does not name %s:\n%s", want, out)
		}
	}
}

func TestLiveAndRecordModesAgainstALocalEndpoint(t *testing.T) {
	srv, calls := localEndpoint(t)
	out, err := runMake(t, liveEnv(srv), "MODE=live")
	if err != nil {
		t.Fatalf("make contract MODE=live failed against a local endpoint: %v\n%s", err, out)
	}
	if n := calls.Load(); n != 4 {
		t.Fatalf("live mode made %d API calls, want the 4 operations:\n%s", n, out)
	}

	dir := t.TempDir()
	out, err = runMake(t, liveEnv(srv, "RECORD_DIR="+dir), "MODE=record")
	if err != nil {
		t.Fatalf("make contract MODE=record failed: %v\n%s", err, out)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if len(files) != 1 {
		t.Fatalf("MODE=record wrote %v, want one cassette", files)
	}
	data, _ := os.ReadFile(files[0])
	for _, secret := range []string{"local-access-", "local-refresh-", "Authorization", "oauth2"} {
		if strings.Contains(string(data), secret) {
			t.Fatalf("the recording holds %q:\n%s", secret, data)
		}
	}
	if n := strings.Count(string(data), "\n    - id:") + strings.Count(string(data), "\n  - id:"); n != 4 {
		t.Fatalf("the recording has %d interactions, want 4:\n%s", n, data)
	}
	out, err = makeContract(t, "CASSETTES="+dir)
	if err != nil {
		t.Fatalf("the recording does not pass the gate: %v\n%s", err, out)
	}
}
