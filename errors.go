package partnercenter

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/partnercenter-go/partnercenter/internal/redact"
)

// Partner Center error codes worth naming (error-codes page; partner-center-facts.md, Errors).
// Error.Code is always a string, whether the body had a number or a string.
const (
	CodeAlreadyActivated      = "800041" // 400: the item is already activated
	CodeLineItemOutOfRange    = "800071" // 400: line item number out of range
	CodeInvalidInput          = "800002" // 400: invalid request input
	CodeOrderNotFound         = "20000"  // 404
	CodeSubscriptionNotFound  = "20003"  // 404
	CodeNoCommerceRelation    = "20002"  // 403: no commerce relationship with the customer
	CodeOrderInProgress       = "800060" // 409
	CodeCartInProgress        = "800064" // 409
	CodeAudienceNotSupported  = "900420" // 401: token audience no longer supported
	CodeUnexpectedServiceFail = "800003" // 500
)

// Error is a Partner Center answer that is not a success: every non-2xx status, and a 2xx
// whose body does not decode (then Unwrap returns the decoding error). Find it with errors.As.
type Error struct {
	// Operation is the operationId of openapi.yaml, e.g. "ActivateSubscription".
	Operation  string
	StatusCode int
	// Code is the Partner Center error code as a string ("800041"); for the gateway's 429
	// body it is the body's statusCode ("429"). Empty when the body had none.
	Code        string
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

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "partnercenter: %s: %d %s", e.Operation, e.StatusCode, http.StatusText(e.StatusCode))
	if e.err != nil {
		fmt.Fprintf(&b, ": malformed response body (%s): %v", describeBody(e.ContentType, e.RawBody), e.err)
	} else {
		if e.Code != "" {
			fmt.Fprintf(&b, ": code %s", e.Code)
		}
		if e.Description != "" {
			fmt.Fprintf(&b, ": %s", redactSecrets(e.Description))
		} else {
			fmt.Fprintf(&b, " (%s)", describeBody(e.ContentType, e.RawBody))
		}
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, "; retry after %s", e.RetryAfter)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [request id %s]", e.RequestID)
	}
	return b.String()
}

// Unwrap returns the decoding error of a 2xx whose body did not decode, else nil.
func (e *Error) Unwrap() error { return e.err }

func describeBody(contentType string, body []byte) string {
	switch {
	case len(body) == 0:
		return "empty body"
	case contentType == "":
		return fmt.Sprintf("%d-byte body without Content-Type", len(body))
	default:
		return fmt.Sprintf("%d-byte %s body", len(body), contentType)
	}
}

// errorBody is the union of the Partner Center error body and the gateway's 429 body.
type errorBody struct {
	Code        json.RawMessage `json:"code"`
	Description string          `json:"description"`
	Source      string          `json:"source"`
	Message     string          `json:"message"`
	StatusCode  json.Number     `json:"statusCode"`
}

// newError builds the *Error of a response; decodeErr is set for a 2xx that did not decode.
func newError(operation string, resp *http.Response, body []byte, decodeErr error) *Error {
	e := &Error{
		Operation:     operation,
		StatusCode:    resp.StatusCode,
		RequestID:     resp.Header.Get(headerRequestID),
		CorrelationID: resp.Header.Get(headerCorrelationID),
		RetryAfter:    parseRetryAfter(resp.Header.Get(headerRetryAfter), time.Now()),
		RawBody:       bytes.Clone(body[:min(len(body), maxRawErrorBodyBytes)]),
		err:           decodeErr,
	}
	e.ContentType, _, _ = mime.ParseMediaType(resp.Header.Get("Content-Type"))
	// A 2xx that did not decode may still carry an error body (a 200 with
	// {"code":800041,...}): its code and description are kept too.
	if !isJSONMediaType(resp.Header.Get("Content-Type")) {
		return e
	}
	var eb errorBody
	if json.Unmarshal(body, &eb) != nil {
		return e
	}
	e.Code = errorCode(eb.Code)
	if e.Code == "" {
		e.Code = eb.StatusCode.String()
	}
	e.Description, e.Source = eb.Description, eb.Source
	if e.Description == "" {
		e.Description = eb.Message
	}
	return e
}

// errorCode renders the code as a string whether the body had a number or a string.
func errorCode(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

// redactSecrets keeps bearer tokens, JWTs and OAuth2 fields that a server might echo out of
// error messages (internal/redact, the project's one redaction).
func redactSecrets(s string) string { return redact.String(s) }

// ArgumentError reports a call argument that was refused before anything was sent.
type ArgumentError struct {
	Operation string
	Name      string // the argument's name, e.g. "customerID"
	Value     string // the refused value, quoted in Error
	Reason    string
}

func (e *ArgumentError) Error() string {
	v := e.Value
	if len(v) > 100 {
		v = v[:100] + "..."
	}
	return fmt.Sprintf("partnercenter: %s: invalid %s %q: %s; nothing was sent", e.Operation, e.Name, v, e.Reason)
}
