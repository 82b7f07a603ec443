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
	dest string
	tmp  string
	mu   sync.Mutex
	made map[string]bool // folders created so far
}

// NewDir starts a build towards dest. It refuses a destination that holds a
// site's sources, so a mistyped --dest cannot delete them.
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
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(abs)+".building-")
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	return &Dir{dest: abs, tmp: tmp, made: map[string]bool{".": true}}, nil
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
	if d.made[dir] {
		return nil
	}
	if err := os.MkdirAll(filepath.Join(d.tmp, dir), 0o755); err != nil {
		return err
	}
	d.made[dir] = true
	return nil
}

// Path is the folder the build is written to until Commit.
func (d *Dir) Path() string { return d.tmp }

// Abort removes the unfinished build; the destination is untouched.
func (d *Dir) Abort() error { return os.RemoveAll(d.tmp) }

// Commit swaps the finished build in for the destination and removes the
// previous site.
func (d *Dir) Commit() error {
	if _, err := os.Lstat(d.dest); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(d.tmp, d.dest); err != nil {
			d.Abort()
			return err
		}
		return nil
	}
	if err := exchange(d.tmp, d.dest); err == nil {
		return os.RemoveAll(d.tmp) // now holds the previous site
	}
	// No atomic exchange on this system: move the old site away first.
	old := d.tmp + ".old"
	if err := os.Rename(d.dest, old); err != nil {
		d.Abort()
		return err
	}
	if err := os.Rename(d.tmp, d.dest); err != nil {
		os.Rename(old, d.dest)
		d.Abort()
		return err
	}
	return os.RemoveAll(old)
}

// Memory keeps a built site in memory, for tests and the dev server.
type Memory struct {
	mu    sync.Mutex
	Files map[string][]byte
	lazy  map[string]func() []byte
}

// NewMemory returns an empty in-memory site.
func NewMemory() *Memory {
	return &Memory{Files: map[string][]byte{}, lazy: map[string]func() []byte{}}
}

// WriteFile stores a copy of data under name.
func (m *Memory) WriteFile(name string, data []byte) error {
	if !fs.ValidPath(name) || name == "." {
		return fmt.Errorf("invalid output path %q", name)
	}
	m.mu.Lock()
	m.Files[name] = append([]byte(nil), data...)
	delete(m.lazy, name)
	m.mu.Unlock()
	return nil
}

// WriteLazy stores a file made only when it is first asked for: the dev
// server uses it for pages as large as the whole manual (print editions), so
// an edit does not wait for them.
func (m *Memory) WriteLazy(name string, make func() []byte) {
	m.mu.Lock()
	delete(m.Files, name)
	m.lazy[name] = make
	m.mu.Unlock()
}

// Remove deletes a file.
func (m *Memory) Remove(name string) {
	m.mu.Lock()
	delete(m.Files, name)
	delete(m.lazy, name)
	m.mu.Unlock()
}

// Clone returns a copy that can be changed without changing m; the files'
// bytes are shared, as they are never changed in place.
func (m *Memory) Clone() *Memory {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := &Memory{Files: make(map[string][]byte, len(m.Files)), lazy: make(map[string]func() []byte, len(m.lazy))}
	for k, v := range m.Files {
		c.Files[k] = v
	}
	for k, v := range m.lazy {
		c.lazy[k] = v
	}
	return c
}

// Names lists the stored files, sorted.
func (m *Memory) Names() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]string, 0, len(m.Files)+len(m.lazy))
	for n := range m.Files {
		out = append(out, n)
	}
	for n := range m.lazy {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Get returns a stored file, making a lazy one now.
func (m *Memory) Get(name string) ([]byte, bool) {
	name = strings.TrimPrefix(name, "/")
	m.mu.Lock()
	b, ok := m.Files[name]
	make := m.lazy[name]
	m.mu.Unlock()
	if ok || make == nil {
		return b, ok
	}
	b = make()
	m.mu.Lock()
	if m.lazy[name] != nil {
		m.Files[name] = b
		delete(m.lazy, name)
	}
	m.mu.Unlock()
	return b, true
}
