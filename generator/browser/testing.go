package browser

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"
)

// EnvRequire is the environment variable that makes a missing browser a test
// failure instead of a skip. CI sets REQUIRE_BROWSER=1, so that browser tests
// cannot pass there by not running.
const EnvRequire = "REQUIRE_BROWSER"

// ForTest starts a headless Chromium for a test and returns a chromedp
// context for a blank tab in it. The browser is closed, and its profile
// removed, when the test and its subtests end.
//
// When no Chromium is installed the test is skipped with a message saying
// what to install, unless REQUIRE_BROWSER=1, in which case it fails. A
// Chromium that is installed but does not start, or a FLIPCHART_CHROMIUM that
// names no program, always fails the test.
//
// When the test has a deadline (go test -timeout), the browser is stopped a
// little before it, so that a hung page fails the test with chromedp's error
// instead of ending the whole test binary.
func ForTest(t testing.TB) context.Context {
	t.Helper()
	parent := context.Background()
	if dt, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		if d, ok := dt.Deadline(); ok {
			var cancel context.CancelFunc
			parent, cancel = context.WithDeadline(parent, d.Add(-grace(time.Until(d))))
			t.Cleanup(cancel)
		}
	}
	ctx, cancel, err := New(parent)
	if err != nil {
		// A FLIPCHART_CHROMIUM that names no program is a mistake to fix,
		// not a machine without a browser.
		if errors.Is(err, ErrNotFound) && os.Getenv(EnvRequire) != "1" && os.Getenv(EnvPath) == "" {
			t.Skipf("skipping browser test: %v (set %s=1 to make this a failure)", err, EnvRequire)
		}
		t.Fatal(err)
	}
	t.Cleanup(cancel)
	return ctx
}

// grace is how long before a test's deadline ForTest stops the browser: a
// tenth of the time left, between 1 and 30 seconds.
func grace(left time.Duration) time.Duration {
	return min(max(left/10, time.Second), 30*time.Second)
}
