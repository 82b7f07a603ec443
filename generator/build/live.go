package build

import (
	"bytes"
	"fmt"
	"io/fs"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"flipchart/generator/config"
	"flipchart/generator/content"
	"flipchart/generator/diag"
	"flipchart/generator/links"
	"flipchart/generator/markup"
	"flipchart/generator/publish"
	"flipchart/generator/render"
	"flipchart/generator/site"
	"flipchart/generator/watch"
)

// Live is a site kept built in memory for the dev server, rebuilt in part
// after each change: a content edit re-renders only the changed page and
// the pages that show something of it; a template edit the pages that use
// the template; a stylesheet is copied; config.toml rebuilds everything.
type Live struct {
	opt Options
	src fs.FS

	mu      sync.Mutex
	cfg     *config.Config
	theme   *render.Theme
	sources map[string]*content.Source // by path relative to content/
	assets  []content.Asset
	failed  map[string]bool
	site    *site.Site
	r       *render.Renderer
	out     *publish.Memory // the last good site
	stale   bool            // the last update failed: rebuild everything next
	// folder, when set, is where Apply writes instead: a build from the
	// cache into a folder (see cache.go), which makes everything again
	// itself rather than in memory when Apply would.
	folder *folderOut
	// undo puts back what an update changed in place of the last good
	// site's pages, should it fail: the print editions of the site still
	// served are made from them.
	undo []func()
}

// Change is one changed path, relative to the site's folder.
type Change struct {
	Path string
	// Kind is what the watcher found the path to be; the zero Kind
	// (Ignored, or not set) has Apply classify the path itself.
	Kind    watch.Kind
	Removed bool
}

// kind is what the changed path is.
func (c Change) kind() watch.Kind {
	if c.Kind != watch.Ignored {
		return c.Kind
	}
	return watch.Classify(c.Path)
}

// Update is the outcome of a build or rebuild.
type Update struct {
	Result *Result
	// Site is the new site, or nil when the build failed and the last good
	// site stays.
	Site *publish.Memory
	// Rendered are the files of the pages rendered; Removed the files gone
	// from the site; Static the other files written again.
	Rendered, Removed, Static []string
	// CSSOnly is set when only stylesheets changed: a browser can swap them
	// without reloading the page.
	CSSOnly bool
	// Changed are the URLs of the content pages that changed, first first.
	Changed []string
	// Full is set when everything was rebuilt.
	Full bool
	// Why, when not "", says why every page was rendered again though
	// not everything was rebuilt: a change flipchart does not follow.
	Why string
}

// NewLive starts a live site on the folder src.
func NewLive(src fs.FS, opt Options) *Live {
	return &Live{src: src, opt: opt, stale: true}
}

// Build rebuilds everything.
func (l *Live) Build() *Update {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.full()
}

func (l *Live) full() *Update {
	if l.folder != nil {
		return &Update{Result: &Result{Diags: &diag.List{}}, Full: true}
	}
	start := time.Now()
	st := loadStages(l.src, l.opt, false)
	res := &Result{Diags: st.diags, Site: st.site}
	u := &Update{Result: res, Full: true}
	if st.r == nil || st.diags.HasErrors() {
		return l.failed_(u, start)
	}
	out := publish.NewMemory()
	st.r.UseLinks(links.NewLiveIndex()) // checked again in part after each edit
	res.Stats.Files = st.r.Static(out, st.diags)
	first, second := render.Rounds(st.site.All())
	u.Rendered = st.r.RenderPages(first, withoutPrint(second), out, st.diags)
	res.Stats.Pages = len(u.Rendered)
	st.r.FinishIndex(out, st.diags)
	for _, p := range st.site.Prints {
		st.r.Links().Add(p.Out) // made on request: see lazyPrints
	}
	st.r.Links().Report(nil, st.diags)
	if st.diags.HasErrors() {
		return l.failed_(u, start)
	}
	l.cfg, l.theme, l.site, l.r = st.cfg, st.theme, st.site, st.r
	l.failed, l.assets = st.content.Failed, st.content.Assets
	l.sources = map[string]*content.Source{}
	for _, src := range st.content.Sources {
		l.sources[src.Path] = src
	}
	l.lazyPrints(out)
	return l.done(u, out, start)
}

// withoutPrint leaves the print editions out: the dev server makes them
// when they are asked for.
func withoutPrint(pages []*site.Page) []*site.Page {
	return slices.DeleteFunc(slices.Clone(pages), func(p *site.Page) bool { return p.Kind == site.Print })
}

// lazyPrints registers the print editions, made on request from the state
// they are asked in.
func (l *Live) lazyPrints(out *publish.Memory) {
	// The renderer of this state: a failed update after this one leaves
	// this site served, and makes its own renderer (see Apply's undo).
	r := l.r
	for _, p := range l.site.Prints {
		r.Links().Add(p.Out)
		out.WriteLazy(p.Out, func() []byte {
			l.mu.Lock()
			defer l.mu.Unlock()
			mem := publish.NewMemory()
			r.RenderOne(p, mem, &diag.List{})
			b, _ := mem.Get(p.Out)
			return b
		})
	}
}

func (l *Live) failed_(u *Update, start time.Time) *Update {
	l.stale = true
	u.Result.Duration = time.Since(start)
	return u
}

func (l *Live) done(u *Update, out *publish.Memory, start time.Time) *Update {
	l.stale = false
	l.out = out
	u.Site = out
	u.Result.Duration = time.Since(start)
	sort.Strings(u.Rendered)
	return u
}

// Apply rebuilds what a batch of changes needs.
func (l *Live) Apply(changes []Change) *Update {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stale {
		return l.full()
	}
	l.undo = nil
	var md, assets, static, templates []Change
	for _, c := range changes {
		switch c.kind() {
		case watch.Config:
			return l.full()
		case watch.Content:
			md = append(md, c)
		case watch.Asset:
			assets = append(assets, c)
		case watch.StyleSheet, watch.Static:
			static = append(static, c)
		case watch.Layout, watch.Theme:
			// Theme is any file of a theme but its static ones: those the
			// templates and strings are not made of change nothing.
			templates = append(templates, c)
		}
	}
	if len(assets) > 0 || (len(templates) > 0 && len(md) > 0) {
		return l.full() // rare: new files beside the content, or both at once
	}
	if l.cfg.Multilingual() && len(md)+len(templates) > 0 {
		// A page of a manual in several languages is shown in each, from
		// its translations or from itself: rebuilt whole, never stale.
		return l.full()
	}
	start := time.Now()
	u := &Update{Result: &Result{Diags: &diag.List{}, Site: l.site}}
	var out outputs = l.folder
	var mem *publish.Memory
	if l.folder == nil {
		mem = l.out.Clone()
		out = mem
	}
	if len(static) > 0 {
		l.r.Static(out, u.Result.Diags)
		u.CSSOnly = len(md) == 0 && len(templates) == 0
		for _, c := range static {
			if c.kind() != watch.StyleSheet {
				u.CSSOnly = false
			}
			name := staticName(c.Path)
			// A file gone from one layer may still be in another (a
			// site's own over its theme's): Static wrote what is left.
			if c.Removed && !l.r.Publishes(name) {
				out.Remove(name)
				u.Removed = append(u.Removed, name)
			} else {
				u.Static = append(u.Static, name)
			}
		}
	}
	if len(templates) > 0 {
		l.templates(templates, out, u)
	}
	if len(md) > 0 {
		l.content(md, out, u)
	}
	if len(u.Rendered) > 0 && !u.Result.Diags.HasErrors() {
		l.reindex(out, u)
	}
	if !u.Result.Diags.HasErrors() {
		l.checkLinks(u)
	}
	if u.Result.Diags.HasErrors() {
		for _, f := range slices.Backward(l.undo) {
			f()
		}
		l.undo = nil
		return l.failed_(u, start)
	}
	u.Result.Stats.Pages = len(u.Rendered)
	if mem == nil {
		l.stale = false
		u.Result.Duration = time.Since(start)
		sort.Strings(u.Rendered)
		return u
	}
	l.lazyPrints(mem)
	return l.done(u, mem, start)
}

// reindex finishes the search index once pages were rendered: the parts
// and shards of the pages rendered again are made again, the others are
// the last index's (see package search). The files it no longer has are
// removed.
func (l *Live) reindex(out outputs, u *Update) {
	for _, f := range l.r.FinishIndex(out, u.Result.Diags) {
		out.Remove(f)
		u.Removed = append(u.Removed, f)
	}
}

// outputs is where Apply writes: the site in memory, or a folder.
type outputs interface {
	render.Writer
	Get(name string) ([]byte, bool)
	Remove(name string)
}

// checkLinks checks the links of the files an update wrote, and of the
// files linking into what it wrote or removed.
func (l *Live) checkLinks(u *Update) {
	ix := l.r.Links()
	for _, name := range u.Removed {
		ix.Remove(name)
	}
	ix.ReportChanged(slices.Concat(u.Rendered, u.Static), u.Removed, u.Result.Diags)
}

// staticName is the file a static source is published as.
func staticName(p string) string {
	if strings.HasPrefix(p, "themes/") {
		parts := strings.SplitN(p, "/", 4)
		if len(parts) == 4 {
			return parts[3]
		}
	}
	return strings.TrimPrefix(p, "static/")
}

// templates reloads the templates and UI strings and re-renders the files
// that may show the change, as the renderer tells them from what each file
// used: the template files its page's set is made of, the strings it asked
// for. A handout or worksheet renders with its session when the session
// does, else alone.
func (l *Live) templates(changes []Change, out outputs, u *Update) {
	r, d := render.New(l.site, l.theme, l.src, markup.New(), l.failed)
	if d != nil {
		u.Result.Diags.Add("render", d)
		return
	}
	r.UseLinks(l.r.Links())
	r.KeepUses(l.r)
	r.KeepIndex(l.r)
	paths := make([]string, len(changes))
	for i, c := range changes {
		paths[i] = c.Path
	}
	stale := r.StaleAfter(l.r, paths)
	if stale.All {
		u.Why = "templates changed in a way flipchart does not follow: " + stale.Why
	}
	l.r = r
	var pages, alone []*site.Page
	for _, p := range l.site.All() {
		if p.Kind == site.Print || !stale.Has(p.Out) {
			continue // print editions are made on request
		}
		if p.Kind == site.Handout && p.Of != nil && !stale.Has(p.Of.Out) {
			alone = append(alone, p)
		}
		pages = append(pages, p)
	}
	for _, w := range l.site.WorksheetPages {
		if stale.Has(w.Out) && (w.Of == nil || !stale.Has(w.Of.Out)) {
			alone = append(alone, w)
		}
	}
	first, second := render.Rounds(pages)
	u.Rendered = append(u.Rendered, r.RenderPages(first, append(second, alone...), out, u.Result.Diags)...)
}

// content applies edits of Markdown files.
func (l *Live) content(changes []Change, out outputs, u *Update) {
	diags := u.Result.Diags
	structural := false
	var changed []string // paths relative to content/
	for _, c := range changes {
		rel := strings.TrimPrefix(c.Path, content.Dir+"/")
		old := l.sources[rel]
		if c.Removed {
			if old != nil {
				delete(l.sources, rel)
				structural = true
			}
			continue
		}
		data, err := fs.ReadFile(l.src, c.Path)
		if err != nil {
			// Gone between the event and now: a rename save in progress,
			// or a delete the batch did not see.
			if old != nil {
				delete(l.sources, rel)
				structural = true
			}
			continue
		}
		src := content.Parse(c.Path, data, diags)
		if src == nil {
			l.failed[rel] = true
			continue
		}
		delete(l.failed, rel)
		// Front matter as it was is a body edit: nothing another page
		// shows changed. Else site.Diff finds what did. An agenda's days
		// are not in FrontMatter: the site stage reads them.
		if old == nil || !reflect.DeepEqual(old.Front, src.Front) || src.Front.Type == "agenda" {
			structural = true
		}
		l.sources[rel] = src
		changed = append(changed, rel)
	}
	if diags.HasErrors() {
		return
	}
	if !structural {
		l.bodyEdit(changed, out, u)
		return
	}
	l.reassemble(changed, out, u)
}

// bodyEdit re-renders pages whose front matter did not change: the pages
// themselves (with their handouts and worksheets), and the pages made from
// their bodies: agendas listing them and the materials page.
func (l *Live) bodyEdit(changed []string, out outputs, u *Update) {
	var first, second []*site.Page
	touched := map[*site.Page]bool{}
	// Run last, once the pages are put back: the worksheets they had.
	s := l.site
	l.undo = append(l.undo, func() { s.AddWorksheets(&diag.List{}) })
	for _, rel := range changed {
		p := l.site.PageOf(rel)
		if p == nil {
			continue // a draft
		}
		l.undo = append(l.undo, undoPage(p))
		p.Source = l.sources[rel]
		if p.Handout != nil {
			p.Handout.Source = p.Source
		}
		touched[p] = true
		first = append(first, p)
		u.Changed = append(u.Changed, p.URL)
	}
	for _, a := range l.site.Agendas {
		for _, q := range a.Schedule.Sessions() {
			if touched[q] {
				second = append(second, a)
				break
			}
		}
	}
	if l.site.Materials != nil {
		second = append(second, l.site.Materials)
	}
	old := worksheetOuts(first)
	before := materialsOf(first)
	sheets := worksheetsOf(first)
	u.Rendered = append(u.Rendered, l.r.RenderPages(first, nil, out, u.Result.Diags)...)
	// Agendas and the materials page show nothing else of a body than its
	// materials (from its exercises): they render again only when those
	// changed. At 10,000 sessions the materials page alone takes ~200 ms.
	if !maps.EqualFunc(before, materialsOf(first), slices.Equal[[]string]) {
		u.Rendered = append(u.Rendered, l.r.RenderPages(nil, second, out, u.Result.Diags)...)
	}
	// The list of worksheets shows their titles and links their pages.
	if ws := worksheetsOf(first); !slices.Equal(sheets, ws) && l.site.Worksheets != nil {
		u.Rendered = append(u.Rendered, l.r.RenderPages(nil, []*site.Page{l.site.Worksheets}, out, u.Result.Diags)...)
	}
	u.Removed = append(u.Removed, removeGone(out, old, worksheetOuts(first))...)
}

// undoPage returns what puts back the page's source and what rendering
// learnt of it, with its handout's.
func undoPage(p *site.Page) func() {
	src, derived := p.Source, p.Derived
	h := p.Handout
	var hsrc *content.Source
	var hderived *site.Derived
	if h != nil {
		hsrc, hderived = h.Source, h.Derived
	}
	return func() {
		p.Source, p.Derived = src, derived
		if h != nil {
			h.Source, h.Derived = hsrc, hderived
		}
	}
}

// materialsOf returns the merged materials of pages, as rendering learnt them.
func materialsOf(pages []*site.Page) map[*site.Page][]string {
	m := map[*site.Page][]string{}
	for _, p := range pages {
		if p.Derived != nil {
			m[p] = slices.Clone(p.Derived.Materials)
		}
	}
	return m
}

// worksheetsOf lists the files and titles of the worksheets of pages.
func worksheetsOf(pages []*site.Page) []string {
	var out []string
	for _, p := range pages {
		if p.Derived != nil {
			for _, w := range p.Derived.Worksheets {
				out = append(out, w.Out+"\x00"+w.Title)
			}
		}
	}
	return out
}

// worksheetOuts lists the files of the worksheets of pages.
func worksheetOuts(pages []*site.Page) map[string]bool {
	m := map[string]bool{}
	for _, p := range pages {
		if p.Derived != nil {
			for _, w := range p.Derived.Worksheets {
				m[w.Out] = true
			}
		}
	}
	return m
}

// removeGone removes from out the files in before that are not in after.
func removeGone(out outputs, before, after map[string]bool) []string {
	var gone []string
	for f := range before {
		if !after[f] {
			out.Remove(f)
			gone = append(gone, f)
		}
	}
	sort.Strings(gone)
	return gone
}

// reassemble rebuilds the site graph after pages were added, removed or had
// their front matter changed, and re-renders the edited pages and those
// site.Diff finds showing something changed of the graph: neighbours,
// modules, the home page, pages linking them, agendas, and the materials
// and objectives pages.
func (l *Live) reassemble(changed []string, out outputs, u *Update) {
	diags := u.Result.Diags
	c := &content.Content{Assets: l.assets, Failed: l.failed}
	for _, s := range l.sources {
		c.Sources = append(c.Sources, s)
	}
	sort.Slice(c.Sources, func(i, j int) bool { return c.Sources[i].Path < c.Sources[j].Path })
	oldSite := l.site
	s := site.Assemble(l.cfg, c, site.Options{Drafts: l.opt.Drafts}, diags)
	if diags.HasErrors() {
		return
	}
	// What rendering learnt of the pages that were not edited still holds.
	edited := map[string]bool{}
	for _, rel := range changed {
		edited[rel] = true
	}
	for _, p := range s.All() {
		if p.Source == nil || edited[p.Source.Path] || p.Kind == site.Handout {
			continue
		}
		if q := oldSite.PageOf(p.Source.Path); q != nil && q.Kind == p.Kind {
			p.Derived = q.Derived
		}
	}
	ch := site.Diff(oldSite, s)
	r := l.r.WithSite(s, l.failed)
	// A template that names a list of the site's pages (.Site.Agendas in
	// every page's header, .Site.Sessions) shows any change of them.
	var pages []*site.Page
	for _, p := range s.Pages {
		key := pathOf(p) // "" for a home page flipchart makes, as in Diff
		if ch.Render[key] || edited[key] || r.Shows(p, ch.Lists) {
			pages = append(pages, p)
		}
	}
	// Agendas are in the second round; in the first too, they would be
	// read while the pages they show are rendered.
	first, second := render.Rounds(pages)
	for _, p := range []*site.Page{s.Materials, s.Objectives, s.Search} {
		if p != nil && r.Shows(p, ch.Lists) {
			second = append(second, p)
		}
	}
	// A handout or worksheet renders with its page, or alone when only its
	// own template lists what changed.
	inFirst := map[*site.Page]bool{}
	for _, p := range first {
		inFirst[p] = true
	}
	for _, p := range s.Extra {
		if p.Kind == site.Handout && p.Of != nil && !inFirst[p.Of] && r.Shows(p, ch.Lists) {
			second = append(second, p)
		}
	}
	for _, p := range s.Pages {
		if !inFirst[p] && p.Derived != nil {
			for _, w := range p.Derived.Worksheets {
				if r.Shows(w, ch.Lists) {
					second = append(second, w)
				}
			}
		}
	}
	// The list of worksheets shows what rendering found: always again.
	second = append(second, s.Worksheets)
	var edits []*site.Page
	before := map[string][]string{}
	for _, rel := range changed {
		if p := s.PageOf(rel); p != nil {
			u.Changed = append(u.Changed, p.URL)
			edits = append(edits, p)
		}
		if q := oldSite.PageOf(rel); q != nil && q.Derived != nil {
			before[rel] = q.Derived.Materials
		}
	}
	oldOuts := map[string]bool{}
	for _, p := range oldSite.All() {
		oldOuts[p.Out] = true
	}
	for _, w := range oldSite.WorksheetPages {
		oldOuts[w.Out] = true
	}
	l.site, l.r = s, r
	u.Result.Site = s
	// The print stylesheet names every session, by number and title.
	if name, css := r.PrintCSS(); !bytesEqual(out, name, css) {
		out.WriteFile(name, css)
		u.Static = append(u.Static, name)
	}
	u.Rendered = append(u.Rendered, r.RenderPages(first, nil, out, diags)...)
	// An edit's body may change its materials (its exercises'), which the
	// agendas listing it and the materials page show.
	var more []*site.Page
	for _, p := range edits {
		var after []string
		if p.Derived != nil {
			after = p.Derived.Materials
		}
		if slices.Equal(before[pathOf(p)], after) {
			continue
		}
		for _, a := range s.Agendas {
			if a.Schedule != nil && slices.Contains(a.Schedule.Sessions(), p) {
				more = append(more, a)
			}
		}
		if s.Materials != nil {
			more = append(more, s.Materials)
		}
	}
	for _, p := range more {
		if !slices.Contains(second, p) {
			second = append(second, p)
		}
	}
	u.Rendered = append(u.Rendered, r.RenderPages(nil, second, out, diags)...)
	newOuts := map[string]bool{}
	for _, p := range s.All() {
		newOuts[p.Out] = true
	}
	for _, w := range s.WorksheetPages {
		newOuts[w.Out] = true
	}
	u.Removed = append(u.Removed, removeGone(out, oldOuts, newOuts)...)
}

// String describes an update in one line for the terminal.
func (u *Update) String() string {
	switch {
	case u.Site == nil:
		return fmt.Sprintf("build failed: %d errors; still serving the last good site", u.Result.Diags.Errors())
	case u.Full:
		return fmt.Sprintf("rebuilt everything: %d pages in %s", len(u.Rendered), u.Result.Duration.Round(time.Millisecond))
	case u.Why != "":
		return fmt.Sprintf("rebuilt everything (%s): %d pages in %s", u.Why, len(u.Rendered), u.Result.Duration.Round(time.Millisecond))
	case u.CSSOnly:
		return fmt.Sprintf("stylesheet %s in %s", strings.Join(u.Static, ", "), u.Result.Duration.Round(time.Millisecond))
	}
	return fmt.Sprintf("%d pages re-rendered in %s", len(u.Rendered), u.Result.Duration.Round(time.Microsecond))
}

// pathOf is the content path of a page, or "" for none or a page
// flipchart makes.
func pathOf(p *site.Page) string {
	if p == nil || p.Source == nil {
		return ""
	}
	return p.Source.Path
}

// bytesEqual reports whether out holds data as name.
func bytesEqual(out outputs, name string, data []byte) bool {
	b, ok := out.Get(name)
	return ok && bytes.Equal(b, data)
}
