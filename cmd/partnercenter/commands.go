package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/partnercenter-go/partnercenter"
	"github.com/partnercenter-go/partnercenter/contract"
	"github.com/partnercenter-go/partnercenter/sandbox"
)

func addOutputFlag(cmd *cobra.Command, output *string) {
	cmd.Flags().StringVarP(output, "output", "o", "table", "output format: table or json")
}

func checkOutput(output string) error {
	if output != "table" && output != "json" {
		return usagef("--output %q: want table or json", output)
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func newLinksCommand(a *app) *cobra.Command {
	var customer, order, subscription, output string
	var lineItem int
	cmd := &cobra.Command{
		Use:   "links --customer C (--order O [--line-item N] | --subscription S)",
		Short: "Get activation links of an order, one of its line items, or a subscription",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkOutput(output); err != nil {
				return err
			}
			if customer == "" {
				return usagef("--customer is required")
			}
			if (order == "") == (subscription == "") {
				return usagef("give exactly one of --order and --subscription")
			}
			if cmd.Flags().Changed("line-item") && order == "" {
				return usagef("--line-item goes with --order")
			}
			client, err := a.newClient()
			if err != nil {
				return err
			}
			var links *partnercenter.ActivationLinkCollection
			switch {
			case subscription != "":
				links, err = client.GetSubscriptionActivationLinks(cmd.Context(), customer, subscription)
			case cmd.Flags().Changed("line-item"):
				links, err = client.GetLineItemActivationLinks(cmd.Context(), customer, order, lineItem)
			default:
				links, err = client.GetOrderActivationLinks(cmd.Context(), customer, order)
			}
			if err != nil {
				return err
			}
			if output == "json" {
				return writeJSON(a.stdout, links)
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "LINE ITEM\tMETHOD\tACTIVATION LINK")
			for _, l := range links.Items {
				fmt.Fprintf(tw, "%d\t%s\t%s\n", l.LineItemNumber, l.Link.Method, l.Link.URI)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&customer, "customer", "", "customer tenant id (GUID)")
	cmd.Flags().StringVar(&order, "order", "", "order id")
	cmd.Flags().IntVar(&lineItem, "line-item", 0, "line item number of the order")
	cmd.Flags().StringVar(&subscription, "subscription", "", "subscription id (GUID)")
	addOutputFlag(cmd, &output)
	return cmd
}

func newActivateCommand(a *app) *cobra.Command {
	var customer, subscription, output string
	var b batchOptions
	cmd := &cobra.Command{
		Use:   "activate (--customer C --subscription S | --file subs.csv)",
		Short: "Activate SaaS subscriptions of integration sandbox accounts, one or a batch",
		Long: `Activate one subscription (--customer, --subscription), or a batch from a CSV file
whose rows are "customer,subscription" (a header row is allowed).

A batch runs --concurrency workers that share one pace: a 429's Retry-After pauses
every worker, the pace settles just under the limit the service shows, and recovers.
Results are JSON lines, one per subscription, written as they finish (--results, or
stdout). --resume FILE skips the subscriptions a previous run's results show as done;
Ctrl-C stops cleanly. Each subscription's MS-RequestId is derived from its ids, so an
activation interrupted mid-call is answered from the service's idempotency store when
resumed, never applied twice. Rows that are not two GUIDs are reported with their line
number and skipped. Each activation is tried up to 9 times (a single one, 4) on 408,
429, 5xx and connection errors. The exit status is 1 when any row failed or was
invalid, 130 when interrupted.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkOutput(output); err != nil {
				return err
			}
			if b.file != "" {
				if customer != "" || subscription != "" {
					return usagef("--file replaces --customer and --subscription")
				}
				return a.runBatch(cmd.Context(), b)
			}
			if customer == "" || subscription == "" {
				return usagef("give --customer and --subscription, or --file")
			}
			client, err := a.newClient()
			if err != nil {
				return err
			}
			res, err := client.ActivateSubscription(cmd.Context(), customer, subscription)
			if err != nil {
				return err
			}
			if output == "json" {
				return writeJSON(a.stdout, res)
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "SUBSCRIPTION\tSTATUS")
			fmt.Fprintf(tw, "%s\t%s\n", res.SubscriptionID, res.Status)
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&customer, "customer", "", "customer tenant id (GUID)")
	cmd.Flags().StringVar(&subscription, "subscription", "", "subscription id (GUID)")
	cmd.Flags().StringVar(&b.file, "file", "", "CSV of customer,subscription rows to activate")
	cmd.Flags().IntVar(&b.concurrency, "concurrency", 8, "batch: concurrent workers")
	cmd.Flags().StringVar(&b.results, "results", "", "batch: JSON-lines results file, appended to (default stdout)")
	cmd.Flags().StringVar(&b.resume, "resume", "", "batch: skip subscriptions that this results file shows as done")
	cmd.Flags().Float64Var(&b.rate, "rate", 0, "batch: starting pace in requests per second (0: learn it from the first 429)")
	cmd.Flags().StringVar(&b.progress, "progress", "auto", "batch: progress on stderr: auto (a bar on a terminal), bar, lines or none")
	addOutputFlag(cmd, &output)
	return cmd
}

func newSandboxCommand(a *app) *cobra.Command {
	sb := &cobra.Command{Use: "sandbox", Short: "The local Partner Center sandbox"}
	var fo sandbox.FlagOptions
	serve := &cobra.Command{
		Use:   "serve",
		Short: "Serve a local Partner Center sandbox until interrupted (same flags as make sandbox)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return sandbox.Serve(ctx, fo, a.stdout)
		},
	}
	gofs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	fo.AddFlags(gofs)
	serve.Flags().AddGoFlagSet(gofs)
	sb.AddCommand(serve)
	return sb
}

func newContractCommand(a *app) *cobra.Command {
	c := &cobra.Command{Use: "contract", Short: "The contract gate"}
	var strict bool
	var suggestOverlay string
	validate := &cobra.Command{
		Use:   "validate DIR",
		Short: "Judge every go-vcr v4 cassette under DIR against openapi.yaml",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			v, err := contract.NewDefault(contract.Options{Strict: strict})
			if err != nil {
				return err
			}
			report, err := v.Check(args[0])
			if report == nil {
				return err
			}
			for _, f := range report.Findings {
				fmt.Fprintln(a.stdout, f)
			}
			report.Coverage.Write(a.stdout)
			fmt.Fprintf(a.stdout, "%d interactions, %d violations, %d findings in all\n", report.Interactions, len(report.Violations()), len(report.Findings))
			if suggestOverlay != "" {
				if err := writeSuggestedOverlay(v, args[0], suggestOverlay, a.stdout); err != nil {
					return err
				}
			}
			if err != nil {
				return &exitError{code: exitFailed, err: err}
			}
			return nil
		},
	}
	validate.Flags().BoolVar(&strict, "strict", false, "undeclared fields are violations, not drift")
	validate.Flags().StringVar(&suggestOverlay, "suggest-overlay", "", "write an OpenAPI Overlay 1.0 document declaring every undeclared field seen to this file")
	c.AddCommand(validate, newContractProxyCommand(a))
	return c
}
