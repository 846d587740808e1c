// Package probe tries the spec's every promise against a running service: it generates
// positive, negative and stateful cases from openapi.yaml, sends them, and judges each answer.
// Each single exchange is judged by the contract gate's engine (contract.Validator), so the
// four conformance checks say what `partnercenter contract validate` says of the same exchange;
// the probe adds only the checks that need to know what a case meant to send
// (negative_data_rejection, positive_data_acceptance, ignored_auth, not_a_server_error) or that
// span several exchanges (idempotent_replay, activation_state_transition).
//
// Check names are Schemathesis's where it has one, so that its users know them.
package probe

import (
	"strings"

	"github.com/partnercenter-go/partnercenter/contract"
)

// Check names one property the probe verifies. The names are stable: the command's output,
// the Ginkgo suite, JSON lines, annotations and JUnit reports all use these constants.
type Check string

const (
	// NotAServerError: no case, valid or not, gets a 5xx.
	NotAServerError Check = "not_a_server_error"
	// StatusCodeConformance: the status is one the operation documents (engine).
	StatusCodeConformance Check = "status_code_conformance"
	// ContentTypeConformance: the Content-Type is one the status documents (engine).
	ContentTypeConformance Check = "content_type_conformance"
	// ResponseSchemaConformance: the body conforms to the documented schema (engine).
	ResponseSchemaConformance Check = "response_schema_conformance"
	// ResponseHeadersConformance: the documented response headers conform (engine).
	ResponseHeadersConformance Check = "response_headers_conformance"
	// NegativeDataRejection: a request that breaks a constraint of the spec gets a 4xx.
	NegativeDataRejection Check = "negative_data_rejection"
	// PositiveDataAcceptance: a request that conforms, with ids that exist, gets a 2xx.
	PositiveDataAcceptance Check = "positive_data_acceptance"
	// IgnoredAuth: a request with no token, or a garbage one, gets 401.
	IgnoredAuth Check = "ignored_auth"
	// IdempotentReplay: a request repeated with its MS-RequestId gets the first answer again
	// (the headers page: a retry with the same id is not acted on twice).
	IdempotentReplay Check = "idempotent_replay"
	// ActivationStateTransition: once a subscription is active, activating it again is refused
	// with the spec's "already activated" error (400, example alreadyActivated).
	ActivationStateTransition Check = "activation_state_transition"
)

// Checks are all the checks, in the order reports list them.
var Checks = []Check{
	NotAServerError, StatusCodeConformance, ContentTypeConformance, ResponseSchemaConformance,
	ResponseHeadersConformance, NegativeDataRejection, PositiveDataAcceptance, IgnoredAuth,
	IdempotentReplay, ActivationStateTransition,
}

// engineChecks maps the gate engine's finding pointers to the check they belong to: the one
// table between the engine's verdict and the Schemathesis names. Longer prefixes come first.
// Request findings (/request/...) are not in it: they judge the case the probe sent, which a
// negative case breaks on purpose.
var engineChecks = []struct {
	pointer string
	check   Check
}{
	{"/response/status", StatusCodeConformance},
	{"/response/header/Content-Type", ContentTypeConformance},
	{"/response/header", ResponseHeadersConformance},
	{"/response/body", ResponseSchemaConformance},
	{"/response", ResponseSchemaConformance},
}

// checkOf is the check an engine finding belongs to; false for findings about the request.
func checkOf(f contract.Finding) (Check, bool) {
	for _, e := range engineChecks {
		if f.Pointer == e.pointer || strings.HasPrefix(f.Pointer, e.pointer+"/") {
			return e.check, true
		}
	}
	return "", false
}
