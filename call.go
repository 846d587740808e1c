package partnercenter

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/partnercenter-go/partnercenter/internal/guid"
)

// call runs one operation: it checks the context's ids, sends through the generated client,
// and turns what came back into a result or an error (never both nil).
func call[T any](ctx context.Context, operation string, send func(context.Context) (*T, error)) (*T, error) {
	if id := idFrom(ctx, requestIDKey); id != "" && !guid.Valid(id) {
		return nil, &ArgumentError{operation, "MS-RequestId (WithRequestID)", id, guidReason}
	}
	if id := idFrom(ctx, correlationIDKey); id != "" && !guid.Valid(id) {
		return nil, &ArgumentError{operation, "MS-CorrelationId (WithCorrelationID)", id, guidReason}
	}
	ex := &exchange{}
	v, err := send(context.WithValue(ctx, exchangeKey, ex))
	if ex.resp == nil {
		if err == nil {
			err = errors.New("no response")
		}
		return nil, fmt.Errorf("partnercenter: %s: %w", operation, err)
	}
	if ex.resp.StatusCode < 200 || ex.resp.StatusCode > 299 {
		return nil, newError(operation, ex.resp, ex.body, nil)
	}
	if err == nil && v == nil {
		err = fmt.Errorf("no JSON body to decode (Content-Type %q)", ex.resp.Header.Get("Content-Type"))
	}
	if err != nil {
		return nil, newError(operation, ex.resp, ex.body, err)
	}
	return v, nil
}

const guidReason = "must be a GUID: 8-4-4-4-12 hex digits (not necessarily an RFC 4122 UUID)"

func checkGUID(operation, name, value string) error {
	if !guid.Valid(value) {
		return &ArgumentError{operation, name, value, guidReason}
	}
	return nil
}

// checkOrderID accepts any non-empty id (order ids are not always GUIDs); the generated client
// path-escapes it. "." and ".." are refused: a proxy that normalizes paths would send the
// call to another resource.
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
