package main

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/partnercenter-go/partnercenter/internal/guid"
	"github.com/partnercenter-go/partnercenter/internal/redact"
)

// The checks of flag values. Every command checks its flags here, before any client call or
// any write, so that a bad value is a usage error (exit 2) naming the flag as the user typed
// it, with an example value: not the client's Go parameter name (customerID), found after a
// token was fetched.

// exampleGUID is the id the messages show as an example value (the seed customer of the
// sandbox, so the example runs there).
const exampleGUID = "42b5f772-5c5c-4bce-b9d7-bdadeecca411"

// quoteValue is a flag value as a message shows it: quoted, bounded, and masked when it looks
// like a credential (a token pasted into the wrong flag).
func quoteValue(v string) string { return strconv.Quote(redact.Bounded(v, 80)) }

// checkGUIDFlag: a required flag whose value is a GUID.
func checkGUIDFlag(flag, value string) error {
	if value == "" {
		return usagef("--%s is required, e.g. --%s %s", flag, flag, exampleGUID)
	}
	if !guid.Valid(value) {
		return usagef("--%s %s: want a GUID, e.g. --%s %s", flag, quoteValue(value), flag, exampleGUID)
	}
	return nil
}

// checkOrderFlag: order ids are not always GUIDs (the client's checkOrderID), but never empty
// or a dot segment, which a path-normalizing proxy would send elsewhere.
func checkOrderFlag(value string) error {
	switch strings.TrimSpace(value) {
	case "", ".", "..":
		return usagef("--order %s: want an order id, e.g. --order Ia80ZLkXp6eWOqpp35pBQJLhqv9IiGVZ1", quoteValue(value))
	}
	return nil
}

// checkLineItemFlag: openapi.yaml's LineItemNumber is an int32 "from 0" (minimum: 0), as the
// service numbers line items (get-activation-link-by-order-line-item: "lineItemNumber": 0).
func checkLineItemFlag(n int) error {
	if n < 0 || n > math.MaxInt32 {
		return usagef("--line-item %d: want a line item number from 0, e.g. --line-item 1", n)
	}
	return nil
}

// checkInputFile: a file the command reads must exist and be a regular file.
func checkInputFile(flag, path string) error {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return usagef("--%s %s: no such file", flag, quoteValue(path))
	case err != nil:
		return usagef("--%s %s: %v", flag, quoteValue(path), unwrapPath(err))
	case st.IsDir():
		return usagef("--%s %s: a folder, not a file", flag, quoteValue(path))
	}
	return nil
}

// checkOutputFile: the folder of a file the command writes must exist (the file need not).
func checkOutputFile(flag, path string) error {
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return usagef("--%s %s: the folder %s does not exist", flag, quoteValue(path), quoteValue(dir))
	case err != nil:
		return usagef("--%s %s: %v", flag, quoteValue(path), unwrapPath(err))
	case !st.IsDir():
		return usagef("--%s %s: %s is not a folder", flag, quoteValue(path), quoteValue(dir))
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return usagef("--%s %s: a folder, not a file", flag, quoteValue(path))
	}
	return nil
}

// checkPathArgs: the PATH arguments of a command that reads files or folders must exist.
func checkPathArgs(paths []string) error {
	for _, p := range paths {
		if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
			return usagef("PATH %s: no such file or folder", quoteValue(p))
		} else if err != nil {
			return usagef("PATH %s: %v", quoteValue(p), unwrapPath(err))
		}
	}
	return nil
}

// checkOutputDir: a folder the command writes into exists, or its parent does (it is
// created then); a typo is found before a session is recorded, not when it is saved.
func checkOutputDir(flag, dir string) error {
	if st, err := os.Stat(dir); err == nil {
		if !st.IsDir() {
			return usagef("--%s %s: a file, not a folder", flag, quoteValue(dir))
		}
		return nil
	}
	parent := filepath.Dir(filepath.Clean(dir))
	if st, err := os.Stat(parent); err != nil || !st.IsDir() {
		return usagef("--%s %s: the folder %s does not exist, e.g. --%s recordings", flag, quoteValue(dir), quoteValue(parent), flag)
	}
	return nil
}

// unwrapPath drops the path an *os.PathError repeats: the message names it already.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// suggestFlag is every command's flag error function: an unknown flag close to a known one
// is answered with it ("unknown flag --custmer; did you mean --customer?"), as cobra does for
// commands.
func suggestFlag(c *cobra.Command, err error) error {
	name, ok := strings.CutPrefix(err.Error(), "unknown flag: --")
	if !ok {
		return err
	}
	name, _, _ = strings.Cut(name, "=")
	best, bestDistance := "", 3 // at most two edits away, as cobra's SuggestionsMinimumDistance
	visit := func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		if d := editDistance(strings.ToLower(name), f.Name); d < bestDistance || (d == bestDistance && f.Name < best) {
			best, bestDistance = f.Name, d
		}
	}
	c.Flags().VisitAll(visit)
	c.InheritedFlags().VisitAll(visit)
	if best == "" || bestDistance >= 3 {
		return fmt.Errorf("unknown flag --%s", name)
	}
	return fmt.Errorf("unknown flag --%s; did you mean --%s?", name, best)
}

// unknownCommand is the Args of a command group: an argument is an unknown subcommand,
// answered with the closest ones (cobra's suggestions; its NoArgs has none).
func unknownCommand(c *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], c.CommandPath())
	if c.SuggestionsMinimumDistance <= 0 {
		c.SuggestionsMinimumDistance = 2 // cobra's default, which it sets only on its own path
	}
	if s := c.SuggestionsFor(args[0]); len(s) > 0 {
		msg += "; did you mean " + strings.Join(quoteAll(s), " or ") + "?"
	}
	return errors.New(msg)
}

func quoteAll(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = strconv.Quote(v)
	}
	return out
}

// editDistance is the Levenshtein distance of a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
