package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/partnercenter-go/partnercenter/contract"
	"github.com/partnercenter-go/partnercenter/contract/htmlreport"
	"github.com/partnercenter-go/partnercenter/contract/reportfile"
)

// newContractCommand is the command's front end over the contract gate's engine: it prints
// what contract.Run streams, through the same reporters as `make contract`, and exits with the
// engine's verdict (1 when it fails, 2 on a usage error).
func newContractCommand(a *app) *cobra.Command {
	c := &cobra.Command{Use: "contract", Short: "The contract gate", Example: `  partnercenter contract validate recordings/
  partnercenter contract proxy --target https://api.partnercenter.microsoft.com`}
	var strict bool
	var format, suggestOverlay, specFile string
	var reports []string
	validate := &cobra.Command{
		Use:   "validate PATH...",
		Short: "Judge cassettes and HAR captures against openapi.yaml",
		Example: `  # Judge a folder of recordings; a JUnit report for CI
  partnercenter contract validate recordings/ --report junit=contract.xml

  # Judge with openapi.yaml as patched by an overlay, without a rebuild
  partnercenter contract validate --spec patched-openapi.yaml recordings/

  # Write an overlay that declares the undeclared fields seen
  partnercenter contract validate --suggest-overlay overlay.yaml capture.har

  # A page to look at: coverage grids, findings with their exchanges
  partnercenter contract validate recordings/ --report html=contract.html`,
		Long: `Judge every go-vcr v4 cassette (*.yaml, *.yml) and HAR 1.2 capture (*.har, as
browser devtools, Fiddler and mitmproxy export it; each entry is an
interaction) under each PATH against openapi.yaml, and scan it for secrets.
Folders are walked recursively (symbolic links followed, hidden folders such
as .git skipped). Interactions that are not Partner Center API calls (the
token exchange, other hosts, paths outside /v1/) are listed as ignored, not
judged; a run that judges no interaction fails. --suggest-overlay FILE also
writes an OpenAPI Overlay 1.0 document declaring every undeclared field seen
(apply it with make apply-overlay). --report html=FILE writes the run as one
self-contained HTML page (docs/html-report.md), --report junit=FILE as JUnit.

The exit status is 0 when the gate passes, 1 when it fails, 2 on a usage
error.`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("give at least one PATH (a folder or a cassette file)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkPathArgs(args); err != nil {
				return err
			}
			if suggestOverlay != "" {
				if err := checkOutputFile("suggest-overlay", suggestOverlay); err != nil {
					return err
				}
			}
			reporter, err := contract.NewReporter(format, a.stdout, "")
			if err != nil {
				return usagef("--format: %v", err)
			}
			specs, err := reportfile.ParseAll(reports, "")
			if err != nil {
				return usagef("--report %v, e.g. --report html=contract.html", err)
			}
			for _, s := range specs {
				if err := checkOutputFile("report", s.File); err != nil {
					return err
				}
			}
			// The spec is loaded before any report file is created: a bad --spec writes nothing.
			v, err := a.newValidator(specFile, contract.Options{Strict: strict})
			if err != nil {
				return err
			}
			files, err := reportfile.Open(specs, htmlreport.RunOf(v, "contract validate", os.Args))
			if err != nil {
				return fmt.Errorf("--report: %w", err)
			}
			defer files.Close()
			reporters := []contract.Reporter{reporter}
			if suggestOverlay != "" {
				reporters = append(reporters, v.NewOverlayReporter(suggestOverlay, a.stdout))
			}
			reporters = append(reporters, files.Reporters()...)
			sum, err := v.Print(cmd.Context(), args, contract.Reporters(reporters...))
			if cerr := files.Close(); cerr != nil && (err == nil || sum != nil && sum.Err() != nil) {
				return fmt.Errorf("--report: %w", cerr)
			}
			if err != nil && sum != nil && sum.Err() != nil {
				return &exitError{code: exitFailed, err: err}
			}
			return err
		},
	}
	validate.Flags().BoolVar(&strict, "strict", false, "undeclared fields, undocumented +json types and empty error bodies are violations, not drift")
	validate.Flags().StringVar(&format, "format", "text", "output: text, json (JSON lines) or github (workflow annotations)")
	validate.Flags().StringArrayVar(&reports, "report", nil, "also write a report: junit=FILE or html=FILE (repeatable; a bare FILE is junit)")
	validate.Flags().StringVar(&suggestOverlay, "suggest-overlay", "", "write an OpenAPI Overlay 1.0 document declaring every undeclared field seen to this file")
	addSpecFlag(validate, &specFile)
	c.AddCommand(validate, newContractProxyCommand(a), newContractProbeCommand(a))
	return c
}
