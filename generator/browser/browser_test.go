package browser

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestBrowserFindNone(t *testing.T) {
	t.Setenv(EnvPath, "")
	t.Setenv("PATH", t.TempDir())
	old := fallback
	fallback = filepath.Join(t.TempDir(), "chromium")
	t.Cleanup(func() { fallback = old })

	_, err := Find()
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("Find() error = %v, want ErrNotFound", err)
	}
	if !strings.Contains(err.Error(), "apt-get install chromium") {
		t.Errorf("the error does not say what to install: %v", err)
	}
	// New fails the same way, before starting anything.
	if _, _, err := New(context.Background()); !errors.Is(err, ErrNotFound) {
		t.Errorf("New() error = %v, want ErrNotFound", err)
	}
}

func TestBrowserFindEnv(t *testing.T) {
	dir := t.TempDir()
	fake := filepath.Join(dir, "my-chrome")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvPath, fake)
	if got, err := Find(); err != nil || got != fake {
		t.Errorf("Find() = %q, %v; want %q", got, err, fake)
	}

	// A wrong FLIPCHART_CHROMIUM is an error, not a silent fallback.
	t.Setenv(EnvPath, filepath.Join(dir, "missing"))
	_, err := Find()
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), EnvPath) {
		t.Errorf("Find() with a wrong %s: error = %v", EnvPath, err)
	}
}

func TestBrowserFindPath(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"google-chrome", "chromium-browser"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv(EnvPath, "")
	t.Setenv("PATH", dir)
	want := filepath.Join(dir, "chromium-browser") // before google-chrome
	if got, err := Find(); err != nil || got != want {
		t.Errorf("Find() = %q, %v; want %q", got, err, want)
	}
}

func TestBrowserStartFailure(t *testing.T) {
	fake := filepath.Join(t.TempDir(), "broken-chrome")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvPath, fake)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, _, err := New(ctx)
	if err == nil {
		t.Fatal("New() with a browser that exits at once: no error")
	}
	if errors.Is(err, ErrNotFound) {
		t.Errorf("a browser that does not start is not a missing one: %v", err)
	}
	t.Logf("error: %v", err)
}

// TestBrowserHeadless starts the real browser and checks its command line,
// that it runs pages, and that cancel leaves no profile folder behind.
func TestBrowserHeadless(t *testing.T) {
	if _, err := Find(); err != nil && os.Getenv(EnvRequire) != "1" {
		t.Skip(err)
	}
	ctx, cancel, err := New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer cancel()

	proc := chromedp.FromContext(ctx).Browser.Process()
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(proc.Pid) + "/cmdline")
	if err != nil {
		t.Skipf("cannot read the browser's command line: %v", err)
	}
	args := strings.Split(string(bytes.TrimRight(raw, "\x00")), "\x00")
	has := func(flag string) bool {
		for _, a := range args {
			if a == flag || strings.HasPrefix(a, flag+"=") {
				return true
			}
		}
		return false
	}
	want := []string{"--headless", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
		"--user-data-dir"}
	if os.Geteuid() == 0 {
		want = append(want, "--no-sandbox")
	}
	for _, f := range want {
		if !has(f) {
			t.Errorf("the browser runs without %s: %q", f, args)
		}
	}
	var profile string
	for _, a := range args {
		if v, ok := strings.CutPrefix(a, "--user-data-dir="); ok {
			profile = v
		}
	}
	if fi, err := os.Stat(profile); err != nil || !fi.IsDir() {
		t.Errorf("profile folder %q: %v", profile, err)
	}

	got, err := chromedp.Run(ctx, chromedp.Evaluate[int](`6 * 7`))
	if err != nil || got != 42 {
		t.Errorf("evaluating in the tab: %v, %v", got, err)
	}

	cancel()
	if _, err := os.Stat(profile); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("after cancel the profile folder %q is still there (%v)", profile, err)
	}
	// The process is gone (or a zombie nobody reaps, which no longer runs).
	if st, err := os.ReadFile("/proc/" + strconv.Itoa(proc.Pid) + "/stat"); err == nil && !bytes.Contains(st, []byte(") Z")) {
		t.Errorf("after cancel the browser (pid %d) still runs", proc.Pid)
	}
}

func TestBrowserForTest(t *testing.T) {
	ctx := ForTest(t)
	title, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.title = "ok"`))
	if err != nil || title != "ok" {
		t.Errorf("ForTest context: %q, %v", title, err)
	}
}
