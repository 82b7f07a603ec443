package watch

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"

	"flipchart/generator/internal/sitetest"
)

// These tests use real fsnotify on real folders. They are not timing tests:
// each waits for the batch it expects with a deadline of several seconds.

const deadline = 5 * time.Second

// site writes files (slash path → content) into a new folder.
func site(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for p, body := range files {
		sitetest.WriteFile(t, root, p, body)
	}
	return root
}

func start(t *testing.T, root string, opts Options) *Watcher {
	t.Helper()
	w, err := New(root, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := w.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return w
}

// next waits for the next batch, failing the test after the deadline.
func next(t *testing.T, w *Watcher) Batch {
	t.Helper()
	select {
	case b, ok := <-w.Changes():
		if !ok {
			t.Fatal("Changes closed")
		}
		t.Logf("batch %v", b)
		return b
	case <-time.After(deadline):
		t.Fatalf("no batch within %v", deadline)
		return nil
	}
}

// until reads batches until every change in want has been seen, and
// returns them all.
func until(t *testing.T, w *Watcher, want ...Change) []Batch {
	t.Helper()
	missing := map[Change]bool{}
	for _, c := range want {
		missing[c] = true
	}
	var all []Batch
	for len(missing) > 0 {
		b := next(t, w)
		all = append(all, b)
		for _, c := range b {
			delete(missing, c)
		}
	}
	return all
}

// none fails if a batch comes within d.
func none(t *testing.T, w *Watcher, d time.Duration) {
	t.Helper()
	select {
	case b := <-w.Changes():
		t.Fatalf("unexpected batch %v", b)
	case <-time.After(d):
	}
}

func changed(p string, k Kind) Change { return Change{Path: p, Kind: k} }
func removed(p string, k Kind) Change { return Change{Path: p, Kind: k, Removed: true} }

func paths(bs []Batch) map[string]bool {
	m := map[string]bool{}
	for _, b := range bs {
		for _, c := range b {
			m[c.Path] = true
		}
	}
	return m
}

func TestRenameSaveSeenEveryTime(t *testing.T) {
	root := site(t, map[string]string{"content/day-1/a.md": "v0"})
	target := filepath.Join(root, "content", "day-1", "a.md")
	dir := filepath.Dir(target)
	w := start(t, root, Options{})

	// renameSave writes tmp and renames it over the target, as gedit,
	// JetBrains (safe write) and VS Code's atomic writes do.
	renameSave := func(tmp, body string) []string {
		tp := filepath.Join(dir, tmp)
		if err := os.WriteFile(tp, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tp, target); err != nil {
			t.Fatal(err)
		}
		return []string{tmp}
	}
	// jetBrains also moves the old file aside first.
	jetBrains := func(_, body string) []string {
		tmp, old := "a.md___jb_tmp___", "a.md___jb_old___"
		must(t, os.WriteFile(filepath.Join(dir, tmp), []byte(body), 0o644))
		must(t, os.Rename(target, filepath.Join(dir, old)))
		must(t, os.Rename(filepath.Join(dir, tmp), target))
		must(t, os.Remove(filepath.Join(dir, old)))
		return []string{tmp, old}
	}
	// vim with backupcopy=no: probe 4913, move the file to a.md~, write a
	// new a.md, delete the backup.
	vim := func(_, body string) []string {
		probe := filepath.Join(dir, "4913")
		must(t, os.WriteFile(probe, nil, 0o644))
		must(t, os.Remove(probe))
		must(t, os.Rename(target, target+"~"))
		must(t, os.WriteFile(target, []byte(body), 0o644))
		must(t, os.Remove(target+"~"))
		return []string{"4913", "a.md~"}
	}
	saves := []struct {
		name string
		save func(tmp, body string) []string
		tmp  string
	}{
		{"JetBrains twice 1", renameSave, "a.md___jb_tmp___"},
		{"JetBrains twice 2", renameSave, "a.md___jb_tmp___"},
		{"gedit", renameSave, ".goutputstream-8QX1ZB"},
		{"VS Code atomic", renameSave, "a.md.vsctmp"},
		{"unrecognised temp name", renameSave, "a.md.Xq7Zp2"}, // Qt's QSaveFile style
		{"JetBrains with old file", jetBrains, ""},
		{"vim", vim, ""},
		{"gedit again", renameSave, ".goutputstream-Z9Y8X7"},
	}
	for i, s := range saves {
		body := fmt.Sprintf("save %d", i)
		tmps := s.save(s.tmp, body)
		bs := until(t, w, changed("content/day-1/a.md", Content))
		// Only the target may appear. (A save paused for longer than the
		// debounce between moving the old file away and writing the new one
		// may show it Removed in between: that is true, and allowed.)
		for p := range paths(bs) {
			if p != "content/day-1/a.md" {
				t.Errorf("%s: unexpected path %s", s.name, p)
			}
		}
		for _, tmp := range tmps {
			if paths(bs)["content/day-1/"+tmp] {
				t.Errorf("%s: temporary file %s reported", s.name, tmp)
			}
		}
		got, err := os.ReadFile(target)
		if err != nil || string(got) != body {
			t.Fatalf("%s: file holds %q, %v", s.name, got, err)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestNewNestedFolders(t *testing.T) {
	root := site(t, map[string]string{"content/_index.md": "home"})
	w := start(t, root, Options{})

	// mkdir -p, then a file at once: the file may land before the watcher
	// has added content/day-9 or content/day-9/sub.
	must(t, os.MkdirAll(filepath.Join(root, "content/day-9/sub"), 0o755))
	sitetest.WriteFile(t, root, "content/day-9/sub/s.md", "s")
	bs := until(t, w, changed("content/day-9/sub/s.md", Content))
	for p := range paths(bs) {
		if p != "content/day-9/sub/s.md" {
			t.Errorf("unexpected path %s (folders are never reported)", p)
		}
	}
	// The new folders are watched now.
	sitetest.WriteFile(t, root, "content/day-9/sub/t.md", "t")
	sitetest.WriteFile(t, root, "content/day-9/pic.png", "png")
	until(t, w, changed("content/day-9/sub/t.md", Content), changed("content/day-9/pic.png", Asset))

	// A whole tree made elsewhere and moved in: its files were all written
	// before the watcher could add any of its folders.
	outside := t.TempDir()
	sitetest.WriteFile(t, outside, "day-10/_index.md", "m")
	sitetest.WriteFile(t, outside, "day-10/a/b/c/deep.md", "d")
	sitetest.WriteFile(t, outside, "day-10/a/img.jpg", "j")
	sitetest.WriteFile(t, outside, "day-10/.hidden/secret.md", "x")
	must(t, os.Rename(filepath.Join(outside, "day-10"), filepath.Join(root, "content/day-10")))
	bs = until(t, w,
		changed("content/day-10/_index.md", Content),
		changed("content/day-10/a/b/c/deep.md", Content),
		changed("content/day-10/a/img.jpg", Asset))
	if paths(bs)["content/day-10/.hidden/secret.md"] {
		t.Error("a file in a hidden folder was reported")
	}
	sitetest.WriteFile(t, root, "content/day-10/a/b/c/deeper.md", "d2")
	until(t, w, changed("content/day-10/a/b/c/deeper.md", Content))

	// A watched folder that did not exist at the start.
	sitetest.WriteFile(t, root, "layouts/partials/nav.html", "nav")
	until(t, w, changed("layouts/partials/nav.html", Layout))
	sitetest.WriteFile(t, root, "layouts/partials/nav.html", "nav 2")
	until(t, w, changed("layouts/partials/nav.html", Layout))
}

func TestDeletedFilesAndFolders(t *testing.T) {
	root := site(t, map[string]string{
		"content/day-1/a.md":       "a",
		"content/day-2/b.md":       "b",
		"content/day-2/pic.png":    "p",
		"content/day-2/sub/c.md":   "c",
		"content/day-3/d.md":       "d",
		"content/day-3/sub/e.md":   "e",
		"content/day-5/f.md":       "f",
		"static/css/site.css":      "css",
		"static/css/old/print.css": "css",
	})
	w := start(t, root, Options{})

	must(t, os.Remove(filepath.Join(root, "content/day-1/a.md")))
	until(t, w, removed("content/day-1/a.md", Content))

	// A deleted folder: a Removed change for each file that was in it, and
	// none for the folders themselves.
	must(t, os.RemoveAll(filepath.Join(root, "content/day-2")))
	bs := until(t, w,
		removed("content/day-2/b.md", Content),
		removed("content/day-2/pic.png", Asset),
		removed("content/day-2/sub/c.md", Content))
	for p := range paths(bs) {
		if p == "content/day-2" || p == "content/day-2/sub" {
			t.Errorf("folder %s reported", p)
		}
	}

	// A folder renamed inside the site: the old files are removed, the new
	// ones changed, and the moved folders report under their new names.
	must(t, os.Rename(filepath.Join(root, "content/day-3"), filepath.Join(root, "content/day-4")))
	until(t, w,
		removed("content/day-3/d.md", Content),
		removed("content/day-3/sub/e.md", Content),
		changed("content/day-4/d.md", Content),
		changed("content/day-4/sub/e.md", Content))
	sitetest.WriteFile(t, root, "content/day-4/sub/e.md", "e2")
	bs = until(t, w, changed("content/day-4/sub/e.md", Content))
	if paths(bs)["content/day-3/sub/e.md"] {
		t.Error("an edit in a moved folder was reported under its old name")
	}

	// A folder moved out of the site (to the trash) gives no event inside it.
	must(t, os.Rename(filepath.Join(root, "content/day-5"), filepath.Join(t.TempDir(), "trash")))
	until(t, w, removed("content/day-5/f.md", Content))

	// The kind of a removed file still comes from its name.
	must(t, os.RemoveAll(filepath.Join(root, "static/css")))
	until(t, w, removed("static/css/site.css", StyleSheet), removed("static/css/old/print.css", StyleSheet))

	// A removed file that comes back is changed, not removed.
	sitetest.WriteFile(t, root, "content/day-1/a.md", "a again")
	until(t, w, changed("content/day-1/a.md", Content))
}

func TestBurstOfWrites(t *testing.T) {
	root := site(t, map[string]string{"content/burst.md": "start"})
	p := filepath.Join(root, "content/burst.md")
	w := start(t, root, Options{})

	const n = 500
	final := fmt.Sprintf("write %d of %d", n, n)
	for i := 1; i <= n; i++ {
		must(t, os.WriteFile(p, fmt.Appendf(nil, "write %d of %d", i, n), 0o644))
	}
	// Read the file as each batch arrives; stop once no batch has come for
	// 500ms. A batch made by MaxWait during the burst may arrive after the
	// burst, so only the last batch must see the final content.
	var batches int
	var last string
	end := time.After(deadline)
	for {
		select {
		case b := <-w.Changes():
			batches++
			if len(b) != 1 || b[0] != changed("content/burst.md", Content) {
				t.Fatalf("batch %v", b)
			}
			data, err := os.ReadFile(p)
			must(t, err)
			last = string(data)
			continue
		case <-time.After(500 * time.Millisecond):
			if batches == 0 {
				continue
			}
		case <-end:
			t.Fatalf("no quiet moment within %v: %d batches", deadline, batches)
		}
		break
	}
	if last != final {
		t.Errorf("the last batch saw %q, want %q", last, final)
	}
	if batches > 5 {
		t.Errorf("%d writes gave %d batches, want at most 5", n, batches)
	}
	t.Logf("%d writes gave %d batches", n, batches)
}

func TestSteadyStreamStillFlushes(t *testing.T) {
	root := site(t, map[string]string{"content/live.md": "0"})
	p := filepath.Join(root, "content/live.md")
	// Events every 10ms never leave a 50ms gap: only MaxWait sends batches.
	w := start(t, root, Options{Debounce: 50 * time.Millisecond, MaxWait: 200 * time.Millisecond})

	stop := time.After(1500 * time.Millisecond)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	batches := 0
	for i := 0; ; i++ {
		select {
		case <-w.Changes():
			batches++
			continue
		case <-tick.C:
			must(t, os.WriteFile(p, fmt.Appendf(nil, "%d", i), 0o644))
			continue
		case <-stop:
		}
		break
	}
	if batches < 2 {
		t.Errorf("a 1.5s stream of writes gave %d batches during the stream, want at least 2", batches)
	}
	t.Logf("%d batches during the stream", batches)
}

func TestEditorTempFilesAlone(t *testing.T) {
	root := site(t, map[string]string{"content/day-1/a.md": "a", "static/site.css": "css"})
	dir := filepath.Join(root, "content/day-1")
	w := start(t, root, Options{})

	temps := []string{
		".a.md.swp", ".a.md.swx", ".a.md.swo", "a.md~", "4913", "5036",
		"#a.md#", ".#a.md", "a.md___jb_tmp___", "a.md___jb_old___",
		".goutputstream-XYZ123", "a.md.vsctmp", "a.mdHbCX9d.bck", ".DS_Store",
		"upload.tmp", "~$handout.docx", ".~lock.handout.odt#",
		"a.md.bak", "a.md.sb-7c8e2d1f-Qp3RtZ", ".dat.nosync3c1e.Gk2Wd1", "~WRL1234.tmp",
		"Thumbs.db", "desktop.ini",
	}
	for _, n := range temps {
		must(t, os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o644))
		must(t, os.WriteFile(filepath.Join(dir, n), []byte("xy"), 0o644))
	}
	must(t, os.Rename(filepath.Join(dir, "a.md~"), filepath.Join(dir, "5159")))
	for _, n := range temps[:6] {
		_ = os.Remove(filepath.Join(dir, n))
	}
	sitetest.WriteFile(t, root, "static/.site.css.swp", "swap")
	sitetest.WriteFile(t, root, "content/.obsidian/workspace.json", "{}")
	sitetest.WriteFile(t, root, "content/.obsidian/plugins/x/main.js", "js")
	sitetest.WriteFile(t, root, "content/day-1/nppBackup/a.md.2024-05-01_101010.bak", "backup")
	sitetest.WriteFile(t, root, "content/day-1/nppBackup/a.md", "a copy")
	none(t, w, 300*time.Millisecond)

	// Events come in order: had a temp file been reported, it would be in a
	// batch before or with this one.
	sitetest.WriteFile(t, root, "content/day-1/sentinel.md", "s")
	b := next(t, w)
	if len(b) != 1 || b[0] != changed("content/day-1/sentinel.md", Content) {
		t.Fatalf("batch %v, want only the sentinel", b)
	}
}

func TestConfigAndRootFiles(t *testing.T) {
	root := site(t, map[string]string{"config.toml": "title = 'a'", "README.md": "r", "content/_index.md": "h"})
	w := start(t, root, Options{})

	sitetest.WriteFile(t, root, "README.md", "r2")
	sitetest.WriteFile(t, root, "notes.txt", "n")
	sitetest.WriteFile(t, root, ".env", "x")
	sitetest.WriteFile(t, root, "public/index.html", "out")
	sitetest.WriteFile(t, root, "public/day-1/index.html", "out")
	sitetest.WriteFile(t, root, "resources/x.css", "x")
	sitetest.WriteFile(t, root, "config.toml~", "backup")
	sitetest.WriteFile(t, root, "config.toml", "title = 'b'")
	b := next(t, w)
	if len(b) != 1 || b[0] != changed("config.toml", Config) {
		t.Fatalf("batch %v, want only config.toml", b)
	}
	// A rename save of config.toml.
	sitetest.WriteFile(t, root, "config.toml.tmp", "title = 'c'")
	must(t, os.Rename(filepath.Join(root, "config.toml.tmp"), filepath.Join(root, "config.toml")))
	until(t, w, changed("config.toml", Config))
	must(t, os.Remove(filepath.Join(root, "config.toml")))
	until(t, w, removed("config.toml", Config))
	sitetest.WriteFile(t, root, "public/day-2/index.html", "out")
	none(t, w, 300*time.Millisecond)
}

// pollingSeesEdits checks a create, a write, a delete, a new folder and a
// removed folder on a Watcher that polls.
func pollingSeesEdits(t *testing.T, w *Watcher, root string) {
	t.Helper()
	if !w.Polling() {
		t.Fatal("not polling")
	}
	sitetest.WriteFile(t, root, "content/day-1/new.md", "new")
	until(t, w, changed("content/day-1/new.md", Content))
	sitetest.WriteFile(t, root, "content/day-1/new.md", "new, longer")
	until(t, w, changed("content/day-1/new.md", Content))
	must(t, os.Remove(filepath.Join(root, "content/day-1/new.md")))
	until(t, w, removed("content/day-1/new.md", Content))
	sitetest.WriteFile(t, root, "content/day-7/sub/x.md", "x")
	sitetest.WriteFile(t, root, "static/site.css", "body{}")
	until(t, w, changed("content/day-7/sub/x.md", Content), changed("static/site.css", StyleSheet))
	must(t, os.RemoveAll(filepath.Join(root, "content/day-7")))
	until(t, w, removed("content/day-7/sub/x.md", Content))
	sitetest.WriteFile(t, root, "content/day-1/.a.md.swp", "swap")
	sitetest.WriteFile(t, root, "public/index.html", "out")
	sitetest.WriteFile(t, root, "config.toml", "title = 'polled'")
	b := next(t, w)
	if len(b) != 1 || b[0] != changed("config.toml", Config) {
		t.Fatalf("batch %v, want only config.toml", b)
	}
}

func TestForcePoll(t *testing.T) {
	root := site(t, map[string]string{"content/day-1/a.md": "a"})
	w := start(t, root, Options{ForcePoll: true, PollInterval: 50 * time.Millisecond})
	none(t, w, 200*time.Millisecond) // files present at the start are not reported
	pollingSeesEdits(t, w, root)
}

func TestOverflowFallsBackToPolling(t *testing.T) {
	root := site(t, map[string]string{"content/day-1/a.md": "a"})
	w := start(t, root, Options{PollInterval: 50 * time.Millisecond})
	if w.Polling() {
		t.Fatal("polling from the start")
	}
	w.inject <- fsnotify.ErrEventOverflow
	err := <-w.Errors()
	if !errors.Is(err, fsnotify.ErrEventOverflow) || !strings.Contains(err.Error(), "sysctl fs.inotify.max_queued_events=") {
		t.Fatalf("error %q does not name the setting to raise", err)
	}
	t.Log(err)
	pollingSeesEdits(t, w, root)
}

func TestWatchLimitFallsBackToPolling(t *testing.T) {
	for _, when := range []string{"at start", "on a new folder"} {
		t.Run(when, func(t *testing.T) {
			root := site(t, map[string]string{"content/day-1/a.md": "a", "content/day-2/b.md": "b"})
			full := filepath.Join(root, "content", "day-2")
			if when == "on a new folder" {
				full = filepath.Join(root, "content", "day-8")
			}
			w := start(t, root, Options{PollInterval: 50 * time.Millisecond,
				addWatch: func(fsw *fsnotify.Watcher, dir string) error {
					if dir == full {
						return fmt.Errorf("add %s: %w", dir, syscall.ENOSPC)
					}
					return fsw.Add(dir)
				}})
			if when == "on a new folder" {
				sitetest.WriteFile(t, root, "content/day-8/c.md", "c")
				until(t, w, changed("content/day-8/c.md", Content))
			}
			err := <-w.Errors()
			if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "sysctl fs.inotify.max_user_watches=524288") {
				t.Fatalf("error %q does not name the setting to raise", err)
			}
			t.Log(err)
			sitetest.WriteFile(t, root, "content/day-2/b.md", "b, edited")
			until(t, w, changed("content/day-2/b.md", Content))
			pollingSeesEdits(t, w, root)
		})
	}
}

func TestCloseClosesChannels(t *testing.T) {
	root := site(t, map[string]string{"content/a.md": "a"})
	w, err := New(root, Options{})
	must(t, err)
	must(t, w.Close())
	must(t, w.Close())
	if _, ok := <-w.Changes(); ok {
		t.Error("Changes not closed")
	}
	for range w.Errors() {
	}
}

func TestNewNeedsAFolder(t *testing.T) {
	root := t.TempDir()
	if _, err := New(filepath.Join(root, "missing"), Options{}); err == nil {
		t.Error("New on a missing folder: no error")
	}
	sitetest.WriteFile(t, root, "file", "x")
	if _, err := New(filepath.Join(root, "file"), Options{}); err == nil {
		t.Error("New on a file: no error")
	}
}

// TestSymlinkLoop: a folder linking back to one above it neither hangs the
// Watcher nor hides edits, with fsnotify and when polling. Loops are found
// with os.SameFile, as on every system.
func TestSymlinkLoop(t *testing.T) {
	for _, poll := range []bool{false, true} {
		t.Run(fmt.Sprint("poll=", poll), func(t *testing.T) {
			root := site(t, map[string]string{"content/day-1/a.md": "a"})
			if err := os.Symlink("..", filepath.Join(root, "content", "day-1", "up")); err != nil {
				t.Skipf("symlinks: %v", err)
			}
			w := start(t, root, Options{ForcePoll: poll, PollInterval: 50 * time.Millisecond})
			none(t, w, 100*time.Millisecond)
			sitetest.WriteFile(t, root, "content/day-1/a.md", "edited")
			until(t, w, changed("content/day-1/a.md", Content))
			if !poll && len(w.dirs) > 10 {
				t.Errorf("%d folders watched: the loop was followed", len(w.dirs))
			}
		})
	}
}

// TestErrorsNameSiteFiles: a file in a watcher's error is named relative to
// the site, with forward slashes.
func TestErrorsNameSiteFiles(t *testing.T) {
	root := site(t, map[string]string{"content/day-1/a.md": "a"})
	w := start(t, root, Options{ForcePoll: true})
	err := w.shown(&fs.PathError{Op: "open", Path: filepath.Join(w.root, "content", "day-1"), Err: fs.ErrPermission})
	if got := err.Error(); got != "open content/day-1: permission denied" {
		t.Errorf("%q", got)
	}
}
