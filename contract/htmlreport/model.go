// Package htmlreport writes the contract gate's, proxy's and probe's HTML report: one
// self-contained file (styles inline, no script, no font or image from the network) that
// opens from a downloaded CI artifact. It renders from a small model of its own, which the
// front ends fill through adapters (GateReporter for `contract validate` and `make contract`,
// Collector.Proxy for `contract proxy`, Collector.Add for the probe). The model keeps counts
// and only the first few exchanges of each group of findings, so that a run of 100,000
// interactions makes a report of a few hundred kilobytes.
//
// Every value that comes from a recording or a server goes through html/template's
// contextual escaping (a body holding <script> shows as text) and through internal/redact
// (no credential reaches the file), whatever the adapter did before.
package htmlreport

import (
	"slices"
	"sort"
	"strconv"
	"strings"
)

// DefaultExamples is how many exchanges each group of findings shows; the rest are counted.
const DefaultExamples = 3

// The page's bounds, whatever the run: a server that names its members after ids (a map
// keyed by subscription) would make a group of each. Past MaxGroups groups of violations (or
// of drift), findings are counted, not grouped; past MaxShown findings shown whole, groups
// count the rest. At about 6 KB a shown finding (two 2 KiB body excerpts and headers) the
// page stays under 5 MB.
const (
	MaxGroups = 500
	MaxShown  = 600
)

// Run says what produced the report.
type Run struct {
	Tool        string // "contract validate", "contract proxy", "contract probe", "make contract"
	SpecTitle   string // openapi.yaml's info.title
	SpecVersion string // openapi.yaml's info.version
	CommandLine string // redacted when rendered
}

// Model is what the page shows. The adapters fill it; Render draws it.
type Model struct {
	Run
	Pass     bool
	Headline string  // the summary line, as the text output ends
	Counts   []Count // the summary's figures, in order
	Coverage []Operation
	// Violations fail the run; Drift is reported apart and does not.
	Violations, Drift []*Group
	// Ungrouped counts the findings past MaxGroups groups, violations and drift.
	UngroupedViolations, UngroupedDrift int
}

// Count is one figure of the summary line.
type Count struct {
	Label string
	N     int
}

// Operation is one row of the coverage grids.
type Operation struct {
	ID, Method, Path string
	Statuses         []Cell
	// MediaTypes is nil for a run that does not see them (the probe's): no grid is drawn.
	MediaTypes []Cell
}

// Cell is one documented (or exercised but undocumented) status or media type of an
// operation: how many exchanges exercised it and how many of those had a violation.
type Cell struct {
	Key        string
	Documented bool
	Exercised  int
	Failed     int
}

// State is what a cell shows in words: "failed", "exercised", "not exercised", or
// "undocumented" for one the spec does not list that an exchange exercised.
func (c Cell) State() string {
	switch {
	case c.Failed > 0:
		return "failed"
	case !c.Documented:
		return "undocumented"
	case c.Exercised > 0:
		return "exercised"
	}
	return "not exercised"
}

// Symbol is the cell's mark, so that the grid reads without colour.
func (c Cell) Symbol() string {
	switch c.State() {
	case "failed":
		return "✗"
	case "undocumented":
		return "!"
	case "exercised":
		return "✓"
	}
	return "·"
}

// Finding is one finding as the report takes it, from the gate or from the probe.
type Finding struct {
	Violation   bool   // false: drift
	OperationID string // "" when the exchange routes to no operation (or a whole file)
	// Check is the probe's check name; "" for the gate, whose findings group by pointer
	// (indices generalised) and reason.
	Check   string
	Where   string // the file and interaction, or the probe case
	Status  int
	Pointer string
	Reason  string
	// Exchange is the exchange behind the finding (nil for a whole file); Curl the probe's
	// reproducer. Both are redacted when rendered.
	Exchange *Exchange
	Curl     string
}

// Group is the findings of one operation and rule (or probe check).
type Group struct {
	OperationID string
	Rule        string // the check name, or the pointer with indices generalised
	Reason      string // the first finding's reason up to its first colon (its examples say it all)
	Count       int
	Statuses    []int // the statuses the group's findings were seen with
	Examples    []Example
}

// More is how many findings of the group the report counts without showing.
func (g *Group) More() int { return g.Count - len(g.Examples) }

// Example is one finding of a group, shown whole.
type Example struct {
	Where    string
	Status   int
	Pointer  string
	Reason   string
	Exchange *Exchange
	Curl     string
}

// Collector groups findings as they come, keeping the first few exchanges of each group.
type Collector struct {
	Model
	// Examples is how many exchanges a group keeps (DefaultExamples when 0).
	Examples int
	groups   map[groupKey]*Group
	shown    int // findings kept whole, in all groups
	failed   map[cellKey]int
	proxy    struct{ interactions, judged, ignored, violations, drift int }
}

type groupKey struct {
	violation            bool
	op, rule, reasonHead string
}

type cellKey struct{ op, key string }

// ruleOf is what groups a finding: the probe's check, else the gate's pointer with its array
// indices generalised (/response/body/items/0/link and .../items/7/link are one rule).
func ruleOf(f Finding) string {
	if f.Check != "" {
		return f.Check
	}
	segments := strings.Split(f.Pointer, "/")
	for i, s := range segments {
		if _, err := strconv.Atoi(s); err == nil && i > 0 {
			segments[i] = "*"
		}
	}
	return strings.Join(segments, "/")
}

// keyOf is a finding's group. A probe check is a rule of its own: its reasons name the case
// ("customerId breaks its pattern"), so they do not split its group.
func keyOf(f Finding) groupKey {
	if f.Check != "" {
		return groupKey{f.Violation, f.OperationID, f.Check, ""}
	}
	return groupKey{f.Violation, f.OperationID, ruleOf(f), reasonHead(f.Reason)}
}

// Room reports whether Add would keep f whole (its group has shown fewer than Examples):
// an adapter builds f's exchange only then.
func (c *Collector) Room(f Finding) bool {
	if c.shown >= MaxShown {
		return false
	}
	g := c.groups[keyOf(f)]
	if g == nil {
		return len(c.groupsOf(f.Violation)) < MaxGroups
	}
	return len(g.Examples) < c.examples()
}

func (c *Collector) groupsOf(violation bool) []*Group {
	if violation {
		return c.Violations
	}
	return c.Drift
}

func (c *Collector) examples() int {
	if c.Examples > 0 {
		return c.Examples
	}
	return DefaultExamples
}

// Add counts one finding in its group, keeping it whole while the group has room.
func (c *Collector) Add(f Finding) {
	if c.groups == nil {
		c.groups = map[groupKey]*Group{}
	}
	k := keyOf(f)
	rule := k.rule
	g := c.groups[k]
	if g == nil && len(c.groupsOf(f.Violation)) >= MaxGroups {
		if f.Violation {
			c.UngroupedViolations++
		} else {
			c.UngroupedDrift++
		}
		return
	}
	if g == nil {
		g = &Group{OperationID: f.OperationID, Rule: rule, Reason: k.reasonHead}
		c.groups[k] = g
		if f.Violation {
			c.Violations = append(c.Violations, g)
		} else {
			c.Drift = append(c.Drift, g)
		}
	}
	g.Count++
	if f.Status != 0 && !slices.Contains(g.Statuses, f.Status) {
		g.Statuses = append(g.Statuses, f.Status)
		slices.Sort(g.Statuses)
	}
	if len(g.Examples) < c.examples() && c.shown < MaxShown {
		c.shown++
		g.Examples = append(g.Examples, Example{Where: f.Where, Status: f.Status, Pointer: f.Pointer, Reason: f.Reason, Exchange: f.Exchange, Curl: f.Curl})
	}
}

// reasonHead is a reason up to its first colon: "value must be a string" and "holds a JWT:
// replace the value..." group apart, while what follows a colon (an enum's values, the advice)
// does not split a group.
func reasonHead(reason string) string {
	head, _, _ := strings.Cut(reason, ":")
	return head
}

// Failed counts an exchange with a violation against its operation's status and media type,
// for the coverage grid.
func (c *Collector) Failed(operationID string, status int, mediaType string) {
	if c.failed == nil {
		c.failed = map[cellKey]int{}
	}
	c.failed[cellKey{operationID, strconv.Itoa(status)}]++
	if mediaType != "" {
		c.failed[cellKey{operationID, mediaType}]++
	}
}

// sortGroups orders groups by operation (those of no operation last), then by how many
// findings they hold.
func sortGroups(gs []*Group) {
	sort.SliceStable(gs, func(i, j int) bool {
		if a, b := gs[i].OperationID, gs[j].OperationID; a != b {
			return b == "" || a != "" && a < b
		}
		return gs[i].Count > gs[j].Count
	})
}
