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
	"io"
	"io/fs"
	"maps"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"

	"flipchart/generator/content"
	"flipchart/generator/diag"
	"flipchart/generator/links"
	"flipchart/generator/markup"
	"flipchart/generator/search"
	"flipchart/generator/site"
)

// Writer receives the files of the built site. WriteFile must not keep
// data once it returns: the buffer is used again for the next file.
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
	site       *site.Site
	theme      *Theme
	src        fs.FS // the site's folder, for content assets
	md         *markup.Markdown
	tmpl       *Templates
	strings    map[string]string
	data       *siteData // the manual's own language's
	langs      map[*site.Site]*langData
	own        *langData             // the manual's own language's
	bySrc      map[string]*site.Page // content path -> page
	failed     map[string]bool       // content paths that did not load
	files      map[string]bool       // static files written, for .Asset
	pdfs       map[string]string     // PDFs printed, by the Out of the page printed
	release    bool                  // drop each page's Markdown once rendered
	track      bool                  // record what each file used, for a later render in part
	stream     *printStream          // the editions' sections, made in the first round
	missing    sync.Map              // files .Asset was asked for that do not exist
	cached     sync.Map              // output of .Cached templates, by name, depth and variants
	assets     map[string]bool       // content assets by path, for exists
	assetsOnce sync.Once
	links      *links.Index // every file written, its IDs and links
	bodiesMu   sync.Mutex
	bodies     map[*site.Page][]byte // see bodyOf
	reuse      *PrintReuse           // see ReusePrints
	marks      printMarks            // the print editions' sections
	keySets    map[string]keySet     // the sets of UI strings pages asked for, shared, by joined keys
	usesMu     sync.Mutex
	uses       map[string]*uses // what rendering each output file used
	// indexes are the search indexes being made, one per language, by
	// its code: see indexPage.
	indexes map[string]*searchIndex
}

// New prepares a renderer: it parses the templates and UI strings. failed
// names the content files that did not load, whose errors are reported
// already.
func New(s *site.Site, th *Theme, src fs.FS, md *markup.Markdown, failed map[string]bool) (*Renderer, *diag.Diagnostic) {
	r := &Renderer{site: s, theme: th, src: src, md: md, bySrc: map[string]*site.Page{}, failed: failed, track: true}
	r.indexSources()
	var d *diag.Diagnostic
	if r.tmpl, d = th.LoadTemplates(funcs); d != nil {
		return nil, d
	}
	if r.strings, d = th.LoadStrings(s.Config); d != nil {
		return nil, d
	}
	r.initLangs()
	r.setLinks(links.NewIndex())
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

// ForOneBuild makes the renderer use less memory for a build that is not
// rendered again: each page's Markdown is dropped once rendered, and the
// guide's and the participants' editions are written while the pages are
// rendered, from sections each page makes of its body, rather than from
// bodies kept until the end.
func (r *Renderer) ForOneBuild() { r.release, r.track = true, false }

// Track makes a renderer for one build record what each file used all the
// same, for a build cache (see State).
func (r *Renderer) Track() { r.track = true }

// keepBody keeps a page's rendered body for the print editions, unless they
// are made as the pages are.
func (r *Renderer) keepBody(p *site.Page, body []byte) {
	if r.release {
		p.Source.Body = nil
	}
	if r.stream == nil {
		p.Derived.Body = body
	}
}

// SetPDFs tells the renderer which pages have been printed to which PDF
// (a path in the site), so pages can link them.
func (r *Renderer) SetPDFs(m map[string]string) {
	r.pdfs = m
	for _, f := range m {
		r.links.Add(f)
	}
}

// Links is the index of the files written: their IDs and links.
func (r *Renderer) Links() *links.Index { return r.links }

// UseLinks makes the renderer record into ix, the index of a site it
// renders again in part.
func (r *Renderer) UseLinks(ix *links.Index) { r.setLinks(ix) }

// Render writes the whole site to w, then checks every link of every file
// written. Problems go to diags.
func (r *Renderer) Render(w Writer, diags *diag.List) Stats {
	var st Stats
	st.Files = r.static(w, diags)
	// Every page is rendered, into w: the search index is made whole.
	for _, x := range r.indexes {
		x.mu.Lock()
		x.cur, x.last = nil, nil
		x.mu.Unlock()
	}
	first, second := Rounds(r.site.All())
	st.Pages = len(r.RenderPages(first, second, w, diags))
	r.FinishIndex(w, diags)
	st.Files += len(r.SearchFiles())
	r.links.Report(nil, diags)
	return st
}

// Rounds splits pages into the two rounds of rendering: the pages written by
// authors, then the pages made of others (agendas, the materials, objectives
// and worksheets pages, print editions). Handouts and worksheets are left
// out: they are rendered with the page they are part of.
func Rounds(pages []*site.Page) (first, second []*site.Page) {
	for _, p := range pages {
		switch p.Kind {
		case site.Handout, site.Worksheet:
		case site.AgendaPage, site.Materials, site.Objectives, site.Worksheets, site.Print:
			second = append(second, p)
		default:
			first = append(first, p)
		}
	}
	return first, second
}

// RenderPages renders pages in two rounds on every core and returns the
// files of the pages it wrote. The first round renders pages written by
// authors, each session's handout with it, and learns from each what later
// pages need (merged materials, anchors, worksheets). The second renders
// the pages made of others, and the worksheets of the first round's pages.
// The links of what it wrote are checked by the caller, once every file
// they may lead to is written (see Render).
func (r *Renderer) RenderPages(first, second []*site.Page, w Writer, diags *diag.List) []string {
	var prints, rest []*site.Page
	for _, p := range second {
		if p.Kind == site.Print {
			prints = append(prints, p)
		} else {
			rest = append(rest, p)
		}
	}
	var streamed *streamedPrints
	work := first
	// The editions of a manual in several languages are made after the
	// pages, each of its language's.
	if _, ok := w.(Streamer); ok && r.release && r.stream == nil && len(prints) > 0 && r.printsBySection() && len(r.site.Langs) < 2 {
		prints, work, streamed = r.startStream(first, prints, w, diags)
	}
	inFirst := make(map[*site.Page]bool, len(first))
	for _, p := range first {
		inFirst[p] = true
	}
	written := r.parallel(work, w, diags, func(_ int, p *site.Page, j *job) {
		if r.stream != nil {
			defer r.stream.done(p)
		}
		if inFirst[p] {
			r.page(p, j)
		} else {
			r.sectionOnly(p, j)
		}
	})
	r.site.AddWorksheets(diags)
	for _, p := range first {
		if p.Derived != nil {
			rest = append(rest, p.Derived.Worksheets...)
		}
	}
	// Print editions read what every other page learnt: they come last.
	for _, round := range [][]*site.Page{rest, prints} {
		written = append(written, r.parallel(round, w, diags, func(_ int, p *site.Page, j *job) {
			r.page(p, j)
		})...)
	}
	if streamed != nil {
		<-streamed.done
		diags.Merge(&streamed.diags)
		written = append(written, streamed.written...)
		r.stream = nil // its sections are taken: another render makes its own
	}
	r.missing.Range(func(k, v any) bool {
		diags.Add("render", diag.Warnf("", 0, 0, "the templates of %s (and maybe other pages) link %s, which no layer of the theme provides", v, k).
			WithHint("add static/%s to the site or the theme, or remove the link", k))
		return true
	})
	return written
}

// printsBySection reports whether the print editions' template makes each
// page's section with print-page, so the sections can be made as the pages
// render; one that writes each item's .Body itself gets the bodies kept.
func (r *Renderer) printsBySection() bool {
	t := r.tmpl.byName[templateFor(r.site.Prints[site.GuideEdition])]
	return t != nil && t.Lookup("print-page") != nil
}

// streamedPrints are editions written while the first round renders.
type streamedPrints struct {
	done    chan struct{}
	diags   diag.List
	written []string
}

// startStream starts writing the guide's and the participants' editions,
// which take each page's section as the first round makes it. It returns
// the print editions left to render at the end, and the first round's work
// in reading order, so the editions can write each section soon after it is
// made: the first round's pages, and the pages of the editions it does not
// render (agendas, rendered later), whose sections it makes alone.
func (r *Renderer) startStream(first, prints []*site.Page, w Writer, diags *diag.List) (left, work []*site.Page, sp *streamedPrints) {
	inFirst := make(map[*site.Page]bool, len(first))
	for _, p := range first {
		inFirst[p] = true
	}
	var pages []*site.Page
	for _, p := range r.site.Pages {
		if p.Source != nil || p.Kind == site.Home {
			pages = append(pages, p)
		}
	}
	r.stream = newPrintStream(r, pages)
	queued := make(map[*site.Page]bool, len(first))
	for _, p := range r.site.Pages {
		// An agenda's sections are made in the first round for the
		// editions alone; its page waits for the second.
		if inFirst[p] || p.Source != nil && r.stream.has(p) {
			work = append(work, p)
			queued[p] = true
		}
	}
	for _, p := range first {
		if !queued[p] {
			work = append(work, p)
		}
	}
	for _, p := range pages {
		if p.Source == nil {
			r.stream.make(r, p, nil, diags) // a home page with no body
		}
	}
	var editions []*site.Page
	for _, p := range prints {
		if p.Edition == site.WorksheetEdition {
			left = append(left, p)
		} else {
			editions = append(editions, p)
		}
	}
	sp = &streamedPrints{done: make(chan struct{})}
	go func() {
		defer close(sp.done)
		sp.written = r.parallel(editions, w, &sp.diags, func(_ int, p *site.Page, j *job) { r.page(p, j) })
	}()
	return left, work, sp
}

// sectionOnly makes the sections of a page rendered in a later round, for
// the editions written now. Its problems are reported when it is rendered.
func (r *Renderer) sectionOnly(p *site.Page, j *job) {
	body, err := p.Source.ReadBody(r.src)
	if err != nil {
		return
	}
	res, err := r.md.Render(body, r.markupOptions(p, nil))
	if err != nil {
		return
	}
	r.stream.make(r, p, res.HTML, &diag.List{})
	res.Release()
}

// WithSite returns a renderer of another assembly of the same site (after an
// edit), sharing this one's templates, strings and static files.
func (r *Renderer) WithSite(s *site.Site, failed map[string]bool) *Renderer {
	n := &Renderer{site: s, theme: r.theme, src: r.src, md: r.md, tmpl: r.tmpl, strings: r.strings,
		bySrc: map[string]*site.Page{}, failed: failed, files: r.files, pdfs: r.pdfs, links: r.links, track: r.track}
	n.KeepUses(r)
	n.reuse, n.marks.last = r.reuse, r.marks.last
	n.indexSources()
	n.initLangs()
	n.KeepIndex(r)
	return n
}

// RenderOne renders one page of the second round (a print edition) to w,
// on its own: its links are made relative but not recorded in Links, since
// it is made on request, not with the site.
func (r *Renderer) RenderOne(p *site.Page, w Writer, diags *diag.List) {
	ix := links.NewIndex()
	ix.SetPolicy(r.linkPolicy())
	j := &job{w: w, links: ix}
	r.page(p, j)
	diags.Merge(&j.diags)
}

// Static writes the static files again (after one of them changed).
func (r *Renderer) Static(w Writer, diags *diag.List) int { return r.static(w, diags) }

// Publishes reports whether the last run of Static wrote the file name:
// a static file one layer no longer has may still come from another.
func (r *Renderer) Publishes(name string) bool { return r.files[name] }

// job is one worker's state: its buffer, its problems, and where it writes.
type job struct {
	w       Writer
	links   *links.Index // where the files' links are recorded
	buf     bytes.Buffer
	out     []byte // buf with its links rewritten
	strip   []byte // a body without what is for trainers only
	diags   diag.List
	written []string // the files of the pages written
	// index is the search index the job adds pages to, with indexer.
	index   *search.Index
	indexer *search.Worker
}

// origin says where the links of a page's file come from: its Markdown's
// links at their lines in its file, and its template.
func (r *Renderer) origin(p *site.Page, md []markup.Link) *links.Origin {
	o := &links.Origin{File: p.File(), Template: r.tmpl.shown[templateFor(p)], Note: r.langOf(p).note}
	if p.Source != nil && len(md) > 0 {
		o.Links = make([]links.Link, len(md))
		for i, l := range md {
			o.Links[i] = links.Link{URL: l.URL, Line: p.Source.BodyLine + l.Line - 1, Col: l.Col}
		}
	}
	return o
}

// jobKeep is the largest buffer a worker keeps for its next page. A larger
// page (the home page or the materials page of a large manual) lets its
// buffers go, else they would stay on the heap, scanned at every collection,
// until the round ends.
const jobKeep = 1 << 20

// write executes a page's template and writes the page, its links made
// relative to it.
func (j *job) write(r *Renderer, d *pageData) {
	defer j.trim()
	p := d.Page
	j.buf.Reset()
	t := r.tmpl.byName[templateFor(p)]
	if err := t.ExecuteTemplate(&j.buf, "baseof.html", d); err != nil {
		td := templateError(err, r.tmpl.shown)
		td.Msg = fmt.Sprintf("rendering %s: %s", p.Out, td.Msg)
		j.diags.Add("render", td)
		return
	}
	html := j.buf.Bytes()
	if p.Kind == site.Print {
		html = stripMarks(html)
	}
	j.out = j.links.RewriteTo(j.out, p.Out, html, r.origin(p, d.links))
	data := j.out
	if err := j.w.WriteFile(p.Out, data); err != nil {
		j.diags.Add("render", diag.Errorf(p.File(), 0, 0, "cannot write %s: %v", p.Out, err))
		return
	}
	j.written = append(j.written, p.Out)
	r.record(p, d)
}

// trim drops the worker's buffers when a large page made them larger than
// jobKeep.
func (j *job) trim() {
	if j.buf.Cap() > jobKeep {
		j.buf = bytes.Buffer{}
	}
	if cap(j.out) > jobKeep {
		j.out = nil
	}
	if cap(j.strip) > jobKeep {
		j.strip = nil
	}
}

// Streamer is a Writer that can also take a file as it is written, so a
// page as large as the whole manual is not held in memory.
type Streamer interface {
	Stream(name string, write func(io.Writer) error) error
}

// stream executes a page's template straight into its file when the writer
// can take it so, else like write.
func (j *job) stream(r *Renderer, d *pageData) {
	st, ok := j.w.(Streamer)
	if !ok {
		j.write(r, d)
		return
	}
	p := d.Page
	t := r.tmpl.byName[templateFor(p)]
	err := st.Stream(p.Out, func(w io.Writer) error {
		var mw *markWriter
		if p.Kind == site.Print {
			var glue map[string]string
			if last := r.marks.last[p.Out]; last != nil && d.old != nil {
				glue = last.Glue
			}
			mw = newMarkWriter(w, d.old, d.keep, glue)
			w = mw
		}
		lw := j.links.Stream(p.Out, w, r.origin(p, nil))
		if err := t.ExecuteTemplate(lw, "baseof.html", d); err != nil {
			return err
		}
		if err := lw.Close(); err != nil {
			return err
		}
		if mw == nil {
			return nil
		}
		if err := mw.Close(); err != nil {
			return err
		}
		r.recordPrint(d, mw.state)
		return nil
	})
	if err != nil {
		td := templateError(err, r.tmpl.shown)
		td.Msg = fmt.Sprintf("rendering %s: %s", p.Out, td.Msg)
		j.diags.Add("render", td)
		return
	}
	j.written = append(j.written, p.Out)
	r.record(p, d)
}

// parallel runs fn for each page on every core and returns the files of the
// pages written.
func (r *Renderer) parallel(pages []*site.Page, w Writer, diags *diag.List, fn func(int, *site.Page, *job)) []string {
	workers := min(runtime.GOMAXPROCS(0), max(len(pages), 1))
	jobs := make([]*job, workers)
	next := make(chan int)
	var wg sync.WaitGroup
	for k := range jobs {
		jobs[k] = &job{w: w, links: r.links}
		wg.Add(1)
		go func(j *job) {
			defer wg.Done()
			for i := range next {
				fn(i, pages[i], j)
			}
		}(jobs[k])
	}
	for i := range pages {
		next <- i
	}
	close(next)
	wg.Wait()
	var written []string
	for _, j := range jobs {
		diags.Merge(&j.diags)
		written = append(written, j.written...)
	}
	return written
}

// page renders one page (and a session's handout).
func (r *Renderer) page(p *site.Page, j *job) {
	d := r.newData(p)
	switch {
	case p.Kind == site.Handout && p.Of != nil:
		r.handoutAlone(p, j)
		return
	case p.Kind == site.Worksheet:
		res := r.markdown(p, p.Derived.WorksheetSource, true, j)
		if res == nil {
			return
		}
		d.Content = template.HTML(markup.StripTrainers(res.HTML)) // participants fill it in
		// Its links' lines count from the worksheet, not the file: a
		// broken one is reported at its line in the session's page.
		j.write(r, d)
		return
	case p.Kind == site.Print:
		if s := r.stream; s != nil && p.Edition != site.WorksheetEdition {
			d.Print = r.printItems(p, s.pages, s.anchors, s, &j.diags)
		} else {
			pages := r.printPages(p)
			d.Print = r.printItems(p, pages, printAnchors(pages), nil, &j.diags)
		}
		if keep := r.keepPlan(p, d.Print); len(keep) > 0 {
			if f, err := r.reuse.Open(p.Out); err == nil {
				d.keep, d.old = keep, f
				defer f.Close()
				if len(d.Print) > 0 {
					d.Print[0].shared.keep = keep // the edition's items share it
				}
			}
		}
		j.stream(r, d)
		return
	case p.Source == nil:
		j.write(r, d)
		return
	}
	body, err := p.Source.ReadBody(r.src)
	if err != nil {
		j.diags.Add("render", diag.Errorf(p.File(), 0, 0, "cannot read: %v", err))
		return
	}
	res := r.markdown(p, body, false, j)
	if res == nil {
		return
	}
	d.Content = template.HTML(res.HTML) // goldmark escapes; raw HTML is off
	d.Headings = res.Headings
	d.links = res.Links
	p.Derived = r.derive(p, res, &j.diags)
	if r.langOf(p).site.site.Search != nil && search.Indexed(p) {
		r.indexPage(p, res, j)
	}
	r.keepBody(p, res.HTML)
	if r.stream != nil {
		r.stream.make(r, p, res.HTML, &j.diags)
	}
	j.write(r, d)
	if h := p.Handout; h != nil {
		h.Derived = p.Derived
		r.writeHandout(h, d.Headings, res, j)
	}
	if r.stream != nil {
		res.Release() // the body is not kept: the editions have their copies
	}
}

// searchIndex is the search index a renderer makes: the one being made,
// from the pages rendered since the last was finished, and the last.
type searchIndex struct {
	mu   sync.Mutex
	cur  *search.Index
	last *search.State
}

func (x *searchIndex) state() *search.State {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.last
}

// indexPage adds page p, rendered to res, to the search index being made.
func (r *Renderer) indexPage(p *site.Page, res *markup.Result, j *job) {
	ld := r.langOf(p)
	x := r.indexes[ld.code]
	x.mu.Lock()
	if x.cur == nil {
		x.cur = search.NewIndex(ld.site.site, x.last, ld.lookup)
	}
	ix := x.cur
	x.mu.Unlock()
	if j.index != ix {
		j.index, j.indexer = ix, ix.Worker()
	}
	if err := j.indexer.Add(j.w, p, res.HTML, res.Headings, res.Containers); err != nil {
		j.diags.Add("render", diag.Errorf("", 0, 0, "%v", err))
	}
}

// FinishIndex writes the rest of the search index once the pages of a build,
// or of an update of one, are rendered: from the pages rendered since the
// last index, and the last index's files, which w reads when it can (the
// dev server's site in memory, a build from the cache). It returns the
// files of the last index the new one no longer has, for the caller to
// remove.
func (r *Renderer) FinishIndex(w Writer, diags *diag.List) (gone []string) {
	for _, ld := range r.langList() {
		if ld.site.site.Search != nil {
			gone = append(gone, r.finishIndex(ld, w, diags)...)
		}
	}
	return gone
}

// finishIndex is FinishIndex for the pages of one language.
func (r *Renderer) finishIndex(ld *langData, w Writer, diags *diag.List) (gone []string) {
	x := r.indexes[ld.code]
	x.mu.Lock()
	defer x.mu.Unlock()
	ix := x.cur
	if ix == nil {
		ix = search.NewIndex(ld.site.site, x.last, ld.lookup)
	}
	old, _ := w.(search.Reader)
	st, err := ix.Finish(w, old)
	x.cur = nil
	if err != nil {
		diags.Add("render", diag.Errorf("", 0, 0, "%v", err))
		return nil
	}
	now := map[string]bool{}
	for _, f := range st.Files() {
		now[f] = true
	}
	for _, f := range x.last.Files() {
		if !now[f] {
			gone = append(gone, f)
		}
	}
	x.last = st
	return gone
}

// SearchFiles are the files of the search indexes last finished.
func (r *Renderer) SearchFiles() []string {
	var out []string
	for _, ld := range r.langList() {
		out = append(out, r.indexes[ld.code].state().Files()...)
	}
	return out
}

// KeepIndex makes r, a renderer of the same site with other templates,
// start from the search indexes o last finished.
func (r *Renderer) KeepIndex(o *Renderer) {
	for code, x := range r.indexes {
		if ox := o.indexes[code]; ox != nil {
			x.last = ox.state()
		}
	}
}

// newData is the data of page p's templates.
func (r *Renderer) newData(p *site.Page) *pageData {
	d := r.dataOf(p)
	if r.track {
		d.used = map[string]bool{} // what a dev server re-renders the page for
		if p.Source != nil || p.Kind == site.Print {
			// The words its Markdown is rendered with.
			for _, k := range markupKeys {
				d.used[d.lang.prefix+k] = true
			}
		}
	}
	return d
}

// writeHandout writes a session's handout from the session's rendered body.
func (r *Renderer) writeHandout(h *site.Page, headings []markup.Heading, res *markup.Result, j *job) {
	hd := r.newData(h)
	hd.Headings = participantHeadings(headings)
	j.strip, _ = markup.CutTrainersTo(j.strip[:0], res.HTML)
	hd.Content = template.HTML(j.strip)
	hd.links = res.Links
	j.write(r, hd)
}

// handoutAlone renders a session's handout without its session, when only
// the handout may have changed. What rendering learnt of the session holds:
// its body did not change. Its problems are reported with the session.
func (r *Renderer) handoutAlone(h *site.Page, j *job) {
	p := h.Of
	// A handout of a site assembled again has learnt nothing yet: what it
	// shows of its session's worksheets is the session's.
	h.Derived = p.Derived
	body, err := p.Source.ReadBody(r.src)
	if err != nil {
		j.diags.Add("render", diag.Errorf(p.File(), 0, 0, "cannot read: %v", err))
		return
	}
	res, err := r.md.Render(body, r.markupOptions(p, nil))
	if err != nil {
		j.diags.Add("markup", diag.Errorf(p.File(), 0, 0, "cannot render Markdown: %v", err))
		return
	}
	r.writeHandout(h, res.Headings, res, j)
}

// participantHeadings are the headings of a page that participants get:
// none from a container for trainers only.
func participantHeadings(hs []markup.Heading) []markup.Heading {
	out := make([]markup.Heading, 0, len(hs))
	for _, h := range hs {
		if !h.Trainers {
			out = append(out, h)
		}
	}
	return out
}

// markdown renders Markdown of page p, the page's own or one worksheet of it
// (fillable), and reports its problems at their lines in p's file.
func (r *Renderer) markdown(p *site.Page, src []byte, fillable bool, j *job) *markup.Result {
	var refs map[string]bool // what a dev server re-renders the page for
	if r.track {
		refs = map[string]bool{}
	}
	opt := r.markupOptions(p, refs)
	render := r.md.Render
	if fillable {
		render = r.md.RenderWorksheet
	}
	res, err := render(src, opt)
	if err != nil {
		j.diags.Add("markup", diag.Errorf(p.File(), 0, 0, "cannot render Markdown: %v", err))
		return nil
	}
	res.Refs = refs
	if fillable {
		return res // its problems were reported with the page it is part of
	}
	for _, pr := range res.Problems {
		d := diag.Errorf(p.File(), p.Source.BodyLine+pr.Line-1, pr.Col, "%s", pr.Msg)
		d.Hint = pr.Hint
		if pr.Warning {
			d.Severity = diag.Warning
		}
		j.diags.Add("markup", d)
	}
	return res
}

// markupOptions are the options of page p's Markdown; refs, when not nil,
// gets the pages it links to.
func (r *Renderer) markupOptions(p *site.Page, refs map[string]bool) *markup.Options {
	return &markup.Options{Linker: linker{r, p, refs}, AutoLink: r.site.Config.AutoLinkSessions, WorksheetFields: r.site.Config.WorksheetFields,
		HandoutMaterials: r.site.Config.HandoutMaterials, Words: r.langOf(p).lookup}
}

// TemplateFor names the template a page is rendered with.
func TemplateFor(p *site.Page) string { return templateFor(p) }

func templateFor(p *site.Page) string {
	switch p.Kind {
	case site.Home:
		return "home.html"
	case site.Module:
		return "module.html"
	case site.Session:
		return "session.html"
	case site.Handout:
		return "handout.html"
	case site.AgendaPage:
		return "agenda.html"
	case site.Materials:
		return "materials.html"
	case site.Objectives:
		return "objectives.html"
	case site.Worksheet:
		return "worksheet.html"
	case site.Worksheets:
		return "worksheets.html"
	case site.Print:
		return "print.html"
	case site.Search:
		return "search.html"
	}
	return "page.html"
}

// derive records what later pages need from a rendered page, and checks a
// session's exercises against its time.
func (r *Renderer) derive(p *site.Page, res *markup.Result, diags *diag.List) *site.Derived {
	d := &site.Derived{Materials: p.Materials}
	if len(res.Refs) > 0 {
		d.Refs = slices.Sorted(maps.Keys(res.Refs))
	}
	for i, c := range res.Containers {
		if c.Name != "worksheet" || c.Source == nil || c.Trainers {
			continue // a worksheet for trainers only stays in the guide
		}
		id := c.ID
		if id == "" {
			id = fmt.Sprintf("worksheet-%d", i+1)
		}
		title := c.Title
		if title == "" {
			title = p.Title
		}
		d.Worksheets = append(d.Worksheets, site.NewWorksheet(p, id, title, c.Source))
	}
	var exercises content.TimeRange
	for _, c := range res.Containers {
		if c.Name != "exercise" {
			continue
		}
		d.Materials = MergeMaterials(d.Materials, markup.SplitList(c.Attr("materials")))
		if t, err := content.ParseTimeRange(c.Attr("time")); err == nil {
			exercises = exercises.Add(t)
		}
	}
	if p.Kind == site.Session && !p.Time.IsZero() && exercises.Max > p.Time.Max {
		line, col := p.Source.TimePos()
		diags.Add("render", diag.Warnf(p.File(), line, col, "the exercises add up to %s, more than the session's %s", exercises, p.Time).
			WithHint("shorten the exercises or give the session more time"))
	}
	return d
}

// MergeMaterials appends to list the items of more it does not hold yet,
// compared without case; the first spelling wins.
func MergeMaterials(list, more []string) []string {
	out := list
	for _, m := range more {
		dup := false
		for _, have := range out {
			if strings.EqualFold(have, m) {
				dup = true
				break
			}
		}
		if !dup {
			if len(out) == len(list) {
				out = append([]string(nil), list...) // never write into the front matter's slice
			}
			out = append(out, m)
		}
	}
	return out
}

// linker resolves the links of one page's Markdown, and records the pages
// they reach, so an edit to one of those can re-render this page.
type linker struct {
	r    *Renderer
	p    *site.Page
	refs map[string]bool // content paths of the pages linked
}

// Link rewrites a link into the site, written from the site's root: a link
// to a .md file becomes the link to that page, anchor kept; any other (an
// image beside the file, or "/img/logo.png" from the site's root, a file of
// static/) the link to that file.
func (l linker) Link(dest string) (string, error) {
	p := l.p
	target, frag, _ := strings.Cut(dest, "#")
	if frag != "" {
		frag = "#" + frag
	}
	target, query, _ := strings.Cut(target, "?")
	if query != "" {
		query = "?" + query
	}
	if rooted, ok := strings.CutPrefix(target, "/"); ok {
		// From the site's root: a page by its .md file under content/, or
		// any file the site publishes, checked where it is published.
		if name := path.Clean("/" + rooted)[1:]; strings.HasSuffix(name, ".md") {
			return l.page(dest, strings.TrimPrefix(name, content.Dir+"/"), frag)
		}
		return dest, nil
	}
	joined := path.Join(path.Dir(p.Source.Path), target)
	if strings.HasPrefix(joined, "../") || joined == ".." {
		return "", fmt.Errorf("link %q points outside content/", dest)
	}
	if strings.HasSuffix(target, ".md") {
		return l.page(dest, joined, frag)
	}
	if !l.r.exists(joined) {
		return "", fmt.Errorf("link to %q: there is no file content/%s", dest, joined)
	}
	return "/" + joined + query + frag, nil
}

// indexSources maps each content file to its page, for links: the page
// itself, in the manual's own language, for a file shown in several.
func (r *Renderer) indexSources() {
	for _, p := range r.site.Pages {
		if p.Source != nil && r.bySrc[p.Source.Path] == nil {
			r.bySrc[p.Source.Path] = p
		}
	}
}

// page resolves a link to the page made of content/rel: in the linking
// page's language when the page is in it.
func (l linker) page(dest, rel, frag string) (string, error) {
	q := l.r.bySrc[rel]
	if q != nil && l.p.Site() != nil {
		if t := q.In(l.p.Site()); t != nil {
			q = t
		}
	}
	if q == nil && l.r.failed[rel] {
		return "", nil // that file's own errors are reported
	}
	if q == nil {
		return "", fmt.Errorf("link to %q: there is no content/%s (links to pages name their .md file, relative to this one or from the site's root)", dest, rel)
	}
	if l.refs != nil {
		l.refs[q.Source.Path] = true
	}
	return q.Href() + frag, nil
}

// exists reports whether a file beside the content (an image) or a static
// file will be at path in the site.
func (r *Renderer) exists(p string) bool {
	if r.files[p] {
		return true
	}
	r.assetsOnce.Do(func() {
		r.assets = make(map[string]bool, len(r.site.Assets))
		for _, a := range r.site.Assets {
			r.assets[a.Path] = true
		}
	})
	return r.assets[p]
}

// Session finds a session by number or slug.
func (l linker) Session(ref string) (markup.SessionRef, bool) {
	in := l.r.site
	if s := l.p.Site(); s != nil {
		in = s // a session of the page's language
	}
	q := in.Session(ref)
	if l.refs != nil {
		// What the reference found, or that it found nothing: a session
		// given the number or slug later makes it a link.
		to := ""
		if q != nil {
			to = q.Source.Path
		}
		l.refs[site.SessionRefKey(ref, to)] = true
	}
	if q == nil {
		return markup.SessionRef{}, false
	}
	if l.refs != nil {
		l.refs[q.Source.Path] = true
	}
	s := markup.SessionRef{Number: q.Session, Title: q.Title, Untranslated: q.Fallback && !l.p.Fallback}
	if q != l.p {
		s.URL = q.Href()
	}
	return s, true
}

// static writes the theme's static files (site files first), the
// highlighting stylesheet and content assets, and returns how many.
func (r *Renderer) static(w Writer, diags *diag.List) int {
	n := 0
	r.files = map[string]bool{}
	put := func(name string, data []byte, file string) {
		data = r.links.Rewrite(name, data, &links.Origin{File: file})
		switch {
		case strings.HasSuffix(name, ".css"):
			data = MinifyCSS(data)
		case strings.HasSuffix(name, ".js"):
			data = MinifyJS(data)
		}
		if err := w.WriteFile(name, data); err != nil {
			diags.Add("render", diag.Errorf(file, 0, 0, "cannot write %s: %v", name, err))
			return
		}
		r.files[name] = true
		n++
	}
	for _, p := range r.theme.Files("static") {
		fsys, file, ok := r.theme.Find(p)
		if !ok {
			// Listed but not readable: a symlink out of the site, or broken.
			diags.Add("render", diag.Warnf(p, 0, 0, "not published: it is a link to a file outside the site, or to nothing").
				WithHint("copy the file into the site instead of linking it"))
			continue
		}
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
	for _, ld := range r.langList() {
		put(ld.printCSSFile(), r.printCSS(ld), "config.toml")
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
