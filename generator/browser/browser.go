// Package browser finds a local Chromium, Google Chrome or Microsoft Edge
// (at the usual install places of Windows, macOS and Linux) and starts it
// headless for flipchart: for printing pages to PDF and for the tests that
// read the built site as a person would. It never downloads a browser; when
// none is installed it says what to install.
//
// A typical use:
//
//	ctx, cancel, err := browser.New(ctx)
//	if err != nil {
//		return err
//	}
//	defer cancel()
//	err = chromedp.Do(ctx, chromedp.Navigate("file:///path/to/site/index.html"))
//
// The context that New returns is a chromedp context for one tab of a browser
// that is already running, so the chromedp actions (Run, Do, Events, Listen,
// Call) work on it directly, and chromedp.NewContext(ctx) opens more tabs in
// the same browser.
package browser

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/chromedp/chromedp"
)

// EnvPath is the environment variable that names the Chromium (or Chrome,
// or Edge) program to use. It wins over the search; only `flipchart pdf
// --chrome` wins over it.
const EnvPath = "FLIPCHART_CHROMIUM"

// ErrNotFound is wrapped by the error of Find and New when no Chromium is
// installed. Use errors.Is to tell it from a browser that failed to start.
var ErrNotFound = errors.New("no Chromium found")

// Find returns the path of the browser to use: Locate without a --chrome
// flag. The error wraps ErrNotFound and says what to install.
func Find() (string, error) {
	p, err := Locate("")
	return p.Path, err
}

// Flags returns the command-line flags New gives Chromium on top of
// chromedp's defaults (some repeat a default on purpose, so that the whole
// list is here). Together they keep a headless Chromium from reaching the
// internet on its own: no background networking, component updates, sync,
// QUIC probes, pings or first-run tasks. --no-sandbox is added only when
// running as root, where Chromium refuses to start without it.
func Flags() map[string]any {
	f := map[string]any{
		"headless":                      true,
		"disable-gpu":                   true,
		"disable-background-networking": true,
		"disable-component-update":      true,
		"disable-sync":                  true,
		"disable-quic":                  true,
		"disable-domain-reliability":    true,
		"no-first-run":                  true,
		"no-default-browser-check":      true,
		"no-pings":                      true,
	}
	if os.Geteuid() == 0 {
		f["no-sandbox"] = true
	}
	return f
}

// New starts a headless Chromium and returns a chromedp context for a blank
// tab in it, with a cancel func that closes the browser, waits for it to exit
// and removes its profile. The profile (--user-data-dir) is a fresh temporary
// folder, so no state carries over between runs.
//
// The browser is running when New returns; an error means it could not be
// found (wrapping ErrNotFound) or did not start (with the end of its output).
// The browser lives until cancel is called or ctx ends, so give ctx no short
// deadline: limit single actions with a context derived from the returned one.
//
// opts are extra chromedp allocator options, applied after flipchart's, such
// as chromedp.WindowSize(1280, 800) or chromedp.Flag("lang", "es").
func New(ctx context.Context, opts ...chromedp.ExecAllocatorOption) (context.Context, context.CancelFunc, error) {
	path, err := Find()
	if err != nil {
		return nil, nil, err
	}
	return Start(ctx, path, opts...)
}

// Start is New with the program to start given, as Locate returns it.
func Start(ctx context.Context, path string, opts ...chromedp.ExecAllocatorOption) (context.Context, context.CancelFunc, error) {
	out := &tail{max: 8 << 10}
	all := append([]chromedp.ExecAllocatorOption{}, chromedp.DefaultExecAllocatorOptions[:]...)
	all = append(all, chromedp.ExecPath(path), chromedp.CombinedOutput(out))
	flags := Flags()
	for _, name := range slices.Sorted(maps.Keys(flags)) {
		all = append(all, chromedp.Flag(name, flags[name]))
	}
	// With no UserDataDir option chromedp makes a fresh temporary profile
	// folder, kills any helper process still using it once the browser exits,
	// and removes it; the allocator's cancel waits for all of that.
	all = append(all, opts...)

	allocCtx, allocCancel := chromedp.NewExecAllocator(ctx, all...)
	tabCtx, tabCancel := chromedp.NewContext(allocCtx)
	cancel := func() {
		tabCancel()
		allocCancel()
	}
	// The first action starts the browser and opens the tab, so that a
	// browser that cannot start fails here and not at the caller's first step.
	if err := chromedp.Do(tabCtx); err != nil {
		cancel()
		msg := strings.TrimSpace(out.String())
		if msg != "" && !strings.Contains(err.Error(), msg) {
			msg = "; its output ended with:\n" + msg
		}
		return nil, nil, fmt.Errorf("starting %s: %w%s", filepath.Base(path), err, msg)
	}
	return tabCtx, cancel, nil
}

// tail keeps the last max bytes written to it: Chromium's output, shown only
// when it fails to start.
type tail struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if n := len(t.buf) - t.max; n > 0 {
		t.buf = append(t.buf[:0], t.buf[n:]...)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}
