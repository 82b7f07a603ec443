package render

import (
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"flipchart/generator/diag"
	"flipchart/themes"
)

// Layer is one place templates, static files and UI strings come from. Site
// files override theme files one file at a time.
type Layer struct {
	Name string // shown in messages: "layouts/", "themes/default/", "built-in theme"
	FS   fs.FS  // holds layouts/, static/, i18n/ (any may be missing)
	// Prefix turns a path in FS into the path shown in messages.
	Prefix string
}

// Theme is the resolved chain of layers, first match wins.
type Theme struct {
	Layers []Layer
}

// LoadTheme builds the chain for a site: its own layouts/ and static/, then
// themes/<name>/, then the theme embedded in the binary.
func LoadTheme(site fs.FS, name string) (*Theme, error) {
	builtin, _ := fs.Sub(themes.Default, "default")
	t := &Theme{Layers: []Layer{{Name: "site", FS: site}}}
	dir := "themes/" + name
	if info, err := fs.Stat(site, dir); err == nil && info.IsDir() {
		sub, _ := fs.Sub(site, dir)
		t.Layers = append(t.Layers, Layer{Name: dir + "/", FS: sub, Prefix: dir + "/"})
	} else if name != "default" {
		return nil, fmt.Errorf("there is no theme %q: no folder %s", name, dir)
	}
	t.Layers = append(t.Layers, Layer{Name: "built-in theme", FS: builtin, Prefix: "(built-in) "})
	return t, nil
}

// Find returns the first layer holding name and the path to show for it.
func (t *Theme) Find(name string) (fs.FS, string, bool) {
	for _, l := range t.Layers {
		if info, err := fs.Stat(l.FS, name); err == nil && !info.IsDir() {
			return l.FS, l.Prefix + name, true
		}
	}
	return nil, "", false
}

// Files lists every file under dir across the layers, each once.
func (t *Theme) Files(dir string) []string {
	seen := map[string]bool{}
	for _, l := range t.Layers {
		_ = fs.WalkDir(l.FS, dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if p == dir {
					return fs.SkipDir
				}
				return nil
			}
			if !d.IsDir() && !strings.HasPrefix(d.Name(), ".") {
				seen[p] = true
			}
			return nil
		})
	}
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Kinds of pages, each with its own template in layouts/.
var pageTemplates = []string{"home.html", "module.html", "session.html", "page.html", "handout.html", "agenda.html", "materials.html", "objectives.html", "worksheet.html", "worksheets.html", "print.html", "search.html"}

// Templates holds one parsed template per page kind.
type Templates struct {
	byName map[string]*template.Template
	shown  map[string]string   // template name -> file shown in messages
	uses   map[string]*setUses // page template -> the files its set runs
	// pieces is what the print editions' templates for one page
	// (print-page and print-toc) run, see keepPlan.
	pieces *setUses
	text   map[string]string // file shown in messages -> its text, for locate
}

var tmplPos = regexp.MustCompile(`template: ([^:]+):(\d+):(?:(\d+):)?\s*(.*)`)

// templateError turns a template error into a diagnostic at its file and line.
func templateError(err error, shown map[string]string) *diag.Diagnostic {
	msg := err.Error()
	if m := tmplPos.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		file := shown[m[1]]
		if file == "" {
			file = m[1]
		}
		return diag.Errorf(file, line, col, "%s", strings.TrimPrefix(m[4], "executing \""+m[1]+"\" at "))
	}
	return diag.Errorf("", 0, 0, "%s", msg)
}

// LoadTemplates parses baseof.html and partials/ with each page kind's
// template, each file taken from the first layer that has it.
func (t *Theme) LoadTemplates(funcs template.FuncMap) (*Templates, *diag.Diagnostic) {
	shown, text := map[string]string{}, map[string]string{}
	base := template.New("baseof.html").Funcs(funcs)
	parse := func(tpl *template.Template, name string) *diag.Diagnostic {
		fsys, file, ok := t.Find("layouts/" + name)
		if !ok {
			return diag.Errorf("layouts/"+name, 0, 0, "template not found in any theme layer")
		}
		data, err := fs.ReadFile(fsys, "layouts/"+name)
		if err != nil {
			return diag.Errorf(file, 0, 0, "cannot read: %v", err)
		}
		shown[name], text[file] = file, string(data)
		target := tpl
		if tpl.Name() != name {
			target = tpl.New(name)
		}
		if _, err := target.Parse(string(data)); err != nil {
			return templateError(err, shown)
		}
		return nil
	}
	if d := parse(base, "baseof.html"); d != nil {
		return nil, d
	}
	for _, p := range t.Files("layouts/partials") {
		if d := parse(base, strings.TrimPrefix(p, "layouts/")); d != nil {
			return nil, d
		}
	}
	ts := &Templates{byName: map[string]*template.Template{}, shown: shown, uses: map[string]*setUses{}, text: text}
	for _, name := range pageTemplates {
		c, err := base.Clone()
		if err != nil {
			return nil, diag.Errorf("", 0, 0, "%v", err)
		}
		if d := parse(c, name); d != nil {
			return nil, d
		}
		ts.byName[name] = c
		ts.uses[name] = templateUses(c, name, shown) // before any run escapes the trees
		if name == "print.html" {
			ts.pieces = templateUsesFrom(c, name, shown, "print-page", "print-toc")
		}
	}
	return ts, nil
}

// LoadStrings reads the UI strings for a language: English first, then the
// language's own file over it, each from the first layer that has it.
func (t *Theme) LoadStrings(lang string) (map[string]string, *diag.Diagnostic) {
	out := map[string]string{}
	tags := []string{"en"}
	if base, _, _ := strings.Cut(lang, "-"); base != "en" && base != "" {
		tags = append(tags, base)
	}
	if lang != tags[len(tags)-1] && lang != "" {
		tags = append(tags, lang)
	}
	for _, tag := range tags {
		fsys, file, ok := t.Find(path.Join("i18n", tag+".toml"))
		if !ok {
			continue
		}
		data, err := fs.ReadFile(fsys, "i18n/"+tag+".toml")
		if err != nil {
			return nil, diag.Errorf(file, 0, 0, "cannot read: %v", err)
		}
		var m map[string]string
		if _, err := toml.Decode(string(data), &m); err != nil {
			var pe toml.ParseError
			if errors.As(err, &pe) {
				return nil, diag.Errorf(file, pe.Position.Line, pe.Position.Col, "%s", pe.Message)
			}
			return nil, diag.Errorf(file, 0, 0, "%v", err)
		}
		for k, v := range m {
			out[k] = v
		}
	}
	return out, nil
}
