package partnercenter

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/partnercenter-go/partnercenter/internal/mediatype"
	"github.com/partnercenter-go/partnercenter/internal/redact"
)

// ErrorCode is a Partner Center error code, in decimal, whether the body had it as a JSON
// number (800041) or a string ("900420"); for the gateway's 429 body it is the body's
// statusCode ("429"). Compare it with the Code* constants.
type ErrorCode string

// Partner Center error codes worth naming
// (https://learn.microsoft.com/partner-center/developer/error-codes).
const (
	CodeAlreadyActivated      ErrorCode = "800041" // 400: the item is already activated
	CodeLineItemOutOfRange    ErrorCode = "800071" // 400: line item number out of range
	CodeInvalidInput          ErrorCode = "800002" // 400: invalid request input
	CodeOrderNotFound         ErrorCode = "20000"  // 404
	CodeSubscriptionNotFound  ErrorCode = "20003"  // 404
	CodeNoCommerceRelation    ErrorCode = "20002"  // 403: no commerce relationship with the customer
	CodeRoleWithoutRights     ErrorCode = "900150" // 403: the caller's role lacks the rights
	CodeNonSandboxTenant      ErrorCode = "800019" // 403: a sandbox-only operation by a production tenant (activation: docs/spec-decisions.md)
	CodeOrderInProgress       ErrorCode = "800060" // 409
	CodeCartInProgress        ErrorCode = "800064" // 409
	CodeAudienceNotSupported  ErrorCode = "900420" // 401: token audience no longer supported
	CodeUnexpectedServiceFail ErrorCode = "800003" // 500
)

// Error is a Partner Center answer that is not a success: every non-2xx status, a 2xx that
// carries a Partner Center error body instead of the model (the error-codes page lists "OK 200
// 400072 This item isn't available": Code and Description are the body's, Unwrap is nil), and a
// 2xx whose body does not decode (then Unwrap returns the decoding error). A 3xx is never followed:
// it unwraps to ErrRedirectRefused and Error names where it pointed. A body longer than
// ClientOptions.MaxResponseBodyBytes unwraps to ErrResponseTooLarge. Find it with errors.As.
//
// The fields hold what the server sent; Error() masks credentials in everything it prints
// (internal/redact) and bounds each printed field's length.
type Error struct {
	// Operation is the operationId of openapi.yaml, e.g. "ActivateSubscription".
	Operation  string
	StatusCode int
	// ReasonPhrase is the status line's reason phrase when the server sent one that is not the
	// standard one: "Unauthorized - MFA required" is the only signal of Microsoft's documented
	// MFA refusal, which has no body. Empty for a standard phrase.
	ReasonPhrase string
	// ChallengeError is the error parameter of the response's WWW-Authenticate challenge
	// (RFC 6750: "invalid_token", "insufficient_scope"), empty when there is none.
	ChallengeError string
	// Code is the Partner Center error code ("800041"); for the gateway's 429 body it is the
	// body's statusCode ("429"). Empty when the body had none.
	Code        ErrorCode
	Description string
	Source      string
	// RequestID and CorrelationID are the response's MS-RequestId and MS-CorrelationId: quote
	// them to Microsoft support.
	RequestID     string
	CorrelationID string
	// RetryAfter is the response's Retry-After (seconds or HTTP date), 0 when absent.
	RetryAfter time.Duration
	// ContentType is the response's media type.
	ContentType string
	// RawBody is the response body, at most 64 KiB of it.
	RawBody []byte

	err error
}

// Lengths at which printed fields are cut (redact.Bounded): a hostile server must not be able
// to make an error message megabytes long.
const (
	maxPrintedCode = 64
	maxPrintedID   = 128
	maxPrintedHost = 256
	maxPrintedText = 1024
)

func (e *Error) Error() string {
	var b strings.Builder
	status := http.StatusText(e.StatusCode)
	if e.ReasonPhrase != "" {
		status = redact.Bounded(e.ReasonPhrase, maxPrintedCode)
	}
	fmt.Fprintf(&b, "partnercenter: %s: %d %s", redact.Bounded(e.Operation, maxPrintedID), e.StatusCode, status)
	var redirect *redirectError
	var tooLarge *tooLargeError
	switch {
	case errors.As(e.err, &redirect), errors.As(e.err, &tooLarge):
		fmt.Fprintf(&b, ": %s", e.err) // the client's own words; the redirect's host is bounded and redacted
	case e.err != nil:
		fmt.Fprintf(&b, ": malformed response body (%s): %s", describeBody(e.ContentType, e.RawBody), redact.Bounded(e.err.Error(), maxPrintedText))
	default:
		if e.Code != "" {
			fmt.Fprintf(&b, ": code %s", redact.Bounded(string(e.Code), maxPrintedCode))
		}
		if e.Description != "" {
			fmt.Fprintf(&b, ": %s", redact.Bounded(e.Description, maxPrintedText))
		} else {
			fmt.Fprintf(&b, " (%s)", describeBody(e.ContentType, e.RawBody))
		}
	}
	if e.ChallengeError != "" {
		fmt.Fprintf(&b, " (WWW-Authenticate error %q)", redact.Bounded(e.ChallengeError, maxPrintedCode))
	}
	if errors.Is(e, ErrMFARequired) {
		b.WriteString("; " + strings.TrimPrefix(ErrMFARequired.Error(), "partnercenter: "))
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, "; retry after %s", e.RetryAfter)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [request id %s]", redact.Bounded(e.RequestID, maxPrintedID))
	}
	return b.String()
}

// Unwrap returns the decoding error of a 2xx whose body did not decode, an error that is
// ErrRedirectRefused or ErrResponseTooLarge, else nil.
func (e *Error) Unwrap() error { return e.err }

func describeBody(contentType string, body []byte) string {
	switch {
	case len(body) == 0:
		return "empty body"
	case contentType == "":
		return fmt.Sprintf("%d-byte body without Content-Type", len(body))
	default:
		return fmt.Sprintf("%d-byte %s body", len(body), redact.Bounded(contentType, maxPrintedCode))
	}
}

// errorBody is the union of the Partner Center error body and the gateway's 429 body.
type errorBody struct {
	Code        json.RawMessage `json:"code"`
	Description string          `json:"description"`
	Source      string          `json:"source"`
	Message     string          `json:"message"`
	StatusCode  json.RawMessage `json:"statusCode"` // a number, or a string: any value must not spoil the rest
}

// newError builds the *Error of a response; cause is set for a 2xx that did not decode, and
// for a body past the bound.
func newError(operation string, resp *http.Response, body []byte, cause error) *Error {
	e := &Error{
		Operation:      operation,
		StatusCode:     resp.StatusCode,
		ReasonPhrase:   reasonPhrase(resp),
		ChallengeError: challengeError(resp.Header),
		RequestID:      resp.Header.Get(headerRequestID),
		CorrelationID:  resp.Header.Get(headerCorrelationID),
		RetryAfter:     parseRetryAfter(resp.Header.Get(headerRetryAfter), time.Now()),
		RawBody:        bytes.Clone(body[:min(len(body), maxRawErrorBodyBytes)]),
		err:            cause,
	}
	if resp.Request != nil { // not echoed: the ids as sent, which support can look up as well
		if e.RequestID == "" {
			e.RequestID = resp.Request.Header.Get(headerRequestID)
		}
		if e.CorrelationID == "" {
			e.CorrelationID = resp.Request.Header.Get(headerCorrelationID)
		}
	}
	e.ContentType, _, _ = mime.ParseMediaType(resp.Header.Get("Content-Type"))
	// Every 3xx is refused, with or without a Location (a 300 or 304 has none): the API
	// answers none of them, so errors.Is(err, ErrRedirectRefused) flags a proxy either way.
	if cause == nil && resp.StatusCode >= 300 && resp.StatusCode <= 399 {
		var base *url.URL
		if resp.Request != nil {
			base = resp.Request.URL
		}
		e.err = &redirectError{target: redirectTarget(base, resp.Header.Get("Location"))}
	}
	// A 2xx that did not decode may still carry an error body (a 200 with
	// {"code":800041,...}): its code and description are kept too.
	if !mediatype.HoldsJSON(resp.Header.Get("Content-Type")) {
		return e
	}
	var eb errorBody
	if json.Unmarshal(body, &eb) != nil {
		return e
	}
	e.Code = errorCode(eb.Code)
	if e.Code == "" {
		e.Code = errorCode(eb.StatusCode)
	}
	e.Description, e.Source = eb.Description, eb.Source
	if e.Description == "" {
		e.Description = eb.Message
	}
	return e
}

// isErrorBody reports whether a JSON body is a Partner Center error body: a code and a
// description.
func isErrorBody(h http.Header, body []byte) bool {
	if !mediatype.HoldsJSON(h.Get("Content-Type")) {
		return false
	}
	var eb errorBody
	return json.Unmarshal(body, &eb) == nil && errorCode(eb.Code) != "" && eb.Description != ""
}

// errorCode renders the code as a string whether the body had a number or a string.
func errorCode(raw json.RawMessage) ErrorCode {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return ErrorCode(s)
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return ErrorCode(n.String())
	}
	return ""
}

// ArgumentError reports a call argument that was refused before anything was sent.
type ArgumentError struct {
	Operation string
	Name      string // the argument's name, e.g. "customerID"
	Value     string // the refused value, quoted in Error
	Reason    string
}

// Error quotes Value with credentials masked and cut to 100 bytes: a token passed as an id
// by mistake must not reach a log.
func (e *ArgumentError) Error() string {
	return fmt.Sprintf("partnercenter: %s: invalid %s %q: %s; nothing was sent",
		redact.Bounded(e.Operation, maxPrintedID), redact.Bounded(e.Name, maxPrintedID),
		redact.Bounded(e.Value, 100), redact.Bounded(e.Reason, maxPrintedText))
}
