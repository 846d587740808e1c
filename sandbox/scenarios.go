package sandbox

import (
	"fmt"
	"maps"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Scenarios returns the scenario names a seed may use, each with what it answers: per-id
// answers the real service has been seen to give, played when a seed marks a subscription or
// an order with one (`scenario: mfa-required`). Every call that names that subscription or
// order gets it, after authentication and validation, before the operation runs.
func Scenarios() map[string]string { return maps.Clone(scenarioAnswers) }

// scenarioAnswers: each is built from a published source, named beside it.
var scenarioAnswers = map[string]string{
	// https://learn.microsoft.com/partner-center/security/partner-security-requirements-mandating-mfa (2019)
	ScenarioMFARequired: `401 "Unauthorized - MFA required", WWW-Authenticate: Bearer error="invalid_token", no body`,
	// https://github.com/microsoft/Partner-Center-DotNet-Samples/issues/59 (2020)
	ScenarioMFARequired10001: `401 "Authentication failed. MFA required. (10001)", no body`,
	// The 2025-2026 enforcement: 401 with code 900421 (no body published; the classic envelope)
	ScenarioMFARequired900421: `401 {"code":"900421",...}`,
	// https://github.com/microsoft/Partner-Center-DotNet-Samples/issues/140
	ScenarioAudienceRefused: `401 {"code":"900420",...}`,
	// https://github.com/PartnerCenterSamples/Partner-Center-SDK-Samples/issues/35
	ScenarioRoleWithoutRights: `403 "The supplied role does not have the rights to perform the requested operation.", no body`,
	// https://learn.microsoft.com/partner-center/developer/error-codes ("OK | 200 | 400072")
	ScenarioItemUnavailable: `200 {"code":400072,"description":"This item isn't available.",...}`,
	// https://learn.microsoft.com/partner-center/developer/get-all-of-a-customer-s-orders (up to 15 minutes)
	ScenarioNotYetVisible: `404 {"code":20000,...} for the first 2 calls, as right after checkout; then the usual answer`,
}

// The scenario names a seed may use.
const (
	ScenarioMFARequired       = "mfa-required"
	ScenarioMFARequired10001  = "mfa-required-10001"
	ScenarioMFARequired900421 = "mfa-required-900421"
	ScenarioAudienceRefused   = "audience-refused"
	ScenarioRoleWithoutRights = "role-without-rights"
	ScenarioItemUnavailable   = "item-unavailable"
	ScenarioNotYetVisible     = "not-yet-visible"
)

// notYetVisibleCalls is how many calls a not-yet-visible order answers 404 before it appears.
const notYetVisibleCalls = 2

// scenarioNames lists the names, sorted, for error messages.
func scenarioNames() string {
	names := make([]string, 0, len(scenarioAnswers))
	for n := range scenarioAnswers {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func checkScenario(field, name string) error {
	if name == "" || scenarioAnswers[name] != "" {
		return nil
	}
	return fmt.Errorf("%s %q is not a scenario (one of %s)", field, name, scenarioNames())
}

// scenarios plays the seed's per-id scenarios.
type scenarios struct {
	byID  map[string]string // lower-case subscription id or order id -> scenario
	mu    sync.Mutex
	calls map[string]int // id -> calls seen, for not-yet-visible
}

func newScenarios(seed *Seed) *scenarios {
	s := &scenarios{byID: map[string]string{}, calls: map[string]int{}}
	for _, p := range seed.Partners {
		for _, c := range p.Customers {
			for _, sub := range c.Subscriptions {
				if sub.Scenario != "" {
					s.byID[strings.ToLower(sub.ID)] = sub.Scenario
				}
			}
			for _, o := range c.Orders {
				if o.Scenario != "" {
					s.byID[strings.ToLower(o.ID)] = o.Scenario
				}
			}
		}
	}
	return s
}

// play answers r with its scenario, if the subscription or order it names has one, and
// reports whether it did.
func (s *scenarios) play(w http.ResponseWriter, r *http.Request) bool {
	if s == nil || len(s.byID) == 0 {
		return false
	}
	id := scenarioID(r.URL.Path)
	name := s.byID[strings.ToLower(id)]
	switch name {
	case "":
		return false
	case ScenarioMFARequired:
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		writeWithReason(w, http.StatusUnauthorized, "Unauthorized - MFA required")
	case ScenarioMFARequired10001:
		writeWithReason(w, http.StatusUnauthorized, "Authentication failed. MFA required. (10001)")
	case ScenarioMFARequired900421:
		writeErrorCode(w, http.StatusUnauthorized, "900421", "Multi-factor authentication is required for this App+User call.")
	case ScenarioAudienceRefused:
		writeErrorCode(w, http.StatusUnauthorized, "900420", "The audience 'https://graph.windows.net' in the token is invalid and is no longer supported in Partner Center API.")
	case ScenarioRoleWithoutRights:
		writeWithReason(w, http.StatusForbidden, "The supplied role does not have the rights to perform the requested operation.")
	case ScenarioItemUnavailable:
		writeError(w, http.StatusOK, 400072, "This item isn't available.")
	case ScenarioNotYetVisible:
		s.mu.Lock()
		s.calls[id]++
		n := s.calls[id]
		s.mu.Unlock()
		if n > notYetVisibleCalls {
			return false
		}
		writeError(w, http.StatusNotFound, codeOrderNotFound, "Order ID not found")
	default:
		return false // a name the seed check let through but nothing plays: the usual answer
	}
	return true
}

// scenarioID is the order or subscription id an API path names ("" when none).
func scenarioID(path string) string {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	for i := 0; i+1 < len(parts); i++ {
		if parts[i] == "orders" || parts[i] == "subscriptions" {
			return parts[i+1]
		}
	}
	return ""
}

// writeErrorCode writes the error envelope with a string code, as the 900420 and 900421
// answers have it.
func writeErrorCode(w http.ResponseWriter, status int, code, description string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"code":%s,"description":%s,"data":[],"source":"PartnerFD"}`, strconv.Quote(code), strconv.Quote(description))
}

// writeWithReason answers with no body and a reason phrase of the service's own, which
// net/http's server cannot send: on the raw HTTP/1.1 connection (the sandbox serves no
// HTTP/2). Where the connection cannot be taken over, the status goes without the phrase.
func writeWithReason(w http.ResponseWriter, status int, reason string) {
	h := w.Header().Clone()
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(status)
		return
	}
	defer conn.Close()
	h.Set("Content-Length", "0")
	h.Set("Connection", "close")
	fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\n", status, reason)
	h.Write(buf)
	buf.WriteString("\r\n")
	buf.Flush()
}
