package main

import (
	"errors"
	"net/http"

	"github.com/partnercenter-go/partnercenter"
	"github.com/partnercenter-go/partnercenter/internal/shell"
)

// serviceHint is what a user can do about a Partner Center refusal the command cannot fix by
// itself: a sentence naming the variable to change, or the whole command to run again. "" when
// there is nothing better to say than the error.
func (a *app) serviceHint(err error) string {
	var pcErr *partnercenter.Error
	if !errors.As(err, &pcErr) {
		return ""
	}
	switch {
	case errors.Is(err, partnercenter.ErrMFARequired):
		// https://learn.microsoft.com/partner-center/security/partner-security-requirements-mandating-mfa
		return "set PARTNER_CENTER_REFRESH_TOKEN to the refresh token of a sign-in verified with MFA, " +
			"or unset it to call with App-only credentials (AZURE_CLIENT_SECRET), which MFA does not affect"
	case pcErr.StatusCode == http.StatusNotFound && pcErr.Code == partnercenter.CodeOrderNotFound:
		// https://learn.microsoft.com/partner-center/developer/get-all-of-a-customer-s-orders
		return "a new order can take up to 15 minutes to appear after checkout; if it was just placed, run again in a few minutes: " +
			shell.Join(append([]string{programName}, a.args...))
	}
	return ""
}
