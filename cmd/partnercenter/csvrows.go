package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/partnercenter-go/partnercenter/internal/guid"
	"github.com/partnercenter-go/partnercenter/internal/redact"
)

// The batch's CSV reader. It reads CSV as people write it rather than RFC 4180 to the letter,
// because a wrong reading is silent: a CR-only file read as one record did nothing and exited
// 0, and a stray quote swallowed every following row. So it is line-oriented:
//   - lines end at CR, LF or CRLF (Excel for Mac, Unix, Windows);
//   - a UTF-8 byte-order mark (Excel's "CSV UTF-8") is dropped; a UTF-16 file is refused;
//   - each line is split on commas, or on semicolons when the first line has semicolons and no
//     comma (Excel in locales with a decimal comma);
//   - fields may be quoted ("" is a quote inside); a quote left open, or text after a closing
//     quote, is an error of that line alone, and reading resumes at the next line: a field
//     cannot span lines (ids never contain line breaks);
//   - fields are trimmed of spaces and tabs, and empty fields at the end of a line (a trailing
//     comma) are dropped; blank lines and lines starting with # are skipped.

// maxCSVLine bounds one line: a longer one is reported, and its rest skipped.
const maxCSVLine = 64 << 10

// csvLine is one non-blank line of a CSV file: its fields, or why it is malformed.
type csvLine struct {
	line   int
	fields []string
	text   string // the line as read (up to maxCSVLine), for error messages
	err    error
}

// csvLines reads r's lines. The error is an I/O error or an encoding the reader refuses.
func csvLines(r io.Reader) ([]csvLine, error) {
	br := bufio.NewReader(r)
	if head, _ := br.Peek(3); bytes.HasPrefix(head, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	} else if bytes.HasPrefix(head, []byte("\xff\xfe")) || bytes.HasPrefix(head, []byte("\xfe\xff")) {
		return nil, errors.New("the file is UTF-16 (Excel's \"Unicode Text\"): save it as \"CSV UTF-8\"")
	}
	var out []csvLine
	sep := byte(0) // decided by the first non-blank line
	for n := 1; ; n++ {
		text, tooLong, err := readLine(br)
		if err != nil && err != io.EOF {
			return nil, err
		}
		trimmed := strings.TrimSpace(text)
		if trimmed != "" && !strings.HasPrefix(trimmed, "#") {
			if sep == 0 {
				sep = ','
				if strings.Contains(text, ";") && !strings.Contains(text, ",") {
					sep = ';'
				}
			}
			l := csvLine{line: n, text: text}
			if tooLong {
				l.err = fmt.Errorf("longer than %d KiB", maxCSVLine>>10)
			} else {
				l.fields, l.err = splitCSVLine(text, sep)
			}
			out = append(out, l)
		}
		if err == io.EOF {
			return out, nil
		}
	}
}

// readLine reads up to the next CR, LF or CRLF (dropped). tooLong is true when the line was
// longer than maxCSVLine; text is then its start. err is io.EOF at the end of the input.
func readLine(br *bufio.Reader) (text string, tooLong bool, err error) {
	var b strings.Builder
	for {
		c, err := br.ReadByte()
		if err != nil {
			return b.String(), tooLong, err
		}
		switch c {
		case '\n':
			return b.String(), tooLong, nil
		case '\r':
			if next, err := br.Peek(1); err == nil && next[0] == '\n' {
				br.Discard(1)
			}
			return b.String(), tooLong, nil
		}
		if b.Len() < maxCSVLine {
			b.WriteByte(c)
		} else {
			tooLong = true
		}
	}
}

// splitCSVLine splits one line into trimmed fields, without the empty ones at its end.
func splitCSVLine(line string, sep byte) ([]string, error) {
	var fields []string
	i := 0
	for {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		var field string
		if i < len(line) && line[i] == '"' {
			open := i + 1
			var b strings.Builder
			i++
			for {
				q := strings.IndexByte(line[i:], '"')
				if q < 0 {
					return nil, fmt.Errorf("the quote opened at column %d is not closed on this line", open)
				}
				b.WriteString(line[i : i+q])
				i += q + 1
				if i < len(line) && line[i] == '"' { // "" is a quote inside the field
					b.WriteByte('"')
					i++
					continue
				}
				break
			}
			field = b.String()
			for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
				i++
			}
			if i < len(line) && line[i] != sep {
				return nil, fmt.Errorf("text after the closing quote at column %d", i)
			}
		} else {
			end := strings.IndexByte(line[i:], sep)
			if end < 0 {
				end = len(line) - i
			}
			field = line[i : i+end]
			if q := strings.IndexByte(field, '"'); q >= 0 {
				return nil, fmt.Errorf("a quote in the middle of an unquoted field at column %d", i+q+1)
			}
			i += end
		}
		fields = append(fields, strings.TrimSpace(field))
		if i >= len(line) {
			break
		}
		i++ // the separator
	}
	for len(fields) > 0 && fields[len(fields)-1] == "" {
		fields = fields[:len(fields)-1]
	}
	return fields, nil
}

// csvColumns says where a batch file's ids are: from its header, or the first two columns.
type csvColumns struct {
	customer, subscription int
	width                  int // how many columns a row may have
}

// headerAliases are the names a header may give the two columns, compared with case, spaces,
// underscores and hyphens ignored: "Customer ID", "customer_id", "CustomerTenantId"...
var headerAliases = map[string]string{
	"customer": "customer", "customerid": "customer", "customertenantid": "customer", "customertenant": "customer",
	"tenantid": "customer", "tenant": "customer",
	"subscription": "subscription", "subscriptionid": "subscription", "subid": "subscription", "saassubscriptionid": "subscription",
}

func normalizeHeader(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '_', '-', '\t':
			return -1
		}
		return r
	}, strings.ToLower(s))
}

// parseHeader recognises a header line. ok is false when the line is not a header (no field
// is a known column name); err says what a header lacks.
func parseHeader(fields []string) (cols csvColumns, ok bool, err error) {
	cols = csvColumns{customer: -1, subscription: -1, width: len(fields)}
	for i, f := range fields {
		switch headerAliases[normalizeHeader(f)] {
		case "customer":
			if cols.customer < 0 {
				cols.customer = i
			}
			ok = true
		case "subscription":
			if cols.subscription < 0 {
				cols.subscription = i
			}
			ok = true
		}
	}
	switch {
	case !ok && !slices.ContainsFunc(fields, looksLikeID):
		return cols, false, fmt.Errorf("%s is not a header this command knows, nor a row of ids: want a header naming %s and %s, or rows of two GUIDs",
			quoteFields(fields), headerNames("customer"), headerNames("subscription"))
	case !ok:
		return csvColumns{customer: 0, subscription: 1, width: 2}, false, nil
	case cols.customer < 0:
		return cols, true, fmt.Errorf("the header %s names no customer column: want %s", quoteFields(fields), headerNames("customer"))
	case cols.subscription < 0:
		return cols, true, fmt.Errorf("the header %s names no subscription column: want %s", quoteFields(fields), headerNames("subscription"))
	}
	return cols, true, nil
}

// headerSpellings are headerAliases as messages list them (TestHeaderSpellings keeps the two
// in step).
var headerSpellings = map[string][]string{
	"customer":     {"customer", "customerId", `"Customer ID"`, "customerTenantId", "customerTenant", "tenantId", "tenant"},
	"subscription": {"subscription", "subscriptionId", `"Subscription ID"`, "subId", "saasSubscriptionId"},
}

// headerNames lists the names a header may give a column (any case; spaces, underscores and
// hyphens ignored).
func headerNames(column string) string {
	return "the " + column + " column (" + strings.Join(headerSpellings[column], ", ") + ")"
}

// looksLikeID tells a mistyped id (a data row to report as invalid) from a column name (a
// header this command does not know): an id is mostly hex digits.
func looksLikeID(field string) bool {
	hex, other := 0, 0
	for _, c := range field {
		switch {
		case c == '-' || c == '{' || c == '}':
		case '0' <= c && c <= '9', 'a' <= c && c <= 'f', 'A' <= c && c <= 'F':
			hex++
		default:
			other++
		}
	}
	return hex >= 8 && other*4 <= hex
}

func quoteFields(fields []string) string {
	q := make([]string, len(fields))
	for i, f := range fields {
		q[i] = strconv.Quote(redact.Bounded(f, 40))
	}
	return redact.Bounded(strings.Join(q, ","), 200)
}

// sniffBytes is how much of a batch file is looked at to tell CSV from other formats.
const sniffBytes = 8 << 10

// notCSV says why a batch file's start is not CSV: an empty file, binary bytes, YAML (a
// go-vcr cassette), JSON (a HAR capture, or this command's results) or markup. Such a file
// read as CSV made one invalid row per line, all appended to the results file.
func notCSV(head []byte, whole bool) string {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	if bytes.HasPrefix(head, []byte("\xff\xfe")) || bytes.HasPrefix(head, []byte("\xfe\xff")) {
		return "" // UTF-16: csvLines says how to save it
	}
	if i := bytes.IndexByte(head, 0); i >= 0 {
		return fmt.Sprintf("binary, not CSV (a NUL byte at offset %d)", i)
	}
	first := ""
	for line := range strings.Lines(string(head)) {
		if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "#") {
			first = t
			break
		}
	}
	switch {
	case first == "" && whole:
		return "the file is empty: want CSV rows of customer,subscription"
	case strings.HasPrefix(first, "{\"line\":"):
		return "JSON lines, not CSV: it looks like the results of partnercenter activate (give it as --resume or --results)"
	case strings.HasPrefix(first, "{") || strings.HasPrefix(first, "["):
		return "JSON, not CSV (a HAR capture?)"
	case strings.HasPrefix(first, "---") || strings.HasPrefix(first, "%YAML") || yamlKey.MatchString(first):
		return "YAML, not CSV (a go-vcr cassette?)"
	case strings.HasPrefix(first, "<"):
		return "XML or HTML, not CSV"
	}
	return ""
}

// yamlKey is a YAML mapping key opening a line ("interactions:", "version: 2"); a CSV header
// or row has no colon followed by a space or the line's end.
var yamlKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_ -]*:(\s|$)`)

// readRows reads a batch file's rows; rows that are not two GUIDs, or malformed lines, come
// back as invalid results naming their line, and rows that repeat an earlier one as
// duplicates.
func readRows(path string) (rows []row, invalid, dups []result, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, nil, usagef("--file %s: %w", quoteValue(path), unwrapPath(err))
	}
	defer f.Close()
	return parseRows(f, path, time.Now())
}

func parseRows(r io.Reader, name string, now time.Time) (rows []row, invalid, dups []result, err error) {
	br := bufio.NewReaderSize(r, sniffBytes)
	head, peekErr := br.Peek(sniffBytes)
	if why := notCSV(head, peekErr != nil); why != "" {
		return nil, nil, nil, usagef("--file %s: %s; e.g. a file of the lines customer,subscription and %s,%s",
			name, why, exampleGUID, "aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e")
	}
	lines, err := csvLines(br)
	if err != nil {
		return nil, nil, nil, usagef("--file %s: %w", name, err)
	}
	stamp := now.UTC().Format(time.RFC3339Nano)
	cols := csvColumns{customer: 0, subscription: 1, width: 2}
	if len(lines) > 0 && lines[0].err == nil {
		c, isHeader, err := parseHeader(lines[0].fields)
		if err != nil {
			return nil, nil, nil, usagef("--file %s line %d: %w", name, lines[0].line, err)
		}
		if isHeader {
			cols, lines = c, lines[1:]
		}
	}
	bad := func(l csvLine, why string) {
		invalid = append(invalid, result{Line: l.line, Status: "invalid", Error: why + ": " + strconv.Quote(redact.Bounded(l.text, 200)), Time: stamp})
	}
	firstLine := map[string]int{} // customer/subscription -> the line that has it first
	for _, l := range lines {
		if l.err != nil {
			bad(l, "not CSV: "+l.err.Error())
			continue
		}
		f := l.fields
		if len(f) > cols.width || len(f) <= max(cols.customer, cols.subscription) ||
			!guid.Valid(f[cols.customer]) || !guid.Valid(f[cols.subscription]) {
			bad(l, fmt.Sprintf("want a customer GUID in column %d and a subscription GUID in column %d", cols.customer+1, cols.subscription+1))
			continue
		}
		r := row{line: l.line, customer: f[cols.customer], subscription: f[cols.subscription]}
		k := key(r.customer, r.subscription)
		if first, seen := firstLine[k]; seen {
			dups = append(dups, result{Line: l.line, Customer: r.customer, Subscription: r.subscription, Status: "duplicate",
				Error: fmt.Sprintf("repeats line %d", first), Time: stamp})
			continue
		}
		firstLine[k] = l.line
		rows = append(rows, r)
	}
	return rows, invalid, dups, nil
}
