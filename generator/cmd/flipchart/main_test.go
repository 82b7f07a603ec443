package main

// Bad input, from the command line: each case builds a good site into
// public/, breaks the site, builds again and checks the exit status, the
// file:line in the message, that public/ is byte for byte the last good site
// and that no temporary folder is left beside it.

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"testing"
	"time"

	"flipchart/generator/internal/sitetest"
)

// goodSite is a small site that builds without errors or warnings.
var goodSite = map[string]string{
	"config.toml": `title = "Test Manual"
author = "Tester"
theme = "default"
`,
	"content/_index.md": `+++
title = "Home"
+++
Welcome.
`,
	"content/day-1/_index.md": `+++
title = "Day 1"
weight = 1
+++
`,
	"content/day-1/01-intro.md": `+++
title = "Intro"
session = 1
time = "15-30 minutes"
+++
Read [the risk session](02-risk.md) next.
`,
	"content/day-1/02-risk.md": `+++
title = "Risk"
session = 2
time = "90"
+++
## Risk

A paragraph.
`,
}

// snapshot maps every path under dir (folders too) to a hash of its content.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			out[rel+"/"] = "dir"
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out[rel] = fmt.Sprintf("%x", sha256.Sum256(data))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func diffSnapshots(before, after map[string]string) []string {
	var out []string
	for p, h := range before {
		switch a, ok := after[p]; {
		case !ok:
			out = append(out, "removed "+p)
		case a != h:
			out = append(out, "changed "+p)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			out = append(out, "added "+p)
		}
	}
	sort.Strings(out)
	return out
}

// flipchart runs the command line in a goroutine, failing the test when it
// panics or has not returned after 10 s (a hang, not a slow build).
func flipchart(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	type result struct {
		code           int
		stdout, stderr string
		panicked       any
		stack          []byte
	}
	done := make(chan result, 1)
	go func() {
		var o, e bytes.Buffer
		var r result
		defer func() {
			if p := recover(); p != nil {
				r.panicked, r.stack = p, debug.Stack()
			}
			r.stdout, r.stderr = o.String(), e.String()
			done <- r
		}()
		r.code = run(args, &o, &e)
	}()
	select {
	case r := <-done:
		if r.panicked != nil {
			t.Fatalf("flipchart %s panicked: %v\n%s", strings.Join(args, " "), r.panicked, r.stack)
		}
		if strings.Contains(r.stderr, "panic") || strings.Contains(r.stderr, "goroutine ") {
			t.Errorf("flipchart %s printed a panic:\n%s", strings.Join(args, " "), r.stderr)
		}
		return r.code, r.stdout, r.stderr
	case <-time.After(10 * time.Second):
		t.Fatalf("flipchart %s did not return within 10 s", strings.Join(args, " "))
	}
	return
}

// leftovers lists the temporary build folders beside public/, and old
// sites moved away and not removed.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	var all []string
	for _, pattern := range []string{".public.building-*", ".public.previous-*"} {
		m, err := filepath.Glob(filepath.Join(dir, pattern))
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, m...)
	}
	return all
}

// goodBuild makes a site in a new folder and builds it to public/.
func goodBuild(t *testing.T) (dir string, before map[string]string) {
	t.Helper()
	dir = t.TempDir()
	sitetest.WriteFiles(t, dir, goodSite)
	code, _, stderr := flipchart(t, "build", "--source", dir, "--dest", filepath.Join(dir, "public"))
	if code != 0 {
		t.Fatalf("building the good site: exit %d\n%s", code, stderr)
	}
	return dir, snapshot(t, filepath.Join(dir, "public"))
}

func TestBuildBadInput(t *testing.T) {
	tests := []struct {
		name      string
		breakSite func(t *testing.T, dir string)
		want      []string // in stderr
	}{
		{"missing front matter", files(map[string]string{
			"content/day-1/03-plain.md": "# Plain Markdown\n\nNo front matter here.\n",
		}), []string{"content/day-1/03-plain.md:1:1: error: no front matter", "hint: "}},

		{"yaml front matter", files(map[string]string{
			"content/day-1/03-yaml.md": "---\ntitle: YAML\n---\nBody.\n",
		}), []string{"content/day-1/03-yaml.md:1:1: error: YAML front matter (---) is not supported"}},

		{"unterminated front matter", files(map[string]string{
			"content/day-1/03-open.md": "+++\ntitle = \"Open\"\nsession = 3\n\nThe body, read as TOML.\n",
		}), []string{"content/day-1/03-open.md:1:1: error: the front matter opened here is never closed"}},

		{"invalid TOML", files(map[string]string{
			"content/day-1/03-toml.md": "+++\ntitle = \"Bad TOML\"\nsession = 3\nmaterials = [\"Paper\" \"Pens\"]\n+++\nBody.\n",
		}), []string{"content/day-1/03-toml.md:4:", "error: invalid TOML"}},

		{"unquoted string", files(map[string]string{
			"content/day-1/03-toml.md": "+++\ntitle = Bad\n+++\nBody.\n",
		}), []string{"content/day-1/03-toml.md:2:", "error: invalid TOML"}},

		{"wrong type", files(map[string]string{
			"content/day-1/03-eleven.md": "+++\ntitle = \"Eleven\"\n\nsession = \"eleven\"\n+++\nBody.\n",
		}), []string{`content/day-1/03-eleven.md:4:11: error: session: expected an integer, got "eleven"`}},

		{"wrong type in existing file", edit("content/day-1/02-risk.md", "session = 2", `session = "two"`),
			[]string{`content/day-1/02-risk.md:3:11: error: session: expected an integer, got "two"`}},

		{"bad time", edit("content/day-1/02-risk.md", `time = "90"`, `time = "soon"`),
			[]string{`content/day-1/02-risk.md:4:8: error: time: "soon": expected a number`}},

		{"unknown config key", edit("config.toml", `author = "Tester"`, `autor = "Tester"`),
			[]string{`config.toml:2:9: error: autor: unknown key; did you mean "author"?`}},

		{"theme that does not exist", edit("config.toml", `theme = "default"`, `theme = "fancy"`),
			[]string{`config.toml:3:9: error: theme: there is no theme "fancy"`}},

		{"invalid config TOML", edit("config.toml", `author = "Tester"`, `author = "Tester`),
			[]string{"config.toml:2:", "error: invalid TOML"}},

		{"not UTF-8", files(map[string]string{
			"content/day-1/03-latin1.md": "+++\ntitle = \"Latin-1\"\n+++\n\nA caf\xe9 in the body.\n",
		}), []string{"content/day-1/03-latin1.md:5:6: error: not valid UTF-8 text"}},

		{"not UTF-8 in front matter", files(map[string]string{
			"content/day-1/03-latin1.md": "+++\ntitle = \"Caf\xe9\"\n+++\n",
		}), []string{"content/day-1/03-latin1.md:2:13: error: not valid UTF-8 text"}},

		{"binary file named .md", files(map[string]string{
			"content/day-1/03-image.md": "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
		}), []string{"content/day-1/03-image.md:3: error: this is a binary file, not Markdown text"}},

		{"UTF-16 file", files(map[string]string{
			"content/day-1/03-utf16.md": "\xff\xfe+\x00+\x00+\x00\n\x00",
		}), []string{"content/day-1/03-utf16.md:1:1: error: this file is in UTF-16"}},

		{"symlink to a parent folder", func(t *testing.T, dir string) {
			symlink(t, "..", filepath.Join(dir, "content/day-1/loop"))
		}, []string{"content/day-1/loop: error: symlink loop"}},

		{"symlink to itself", func(t *testing.T, dir string) {
			symlink(t, "self", filepath.Join(dir, "content/self"))
		}, []string{"content/self: error: symlink loop"}},

		{"broken symlink", func(t *testing.T, dir string) {
			symlink(t, "nowhere.md", filepath.Join(dir, "content/day-1/03-gone.md"))
		}, []string{"content/day-1/03-gone.md: error: broken symlink"}},

		{"named pipe named .md", func(t *testing.T, dir string) {
			// Opening a FIFO blocks until something writes to it.
			mkfifo(t, filepath.Join(dir, "content/day-1/03-pipe.md"))
		}, []string{"content/day-1/03-pipe.md: error: "}},

		{"empty content folder", func(t *testing.T, dir string) {
			removeAll(t, filepath.Join(dir, "content"))
			if err := os.Mkdir(filepath.Join(dir, "content"), 0o755); err != nil {
				t.Fatal(err)
			}
		}, []string{"content: error: no Markdown files in content/"}},

		{"no content folder", func(t *testing.T, dir string) {
			removeAll(t, filepath.Join(dir, "content"))
		}, []string{"content: error: there is no content folder"}},

		{"two sessions with one number", files(map[string]string{
			"content/day-1/03-again.md": "+++\ntitle = \"Again\"\nsession = 2\n+++\n",
		}), []string{":3:11: error: session 2 is also the number of ", "content/day-1/02-risk.md", "content/day-1/03-again.md"}},

		{"broken link", files(map[string]string{
			"content/day-1/03-link.md": "+++\ntitle = \"Link\"\n+++\n\nSee [it](04-missing.md#part).\n",
		}), []string{"content/day-1/03-link.md:5:", `04-missing.md#part`}},

		// As Windows editors save: CRLF line ends and a BOM, which count
		// for nothing in a position.
		{"wrong type, CRLF and BOM", files(map[string]string{
			"content/day-1/03-eleven.md": "\uFEFF+++\r\ntitle = \"Eleven\"\r\n\r\nsession = \"eleven\"\r\n+++\r\nBody.\r\n",
		}), []string{`content/day-1/03-eleven.md:4:11: error: session: expected an integer, got "eleven"`}},

		{"bad time on line 1 after a BOM", files(map[string]string{
			"content/day-1/03-time.md": "\uFEFF+++\r\ntime = \"soon\"\r\n+++\r\n",
		}), []string{`content/day-1/03-time.md:2:8: error: time: "soon": expected a number`}},

		{"unknown container, CRLF", files(map[string]string{
			"content/day-1/03-kind.md": "+++\r\ntitle = \"Kind\"\r\n+++\r\n\r\nText.\r\n\r\n::: exercize Mapping\r\nInside.\r\n:::\r\n",
		}), []string{`content/day-1/03-kind.md:7:5: error: unknown container kind "exercize"`}},

		{"broken link, CRLF", files(map[string]string{
			"content/day-1/03-link.md": "+++\r\ntitle = \"Link\"\r\n+++\r\n\r\nSee [it](04-missing.md#part).\r\n",
		}), []string{`content/day-1/03-link.md:5:5: error: link to "04-missing.md#part"`}},

		{"unknown config key, BOM and CRLF", func(t *testing.T, dir string) {
			sitetest.WriteFile(t, dir, "config.toml", "\uFEFFautor = \"Tester\"\r\ntitle = \"Test Manual\"\r\ntheme = \"default\"\r\n")
		}, []string{`config.toml:1:9: error: autor: unknown key; did you mean "author"?`}},

		{"error in a file with a non-ASCII name", files(map[string]string{
			"content/día-1/_index.md":      "+++\ntitle = \"Día 1\"\n+++\n",
			"content/día-1/03-sesión.md":   "+++\ntitle = \"Sesión\"\n\nsession = \"tres\"\n+++\n",
			"content/день-2/04-занятие.md": "+++\ntitle = \"Занятие\"\nsession = \"четыре\"\n+++\n",
		}), []string{
			`content/día-1/03-sesión.md:4:11: error: session: expected an integer, got "tres"`,
			`content/день-2/04-занятие.md:3:11: error: session: expected an integer, got "четыре"`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir, before := goodBuild(t)
			public := filepath.Join(dir, "public")
			tt.breakSite(t, dir)

			code, _, stderr := flipchart(t, "build", "--source", dir, "--dest", public)
			if code != 1 {
				t.Errorf("exit status %d, want 1; stderr:\n%s", code, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			if !strings.Contains(stderr, "is unchanged") {
				t.Errorf("stderr does not say that public/ is unchanged:\n%s", stderr)
			}
			if d := diffSnapshots(before, snapshot(t, public)); len(d) > 0 {
				t.Errorf("public/ changed after a failed build:\n%s", strings.Join(d, "\n"))
			}
			if l := leftovers(t, dir); len(l) > 0 {
				t.Errorf("temporary folders left: %v", l)
			}
		})
	}
}

// Files that must simply work: they build, and public/ is replaced.
func TestBuildOddButValidInput(t *testing.T) {
	// A path longer than Windows' old limit of 260 characters, in the site
	// alone: five folders of 50 characters and a long file name.
	var deep []string
	for i := range 5 {
		deep = append(deep, fmt.Sprintf("%02d-%s", i+1, strings.Repeat("module", 8)))
	}
	deepDir := strings.Join(deep, "/")
	deepName := "03-" + strings.Repeat("a-very-long-session-name-", 2) + "end"
	if n := len("content/" + deepDir + "/" + deepName + ".md"); n <= 260 {
		t.Fatalf("the deep path has %d characters", n)
	}
	tests := []struct {
		name  string
		files map[string]string
		out   string // a file of the new public/
		want  []string
	}{
		{"BOM", map[string]string{
			"content/day-1/03-bom.md": "\uFEFF+++\ntitle = \"With BOM\"\nsession = 3\n+++\nSaved by Notepad.\n",
		}, "day-1/03-bom/index.html", []string{"With BOM", "Saved by Notepad."}},
		{"CRLF", map[string]string{
			"content/day-1/03-crlf.md": "+++\r\ntitle = \"With CRLF\"\r\nsession = 3\r\n+++\r\nLine one\r\nline two.\r\n",
		}, "day-1/03-crlf/index.html", []string{"With CRLF", "Line one\nline two."}},
		{"BOM and CRLF config", map[string]string{
			"config.toml": "\uFEFFtitle = \"Windows Manual\"\r\ntheme = \"default\"\r\n",
		}, "index.html", []string{"Windows Manual"}},
		{"non-ASCII file names", map[string]string{
			"content/día-1/_index.md":      "+++\ntitle = \"Día 1\"\n+++\n",
			"content/día-1/01-sesión.md":   "+++\ntitle = \"Sesión\"\nsession = 3\n+++\nVer [la otra](../день-2/02-занятие.md).\n",
			"content/день-2/_index.md":     "+++\ntitle = \"День 2\"\n+++\n",
			"content/день-2/02-занятие.md": "+++\ntitle = \"Занятие\"\nsession = 4\n+++\nТекст.\n",
		}, "día-1/01-sesión/index.html", []string{"Sesión", "la otra", `href="../../%D0%B4%D0%B5%D0%BD%D1%8C-2/02-%D0%B7%D0%B0%D0%BD%D1%8F%D1%82%D0%B8%D0%B5/index.html"`}},
		{"a path longer than 260 characters", map[string]string{
			"content/" + deepDir + "/" + deepName + ".md": "+++\ntitle = \"Deep\"\nsession = 3\n+++\nFar down.\n",
		}, deepDir + "/" + deepName + "/index.html", []string{"Deep", "Far down."}},
		{"symlink to a folder outside content", map[string]string{
			"elsewhere/03-linked.md": "+++\ntitle = \"Linked\"\nsession = 3\n+++\n",
		}, "day-1/more/03-linked/index.html", []string{"Linked"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir, before := goodBuild(t)
			public := filepath.Join(dir, "public")
			sitetest.WriteFiles(t, dir, tt.files)
			if strings.HasPrefix(tt.name, "symlink") {
				symlink(t, "../../elsewhere", filepath.Join(dir, "content/day-1/more"))
			}
			code, stdout, stderr := flipchart(t, "build", "--source", dir, "--dest", public)
			if code != 0 {
				t.Fatalf("exit status %d, want 0; stderr:\n%s", code, stderr)
			}
			if stderr != "" {
				t.Errorf("stderr is not empty:\n%s", stderr)
			}
			if !strings.Contains(stdout, "0 warnings, 0 errors") {
				t.Errorf("stdout: %s", stdout)
			}
			data, err := os.ReadFile(filepath.Join(public, filepath.FromSlash(tt.out)))
			if err != nil {
				t.Fatalf("the new site lacks %s: %v", tt.out, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(data), w) {
					t.Errorf("%s lacks %q", tt.out, w)
				}
			}
			if bytes.ContainsAny(data, "\r\uFEFF") {
				t.Errorf("%s has a carriage return or a BOM", tt.out)
			}
			if len(diffSnapshots(before, snapshot(t, public))) == 0 {
				t.Errorf("public/ was not replaced")
			}
			if l := leftovers(t, dir); len(l) > 0 {
				t.Errorf("temporary folders left: %v", l)
			}
		})
	}
}

func TestBuildErrorCap(t *testing.T) {
	dir, before := goodBuild(t)
	public := filepath.Join(dir, "public")
	broken := map[string]string{}
	for i := 1; i <= 60; i++ {
		broken[fmt.Sprintf("content/bad/%02d.md", i)] = "No front matter.\n"
	}
	sitetest.WriteFiles(t, dir, broken)
	code, _, stderr := flipchart(t, "build", "--source", dir, "--dest", public)
	if code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	n := 0
	for _, l := range strings.Split(stderr, "\n") {
		if strings.Contains(l, ": error: ") {
			n++
		}
	}
	if n > 50 {
		t.Errorf("%d errors reported, want at most 50", n)
	}
	if n == 0 {
		t.Errorf("no error reported:\n%s", stderr)
	}
	if want := fmt.Sprintf("... and %d more", 60-n); !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
	if !strings.Contains(stderr, "60 errors") {
		t.Errorf("the summary does not count all 60 errors:\n%s", stderr)
	}
	if d := diffSnapshots(before, snapshot(t, public)); len(d) > 0 {
		t.Errorf("public/ changed after a failed build:\n%s", strings.Join(d, "\n"))
	}
	if l := leftovers(t, dir); len(l) > 0 {
		t.Errorf("temporary folders left: %v", l)
	}
}

func TestCheck(t *testing.T) {
	t.Run("clean", func(t *testing.T) {
		dir := t.TempDir()
		sitetest.WriteFiles(t, dir, goodSite)
		code, stdout, _ := flipchart(t, "check", "--source", dir)
		if code != 0 {
			t.Errorf("exit status %d, want 0:\n%s", code, stdout)
		}
		if code, stdout, _ = flipchart(t, "check", "--strict", "--source", dir); code != 0 {
			t.Errorf("--strict: exit status %d, want 0:\n%s", code, stdout)
		}
		if _, err := os.Stat(filepath.Join(dir, "public")); err == nil {
			t.Errorf("check wrote public/")
		}
	})
	t.Run("error", func(t *testing.T) {
		dir := t.TempDir()
		sitetest.WriteFiles(t, dir, goodSite)
		sitetest.WriteFiles(t, dir, map[string]string{"content/day-1/03-x.md": "+++\ntitle = \"X\"\nsession = \"eleven\"\n+++\n"})
		code, stdout, _ := flipchart(t, "check", "--source", dir)
		if code != 1 {
			t.Errorf("exit status %d, want 1", code)
		}
		if w := `content/day-1/03-x.md:3:11: error: session: expected an integer, got "eleven"`; !strings.Contains(stdout, w) {
			t.Errorf("output lacks %q:\n%s", w, stdout)
		}
	})
	t.Run("warning", func(t *testing.T) {
		dir := t.TempDir()
		sitetest.WriteFiles(t, dir, goodSite)
		sitetest.WriteFiles(t, dir, map[string]string{"content/day-1/03-x.md": "+++\ntitle = \"X\"\nobjectves = [\"to learn\"]\n+++\n"})
		code, stdout, _ := flipchart(t, "check", "--source", dir)
		if code != 0 {
			t.Errorf("without --strict: exit status %d, want 0:\n%s", code, stdout)
		}
		if w := `content/day-1/03-x.md:3:13: warning: objectves: unknown key; did you mean "objectives"?`; !strings.Contains(stdout, w) {
			t.Errorf("output lacks %q:\n%s", w, stdout)
		}
		if code, stdout, _ = flipchart(t, "check", "--strict", "--source", dir); code != 1 {
			t.Errorf("--strict: exit status %d, want 1:\n%s", code, stdout)
		}
	})
}

func files(m map[string]string) func(*testing.T, string) {
	return func(t *testing.T, dir string) { sitetest.WriteFiles(t, dir, m) }
}

// edit replaces old with new in one file of the site.
func edit(name, old, new string) func(*testing.T, string) {
	return func(t *testing.T, dir string) { editFile(t, dir, name, old, new) }
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("symlinks: %v", err)
	}
}

func mkfifo(t *testing.T, p string) {
	t.Helper()
	if out, err := exec.Command("mkfifo", p).CombinedOutput(); err != nil {
		t.Skipf("mkfifo: %v %s", err, out)
	}
}

func removeAll(t *testing.T, p string) {
	t.Helper()
	if err := os.RemoveAll(p); err != nil {
		t.Fatal(err)
	}
}
