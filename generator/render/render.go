// Package render turns the assembled site into files: each page through
// goldmark and its kind's template, the theme's static files, the
// highlighting stylesheet and the assets beside the content. Pages are
// rendered in parallel on every core and handed to a Writer one by one, so a
// large manual is never held in memory as HTML.
package render

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"runtime"
	"strings"
	"sync"

	"flipchart/generator/content"
	"flipchart/generator/diag"
	"flipchart/generator/markup"
	"flipchart/generator/site"
)

// Writer receives the files of the built site.
type Writer interface {
	WriteFile(name string, data []byte) error
}

// Stats tells what a render produced.
type Stats struct {
	Pages int // HTML pages written
	Files int // other files written
}

// Renderer renders one site.
type Renderer struct {
	site    *site.Site
	theme   *Theme
	src     fs.FS // the site's folder, for content assets
	md      *markup.Markdown
	tmpl    *Templates
	strings map[string]string
	data    *siteData
	bySrc   map[string]*site.Page // content path -> page
}

// New prepares a renderer: it parses the templates and UI strings.
func New(s *site.Site, th *Theme, src fs.FS, md *markup.Markdown) (*Renderer, *diag.Diagnostic) {
	r := &Renderer{site: s, theme: th, src: src, md: md, bySrc: map[string]*site.Page{}}
	for _, p := range s.Pages {
		if p.Source != nil {
			r.bySrc[p.Source.Path] = p
		}
	}
	var d *diag.Diagnostic
	if r.tmpl, d = th.LoadTemplates(funcs); d != nil {
		return nil, d
	}
	if r.strings, d = th.LoadStrings(s.Config.Language); d != nil {
		return nil, d
	}
	r.data = newSiteData(s)
	return r, nil
}

var funcs = template.FuncMap{
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, fmt.Errorf("dict needs pairs of keys and values")
		}
		m := make(map[string]any, len(kv)/2)
		for i := 0; i < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, fmt.Errorf("dict keys must be strings")
			}
			m[k] = kv[i+1]
		}
		return m, nil
	},
	"join": strings.Join,
}

// Render writes the whole site to w. Problems go to diags.
func (r *Renderer) Render(w Writer, diags *diag.List) Stats {
	var st Stats
	st.Files = r.static(w, diags)
	type result struct {
		diags diag.List
		n     int
	}
	workers := runtime.GOMAXPROCS(0)
	pages := make(chan *site.Page)
	results := make([]result, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Add(1)
		go func(res *result) {
			defer wg.Done()
			var buf bytes.Buffer
			for p := range pages {
				buf.Reset()
				if !r.page(p, &buf, &res.diags) {
					continue
				}
				if err := w.WriteFile(p.Out, buf.Bytes()); err != nil {
					res.diags.Add("render", diag.Errorf(p.File(), 0, 0, "cannot write %s: %v", p.Out, err))
					continue
				}
				res.n++
			}
		}(&results[i])
	}
	for _, p := range r.site.Pages {
		pages <- p
	}
	close(pages)
	wg.Wait()
	for i := range results {
		diags.Merge(&results[i].diags)
		st.Pages += results[i].n
	}
	return st
}

// Page renders one page into buf; it reports false when it could not.
func (r *Renderer) page(p *site.Page, buf *bytes.Buffer, diags *diag.List) bool {
	d := &pageData{Site: r.data, Page: p, strings: r.strings}
	if p.Source != nil {
		res, err := r.md.Render(p.Source.Body, &markup.Options{Linker: linker{r, p}, AutoLink: r.site.Config.AutoLinkSessions})
		if err != nil {
			diags.Add("markup", diag.Errorf(p.File(), 0, 0, "cannot render Markdown: %v", err))
			return false
		}
		for _, pr := range res.Problems {
			d := diag.Errorf(p.File(), p.Source.BodyLine+pr.Line-1, pr.Col, "%s", pr.Msg)
			d.Hint = pr.Hint
			if pr.Warning {
				d.Severity = diag.Warning
			}
			diags.Add("markup", d)
		}
		d.Content = template.HTML(res.HTML) // goldmark escapes; raw HTML is off
		d.Headings = res.Headings
	}
	t := r.tmpl.byName[templateFor(p)]
	if err := t.ExecuteTemplate(buf, "baseof.html", d); err != nil {
		td := templateError(err, r.tmpl.shown)
		td.Msg = fmt.Sprintf("rendering %s: %s", p.Out, td.Msg)
		diags.Add("render", td)
		return false
	}
	return true
}

func templateFor(p *site.Page) string {
	switch p.Kind {
	case site.Home:
		return "home.html"
	case site.Module:
		return "module.html"
	case site.Session:
		return "session.html"
	}
	return "page.html"
}

// linker resolves the links of one page's Markdown.
type linker struct {
	r *Renderer
	p *site.Page
}

// Link rewrites a relative link: a link to a .md file becomes the link to
// that page, anchor kept; any other relative link (an image beside the file)
// is made relative to the page's own folder.
func (l linker) Link(dest string) (string, error) {
	p := l.p
	dir := path.Dir(p.Source.Path)
	target, frag, _ := strings.Cut(dest, "#")
	if frag != "" {
		frag = "#" + frag
	}
	target, query, _ := strings.Cut(target, "?")
	joined := path.Join(dir, target)
	if strings.HasPrefix(joined, "../") || joined == ".." {
		return "", fmt.Errorf("link %q points outside content/", dest)
	}
	if strings.HasSuffix(target, ".md") {
		q := l.r.bySrc[joined]
		if q == nil {
			return "", fmt.Errorf("link to %q: there is no content/%s (links to pages name their .md file, relative to this one)", dest, joined)
		}
		return p.LinkTo(q) + frag, nil
	}
	if query != "" {
		query = "?" + query
	}
	return p.Root() + joined + query + frag, nil
}

// Session finds a session by number or slug.
func (l linker) Session(ref string) (markup.SessionRef, bool) {
	q := l.r.site.Session(ref)
	if q == nil {
		return markup.SessionRef{}, false
	}
	s := markup.SessionRef{Number: q.Session, Title: q.Title}
	if q != l.p {
		s.URL = l.p.LinkTo(q)
	}
	return s, true
}

// static writes the theme's static files (site files first), the
// highlighting stylesheet and content assets, and returns how many.
func (r *Renderer) static(w Writer, diags *diag.List) int {
	n := 0
	put := func(name string, data []byte, file string) {
		if err := w.WriteFile(name, data); err != nil {
			diags.Add("render", diag.Errorf(file, 0, 0, "cannot write %s: %v", name, err))
			return
		}
		n++
	}
	for _, p := range r.theme.Files("static") {
		fsys, file, _ := r.theme.Find(p)
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			diags.Add("render", diag.Errorf(file, 0, 0, "cannot read: %v", err))
			continue
		}
		put(strings.TrimPrefix(p, "static/"), data, file)
	}
	cfg := r.site.Config
	css, err := markup.StyleCSS(cfg.HighlightStyle, cfg.HighlightStyleDark)
	if err != nil {
		diags.Add("render", diag.Errorf("config.toml", 0, 0, "cannot write the highlighting stylesheet: %v", err))
	} else {
		put("css/chroma.css", css, "config.toml")
	}
	for _, a := range r.site.Assets {
		file := content.Dir + "/" + a.Path
		data, err := fs.ReadFile(r.src, file)
		if err != nil {
			diags.Add("render", diag.Errorf(file, 0, 0, "cannot read: %v", err))
			continue
		}
		put(a.Path, data, file)
	}
	return n
}
