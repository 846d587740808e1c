package sandbox

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
)

// FlagOptions are the settings of a standalone sandbox (`make sandbox`, and the
// partnercenter command's `sandbox serve`).
type FlagOptions struct {
	Options
	SeedFile string // a seed file; empty for the default seed
	CAFile   string // where to write the certificate, for clients to trust
}

// AddFlags registers the standalone sandbox's flags on fs.
func (o *FlagOptions) AddFlags(fs *flag.FlagSet) {
	fs.StringVar(&o.Addr, "addr", "127.0.0.1:8443", "listen address (loopback only)")
	fs.StringVar(&o.SeedFile, "seed", "", "seed file (.yaml or .json); default: the seed that ships with the sandbox")
	fs.BoolVar(&o.PlainHTTP, "http", false, "serve plain http:// instead of https://")
	fs.StringVar(&o.CAFile, "ca-out", "", "write the self-signed certificate (PEM) to this file, for PARTNER_CENTER_CA_FILE")
	fs.Uint64Var(&o.Faults.Seed, "fault-seed", 1, "seed of the fault schedule")
	fs.IntVar(&o.Faults.RateLimit, "rate-limit", 0, "requests per second per partner tenant (0: none)")
	fs.Float64Var(&o.Faults.ThrottleRate, "throttle-rate", 0, "share of attempts answered 429")
	fs.Float64Var(&o.Faults.Error500Rate, "error500-rate", 0, "share of attempts answered 500")
	fs.Float64Var(&o.Faults.Error503Rate, "error503-rate", 0, "share of attempts answered 503")
	fs.Float64Var(&o.Faults.ResetAfterEffectRate, "reset-rate", 0, "share of attempts reset after their effect")
	fs.DurationVar(&o.Faults.Latency, "latency", 0, "latency added to every API request")
	fs.DurationVar(&o.IdempotencyWindow, "idempotency-window", 24*time.Hour, "how long a MS-RequestId is answered from the idempotency store, at least")
	fs.BoolVar(&o.PlainJSON, "plain-json", false, "answer plain JSON: no byte-order mark and no charset, which the real service sends")
	fs.IntVar(&o.IdempotencyRecords, "idempotency-records", 100_000, "how many newer request ids may push one out of the idempotency store sooner")
}

// Resolve loads the seed file and checks the flag values.
func (o *FlagOptions) Resolve() (Options, error) {
	for name, rate := range map[string]float64{"throttle-rate": o.Faults.ThrottleRate, "error500-rate": o.Faults.Error500Rate,
		"error503-rate": o.Faults.Error503Rate, "reset-rate": o.Faults.ResetAfterEffectRate} {
		if rate < 0 || rate > 1 {
			return Options{}, fmt.Errorf("-%s %v: a share from 0 to 1", name, rate)
		}
	}
	if sum := o.Faults.ThrottleRate + o.Faults.Error500Rate + o.Faults.Error503Rate; sum > 1 {
		return Options{}, fmt.Errorf("-throttle-rate, -error500-rate and -error503-rate add up to %v: at most 1", sum)
	}
	if o.Faults.RateLimit < 0 {
		return Options{}, fmt.Errorf("-rate-limit %d: not negative", o.Faults.RateLimit)
	}
	if o.IdempotencyWindow <= 0 {
		return Options{}, fmt.Errorf("-idempotency-window %v: must be positive", o.IdempotencyWindow)
	}
	if o.IdempotencyRecords <= 0 {
		return Options{}, fmt.Errorf("-idempotency-records %d: must be positive", o.IdempotencyRecords)
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

// Serve runs a standalone sandbox until ctx ends: it writes the certificate to CAFile (when
// set) and prints the banner to out.
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
	if fo.CAFile != "" && sb.CertPEM != nil {
		if err := os.WriteFile(fo.CAFile, sb.CertPEM, 0o644); err != nil {
			return err
		}
	}
	fmt.Fprint(out, sb.Banner(fo.CAFile))
	<-ctx.Done()
	fmt.Fprintln(out, "sandbox: stopped")
	return nil
}
