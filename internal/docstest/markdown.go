package docstest

import (
	"fmt"
	"regexp"
	"strings"
)

// A block is a fenced code block of a Markdown page.
type block struct {
	line   int    // of the opening fence, 1-based
	lang   string // the fence's info string, e.g. "go", "sh", "text"
	text   string // the lines between the fences, each ending in "\n", the fence's indentation removed
	marker string // what the snippet marker on the line before the fence says ("" when none)
}

var (
	fence     = regexp.MustCompile("^( *)(```+|~~~+)\\s*([^`\\s]*)")
	markerRe  = regexp.MustCompile(`^\s*<!--\s*snippet:\s*(.*?)\s*-->\s*$`)
	linkRe    = regexp.MustCompile(`!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)
	refLinkRe = regexp.MustCompile(`(?m)^\s*\[[^\]]+\]:\s*(\S+)`)
)

// parse returns page's fenced blocks and the lines outside them (for links and headings), or
// an error naming the line of a fence left open.
func parse(page string) (blocks []block, prose []string, err error) {
	lines := strings.Split(page, "\n")
	for i := 0; i < len(lines); i++ {
		m := fence.FindStringSubmatch(lines[i])
		if m == nil {
			prose = append(prose, lines[i])
			continue
		}
		b := block{line: i + 1, lang: m[3]}
		for j := i - 1; j >= 0; j-- {
			if strings.TrimSpace(lines[j]) == "" {
				continue
			}
			if mm := markerRe.FindStringSubmatch(lines[j]); mm != nil {
				b.marker = mm[1]
			}
			break
		}
		indent, closing := len(m[1]), m[2]
		var text strings.Builder
		closed := false
		for i++; i < len(lines); i++ {
			if t := strings.TrimLeft(lines[i], " "); strings.HasPrefix(t, closing) && strings.Trim(t, closing[:1]+" ") == "" {
				closed = true
				break
			}
			text.WriteString(strings.TrimPrefix(lines[i], strings.Repeat(" ", indent)) + "\n")
			prose = append(prose, "") // keep line numbers of the prose aligned
		}
		if !closed {
			return nil, nil, fmt.Errorf("line %d: a %s fence is never closed", b.line, closing)
		}
		b.text = text.String()
		blocks = append(blocks, b)
		prose = append(prose, "", "")
	}
	return blocks, prose, nil
}

// links returns the targets of the inline and reference links and images in prose, with the
// 1-based line of each; code spans are not links.
func links(prose []string) (targets []string, lineOf []int) {
	code := regexp.MustCompile("`[^`]*`")
	for i, l := range prose {
		l = code.ReplaceAllString(l, "")
		for _, m := range linkRe.FindAllStringSubmatch(l, -1) {
			targets, lineOf = append(targets, m[1]), append(lineOf, i+1)
		}
		if m := refLinkRe.FindStringSubmatch(l); m != nil {
			targets, lineOf = append(targets, m[1]), append(lineOf, i+1)
		}
	}
	return targets, lineOf
}

// anchors returns the anchors GitHub gives the headings of prose: lower case, punctuation
// but "-" and "_" dropped, spaces turned into "-", a repeated one suffixed -1, -2, ...
func anchors(prose []string) map[string]bool {
	heading := regexp.MustCompile(`^#{1,6}\s+(.*?)\s*#*\s*$`)
	drop := regexp.MustCompile(`[^\p{L}\p{N}\s_-]`)
	seen := map[string]int{}
	out := map[string]bool{}
	for _, l := range prose {
		m := heading.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		a := strings.ToLower(m[1])
		a = strings.NewReplacer("`", "", "*", "").Replace(a)
		a = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`).ReplaceAllString(a, "$1")
		a = strings.ReplaceAll(drop.ReplaceAllString(a, ""), " ", "-")
		if n := seen[a]; n > 0 {
			out[fmt.Sprintf("%s-%d", a, n)] = true
		} else {
			out[a] = true
		}
		seen[a]++
	}
	for _, l := range prose { // explicit anchors: <a id="..."> or <a name="...">
		for _, m := range regexp.MustCompile(`<a (?:id|name)="([^"]+)"`).FindAllStringSubmatch(l, -1) {
			out[m[1]] = true
		}
	}
	return out
}
