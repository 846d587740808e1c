package partnercenter

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"

	"github.com/google/uuid"

	"github.com/partnercenter-go/partnercenter/internal/guid"
)

// callIDs are one call's MS-RequestId and MS-CorrelationId.
type callIDs struct{ requestID, correlationID string }

// newCallIDs takes the ids the caller chose in the options, refusing any that is not a GUID,
// and draws new ones for the others.
func newCallIDs(operation, requestID, correlationID string) (callIDs, error) {
	if requestID != "" && !guid.Valid(requestID) {
		return callIDs{}, &ArgumentError{operation, "options.RequestID", requestID, guidReason}
	}
	if correlationID != "" && !guid.Valid(correlationID) {
		return callIDs{}, &ArgumentError{operation, "options.CorrelationID", correlationID, guidReason}
	}
	return callIDs{orNewGUID(requestID), orNewGUID(correlationID)}, nil
}

func orNewGUID(id string) string {
	if id != "" {
		return id
	}
	return uuid.NewString()
}

// echoed returns the ids as the response echoed them, else as sent.
func (ids callIDs) echoed(h http.Header) callIDs {
	if v := h.Get(headerRequestID); v != "" {
		ids.requestID = v
	}
	if v := h.Get(headerCorrelationID); v != "" {
		ids.correlationID = v
	}
	return ids
}

// call runs one operation, as Azure's generated clients do: build the request (with the
// generated builder, which follows openapi.yaml's paths and escaping), set the call's ids
// before the pipeline (so that every retry carries the same MS-RequestId), send it through the
// pipeline, check the status and decode the body, once, into v by the contract gate's rules
// (decode.go). It returns the ids as echoed.
func (c *Client) call(ctx context.Context, operation string, ids callIDs, build func(server string) (*http.Request, error), v any) (callIDs, error) {
	req, err := build(c.server)
	if err != nil {
		return callIDs{}, fmt.Errorf("partnercenter: %s: build the request: %w", operation, err)
	}
	req = req.WithContext(ctx)
	req.Header.Set(headerRequestID, ids.requestID)
	req.Header.Set(headerCorrelationID, ids.correlationID)
	resp, body, err := c.send(req)
	switch {
	case err != nil && resp != nil: // an answer that failed on the way in: a body past the bound
		return callIDs{}, newError(operation, resp, body, err)
	case err != nil:
		return callIDs{}, fmt.Errorf("partnercenter: %s: %w", operation, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return callIDs{}, newError(operation, resp, body, nil)
	}
	if err := decodeSuccess(resp, body, v); err != nil {
		if isErrorBody(resp.Header, body) {
			// A success status with a Partner Center error body (200 400072): the service's
			// refusal, not a malformed answer.
			return callIDs{}, newError(operation, resp, body, nil)
		}
		return callIDs{}, newError(operation, resp, body, err)
	}
	return ids.echoed(resp.Header), nil
}

const guidReason = "must be a GUID: 8-4-4-4-12 hex digits (not necessarily an RFC 4122 UUID)"

func checkGUID(operation, name, value string) error {
	if !guid.Valid(value) {
		return &ArgumentError{operation, name, value, guidReason}
	}
	return nil
}

// checkOrderID accepts any non-empty id (order ids are not always GUIDs); the generated request
// builder path-escapes it. "." and ".." are refused: a proxy that normalizes paths would send
// the call to another resource.
func checkOrderID(operation, value string) error {
	switch value {
	case "":
		return &ArgumentError{operation, "orderID", value, "must not be empty"}
	case ".", "..":
		return &ArgumentError{operation, "orderID", value, "must not be a dot segment"}
	}
	return nil
}

func checkLineItemNumber(operation string, n int) error {
	if n < 0 || n > math.MaxInt32 {
		return &ArgumentError{operation, "lineItemNumber", strconv.Itoa(n), "must be from 0 to 2147483647"}
	}
	return nil
}

func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
