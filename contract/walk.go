package contract

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// fileItem is one file to judge, or a problem the walk met at a path (a symlink loop, a
// broken link, an unreadable folder), kept in path order with the files.
type fileItem struct {
	path    string // the root joined with rel: what findings name
	rel     string // relative to the root, slash-separated (the base name when the root is a file)
	format  Format
	problem string
}

// walk lists the files under root in path order (depth first, names sorted). It follows
// symbolic links, reports a link that leads back into one of its own ancestors as a loop,
// skips hidden folders (.git, .idea...) below the root, and counts the files no format claims.
func walk(root string, formats []Format) (items []fileItem, skipped int, err error) {
	info, err := os.Stat(root)
	if err != nil {
		return nil, 0, fmt.Errorf("contract: %s: %w", root, unwrapPathError(err))
	}
	if !info.IsDir() {
		f := claim(formats, filepath.Base(root))
		if f == nil {
			return nil, 0, fmt.Errorf("contract: %s: not a recording this gate reads (*.yaml, *.yml, *.har)", root)
		}
		return []fileItem{{path: root, rel: filepath.Base(root), format: f}}, 0, nil
	}
	w := &walker{formats: formats}
	w.dir(root, "", []os.FileInfo{info})
	return w.items, w.skipped, nil
}

type walker struct {
	formats []Format
	items   []fileItem
	skipped int
}

func (w *walker) dir(path, rel string, ancestors []os.FileInfo) {
	entries, err := os.ReadDir(path)
	if err != nil {
		w.items = append(w.items, fileItem{path: path, rel: rel, problem: "folder cannot be read: " + unwrapPathError(err).Error()})
		return
	}
	for _, e := range entries {
		name := e.Name()
		p, r := filepath.Join(path, name), joinRel(rel, name)
		info, err := os.Stat(p) // follows links
		if err != nil {
			w.items = append(w.items, fileItem{path: p, rel: r, problem: "cannot be read (a broken link?): " + unwrapPathError(err).Error()})
			continue
		}
		if info.IsDir() {
			if strings.HasPrefix(name, ".") {
				continue // .git and the like hold no recordings
			}
			if loops(info, ancestors) {
				w.items = append(w.items, fileItem{path: p, rel: r, problem: "symbolic link loop: it leads back to a folder that contains it"})
				continue
			}
			w.dir(p, r, append(ancestors, info))
			continue
		}
		if !info.Mode().IsRegular() {
			w.skipped++
			continue
		}
		if f := claim(w.formats, name); f != nil {
			w.items = append(w.items, fileItem{path: p, rel: r, format: f})
		} else {
			w.skipped++
		}
	}
}

func loops(info os.FileInfo, ancestors []os.FileInfo) bool {
	for _, a := range ancestors {
		if os.SameFile(a, info) {
			return true
		}
	}
	return false
}

func claim(formats []Format, name string) Format {
	for _, f := range formats {
		if f.Claims(name) {
			return f
		}
	}
	return nil
}

func joinRel(rel, name string) string {
	if rel == "" {
		return name
	}
	return rel + "/" + name
}

// unwrapPathError drops the path an *os.PathError repeats: findings name the file already.
func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
