package publish

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// A build that changed a few files of a large site (a build cache's, see
// package build) writes those files to its folder beside the destination as
// any build does, and then, rather than swapping a whole copy of the site
// in, moves them into the destination one by one (CommitFiles). Before the
// first move it writes, in its folder, the journal: every file to move and
// every file to remove, and a last line saying the list is whole. A build
// that dies while moving leaves its folder behind with the journal in it,
// and the next build to the same destination finishes the moves (see
// repair) before it reads the destination.
const (
	journalName = ".flipchart-journal"
	journalEnd  = "end"
)

// Open opens a file of the site as it will be once committed: the file
// written, or else the destination's.
func (d *Dir) Open(name string) (*os.File, error) {
	if f, err := os.Open(filepath.Join(d.tmp, filepath.FromSlash(name))); err == nil {
		return f, nil
	}
	return os.Open(filepath.Join(d.dest, filepath.FromSlash(name)))
}

// Dest is the destination folder, absolute.
func (d *Dir) Dest() string { return d.dest }

// CommitFiles puts the files written into the destination, replacing those
// there, and removes the files removed (names with forward slashes) and
// the folders they leave empty. Each file is replaced whole, at once; see
// the journal above for a build stopped in between. Commit swaps a whole
// site instead.
func (d *Dir) CommitFiles(removed []string) error {
	step("commit")
	var moves []string
	err := filepath.WalkDir(d.tmp, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.IsDir() {
			rel, err := filepath.Rel(d.tmp, p)
			if err != nil {
				return err
			}
			moves = append(moves, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		d.Abort()
		return err
	}
	sort.Strings(moves)
	if err := writeJournal(filepath.Join(d.tmp, journalName), moves, removed); err != nil {
		d.Abort()
		return fmt.Errorf("writing the list of files to publish: %w", err)
	}
	step("journal")
	if err := finish(d.tmp, d.dest, moves, removed); err != nil {
		return fmt.Errorf("%w; the next build finishes publishing", inUse(d.name, err))
	}
	return nil
}

// writeJournal writes and syncs the journal of moves and removals.
func writeJournal(path string, moves, removed []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for _, m := range moves {
		fmt.Fprintf(w, "move %s\n", m)
	}
	for _, r := range removed {
		fmt.Fprintf(w, "remove %s\n", r)
	}
	fmt.Fprintln(w, journalEnd)
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// readJournal reads a journal; ok is false when it is not whole (the build
// stopped while writing it, before it moved anything).
func readJournal(path string) (moves, removed []string, ok bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, false
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) == 0 || lines[len(lines)-1] != journalEnd {
		return nil, nil, false
	}
	for _, l := range lines[:len(lines)-1] {
		switch {
		case strings.HasPrefix(l, "move "):
			moves = append(moves, l[len("move "):])
		case strings.HasPrefix(l, "remove "):
			removed = append(removed, l[len("remove "):])
		default:
			return nil, nil, false
		}
	}
	return moves, removed, true
}

// finish moves the files of tmp listed in moves into dest, removes those
// listed in removed, and then tmp. A move whose file is gone from tmp was
// done already (by a build that stopped after it).
func finish(tmp, dest string, moves, removed []string) error {
	for _, m := range moves {
		if !fs.ValidPath(m) {
			return fmt.Errorf("invalid path %q in %s", m, journalName)
		}
		from, to := filepath.Join(tmp, filepath.FromSlash(m)), filepath.Join(dest, filepath.FromSlash(m))
		if _, err := os.Lstat(from); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			return err
		}
		if err := retryBusy(func() error { return os.Rename(from, to) }); err != nil {
			return err
		}
		step("moved " + m)
	}
	for _, r := range removed {
		if !fs.ValidPath(r) {
			return fmt.Errorf("invalid path %q in %s", r, journalName)
		}
		p := filepath.Join(dest, filepath.FromSlash(r))
		if err := retryBusy(func() error { return os.Remove(p) }); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		// The folders it leaves empty go too: a whole build would not make them.
		for dir := filepath.Dir(p); dir != dest && strings.HasPrefix(dir, dest); dir = filepath.Dir(dir) {
			if os.Remove(dir) != nil {
				break
			}
		}
	}
	return retryBusy(func() error { return os.RemoveAll(tmp) })
}

// rollForward finishes the moves of a build that stopped while committing
// its files, when its folder holds a whole journal; it reports whether it
// did.
func rollForward(tmp, dest string) (bool, error) {
	moves, removed, ok := readJournal(filepath.Join(tmp, journalName))
	if !ok {
		return false, nil
	}
	return true, finish(tmp, dest, moves, removed)
}
