package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"os"
	"strings"

	"flipchart/generator/config"
	"flipchart/generator/content"
	"flipchart/generator/i18n"
	"flipchart/generator/markup"
	"flipchart/generator/site"
)

// siteData is what templates see as .Site.
type siteData struct {
	Title       string
	Description string
	Author      string
	Language    string
	Dir         string // "ltr" or "rtl"
	Paper       string
	BaseURL     string
	Params      map[string]any
	Home        *site.Page
	Modules     []*site.Page
	Sessions    []*site.Page
	Agendas     []*site.Page
	Pages       []*site.Page
	Materials   *site.Page // the materials page, nil without sessions
	Objectives  *site.Page // the objectives page, nil without sessions
	Worksheets  *site.Page // the list of worksheets
	Search      *site.Page // the search page
	Prints      []*site.Page
	// HandoutMaterials is [handouts] materials: participants see the
	// materials too.
	HandoutMaterials bool
	// WorksheetStorage is where a worksheet's page keeps the answers:
	// "session" (until the tab is closed) or "device" (until cleared).
	WorksheetStorage string
	// AllowedHosts are the hosts pages may load files from ([privacy]
	// allow_hosts): "example.org", "*.example.org". The default theme's
	// Content-Security-Policy lets them in.
	AllowedHosts []string

	site *site.Site
}

// WorksheetPages lists every worksheet of the manual, in reading order.
func (s *siteData) WorksheetPages() []*site.Page { return s.site.WorksheetPages }

func newSiteData(s *site.Site) *siteData {
	c, l := s.Config, s.Lang
	if l == nil {
		l = &c.Languages[0]
	}
	return &siteData{
		Title: l.Title, Description: l.Description, Author: c.Author,
		Language: l.Code, Dir: l.Dir, Paper: l.Paper,
		BaseURL: c.BaseURL, Params: c.Params, WorksheetStorage: c.WorksheetStorage,
		Home: s.Home, Modules: s.Modules, Sessions: s.Sessions, Agendas: s.Agendas, Pages: s.Pages,
		Materials: s.Materials, Objectives: s.Objectives, Worksheets: s.Worksheets, Search: s.Search, Prints: s.Prints,
		HandoutMaterials: c.HandoutMaterials, AllowedHosts: c.AllowHosts,
		site: s,
	}
}

// Direction returns "rtl" for a language written right to left, else "ltr".
func Direction(lang string) string { return config.Direction(lang) }

// langData is what the pages of one language share: the site's data as
// their templates see it, and the language's UI strings.
type langData struct {
	site    *siteData
	code    string
	prefix  string            // of the strings' keys in Renderer.strings: "" or "es:"
	strings map[string]string // the language's, by their plain keys
	// note is the note of links to other sites in the language's pages,
	// "" for the manual's own language's (the links' policy has it).
	note string
	// lookup finds the language's strings, without recording their use:
	// for what is made of the pages but is no page (the search index).
	lookup i18n.Lookup
}

// langList are the data of the site's languages, in the order of its
// Langs.
func (r *Renderer) langList() []*langData {
	langs := r.site.Langs
	if len(langs) == 0 {
		langs = []*site.Site{r.site}
	}
	out := make([]*langData, len(langs))
	for i, s := range langs {
		out[i] = r.langs[s]
	}
	return out
}

// initLangs makes the data of each language of the site from the site
// and the renderer's strings.
func (r *Renderer) initLangs() {
	r.langs = map[*site.Site]*langData{}
	langs := r.site.Langs
	if len(langs) == 0 {
		langs = []*site.Site{r.site}
	}
	for i, s := range langs {
		ld := &langData{site: newSiteData(s), code: r.site.Config.Languages[0].Code, strings: r.strings}
		if i > 0 {
			ld.code = s.Lang.Code
			if t := r.strings[LangKey(ld.code, NoteKey)]; t != "" {
				ld.note = externalNote(t)
			}
			ld.prefix = LangKey(ld.code, "")
			ld.strings = map[string]string{}
			for k, v := range r.strings {
				if rest, ok := strings.CutPrefix(k, ld.prefix); ok {
					ld.strings[rest] = v
				}
			}
		}
		ld.lookup = func(key string) string {
			if v, ok := ld.strings[key]; ok {
				return v
			}
			return key
		}
		r.langs[s] = ld
		s.Words = ld.lookup
		if r.indexes == nil {
			r.indexes = map[string]*searchIndex{}
		}
		if r.indexes[ld.code] == nil {
			r.indexes[ld.code] = &searchIndex{}
		}
	}
	r.own = r.langs[langs[0]]
	r.data = r.own.site
}

// langOf is the data of page p's language.
func (r *Renderer) langOf(p *site.Page) *langData {
	if ld := r.langs[p.Site()]; ld != nil {
		return ld
	}
	return r.own
}

// dataOf is new data for page p's templates, in its language.
func (r *Renderer) dataOf(p *site.Page) *pageData {
	ld := r.langOf(p)
	return &pageData{r: r, Site: ld.site, Page: p, lang: ld}
}

// pageData is the data of one page's templates.
type pageData struct {
	r        *Renderer
	Site     *siteData
	Page     *site.Page
	Content  template.HTML
	Headings []markup.Heading
	Print    []PrintItem // a print edition's pages
	Item     *PrintItem  // the page of an edition the template print-page makes
	lang     *langData
	links    []markup.Link // the links Content holds, for messages
	// used are the keys of the UI strings the page asked for, when a dev
	// server keeps them to know which pages a change of strings reaches.
	used map[string]bool
	// A print edition's sections copied from the last build's file, old
	// (see PrintReuse).
	keep map[string]Span
	old  *os.File
}

// Link returns the relative link from this page to another.
func (d *pageData) Link(p *site.Page) string { return d.Page.LinkTo(p) }

// Asset returns the relative link to a file at the site root; a file that
// is not part of the site is reported once.
func (d *pageData) Asset(name string) string {
	if d.r != nil && !d.r.files[name] {
		d.r.missing.LoadOrStore(name, d.Page.Out)
	}
	return d.Page.Root() + name
}

// HasCode reports whether the page's content (.Content) holds a code block,
// which css/chroma.css colours. A print edition's content is its items'
// sections, not .Content: its template links what they may need.
func (d *pageData) HasCode() bool { return markup.HasCode(string(d.Content)) }

// HasBlocks reports whether the page's content (.Content) holds a block
// beyond paragraphs, lists, tables and headed text (a quotation, a code
// block, a footnote, an exercise, an aside such as a note, a solution, a
// block for trainers only), which the default theme styles in
// css/blocks.css: every session and handout, in practice.
func (d *pageData) HasBlocks() bool { return markup.HasBlocks(string(d.Content)) }

// HasWorksheets reports whether the page's content (.Content) holds a
// worksheet or a part of one, which the default theme styles in
// css/worksheet.css: a session or handout with a worksheet, a worksheet's
// own page.
func (d *pageData) HasWorksheets() bool { return markup.HasWorksheet(string(d.Content)) }

// T returns a user-interface string in the site's language.
func (d *pageData) T(key string) string {
	if d.used != nil {
		d.used[d.lang.prefix+key] = true
	}
	if s, ok := d.lang.strings[key]; ok {
		return s
	}
	return key
}

// Material is one item of a materials list and the sessions that need it.
type Material struct {
	Item     string
	Sessions []*site.Page
}

// materialsOf gathers the materials of sessions, merged without case, in
// the order they first appear.
func materialsOf(sessions []*site.Page) []Material {
	var out []Material
	index := map[string]int{}
	for _, s := range sessions {
		list := s.Materials
		if s.Derived != nil {
			list = s.Derived.Materials
		}
		for _, m := range list {
			k := strings.ToLower(m)
			i, ok := index[k]
			if !ok {
				i = len(out)
				index[k] = i
				out = append(out, Material{Item: m})
			}
			out[i].Sessions = append(out[i].Sessions, s)
		}
	}
	return out
}

// AllMaterials lists every session's materials, for the materials page.
func (d *pageData) AllMaterials() []Material { return materialsOf(d.Site.Sessions) }

// siteHelpers are the methods of a page's data that show a list of the
// site's pages, by the field of Site they read: a template calling one
// shows a change of that list as one naming it does (see templateUses).
var siteHelpers = map[string]string{"AllMaterials": "Sessions", "Nav": site.NavList}

// AgendaMaterials lists the materials of an agenda's sessions.
func (d *pageData) AgendaMaterials() []Material {
	if d.Page.Schedule == nil {
		return nil
	}
	return materialsOf(d.Page.Schedule.Sessions())
}

// Materials is a page's materials: for a session, its front matter's and
// its exercises', merged.
func (d *pageData) Materials() []string {
	if d.Page.Derived != nil {
		return d.Page.Derived.Materials
	}
	return d.Page.Materials
}

// TrainersStart and TrainersEnd mark what lies between them as for
// trainers only, as a container for trainers is: the participants' edition
// leaves it out of the print-page it makes. With "materials", they mark it
// only when participants are not to see the materials ([handouts]
// materials).
func (d *pageData) TrainersStart(what ...string) template.HTML {
	if d.shownToParticipants(what) {
		return ""
	}
	return markup.TrainersStart
}

// TrainersEnd ends what TrainersStart started.
func (d *pageData) TrainersEnd(what ...string) template.HTML {
	if d.shownToParticipants(what) {
		return ""
	}
	return markup.TrainersEnd
}

func (d *pageData) shownToParticipants(what []string) bool {
	return len(what) == 1 && what[0] == "materials" && d.Site.HandoutMaterials
}

// PDF returns the relative link to the PDF printed from page p (or, for a
// session, from its handout), or "" when there is none.
func (d *pageData) PDF(p *site.Page) string {
	if d.r == nil || d.r.pdfs == nil || p == nil {
		return ""
	}
	if f, ok := d.r.pdfs[p.Out]; ok {
		return d.Page.Root() + f
	}
	return ""
}

// NavItems are the contents beside the page (see site.Nav), for the
// template "sitenav".
func (d *pageData) NavItems() []*site.NavItem {
	if d.r == nil {
		return nil
	}
	return d.Site.site.Nav(site.NavOpen(d.Page))
}

// Nav returns the contents beside the page: the template "sitenav", run
// once for each open module and depth (see Cached), with the page's own
// entry marked as the current page.
func (d *pageData) Nav() (template.HTML, error) {
	html, err := d.Cached("sitenav", site.NavOpen(d.Page))
	if err != nil {
		return "", err
	}
	cur := d.Page
	for cur.Of != nil {
		cur = cur.Of
	}
	link := `href="` + d.Link(cur) + `"`
	return template.HTML(strings.Replace(string(html), link, `aria-current="page" `+link, 1)), nil
}

// Cached returns the output of the named template, run once per build for
// each depth of page (relative links differ with it) and each list of
// variants, and reused by every page after: for pieces of a page that
// depend on the site only, such as its header and footer, which otherwise
// cost a large manual as much as its Markdown. The template must not depend
// on the page beyond its depth and the variants.
func (d *pageData) Cached(name string, variants ...any) (template.HTML, error) {
	if d.r == nil || d.r.tmpl == nil {
		return "", fmt.Errorf("cached %q: there is no template set", name)
	}
	key := name + "\x00" + d.lang.code + "\x00" + d.Page.Root()
	for _, v := range variants {
		if p, ok := v.(*site.Page); ok {
			if p != nil {
				key += "\x00/" + p.URL // a page by its URL, not its fields
			} else {
				key += "\x00<nil>"
			}
		} else {
			key += "\x00" + fmt.Sprint(v)
		}
	}
	if c, ok := d.r.cached.Load(key); ok {
		return c.(*cachedPiece).use(d), nil
	}
	t := d.r.tmpl.byName[templateFor(d.Page)]
	if t == nil || t.Lookup(name) == nil {
		return "", fmt.Errorf("cached: there is no template %q", name)
	}
	var b bytes.Buffer
	// The strings the piece asks for, for every page that reuses it.
	outer := d.used
	if outer != nil {
		d.used = map[string]bool{}
	}
	err := t.ExecuteTemplate(&b, name, d)
	piece := &cachedPiece{html: template.HTML(b.String()), keys: d.used}
	d.used = outer
	if err != nil {
		return "", err
	}
	c, _ := d.r.cached.LoadOrStore(key, piece)
	return c.(*cachedPiece).use(d), nil
}

// cachedPiece is the output of a .Cached template and the UI strings it
// asked for.
type cachedPiece struct {
	html template.HTML
	keys map[string]bool
}

// use returns the piece's output for page data d, recording its strings.
func (c *cachedPiece) use(d *pageData) template.HTML {
	if d.used != nil {
		for k := range c.keys {
			d.used[k] = true
		}
	}
	return c.html
}

// DocTitle is the page's title for the browser's tab and the PDF's
// metadata: the page, then the manual, "Session 9: Recommendations ·
// Manual"; a handout says so; the home page is the manual's title alone.
func (d *pageData) DocTitle() string {
	p, manual := d.Page, d.Site.Title
	switch {
	case p.Kind == site.Handout && p.Of != nil:
		return d.Label(p.Of) + " (" + d.T("participant_handout") + ") · " + manual
	case p.Title != "" && p.Kind != site.Home:
		return d.Label(p) + " · " + manual
	}
	return manual
}

// Crumb is one step of a page's breadcrumbs: the label and the relative
// link, "" for the page itself.
type Crumb struct {
	Label string
	Link  string
}

// Crumbs are the page's breadcrumbs, from the home page down to the page
// itself (last, without a link), labelled as readers know them: "Home",
// "Session 9", a module's title.
func (d *pageData) Crumbs() []Crumb {
	up := d.Page.Breadcrumbs()
	if len(up) == 0 {
		return nil
	}
	out := make([]Crumb, 0, len(up)+1)
	for _, a := range up {
		out = append(out, Crumb{Label: d.crumbLabel(a), Link: d.Page.LinkTo(a)})
	}
	last := d.crumbLabel(d.Page)
	if d.Page.Kind == site.Handout {
		last = d.T("participant_handout")
	}
	return append(out, Crumb{Label: last})
}

func (d *pageData) crumbLabel(p *site.Page) string {
	switch p.Kind {
	case site.Home:
		return d.T("home")
	case site.Session:
		return d.T("session") + "\u00a0" + d.Num(p.Session)
	}
	return d.Label(p)
}

// Sections are the body's second-level headings, for a list of links to
// them ("On this page").
func (d *pageData) Sections() []markup.Heading {
	var out []markup.Heading
	for _, h := range d.Headings {
		if h.Level == 2 {
			out = append(out, h)
		}
	}
	return out
}

// markupKeys are the UI strings rendering Markdown uses (see
// markup.MarkupKeys).
var markupKeys = markup.MarkupKeys()

// words is the lookup of the page's UI strings, recording their use.
func (d *pageData) words() i18n.Lookup { return d.T }

// Dur shows a time range in the page's language: "15–30 min".
func (d *pageData) Dur(t content.TimeRange) string { return i18n.Duration(d.words(), t.Min, t.Max) }

// Clock shows a time of day of an agenda, or a range of them, in the
// page's language: "09:00", "09:00–09:30", with "(+1)" on the next day.
func (d *pageData) Clock(v any) (string, error) {
	switch c := v.(type) {
	case site.Clock:
		s := i18n.Clock(d.words(), int(c))
		if days := int(c) / (24 * 60); days > 0 {
			s += " (+" + i18n.Number(d.words(), days) + ")"
		}
		return s, nil
	case site.ClockRange:
		a, _ := d.Clock(c.Min)
		if c.Min == c.Max {
			return a, nil
		}
		b, _ := d.Clock(c.Max)
		return a + "–" + b, nil
	}
	return "", fmt.Errorf("Clock takes an agenda's time, not %T", v)
}

// DayTitle is the title of an agenda's day: its own, else "Day 2" in the
// page's language.
func (d *pageData) DayTitle(day *site.Day) string {
	if day.Title != "" {
		return day.Title
	}
	return i18n.Fill(d.T("day_n"), "n", d.Num(day.N))
}

// Num writes a number in the page's language's digits.
func (d *pageData) Num(n int) string { return i18n.Number(d.words(), n) }

// Label is how a page is named in lists and links, in the page's
// language: "Session 11: Next Steps" for a session, else its title.
func (d *pageData) Label(p *site.Page) string {
	switch p.Kind {
	case site.Session:
		return i18n.SessionLabel(d.words(), p.Session, p.Title)
	case site.Materials, site.Objectives, site.Worksheets, site.Search:
		return d.T(p.Kind.String()) // the pages flipchart makes, named in the page's language
	case site.Print:
		return d.T(editionKeys[p.Edition])
	}
	return p.Title
}

// editionKeys are the UI strings naming the print editions.
var editionKeys = map[site.Edition]string{site.GuideEdition: "trainer_edition", site.ParticipantEdition: "participant_edition", site.WorksheetEdition: "worksheets"}

// PluralForms are the forms of a UI string with a number (search_count)
// as JSON, by plural category, for a script that counts: {"one": "{n}
// page found", "other": "{n} pages found"}.
func (d *pageData) PluralForms(key string) string {
	forms := map[string]string{}
	for _, c := range i18n.PluralCategories {
		if s := d.T(key + "." + c); s != key+"."+c {
			forms[c] = s
		}
	}
	if len(forms) == 0 {
		forms["other"] = d.T(key)
	}
	b, _ := json.Marshal(forms)
	return string(b)
}

// PrintCSS is the print stylesheet of the page's language.
func (d *pageData) PrintCSS() string { return d.lang.printCSSFile() }

// FollowsModule says a page of a print edition comes right after its
// module's introduction, and so shares its printed page.
func (d *pageData) FollowsModule(p *site.Page) bool {
	return p.Prev != nil && p.Prev == p.Parent && p.Parent.Kind == site.Module
}

// Follower is the page that shares the printed page of a module's
// introduction (see FollowsModule), or nil: the module's section takes the
// running head of that session.
func (d *pageData) Follower(p *site.Page) *site.Page {
	if p.Kind == site.Module && p.Next != nil && d.FollowsModule(p.Next) {
		return p.Next
	}
	return nil
}

// Duplex says the manual is printed on both sides of the paper ([print]
// duplex): each page of a print edition starts on a right-hand page.
func (d *pageData) Duplex() bool { return d.r.site.Config.Duplex }

// LangLink is a language of the manual, for the language switcher: the
// page in that language, or the language's home page when it leaves the
// page out.
type LangLink struct {
	Code, Name, Dir string
	Link            string // relative link from the page
	Current         bool   // the page's own language
	// Alternate says the language has this page translated (or is the
	// page's own): the page's rel="alternate" hreflang links name those.
	Alternate bool
	Page      *site.Page
}

// Languages are the manual's languages with this page in each, the
// manual's own first; none for a manual in one language.
func (d *pageData) Languages() []LangLink {
	s := d.Site.site
	if d.r == nil || len(d.r.site.Langs) < 2 {
		return nil
	}
	var out []LangLink
	for _, l := range d.r.site.Langs {
		q := d.Page.In(l)
		alt := q != nil && !q.Fallback
		if q == nil {
			q = l.Home
		}
		out = append(out, LangLink{Code: l.Lang.Code, Name: l.Lang.Name, Dir: l.Lang.Dir,
			Link: d.Page.LinkTo(q), Current: l == s, Alternate: alt, Page: q})
	}
	return out
}

// ContentLang is the language of the page's text: the manual's own for a
// page shown untranslated (see Untranslated), else the page's.
func (d *pageData) ContentLang() *config.Language {
	if d.Page.Fallback {
		return &d.r.site.Config.Languages[0]
	}
	return d.Page.Lang()
}

// Untranslated is the notice on a page shown in the manual's own language
// because it has no translation into the page's: "" for any other page.
func (d *pageData) Untranslated() string {
	if !d.Page.Fallback {
		return ""
	}
	own := d.r.site.Config.Languages[0]
	return i18n.Fill(d.T("untranslated"), "language", d.LangName(d.Page.Lang()), "source", d.LangName(&own))
}

// LangName is a language's name in the page's language, as a sentence
// says it: its UI string lang_<code> ("inglés" in Spanish), else its name
// in itself.
func (d *pageData) LangName(l *config.Language) string {
	if s := d.T("lang_" + l.Code); s != "lang_"+l.Code {
		return s
	}
	return l.Name
}

// LangOf is the lang attribute of what shows page p's title, when it is in
// another language than the pages of its graph's (p is shown
// untranslated): "" else. It depends on p alone, so that the pieces made
// once for many pages (the contents) may use it. It gives no dir: a title
// in a list keeps the list's alignment, its letters their own direction.
func (d *pageData) LangOf(p *site.Page) template.HTMLAttr {
	if p == nil || !p.Fallback {
		return ""
	}
	own := d.r.site.Config.Languages[0]
	return template.HTMLAttr(` lang="` + own.Code + `"`)
}
