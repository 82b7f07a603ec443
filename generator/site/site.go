// Package site assembles the loaded content into the manual's graph before
// anything is rendered: the home page, modules (folders with an _index.md),
// sessions and other pages, in reading order, with parents, breadcrumbs and
// prev/next. Conflicts such as two pages on one URL are reported here.
package site

import (
	"fmt"
	"path"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"flipchart/generator/config"
	"flipchart/generator/content"
	"flipchart/generator/diag"
)

// Kind is what a page is in the manual.
type Kind int

const (
	Home Kind = iota
	Module
	Session
	Plain
	AgendaPage
	// Pages flipchart makes: not in the reading order.
	Handout    // a session without its facilitator-only parts
	Materials  // every session's materials
	Objectives // every session's objectives
	Worksheet  // one worksheet, to fill in or print
	Worksheets // the list of worksheets
	Print      // a print edition: the guide, the participants' or the worksheets
	Search     // the search page, with the search index of every page
)

func (k Kind) String() string {
	return [...]string{"home", "module", "session", "page", "agenda", "handout", "materials", "objectives", "worksheet", "worksheets", "print", "search"}[k]
}

// Page is one page of the manual.
type Page struct {
	Kind   Kind
	Source *content.Source // nil for a page flipchart made up (a home without _index.md)

	Title      string
	Summary    string
	Session    int // 0 when the page is not a session
	Time       content.TimeRange
	Activities []string
	Objectives []string
	Materials  []string
	Weight     int
	Type       string
	Params     map[string]any

	// URL is the page's folder relative to the site root, "" for the home
	// page, else ending in a slash: "day-2/11-next-steps/".
	URL string
	// Out is the file the page is written to: "day-2/11-next-steps/index.html".
	Out string

	Parent     *Page
	Pages      []*Page // a home or module page's children, in reading order
	Prev, Next *Page   // reading order through the whole manual

	Handout  *Page    // a session's participant handout
	Of       *Page    // the page a handout or worksheet is part of
	Edition  Edition  // what a print edition holds
	Schedule *Agenda  // an agenda page's days
	Derived  *Derived // what rendering found in the page's Markdown

	// Fallback says the page is shown in a language it has no translation
	// into: its Source is the page in the manual's own language.
	Fallback bool

	site *Site  // the graph of the page's language
	base string // the content path the page is published at (see BasePath)
}

// BasePath is the content path of the page a page is, or translates:
// "day-3/11-next-steps.md" for day-3/11-next-steps.es.md too; "" for a
// page flipchart makes.
func (p *Page) BasePath() string {
	if p.base != "" || p.Source == nil {
		return p.base
	}
	return p.Source.Path
}

// Lang is the language of the page's graph: the manual's own for a page
// made outside one (in tests).
func (p *Page) Lang() *config.Language {
	if p.site == nil || p.site.Lang == nil {
		return nil
	}
	return p.site.Lang
}

// Site is the graph of the page's language; nil for a page made outside
// one.
func (p *Page) Site() *Site { return p.site }

// Derived is what the render stage learns from a page's Markdown, for pages
// rendered after it (materials, agendas) and for checks.
type Derived struct {
	// Body is the page's rendered Markdown, for the print editions made
	// after the pages (the dev server's).
	Body []byte
	// Worksheets are the worksheets written in the page.
	Worksheets []*Page
	// WorksheetSource is a worksheet page's Markdown.
	WorksheetSource []byte
	// Refs are the content paths of the pages this one links to (sessions
	// by number or slug, .md files), whose titles or URLs it shows; and,
	// as SessionRefKey, each session reference with what it found; sorted,
	// each once (a list costs a large manual less than a set).
	Refs []string

	// Materials is the front matter's materials and the exercises', merged
	// without case-insensitive duplicates.
	Materials []string
	// WorksheetID is a worksheet page's ID in its page, which its URL is
	// made of (see WorksheetURL).
	WorksheetID string
	// Anchors are the IDs in the page body, sorted, for links to
	// page#anchor: see HasAnchor.
	Anchors []string
}

// HasAnchor reports whether the page body has an element with the ID id.
func (d *Derived) HasAnchor(id string) bool {
	_, ok := slices.BinarySearch(d.Anchors, id)
	return ok
}

// File is the page's source file relative to the site, or "".
func (p *Page) File() string {
	if p.Source == nil {
		return ""
	}
	return p.Source.File
}

// describe names the page in messages: its file, or what flipchart made it
// for.
func (p *Page) describe() string {
	switch {
	case p.Kind == Handout && p.Fallback:
		return "the handout of " + p.Of.File() + " in " + p.Lang().Code
	case p.Kind == Handout:
		return "the handout of " + p.Of.File()
	case p.Fallback:
		return p.File() + " in " + p.Lang().Code
	case p.Kind == Worksheet:
		return "a worksheet of " + p.Of.File()
	case p.Source == nil:
		return "the " + p.Kind.String() + " page flipchart makes"
	}
	return p.File()
}

// Root is the relative path from this page to the site root: "" or "../../".
func (p *Page) Root() string {
	return strings.Repeat("../", strings.Count(p.URL, "/"))
}

// LinkTo is the relative link from this page to another, which works from a
// web server and from a folder opened in a browser (file://).
func (p *Page) LinkTo(q *Page) string { return p.Root() + q.Out }

// Href is the link to the page from the site's root:
// "/day-3/11-next-steps/index.html". Every file of the site is written with
// its links made relative to it (package links), so it works from a web
// server and from a folder opened in a browser (file://).
func (p *Page) Href() string { return "/" + p.Out }

// Breadcrumbs lists the page's ancestors from the home page down, without the
// page itself.
func (p *Page) Breadcrumbs() []*Page {
	var out []*Page
	for a := p.Parent; a != nil; a = a.Parent {
		out = append(out, a)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// IsSession reports whether the page is a session guide.
func (p *Page) IsSession() bool { return p.Kind == Session }

// Label is how a session is named in lists: "Session 11: Next Steps", with
// a no-break space after "Session".
func (p *Page) Label() string {
	if p.Kind == Session {
		return fmt.Sprintf("Session\u00a0%d: %s", p.Session, p.Title) // never broken across lines
	}
	return p.Title
}

// Sessions returns the sessions under a home or module page, depth first.
func (p *Page) Sessions() []*Page {
	var out []*Page
	for _, c := range p.Pages {
		if c.Kind == Session {
			out = append(out, c)
		}
		out = append(out, c.Sessions()...)
	}
	return out
}

// TotalTime sums the time of the sessions under a page.
func (p *Page) TotalTime() content.TimeRange {
	var t content.TimeRange
	for _, s := range p.Sessions() {
		t = t.Add(s.Time)
	}
	return t
}

// Site is the assembled manual. A manual in several languages has one
// Site per language (Langs), each the whole manual in that language, and
// one over them all, whose lists (Pages, Sessions, Extra, Prints…) hold
// every language's pages, the manual's own language first, and whose
// Home, Materials, Objectives, Worksheets and Search are its own
// language's. A manual in one language is its own only Lang.
type Site struct {
	Config *config.Config
	// Lang is the language of the graph; the manual's own for the Site
	// over them all.
	Lang *config.Language
	// Prefix is where the language's pages are published: "" or "es/".
	Prefix string
	// Langs are the graphs of each language, the manual's own first.
	Langs []*Site
	// Words are the UI strings of the language, which the render stage
	// reads and gives the site (for what is named outside pages: the
	// PDFs' titles); nil before.
	Words    func(key string) string
	Home     *Page
	Pages    []*Page // every page in reading order, the home page first
	Modules  []*Page
	Sessions []*Page // in reading order
	Agendas  []*Page
	// Extra are the pages flipchart makes: handouts, the materials and
	// objectives pages. They are not in the reading order.
	Extra      []*Page
	Materials  *Page
	Objectives *Page
	Worksheets *Page   // the list of worksheets
	Prints     []*Page // the print editions
	Search     *Page   // the search page
	// WorksheetPages are the worksheets found while rendering, in reading
	// order; the render stage fills it.
	WorksheetPages []*Page
	Assets         []content.Asset
	byURL          map[string]*Page
	byRef          map[string]*Page // session number or slug -> session
	bySource       map[string]*Page // content path -> page, made on first use
	// byBase maps the content path of each page (see BasePath) to its
	// page in each language, in the order of Langs; set on the Site over
	// several languages.
	byBase map[string][]*Page
	all    *Site // the Site over every language, when there are several
}

// PageAt returns the page at a site-relative URL ("day-2/11-next-steps/").
func (s *Site) PageAt(url string) *Page { return s.byURL[url] }

// Options control assembly.
type Options struct {
	Drafts bool // include pages with draft = true
}

// Assemble builds the graph. Problems go to diags. A manual in several
// languages (config.Languages) is one graph per language, each of the
// whole manual (see Langs), under one Site that lists them all.
func Assemble(cfg *config.Config, c *content.Content, opt Options, diags *diag.List) *Site {
	byURL := map[string]*Page{}
	pages, tr := sortTranslations(cfg, c, diags)
	if tr == nil {
		s := assemble(cfg, &cfg.Languages[0], c, entriesOf(pages), opt, diags, byURL)
		s.Langs = []*Site{s}
		return s
	}
	return assembleLangs(cfg, c, pages, tr, opt, diags, byURL)
}

// entry is a page's source as one language's graph takes it: the file it
// is read from (a translation, or the page itself) and the content path it
// is published at, which is the page's, not its translation's.
type entry struct {
	src  *content.Source
	path string
	// base is the page translated, when src is its translation; fallback
	// says src is the page itself, shown in a language it has no
	// translation into.
	base     *content.Source
	fallback bool
}

func entriesOf(sources []*content.Source) []entry {
	out := make([]entry, len(sources))
	for i, src := range sources {
		out[i] = entry{src: src, path: src.Path}
	}
	return out
}

// assemble builds the graph of one language from its entries.
func assemble(cfg *config.Config, lang *config.Language, c *content.Content, entries []entry, opt Options, diags *diag.List, byURL map[string]*Page) *Site {
	s := &Site{Config: cfg, Lang: lang, Prefix: lang.Prefix(cfg), Assets: c.Assets, byURL: byURL, byRef: map[string]*Page{}}
	modules := map[string]*Page{} // folder ("" for content/) -> its page
	var leaves []*Page
	// A draft module leaves out everything under it.
	draftDirs := map[string]bool{}
	if !opt.Drafts {
		for _, e := range entries {
			if e.src.Front.Draft && isIndex(e.path) {
				draftDirs[path.Dir(e.path)] = true
			}
		}
	}
	underDraft := func(p string) bool {
		for d := path.Dir(p); ; d = path.Dir(d) {
			if draftDirs[d] {
				return true
			}
			if d == "." || d == "/" {
				return false
			}
		}
	}
	// Each source's page is made on every core (a large manual has many).
	made := make([]*Page, len(entries))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(made); i = int(next.Add(1) - 1) {
				made[i] = newPage(entries[i].src)
			}
		})
	}
	wg.Wait()
	for i, e := range entries {
		src := e.src
		if (src.Front.Draft || underDraft(e.path)) && !opt.Drafts {
			continue
		}
		p := made[i]
		p.site, p.base, p.Fallback = s, e.path, e.fallback
		if e.base != nil {
			p.inherit(e.base)
		}
		dir := path.Dir(e.path)
		if dir == "." {
			dir = ""
		}
		if isIndex(e.path) {
			p.URL = s.Prefix + urlOf(dir)
			p.Kind = Module
			if dir == "" {
				p.Kind = Home
			}
			if p.Kind == Module && p.Session > 0 {
				diags.Add("site", diag.Warnf(src.File, 0, 0, "a folder's _index.md is a module page; its session number %d is ignored", p.Session).
					WithHint("move the session into its own file in the folder"))
				p.Session = 0
			}
			if q := modules[dir]; q != nil {
				diags.Add("site", diag.Errorf(src.File, 1, 0, "this page has the same URL /%s as %s", p.URL, q.File()).
					WithHint("keep one of _index.md and index.md in a folder"))
				continue
			}
			modules[dir] = p
		} else {
			slug := strings.TrimSuffix(path.Base(e.path), ".md")
			if src.Front.Slug != "" {
				slug = src.Front.Slug
			} else if e.base != nil && e.base.Front.Slug != "" {
				slug = e.base.Front.Slug
			}
			p.URL = s.Prefix + urlOf(path.Join(dir, slug))
			leaves = append(leaves, p)
		}
		p.Out = p.URL + "index.html"
	}
	home := modules[""]
	if home == nil {
		home = &Page{Kind: Home, Title: lang.Title, URL: s.Prefix, Out: s.Prefix + "index.html", site: s}
		modules[""] = home
	}
	s.Home = home
	// Attach each module and page to the nearest folder above it that has a
	// page.
	var dirs []string
	for d := range modules {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	parentOf := func(dir string) *Page {
		for dir != "" {
			dir = path.Dir(dir)
			if dir == "." {
				dir = ""
			}
			if m := modules[dir]; m != nil {
				return m
			}
		}
		return home
	}
	for _, d := range dirs {
		if d == "" {
			continue
		}
		m := modules[d]
		m.Parent = parentOf(d)
		m.Parent.Pages = append(m.Parent.Pages, m)
	}
	for _, p := range leaves {
		dir := path.Dir(p.base)
		if dir == "." {
			dir = ""
		}
		p.Parent = modules[dir]
		if p.Parent == nil {
			p.Parent = parentOf(dir)
		}
		p.Parent.Pages = append(p.Parent.Pages, p)
	}
	s.order(home)
	s.addExtra()
	s.checkUnique(diags)
	s.indexRefs()
	for _, p := range s.Agendas {
		p.Schedule = s.decodeAgenda(p, diags)
	}
	return s
}

// isIndex reports whether a content path is a folder's _index.md (or
// index.md).
func isIndex(p string) bool {
	b := path.Base(p)
	return b == "_index.md" || b == "index.md"
}

func newPage(src *content.Source) *Page {
	f := src.Front
	p := &Page{
		Kind: Plain, Source: src, Title: content.Smart(f.Title), Summary: content.Smart(f.Summary),
		Time: f.Time, Activities: smartAll(f.Activities), Objectives: smartAll(f.Objectives),
		Materials: f.Materials, Weight: f.Weight, Type: f.Type, Params: f.Params,
	}
	if f.HasSession {
		p.Kind, p.Session = Session, f.Session
	}
	if f.Type == "agenda" {
		p.Kind = AgendaPage
	}
	if p.Title == "" {
		p.Title = titleFromFile(src.Path)
	}
	return p
}

// smartAll is content.Smart of each line of a list.
func smartAll(list []string) []string {
	if len(list) == 0 {
		return list
	}
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = content.Smart(s)
	}
	return out
}

// titleFromFile makes "Next steps" of "day-2/11-next-steps.md".
func titleFromFile(p string) string {
	b := strings.TrimSuffix(path.Base(p), ".md")
	if b == "_index" || b == "index" {
		b = path.Base(path.Dir(p))
	}
	b = strings.TrimLeft(b, "0123456789-_ ")
	b = strings.NewReplacer("-", " ", "_", " ").Replace(b)
	if b == "" || b == "." {
		return "Untitled"
	}
	return strings.ToUpper(b[:1]) + b[1:]
}

func urlOf(dir string) string {
	if dir == "" {
		return ""
	}
	return dir + "/"
}

// less orders pages: by weight (0, unset, last), then session number, then
// title.
func less(a, b *Page) bool {
	if a.Weight != b.Weight {
		if a.Weight == 0 || b.Weight == 0 {
			return b.Weight == 0
		}
		return a.Weight < b.Weight
	}
	if a.Session != b.Session {
		if a.Session == 0 || b.Session == 0 {
			return b.Session == 0
		}
		return a.Session < b.Session
	}
	if a.Title != b.Title {
		return a.Title < b.Title
	}
	return a.URL < b.URL
}

// order sorts children and lays out reading order and prev/next.
func (s *Site) order(home *Page) {
	var walk func(p *Page)
	walk = func(p *Page) {
		sort.SliceStable(p.Pages, func(i, j int) bool { return less(p.Pages[i], p.Pages[j]) })
		s.Pages = append(s.Pages, p)
		switch p.Kind {
		case Module:
			s.Modules = append(s.Modules, p)
		case Session:
			s.Sessions = append(s.Sessions, p)
		case AgendaPage:
			s.Agendas = append(s.Agendas, p)
		}
		for _, c := range p.Pages {
			walk(c)
		}
	}
	walk(home)
	for i := 1; i < len(s.Pages); i++ {
		s.Pages[i-1].Next = s.Pages[i]
		s.Pages[i].Prev = s.Pages[i-1]
	}
}

// addExtra makes the pages that are not written by authors: a handout for
// each session, and the materials and objectives pages.
func (s *Site) addExtra() {
	for _, p := range s.Sessions {
		h := &Page{Kind: Handout, Source: p.Source, Title: p.Title, Summary: p.Summary,
			Session: p.Session, Time: p.Time, Objectives: p.Objectives, Activities: p.Activities,
			Materials: p.Materials, Params: p.Params, Parent: p, Of: p,
			URL: p.URL + "handout/", Fallback: p.Fallback, site: s, base: p.base}
		h.Out = h.URL + "index.html"
		p.Handout = h
		s.Extra = append(s.Extra, h)
	}
	extra := func(k Kind, title, url string) *Page {
		url = s.Prefix + url
		p := &Page{Kind: k, Title: title, Parent: s.Home, URL: url, Out: url + "index.html", site: s}
		s.Extra = append(s.Extra, p)
		return p
	}
	for _, e := range []struct {
		ed    Edition
		title string
		url   string
	}{
		{GuideEdition, s.Home.Title, "print/"},
		{ParticipantEdition, s.Home.Title, "print/participants/"},
		{WorksheetEdition, "Worksheets", "print/worksheets/"},
	} {
		p := extra(Print, e.title, e.url)
		p.Edition = e.ed
		s.Prints = append(s.Prints, p)
	}
	s.Worksheets = extra(Worksheets, "Worksheets", "worksheets/")
	if s.Config.Search {
		s.Search = extra(Search, "Search", "search/")
	}
	if len(s.Sessions) == 0 {
		return
	}
	s.Materials = extra(Materials, "Materials", "materials/")
	s.Objectives = extra(Objectives, "Objectives", "objectives/")
}

// Edition is what a print edition holds.
type Edition int

const (
	GuideEdition       Edition = iota // the whole guide, for trainers
	ParticipantEdition                // without facilitator-only parts
	WorksheetEdition                  // every worksheet
)

func (e Edition) String() string {
	return [...]string{"guide", "participants", "worksheets"}[e]
}

// WorksheetURL is where a worksheet of a page is published: its session
// number or page slug, then the worksheet's ID: "worksheets/11-next-steps/".
func WorksheetURL(p *Page, id string) string {
	lang := ""
	if p.site != nil {
		lang = p.site.Prefix
	}
	prefix := strings.Trim(strings.ReplaceAll(strings.TrimPrefix(p.URL, lang), "/", "-"), "-")
	if p.Kind == Session {
		prefix = fmt.Sprintf("%02d", p.Session)
	}
	if prefix == "" {
		prefix = "home"
	}
	return lang + "worksheets/" + prefix + "-" + id + "/"
}

// ByOut returns the page written to the file out ("day-1/x/index.html"),
// or nil.
func (s *Site) ByOut(out string) *Page {
	u, ok := strings.CutSuffix(out, "index.html")
	if !ok {
		return nil
	}
	if p := s.byURL[u]; p != nil && p.Out == out {
		return p
	}
	return nil
}

// NewWorksheet is the page of the worksheet id, titled title, written in
// page p as the Markdown src.
func NewWorksheet(p *Page, id, title string, src []byte) *Page {
	ws := &Page{Kind: Worksheet, Title: title, Session: p.Session, Source: p.Source,
		Parent: p, Of: p, URL: WorksheetURL(p, id), Derived: &Derived{WorksheetSource: src, WorksheetID: id},
		Fallback: p.Fallback, site: p.site, base: p.base}
	ws.Out = ws.URL + "index.html"
	return ws
}

// AddWorksheets records the worksheets found in the pages while rendering,
// in reading order, and reports a worksheet URL taken by another page.
func (s *Site) AddWorksheets(diags *diag.List) {
	if len(s.Langs) > 1 {
		s.WorksheetPages = nil
		for _, l := range s.Langs {
			l.AddWorksheets(diags)
			s.WorksheetPages = append(s.WorksheetPages, l.WorksheetPages...)
		}
		return
	}
	for _, w := range s.WorksheetPages { // from an earlier rendering
		delete(s.byURL, w.URL)
	}
	s.WorksheetPages = nil
	for _, p := range s.Pages {
		if p.Derived == nil {
			continue
		}
		for _, w := range p.Derived.Worksheets {
			if q := s.byURL[w.URL]; q != nil {
				diags.Add("site", diag.Errorf(p.File(), 0, 0, "worksheet %q would be published at /%s, where %s is", w.Title, w.URL, q.describe()).
					WithHint("give the worksheet another title or an {#id}"))
				continue
			}
			s.byURL[w.URL] = w
			s.WorksheetPages = append(s.WorksheetPages, w)
		}
	}
}

// All returns every page to render: the reading order, then the extra pages.
func (s *Site) All() []*Page {
	return append(append([]*Page(nil), s.Pages...), s.Extra...)
}

func (s *Site) checkUnique(diags *diag.List) {
	bySession := map[int]*Page{}
	for _, p := range s.All() {
		if q := s.byURL[p.URL]; q != nil {
			a, b := p, q
			if a.Source == nil || a.Kind == Handout {
				a, b = q, p // name the author's file first
			}
			diags.Add("site", diag.Errorf(a.File(), 1, 0, "this page has the same URL /%s as %s", p.URL, b.describe()).
				WithHint("rename one of the files or give it a different slug"))
			continue
		}
		s.byURL[p.URL] = p
		if p.Kind != Session {
			continue
		}
		if q := bySession[p.Session]; q != nil {
			line, col := 1, 0 // a source a build cache kept has no Doc
			if p.Source.Doc != nil {
				line, col = p.Source.Doc.Pos("session")
			}
			diags.Add("site", diag.Errorf(p.File(), line, col, "session %d is also the number of %s", p.Session, q.File()).
				WithHint("give each session its own number"))
			continue
		}
		bySession[p.Session] = p
	}
}

// PageOf returns the page of a content file (a path relative to content/),
// or nil.
func (s *Site) PageOf(rel string) *Page {
	if s.bySource == nil {
		s.bySource = make(map[string]*Page, len(s.Pages))
		for _, p := range s.Pages {
			if p.Source != nil && s.bySource[p.Source.Path] == nil {
				s.bySource[p.Source.Path] = p // the manual's own language's
			}
		}
	}
	return s.bySource[rel]
}

// SessionRefKey is the key in Derived.Refs of a reference to a session by
// number or slug (as Session takes it) that found the page of the content
// path to, or nothing when to is "".
func SessionRefKey(ref, to string) string {
	return "session:" + strings.ToLower(strings.TrimSpace(ref)) + "\x00" + to
}

// ParseSessionRefKey is the reference and the content path of a key made
// by SessionRefKey; ok is false for any other key of Derived.Refs.
func ParseSessionRefKey(key string) (ref, to string, ok bool) {
	rest, ok := strings.CutPrefix(key, "session:")
	if !ok {
		return "", "", false
	}
	ref, to, ok = strings.Cut(rest, "\x00")
	return ref, to, ok
}

// Session finds a session by number ("9") or slug: its front matter slug,
// its file name ("09-recommendations") or that name without the number
// ("recommendations"). It returns nil when there is none.
func (s *Site) Session(ref string) *Page {
	return s.byRef[strings.ToLower(strings.TrimSpace(ref))]
}

// indexRefs fills byRef. A slug shared by two sessions refers to neither.
func (s *Site) indexRefs() {
	ambiguous := map[string]bool{}
	add := func(key string, p *Page) {
		key = strings.ToLower(key)
		if key == "" || ambiguous[key] {
			return
		}
		if q := s.byRef[key]; q != nil && q != p {
			delete(s.byRef, key)
			ambiguous[key] = true
			return
		}
		s.byRef[key] = p
	}
	for _, p := range s.Sessions {
		if n := strconv.Itoa(p.Session); s.byRef[n] == nil {
			s.byRef[n] = p // a second session with the number is an error already
		}
	}
	for _, p := range s.Sessions {
		base := strings.TrimSuffix(path.Base(p.BasePath()), ".md")
		add(base, p)
		add(strings.TrimLeft(base, "0123456789-_"), p)
		add(p.Source.Front.Slug, p)
	}
}
