package main

import (
	"strings"
	"testing"

	"github.com/partnercenter-go/partnercenter/sandbox"
)

const (
	scenarioCustomer = "19191919-0000-4000-8000-000000000000" // the default seed's scenarios
	mfaScenarioSub   = "19191919-0000-4000-8000-000000000001" // mfa-required: the 2019 empty 401
)

// An MFA refusal, from the sandbox with --require-mfa and an App+User token without MFA,
// and in the 2019 form of the MFA page (a scenario), ends with a sentence naming what to set;
// it is sent once. The control: the same call with a token from an MFA sign-in succeeds.
func TestMFARefusalHint(t *testing.T) {
	t.Parallel()
	const hint = "set PARTNER_CENTER_REFRESH_TOKEN to the refresh token of a sign-in verified with MFA"
	sb := sandbox.Start(t, sandbox.Options{RequireMFA: true})
	appUser := func(refreshToken string) []string {
		var out []string
		for _, kv := range env(t, sb) {
			if !strings.HasPrefix(kv, "AZURE_CLIENT_SECRET=") {
				out = append(out, kv)
			}
		}
		return append(out, "PARTNER_CENTER_REFRESH_TOKEN="+refreshToken)
	}
	before := sb.Stats().Requests
	r := runCLI(t, appUser("sandbox-refresh-token-without-mfa"), "--endpoint", sb.URL, "links", "--customer", customer, "--order", order)
	if r.code != 1 || !strings.Contains(r.stderr, "code 900421") || !strings.Contains(r.stderr, hint) {
		t.Fatalf("exit %d:\n%s", r.code, r.stderr)
	}
	if n := sb.Stats().Requests - before; n != 1 {
		t.Errorf("the refused call was sent %d times", n)
	}
	if r := runCLI(t, appUser("sandbox-refresh-token-0"), "--endpoint", sb.URL, "links", "--customer", customer, "--order", order); r.code != 0 {
		t.Errorf("control, a token from an MFA sign-in: exit %d:\n%s", r.code, r.stderr)
	}
	r = runCLI(t, env(t, sb), "--endpoint", sb.URL, "links", "--customer", scenarioCustomer, "--subscription", mfaScenarioSub)
	if r.code != 1 || !strings.Contains(r.stderr, "401 Unauthorized - MFA required") || !strings.Contains(r.stderr, hint) {
		t.Fatalf("the 2019 form: exit %d:\n%s", r.code, r.stderr)
	}
}

// A 404 for an order right after checkout (the not-yet-visible scenario: 404 twice, then the
// order) ends with the whole command to run again; run again, it works. The control: a 404
// for a subscription gets no such hint.
func TestNotYetVisibleOrderHint(t *testing.T) {
	t.Parallel()
	sb := sandbox.Start(t, sandbox.Options{})
	args := []string{"--endpoint", sb.URL, "links", "--customer", scenarioCustomer, "--order", "not-yet-visible"}
	// The command as it was run: the test binary's path, then the arguments as given.
	want := "up to 15 minutes to appear after checkout; if it was just placed, run again in a few minutes: " + binary + " " + strings.Join(args, " ")
	for i := range 2 {
		r := runCLI(t, env(t, sb), args...)
		if r.code != 1 || !strings.Contains(r.stderr, want) {
			t.Fatalf("run %d: exit %d:\n%s\nwant the hint %q", i+1, r.code, r.stderr, want)
		}
	}
	if r := runCLI(t, env(t, sb), args...); r.code != 0 {
		t.Errorf("run 3, after the order appeared: exit %d:\n%s", r.code, r.stderr)
	}
	r := runCLI(t, env(t, sb), "--endpoint", sb.URL, "links", "--customer", customer, "--subscription", "00000000-1111-2222-3333-444444444444")
	if r.code != 1 || strings.Contains(r.stderr, "15 minutes") {
		t.Errorf("control, a subscription not found: exit %d:\n%s", r.code, r.stderr)
	}
}
