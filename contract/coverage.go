package contract

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/partnercenter-go/partnercenter/internal/mediatype"
)

// Coverage records which documented statuses and media types of each operation the judged
// exchanges exercised.
type Coverage struct {
	ops []*opCoverage
}

type opCoverage struct {
	id, method, path   string
	statuses           []string
	mediaTypes         []string
	seenStatus, seenMT map[string]int
}

// NewCoverage lists the documented statuses and media types of every operation of doc.
func NewCoverage(doc *openapi3.T) *Coverage {
	c := &Coverage{}
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for method, op := range item.Operations() {
			oc := &opCoverage{id: op.OperationID, method: method, path: path, seenStatus: map[string]int{}, seenMT: map[string]int{}}
			mts := map[string]bool{}
			for status, resp := range op.Responses.Map() {
				oc.statuses = append(oc.statuses, status)
				for mt := range resp.Value.Content {
					mts[mt] = true
				}
			}
			for mt := range mts {
				oc.mediaTypes = append(oc.mediaTypes, mt)
			}
			sort.Strings(oc.statuses)
			sort.Strings(oc.mediaTypes)
			c.ops = append(c.ops, oc)
		}
	}
	sort.Slice(c.ops, func(i, j int) bool { return c.ops[i].id < c.ops[j].id })
	return c
}

// Record counts one exchange against the operation it routed to (see Validator.Route);
// an exchange that routes nowhere ("") counts for no operation.
func (c *Coverage) Record(operationID string, ex Exchange) {
	c.record(operationID, ex.Status, ex.ResponseHeader.Get("Content-Type"))
}

func (c *Coverage) record(operationID string, status int, contentType string) {
	for _, oc := range c.ops {
		if oc.id == operationID {
			oc.seenStatus[strconv.Itoa(status)]++
			if mt, ok := mediatype.Parse(contentType); ok {
				oc.seenMT[mt]++
			}
		}
	}
}

// Exercised reports whether operation id was exercised with the given status.
func (c *Coverage) Exercised(id string, status int) bool {
	for _, oc := range c.ops {
		if oc.id == id {
			return oc.seenStatus[fmt.Sprint(status)] > 0
		}
	}
	return false
}

// Write prints the coverage table within 80 columns: per operation, a line of its
// documented statuses and one of its media types, each marked with how many exchanges
// exercised it ("-" for none), wrapped under their label.
func (c *Coverage) Write(w io.Writer) {
	for _, oc := range c.ops {
		fmt.Fprintln(w, oc.id)
		writeWrapped(w, "  statuses     ", marks(oc.statuses, oc.seenStatus), textWidth)
		writeWrapped(w, "  media types  ", marks(oc.mediaTypes, oc.seenMT), textWidth)
	}
	fmt.Fprintln(w, "(count of exchanges; '-': documented, not exercised)")
}

// writeWrapped writes the words of items after label, wrapped at width under the label's
// indent.
func writeWrapped(w io.Writer, label string, items []string, width int) {
	io.WriteString(w, Wrap(label+strings.Join(items, " "), width, strings.Repeat(" ", len(label))))
}

func marks(keys []string, seen map[string]int) []string {
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		n := "-"
		if seen[k] > 0 {
			n = fmt.Sprint(seen[k])
		}
		parts = append(parts, k+":"+n)
	}
	var extra []string
	for k := range seen {
		if !slices.Contains(keys, k) {
			extra = append(extra, k+":"+fmt.Sprint(seen[k])+"(undocumented)")
		}
	}
	sort.Strings(extra) // a map's order would make two runs' tables differ
	return append(parts, extra...)
}

// coverageJSON is one operation's coverage as the JSON and JUnit outputs give it: each
// documented status and media type with how many exchanges exercised it (0 for none).
type coverageJSON struct {
	Operation  string         `json:"operation"`
	Statuses   map[string]int `json:"statuses"`
	MediaTypes map[string]int `json:"mediaTypes"`
}

func (c *Coverage) entries() []coverageJSON {
	out := make([]coverageJSON, 0, len(c.ops))
	for _, oc := range c.ops {
		e := coverageJSON{Operation: oc.id, Statuses: map[string]int{}, MediaTypes: map[string]int{}}
		for _, s := range oc.statuses {
			e.Statuses[s] = oc.seenStatus[s]
		}
		for s, n := range oc.seenStatus {
			e.Statuses[s] = n
		}
		for _, m := range oc.mediaTypes {
			e.MediaTypes[m] = oc.seenMT[m]
		}
		for m, n := range oc.seenMT {
			e.MediaTypes[m] = n
		}
		out = append(out, e)
	}
	return out
}

// OperationCoverage is one operation's coverage as a report draws it: each documented status
// and media type, in order, with how many exchanges exercised it, then those exercised that
// the operation does not document.
type OperationCoverage struct {
	OperationID, Method, Path string
	Statuses, MediaTypes      []Exercised
}

// Exercised is one status or media type of an operation and how many exchanges exercised it.
type Exercised struct {
	Key        string // "200", "application/json"
	Documented bool
	Count      int
}

// Operations lists every operation's coverage, by operation id.
func (c *Coverage) Operations() []OperationCoverage {
	out := make([]OperationCoverage, 0, len(c.ops))
	for _, oc := range c.ops {
		out = append(out, OperationCoverage{OperationID: oc.id, Method: oc.method, Path: oc.path,
			Statuses: exercised(oc.statuses, oc.seenStatus), MediaTypes: exercised(oc.mediaTypes, oc.seenMT)})
	}
	return out
}

func exercised(documented []string, seen map[string]int) []Exercised {
	out := make([]Exercised, 0, len(documented))
	for _, k := range documented {
		out = append(out, Exercised{Key: k, Documented: true, Count: seen[k]})
	}
	for _, k := range sortedKeys(seen) {
		if !slices.Contains(documented, k) {
			out = append(out, Exercised{Key: k, Count: seen[k]})
		}
	}
	return out
}
