package publish

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// A build in progress towards public/ writes to a hidden sibling named
// ".public.building-<pid>-<random>". Where the old and the new site cannot
// be exchanged in one step (Windows, macOS, or a build with the tag
// flipchart_portable), Commit renames public/ away to
// ".public.previous-<pid>-<random>", renames the new site in, and removes
// the old one. A build that dies leaves these folders behind, and the next
// build to the same destination puts them right (see repair): the old
// site goes back in place if the new one never got there.
const (
	building = ".building-"
	previous = ".previous-"
)

var errNoExchange = errors.New("no atomic exchange on this system")

// tmpPattern is the os.MkdirTemp pattern for the folder a build writes to.
func tmpPattern(dest string) string {
	return "." + filepath.Base(dest) + building + strconv.Itoa(os.Getpid()) + "-*"
}

// previousOf names the folder Commit moves the old site to.
func previousOf(tmp string) string {
	dir, name := filepath.Split(tmp)
	return filepath.Join(dir, strings.Replace(name, building, previous, 1))
}

// ownerOf returns the process id in a leftover's name after its prefix.
func ownerOf(rest string) (int, bool) {
	pid, _, ok := strings.Cut(rest, "-")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(pid)
	return n, err == nil && n > 0
}

// repair puts right what builds to dest that are no longer running left
// behind: an old site moved away by a build that died before moving its new
// site in goes back to dest; one moved away by a build that died after is
// removed, as are unfinished builds; one that died while moving its files
// into dest one by one (see CommitFiles) has its moves finished. Leftovers of running builds, this
// process's included, are left alone, and so are names it does not know.
// It fails only when it cannot put an old site back; what it cannot remove
// now, a later build removes.
func repair(dest string) error {
	parent, base := filepath.Dir(dest), filepath.Base(dest)
	entries, err := os.ReadDir(parent)
	if err != nil {
		return nil // NewDir reports what is wrong with the folder
	}
	var errs []error
	for _, kind := range []string{previous, building} { // the old site first
		prefix := "." + base + kind
		for _, e := range entries {
			rest, ok := strings.CutPrefix(e.Name(), prefix)
			if !ok || !e.IsDir() {
				continue
			}
			pid, ok := ownerOf(rest)
			if !ok || alive(pid) {
				continue
			}
			p := filepath.Join(parent, e.Name())
			if kind == previous {
				if _, err := os.Lstat(dest); errors.Is(err, fs.ErrNotExist) {
					if err := retryBusy(func() error { return os.Rename(p, dest) }); err != nil {
						errs = append(errs, fmt.Errorf("putting back the last good site, which a stopped build left in %s: %w",
							e.Name(), inUse(e.Name(), err)))
					}
					continue
				}
			}
			if kind == building {
				if done, err := rollForward(p, dest); done {
					if err != nil {
						errs = append(errs, fmt.Errorf("finishing what a stopped build left in %s: %w", e.Name(), inUse(e.Name(), err)))
					}
					continue
				}
			}
			_ = retryBusy(func() error { return os.RemoveAll(p) })
		}
	}
	return errors.Join(errs...)
}

// busyWaits are the pauses between tries of an operation on files that
// another program holds open: about 2 s in all.
var busyWaits = []time.Duration{
	10 * time.Millisecond, 20 * time.Millisecond, 50 * time.Millisecond,
	100 * time.Millisecond, 200 * time.Millisecond, 300 * time.Millisecond,
	400 * time.Millisecond, 450 * time.Millisecond, 500 * time.Millisecond,
}

// retry runs op and, while it fails with an error that isBusy accepts, runs
// it again after each of waits in turn. It returns op's last error.
func retry(op func() error, isBusy func(error) bool, waits []time.Duration, sleep func(time.Duration)) error {
	err := op()
	for _, w := range waits {
		if err == nil || !isBusy(err) {
			return err
		}
		sleep(w)
		err = op()
	}
	return err
}

// retryBusy is retry with this system's notion of a file in use.
func retryBusy(op func() error) error { return retry(op, busy, busyWaits, time.Sleep) }

// inUse explains an error on the folder dir (as the author named it) that
// says a file is in use; other errors are returned as they are.
func inUse(dir string, err error) error {
	if err == nil || !busy(err) {
		return err
	}
	return &InUseError{Dir: dir, Err: err}
}

// InUseError is a folder that could not be renamed or removed because
// another program has a file in it open.
type InUseError struct {
	Dir string // as the author named it: "public"
	Err error
}

func (e *InUseError) Error() string {
	dir := filepath.ToSlash(e.Dir)
	return fmt.Sprintf("cannot replace %s: another program is using a file in it (%v). "+
		"Close programs that have files in %s/ open, such as a browser showing a PDF, an editor, "+
		"or a terminal whose current folder is inside it, and build again; the last good site is unchanged",
		dir, e.Err, strings.TrimSuffix(dir, "/"))
}

func (e *InUseError) Unwrap() error { return e.Err }

// crashAt, when set (by tests), is called at each step of Commit; a test
// ends the process there to see what the next build does.
var crashAt func(step string)

func step(name string) {
	if crashAt != nil {
		crashAt(name)
	}
}
