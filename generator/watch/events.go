package watch

import (
	"path"
	"sort"
	"strings"

	"github.com/fsnotify/fsnotify"
)

// relTo turns an event's file name into a slash path relative to the site
// folder root, as Classify wants it: "content/day-3/x.md". sep is the
// system's path separator (filepath.Separator). On Windows, where it is '\\',
// fsnotify reports C:\site\content\day-3\x.md; '/' separates there too, and
// names are compared in any case, as Windows does. It reports false for a
// name outside root, and for root itself.
//
// It looks at the strings only, so the Windows rules are tested anywhere.
func relTo(root, name string, sep byte) (string, bool) {
	fold := sep == '\\'
	if sep != '/' {
		root = strings.ReplaceAll(root, string(sep), "/")
		name = strings.ReplaceAll(name, string(sep), "/")
	}
	root, name = path.Clean(root), path.Clean(name)
	prefix := root
	if !strings.HasSuffix(prefix, "/") { // "/" and "C:/" end in one already
		prefix += "/"
	}
	if len(name) <= len(prefix) {
		return "", false
	}
	head, rest := name[:len(prefix)], name[len(prefix):]
	if head != prefix && !(fold && strings.EqualFold(head, prefix)) {
		return "", false
	}
	// name is clean, so rest holds no "." or ".." but at its start.
	if rest == "." || rest == ".." || strings.HasPrefix(rest, "../") {
		return "", false
	}
	return rest, true
}

// pendingSet is the paths, relative to the site, named by the events of the
// batch being gathered: each once, whatever the number of its events.
type pendingSet map[string]bool

// add records the event ev, from a site in the folder root on a system whose
// separator is sep, and returns the path it names and whether it matters.
// Create, Write, Remove and Rename all mean "this path changed": a rename
// save shows as CREATE tmp, WRITE tmp, RENAME tmp, CREATE target, with no
// WRITE on the target. Chmod alone is ignored, and so is every path that
// Classify ignores (editors' temporary, lock and backup files; hidden and
// outside files) but the watched folders themselves.
//
// It looks at the event only, not at the file: whether the path is still
// there is for the batch to find out.
func (p pendingSet) add(root string, sep byte, ev fsnotify.Event) (string, bool) {
	if !ev.Has(fsnotify.Create) && !ev.Has(fsnotify.Write) && !ev.Has(fsnotify.Remove) && !ev.Has(fsnotify.Rename) {
		return "", false
	}
	rel, ok := relTo(root, ev.Name, sep)
	if !ok || (Classify(rel) == Ignored && !isRoot(rel)) {
		return "", false
	}
	p[rel] = true
	return rel, true
}

// sorted returns the paths in order.
func (p pendingSet) sorted() []string {
	out := make([]string, 0, len(p))
	for rel := range p {
		out = append(out, rel)
	}
	sort.Strings(out)
	return out
}
