package main

// `flipchart pdf` on a machine without Chromium: it must say what to install,
// exit 1 and leave the last good public/ as it was. It needs no browser, so it
// runs everywhere.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"flipchart/generator/browser"
	"flipchart/generator/build"
	"flipchart/generator/internal/sitetest"
)

func TestPDFWithoutChromium(t *testing.T) {
	tests := []struct {
		name    string
		program func(t *testing.T, dir string) string // the FLIPCHART_CHROMIUM to set
	}{
		{"missing file", func(t *testing.T, dir string) string {
			return filepath.Join(dir, "no-such-chromium")
		}},
		{"not executable", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "chromium")
			if err := os.WriteFile(p, []byte("#!/bin/sh\nexit 0\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			return p
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, before := goodBuild(t)
			public := filepath.Join(dir, "public")

			// browser.Find takes FLIPCHART_CHROMIUM when it is set and never
			// falls back to PATH or /usr/bin/chromium, so this fails on any
			// machine. An empty PATH also keeps chromium and friends out of
			// reach should that ever change.
			empty := t.TempDir()
			t.Setenv(browser.EnvPath, tt.program(t, empty))
			t.Setenv("PATH", empty)

			code, stdout, stderr := flipchart(t, "pdf", "--source", dir, "--dest", public)
			if code != 1 {
				t.Errorf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
			}
			for _, want := range []string{
				browser.EnvPath,            // names the setting at fault
				"apt-get install chromium", // and what to install
				public + " is unchanged",
			} {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr)
				}
			}
			if strings.Contains(stdout, "[1/") {
				t.Errorf("stdout reports a printed PDF:\n%s", stdout)
			}
			if diff := diffSnapshots(before, snapshot(t, public)); len(diff) > 0 {
				t.Errorf("public/ changed:\n%s", strings.Join(diff, "\n"))
			}
			if l := leftovers(t, dir); len(l) > 0 {
				t.Errorf("temporary folders left: %v", l)
			}
			// Nor anywhere else beside public/: a stray pdf/ or temp file.
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if n := e.Name(); n != "config.toml" && n != "content" && n != "public" && n != build.CacheDir {
					t.Errorf("%s left beside public/", n)
				}
			}
		})
	}
}

// --chrome wins over FLIPCHART_CHROMIUM; naming a missing file is an error
// that names it, before anything is built.
func TestPDFChromeFlagMissing(t *testing.T) {
	dir, before := goodBuild(t)
	public := filepath.Join(dir, "public")
	empty := t.TempDir()
	// A variable naming a program that exists: the flag must still win.
	fake := filepath.Join(empty, "chromium")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv(browser.EnvPath, fake)
	missing := filepath.Join(empty, "Google Chrome")

	code, stdout, stderr := flipchart(t, "pdf", "--source", dir, "--dest", public, "--chrome", missing)
	if code != 1 {
		t.Errorf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	for _, want := range []string{`--chrome "` + missing + `"`, "no such file", public + " is unchanged"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stdout, "printing with") {
		t.Errorf("stdout names a browser:\n%s", stdout)
	}
	if diff := diffSnapshots(before, snapshot(t, public)); len(diff) > 0 {
		t.Errorf("public/ changed:\n%s", strings.Join(diff, "\n"))
	}
}

// flipchart pdf says which browser it prints with, on stdout with its other
// progress lines: here one given with --chrome that exits at once, so the
// print fails and public/ is left alone.
func TestPDFSaysWhichBrowser(t *testing.T) {
	dir, before := goodBuild(t)
	public := filepath.Join(dir, "public")
	fake := filepath.Join(t.TempDir(), "chromium-browser")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\necho 'no display' >&2\nexit 3\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv(browser.EnvPath, "")

	code, stdout, stderr := flipchart(t, "pdf", "--source", dir, "--dest", public, "--chrome", fake)
	if code != 1 {
		t.Errorf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	want := "flipchart: printing with Chromium (" + fake + ", set by --chrome)\n"
	if !strings.Contains(stdout, want) {
		t.Errorf("stdout lacks %q:\n%s", want, stdout)
	}
	if !strings.Contains(stderr, public+" is unchanged") {
		t.Errorf("stderr:\n%s", stderr)
	}
	if diff := diffSnapshots(before, snapshot(t, public)); len(diff) > 0 {
		t.Errorf("public/ changed:\n%s", strings.Join(diff, "\n"))
	}
	if l := leftovers(t, dir); len(l) > 0 {
		t.Errorf("temporary folders left: %v", l)
	}
}

// flipchart pdf, then flipchart build: the build's last line says how many
// PDFs are current, and after an edit which to print; flipchart pdf says
// how many it printed and how many it kept.
func TestPDFThenBuildCounts(t *testing.T) {
	if _, err := browser.Find(); err != nil {
		if os.Getenv(browser.EnvRequire) == "1" {
			t.Fatal(err)
		}
		t.Skipf("skipping browser test: %v (set %s=1 to make this a failure)", err, browser.EnvRequire)
	}
	dir, _ := goodBuild(t)
	public := filepath.Join(dir, "public")
	run := func(want string, args ...string) {
		t.Helper()
		code, stdout, stderr := flipchart(t, append(args, "--source", dir, "--dest", public)...)
		if code != 0 {
			t.Fatalf("flipchart %s: exit %d\n%s", args[0], code, stderr)
		}
		if !strings.Contains(stdout, want) {
			t.Errorf("flipchart %s: stdout lacks %q:\n%s", args[0], want, stdout)
		}
	}
	pdfs := func() int {
		m, _ := filepath.Glob(filepath.Join(public, "pdf", "*.pdf"))
		return len(m)
	}
	run(" printed, 0 current\n", "pdf")
	n := pdfs()
	if n < 3 {
		t.Fatalf("flipchart pdf made %d PDFs", n)
	}
	run(fmt.Sprintf("%d of %d PDFs current, ", n, n), "build")
	run(fmt.Sprintf("(0 printed, %d current)", n), "pdf")

	// Session 2's body changes: its handout and the two editions are not
	// current any more.
	sitetest.WriteFile(t, dir, "content/day-1/02-risk.md", strings.Replace(goodSite["content/day-1/02-risk.md"], "A paragraph.", "Another paragraph.", 1))
	run(fmt.Sprintf("%d of %d PDFs current (run flipchart pdf for the rest), ", n-3, n), "build")
	if pdfs() != n-3 {
		t.Errorf("%d PDFs after the build, want %d", pdfs(), n-3)
	}
	run(fmt.Sprintf("(3 printed, %d current)", n-3), "pdf")
	if pdfs() != n {
		t.Errorf("%d PDFs after flipchart pdf, want %d", pdfs(), n)
	}
}
