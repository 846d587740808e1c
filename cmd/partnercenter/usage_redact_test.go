package main

import (
	"strings"
	"testing"
)

// A token pasted where cobra reads an argument or a flag value: the usage error cobra
// writes names what was typed, masked, as quoteValue masks it in the command's own checks.
func TestUsageErrorsMaskAPastedToken(t *testing.T) {
	const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJl"
	for _, args := range [][]string{
		{jwt},
		{"contract", "probe", jwt},
		{"contract", "probe", "--seed", jwt},
		{"contract", "probe", "--rate", jwt},
	} {
		var stdout, stderr strings.Builder
		code := run(t.Context(), args, strings.NewReader(""), &stdout, &stderr, func(string) string { return "" })
		if code != exitUsage || strings.Contains(stderr.String()+stdout.String(), "c2lnbmF0dXJl") ||
			!strings.Contains(stderr.String(), "[REDACTED]") {
			t.Errorf("%v: exit %d, want 2 with the token masked:\n%s%s", args[len(args)-1:], code, stdout.String(), stderr.String())
		}
	}
}
