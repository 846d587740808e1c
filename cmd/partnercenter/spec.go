package main

import (
	"errors"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/partnercenter-go/partnercenter/contract"
)

// The spec a judging command judges with: --spec FILE, else $PARTNER_CENTER_SPEC, else the
// spec built into the command. Every command that judges (contract validate, proxy, probe)
// adds the flag with addSpecFlag and builds its validator with newValidator, so that a team
// that applied an overlay to openapi.yaml judges with it without rebuilding.

const specEnv = "PARTNER_CENTER_SPEC"

func addSpecFlag(cmd *cobra.Command, file *string) {
	cmd.Flags().StringVar(file, "spec", "", "judge against this OpenAPI document (default: $"+specEnv+", else the spec built in)")
}

// newValidator compiles the spec the flag or the environment names (the embedded one when
// neither does). A spec file that cannot be read or judged with is a usage error, naming
// where it was given and what is wrong with it.
func (a *app) newValidator(specFlag string, opts contract.Options) (*contract.Validator, error) {
	source := "--spec"
	if specFlag == "" {
		specFlag, source = a.getenv(specEnv), specEnv
	}
	opts.SpecFile = specFlag
	v, err := contract.NewDefault(opts)
	var se *contract.SpecError
	if errors.As(err, &se) {
		return nil, usagef("%s %s: %s", source, strconv.Quote(se.Path), se.Reason)
	}
	return v, err
}
