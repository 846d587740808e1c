package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/spf13/cobra"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/recorder"

	"github.com/partnercenter-go/partnercenter"
	"github.com/partnercenter-go/partnercenter/contract"
	"github.com/partnercenter-go/partnercenter/contract/htmlreport"
	"github.com/partnercenter-go/partnercenter/contract/probe"
	"github.com/partnercenter-go/partnercenter/contract/reportfile"
)

// probeOptions are the flags of `contract probe`.
type probeOptions struct {
	customer, order, lineItem, subscription string
	allowWrites, dryRun                     bool
	maxRequests                             int
	rate                                    float64
	seed                                    uint64
	format, record, suggestOverlay, spec    string
	reports                                 []string
}

func newContractProbeCommand(a *app) *cobra.Command {
	var o probeOptions
	cmd := &cobra.Command{
		Use:   "probe",
		Short: "Try the spec's every promise against a running service",
		Long: `Generate cases from openapi.yaml and send them to the service: positive cases
with the ids given (and with each documented optional header), a negative case
per constraint of each parameter, no and a garbage token, a method the path
does not document and an Accept the operation does not offer. With
--allow-writes, the activation scenario too (links, activate, activate again,
the first activation replayed with its MS-RequestId, links again): it
activates the subscription given.

Every answer is judged by the contract gate's engine and by these checks:
` + wrapWords(checkNames(), 76) + `
Each finding comes with a curl command that replays it, reading the token
from $PARTNER_CENTER_TOKEN.

The ids default to PARTNER_CENTER_CUSTOMER_ID, PARTNER_CENTER_ORDER_ID,
PARTNER_CENTER_LINE_ITEM and PARTNER_CENTER_SUBSCRIPTION_ID; credentials,
--endpoint and PARTNER_CENTER_CA_FILE are those of links and activate.

The exit status is 0 with no finding, 1 with findings, 2 on a usage error.`,
		Example: `  # What it would send, as curl lines, without sending anything
  partnercenter contract probe --dry-run

  # An integration sandbox account, the activation scenario included
  partnercenter contract probe --allow-writes --rate 2 --report junit=probe.xml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runProbe(cmd.Context(), cmd, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.customer, "customer", "", "customer tenant id (default $PARTNER_CENTER_CUSTOMER_ID)")
	f.StringVar(&o.order, "order", "", "order id (default $PARTNER_CENTER_ORDER_ID)")
	f.StringVar(&o.lineItem, "line-item", "", "line item number (default $PARTNER_CENTER_LINE_ITEM, else 0)")
	f.StringVar(&o.subscription, "subscription", "", "subscription id (default $PARTNER_CENTER_SUBSCRIPTION_ID)")
	f.BoolVar(&o.allowWrites, "allow-writes", false, "send the activation scenario: it activates the subscription given")
	f.BoolVar(&o.dryRun, "dry-run", false, "print the cases as curl lines and send nothing")
	f.IntVar(&o.maxRequests, "max-requests", 0, "send at most N requests, skipping the cases past them (0: no limit)")
	f.Float64Var(&o.rate, "rate", 5, "at most R requests a second (0: no limit); 429s are waited out")
	f.Uint64Var(&o.seed, "seed", 0, "seed of the generated ids and tokens, to repeat a run (default: random)")
	f.StringVar(&o.format, "format", "text", "output: text, json (JSON lines) or github (workflow annotations)")
	f.StringArrayVar(&o.reports, "report", nil, "also write a report: junit=FILE or html=FILE (repeatable)")
	f.StringVar(&o.record, "record", "", "write the exchanges whose requests conform to the spec to a cassette in `DIR`")
	f.StringVar(&o.suggestOverlay, "suggest-overlay", "", "write an OpenAPI Overlay declaring every undeclared field seen to `FILE`")
	addSpecFlag(cmd, &o.spec)
	return cmd
}

// probeIDFlags are the path parameters the probe fills, with the flag and variable of each.
var probeIDFlags = []struct{ param, flag, env string }{
	{"customerId", "--customer", "PARTNER_CENTER_CUSTOMER_ID"},
	{"orderId", "--order", "PARTNER_CENTER_ORDER_ID"},
	{"lineItemNumber", "--line-item", "PARTNER_CENTER_LINE_ITEM"},
	{"subscriptionId", "--subscription", "PARTNER_CENTER_SUBSCRIPTION_ID"},
}

// probeIDs are the ids of the flags, else of the environment, by path parameter name.
func (a *app) probeIDs(o probeOptions) (map[string]string, error) {
	ids := map[string]string{}
	values := []string{o.customer, o.order, o.lineItem, o.subscription}
	for i, id := range probeIDFlags {
		v := values[i]
		if v == "" {
			v = a.getenv(id.env)
		}
		if v == "" && id.param == "lineItemNumber" && ids["orderId"] != "" {
			v = "0" // as MODE=live: the first line item
		}
		if v == "" {
			continue
		}
		if id.param == "lineItemNumber" {
			if n, err := strconv.Atoi(v); err != nil || n < 0 {
				return nil, usagef("%s (or %s) %q: want a line item number, 0 or more", id.flag, id.env, v)
			}
		}
		ids[id.param] = v
	}
	if ids["customerId"] == "" {
		return nil, usagef("--customer (or PARTNER_CENTER_CUSTOMER_ID) is required: every operation needs a customer")
	}
	return ids, nil
}

func (a *app) runProbe(ctx context.Context, cmd *cobra.Command, o probeOptions) error {
	write, err := probeWriter(o.format)
	if err != nil {
		return err
	}
	reports, err := reportfile.ParseAll(o.reports, "")
	if err != nil {
		return usagef("--report %v", err)
	}
	// A file that cannot be written is a usage error, as for validate and proxy: before
	// anything is sent.
	for _, r := range reports {
		if err := checkOutputFile("report", r.File); err != nil {
			return err
		}
	}
	if o.suggestOverlay != "" {
		if err := checkOutputFile("suggest-overlay", o.suggestOverlay); err != nil {
			return err
		}
	}
	if o.maxRequests < 0 || o.rate < 0 {
		return usagef("--max-requests and --rate: want 0 or more")
	}
	ids, err := a.probeIDs(o)
	if err != nil {
		return err
	}
	v, err := a.newValidator(o.spec, contract.Options{})
	if err != nil {
		return err
	}
	if !cmd.Flags().Changed("seed") {
		o.seed = rand.Uint64() >> 1 // printed, so that the run can be repeated
	}
	plan, err := probe.Generate(v, probe.Config{IDs: ids, Seed: o.seed})
	if err != nil {
		return usagef("%v", err)
	}
	if len(plan.Cases) == 0 {
		return usagef("nothing to probe: give --order or --subscription (or PARTNER_CENTER_ORDER_ID, PARTNER_CENTER_SUBSCRIPTION_ID)")
	}
	cloud, ok := partnercenter.CloudByName(a.cloud)
	if !ok {
		return usagef("--cloud %q: want global, usgov or china", a.cloud)
	}
	endpoint, source := a.endpointAndSource()
	if endpoint == "" {
		endpoint, source = cloud.Endpoint, "--cloud"
	}
	caFile := a.getenv("PARTNER_CENTER_CA_FILE") != ""
	// What it will send goes first, on stderr unless the output is text (json keeps stdout
	// to findings only).
	notes := a.stderr
	if o.format == "text" {
		notes = a.stdout
	}
	for _, line := range probe.PlanLines(plan.Count(o.allowWrites), o.allowWrites, len(plan.Scenario)) {
		fmt.Fprintln(notes, line)
	}
	fmt.Fprintf(notes, "seed %d (repeat the run with --seed %d)\n", o.seed, o.seed)
	for _, s := range plan.Skipped {
		for _, id := range probeIDFlags {
			s = strings.Replace(s, "no "+id.param+" given", "no "+id.flag+" given", 1)
		}
		fmt.Fprintln(notes, fitLine("not generated: "+s))
	}
	if o.dryRun {
		return printDryRun(a.stdout, o.format, endpoint, plan, o.allowWrites, caFile)
	}
	hc, err := a.httpClient()
	if err != nil {
		return err
	}
	cred, err := a.credential(cloud, hc)
	if err != nil {
		return err
	}
	opts := probe.Options{Endpoint: endpoint, HTTPClient: hc, MaxRequests: o.maxRequests, Rate: o.rate, AllowWrites: o.allowWrites, CAFile: caFile,
		Token: func(ctx context.Context) (string, error) {
			tok, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{cloud.Scope()}})
			return tok.Token, err
		}}
	if _, err := probe.CheckEndpoint(endpoint); err != nil {
		return usagef("%s: %v", source, err)
	}
	// Created before anything is sent: a path that cannot be written costs no request.
	reportFiles, err := reportfile.CreateAll(reports)
	if err != nil {
		return fmt.Errorf("--report: %w", err)
	}
	defer reportfile.CloseAll(reportFiles)
	var rec *contract.Recorder
	var cassette string
	if o.record != "" {
		if err := os.MkdirAll(o.record, 0o755); err != nil {
			return fmt.Errorf("--record: %w", err)
		}
		cassette = filepath.Join(o.record, "probe-"+time.Now().UTC().Format("20060102T150405Z"))
		if rec, err = contract.NewRecorder(cassette, recorder.ModeRecordOnly, hc.Transport); err != nil {
			return fmt.Errorf("--record: %w", err)
		}
		opts.Record = rec
	}
	var overlay *contract.OverlaySuggester
	if o.suggestOverlay != "" {
		overlay = contract.NewOverlaySuggester(v)
		opts.Observe = overlay.Observe
	}
	prog := a.probeProgress(plan, o.allowWrites)
	if prog != nil {
		opts.Progress = func(int, int) { prog.record(result{Status: "activated"}) }
		prog.start()
	}
	res, err := probe.Run(ctx, v, plan, opts)
	if prog != nil {
		prog.stop()
	}
	if err != nil {
		return err
	}
	if rec != nil {
		if err := rec.Stop(); err != nil {
			return fmt.Errorf("--record: %w", err)
		}
		fmt.Fprintf(notes, "recorded %s.yaml\n", cassette)
	}
	if overlay != nil {
		if err := writeOverlay(overlay, o.suggestOverlay, notes); err != nil {
			return err
		}
	}
	err = reportfile.Write(reportFiles, func(w io.Writer) error { return probe.WriteJUnit(w, res) },
		func() *htmlreport.Model {
			return htmlreport.ProbeModel(res, v, htmlreport.RunOf(v, "contract probe", os.Args))
		})
	if err == nil {
		err = reportfile.CloseAll(reportFiles)
	}
	if err != nil {
		return fmt.Errorf("--report: %w", err)
	}
	if err := write(a.stdout, res); err != nil {
		return err
	}
	if o.format == "json" {
		fmt.Fprintln(a.stderr, "probe: "+probe.SummaryLine(res))
	}
	if len(res.Findings) > 0 {
		return &exitError{code: exitFailed, err: fmt.Errorf("%d findings: the service breaks promises of the spec (see above)", len(res.Findings))}
	}
	return nil
}

func probeWriter(format string) (func(io.Writer, *probe.Result) error, error) {
	switch format {
	case "text":
		return probe.WriteText, nil
	case "json":
		return probe.WriteJSON, nil
	case "github":
		return probe.WriteGitHub, nil
	}
	return nil, usagef("--format %q: want text, json or github", format)
}

// probeProgress is a bar on a terminal (nil elsewhere): the batch's, counting cases.
func (a *app) probeProgress(plan *probe.Plan, writes bool) *progress {
	if !isTerminal(a.stderr) {
		return nil
	}
	total := len(plan.Cases)
	if writes {
		total += len(plan.Scenario)
	}
	p := newProgress(a.stderr, "bar", total, nil)
	p.after = 2 * time.Second // a bar for runs longer than a few seconds
	return p
}

// printDryRun prints each case as a curl line under a comment naming it, or with --format
// json as one JSON object per case (stdout holds JSON only).
func printDryRun(w io.Writer, format, endpoint string, plan *probe.Plan, writes, caFile bool) error {
	cases := plan.Cases
	if writes {
		cases = append(cases[:len(cases):len(cases)], plan.Scenario...)
	}
	enc := json.NewEncoder(w)
	for _, c := range cases {
		curl := probe.Curl(endpoint, c, plan.Garbage, caFile)
		if format == "json" {
			if err := enc.Encode(map[string]any{"case": c.Name, "kind": c.Kind, "operationId": c.OperationID, "why": c.Why, "curl": curl}); err != nil {
				return err
			}
			continue
		}
		fmt.Fprintln(w, fitLine(fmt.Sprintf("# %s (%s)", c.Name, c.Kind)))
		if _, err := fmt.Fprintln(w, curl); err != nil {
			return err
		}
	}
	return nil
}

func writeOverlay(s *contract.OverlaySuggester, file string, note io.Writer) error {
	if s.Len() == 0 {
		fmt.Fprintf(note, "suggest-overlay: no undeclared field seen; %s not written\n", file)
		return nil
	}
	f, err := os.Create(file)
	if err != nil {
		return fmt.Errorf("--suggest-overlay: %w", err)
	}
	defer f.Close()
	if err := s.WriteOverlay(f); err != nil {
		return fmt.Errorf("--suggest-overlay: %w", err)
	}
	fmt.Fprintf(note, "suggest-overlay: %d undeclared fields declared in %s\n", s.Len(), file)
	return f.Close()
}

// fitLine cuts a line to 80 columns, never inside a character (an id typed with accents).
func fitLine(s string) string {
	if len(s) <= 80 {
		return s
	}
	cut := 77
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

// checkNames are the probe's check names, as the package defines them.
func checkNames() []string {
	names := make([]string, len(probe.Checks))
	for i, c := range probe.Checks {
		names[i] = string(c)
	}
	return names
}

// wrapWords joins words with ", " in lines of at most width columns.
func wrapWords(words []string, width int) string {
	var lines []string
	line := ""
	for i, w := range words {
		if i < len(words)-1 {
			w += ","
		}
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	for i := range lines {
		lines[i] = "  " + lines[i]
	}
	return strings.Join(append(lines, "  "+line), "\n")
}
