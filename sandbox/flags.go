package sandbox

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// FlagOptions are the settings of a standalone sandbox: `partnercenter sandbox serve`, which
// `make sandbox` runs. It is the one entry point, and these are its only flags.
type FlagOptions struct {
	Options
	SeedFile string // a seed file; empty for the default seed
	CAFile   string // where to write the certificate; empty: a temporary file, removed at exit
}

// ErrFlagValue marks the errors of Resolve that are a bad flag value (a usage error), as
// opposed to a seed file that cannot be read.
var ErrFlagValue = errors.New("bad flag value")

// AddFlags registers the standalone sandbox's flags on fs. A new flag goes into the group it
// belongs to, and its check into Resolve.
func (o *FlagOptions) AddFlags(fs *flag.FlagSet) {
	// Where it listens and what it serves.
	fs.StringVar(&o.Addr, "addr", "127.0.0.1:8443", "listen address (loopback only)")
	fs.StringVar(&o.SeedFile, "seed", "", "seed file (.yaml or .json); default: the seed that ships with the sandbox")
	fs.BoolVar(&o.PlainHTTP, "http", false, "serve plain http:// instead of https://")
	fs.BoolVar(&o.PlainJSON, "plain-json", false, "answer plain JSON: no byte-order mark and no charset, which the real service sends")
	fs.BoolVar(&o.RequireMFA, "require-mfa", false, "refuse App+User tokens from a sign-in without MFA (401, code 900421), as Partner Center does from April 2026")
	fs.StringVar(&o.CAFile, "ca-out", "", "write the self-signed certificate (PEM) to this file (default: a temporary file, removed at exit)")

	// Faults.
	fs.Uint64Var(&o.Faults.Seed, "fault-seed", 1, "seed of the fault schedule")
	fs.IntVar(&o.Faults.RateLimit, "rate-limit", 0, "requests per second per partner tenant (0: none)")
	fs.Float64Var(&o.Faults.ThrottleRate, "throttle-rate", 0, "share of attempts answered 429")
	fs.Float64Var(&o.Faults.Error500Rate, "error500-rate", 0, "share of attempts answered 500")
	fs.Float64Var(&o.Faults.Error503Rate, "error503-rate", 0, "share of attempts answered 503")
	fs.Float64Var(&o.Faults.ResetAfterEffectRate, "reset-rate", 0, "share of attempts reset after their effect")
	fs.DurationVar(&o.Faults.Latency, "latency", 0, "latency added to every API request")
	fs.DurationVar(&o.Faults.RetryAfter, "retry-after", time.Second, "Retry-After of injected 429s (whole seconds)")

	// Resources: the idempotency store's bounds and the server's timeouts.
	fs.DurationVar(&o.IdempotencyWindow, "idempotency-window", 24*time.Hour, "how long a MS-RequestId is answered from the idempotency store, at least")
	fs.IntVar(&o.IdempotencyRecords, "idempotency-records", 100_000, "how many newer request ids may push one out of the idempotency store sooner")
	fs.DurationVar(&o.ReadTimeout, "read-timeout", 30*time.Second, "time to read a whole request, body included")
	fs.DurationVar(&o.WriteTimeout, "write-timeout", 0, "time from a request's headers to the end of its answer (0: 1m plus --latency)")
	fs.DurationVar(&o.IdleTimeout, "idle-timeout", 2*time.Minute, "time a kept-alive connection may stay unused")
}

// Resolve checks the flag values (errors wrap ErrFlagValue) and loads the seed file.
func (o *FlagOptions) Resolve() (Options, error) {
	bad := func(format string, args ...any) (Options, error) {
		return Options{}, fmt.Errorf("%w: "+format, append([]any{ErrFlagValue}, args...)...)
	}
	for _, r := range []struct {
		name string
		v    float64
	}{{"throttle-rate", o.Faults.ThrottleRate}, {"error500-rate", o.Faults.Error500Rate}, {"error503-rate", o.Faults.Error503Rate}, {"reset-rate", o.Faults.ResetAfterEffectRate}} {
		if r.v < 0 || r.v > 1 {
			return bad("--%s %v: a share from 0 to 1", r.name, r.v)
		}
	}
	if sum := o.Faults.ThrottleRate + o.Faults.Error500Rate + o.Faults.Error503Rate; sum > 1 {
		return bad("--throttle-rate, --error500-rate and --error503-rate add up to %v: at most 1", sum)
	}
	if o.Faults.RateLimit < 0 {
		return bad("--rate-limit %d: not negative", o.Faults.RateLimit)
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"latency", o.Faults.Latency}, {"retry-after", o.Faults.RetryAfter}, {"write-timeout", o.WriteTimeout}} {
		if d.v < 0 {
			return bad("--%s %v: not negative", d.name, d.v)
		}
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"idempotency-window", o.IdempotencyWindow}, {"read-timeout", o.ReadTimeout}, {"idle-timeout", o.IdleTimeout}} {
		if d.v <= 0 {
			return bad("--%s %v: must be positive", d.name, d.v)
		}
	}
	if o.IdempotencyRecords <= 0 {
		return bad("--idempotency-records %d: must be positive", o.IdempotencyRecords)
	}
	if err := checkLoopback(o.Addr); err != nil {
		return bad("--addr %q: the sandbox listens on loopback addresses only (127.0.0.1, ::1, localhost), with a port", o.Addr)
	}
	opts := o.Options
	if o.SeedFile != "" {
		seed, err := LoadSeed(o.SeedFile)
		if err != nil {
			return Options{}, err
		}
		opts.Seed = seed
	}
	return opts, nil
}

// Serve runs a standalone sandbox until ctx ends: it writes the certificate (to CAFile, or a
// temporary file), prints the banner to out, and when it stops, the status summary.
func Serve(ctx context.Context, fo FlagOptions, out io.Writer) error {
	opts, err := fo.Resolve()
	if err != nil {
		return err
	}
	sb, err := New(opts)
	if err != nil {
		return err
	}
	defer sb.Close()
	caFile := fo.CAFile
	if caFile != "" {
		// The banner's export line is pasted into other shells, in other directories.
		abs, err := filepath.Abs(caFile)
		if err != nil {
			return fmt.Errorf("--ca-out: %w", err)
		}
		caFile = abs
	}
	if sb.CertPEM != nil {
		if caFile == "" {
			f, err := os.CreateTemp("", "partnercenter-sandbox-ca-*.pem")
			if err != nil {
				return fmt.Errorf("writing the certificate: %w (give --ca-out FILE)", err)
			}
			f.Close()
			caFile = f.Name()
			defer os.Remove(caFile)
		}
		if err := os.WriteFile(caFile, sb.CertPEM, 0o644); err != nil {
			return fmt.Errorf("--ca-out: %w", err)
		}
	}
	fmt.Fprint(out, sb.Banner(caFile))
	<-ctx.Done()
	fmt.Fprintln(out, "# sandbox stopped; its state at the end:")
	return sb.Status().WriteText(out)
}
