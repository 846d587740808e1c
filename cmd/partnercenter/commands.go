package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/partnercenter-go/partnercenter"
	"github.com/partnercenter-go/partnercenter/sandbox"
)

func addOutputFlag(cmd *cobra.Command, output *string) {
	cmd.Flags().StringVarP(output, "output", "o", "table", "output format: table or json")
}

func checkOutput(output string) error {
	if output != "table" && output != "json" {
		return usagef("--output %q: want table or json, e.g. -o json", output)
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// linksOptions are the flags of `partnercenter links`.
type linksOptions struct {
	customer, order, subscription, output string
	lineItem                              int
	byLineItem                            bool // --line-item was given (0 is a line item)
}

// check refuses bad flag values before any call: exit 2, naming the flag.
func (o linksOptions) check() error {
	if err := checkOutput(o.output); err != nil {
		return err
	}
	if err := checkGUIDFlag("customer", o.customer); err != nil {
		return err
	}
	switch {
	case (o.order == "") == (o.subscription == ""):
		return usagef("give exactly one of --order and --subscription, e.g. --order Ia80ZLkXp6eWOqpp35pBQJLhqv9IiGVZ1")
	case o.byLineItem && o.order == "":
		return usagef("--line-item goes with --order, e.g. --order Ia80ZLkXp6eWOqpp35pBQJLhqv9IiGVZ1 --line-item 1")
	case o.subscription != "":
		return checkGUIDFlag("subscription", o.subscription)
	case o.byLineItem:
		if err := checkLineItemFlag(o.lineItem); err != nil {
			return err
		}
	}
	return checkOrderFlag(o.order)
}

func newLinksCommand(a *app) *cobra.Command {
	var o linksOptions
	cmd := &cobra.Command{
		Use:   "links --customer C (--order O | --subscription S)",
		Short: "Get activation links of an order, a line item or a subscription",
		Example: `  # The links of every line item of an order, as a table
  partnercenter links --customer 42b5f772-5c5c-4bce-b9d7-bdadeecca411 \
    --order Ia80ZLkXp6eWOqpp35pBQJLhqv9IiGVZ1

  # One line item's link, as JSON
  partnercenter links --customer 42b5f772-5c5c-4bce-b9d7-bdadeecca411 \
    --order Ia80ZLkXp6eWOqpp35pBQJLhqv9IiGVZ1 --line-item 1 -o json

  # A subscription's link
  partnercenter links --customer 42b5f772-5c5c-4bce-b9d7-bdadeecca411 \
    --subscription 87363db7-39ab-dd25-d371-94340aaa2f97`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.byLineItem = cmd.Flags().Changed("line-item")
			return a.runLinks(cmd.Context(), o)
		},
	}
	cmd.Flags().StringVar(&o.customer, "customer", "", "customer tenant id (GUID)")
	cmd.Flags().StringVar(&o.order, "order", "", "order id")
	cmd.Flags().IntVar(&o.lineItem, "line-item", 0, "line item number of the order (from 0)")
	cmd.Flags().StringVar(&o.subscription, "subscription", "", "subscription id (GUID)")
	addOutputFlag(cmd, &o.output)
	return cmd
}

func (a *app) runLinks(ctx context.Context, o linksOptions) error {
	if err := o.check(); err != nil {
		return err
	}
	client, err := a.newClient()
	if err != nil {
		return err
	}
	links, err := getLinks(ctx, client, o)
	if err != nil {
		return err
	}
	if o.output == "json" {
		return writeJSON(a.stdout, links)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "LINE ITEM\tMETHOD\tACTIVATION LINK")
	for _, l := range links.Items {
		fmt.Fprintf(tw, "%d\t%s\t%s\n", l.LineItemNumber, l.Link.Method, l.Link.URI)
	}
	return tw.Flush()
}

// getLinks calls the links operation the flags select and returns its collection.
func getLinks(ctx context.Context, client *partnercenter.Client, o linksOptions) (partnercenter.ActivationLinkCollection, error) {
	switch {
	case o.subscription != "":
		r, err := client.GetSubscriptionActivationLinks(ctx, o.customer, o.subscription, nil)
		return r.ActivationLinkCollection, err
	case o.byLineItem:
		r, err := client.GetLineItemActivationLinks(ctx, o.customer, o.order, o.lineItem, nil)
		return r.ActivationLinkCollection, err
	default:
		r, err := client.GetOrderActivationLinks(ctx, o.customer, o.order, nil)
		return r.ActivationLinkCollection, err
	}
}

// activateOptions are the flags of `partnercenter activate`: one subscription, or a batch.
type activateOptions struct {
	customer, subscription, output string
	batch                          batchOptions
	batchFlags                     []string // the batch's flags given (they need --file)
}

func (o activateOptions) check() error {
	if err := checkOutput(o.output); err != nil {
		return err
	}
	if o.batch.file != "" {
		if o.customer != "" || o.subscription != "" {
			return usagef("--file replaces --customer and --subscription")
		}
		return o.batch.check()
	}
	if o.customer == "" && o.subscription == "" {
		return usagef("give --customer and --subscription, or --file, e.g. --file subscriptions.csv")
	}
	if len(o.batchFlags) > 0 {
		return usagef("--%s goes with --file (a batch), e.g. --file subscriptions.csv --%s ...", o.batchFlags[0], o.batchFlags[0])
	}
	if err := checkGUIDFlag("customer", o.customer); err != nil {
		return err
	}
	return checkGUIDFlag("subscription", o.subscription)
}

func newActivateCommand(a *app) *cobra.Command {
	var o activateOptions
	b := &o.batch
	cmd := &cobra.Command{
		Use:   "activate (--customer C --subscription S | --file F)",
		Short: "Activate SaaS subscriptions of integration sandbox accounts",
		Long: `Activate one subscription (--customer, --subscription), or a batch from a CSV
file whose rows are "customer,subscription".

--file reads CSV only: a YAML, JSON, binary or empty file is refused (exit
status 2) before anything is sent or written. The CSV may come from Excel: a
byte-order mark, CR, LF or CRLF line endings, semicolons instead of commas,
quoted fields and trailing commas are read as meant. A header row is
recognised by its names (customer, customerId, "Customer ID", subscription,
subscriptionId, "Subscription ID"... in any case and order); a first row that
holds no id and names no column is refused, naming what it got. Blank lines
and lines starting with # are skipped. A row that is not two GUIDs, or a
malformed line (a quote left open), is reported with its line number and
skipped, and so is a row that repeats an earlier one.

A batch runs --concurrency workers that share one pace: a 429's Retry-After
pauses every worker, and the pace settles just under the limit the service
shows. A Retry-After longer than --max-pause stops the batch (exit status 75)
with the command that resumes it. Results are JSON lines, one per
subscription, written as they finish (--results, or stdout). Rows that the
--results file (or --resume FILE) shows as done are skipped; Ctrl-C stops
cleanly and prints the command that finishes the rest.

Each subscription's MS-RequestId is derived from its ids, so an activation cut
off mid-call is answered from the service's idempotency store when resumed,
never applied twice. --force activates rows shown as done again, each with a
new MS-RequestId, and reports what the service answered: for an active
subscription, its refusal ("already-active", code 800041).

Each activation is tried up to 9 times (a single one, 4) on 408, 429, 5xx and
connection errors. The exit status is 1 when any row failed or was invalid, 2
on bad usage, 75 when stopped by a long Retry-After, 130 when interrupted.`,
		Example: `  # One subscription
  partnercenter activate --customer 42b5f772-5c5c-4bce-b9d7-bdadeecca411 \
    --subscription aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e

  # A batch, its results kept (run it again to finish an interrupted one)
  printf '%s\n' customer,subscription \
    42b5f772-5c5c-4bce-b9d7-bdadeecca411,87363db7-39ab-dd25-d371-94340aaa2f97 \
    > subscriptions.csv
  partnercenter activate --file subscriptions.csv --results results.jsonl`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.batchFlags = nil
			for _, f := range []string{"concurrency", "results", "resume", "force", "max-pause", "rate", "progress"} {
				if cmd.Flags().Changed(f) {
					o.batchFlags = append(o.batchFlags, f)
				}
			}
			return a.runActivate(cmd.Context(), o)
		},
	}
	cmd.Flags().StringVar(&o.customer, "customer", "", "customer tenant id (GUID)")
	cmd.Flags().StringVar(&o.subscription, "subscription", "", "subscription id (GUID)")
	cmd.Flags().StringVar(&b.file, "file", "", "CSV of customer,subscription rows to activate")
	cmd.Flags().IntVar(&b.concurrency, "concurrency", 8, "batch: concurrent workers")
	cmd.Flags().StringVar(&b.results, "results", "", "batch: JSON-lines results file, appended to (default stdout)")
	cmd.Flags().StringVar(&b.resume, "resume", "", "batch: skip the subscriptions this results file (which must exist) shows as done")
	cmd.Flags().BoolVar(&b.force, "force", false, "batch: activate again the rows shown as done, with a new MS-RequestId each")
	cmd.Flags().DurationVar(&b.maxPause, "max-pause", time.Minute, "batch: the longest Retry-After to wait for; a longer one stops the batch")
	cmd.Flags().Float64Var(&b.rate, "rate", 0, "batch: starting pace, requests per second (0: learn it from the first 429)")
	cmd.Flags().StringVar(&b.progress, "progress", "auto", "batch: progress on stderr: auto (a bar on a terminal), bar, lines or none")
	addOutputFlag(cmd, &o.output)
	return cmd
}

func (a *app) runActivate(ctx context.Context, o activateOptions) error {
	if err := o.check(); err != nil {
		return err
	}
	if o.batch.file != "" {
		return a.runBatch(ctx, o.batch)
	}
	client, err := a.newClient()
	if err != nil {
		return err
	}
	res, err := client.ActivateSubscription(ctx, o.customer, o.subscription, nil)
	if err != nil {
		return err
	}
	if o.output == "json" {
		return writeJSON(a.stdout, res.SubscriptionActivationResult)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SUBSCRIPTION\tSTATUS")
	fmt.Fprintf(tw, "%s\t%s\n", res.SubscriptionID, res.Status)
	return tw.Flush()
}

func newSandboxCommand(a *app) *cobra.Command {
	sb := &cobra.Command{Use: "sandbox", Short: "The local Partner Center sandbox: serve it, and see its state",
		Example: `  partnercenter sandbox serve --ca-out ca.pem
  partnercenter sandbox status`}
	sb.AddCommand(newSandboxServeCommand(a), newSandboxStatusCommand(a))
	return sb
}

// newSandboxServeCommand is the sandbox's one entry point (`make sandbox` runs it). Its flags
// are sandbox.FlagOptions.AddFlags': a new sandbox flag is added there.
func newSandboxServeCommand(a *app) *cobra.Command {
	var fo sandbox.FlagOptions
	serve := &cobra.Command{
		Use:   "serve",
		Short: "Serve a local Partner Center sandbox until interrupted",
		Example: `  # Serve it, writing its certificate where other shells find it
  partnercenter sandbox serve --ca-out ca.pem

  # A sandbox that throttles: 5 requests a second, and 5% of attempts get a 429
  partnercenter sandbox serve --rate-limit 5 --throttle-rate 0.05 --fault-seed 7`,
		Long: `Serve a local Partner Center sandbox until interrupted (make sandbox runs
this).

It prints a banner whose lines paste into a shell: the export lines of the
environment that points this command (and the contract gate's live mode) at
it, with its test credentials and the admin token of 'partnercenter sandbox
status'. When it stops, it prints the same status summary.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			err := sandbox.Serve(ctx, fo, a.stdout)
			if errors.Is(err, sandbox.ErrFlagValue) {
				return usageError{errors.New(strings.TrimPrefix(err.Error(), sandbox.ErrFlagValue.Error()+": "))}
			}
			return err
		},
	}
	gofs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	fo.AddFlags(gofs)
	serve.Flags().AddGoFlagSet(gofs)
	return serve
}

func newSandboxStatusCommand(a *app) *cobra.Command {
	var output string
	status := &cobra.Command{
		Use:   "status",
		Short: "Show a running sandbox's state: activations, answers, faults",
		Example: `  # In the shell where the sandbox's export lines were pasted
  partnercenter sandbox status
  partnercenter sandbox status -o json`,
		Long: `Show a running sandbox's state: per subscription, whether it is active, how
many times an activation took effect and how many answers of its activation
the idempotency store holds; and the counters of requests and injected faults.

It reads the sandbox's admin endpoint at --endpoint (default
$PARTNER_CENTER_ENDPOINT), a loopback address, with the admin token of
$PARTNER_CENTER_SANDBOX_TOKEN, trusting $PARTNER_CENTER_CA_FILE: the sandbox's
banner exports all three.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkOutput(output); err != nil {
				return err
			}
			endpoint, source := a.endpointAndSource()
			if endpoint == "" {
				return usagef("give the sandbox's URL with --endpoint or PARTNER_CENTER_ENDPOINT")
			}
			hc, err := a.httpClient()
			if err != nil {
				return err
			}
			st, err := sandbox.FetchStatus(cmd.Context(), hc, endpoint, a.getenv("PARTNER_CENTER_SANDBOX_TOKEN"))
			if err != nil {
				return fmt.Errorf("%s %s: %w", source, endpoint, err)
			}
			if output == "json" {
				return writeJSON(a.stdout, st)
			}
			return st.WriteText(a.stdout)
		},
	}
	addOutputFlag(status, &output)
	return status
}
