// Package publish writes a built site so that it appears all at once: files
// go to a temporary folder beside the destination, which is swapped in only
// when the build succeeded. A failed build leaves the last good site as it
// was and no temporary folder behind.
package publish

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// Dir is a build in progress towards a destination folder.
type Dir struct {
	dest string // absolute
	name string // as given, for messages
	tmp  string
	mu   sync.Mutex
	made map[string]bool // folders created so far
}

// NewDir starts a build towards dest. It refuses a destination that holds a
// site's sources, so a mistyped --dest cannot delete them. It first puts
// right what a build to dest that was stopped (killed, or its computer shut
// down) left behind: see repair.
func NewDir(dest string) (*Dir, error) {
	abs, err := filepath.Abs(dest)
	if err != nil {
		return nil, err
	}
	if info, err := os.Stat(abs); err == nil {
		if !info.IsDir() {
			return nil, fmt.Errorf("%s is a file, not a folder", dest)
		}
		for _, marker := range []string{"config.toml", "content", "go.mod", ".git"} {
			if _, err := os.Lstat(filepath.Join(abs, marker)); err == nil {
				return nil, fmt.Errorf("refusing to replace %s: it holds %s, so it is not a built site", dest, marker)
			}
		}
	}
	parent := filepath.Dir(abs)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	if err := repair(abs); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(parent, tmpPattern(abs))
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	return &Dir{dest: abs, name: dest, tmp: tmp, made: map[string]bool{".": true}}, nil
}

// WriteFile writes one file of the site; name uses forward slashes. It is
// safe for concurrent use.
func (d *Dir) WriteFile(name string, data []byte) error {
	if !fs.ValidPath(name) || name == "." {
		return fmt.Errorf("invalid output path %q", name)
	}
	if err := d.mkdir(filepath.Dir(filepath.FromSlash(name))); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(d.tmp, filepath.FromSlash(name)), data, 0o644)
}

// Stream writes one file of the site as write produces it.
func (d *Dir) Stream(name string, write func(io.Writer) error) error {
	if !fs.ValidPath(name) || name == "." {
		return fmt.Errorf("invalid output path %q", name)
	}
	if err := d.mkdir(filepath.Dir(filepath.FromSlash(name))); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(d.tmp, filepath.FromSlash(name)))
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	if err := write(bw); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func (d *Dir) mkdir(dir string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.made[dir] || dir == "." {
		return nil
	}
	if parent := filepath.Dir(dir); parent == "." || d.made[parent] {
		// One system call where MkdirAll makes three or more.
		if err := os.Mkdir(filepath.Join(d.tmp, dir), 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
	} else if err := os.MkdirAll(filepath.Join(d.tmp, dir), 0o755); err != nil {
		return err
	}
	for ; dir != "."; dir = filepath.Dir(dir) {
		d.made[dir] = true
	}
	return nil
}

// Path is the folder the build is written to until Commit.
func (d *Dir) Path() string { return d.tmp }

// Abort removes the unfinished build; the destination is untouched.
func (d *Dir) Abort() error { return retryBusy(func() error { return os.RemoveAll(d.tmp) }) }

// Commit swaps the finished build in for the destination and removes the
// previous site. Where the two cannot be exchanged in one step, the old site
// is renamed away, the new one renamed in, and the old one removed; a file
// that another program holds open (on Windows) is waited for a little, and
// then Commit fails with the destination as it was. A build stopped between
// the two renames leaves the old site beside the destination, and the next
// NewDir puts it back.
func (d *Dir) Commit() error {
	step("commit")
	if _, err := os.Lstat(d.dest); errors.Is(err, fs.ErrNotExist) {
		if err := retryBusy(func() error { return os.Rename(d.tmp, d.dest) }); err != nil {
			d.Abort()
			return inUse(d.name, err)
		}
		return nil
	}
	if !noExchange {
		if err := exchange(d.tmp, d.dest); err == nil {
			step("exchanged")
			_ = retryBusy(func() error { return os.RemoveAll(d.tmp) }) // now holds the previous site
			return nil
		}
	}
	old := previousOf(d.tmp)
	if err := retryBusy(func() error { return os.Rename(d.dest, old) }); err != nil {
		d.Abort()
		return inUse(d.name, err)
	}
	step("moved-away")
	if err := retryBusy(func() error { return os.Rename(d.tmp, d.dest) }); err != nil {
		if rerr := retryBusy(func() error { return os.Rename(old, d.dest) }); rerr != nil {
			return fmt.Errorf("%w; the last good site is in %s, and the next build puts it back", inUse(d.name, err), filepath.Base(old))
		}
		d.Abort()
		return inUse(d.name, err)
	}
	step("moved-in")
	// What cannot be removed now (a file in it still open), a later build
	// removes: the new site is in place either way.
	_ = retryBusy(func() error { return os.RemoveAll(old) })
	return nil
}

// noExchange makes Commit use the portable swap even where an exchange in
// one step exists, for tests.
var noExchange = false

// Memory keeps a built site in memory, for tests and the dev server. A
// Clone is a layer over the site it was made from, so the dev server makes
// the next site after an edit in time that does not grow with the site.
type Memory struct {
	mu    sync.Mutex
	files map[string][]byte
	lazy  map[string]func() []byte
	gone  map[string]bool // removed in this layer
	base  *Memory         // the layer below, never written again; or nil
	depth int
}

// maxDepth is how many layers Clone stacks before it flattens them.
const maxDepth = 8

// NewMemory returns an empty in-memory site.
func NewMemory() *Memory {
	return &Memory{files: map[string][]byte{}, lazy: map[string]func() []byte{}, gone: map[string]bool{}}
}

// WriteFile stores a copy of data under name.
func (m *Memory) WriteFile(name string, data []byte) error {
	if !fs.ValidPath(name) || name == "." {
		return fmt.Errorf("invalid output path %q", name)
	}
	m.mu.Lock()
	m.files[name] = append([]byte(nil), data...)
	delete(m.lazy, name)
	delete(m.gone, name)
	m.mu.Unlock()
	return nil
}

// WriteLazy stores a file made only when it is first asked for: the dev
// server uses it for pages as large as the whole manual (print editions), so
// an edit does not wait for them.
func (m *Memory) WriteLazy(name string, make func() []byte) {
	m.mu.Lock()
	delete(m.files, name)
	delete(m.gone, name)
	m.lazy[name] = make
	m.mu.Unlock()
}

// Remove deletes a file.
func (m *Memory) Remove(name string) {
	m.mu.Lock()
	delete(m.files, name)
	delete(m.lazy, name)
	m.gone[name] = true
	m.mu.Unlock()
}

// Clone returns a site that starts as m and can be changed without changing
// m. m must not be written after it is cloned.
func (m *Memory) Clone() *Memory {
	if m.depth < maxDepth {
		c := NewMemory()
		c.base, c.depth = m, m.depth+1
		return c
	}
	c := NewMemory()
	for _, name := range m.Names() {
		if b, ok := m.peek(name); ok {
			c.files[name] = b
		} else if f := m.lazyOf(name); f != nil {
			c.lazy[name] = f
		}
	}
	return c
}

// peek returns a file that is already made, from the topmost layer holding
// it.
func (m *Memory) peek(name string) ([]byte, bool) {
	for l := m; l != nil; l = l.base {
		l.mu.Lock()
		b, ok := l.files[name]
		gone, lazy := l.gone[name], l.lazy[name] != nil
		l.mu.Unlock()
		if ok {
			return b, true
		}
		if gone || lazy {
			return nil, false
		}
	}
	return nil, false
}

// lazyOf returns the maker of a lazy file, from the topmost layer naming it.
func (m *Memory) lazyOf(name string) func() []byte {
	for l := m; l != nil; l = l.base {
		l.mu.Lock()
		_, ok := l.files[name]
		gone, f := l.gone[name], l.lazy[name]
		l.mu.Unlock()
		if ok || gone {
			return nil
		}
		if f != nil {
			return f
		}
	}
	return nil
}

// Names lists the stored files, sorted.
func (m *Memory) Names() []string {
	seen := map[string]bool{}
	var out []string
	for l := m; l != nil; l = l.base {
		l.mu.Lock()
		for _, set := range []map[string]bool{keys(l.files), keys(l.lazy), l.gone} {
			for n := range set {
				if !seen[n] {
					seen[n] = true
					if !l.gone[n] {
						out = append(out, n)
					}
				}
			}
		}
		l.mu.Unlock()
	}
	sort.Strings(out)
	return out
}

func keys[V any](m map[string]V) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}

// Get returns a stored file, making a lazy one now.
func (m *Memory) Get(name string) ([]byte, bool) {
	name = strings.TrimPrefix(name, "/")
	for l := m; l != nil; l = l.base {
		l.mu.Lock()
		b, ok := l.files[name]
		gone, make := l.gone[name], l.lazy[name]
		l.mu.Unlock()
		switch {
		case ok:
			return b, true
		case gone:
			return nil, false
		case make != nil:
			b = make()
			l.mu.Lock()
			if l.lazy[name] != nil {
				l.files[name] = b
				delete(l.lazy, name)
			}
			l.mu.Unlock()
			return b, true
		}
	}
	return nil, false
}
