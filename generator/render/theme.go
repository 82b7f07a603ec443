package render

import (
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"flipchart/generator/config"
	"flipchart/generator/diag"
	"flipchart/generator/i18n"
	"flipchart/generator/meta"
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

// LangKey is the key of a UI string of a language other than the manual's
// own in the renderer's strings: "es:session". The manual's own
// language's are under their plain keys.
func LangKey(lang, key string) string { return lang + ":" + key }

// LoadStrings reads the UI strings of every language of the manual, each
// merged from English, then the manual's own language, then the language
// itself; for each, the theme's file first (built in, then
// themes/<name>/), the site's i18n/ file over it key by key. A string
// with plural forms (a table of one, few, other...) is kept as key.one,
// key.few... Strings of languages after the first are under LangKey.
func (t *Theme) LoadStrings(cfg *config.Config) (map[string]string, *diag.Diagnostic) {
	out := map[string]string{}
	own := cfg.Languages[0].Code
	for i, l := range cfg.Languages {
		m := map[string]string{}
		for _, tag := range stringTags(own, l.Code) {
			if d := t.readStrings(tag, m, nil); d != nil {
				return nil, d
			}
		}
		m[i18n.LangKey] = l.Code
		for k, v := range m {
			if i > 0 {
				k = LangKey(l.Code, k)
			}
			out[k] = v
		}
	}
	return out, nil
}

// stringTags are the files a language's strings are merged from, in
// order: English, the manual's language and the language, each with its
// base language before it ("pt" before "pt-br").
func stringTags(own, lang string) []string {
	var tags []string
	add := func(tag string) {
		if base, _, ok := strings.Cut(tag, "-"); ok && !slices.Contains(tags, base) {
			tags = append(tags, base)
		}
		if !slices.Contains(tags, tag) {
			tags = append(tags, tag)
		}
	}
	add("en")
	add(own)
	add(lang)
	return tags
}

// stringFile is where a key of a language's file is, for messages.
type stringFile struct {
	file string
	line int
}

// readStrings merges the file i18n/<tag>.toml of every layer into m, the
// last layer first, so that the site's strings win; where records the
// file and line each key was found at, when not nil.
func (t *Theme) readStrings(tag string, m map[string]string, where map[string]stringFile) *diag.Diagnostic {
	name := path.Join("i18n", tag+".toml")
	for i := len(t.Layers) - 1; i >= 0; i-- {
		l := t.Layers[i]
		data, err := fs.ReadFile(l.FS, name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		file := l.Prefix + name
		if err != nil {
			return diag.Errorf(file, 0, 0, "cannot read: %v", err)
		}
		doc, d := meta.Parse(file, 0, strings.TrimPrefix(string(data), "\uFEFF"))
		if d != nil {
			return d
		}
		line := func(key ...string) int { l, _ := doc.Pos(key...); return l }
		switch k, form := i18n.Flatten(doc.Data, m); {
		case form != "":
			return diag.Errorf(file, line(k, form), 0, "%s.%s: a string's plural forms are strings named %s", k, form, strings.Join(i18n.PluralCategories, ", ")).
				WithHint(`write e.g. %s = { one = "{n} page", other = "{n} pages" }`, k)
		case k != "":
			return diag.Errorf(file, line(k), 0, "%s: expected a string, got %T", k, doc.Data[k]).WithHint(`write %s = "..."`, k)
		}
		if where != nil {
			for k := range doc.Data {
				where[k] = stringFile{file, line(k)}
			}
		}
	}
	return nil
}

// CheckStrings warns of each UI string a language of the manual lacks:
// a key the theme's English has that no file of the language (its own,
// or its base language's: pt for pt-br) gives, or a plural form the
// language's plural rules need. Pages show the manual's language's string
// there, or the English. A language with no file at all is one warning.
func (t *Theme) CheckStrings(cfg *config.Config, diags *diag.List) {
	ref := map[string]string{}
	if d := t.readStrings("en", ref, nil); d != nil {
		return // LoadStrings reports it
	}
	for _, l := range cfg.Languages {
		base, _, _ := strings.Cut(l.Code, "-")
		if base == "en" {
			continue
		}
		have, where := map[string]string{}, map[string]stringFile{}
		for _, tag := range stringTags(base, l.Code)[1:] { // without English
			if d := t.readStrings(tag, have, where); d != nil {
				return
			}
		}
		file := t.stringsFile(l.Code)
		if len(have) == 0 {
			diags.Add("render", diag.Warnf(file, 0, 0, "there are no UI strings in %s (%s): its pages show the theme's words in English", l.Code, l.Name).
				WithHint("translate %s into %s", t.stringsFile("en"), file))
			continue
		}
		plural := map[string]bool{}
		var missing []string
		for k := range ref {
			if key, form, ok := strings.Cut(k, "."); ok && slices.Contains(i18n.PluralCategories, form) {
				plural[key] = true
				continue
			}
			if !hasString(have, k) {
				missing = append(missing, k)
			}
		}
		for key := range plural {
			if _, ok := have[key]; ok {
				continue // one form for every number
			}
			for _, c := range i18n.Categories(l.Code) {
				if _, ok := have[key+"."+c]; !ok {
					missing = append(missing, key+"."+c)
				}
			}
		}
		sort.Strings(missing)
		for _, k := range missing {
			key, form, isForm := strings.Cut(k, ".")
			msg := fmt.Sprintf("the UI string %q is missing in %s: its pages show the manual's language's, or the English %q", k, l.Code, ref[k])
			hint := fmt.Sprintf("add %s = \"…\" to %s", k, file)
			if isForm {
				msg = fmt.Sprintf("the UI string %q lacks its %q form, which %s's plural rules need", key, form, l.Code)
				hint = fmt.Sprintf("write %s = { %s = \"…\", … } in %s, with the forms %s", key, form, file, strings.Join(i18n.Categories(l.Code), ", "))
			}
			diags.Add("render", diag.Warnf(file, 0, 0, "%s", msg).WithHint("%s", hint))
		}
	}
}

// hasString reports whether strings have key, as a string or as forms of
// one.
func hasString(strings map[string]string, key string) bool {
	if _, ok := strings[key]; ok {
		return true
	}
	for _, c := range i18n.PluralCategories {
		if _, ok := strings[key+"."+c]; ok {
			return true
		}
	}
	return false
}

// stringsFile is the file of a language's UI strings to name in a
// message: the first layer's that has it, else the site's i18n/ file to
// create.
func (t *Theme) stringsFile(lang string) string {
	name := path.Join("i18n", lang+".toml")
	if _, file, ok := t.Find(name); ok {
		return file
	}
	return name
}
