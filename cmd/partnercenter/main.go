// Command partnercenter gets activation links and activates sandbox SaaS subscriptions,
// one at a time or in batches that ride the throttle limit; it also serves the local sandbox
// and runs the contract gate over a cassette directory.
//
// Credentials come from the environment:
//
//	App-only   AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or any variable
//	           azidentity's EnvironmentCredential reads, such as AZURE_CLIENT_CERTIFICATE_PATH)
//	App+User   PARTNER_CENTER_REFRESH_TOKEN (or PARTNER_CENTER_REFRESH_TOKEN_FILE, which also
//	           receives each rotated token) with AZURE_TENANT_ID and AZURE_CLIENT_ID
//	AZURE_AUTHORITY_HOST overrides the cloud's Entra authority (a local sandbox's);
//	PARTNER_CENTER_CA_FILE adds CA certificates to trust (a local sandbox's).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

// Exit statuses.
const (
	exitOK          = 0
	exitFailed      = 1 // an error, or a batch with failed or invalid rows
	exitUsage       = 2
	exitInterrupted = 130
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}

// exitError carries an exit status through cobra.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	root := newRootCommand(&app{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv})
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(stderr, "partnercenter:", trimPrefix(ee.err.Error()))
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "partnercenter:", trimPrefix(err.Error()))
	if isUsage(err) {
		return exitUsage
	}
	return exitFailed
}

// trimPrefix keeps messages to one "partnercenter:" prefix.
func trimPrefix(s string) string {
	for len(s) > 15 && s[:15] == "partnercenter: " {
		s = s[15:]
	}
	return s
}

type usageError struct{ error }

func isUsage(err error) bool {
	var u usageError
	return errors.As(err, &u)
}

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

func newRootCommand(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "partnercenter",
		Short: "Partner Center activation links and sandbox SaaS activation",
		Long: `partnercenter gets commercial-marketplace activation links and activates SaaS
subscriptions of integration sandbox accounts, one at a time or in batches that ride
the throttle limit.

Credentials come from the environment:
  App-only:  AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET (or any variable of
             azidentity's EnvironmentCredential, e.g. AZURE_CLIENT_CERTIFICATE_PATH)
  App+User:  PARTNER_CENTER_REFRESH_TOKEN, or PARTNER_CENTER_REFRESH_TOKEN_FILE (which
             also receives each rotated refresh token), with AZURE_TENANT_ID and
             AZURE_CLIENT_ID (AZURE_CLIENT_SECRET for a confidential app)
  AZURE_AUTHORITY_HOST overrides the cloud's Entra authority; PARTNER_CENTER_CA_FILE
  adds CA certificates to trust (both for a local sandbox).`,
		Version:       partnercenterVersion,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	f := root.PersistentFlags()
	f.StringVar(&a.cloud, "cloud", "global", "Partner Center cloud: global, usgov or china")
	f.StringVar(&a.endpoint, "endpoint", "", "API base URL without /v1 (default: $PARTNER_CENTER_ENDPOINT, else the cloud's)")
	f.StringVar(&a.application, "application", "partnercenter-cli", "sent as MS-PartnerCenter-Application")
	f.BoolVarP(&a.verbose, "verbose", "v", false, "trace requests and responses on stderr (the token is redacted)")
	root.AddCommand(newLinksCommand(a), newActivateCommand(a), newSandboxCommand(a), newContractCommand(a))
	return root
}
