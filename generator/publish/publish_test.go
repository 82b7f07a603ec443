package publish

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestMemoryLayers: a clone sees its base, changes only itself, and stays
// right across more clones than it stacks before flattening.
func TestMemoryLayers(t *testing.T) {
	m := NewMemory()
	m.WriteFile("a.html", []byte("a1"))
	m.WriteFile("b.html", []byte("b1"))
	made := 0
	m.WriteLazy("print.html", func() []byte { made++; return []byte("p1") })
	cur := m
	for i := range 3 * maxDepth {
		next := cur.Clone()
		next.WriteFile("a.html", []byte(fmt.Sprint("a", i+2)))
		if i == 2 {
			next.Remove("b.html")
		}
		if i == 5 {
			next.WriteFile("b.html", []byte("b-again"))
		}
		cur = next
	}
	if b, _ := m.Get("a.html"); string(b) != "a1" {
		t.Errorf("the base changed: a.html = %q", b)
	}
	if b, _ := cur.Get("a.html"); string(b) != fmt.Sprint("a", 3*maxDepth+1) {
		t.Errorf("a.html = %q", b)
	}
	if b, ok := cur.Get("b.html"); !ok || string(b) != "b-again" {
		t.Errorf("b.html = %q, %v", b, ok)
	}
	if b, _ := cur.Get("print.html"); string(b) != "p1" || made != 1 {
		t.Errorf("print.html = %q, made %d times", b, made)
	}
	cur.Get("print.html")
	if made != 1 {
		t.Errorf("a lazy file was made %d times", made)
	}
	if got := cur.Names(); !slices.Equal(got, []string{"a.html", "b.html", "print.html"}) {
		t.Errorf("names %v", got)
	}
	gone := cur.Clone()
	gone.Remove("a.html")
	if _, ok := gone.Get("a.html"); ok || slices.Contains(gone.Names(), "a.html") {
		t.Error("a removed file is still there")
	}
	if _, ok := cur.Get("a.html"); !ok {
		t.Error("removing from a clone removed from its base")
	}
}

// TestDirCommit: the new site replaces the old in one step, and an aborted
// build leaves the old one and no temporary folder.
func TestDirCommit(t *testing.T) {
	root := t.TempDir()
	dest := filepath.Join(root, "public")
	for i, page := range []string{"first", "second"} {
		d, err := NewDir(dest)
		if err != nil {
			t.Fatal(err)
		}
		d.WriteFile(page+"/index.html", []byte(page))
		if err := d.Commit(); err != nil {
			t.Fatal(err)
		}
		entries, _ := os.ReadDir(dest)
		if len(entries) != 1 || entries[0].Name() != page {
			t.Errorf("build %d: public holds %v", i, entries)
		}
	}
	d, _ := NewDir(dest)
	d.WriteFile("third/index.html", []byte("x"))
	d.Abort()
	if _, err := os.Stat(filepath.Join(dest, "second/index.html")); err != nil {
		t.Error("an aborted build touched the last good site")
	}
	if entries, _ := os.ReadDir(root); len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
	os.WriteFile(filepath.Join(root, "config.toml"), nil, 0o644)
	if _, err := NewDir(root); err == nil {
		t.Error("NewDir accepted a folder holding config.toml as its destination")
	}
}
