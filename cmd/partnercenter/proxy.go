package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/partnercenter-go/partnercenter/contract"
	"github.com/partnercenter-go/partnercenter/contract/htmlreport"
	"github.com/partnercenter-go/partnercenter/contract/reportfile"
	"github.com/partnercenter-go/partnercenter/internal/plural"
)

const defaultProxyListen = "127.0.0.1:8480"

func newContractProxyCommand(a *app) *cobra.Command {
	var target, listen, record, specFile string
	var reports []string
	var strict bool
	cmd := &cobra.Command{
		Use:   "proxy --target URL [--record DIR]",
		Short: "Forward to the service or a sandbox, judging every exchange",
		Example: `  # Judge and record what a client sends to a local sandbox (Ctrl-C stops)
  partnercenter contract proxy --target "$PARTNER_CENTER_ENDPOINT" --record rec/
  partnercenter --endpoint http://127.0.0.1:8480 links \
    --customer 42b5f772-5c5c-4bce-b9d7-bdadeecca411 \
    --order Ia80ZLkXp6eWOqpp35pBQJLhqv9IiGVZ1

  # At Ctrl-C, also write the session as an HTML page
  partnercenter contract proxy --target "$PARTNER_CENTER_ENDPOINT" \
    --report html=proxy.html`,
		Long: `Serve a recording, validating proxy on a loopback address. Point any client's
base URL at it (the .NET SDK's PartnerService.Instance.ApiRootUrl, a
PowerShell or Java client's endpoint, this command's --endpoint): each request
is forwarded to --target, each exchange under /v1/ is judged against
openapi.yaml as it passes and its findings are printed at once. With --record,
the exchanges are written under DIR as go-vcr v4 cassettes, redacted: the
bearer token is forwarded, never stored, and token exchanges are not recorded.
Ctrl-C prints the coverage table (and writes --report html=FILE, the HTML
page); the exit status is 1 when any violation was seen. PARTNER_CENTER_CA_FILE
adds CAs to trust for --target (a local sandbox's certificate).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			targetURL, err := checkProxyFlags(target, listen)
			if err != nil {
				return err
			}
			if record != "" {
				if err := checkOutputDir("record", record); err != nil {
					return err
				}
			}
			specs, err := proxyReports(reports)
			if err != nil {
				return err
			}
			v, err := a.newValidator(specFile, contract.Options{Strict: strict})
			if err != nil {
				return err
			}
			files, err := reportfile.Open(specs, htmlreport.RunOf(v, "contract proxy", os.Args))
			if err != nil {
				return fmt.Errorf("--report: %w", err)
			}
			defer files.Close()
			hc, err := a.httpClient()
			if err != nil {
				return err
			}
			out := contract.NewTextPrinter(a.stdout)
			p, err := contract.NewProxy(contract.ProxyOptions{
				Target: targetURL, Transport: hc.Transport, Validator: v, RecordDir: record,
				OnExchange: func(v contract.ProxyVerdict) { printExchange(out, v); files.Proxy(v) },
				OnError:    func(err error) { fmt.Fprintln(a.stderr, "contract proxy:", err) },
			})
			if err != nil {
				return err
			}
			return a.serveProxy(cmd.Context(), p, out, listen, targetURL, files)
		},
	}
	cmd.Flags().StringVar(&target, "target", "", "base URL to forward to: the service (https://api.partnercenter.microsoft.com) or a sandbox")
	cmd.Flags().StringVar(&listen, "listen", defaultProxyListen, "loopback address to listen on (port 0: any free port)")
	cmd.Flags().StringVar(&record, "record", "", "write the exchanges, redacted, as go-vcr v4 cassettes under this directory")
	cmd.Flags().StringArrayVar(&reports, "report", nil, "at Ctrl-C, also write a report: html=FILE (repeatable)")
	addSpecFlag(cmd, &specFile)
	cmd.Flags().BoolVar(&strict, "strict", false, "undeclared fields, undocumented +json types and empty error bodies are violations, not drift")
	return cmd
}

// checkProxyFlags refuses a target that is not an absolute http(s) URL and a listen address
// that is not loopback: the proxy forwards whatever it is sent with the caller's token, so
// it must not be reachable from another machine.
func checkProxyFlags(target, listen string) (*url.URL, error) {
	if target == "" {
		return nil, usagef("--target is required: the base URL to forward to, e.g. --target https://api.partnercenter.microsoft.com")
	}
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, usagef("--target %q: want an http:// or https:// URL, e.g. --target https://api.partnercenter.microsoft.com", target)
	}
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return nil, usagef("--listen %q: want HOST:PORT, e.g. --listen 127.0.0.1:8480", listen)
	}
	if ip := net.ParseIP(host); !strings.EqualFold(host, "localhost") && (ip == nil || !ip.IsLoopback()) {
		return nil, usagef("--listen %q: the proxy listens on a loopback address only (127.0.0.1, ::1 or localhost)", listen)
	}
	return u, nil
}

// proxyReports reads --report: the proxy writes HTML reports (JUnit's one testcase per
// interaction of a file does not fit a stream of exchanges), in folders that exist.
func proxyReports(values []string) ([]reportfile.Spec, error) {
	specs, err := reportfile.ParseAll(values, "")
	if err != nil {
		return nil, usagef("--report %v, e.g. --report html=proxy.html", err)
	}
	for i, s := range specs {
		if s.Kind != reportfile.HTML {
			return nil, usagef("--report %q: contract proxy writes html=FILE reports only, e.g. --report html=proxy.html", values[i])
		}
		if err := checkOutputFile("report", s.File); err != nil {
			return nil, err
		}
	}
	return specs, nil
}

// printExchange prints an exchange's findings, or one "ok" line naming where it was recorded
// (the same words a finding uses), so that the operator sees every exchange pass. Findings
// go through the gate's text printer: within 80 columns, a repeated one said once (the
// BOM drift of every exchange, the secret's fix of every finding), counted when it stops.
func printExchange(out *contract.TextPrinter, v contract.ProxyVerdict) {
	if v.Ignored != "" {
		out.Line(fmt.Sprintf("ignored: a request to %s (%d): %s; forwarded, not judged", v.Host, v.Status, v.Ignored))
		return
	}
	if len(v.Findings) == 0 {
		op := v.OperationID
		if op == "" {
			op = "(no operation)"
		}
		out.Line(fmt.Sprintf("ok: %s interaction %d: %s %d", v.Cassette, v.Interaction, op, v.Status))
		return
	}
	for _, f := range v.Findings {
		out.Finding(f)
	}
}

// serveProxy serves p until ctx ends (Ctrl-C), then prints the coverage table and the
// summary, and fails when any violation was seen.
func (a *app) serveProxy(ctx context.Context, p *contract.Proxy, out *contract.TextPrinter, listen string, target *url.URL, reports *reportfile.Set) error {
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("contract proxy: listen on %s: %w", listen, err)
	}
	srv := &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	out.Line(fmt.Sprintf("contract proxy: listening on http://%s, forwarding to %s (Ctrl-C prints the coverage and stops)", ln.Addr(), target.Redacted()))
	select {
	case <-ctx.Done():
	case err := <-done:
		return fmt.Errorf("contract proxy: %w", err)
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		srv.Close()
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(a.stderr, "contract proxy:", err)
	}
	saveErr := p.Close()
	out.Close() // the counts of repeated drift
	fmt.Fprintln(a.stdout)
	p.Coverage().Write(a.stdout)
	fmt.Fprintln(a.stdout, p.Summary())
	reportErr := reports.FinishProxy(p.Coverage())
	if reportErr == nil {
		reportErr = reports.Close()
	}
	if reportErr != nil {
		fmt.Fprintln(a.stderr, "contract proxy: --report:", reportErr)
		if saveErr == nil {
			saveErr = reportErr
		}
	}
	if saveErr != nil {
		return &exitError{code: exitFailed, err: saveErr}
	}
	if n := p.Violations(); n > 0 {
		return &exitError{code: exitFailed, err: fmt.Errorf("%w: %s seen by the proxy", contract.ErrViolations, plural.Of(n, "violation"))}
	}
	return nil
}
