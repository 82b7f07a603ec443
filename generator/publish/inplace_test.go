package publish

import (
	"os"
	"path/filepath"
	"testing"
)

// writeInPart is the build in part of TestStoppedCommitFiles: it writes
// two files anew and removes a third.
func writeInPart(d *Dir) error {
	if err := d.WriteFile("a.html", []byte("new a")); err != nil {
		return err
	}
	if err := d.WriteFile("sub/b.html", []byte("new b")); err != nil {
		return err
	}
	return d.CommitFiles([]string{"gone/c.html"})
}

// oldSite publishes the site writeInPart changes.
func oldSite(t *testing.T, dest string) {
	t.Helper()
	d, err := NewDir(dest)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"a.html": "old a", "sub/b.html": "old b", "gone/c.html": "old c", "keep.html": "kept"} {
		if err := d.WriteFile(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
}

// files lists dest's files and their text.
func files(t *testing.T, dest string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dest, func(p string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dest, p)
		if e.IsDir() {
			if rel != "." {
				out[filepath.ToSlash(rel)+"/"] = ""
			}
			return nil
		}
		b, err := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameFiles(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestStoppedCommitFiles: a build that moves its files into the
// destination one by one, stopped at any step, leaves every file whole;
// the next build to the destination finishes the moves it listed (or, when
// stopped before it listed them, drops them) and leaves nothing beside it.
func TestStoppedCommitFiles(t *testing.T) {
	old := map[string]string{"a.html": "old a", "sub/": "", "sub/b.html": "old b", "gone/": "", "gone/c.html": "old c", "keep.html": "kept"}
	want := map[string]string{"a.html": "new a", "sub/": "", "sub/b.html": "new b", "keep.html": "kept"}
	for _, at := range []string{"commit", "journal", "moved a.html", "moved sub/b.html"} {
		t.Run(at, func(t *testing.T) {
			dest := filepath.Join(t.TempDir(), "public")
			oldSite(t, dest)
			crashedRun(t, dest, at, "PUBLISH_TEST_FILES=1")
			stopped := files(t, dest)
			for name, text := range stopped {
				if text != old[name] && text != want[name] {
					t.Errorf("after the stop, %s holds %q: neither the old nor the new file", name, text)
				}
			}
			d, err := NewDir(dest) // puts right what the stopped build left
			if err != nil {
				t.Fatal(err)
			}
			if err := d.Abort(); err != nil {
				t.Fatal(err)
			}
			got := files(t, dest)
			expect := want
			if at == "commit" {
				expect = old // stopped before the list was whole: nothing moved
			}
			if !sameFiles(got, expect) {
				t.Errorf("after the next build, public/ holds %v, want %v", got, expect)
			}
			if left := siblings(t, dest); len(left) > 0 {
				t.Errorf("left beside public/: %v", left)
			}
		})
	}
}

// TestCommitFiles: the files written replace the destination's, the files
// removed go with the folders they leave empty, and the rest stays.
func TestCommitFiles(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	oldSite(t, dest)
	d, err := NewDir(dest)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeInPart(d); err != nil {
		t.Fatal(err)
	}
	got := files(t, dest)
	want := map[string]string{"a.html": "new a", "sub/": "", "sub/b.html": "new b", "keep.html": "kept"}
	if !sameFiles(got, want) {
		t.Errorf("public/ holds %v, want %v", got, want)
	}
	if left := siblings(t, dest); len(left) > 0 {
		t.Errorf("left beside public/: %v", left)
	}
}
