package bundle

import (
	"os"
	"path/filepath"
	"strings"
)

// Within reports whether path is the folder dir or inside it. It compares
// the absolute paths, and then the folders that exist (os.SameFile), so a
// link to dir, or dir spelt in another case on a system that ignores case,
// counts too.
func Within(path, dir string) bool {
	p, err1 := filepath.Abs(path)
	d, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return false
	}
	if rel, err := filepath.Rel(d, p); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return true
	}
	di, err := os.Stat(d)
	if err != nil {
		return false
	}
	for {
		if fi, err := os.Stat(p); err == nil && os.SameFile(fi, di) {
			return true
		}
		parent := filepath.Dir(p)
		if parent == p {
			return false
		}
		p = parent
	}
}
