package main

// `flipchart new session` and `flipchart import` from the command line: exit
// statuses, what goes to stdout and stderr, flags before and after the
// arguments.

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"flipchart/generator/internal/sitetest"
)

func runCmd(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

var authorSite = map[string]string{
	"config.toml":               "title = \"Test Manual\"\n",
	"content/day-1/_index.md":   "+++\ntitle = \"Day 1\"\nweight = 1\n+++\n",
	"content/day-1/01-intro.md": "+++\ntitle = \"Intro\"\nsession = 1\ntime = \"30 min\"\n+++\nHello.\n",
	"content/day-3/_index.md":   "+++\ntitle = \"Day 3\"\nweight = 3\n+++\n",
	"content/day-3/09-recommendations.md": "+++\ntitle = \"Recommendations\"\nsession = 9\ntime = \"45–60 min\"\n+++\n" +
		"Participants write recommendations.\n",
}

func TestNewSessionCommand(t *testing.T) {
	dir := sitetest.New(t, authorSite)
	code, stdout, stderr := runCmd("new", "session", "Security Plans", "--source", dir)
	want := filepath.Join(dir, "content", "day-3", "10-security-plans.md")
	if code != 0 || stdout != want+"\n" || stderr != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q; want 0 and %s", code, stdout, stderr, want)
	}
	// Flags first, a module, a title in several words.
	code, stdout, _ = runCmd("new", "--source", dir, "session", "--module", "day-1", "Warm", "up")
	if want := filepath.Join(dir, "content", "day-1", "11-warm-up.md"); code != 0 || stdout != want+"\n" {
		t.Errorf("exit %d, stdout %q; want %s", code, stdout, want)
	}
	if code, out, _ := runCmd("check", "--strict", "--source", dir); code != 0 {
		t.Errorf("check after new session: exit %d\n%s", code, out)
	}

	// A file in the way: exit 1, naming it.
	taken := filepath.Join(dir, "content", "day-1", "12-again.md")
	if err := os.WriteFile(taken, []byte("notes"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = runCmd("new", "session", "Again", "--source", dir, "--module", "day-1")
	if code != 1 || stdout != "" || !strings.Contains(stderr, taken) {
		t.Errorf("over an existing file: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}

	for _, args := range [][]string{
		{"new", "session", "", "--source", dir},
		{"new", "session", "--source", dir},
		{"new", "session"},
		{"new", "page", "Title"},
		{"new"},
		{"new", "session", "X", "--module", "../..", "--source", dir},
		{"new", "session", "X", "--nonsense"},
	} {
		if code, stdout, stderr := runCmd(args...); code != 2 || stdout != "" || stderr == "" {
			t.Errorf("flipchart %s: exit %d, stdout %q, stderr %q; want 2 and a message", strings.Join(args, " "), code, stdout, stderr)
		}
	}
}

func TestImportCommand(t *testing.T) {
	dir := sitetest.New(t, authorSite)
	seed := filepath.Join("..", "..", "author", "testdata", "import", "session-11-next-steps.txt")
	dest := filepath.Join(dir, "content", "day-3")
	code, stdout, stderr := runCmd("import", seed, "--dest", dest, "--source", dir)
	want := filepath.Join(dest, "11-next-steps.md")
	if code != 0 || stdout != want+"\n" || stderr != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q; want 0 and %s", code, stdout, stderr, want)
	}
	if code, out, _ := runCmd("check", "--strict", "--source", dir); code != 0 || !strings.Contains(out, "0 errors, 0 warnings") {
		t.Errorf("check after import: exit %d\n%s", code, out)
	}

	code, stdout, stderr = runCmd("import", "--dest", dest, seed)
	if code != 1 || stdout != "" || !strings.Contains(stderr, want+": error: the file exists already") {
		t.Errorf("again: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, stdout, _ = runCmd("import", "--force", "--dest", dest, seed)
	if code != 0 || stdout != want+"\n" {
		t.Errorf("with --force: exit %d, stdout %q", code, stdout)
	}

	// A guide with an unknown heading: written, with a warning naming the
	// text file and line.
	odd := filepath.Join(dir, "odd.txt")
	if err := os.WriteFile(odd, []byte("Session 12: Closing\n\nTIME: 30 MIN\n\nCLOSING WORDS:\nThank you.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// With --strict, the same is an error, and nothing is written.
	code, stdout, stderr = runCmd("import", "--strict", odd, "--dest", dest)
	if code != 1 || stdout != "" || !strings.Contains(stderr, odd+":5: error: unknown label “CLOSING WORDS:”") {
		t.Errorf("--strict with an unknown label: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, stdout, stderr = runCmd("import", odd, "--dest", dest)
	if code != 0 || stdout != filepath.Join(dest, "12-closing.md")+"\n" || !strings.Contains(stderr, odd+":5: warning: unknown label “CLOSING WORDS:”") {
		t.Errorf("a guide with an unknown label: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}

	for _, args := range [][]string{
		{"import"},
		{"import", "--force"},
		{"import", seed, "--bogus"},
	} {
		if code, _, stderr := runCmd(args...); code != 2 || stderr == "" {
			t.Errorf("flipchart %s: exit %d, stderr %q; want 2 and a message", strings.Join(args, " "), code, stderr)
		}
	}
	if code, _, stderr := runCmd("import", filepath.Join(dir, "missing.txt"), "--dest", dest); code != 1 || !strings.Contains(stderr, "missing.txt") {
		t.Errorf("a missing file: exit %d, stderr %q", code, stderr)
	}
}

func TestNewSiteCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "my-manual")
	code, stdout, stderr := runCmd("new", "site", dir)
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q; want 0", code, stdout, stderr)
	}
	for _, want := range []string{
		`"My manual"`,
		filepath.Join(dir, "config.toml"),
		filepath.Join(dir, "content", "_index.md"),
		filepath.Join(dir, "content", "agenda.md"),
		filepath.Join(dir, "content", "day-1", "_index.md"),
		filepath.Join(dir, "content", "day-1", "01-getting-started.md"),
		"cd " + dir, "flipchart serve", "http://localhost:1313/",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the output does not say %q:\n%s", want, stdout)
		}
	}
	if code, out, _ := runCmd("check", "--strict", "--source", dir); code != 0 || !strings.Contains(out, "0 errors, 0 warnings") {
		t.Errorf("check of the new site: exit %d\n%s", code, out)
	}
	pub := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := runCmd("build", "--source", dir, "--dest", pub); code != 0 {
		t.Fatalf("build of the new site: exit %d\n%s", code, stderr)
	}
	// The session, its handout, its worksheet's page and the agenda, with
	// every container kind the session holds.
	page := readFile(t, filepath.Join(pub, "day-1", "01-getting-started", "index.html"))
	for _, kind := range []string{"exercise", "objectives", "adaptation", "facilitation", "keypoints", "summary", "worksheet", "note"} {
		if !strings.Contains(page, "fc-"+kind) {
			t.Errorf("the session page has no %s container", kind)
		}
	}
	handout := readFile(t, filepath.Join(pub, "day-1", "01-getting-started", "handout", "index.html"))
	if strings.Contains(handout, "fc-facilitation") || strings.Contains(handout, "fc-adaptation") {
		t.Errorf("the handout holds notes for trainers only")
	}
	readFile(t, filepath.Join(pub, "worksheets", "01-my-expectations", "index.html"))
	if agenda := readFile(t, filepath.Join(pub, "agenda", "index.html")); !strings.Contains(agenda, "09:15") || !strings.Contains(agenda, "Getting started") {
		t.Errorf("the agenda does not schedule the session at 09:15")
	}

	// Again into the same folder, or into a folder with something in it:
	// exit 2, nothing written.
	code, stdout, stderr = runCmd("new", "site", dir)
	if code != 2 || stdout != "" || !strings.Contains(stderr, "not empty") {
		t.Errorf("into a folder with the site: exit %d, stdout %q, stderr %q; want 2", code, stdout, stderr)
	}
	// An empty folder that exists is fine.
	empty := t.TempDir()
	if code, _, stderr := runCmd("new", "site", empty); code != 0 {
		t.Errorf("into an empty folder: exit %d, stderr %q", code, stderr)
	}
	file := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCmd("new", "site", file); code != 2 || !strings.Contains(stderr, "is a file") {
		t.Errorf("over a file: exit %d, stderr %q; want 2", code, stderr)
	}
	for _, args := range [][]string{
		{"new", "site"},
		{"new", "site", "a", "b"},
		{"new", "site", ""},
		{"new", "site", "x", "--module", "day-1"},
	} {
		if code, stdout, stderr := runCmd(args...); code != 2 || stdout != "" || stderr == "" {
			t.Errorf("flipchart %q: exit %d, stdout %q, stderr %q; want 2 and a message", args, code, stdout, stderr)
		}
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
