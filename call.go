package partnercenter

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
)

// call runs one operation: it checks the context's ids, sends through the generated client,
// and turns what came back into a result or an error (never both nil).
func call[T any](ctx context.Context, operation string, send func(context.Context) (*T, error)) (*T, error) {
	if id := idFrom(ctx, requestIDKey); id != "" && !IsGUID(id) {
		return nil, &ArgumentError{operation, "MS-RequestId (WithRequestID)", id, guidReason}
	}
	if id := idFrom(ctx, correlationIDKey); id != "" && !IsGUID(id) {
		return nil, &ArgumentError{operation, "MS-CorrelationId (WithCorrelationID)", id, guidReason}
	}
	ex := &exchange{}
	// The generated client's decoding of a success is not used: it matches media types
	// case-sensitively and checks no required member. decodeSuccess applies the contract
	// gate's rules (decode.go) to the body the pipeline kept.
	_, err := send(context.WithValue(ctx, exchangeKey, ex))
	if ex.resp == nil {
		if err == nil {
			err = errors.New("no response")
		}
		return nil, fmt.Errorf("partnercenter: %s: %w", operation, err)
	}
	if ex.err != nil {
		return nil, newError(operation, ex.resp, ex.body, ex.err)
	}
	if ex.resp.StatusCode < 200 || ex.resp.StatusCode > 299 {
		return nil, newError(operation, ex.resp, ex.body, nil)
	}
	v, err := decodeSuccess[T](ex.resp, ex.body)
	if err != nil {
		return nil, newError(operation, ex.resp, ex.body, err)
	}
	return v, nil
}

const guidReason = "must be a GUID: 8-4-4-4-12 hex digits (not necessarily an RFC 4122 UUID)"

// IsGUID reports whether s has the id shape of openapi.yaml's HexGUID: 8-4-4-4-12 hex digits,
// with no version check, because real subscription ids such as
// 87363db7-39ab-dd25-d371-94340aaa2f97 are not RFC 4122 UUIDs. (Written out rather than a
// regexp: it runs on every call.)
func IsGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return false
			}
		case '0' <= c && c <= '9', 'a' <= c && c <= 'f', 'A' <= c && c <= 'F':
		default:
			return false
		}
	}
	return true
}

func checkGUID(operation, name, value string) error {
	if !IsGUID(value) {
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
