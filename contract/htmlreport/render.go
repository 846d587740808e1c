package htmlreport

import (
	"bufio"
	"embed"
	"html/template"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/partnercenter-go/partnercenter/internal/redact"
)

//go:embed report.html.tmpl report.css
var assets embed.FS

var page = template.Must(template.New("report.html.tmpl").Funcs(template.FuncMap{
	"maxGroups": func() int { return MaxGroups },
	"gridArgs":  func(title, id string, g grid) gridArgs { return gridArgs{title, id, g} },
	// cellClass is the cell's state as a class name: "not exercised" is not-exercised.
	"cellClass": func(c *Cell) string { return strings.ReplaceAll(c.State(), " ", "-") },
}).ParseFS(assets, "report.html.tmpl"))

type gridArgs struct {
	Title, ID string
	Grid      grid
}

// style is inlined in the page: the file must open alone, from a downloaded CI artifact.
var style = func() template.CSS {
	b, err := assets.ReadFile("report.css")
	if err != nil {
		panic(err)
	}
	return template.CSS(b) // our own file, embedded: never data from a run
}()

// view is the model as the template walks it.
type view struct {
	*Model
	CommandLine string
	Style       template.CSS
	Statuses    grid
	MediaTypes  grid
	Sections    []section
}

type grid struct {
	Columns []string
	Rows    []gridRow
}

type gridRow struct {
	Operation
	Cells []*Cell // nil: the operation does not document that column
}

type section struct {
	ID, Title, Note string
	Findings        int
	Groups          int
	Ungrouped       int // findings past MaxGroups groups
	Operations      []operationGroups
}

type operationGroups struct {
	OperationID string
	Groups      []*Group
}

// Render writes m as one HTML page. Every string of m is escaped by html/template for where
// it lands, and every exchange, curl line and the command line are masked by internal/redact
// again, whatever the adapter did.
func Render(w io.Writer, m *Model) error {
	v := view{Model: m, CommandLine: redact.String(m.CommandLine), Style: style}
	v.Statuses = gridOf(m.Coverage, func(o Operation) []Cell { return o.Statuses }, statusLess)
	v.MediaTypes = gridOf(m.Coverage, func(o Operation) []Cell { return o.MediaTypes }, nil)
	v.Sections = []section{
		sectionOf("violations", "Violations", "the exchanges and the spec disagree: these fail the run", m.Violations, m.UngroupedViolations),
		sectionOf("drift", "Drift", "the service sent what the spec does not declare: reported, not failed (--strict fails them)", m.Drift, m.UngroupedDrift),
	}
	bw := bufio.NewWriter(w)
	if err := page.Execute(bw, v); err != nil {
		return err
	}
	return bw.Flush()
}

func sectionOf(id, title, note string, groups []*Group, ungrouped int) section {
	s := section{ID: id, Title: title, Note: note, Groups: len(groups), Ungrouped: ungrouped, Findings: ungrouped}
	sorted := slices.Clone(groups)
	sortGroups(sorted)
	for _, g := range sorted {
		s.Findings += g.Count
		shown := *g
		shown.Rule, shown.Reason = redact.String(g.Rule), redact.String(g.Reason)
		shown.Examples = make([]Example, len(g.Examples))
		for i, e := range g.Examples {
			// A pointer names the recording's members, a place its file: masked like the rest.
			e.Where, e.Pointer, e.Reason = redact.String(e.Where), redact.String(e.Pointer), redact.String(e.Reason)
			e.Exchange = e.Exchange.redacted()
			e.Curl = redact.String(e.Curl)
			shown.Examples[i] = e
		}
		if n := len(s.Operations); n == 0 || s.Operations[n-1].OperationID != g.OperationID {
			s.Operations = append(s.Operations, operationGroups{OperationID: g.OperationID})
		}
		last := &s.Operations[len(s.Operations)-1]
		last.Groups = append(last.Groups, &shown)
	}
	return s
}

// gridOf lays operations out against every key any of them documents or exercised.
func gridOf(ops []Operation, cells func(Operation) []Cell, less func(a, b string) int) grid {
	var g grid
	for _, o := range ops {
		for _, c := range cells(o) {
			if !slices.Contains(g.Columns, c.Key) {
				g.Columns = append(g.Columns, c.Key)
			}
		}
	}
	if less == nil {
		slices.Sort(g.Columns)
	} else {
		slices.SortFunc(g.Columns, less)
	}
	for _, o := range ops {
		row := gridRow{Operation: o, Cells: make([]*Cell, len(g.Columns))}
		cs := cells(o)
		for i := range cs {
			row.Cells[slices.Index(g.Columns, cs[i].Key)] = &cs[i]
		}
		g.Rows = append(g.Rows, row)
	}
	return g
}

// statusLess orders statuses as numbers ("default" and other words last).
func statusLess(a, b string) int {
	x, errA := strconv.Atoi(a)
	y, errB := strconv.Atoi(b)
	switch {
	case errA == nil && errB == nil:
		return x - y
	case errA == nil:
		return -1
	case errB == nil:
		return 1
	}
	if a < b {
		return -1
	}
	if a > b {
		return 1
	}
	return 0
}
