package diag

import (
	"os"
	"path/filepath"
	"testing"
)

// TestDisplayPaths: names in messages have forward slashes and are relative
// to the site, whatever the system wrote them with.
func TestDisplayPaths(t *testing.T) {
	for _, tc := range []struct {
		root, name string
		sep        byte
		fold       bool
		want       string
	}{
		// Windows.
		{`C:\Users\ana\manual`, `C:\Users\ana\manual\content\day-3\11-next-steps.md`, '\\', true, "content/day-3/11-next-steps.md"},
		{`C:\Users\ana\manual\`, `c:\users\ana\Manual\config.toml`, '\\', true, "config.toml"},
		{`C:\Users\ana\manual`, `C:\Users\ana\manual-old\content\x.md`, '\\', true, ""},
		{`\\server\share\manual`, `\\server\share\manual\content\día-1\01-sesión.md`, '\\', true, "content/día-1/01-sesión.md"},
		// Unix.
		{"/home/ana/manual", "/home/ana/manual/content/day-3/x.md", '/', false, "content/day-3/x.md"},
		{"/home/ana/manual", "/home/ana/Manual/content/x.md", '/', false, ""},
		{"/home/ana/manual", "/home/ana/manual", '/', false, ""},
	} {
		got, ok := under(tc.root, tc.name, tc.sep, tc.fold)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("under(%q, %q) = %q, %v; want %q", tc.root, tc.name, got, ok, tc.want)
		}
	}
	for in, want := range map[string]string{
		`content\day-3\x.md`:     "content/day-3/x.md",
		`.\content\day-3\.\x.md`: "content/day-3/x.md",
		`content/day-3/x.md`:     "content/day-3/x.md",
	} {
		if got := slashes(in, '\\'); got != want {
			t.Errorf("slashes(%q) = %q, want %q", in, got, want)
		}
	}

	// On this system.
	site := t.TempDir()
	name := filepath.Join(site, "content", "day-3", "11-next-steps.md")
	if got := Display(site, name); got != "content/day-3/11-next-steps.md" {
		t.Errorf("Display(site, %q) = %q", name, got)
	}
	if got := Display(site, filepath.Join("elsewhere", "guide.txt")); got != "elsewhere/guide.txt" {
		t.Errorf("a file outside the site: %q", got)
	}
	wd, _ := os.Getwd()
	t.Chdir(site)
	if got := Display(".", filepath.Join("content", "x.md")); got != "content/x.md" {
		t.Errorf("a relative name in the site: %q", got)
	}
	t.Chdir(wd)
	if got := Display("", filepath.Join("content", "x.md")); got != "content/x.md" {
		t.Errorf("no site: %q", got)
	}
}

// TestDiagnosticSlashes: a diagnostic made from a name with this system's
// separators shows forward slashes.
func TestDiagnosticSlashes(t *testing.T) {
	d := Errorf(filepath.Join("content", "day-1", "x.md"), 4, 9, "oops")
	if got := d.Error(); got != "content/day-1/x.md:4:9: error: oops" {
		t.Errorf("%q", got)
	}
}
