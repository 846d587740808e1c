package sandbox_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/partnercenter-go/partnercenter"
	"github.com/partnercenter-go/partnercenter/sandbox"
)

const (
	scenarioCustomer = "19191919-0000-4000-8000-000000000000"
	plainScenarioSub = "19191919-0000-4000-8000-000000000006" // no scenario: the control
)

// Each scenario of the default seed, through partnercenter.Client over HTTPS: the answer the
// real service gave in its published form, as the client reads it. The control: the same
// customer's subscription without a scenario answers as usual.
func TestScenariosOfTheDefaultSeed(t *testing.T) {
	sb := start(t, sandbox.Options{})
	c, err := partnercenter.NewClient(sb.MustCredential(t), sb.ClientOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		sub    string
		status int
		code   partnercenter.ErrorCode
		reason string
		mfa    bool
	}{
		{"19191919-0000-4000-8000-000000000001", 401, "", "Unauthorized - MFA required", true},
		{"19191919-0000-4000-8000-000000000002", 401, "", "Authentication failed. MFA required. (10001)", true},
		{"19191919-0000-4000-8000-000000000003", 401, partnercenter.CodeMFARequired, "", true},
		{"19191919-0000-4000-8000-000000000004", 401, partnercenter.CodeAudienceNotSupported, "", false},
		{"19191919-0000-4000-8000-000000000005", 403, "", "The supplied role does not have the rights to perform the requested operation.", false},
	} {
		_, err := c.GetSubscriptionActivationLinks(ctx, scenarioCustomer, tc.sub, nil)
		var pe *partnercenter.Error
		if !errors.As(err, &pe) || pe.StatusCode != tc.status || pe.Code != tc.code || pe.ReasonPhrase != tc.reason {
			t.Errorf("%s: want %d %q %q, got %v", tc.sub, tc.status, tc.code, tc.reason, err)
			continue
		}
		if errors.Is(err, partnercenter.ErrMFARequired) != tc.mfa {
			t.Errorf("%s: errors.Is(ErrMFARequired) = %v: %v", tc.sub, !tc.mfa, err)
		}
	}
	if _, err := c.GetSubscriptionActivationLinks(ctx, scenarioCustomer, plainScenarioSub, nil); err != nil {
		t.Errorf("control: %v", err)
	}

	// 200 with 400072: an *Error with that code.
	_, err = c.GetOrderActivationLinks(ctx, scenarioCustomer, "item-unavailable", nil)
	var pe *partnercenter.Error
	if !errors.As(err, &pe) || pe.StatusCode != 200 || pe.Code != "400072" {
		t.Errorf("item-unavailable: %v", err)
	}
	// Right after checkout: 404 twice, then the order.
	for i := range 2 {
		_, err = c.GetOrderActivationLinks(ctx, scenarioCustomer, "not-yet-visible", nil)
		if !errors.As(err, &pe) || pe.StatusCode != 404 || pe.Code != partnercenter.CodeOrderNotFound {
			t.Errorf("not-yet-visible, call %d: %v", i+1, err)
		}
	}
	if links, err := c.GetOrderActivationLinks(ctx, scenarioCustomer, "not-yet-visible", nil); err != nil || links.TotalCount != 1 {
		t.Errorf("not-yet-visible, call 3: %v", err)
	}
}

// With RequireMFA, an App+User token from a sign-in without MFA is refused with 900421, once
// (never retried); one from an MFA-verified sign-in and an App-only token pass. Without it
// (the control) the token without MFA passes too.
func TestRequireMFA(t *testing.T) {
	for _, require := range []bool{true, false} {
		sb := start(t, sandbox.Options{RequireMFA: require})
		call := func(refreshToken string) error {
			cred, err := sb.RefreshTokenCredential(sandboxTenant, "sandbox-app", refreshToken, nil)
			if err != nil {
				t.Fatal(err)
			}
			c, err := partnercenter.NewClient(cred, sb.ClientOptions())
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.GetOrderActivationLinks(context.Background(), customer, order, nil)
			return err
		}
		before := sb.Stats().Requests
		err := call("sandbox-refresh-token-without-mfa")
		if got := errors.Is(err, partnercenter.ErrMFARequired); got != require {
			t.Errorf("RequireMFA %v: a token without MFA: %v", require, err)
		}
		if n := sb.Stats().Requests - before; require && n != 1 {
			t.Errorf("the MFA refusal was sent %d times", n)
		}
		if err := call("sandbox-refresh-token-0"); err != nil {
			t.Errorf("RequireMFA %v: a token from an MFA sign-in: %v", require, err)
		}
		c, _ := partnercenter.NewClient(sb.MustCredential(t), sb.ClientOptions())
		if _, err := c.GetOrderActivationLinks(ctx, customer, order, nil); err != nil {
			t.Errorf("RequireMFA %v: App-only: %v", require, err)
		}
	}
}

// A seed naming an unknown scenario is refused, naming the field and the known names.
func TestSeedScenarioIsChecked(t *testing.T) {
	seed := "partners:\n  - tenantId: " + sandboxTenant + "\n    integrationSandbox: true\n    customers:\n      - id: " + customer +
		"\n        subscriptions:\n          - id: " + subA + "\n            saas: true\n            scenario: mfa-requierd\n"
	_, err := sandbox.ParseSeed([]byte(seed), "bad.yaml")
	if err == nil || !strings.Contains(err.Error(), `partners[0].customers[0].subscriptions[0].scenario "mfa-requierd" is not a scenario`) || !strings.Contains(err.Error(), "mfa-required-900421") {
		t.Errorf("%v", err)
	}
	if _, err := sandbox.ParseSeed([]byte(strings.Replace(seed, "mfa-requierd", "mfa-required", 1)), "good.yaml"); err != nil {
		t.Errorf("control: %v", err)
	}
}

// The default seed uses every scenario, so that TestScenariosOfTheDefaultSeed and the
// command's tests can reach each one.
func TestDefaultSeedUsesEveryScenario(t *testing.T) {
	used := map[string]bool{}
	for _, p := range sandbox.DefaultSeed().Partners {
		for _, c := range p.Customers {
			for _, s := range c.Subscriptions {
				used[s.Scenario] = true
			}
			for _, o := range c.Orders {
				used[o.Scenario] = true
			}
		}
	}
	for name := range sandbox.Scenarios() {
		if !used[name] {
			t.Errorf("the default seed does not use the scenario %s", name)
		}
	}
}
