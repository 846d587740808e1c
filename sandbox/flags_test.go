package sandbox_test

import (
	"errors"
	"flag"
	"io"
	"strings"
	"testing"

	"github.com/partnercenter-go/partnercenter/sandbox"
)

// Bad flag values are refused with the flag and the value named; good ones resolve.
func TestFlagsAreChecked(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string // "" for no error
	}{
		{nil, ""},
		{[]string{"-idempotency-records", "10", "-idempotency-window", "1m", "-throttle-rate", "0.5"}, ""},
		{[]string{"-throttle-rate", "1.5"}, "-throttle-rate 1.5"},
		{[]string{"-throttle-rate", "0.6", "-error503-rate", "0.6"}, "add up to 1.2"},
		{[]string{"-rate-limit", "-1"}, "-rate-limit -1"},
		{[]string{"-idempotency-records", "0"}, "-idempotency-records 0"},
		{[]string{"-idempotency-window", "-1h"}, "-idempotency-window -1h0m0s"},
		{[]string{"-read-timeout", "0s"}, "--read-timeout 0s: must be positive"},
		{[]string{"-idle-timeout", "-1s"}, "--idle-timeout -1s: must be positive"},
		{[]string{"-latency", "-1s"}, "--latency -1s: not negative"},
		{[]string{"-addr", "10.0.0.1:8443"}, `--addr "10.0.0.1:8443": the sandbox listens on loopback addresses only`},
		{[]string{"-addr", "localhost:0", "-read-timeout", "1s", "-write-timeout", "2s", "-idle-timeout", "3s"}, ""},
	} {
		var fo sandbox.FlagOptions
		fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		fo.AddFlags(fs)
		if err := fs.Parse(tc.args); err != nil {
			t.Fatal(err)
		}
		_, err := fo.Resolve()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%v: %v", tc.args, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, sandbox.ErrFlagValue)):
			t.Errorf("%v: got %v, want an error naming %q", tc.args, err, tc.want)
		}
	}
}
