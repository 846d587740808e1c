package docstest

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// pages returns README.md, CHANGELOG.md and every docs/*.md under root, relative to it.
func pages(root string) ([]string, error) {
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		return nil, err
	}
	out := []string{"README.md", "CHANGELOG.md"}
	for _, d := range docs {
		rel, err := filepath.Rel(root, d)
		if err != nil {
			return nil, err
		}
		out = append(out, filepath.ToSlash(rel))
	}
	return out, nil
}

// brokenLinks returns, for page (relative to root), one line per relative link whose file or
// anchor does not exist: "page:line: link: why".
func brokenLinks(root, page string) ([]string, error) {
	data, err := os.ReadFile(filepath.Join(root, page))
	if err != nil {
		return nil, err
	}
	_, prose, err := parse(string(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", page, err)
	}
	var broken []string
	targets, lines := links(prose)
	for i, target := range targets {
		u, err := url.Parse(target)
		if err != nil {
			broken = append(broken, fmt.Sprintf("%s:%d: %s: %v", page, lines[i], target, err))
			continue
		}
		if u.Scheme != "" || strings.HasPrefix(target, "//") {
			continue // http(s), mailto: not this test's business
		}
		file := page
		if u.Path != "" {
			file = filepath.ToSlash(filepath.Join(filepath.Dir(page), u.Path))
			if strings.HasPrefix(file, "../") {
				broken = append(broken, fmt.Sprintf("%s:%d: %s: points outside the repository", page, lines[i], target))
				continue
			}
			if _, err := os.Stat(filepath.Join(root, file)); err != nil {
				broken = append(broken, fmt.Sprintf("%s:%d: %s: no such file %s", page, lines[i], target, file))
				continue
			}
		}
		if u.Fragment == "" {
			continue
		}
		if !strings.HasSuffix(file, ".md") {
			broken = append(broken, fmt.Sprintf("%s:%d: %s: an anchor into %s, which is not a Markdown page", page, lines[i], target, file))
			continue
		}
		targetData, err := os.ReadFile(filepath.Join(root, file))
		if err != nil {
			return nil, err
		}
		_, targetProse, err := parse(string(targetData))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		if !anchors(targetProse)[u.Fragment] {
			broken = append(broken, fmt.Sprintf("%s:%d: %s: %s has no heading with the anchor #%s", page, lines[i], target, file, u.Fragment))
		}
	}
	return broken, nil
}
