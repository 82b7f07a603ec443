package diag

import (
	"path"
	"path/filepath"
	"runtime"
	"strings"
)

// Display returns a file name as messages show it, the same on every
// system: with forward slashes, and relative to the site's folder root when
// the file is inside it ("content/day-3/11-next-steps.md", not
// "C:\Users\ana\manual\content\day-3\11-next-steps.md"). A name outside
// root is shown as given, with forward slashes. A relative name is taken
// relative to the current folder, like root.
func Display(root, name string) string {
	if name == "" {
		return ""
	}
	absName, absRoot := name, root
	if root != "" {
		if a, err := filepath.Abs(name); err == nil {
			absName = a
		}
		if a, err := filepath.Abs(root); err == nil {
			absRoot = a
		}
	}
	if rel, ok := under(absRoot, absName, filepath.Separator, runtime.GOOS == "windows"); ok {
		return rel
	}
	return slashes(name, filepath.Separator)
}

// under returns name relative to root, with forward slashes, when name is
// inside root. Both are paths of a system whose separator is sep and whose
// names compare without case when fold is set (Windows).
func under(root, name string, sep byte, fold bool) (string, bool) {
	if root == "" {
		return "", false
	}
	r, n := slashes(root, sep), slashes(name, sep)
	r = strings.TrimSuffix(r, "/") + "/"
	if len(n) <= len(r) {
		return "", false
	}
	head := n[:len(r)]
	if head != r && !(fold && strings.EqualFold(head, r)) {
		return "", false
	}
	return n[len(r):], true
}

// slashes turns a path of a system whose separator is sep into a clean
// slash path: "content\day-3\.\x.md" becomes "content/day-3/x.md".
func slashes(p string, sep byte) string {
	if sep != '/' {
		p = strings.ReplaceAll(p, string(sep), "/")
	}
	if p == "" {
		return ""
	}
	return path.Clean(p)
}
