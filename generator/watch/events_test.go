package watch

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fsnotify/fsnotify"
)

func TestRelTo(t *testing.T) {
	tests := []struct {
		root, name string
		sep        byte
		want       string // "" for not in the site
	}{
		// Windows: fsnotify reports backslashes; slashes work there too, and
		// names compare in any case.
		{`C:\Users\ana\site`, `C:\Users\ana\site\content\day-3\x.md`, '\\', "content/day-3/x.md"},
		{`C:\Users\ana\site`, `C:/Users/ana/site/content/day-3/x.md`, '\\', "content/day-3/x.md"},
		{`C:\Users\ana\site\`, `C:\Users\ana\site\content/day-3\x.md`, '\\', "content/day-3/x.md"},
		{`C:\Users\ana\site`, `c:\users\ANA\Site\content\x.md`, '\\', "content/x.md"},
		{`C:\Users\ana\site`, `C:\Users\ana\site\config.toml`, '\\', "config.toml"},
		{`C:\`, `C:\content\x.md`, '\\', "content/x.md"},
		{`\\server\share\site`, `\\server\share\site\content\x.md`, '\\', "content/x.md"},
		{`C:\Users\ana\site`, `C:\Users\ana\site2\content\x.md`, '\\', ""},
		{`C:\Users\ana\site`, `C:\Users\ana\site`, '\\', ""},
		{`C:\Users\ana\site`, `C:\Users\ana\site\`, '\\', ""},
		{`C:\Users\ana\site`, `C:\Users\ana\site\..\x.md`, '\\', ""},
		{`C:\Users\ana\site`, `D:\Users\ana\site\content\x.md`, '\\', ""},

		// Linux and macOS: a backslash is part of a name, and case counts.
		{"/home/ana/site", "/home/ana/site/content/day-3/x.md", '/', "content/day-3/x.md"},
		{"/home/ana/site/", "/home/ana/site/content//x.md", '/', "content/x.md"},
		{"/home/ana/site", `/home/ana/site/content\day-3\x.md`, '/', `content\day-3\x.md`},
		{"/home/ana/site", "/home/ana/Site/content/x.md", '/', ""},
		{"/home/ana/site", "/home/ana/site", '/', ""},
		{"/home/ana/site", "/home/ana/sites/content/x.md", '/', ""},
		{"/home/ana/site", "/home/ana/site/../x.md", '/', ""},
		{"/", "/content/x.md", '/', "content/x.md"},
	}
	for _, tt := range tests {
		got, ok := relTo(tt.root, tt.name, tt.sep)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("relTo(%q, %q, %q) = %q, %v; want %q", tt.root, tt.name, tt.sep, got, ok, tt.want)
		}
	}
	// The separator of this system, as the Watcher calls it.
	root := t.TempDir()
	if got, ok := relTo(root, filepath.Join(root, "content", "day-3", "x.md"), filepath.Separator); !ok || got != "content/day-3/x.md" {
		t.Errorf("relTo on this system = %q, %v", got, ok)
	}
}

// A Windows path is classified like the same path on Linux.
func TestWindowsPathsClassified(t *testing.T) {
	root := `C:\Users\ana\Documents\manual`
	for name, want := range map[string]Kind{
		`content\day-3\11-next-steps.md`:   Content,
		`content\day-3\flipchart.png`:      Asset,
		`static\css\site.css`:              StyleSheet,
		`themes\default\layouts\page.html`: Theme,
		`config.toml`:                      Config,
		`content\day-3\~$handout.docx`:     Ignored,
		`content\day-3\nppBackup\x.md.bak`: Ignored,
		`content\day-3\Thumbs.db`:          Ignored,
		`public\index.html`:                Ignored,
		`content\.obsidian\workspace.json`: Ignored,
	} {
		rel, ok := relTo(root, root+`\`+name, '\\')
		if !ok {
			t.Errorf("%s: not in the site", name)
			continue
		}
		if got := Classify(rel); got != want {
			t.Errorf("Classify(%q) (from %s) = %v, want %v", rel, name, got, want)
		}
	}
}

// op is one fsnotify event, its name relative to the site folder.
type op struct {
	op   fsnotify.Op
	name string
}

const (
	create = fsnotify.Create
	write  = fsnotify.Write
	remove = fsnotify.Remove
	rename = fsnotify.Rename
	chmod  = fsnotify.Chmod
)

// A rename as inotify (Linux), ReadDirectoryChangesW (Windows) and kqueue
// (macOS) report it through fsnotify in a watched folder: RENAME of the old
// name, CREATE of the new one.
func mv(from, to string) []op { return []op{{rename, from}, {create, to}} }

func seq(parts ...any) []op {
	var out []op
	for _, p := range parts {
		switch p := p.(type) {
		case op:
			out = append(out, p)
		case []op:
			out = append(out, p...)
		}
	}
	return out
}

// TestEditorSaves feeds the events of editors' saves, on each system's
// paths, through what the Watcher does with each event, and checks that the
// batch names the saved file once and nothing else.
func TestEditorSaves(t *testing.T) {
	const d = "content/day-3/"
	const md = d + "11-next-steps.md"
	const docx = d + "handout.docx"
	tests := []struct {
		editor string
		events []op
		want   []string
	}{
		{"VS Code, in place", seq(op{write, md}, op{write, md}, op{chmod, md}), []string{md}},
		{"VS Code, atomic", seq(op{create, md + ".vsctmp"}, op{write, md + ".vsctmp"}, mv(md+".vsctmp", md)), []string{md}},
		{"VS Code, delete and rename", seq(op{create, md + ".vsctmp"}, op{write, md + ".vsctmp"}, op{remove, md}, mv(md+".vsctmp", md)), []string{md}},
		{"Notepad++, in place", seq(op{write, md}), []string{md}},
		{"Notepad++, simple backup", seq(op{create, md + ".bak"}, op{write, md + ".bak"}, op{write, md}), []string{md}},
		{"Notepad++, backup replaced", seq(op{remove, md + ".bak"}, mv(md, md+".bak"), op{create, md}, op{write, md}), []string{md}},
		{"Notepad++, verbose backup", seq(op{create, d + "nppBackup"},
			op{create, d + "nppBackup/11-next-steps.md.2024-05-01_101010.bak"},
			op{write, d + "nppBackup/11-next-steps.md.2024-05-01_101010.bak"}, op{write, md}), []string{md}},
		{"TextEdit, safe save", seq(op{create, md + ".sb-7c8e2d1f-Qp3RtZ"}, op{write, md + ".sb-7c8e2d1f-Qp3RtZ"},
			mv(md+".sb-7c8e2d1f-Qp3RtZ", md), op{chmod, md}), []string{md}},
		{"TextEdit, nosync file", seq(op{create, d + ".dat.nosync3c1e.Gk2Wd1"}, op{write, d + ".dat.nosync3c1e.Gk2Wd1"},
			mv(d+".dat.nosync3c1e.Gk2Wd1", md)), []string{md}},
		{"TextEdit, backup", seq(mv(md, md+"~"), op{create, md}, op{write, md}, op{remove, md + "~"}), []string{md}},
		{"Word, save", seq(op{create, d + "~$handout.docx"}, op{write, d + "~$handout.docx"},
			op{create, d + "~WRD0000.tmp"}, op{write, d + "~WRD0000.tmp"},
			mv(docx, d+"~WRL1234.tmp"), mv(d+"~WRD0000.tmp", docx),
			op{remove, d + "~WRL1234.tmp"}, op{remove, d + "~$handout.docx"}), []string{docx}},
		{"Word, open and close", seq(op{create, d + "~$handout.docx"}, op{write, d + "~$handout.docx"},
			op{chmod, docx}, op{remove, d + "~$handout.docx"}), nil},
		{"JetBrains, safe write", seq(op{create, md + "___jb_tmp___"}, op{write, md + "___jb_tmp___"},
			mv(md, md+"___jb_old___"), mv(md+"___jb_tmp___", md), op{remove, md + "___jb_old___"}), []string{md}},
		{"vim, rename save", seq(op{create, d + "4913"}, op{chmod, d + "4913"}, op{remove, d + "4913"},
			mv(md, md+"~"), op{create, md}, op{write, md}, op{chmod, md}, op{remove, md + "~"}), []string{md}},
		{"vim, second probe", seq(op{create, d + "5036"}, op{remove, d + "5036"}, op{write, md}), []string{md}},
		{"vim, in place with swap", seq(op{write, d + ".11-next-steps.md.swp"}, op{write, md}, op{write, d + ".11-next-steps.md.swp"}), []string{md}},
		{"vim, typing", seq(op{create, d + ".11-next-steps.md.swp"}, op{write, d + ".11-next-steps.md.swp"},
			op{create, d + ".11-next-steps.md.swx"}, op{remove, d + ".11-next-steps.md.swx"}), nil},
		{"Emacs, first save", seq(op{create, d + ".#11-next-steps.md"}, op{create, d + "#11-next-steps.md#"},
			op{write, d + "#11-next-steps.md#"}, mv(md, md+"~"), op{create, md}, op{write, md},
			op{remove, d + "#11-next-steps.md#"}, op{remove, d + ".#11-next-steps.md"}), []string{md}},
		{"Emacs, auto-save", seq(op{create, d + "#11-next-steps.md#"}, op{write, d + "#11-next-steps.md#"}), nil},
		{"gedit", seq(op{create, d + ".goutputstream-7X2AQZ"}, op{write, d + ".goutputstream-7X2AQZ"},
			mv(d+".goutputstream-7X2AQZ", md), op{chmod, md}), []string{md}},
		{"macOS Finder", seq(op{create, d + ".DS_Store"}, op{write, d + ".DS_Store"}, op{write, "content/.DS_Store"},
			op{create, d + "._11-next-steps.md"}, op{write, md}), []string{md}},
		{"Windows Explorer", seq(op{create, d + "Thumbs.db"}, op{write, d + "Thumbs.db"}, op{write, d + "desktop.ini"},
			op{write, "content/Desktop.ini"}, op{write, md}), []string{md}},
		{"a new folder", seq(op{create, "content/day-4"}, op{create, "content/day-4/01-intro.md"}, op{write, "content/day-4/01-intro.md"}),
			[]string{"content/day-4", "content/day-4/01-intro.md"}},
		{"a watched folder itself", seq(op{remove, "content"}, op{create, "content"}), []string{"content"}},
	}
	systems := []struct {
		name string
		root string
		sep  byte
	}{
		{"linux", "/home/ana/manual", '/'},
		{"macos", "/Users/ana/Documents/manual", '/'},
		{"windows", `C:\Users\ana\Documents\manual`, '\\'},
	}
	for _, sys := range systems {
		for _, tt := range tests {
			t.Run(sys.name+"/"+tt.editor, func(t *testing.T) {
				p := pendingSet{}
				for _, e := range tt.events {
					name := sys.root + string(sys.sep) + strings.ReplaceAll(e.name, "/", string(sys.sep))
					rel, ok := p.add(sys.root, sys.sep, fsnotify.Event{Name: name, Op: e.op})
					if ok && !slices.Contains(tt.want, rel) {
						t.Errorf("%v %s counts as a change of %q", e.op, name, rel)
					}
				}
				if got := p.sorted(); !slices.Equal(got, tt.want) && (len(got) > 0 || len(tt.want) > 0) {
					t.Errorf("batch = %q, want %q", got, tt.want)
				}
			})
		}
	}
}
