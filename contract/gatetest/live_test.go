package gatetest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"

	"github.com/partnercenter-go/partnercenter/sandbox"
)

// The default seed's integration sandbox partner and resources.
const (
	tenant       = "5a1d6b6e-0d5c-4b8a-9f0e-2c3d4e5f6a7b"
	customer     = "42b5f772-5c5c-4bce-b9d7-bdadeecca411"
	order        = "Ia80ZLkXp6eWOqpp35pBQJLhqv9IiGVZ1"
	subscription = "87363db7-39ab-dd25-d371-94340aaa2f97"
)

// startSandbox starts a sandbox for a live run and returns the environment that points the
// gate at it over HTTPS: its CA file, its authority, and the seed's ids.
func startSandbox(t *testing.T) (*sandbox.Sandbox, []string) {
	sb, err := sandbox.New(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	ca := filepath.Join(t.TempDir(), "sandbox-ca.pem")
	if err := os.WriteFile(ca, sb.CertPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	return sb, append(os.Environ(), "CI=true",
		"PARTNER_CENTER_ENDPOINT="+sb.URL, "PARTNER_CENTER_CA_FILE="+ca, "AZURE_AUTHORITY_HOST="+sb.URL+"/",
		"AZURE_TENANT_ID="+tenant, "AZURE_CLIENT_ID=sandbox-app",
		"PARTNER_CENTER_CUSTOMER_ID="+customer, "PARTNER_CENTER_ORDER_ID="+order, "PARTNER_CENTER_SUBSCRIPTION_ID="+subscription,
	)
}

func TestLiveModeSkipsCleanlyWithoutCredentials(t *testing.T) {
	t.Parallel()
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AZURE_") && !strings.HasPrefix(kv, "PARTNER_CENTER_") {
			env = append(env, kv)
		}
	}
	out, err := runMake(t, append(env, "CI=true"), "MODE=live")
	if err != nil {
		t.Fatalf("live mode without credentials must skip, not fail: %v\n%s", err, out)
	}
	for _, want := range []string{"live specs skipped", "PARTNER_CENTER_CUSTOMER_ID", "AZURE_TENANT_ID", "PARTNER_CENTER_REFRESH_TOKEN"} {
		if !strings.Contains(out, want) {
			t.Errorf("the skip message does not name %s:\n%s", want, out)
		}
	}
}

// Live mode end to end against a sandbox started for it, App-only through azidentity over
// HTTPS; then record mode with the App+User refresh token, and the recording judged by the
// gate with CASSETTES=.
func TestLiveAndRecordModesAgainstTheSandbox(t *testing.T) {
	t.Parallel()
	sb, env := startSandbox(t)
	out, err := runMake(t, append(env, "AZURE_CLIENT_SECRET=sandbox-app-password"), "MODE=live")
	if err != nil {
		t.Fatalf("make contract MODE=live failed against the sandbox: %v\n%s", err, out)
	}
	if !sb.State.Active(subscription) || sb.State.Activations(subscription) != 1 {
		t.Fatal("live mode did not activate the sandbox subscription")
	}
	if st := sb.Stats(); st.Requests < 4 || st.Invalid != 0 || st.Unauthorized != 0 {
		t.Fatalf("the sandbox saw %+v", st)
	}

	dir := t.TempDir()
	out, err = runMake(t, append(env, "PARTNER_CENTER_REFRESH_TOKEN=sandbox-refresh-token-0", "RECORD_DIR="+dir), "MODE=record")
	if err != nil {
		t.Fatalf("make contract MODE=record failed: %v\n%s", err, out)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if len(files) != 1 {
		t.Fatalf("MODE=record wrote %v, want one cassette", files)
	}
	data, _ := os.ReadFile(files[0])
	// Bodies are read decoded too: go-yaml writes a string that starts with a BOM (the
	// sandbox's, as the service's) with every character escaped (\x7B...), so the file's
	// text alone would hide them.
	rec, err := cassette.Load(strings.TrimSuffix(files[0], ".yaml"))
	if err != nil {
		t.Fatalf("the recording does not load: %v", err)
	}
	text, boms := string(data), 0
	for _, in := range rec.Interactions {
		text += "\n" + in.Request.Body + "\n" + in.Response.Body
		if strings.HasPrefix(in.Response.Body, "\xEF\xBB\xBF") {
			boms++
		}
	}
	for _, secret := range []string{"sbx-access.", "sbx-refresh.", "sandbox-refresh-token", "sandbox-app-password", "Authorization", "oauth2"} {
		if strings.Contains(text, secret) {
			t.Fatalf("the recording holds %q", secret)
		}
	}
	// The second activation answered 400 800041: documented, and recorded.
	if !strings.Contains(text, "800041") {
		t.Fatalf("the recording lacks the already-activated answer:\n%s", data)
	}
	// The sandbox played the service's quirks, and the recording kept them byte for byte.
	if boms != len(rec.Interactions) {
		t.Fatalf("%d of %d recorded bodies start with the service's BOM", boms, len(rec.Interactions))
	}
	out, err = makeContract(t, "CASSETTES="+dir)
	if err != nil {
		t.Fatalf("the recording does not pass the gate: %v\n%s", err, out)
	}
}
