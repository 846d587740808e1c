package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/partnercenter-go/partnercenter/sandbox"
)

// usageRefused asserts a usage error as a person meets it: exit 2, one line that names the
// flag as typed (and an example value, when the flag takes one), then the command's own
// --help line.
func usageRefused(t *testing.T, r ran, args []string, mention, help string) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if r.code != 2 || len(lines) != 2 || !strings.HasPrefix(lines[0], "partnercenter: ") || !strings.Contains(lines[0], mention) ||
		lines[1] != "Run '"+help+" --help' for usage." || r.stdout != "" {
		t.Errorf("%q: want exit 2, %q and Run '%s --help' for usage., got %+v", args, mention, help, r)
	}
}

// TestFlagValues: every bad flag value, argument or file is refused with exit 2 before
// anything is sent (the sandbox counts no request) or written (the results file is
// untouched, byte for byte), naming the flag as typed with an example value.
func TestFlagValues(t *testing.T) {
	sb := sandbox.Start(t, sandbox.Options{})
	e := withEndpoint(t, sb)
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.csv", customer+","+subA+"\n")
	results := write("results.jsonl", `{"line":1,"customer":"`+customer+`","subscription":"`+subB+`","status":"activated","time":"t"}`+"\n")
	before, _ := os.ReadFile(results)
	cassette, _ := filepath.Abs("../../contract/testdata/cassettes/published/msrest-for-python-issue-144/byte-order-mark.yaml")
	batch := func(file string, extra ...string) []string {
		return append([]string{"activate", "--file", file, "--results", results, "--progress", "none"}, extra...)
	}
	const eg = "e.g. --customer " + exampleGUID
	for _, tc := range []struct {
		args          []string
		mention, help string
	}{
		{[]string{"links", "--customer", "x", "--order", order}, `--customer "x": want a GUID, ` + eg, "partnercenter links"},
		{[]string{"links", "--order", order}, "--customer is required, " + eg, "partnercenter links"},
		{[]string{"links", "--customer", customer, "--subscription", "sub-1"}, `--subscription "sub-1": want a GUID, e.g. --subscription `, "partnercenter links"},
		{[]string{"links", "--customer", customer, "--order", order, "--line-item", "-1"}, "--line-item -1: want a line item number from 0, e.g. --line-item 1", "partnercenter links"},
		{[]string{"links", "--customer", customer, "--order", ".."}, `--order "..": want an order id, e.g. --order `, "partnercenter links"},
		{[]string{"links", "--custmer", customer}, "unknown flag --custmer; did you mean --customer?", "partnercenter links"},
		{[]string{"activate", "--customer", customer, "--subscription", "{" + subA + "}"}, `--subscription "{` + subA + `}": want a GUID`, "partnercenter activate"},
		{[]string{"activate", "--customer", "x"}, `--customer "x": want a GUID, ` + eg, "partnercenter activate"},
		{[]string{"activate", "--subscripton", subA}, "did you mean --subscription?", "partnercenter activate"},
		{[]string{"activate", "--customer", customer, "--subscription", subA, "--force"}, "--force goes with --file (a batch), e.g. --file subscriptions.csv --force", "partnercenter activate"},
		{[]string{"activate", "--customer", customer, "--subscription", subA, "--results", results}, "--results goes with --file", "partnercenter activate"},
		{[]string{"lnks"}, `unknown command "lnks" for "partnercenter"; did you mean "links"?`, "partnercenter"},
		{[]string{"contract", "valdate"}, `did you mean "validate"?`, "partnercenter contract"},
		{batch(filepath.Join(dir, "none.csv")), `--file "` + filepath.Join(dir, "none.csv") + `": no such file`, "partnercenter activate"},
		{batch(dir), `--file "` + dir + `": a folder, not a file`, "partnercenter activate"},
		{batch(cassette), "YAML, not CSV (a go-vcr cassette?); e.g. a file of the lines customer,subscription and ", "partnercenter activate"},
		{batch(write("capture.har", `{"log":{"version":"1.2","entries":[]}}`)), "JSON, not CSV", "partnercenter activate"},
		{batch(write("old.jsonl", `{"line":1,"status":"activated"}`+"\n")), "the results of partnercenter activate", "partnercenter activate"},
		{batch(write("subs.xlsx", "PK\x03\x04\x14\x00\x06\x00")), "binary, not CSV", "partnercenter activate"},
		{batch(write("empty.csv", "")), "the file is empty", "partnercenter activate"},
		{batch(write("header.csv", "cust id,sub\n"+customer+","+subA+"\n")), `line 1: "cust id","sub" is not a header this command knows`, "partnercenter activate"},
		{batch(good, "--resume", filepath.Join(dir, "none.jsonl")), `--resume "` + filepath.Join(dir, "none.jsonl") + `": no such file`, "partnercenter activate"},
		{[]string{"activate", "--file", good, "--results", filepath.Join(dir, "no", "r.jsonl")}, `the folder "` + filepath.Join(dir, "no") + `" does not exist`, "partnercenter activate"},
		{batch(good, "--concurrency", "0"), "--concurrency 0", "partnercenter activate"},
		{[]string{"contract", "validate", filepath.Join(dir, "nothing-here")}, `PATH "` + filepath.Join(dir, "nothing-here") + `": no such file or folder`, "partnercenter contract validate"},
	} {
		r := runCLI(t, e, tc.args...)
		usageRefused(t, r, tc.args, tc.mention, tc.help)
	}
	if n := sb.Stats().Requests; n != 0 {
		t.Errorf("bad usage reached the sandbox: %d requests", n)
	}
	if after, _ := os.ReadFile(results); !bytes.Equal(before, after) {
		t.Errorf("the results file was written:\n%s", after)
	}
	if _, err := os.Stat(filepath.Join(dir, "no")); err == nil {
		t.Error("a results folder was created")
	}
	// The control: the same flags, right, run (exit 0) and write.
	if r := runCLI(t, e, batch(good)...); r.code != 0 {
		t.Fatalf("control: %+v", r)
	}
	if after, _ := os.ReadFile(results); bytes.Equal(before, after) {
		t.Error("control: the results file was not written")
	}
}
