package content

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"flipchart/generator/diag"
	"flipchart/generator/internal/sitetest"
)

// TestSymlinkLoop: a folder that links back to one above it is an error
// naming the link, found by comparing the folders on the path with
// os.SameFile (the way it is found on every system); two links to the same
// folder side by side are no loop.
func TestSymlinkLoop(t *testing.T) {
	dir := t.TempDir()
	sitetest.WriteFiles(t, dir, map[string]string{
		"content/_index.md":              "+++\ntitle = \"Home\"\n+++\n",
		"content/day-1/a/01-a.md":        "+++\ntitle = \"A\"\n+++\n",
		"content/shared/02-shared.md":    "+++\ntitle = \"Shared\"\n+++\n",
		"content/day-1/_index.md":        "+++\ntitle = \"Day 1\"\n+++\n",
		"content/day-2/_index.md":        "+++\ntitle = \"Day 2\"\n+++\n",
		"content/day-2/03-second-day.md": "+++\ntitle = \"Second\"\n+++\n",
	})
	link := func(target, name string) {
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(name))); err != nil {
			t.Skipf("symlinks: %v", err)
		}
	}
	link("../..", "content/day-1/a/up")  // back to content/day-1
	link("../shared", "content/day-1/s") // not a loop
	link("../shared", "content/day-2/s") // nor is a second link to it
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	for _, fsys := range []struct {
		name string
		fs   fs.FS
	}{{"os.Root", root.FS()}, {"os.DirFS", os.DirFS(dir)}} {
		t.Run(fsys.name, func(t *testing.T) {
			var diags diag.List
			c := Load(fsys.fs, &diags)
			var loops []string
			for _, d := range diags.Items() {
				if strings.Contains(d.Msg, "symlink loop") {
					loops = append(loops, d.File)
				} else {
					t.Errorf("unexpected: %v", d)
				}
			}
			if len(loops) != 1 || loops[0] != "content/day-1/a/up" {
				t.Errorf("symlink loops reported at %q, want one at content/day-1/a/up", loops)
			}
			var paths []string
			for _, s := range c.Sources {
				paths = append(paths, s.Path)
			}
			for _, want := range []string{"day-1/s/02-shared.md", "day-2/s/02-shared.md", "shared/02-shared.md"} {
				if !strings.Contains(strings.Join(paths, " "), want) {
					t.Errorf("%s not loaded; loaded %v", want, paths)
				}
			}
		})
	}
}
