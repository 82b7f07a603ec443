package main

// `flipchart pdf` on a machine without Chromium: it must say what to install,
// exit 1 and leave the last good public/ as it was. It needs no browser, so it
// runs everywhere.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"flipchart/generator/browser"
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
				if n := e.Name(); n != "config.toml" && n != "content" && n != "public" {
					t.Errorf("%s left beside public/", n)
				}
			}
		})
	}
}
