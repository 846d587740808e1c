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
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/partnercenter-go/partnercenter/internal/redact"
)

// Exit statuses.
const (
	exitOK          = 0
	exitFailed      = 1 // an error, or a batch with failed or invalid rows
	exitUsage       = 2
	exitInterrupted = 130
)

// programName is the command as it was run, for the commands it prints (a resume hint must
// run as pasted: ./bin/partnercenter stays so). Under `go run` it is a temporary build, gone
// when the run ends: the hint then says partnercenter.
var programName = "partnercenter"

func main() {
	if !strings.Contains(os.Args[0], "go-build") {
		programName = os.Args[0]
	}
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
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv, args: args}
	root := newRootCommand(a)
	markUsageErrors(root)
	root.SetFlagErrorFunc(suggestFlag)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(stderr, "partnercenter:", oneLine(ee.err.Error()))
		}
		return ee.code
	}
	var re runError
	if isUsage(err) || !errors.As(err, &re) {
		// cobra echoes what was typed (an unknown command, a flag value it cannot parse): a
		// token pasted in the wrong place is masked, as quoteValue masks it in our own checks.
		fmt.Fprintln(stderr, "partnercenter:", redact.String(oneLine(err.Error())))
		fmt.Fprintln(stderr, usageHint(cmd))
		return exitUsage
	}
	fmt.Fprintln(stderr, "partnercenter:", oneLine(a.describe(err)))
	return exitFailed
}

// usageHint is the last line of a usage error: the --help of the command that was run (the
// one whose flags or arguments were wrong), not the top-level one.
func usageHint(cmd *cobra.Command) string {
	path := "partnercenter"
	if cmd != nil {
		path = cmd.CommandPath()
	}
	return "Run '" + path + " --help' for usage."
}

// oneLine keeps a message to one "partnercenter:" prefix and one line: a multi-line message
// (cobra's suggestions, a server's text) is joined with "; ".
func oneLine(s string) string {
	var parts []string
	for _, line := range strings.Split(trimPrefix(s), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			parts = append(parts, line)
		}
	}
	return strings.Join(parts, "; ")
}

// trimPrefix keeps messages to one "partnercenter:" prefix.
func trimPrefix(s string) string {
	for strings.HasPrefix(s, "partnercenter: ") {
		s = s[len("partnercenter: "):]
	}
	return s
}

// usageError is a command line the command cannot run: exit status 2, with a pointer to
// --help. A RunE reports one with usagef; cobra's own errors (an unknown command or flag, a
// bad flag value, a wrong number of arguments) are usage errors too: markUsageErrors makes
// every error that does not come out of a RunE one.
type usageError struct{ error }

func (u usageError) Unwrap() error { return u.error }

func isUsage(err error) bool {
	var u usageError
	return errors.As(err, &u)
}

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// runError is an error that came out of a RunE: the command ran and failed (exit 1), unless
// it is a usageError or an exitError.
type runError struct{ error }

func (r runError) Unwrap() error { return r.error }

// markUsageErrors walks the command tree once it is built: every RunE's errors are marked as
// run errors, and everything else cobra returns (it returns its parse and argument errors
// untyped) becomes a usage error, whichever command it came from, the contract and sandbox
// subcommands included. A command group (no RunE) given an unknown subcommand is a usage
// error too, not a help page with status 0.
func markUsageErrors(cmd *cobra.Command) {
	if runE := cmd.RunE; runE != nil {
		cmd.RunE = func(c *cobra.Command, args []string) error {
			err := runE(c, args)
			if err == nil || isUsage(err) {
				return err
			}
			var ee *exitError
			if errors.As(err, &ee) {
				return err
			}
			return runError{err}
		}
	} else if cmd.Run == nil && cmd.HasSubCommands() {
		cmd.Args = unknownCommand
		cmd.RunE = func(c *cobra.Command, args []string) error { return c.Help() }
	}
	if args := cmd.Args; args != nil {
		cmd.Args = func(c *cobra.Command, a []string) error {
			if err := args(c, a); err != nil {
				return usageError{err}
			}
			return nil
		}
	}
	for _, sub := range cmd.Commands() {
		markUsageErrors(sub)
	}
}

func newRootCommand(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "partnercenter",
		Short: "Partner Center activation links and sandbox SaaS activation",
		Long: `partnercenter gets commercial-marketplace activation links and activates SaaS
subscriptions of integration sandbox accounts, one at a time or in batches that
ride the throttle limit.

Credentials come from the environment:
  App-only:  AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET (or any
             variable of azidentity's EnvironmentCredential, such as
             AZURE_CLIENT_CERTIFICATE_PATH)
  App+User:  PARTNER_CENTER_REFRESH_TOKEN, or PARTNER_CENTER_REFRESH_TOKEN_FILE
             (which also receives each rotated refresh token), with
             AZURE_TENANT_ID and AZURE_CLIENT_ID (AZURE_CLIENT_SECRET for a
             confidential app)
  AZURE_AUTHORITY_HOST overrides the cloud's Entra authority;
  PARTNER_CENTER_CA_FILE adds CA certificates to trust (both for a local
  sandbox).`,
		Example: `  # A local sandbox in one shell; paste the export lines it prints into another
  partnercenter sandbox serve
  partnercenter links --customer 42b5f772-5c5c-4bce-b9d7-bdadeecca411 \
    --order Ia80ZLkXp6eWOqpp35pBQJLhqv9IiGVZ1
  partnercenter sandbox status`,
		Version:       buildVersion(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetVersionTemplate("partnercenter {{.Version}}")
	// Flag descriptions wrap at 80 columns, as the rest of the help (TestHelpFitsIn80Columns).
	root.SetUsageTemplate(strings.NewReplacer(".FlagUsages", ".FlagUsagesWrapped 80",
		"for more information about a command.", "for more about a command.").Replace(root.UsageTemplate()))
	f := root.PersistentFlags()
	f.StringVar(&a.cloud, "cloud", "global", "Partner Center cloud: global, usgov or china")
	f.StringVar(&a.endpoint, "endpoint", "", "API base URL without /v1 (default: $PARTNER_CENTER_ENDPOINT, else the cloud's)")
	f.StringVar(&a.application, "application", "partnercenter-cli", "sent as MS-PartnerCenter-Application")
	f.BoolVarP(&a.verbose, "verbose", "v", false, "trace requests and responses on stderr (the token is redacted)")
	root.AddCommand(newLinksCommand(a), newActivateCommand(a), newSandboxCommand(a), newContractCommand(a))
	return root
}
