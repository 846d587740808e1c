package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/partnercenter-go/partnercenter/contract"
)

// newContractCommand is the command's front end over the contract gate's engine: it prints
// what contract.Run streams, through the same reporters as `make contract`, and exits with the
// engine's verdict (1 when it fails, 2 on a usage error).
func newContractCommand(a *app) *cobra.Command {
	c := &cobra.Command{Use: "contract", Short: "The contract gate"}
	var strict bool
	var format, suggestOverlay string
	var reports []string
	validate := &cobra.Command{
		Use:   "validate PATH...",
		Short: "Judge go-vcr v4 cassettes and HAR captures (folders or files) against openapi.yaml",
		Long: `Judge every go-vcr v4 cassette (*.yaml, *.yml) and HAR 1.2 capture (*.har, as browser
devtools, Fiddler and mitmproxy export it; each entry is an interaction) under each PATH
against openapi.yaml, and scan it for secrets. Folders are walked recursively (symbolic
links followed, hidden folders such as .git skipped). Interactions that are not Partner Center API calls (the token
exchange, other hosts, paths outside /v1/) are listed as ignored, not judged; a run that
judges no interaction fails. --suggest-overlay FILE also writes an OpenAPI Overlay 1.0
document declaring every undeclared field seen (apply it with make apply-overlay).

The exit status is 0 when the gate passes, 1 when it fails, 2 on a usage error.`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("give at least one PATH (a folder or a cassette file)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			reporter, err := contract.NewReporter(format, a.stdout, "")
			if err != nil {
				return usagef("--format: %v", err)
			}
			var junitFiles []*os.File
			for _, r := range reports {
				kind, file, ok := strings.Cut(r, "=")
				if !ok || kind != "junit" || file == "" {
					return usagef("--report %q: want junit=FILE", r)
				}
				f, err := os.Create(file)
				if err != nil {
					return fmt.Errorf("--report: %w", err)
				}
				defer f.Close()
				junitFiles = append(junitFiles, f)
			}
			v, err := contract.NewDefault(contract.Options{Strict: strict})
			if err != nil {
				return err
			}
			reporters := []contract.Reporter{reporter}
			if suggestOverlay != "" {
				reporters = append(reporters, v.NewOverlayReporter(suggestOverlay, a.stdout))
			}
			for _, f := range junitFiles {
				j, err := contract.NewJUnitReporter(f)
				if err != nil {
					return err
				}
				reporters = append(reporters, j)
			}
			sum, err := v.Print(cmd.Context(), args, contract.Reporters(reporters...))
			if err != nil && sum != nil && sum.Err() != nil {
				return &exitError{code: exitFailed, err: err}
			}
			return err
		},
	}
	validate.Flags().BoolVar(&strict, "strict", false, "undeclared fields, undocumented +json types and empty error bodies are violations, not drift")
	validate.Flags().StringVar(&format, "format", "text", "output: text, json (JSON lines) or github (workflow annotations)")
	validate.Flags().StringArrayVar(&reports, "report", nil, "also write a report: junit=FILE (repeatable)")
	validate.Flags().StringVar(&suggestOverlay, "suggest-overlay", "", "write an OpenAPI Overlay 1.0 document declaring every undeclared field seen to this file")
	c.AddCommand(validate, newContractProxyCommand(a), newContractProbeCommand(a))
	return c
}
