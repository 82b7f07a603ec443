package publish

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMain also runs as a build that is stopped at a step of Commit (see
// crashedBuild): it writes a site and ends the process there, as a kill
// would, with no deferred cleanup.
func TestMain(m *testing.M) {
	if at := os.Getenv("PUBLISH_TEST_CRASH_AT"); at != "" {
		noExchange = os.Getenv("PUBLISH_TEST_PORTABLE") == "1"
		crashAt = func(s string) {
			if s == at {
				os.Exit(3)
			}
		}
		d, err := NewDir(os.Getenv("PUBLISH_TEST_DEST"))
		if os.Getenv("PUBLISH_TEST_FILES") == "1" {
			if err == nil {
				err = writeInPart(d)
			}
		} else {
			if err == nil {
				err = d.WriteFile("index.html", []byte("new"))
			}
			if err == nil {
				err = d.Commit()
			}
		}
		fmt.Fprintln(os.Stderr, "the build was not stopped at", at, err)
		os.Exit(4)
	}
	os.Exit(m.Run())
}

// crashedBuild runs a build to dest in a child process that ends at step.
func crashedBuild(t *testing.T, dest, at string, portable bool) {
	t.Helper()
	crashedRun(t, dest, at, fmt.Sprintf("PUBLISH_TEST_PORTABLE=%d", map[bool]int{false: 0, true: 1}[portable]))
}

// crashedRun runs the child of crashedBuild with more settings.
func crashedRun(t *testing.T, dest, at string, env ...string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), "PUBLISH_TEST_CRASH_AT="+at, "PUBLISH_TEST_DEST="+dest), env...)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 3 {
		t.Fatalf("the stopped build: %v\n%s", err, out)
	}
}

func publishSite(t *testing.T, dest, page string) {
	t.Helper()
	d, err := NewDir(dest)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFile("index.html", []byte(page)); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
}

func readSite(t *testing.T, dest string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dest, "index.html"))
	if err != nil {
		return "(" + err.Error() + ")"
	}
	return string(b)
}

func siblings(t *testing.T, dest string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(dest))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if e.Name() != filepath.Base(dest) {
			out = append(out, e.Name())
		}
	}
	return out
}

// TestStoppedBuild: a build killed at any step of publishing leaves either
// the old site or the new one in public/, or the old one beside it; the next
// build puts the old one back if it is not in place, removes every leftover
// and publishes. It runs with the exchange in one step (on Linux) and with
// the portable swap of Windows and macOS.
func TestStoppedBuild(t *testing.T) {
	for _, portable := range []bool{false, true} {
		steps := []string{"commit", "exchanged"}
		if portable || exchange("", "") == errNoExchange {
			steps = []string{"commit", "moved-away", "moved-in"}
		}
		for _, at := range steps {
			t.Run(fmt.Sprintf("portable=%v/%s", portable, at), func(t *testing.T) {
				dest := filepath.Join(t.TempDir(), "public")
				publishSite(t, dest, "old")
				crashedBuild(t, dest, at, portable)
				got, left := readSite(t, dest), siblings(t, dest)
				t.Logf("after the stop: public/ holds %q, beside it %v", got, left)
				switch at {
				case "commit":
					if got != "old" {
						t.Errorf("public/ holds %q, want the old site", got)
					}
				case "moved-away":
					if len(left) != 2 || !strings.Contains(strings.Join(left, " "), ".public.previous-") {
						t.Errorf("beside public/: %v, want the old site moved away and the new build", left)
					}
				case "moved-in", "exchanged":
					if got != "new" {
						t.Errorf("public/ holds %q, want the new site", got)
					}
				}
				if len(left) == 0 {
					t.Errorf("the stopped build left nothing behind: the test stopped nothing")
				}

				// The next build starts by putting things right.
				d, err := NewDir(dest)
				if err != nil {
					t.Fatal(err)
				}
				want := map[string]string{"commit": "old", "moved-away": "old", "moved-in": "new", "exchanged": "new"}[at]
				if got := readSite(t, dest); got != want {
					t.Errorf("once the next build started, public/ holds %q, want %q", got, want)
				}
				if left := siblings(t, dest); len(left) != 1 || left[0] != filepath.Base(d.Path()) {
					t.Errorf("beside public/: %v, want only the new build %s", left, filepath.Base(d.Path()))
				}
				d.WriteFile("index.html", []byte("next"))
				if err := d.Commit(); err != nil {
					t.Fatal(err)
				}
				if got, left := readSite(t, dest), siblings(t, dest); got != "next" || len(left) != 0 {
					t.Errorf("after the next build: public/ holds %q, beside it %v", got, left)
				}
			})
		}
	}
}

// TestPortableCommit is TestDirCommit with the swap of systems that cannot
// exchange two folders in one step.
func TestPortableCommit(t *testing.T) {
	noExchange = true
	defer func() { noExchange = false }()
	TestDirCommit(t)
}

// TestRunningBuildLeftAlone: a build does not remove the folder of another
// build still running (here, this process's own).
func TestRunningBuildLeftAlone(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	a, err := NewDir(dest)
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewDir(dest)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(a.Path()); err != nil {
		t.Fatalf("a second build removed the first one's folder: %v", err)
	}
	a.Abort()
	b.Abort()
}

// TestRetry: an operation failing as "in use" is tried again after each
// pause, until it succeeds or the pauses run out; any other error is
// returned at once.
func TestRetry(t *testing.T) {
	inUseErr := errors.New("the process cannot access the file because it is being used by another process")
	isBusy := func(err error) bool { return errors.Is(err, inUseErr) }
	waits := []time.Duration{1, 2, 3, 4}
	for _, tc := range []struct {
		name      string
		failures  int   // how many times the operation fails before it works
		fail      error // with this error
		wantCalls int
		wantSlept time.Duration
		wantErr   error
	}{
		{"works at once", 0, inUseErr, 1, 0, nil},
		{"in use twice", 2, inUseErr, 3, 1 + 2, nil},
		{"in use for good", 100, inUseErr, 5, 1 + 2 + 3 + 4, inUseErr},
		{"another error", 100, fs.ErrNotExist, 1, 0, fs.ErrNotExist},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls := 0
			var slept time.Duration
			err := retry(func() error {
				calls++
				if calls <= tc.failures {
					return &fs.PathError{Op: "rename", Path: "public", Err: tc.fail}
				}
				return nil
			}, isBusy, waits, func(d time.Duration) { slept += d })
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil) != (err == nil) {
				t.Errorf("error %v, want %v", err, tc.wantErr)
			}
			if calls != tc.wantCalls || slept != tc.wantSlept {
				t.Errorf("%d calls, slept %v; want %d calls, %v", calls, slept, tc.wantCalls, tc.wantSlept)
			}
		})
	}
	var total time.Duration
	for _, w := range busyWaits {
		total += w
	}
	if total < time.Second || total > 3*time.Second {
		t.Errorf("a file in use is waited for %v in all, want about 2 s", total)
	}
}

// TestInUseMessage: the message names the folder, with forward slashes, and
// says what to close.
func TestInUseMessage(t *testing.T) {
	err := error(&InUseError{Dir: filepath.Join("site", "public"), Err: errors.New("Access is denied.")})
	msg := err.Error()
	for _, want := range []string{"cannot replace site/public:", "Access is denied.", "files in site/public/ open", "a browser showing a PDF", "the last good site is unchanged"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
}
