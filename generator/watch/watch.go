// Package watch tells `flipchart serve` which files of a site changed, so it
// can rebuild and reload the browser while an author edits.
//
// Classify is a pure function from a path to the Kind of rebuild it needs.
// Watcher watches the site's folders with fsnotify, batches the events and
// sends each batch as a sorted list of changed files. When the system's
// inotify limits are reached it says which setting to raise and falls back
// to polling, so edits are still seen.
package watch

import (
	"errors"
	"flipchart/generator/content"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"

	"flipchart/generator/diag"
)

// Options tune a Watcher. The zero Options give the defaults.
type Options struct {
	// Debounce is how long no event must come before a batch is sent.
	// Default 30ms.
	Debounce time.Duration
	// MaxWait bounds how long the first event of a batch waits, so a
	// steady stream of events still sends batches. Default 300ms.
	MaxWait time.Duration
	// PollInterval is how often the folders are scanned once the Watcher
	// polls instead of using fsnotify. Default 500ms.
	PollInterval time.Duration
	// ForcePoll polls from the start and never uses fsnotify.
	ForcePoll bool

	// addWatch replaces fsnotify's Add in tests, to make it fail with ENOSPC.
	addWatch func(fsw *fsnotify.Watcher, dir string) error
}

func (o Options) withDefaults() Options {
	if o.Debounce <= 0 {
		o.Debounce = 30 * time.Millisecond
	}
	if o.MaxWait <= 0 {
		o.MaxWait = 300 * time.Millisecond
	}
	if o.MaxWait < o.Debounce {
		o.MaxWait = o.Debounce
	}
	if o.PollInterval <= 0 {
		o.PollInterval = 500 * time.Millisecond
	}
	return o
}

// Change is one changed file.
type Change struct {
	Path    string // slash path relative to the site folder: "content/day-1/02-intro.md"
	Kind    Kind   // Classify(Path)
	Removed bool   // the file no longer existed when the batch was made
}

// Batch lists the files that changed since the previous batch, each once,
// sorted by Path.
//
// A batch names files only, never folders. A new or renamed-in folder gives
// one change for each file in it; a deleted or renamed-away folder gives a
// Removed change for each file the Watcher knew in it (an empty folder gives
// none). A path is Removed only if the Watcher had seen the file exist (at
// start or in an earlier batch), so a temporary file that came and went
// between two batches is never reported. A file that was saved but not
// changed can still be listed: an event counts as a change.
type Batch []Change

// roots are the folders under the site that are watched, recursively.
// The site folder itself is watched for config.toml and for these folders
// coming and going.
var roots = [...]string{"content", "i18n", "layouts", "static", "themes"}

const configFile = "config.toml"

// Watcher watches a site's folders and sends batches of changes.
// Read both Changes and Errors until they are closed by Close.
type Watcher struct {
	root    string // absolute
	opts    Options
	changes chan Batch
	errs    chan error
	inject  chan error // tests: handled as if fsnotify had sent it
	done    chan struct{}
	stopped chan struct{}
	once    sync.Once
	closed  error
	polling atomic.Bool

	// Used only by New, then only by the run goroutine.
	fsw     *fsnotify.Watcher    // nil when polling
	dirs    map[string]bool      // folders (rel) with an fsnotify watch
	known   map[string]fileState // files (rel) seen to exist, as last seen
	pending pendingSet           // paths (rel) with events since the last batch
	ready   map[string]Change    // a batch made but not yet taken
	batch   Batch                // ready, sorted
}

type fileState struct {
	size  int64
	mtime int64
	mode  fs.FileMode
}

func stateOf(info fs.FileInfo) fileState {
	return fileState{size: info.Size(), mtime: info.ModTime().UnixNano(), mode: info.Mode()}
}

// New starts watching the site in the folder root: content/, i18n/,
// layouts/, static/ and themes/ with every folder in them (hidden folders
// excepted), and config.toml. Folders created later are watched as they
// appear, and symlinked folders are followed (an edit made to the target of
// a symlinked file, outside the site, is seen only when polling). Files
// present at the start are not reported. New fails only if root is not a
// readable folder; a problem with inotify is sent on Errors and the Watcher
// polls instead.
func New(root string, opts Options) (*Watcher, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	info, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("watch: %s is not a folder", root)
	}
	w := &Watcher{
		root:    abs,
		opts:    opts.withDefaults(),
		changes: make(chan Batch),
		errs:    make(chan error, 16),
		inject:  make(chan error),
		done:    make(chan struct{}),
		stopped: make(chan struct{}),
		dirs:    map[string]bool{},
		known:   map[string]fileState{},
		pending: pendingSet{},
		ready:   map[string]Change{},
	}
	if w.opts.ForcePoll {
		w.polling.Store(true)
	} else if w.fsw, err = fsnotify.NewWatcher(); err != nil {
		w.fsw = nil
		w.polling.Store(true)
		w.report(fmt.Errorf("watch: cannot start watching for changes (%w); checking every %v instead. "+
			"If it says too many open files, raise the limit: sudo sysctl fs.inotify.max_user_instances=1024",
			err, w.opts.PollInterval))
	}
	w.watchDir(".")
	w.scan(map[string]Change{}) // learn what exists; report nothing
	go w.run()
	return w, nil
}

// Changes returns the channel of batches. It is closed by Close.
func (w *Watcher) Changes() <-chan Batch { return w.changes }

// Errors returns the channel of problems to show the author, such as an
// inotify limit to raise. None of them stops the Watcher. It holds a few
// errors; more are dropped while nobody reads it. It is closed by Close.
func (w *Watcher) Errors() <-chan error { return w.errs }

// Polling reports whether the Watcher scans the folders every PollInterval
// instead of using fsnotify: because Options.ForcePoll asked for it, or
// because an inotify limit was reached.
func (w *Watcher) Polling() bool { return w.polling.Load() }

// Close stops the Watcher and closes its channels. It may be called more
// than once.
func (w *Watcher) Close() error {
	w.once.Do(func() { close(w.done) })
	<-w.stopped
	return w.closed
}

func (w *Watcher) run() {
	defer func() {
		if w.fsw != nil {
			w.closed = w.fsw.Close()
		}
		close(w.changes)
		close(w.errs)
		close(w.stopped)
	}()
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	var first time.Time // the first event of the batch being gathered
	var tick <-chan time.Time
	for {
		if tick == nil && w.polling.Load() {
			t := time.NewTicker(w.opts.PollInterval)
			defer t.Stop()
			tick = t.C
		}
		var events <-chan fsnotify.Event
		var fserrs <-chan error
		if w.fsw != nil {
			events, fserrs = w.fsw.Events, w.fsw.Errors
		}
		var out chan<- Batch
		if len(w.batch) > 0 {
			out = w.changes
		}
		select {
		case <-w.done:
			return
		case out <- w.batch:
			clear(w.ready)
			w.batch = nil
		case ev, ok := <-events:
			if !ok {
				w.fallBack(fmt.Errorf("watch: the file watcher stopped; checking for changes every %v instead", w.opts.PollInterval))
				continue
			}
			if !w.event(ev) {
				continue
			}
			now := time.Now()
			if first.IsZero() {
				first = now
			}
			wait := min(w.opts.Debounce, first.Add(w.opts.MaxWait).Sub(now))
			timer.Reset(max(wait, 0))
		case err, ok := <-fserrs:
			if ok {
				w.fsError(err)
			}
		case err := <-w.inject:
			w.fsError(err)
		case <-timer.C:
			first = time.Time{}
			w.flush()
		case <-tick:
			out := map[string]Change{}
			w.scan(out)
			w.deliver(out)
		}
	}
}

// event records an fsnotify event (see pendingSet.add) and reports whether
// it matters.
func (w *Watcher) event(ev fsnotify.Event) bool {
	rel, ok := w.pending.add(w.root, filepath.Separator, ev)
	if !ok {
		return false
	}
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		// The folder's watches would report under the old name: drop them.
		w.unwatch(rel)
	}
	if ev.Has(fsnotify.Create) {
		// fsnotify is not recursive: watch a new folder and every folder in
		// it now, before more files land there. Files already inside are
		// found when the batch is made.
		if info, err := os.Stat(ev.Name); err == nil && info.IsDir() {
			w.walk(rel, info, nil, nil)
		}
	}
	return true
}

func (w *Watcher) fsError(err error) {
	if errors.Is(err, fsnotify.ErrEventOverflow) {
		w.fallBack(fmt.Errorf("watch: too many changes at once, some were missed (%w); checking for changes every %v from now on. "+
			"To raise the queue: sudo sysctl fs.inotify.max_queued_events=65536", err, w.opts.PollInterval))
		return
	}
	w.report(fmt.Errorf("watch: %w", w.shown(err)))
}

// fallBack reports err and switches to polling. The first scan reports
// whatever changed since the last batch, events lost in an overflow included.
func (w *Watcher) fallBack(err error) {
	if !w.polling.Swap(true) {
		if w.fsw != nil {
			_ = w.fsw.Close()
			w.fsw = nil
		}
		clear(w.dirs)
	}
	w.report(err)
}

// report sends err on Errors unless the buffer is full.
func (w *Watcher) report(err error) {
	select {
	case w.errs <- err:
	default:
	}
}

// flush makes a batch of the pending paths.
func (w *Watcher) flush() {
	out := map[string]Change{}
	for rel := range w.pending {
		w.check(rel, true, out)
	}
	clear(w.pending)
	w.deliver(out)
}

// scan compares every watched folder and config.toml with what is known.
func (w *Watcher) scan(out map[string]Change) {
	for _, r := range roots {
		w.check(r, false, out)
	}
	w.check(configFile, false, out)
}

// deliver adds changes to the batch waiting to be taken; a later change to
// a path replaces an earlier one, so the batch tells the state at the end.
func (w *Watcher) deliver(out map[string]Change) {
	if len(out) == 0 {
		return
	}
	for p, c := range out {
		w.ready[p] = c
	}
	b := make(Batch, 0, len(w.ready))
	for _, c := range w.ready {
		b = append(b, c)
	}
	sort.Slice(b, func(i, j int) bool { return b[i].Path < b[j].Path })
	w.batch = b
}

// check looks at rel now and records in out what changed. A file is reported
// if force is set (an event named it) or if its size, time or mode differ
// from what is known; a folder is scanned; a missing path removes what was
// known at and under it.
func (w *Watcher) check(rel string, force bool, out map[string]Change) {
	info, err := os.Stat(w.abs(rel))
	if err != nil {
		if notExist(err) {
			w.unwatch(rel)
			w.goneFile(rel, out)
			w.goneUnder(rel, out)
		} else {
			w.report(fmt.Errorf("watch: %w", w.shown(err)))
		}
		return
	}
	if info.IsDir() {
		w.goneFile(rel, out) // a file replaced by a folder
		seen := map[string]bool{}
		w.walk(rel, info, nil, func(file string, info fs.FileInfo) {
			seen[file] = true
			w.file(file, info, false, out)
		})
		prefix := rel + "/"
		for p := range w.known {
			if strings.HasPrefix(p, prefix) && !seen[p] {
				delete(w.known, p)
				out[p] = Change{Path: p, Kind: Classify(p), Removed: true}
			}
		}
		return
	}
	w.goneUnder(rel, out) // a folder replaced by a file
	w.file(rel, info, force, out)
}

func (w *Watcher) file(rel string, info fs.FileInfo, force bool, out map[string]Change) {
	k := Classify(rel)
	if k == Ignored || !info.Mode().IsRegular() {
		return
	}
	st := stateOf(info)
	old, ok := w.known[rel]
	w.known[rel] = st
	if force || !ok || old != st {
		out[rel] = Change{Path: rel, Kind: k}
	}
}

func (w *Watcher) goneFile(rel string, out map[string]Change) {
	if _, ok := w.known[rel]; ok {
		delete(w.known, rel)
		out[rel] = Change{Path: rel, Kind: Classify(rel), Removed: true}
	}
}

func (w *Watcher) goneUnder(rel string, out map[string]Change) {
	prefix := rel + "/"
	for p := range w.known {
		if strings.HasPrefix(p, prefix) {
			delete(w.known, p)
			out[p] = Change{Path: p, Kind: Classify(p), Removed: true}
		}
	}
}

// walk watches the folder rel (info is its os.Stat) and every folder in it,
// skipping hidden folders and following symlinks (ancestors catches loops),
// and calls fn, if set, with each regular file that is not ignored.
// ancestors are the folders above rel on the way down; they are compared
// with os.SameFile, which works on every system.
func (w *Watcher) walk(rel string, info fs.FileInfo, ancestors []fs.FileInfo, fn func(rel string, info fs.FileInfo)) {
	for _, a := range ancestors {
		if os.SameFile(a, info) {
			return
		}
	}
	ancestors = append(ancestors, info)
	w.watchDir(rel) // before reading, so no file created meanwhile is missed
	entries, err := os.ReadDir(w.abs(rel))
	if err != nil {
		if !notExist(err) {
			w.report(fmt.Errorf("watch: %w", w.shown(err)))
		}
		return
	}
	for _, e := range entries {
		if content.Ignored(e.Name()) {
			continue
		}
		child := rel + "/" + e.Name()
		var info fs.FileInfo
		if e.Type()&fs.ModeSymlink != 0 {
			info, err = os.Stat(w.abs(child))
		} else {
			info, err = e.Info()
		}
		if err != nil {
			continue // gone already, or a broken symlink
		}
		if info.IsDir() {
			w.walk(child, info, ancestors, fn)
		} else if fn != nil && info.Mode().IsRegular() {
			fn(child, info)
		}
	}
}

// watchDir adds an fsnotify watch on the folder rel, unless polling.
func (w *Watcher) watchDir(rel string) {
	if w.fsw == nil || w.dirs[rel] {
		return
	}
	dir := w.abs(rel)
	var err error
	if w.opts.addWatch != nil {
		err = w.opts.addWatch(w.fsw, dir)
	} else {
		err = w.fsw.Add(dir)
	}
	switch {
	case err == nil:
		w.dirs[rel] = true
	case errors.Is(err, syscall.ENOSPC):
		w.fallBack(fmt.Errorf("watch: cannot watch %s: the limit on watched folders is reached (%w); checking for changes every %v instead. "+
			"To raise the limit: sudo sysctl fs.inotify.max_user_watches=524288", rel, err, w.opts.PollInterval))
	case notExist(err):
		// Gone already: its parent's event reports it.
	default:
		w.report(fmt.Errorf("watch: cannot watch %s: %w", rel, err))
	}
}

// unwatch drops the watches of the folder rel and the folders in it.
func (w *Watcher) unwatch(rel string) {
	if w.fsw == nil {
		return
	}
	prefix := rel + "/"
	for d := range w.dirs {
		if d == rel || strings.HasPrefix(d, prefix) {
			_ = w.fsw.Remove(w.abs(d)) // may be gone with its folder already
			delete(w.dirs, d)
		}
	}
}

func (w *Watcher) abs(rel string) string {
	return filepath.Join(w.root, filepath.FromSlash(rel))
}

// shown names the file of a *fs.PathError as messages do: relative to the
// site, with forward slashes, on every system.
func (w *Watcher) shown(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		c := *pe
		c.Path = diag.Display(w.root, pe.Path)
		return &c
	}
	return err
}

func isRoot(rel string) bool {
	for _, r := range roots {
		if rel == r {
			return true
		}
	}
	return false
}

func notExist(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}
