package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/partnercenter-go/partnercenter/internal/guid"
)

const (
	c1 = "42b5f772-5c5c-4bce-b9d7-bdadeecca411"
	s1 = "aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e"
	s2 = "87363db7-39ab-dd25-d371-94340aaa2f97"
)

var t0 = time.Unix(1_800_000_000, 0)

// outcome is a parse summarised: "line:status" for each row, in line order.
func outcome(t *testing.T, input string) string {
	t.Helper()
	rows, invalid, dups, err := parseRows(strings.NewReader(input), "subs.csv", t0)
	if err != nil {
		return "error: " + err.Error()
	}
	byLine := map[int]string{}
	for _, r := range rows {
		byLine[r.line] = "ok"
	}
	for _, r := range invalid {
		byLine[r.Line] = "invalid"
	}
	for _, r := range dups {
		byLine[r.Line] = "dup"
	}
	var out []string
	for l := 1; l <= strings.Count(input, "\n")+strings.Count(input, "\r")+1; l++ {
		if s, ok := byLine[l]; ok {
			out = append(out, fmt.Sprintf("%d:%s", l, s))
		}
	}
	return strings.Join(out, " ")
}

func TestCSVAsPeopleWriteIt(t *testing.T) {
	row1, row2 := c1+","+s1, c1+","+s2
	for _, tc := range []struct{ name, input, want string }{
		{"plain, no header", row1 + "\n" + row2 + "\n", "1:ok 2:ok"},
		{"Excel's CSV UTF-8: a BOM before the header", "\xef\xbb\xbfcustomer,subscription\r\n" + row1 + "\r\n", "2:ok"},
		{"a BOM before the first row", "\xef\xbb\xbf" + row1 + "\n", "1:ok"},
		{"CR only (Excel for Mac)", "customer,subscription\r" + row1 + "\r" + row2 + "\r", "2:ok 3:ok"},
		{"CRLF, no final newline", row1 + "\r\n" + row2, "1:ok 2:ok"},
		{"header aliases in another case, with spaces", "Customer ID , SUBSCRIPTION_ID\n" + row1 + "\n", "2:ok"},
		{"header in the other order", "subscriptionId,customerId\n" + s1 + "," + c1 + "\n", "2:ok"},
		{"header with an extra column", "name,customer,subscription\nContoso," + row1 + "\n", "2:ok"},
		{"semicolons (decimal-comma locales)", "customer;subscription\n" + c1 + ";" + s1 + "\n", "2:ok"},
		{"quoted fields", `"` + c1 + `","` + s1 + `"` + "\n", "1:ok"},
		{"a trailing comma", row1 + ",\n" + row2 + ", ,\n", "1:ok 2:ok"},
		{"blank lines and lines of spaces", "\n" + row1 + "\n   \n\t\n" + row2 + "\n\n", "2:ok 5:ok"},
		{"comments", "# batch of Monday\n" + row1 + "\n", "2:ok"},
		{"a stray opening quote spoils its line only", `"` + c1 + "," + s1 + "\n" + row2 + "\n", "1:invalid 2:ok"},
		{"a quote inside a field", c1 + `x"y,` + s1 + "\n" + row2 + "\n", "1:invalid 2:ok"},
		{"text after a closing quote", `"` + c1 + `"x,` + s1 + "\n" + row2 + "\n", "1:invalid 2:ok"},
		{"not GUIDs", "contoso," + s1 + "\n" + row2 + "\n", "1:invalid 2:ok"},
		{"three values without a header", row1 + "," + s2 + "\n", "1:invalid"},
		{"one value", c1 + "\n", "1:invalid"},
		{"a duplicate, ids in another case", row1 + "\n" + strings.ToUpper(row1) + "\n", "1:ok 2:dup"},
		{"a header naming one column", "customer,name\n" + row1 + "\n", "error: --file subs.csv line 1: the header \"customer\",\"name\" names no subscription column: want the subscription column (subscription, subscriptionId, \"Subscription ID\", subId, saasSubscriptionId)"},
		{"a header this command does not know", "cust,sub\n" + row1 + "\n", "error: --file subs.csv line 1: \"cust\",\"sub\" is not a header this command knows, nor a row of ids: want a header naming the customer column (customer, customerId, \"Customer ID\", customerTenantId, customerTenant, tenantId, tenant) and the subscription column (subscription, subscriptionId, \"Subscription ID\", subId, saasSubscriptionId), or rows of two GUIDs"},
		{"a mistyped id in the first row is a bad row, not a header", "42b5f772-5c5c-4bce-b9d7-bdadeecca41," + s1 + "\n" + row2 + "\n", "1:invalid 2:ok"},
		{"UTF-16", "\xff\xfec\x00", "error: --file subs.csv: the file is UTF-16 (Excel's \"Unicode Text\"): save it as \"CSV UTF-8\""},
		{"empty", "", "error: --file subs.csv: the file is empty: want CSV rows of customer,subscription; e.g. a file of the lines customer,subscription and " + c1 + "," + s1},
		{"comments only", "# nothing yet\n\n", "error: --file subs.csv: the file is empty: want CSV rows of customer,subscription; e.g. a file of the lines customer,subscription and " + c1 + "," + s1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := outcome(t, tc.input); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// Files that are not CSV are refused whole, before a row is read: each was read as CSV once,
// and made one invalid row per line in the results file.
func TestNotCSVIsRefused(t *testing.T) {
	for _, tc := range []struct{ name, input, want string }{
		{"a go-vcr cassette", "---\nversion: 2\ninteractions:\n- id: 0\n", "YAML, not CSV"},
		{"a cassette without ---", "version: 2\ninteractions:\n", "YAML, not CSV"},
		{"a cassette after a comment", "# recorded\ninteractions:\n", "YAML, not CSV"},
		{"a HAR capture", `{"log": {"version": "1.2"}}`, "JSON, not CSV"},
		{"a JSON array", "[\n]", "JSON, not CSV"},
		{"the results file", `{"line":1,"customer":"` + c1 + `"}` + "\n", "the results of partnercenter activate"},
		{"binary", "PK\x03\x04\x00\x00", "binary, not CSV (a NUL byte at offset 4)"},
		{"NUL after a good row", c1 + "," + s1 + "\n\x00", "binary"},
		{"HTML", "<html><body>", "XML or HTML"},
		{"whitespace only", " \r\n\t\n", "the file is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, _, err := parseRows(strings.NewReader(tc.input), "subs.csv", t0)
			if err == nil || !isUsage(err) || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "--file subs.csv: ") {
				t.Fatalf("got %v, want a usage error naming --file and %q", err, tc.want)
			}
		})
	}
	// Control: CSV whose cells hold colons and braces is still CSV.
	if _, invalid, _, err := parseRows(strings.NewReader("customer,subscription\n"+c1+",{"+s1+"}\nnote: x,y\n"), "subs.csv", t0); err != nil || len(invalid) != 2 {
		t.Fatalf("CSV with odd cells: %v, %+v", err, invalid)
	}
}

// TestHeaderSpellings: every spelling a message lists is one the reader accepts, and every
// alias is listed.
func TestHeaderSpellings(t *testing.T) {
	listed := map[string]bool{}
	for column, names := range headerSpellings {
		for _, n := range names {
			n = strings.Trim(n, `"`)
			listed[normalizeHeader(n)] = true
			if headerAliases[normalizeHeader(n)] != column {
				t.Errorf("%q is listed for %s but read as %q", n, column, headerAliases[normalizeHeader(n)])
			}
		}
	}
	for alias := range headerAliases {
		if !listed[alias] {
			t.Errorf("alias %q is accepted but not listed", alias)
		}
	}
}

// A malformed line names its line and what is wrong; a long one is cut in the report.
func TestCSVErrorsNameTheLine(t *testing.T) {
	input := c1 + "," + s1 + "\n\"" + c1 + "," + s2 + "\n" + strings.Repeat("x", 100<<10) + "\n"
	_, invalid, _, err := parseRows(strings.NewReader(input), "subs.csv", t0)
	if err != nil || len(invalid) != 2 {
		t.Fatalf("%v, %+v", err, invalid)
	}
	if invalid[0].Line != 2 || !strings.Contains(invalid[0].Error, "the quote opened at column 1 is not closed on this line") {
		t.Errorf("unterminated quote: %+v", invalid[0])
	}
	if invalid[1].Line != 3 || !strings.Contains(invalid[1].Error, "longer than 64 KiB") || len(invalid[1].Error) > 400 {
		t.Errorf("a 100 KiB line: line %d, %d bytes of error", invalid[1].Line, len(invalid[1].Error))
	}
}

// FuzzParseRows: any input parses without a panic; every line is accounted for at most once,
// with a line number inside the input; every row to activate is two GUIDs, and no two are
// the same subscription.
func FuzzParseRows(f *testing.F) {
	for _, seed := range []string{
		"customer,subscription\n" + c1 + "," + s1 + "\n",
		"\xef\xbb\xbfCustomer ID;Subscription ID\r" + c1 + ";" + s1 + "\r",
		`"` + c1 + `",` + `"` + s1 + `"` + "\r\n" + `"unterminated,` + s2 + "\r\n",
		c1 + "," + s1 + ",\n \n#c\n" + c1 + "," + strings.ToUpper(s1) + "\n",
		`"a""b",c` + "\n" + `"x"y,z`,
		"\xff\xfe\x00",
		"subscription,customer,customer\n" + s1 + "," + c1 + "," + c1,
		"---\nversion: 2\ninteractions: []\n", `{"log":{"entries":[]}}`, "PK\x03\x04\x00", " \n\t", "cust id,sub\n" + c1 + "," + s1,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, input string) {
		rows, invalid, dups, err := parseRows(strings.NewReader(input), "fuzz.csv", t0)
		if err != nil {
			return
		}
		lines := strings.Count(input, "\n") + strings.Count(input, "\r") + 1
		seen := map[int]bool{}
		check := func(line int) {
			if line < 1 || line > lines || seen[line] {
				t.Fatalf("line %d reported twice or out of 1..%d", line, lines)
			}
			seen[line] = true
		}
		subs := map[string]bool{}
		for _, r := range rows {
			check(r.line)
			if !guid.Valid(r.customer) || !guid.Valid(r.subscription) {
				t.Fatalf("row %+v is not two GUIDs", r)
			}
			if subs[key(r.customer, r.subscription)] {
				t.Fatalf("row %+v twice", r)
			}
			subs[key(r.customer, r.subscription)] = true
		}
		for _, r := range append(invalid, dups...) {
			check(r.Line)
			if r.Error == "" {
				t.Fatalf("a bad row without its reason: %+v", r)
			}
		}
	})
}
