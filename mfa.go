package partnercenter

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/partnercenter-go/partnercenter/internal/authchallenge"
)

// ErrMFARequired is matched by errors.Is when Partner Center refused an App+User call because
// the user's sign-in was not verified with multi-factor authentication. It comes in each of the
// forms Microsoft and its users published:
//
//   - 401 with error code 900421, the 2025-2026 enforcement
//     (https://learn.microsoft.com/partner-center/security/partner-security-requirements-mandating-mfa);
//   - 401 with code 10001, "Authentication failed. MFA required. (10001)", and no JSON body
//     (https://github.com/microsoft/Partner-Center-DotNet-Samples/issues/59,
//     https://github.com/microsoft/Partner-Center-PowerShell/issues/331,
//     https://github.com/microsoft/BCTech/issues/34);
//   - an empty 401 whose reason phrase says so, "HTTP/1.1 401 Unauthorized - MFA required",
//     WWW-Authenticate: Bearer error="invalid_token" (the same Microsoft page, 2019).
//
// The client never retries it: a new token from the same sign-in lacks the MFA claim too.
// 900420 (a token for an audience Partner Center no longer accepts) is not this error.
var ErrMFARequired = errors.New("partnercenter: MFA required: App+User calls need a token from a sign-in " +
	"verified with multi-factor authentication; sign in again with MFA and use that sign-in's refresh token")

// Error codes of an MFA refusal.
const (
	CodeMFARequired       ErrorCode = "900421" // 401: the token lacks the MFA claim (2025-2026 enforcement)
	CodeMFARequiredLegacy ErrorCode = "10001"  // 401: "Authentication failed. MFA required. (10001)" (2020)
)

// Is reports whether the error is one of the kinds this package names: ErrMFARequired.
func (e *Error) Is(target error) bool {
	return target == ErrMFARequired && mfaRefusal(e.StatusCode, e.ReasonPhrase, e.Code, e.Description)
}

// mfaRefusal recognises an MFA refusal by its code, or by its words when it has no code (the
// reason phrase of the 2019 answer, the description of the 2020 one).
func mfaRefusal(status int, reasonPhrase string, code ErrorCode, description string) bool {
	if status != http.StatusUnauthorized {
		return false
	}
	switch code {
	case CodeMFARequired, CodeMFARequiredLegacy:
		return true
	case "":
		return saysMFARequired(reasonPhrase) || saysMFARequired(description)
	}
	return false
}

func saysMFARequired(s string) bool {
	return strings.Contains(strings.ToLower(s), "mfa required")
}

// reasonPhrase is the response's reason phrase when it is not the standard one for its
// status ("Unauthorized - MFA required"), else "".
func reasonPhrase(resp *http.Response) string {
	phrase := strings.TrimSpace(strings.TrimPrefix(resp.Status, strconv.Itoa(resp.StatusCode)))
	if phrase == http.StatusText(resp.StatusCode) {
		return ""
	}
	return phrase
}

// challengeError is the error parameter of the response's first challenge that has one
// (WWW-Authenticate: Bearer error="invalid_token"), read by the project's one challenge reader.
func challengeError(h http.Header) string {
	for _, v := range h.Values("WWW-Authenticate") {
		for _, c := range authchallenge.Parse(v) {
			if e, ok := c.Param("error"); ok {
				return e
			}
		}
	}
	return ""
}
