package render

import (
	"bytes"
	"fmt"
	"html/template"
	"maps"
	"net/url"
	"slices"
	"strings"
	"sync"

	"flipchart/generator/diag"
	"flipchart/generator/i18n"
	"flipchart/generator/markup"
	"flipchart/generator/site"
)

// PrintItem is one page of a print edition: the page and the anchor its
// section starts at. Its section is made by the template print-page, either
// while the first round renders the page (a one-shot build streams the
// editions as their pages come) or when the edition's template asks for it,
// so a large manual's edition is never held in memory whole.
type PrintItem struct {
	Page   *site.Page
	Anchor string
	body   []byte       // the page's body for the edition, when made already
	shared *printShared // what the edition's items share
	index  int          // the item's place in the edition
}

// anchorOf names a page's section in a print edition: "p-day-3-11-next-steps".
func anchorOf(p *site.Page) string {
	s := strings.Trim(strings.ReplaceAll(p.URL, "/", "-"), "-")
	if s == "" {
		s = "home"
	}
	return "p-" + s
}

// printPages lists the pages of an edition, in reading order: every page of
// the manual (those that did not render are left out), or every worksheet.
func (r *Renderer) printPages(ed *site.Page) []*site.Page {
	in := r.langOf(ed).site.site // the edition's language's pages
	if ed.Edition == site.WorksheetEdition {
		return in.WorksheetPages
	}
	var pages []*site.Page
	for _, p := range in.Pages {
		if p.Derived != nil || p.Kind == site.Home {
			pages = append(pages, p)
		}
	}
	return pages
}

// printAnchors names each page's section in an edition, by URL.
func printAnchors(pages []*site.Page) map[string]string {
	anchors := make(map[string]string, len(pages))
	for _, p := range pages {
		anchors[p.URL] = anchorOf(p)
	}
	return anchors
}

// printItems lists the items of an edition of pages; with stream set, they
// take their sections from it.
func (r *Renderer) printItems(edition *site.Page, pages []*site.Page, anchors map[string]string, stream *printStream, diags *diag.List) []PrintItem {
	items := make([]PrintItem, len(pages))
	sh := &printShared{r: r, edition: edition, anchors: anchors, diags: diags, stream: stream, refs: r.pageRefs(edition, anchors)}
	if last := r.marks.last[edition.Out]; last != nil {
		sh.lastCuts = last.Cuts
	}
	if stream == nil {
		sh.pages, sh.cuts = make(map[string]*site.Page, len(pages)), map[string]map[string]bool{}
	}
	for i, p := range pages {
		if sh.pages != nil {
			sh.pages[anchors[p.URL]] = p
		}
		items[i] = PrintItem{Page: p, Anchor: anchors[p.URL], index: i, shared: sh}
	}
	return items
}

// Section is the page's whole section of the edition, made by the template
// print-page.
func (it PrintItem) Section() (template.HTML, error) {
	sh := it.shared
	if _, ok := sh.keep[it.Anchor]; ok {
		return template.HTML(markKeep + it.Anchor + markClose), nil
	}
	if sh.stream != nil {
		return template.HTML(it.markSection(sh.stream.take(it.index, sh.edition.Edition))), nil
	}
	sec, err := sh.r.printSection(it)
	return template.HTML(it.markSection(string(printBody(sh.edition, sec)))), err // the template's parts for trainers too
}

// cuts are the IDs the item's participants' section lacks.
func (it PrintItem) cuts() []string {
	if s := it.shared.stream; s != nil {
		return slices.Sorted(maps.Keys(s.cutOf(it.Anchor)))
	}
	return it.shared.cutList(it.Anchor)
}

// printSection runs the template print-page for one item.
func (r *Renderer) printSection(it PrintItem) ([]byte, error) {
	var b bytes.Buffer
	ed := it.shared.edition
	d := r.dataOf(ed)
	d.Item = &it
	if err := r.tmpl.byName[templateFor(ed)].ExecuteTemplate(&b, "print-page", d); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Body is the page's body for the edition: IDs made unique, links to pages
// of the edition made links within it, facilitator content left out of the
// participants' edition.
func (it PrintItem) Body() template.HTML {
	if it.body != nil {
		return template.HTML(it.body)
	}
	p, sh := it.Page, it.shared
	r := sh.r
	var body []byte
	switch {
	case p.Derived == nil:
	case sh.edition.Edition == site.WorksheetEdition:
		res, err := r.md.Render(p.Derived.WorksheetSource, r.markupOptions(p, nil))
		if err != nil {
			sh.diags.Add("render", diag.Errorf(p.File(), 0, 0, "cannot render worksheet %q for print: %v", p.Title, err))
			return ""
		}
		body = markup.StripTrainers(res.HTML) // the worksheets are for participants
	case sh.edition.Edition == site.ParticipantEdition:
		body, _ = markup.CutTrainers(sh.refs.add(rewriteForPrint(r.bodyOf(p), it.Anchor, sh.anchors), it.Anchor))
		return template.HTML(unlinkCut(string(body), it.Anchor, sh.cutOf))
	default:
		body = r.bodyOf(p)
	}
	return template.HTML(sh.refs.add(rewriteForPrint(body, it.Anchor, sh.anchors), it.Anchor))
}

// bodyOf is page p's rendered body: the one kept when p was rendered, or,
// for a page a build from the cache did not render again, rendered now
// (and kept, for the other editions).
func (r *Renderer) bodyOf(p *site.Page) []byte {
	if p.Derived == nil {
		return nil
	}
	if p.Derived.Body != nil || p.Source == nil {
		return p.Derived.Body
	}
	r.bodiesMu.Lock()
	defer r.bodiesMu.Unlock()
	if b, ok := r.bodies[p]; ok {
		return b
	}
	var html []byte
	if body, err := p.Source.ReadBody(r.src); err == nil {
		if res, err := r.md.Render(body, r.markupOptions(p, nil)); err == nil {
			html = slices.Clone(res.HTML)
			res.Release()
		}
	}
	if r.bodies == nil {
		r.bodies = map[*site.Page][]byte{}
	}
	r.bodies[p] = html
	return html
}

// printShared is what the items of one edition share.
type printShared struct {
	r       *Renderer
	edition *site.Page
	anchors map[string]string // by URL
	refs    pageRefs
	diags   *diag.List
	stream  *printStream // where the first round puts the sections, or nil
	// Without a stream: the pages by anchor, and the IDs each page's
	// participants' section lacks, made on demand (see cutOf).
	pages map[string]*site.Page
	mu    sync.Mutex
	cuts  map[string]map[string]bool
	// For a build from the cache: the IDs each participants' section of the
	// last build lacked, and the sections copied from its file.
	lastCuts map[string][]string
	keep     map[string]Span
}

// cutOf returns the IDs the participants' section with the anchor lacks.
func (sh *printShared) cutOf(anchor string) map[string]bool {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if cut, ok := sh.cuts[anchor]; ok {
		return cut
	}
	cut := map[string]bool{}
	last, known := sh.lastCuts[anchor]
	if q := sh.pages[anchor]; known && q != nil && q.Derived != nil && q.Derived.Body == nil {
		// A page a build from the cache did not render again: its body
		// is as the last build's, which lacked these.
		for _, id := range last {
			cut[id] = true
		}
	} else if p := sh.pages[anchor]; p != nil && p.Derived != nil {
		_, ids := markup.CutTrainers(rewriteForPrint(sh.r.bodyOf(p), anchor, sh.anchors))
		for _, id := range ids {
			cut[id] = true
		}
	}
	sh.cuts[anchor] = cut
	return cut
}

// printBody is a page's rendered body for an edition of pages: without the
// facilitator content in the participants' edition.
func printBody(edition *site.Page, body []byte) []byte {
	if edition.Edition == site.ParticipantEdition {
		return markup.StripTrainers(body)
	}
	return body
}

// printStream carries the sections of the guide's and the participants'
// editions from the first round, which makes them page by page on every
// core, to the editions' templates, which write them in reading order as
// they come. A section is dropped once its edition has taken it.
type printStream struct {
	pages    []*site.Page
	index    map[*site.Page]int
	anchors  map[string]string
	refs     pageRefs
	editions [2]*site.Page // the guide's and the participants'
	slots    []printSlot

	anchorsOnce sync.Once
	places      map[string]int // anchor -> index in pages, see byAnchor
}

type printSlot struct {
	ready chan struct{} // closed when the sections are put
	once  sync.Once
	secs  [2]string       // the section in each edition
	cut   map[string]bool // the IDs the participants' section lacks, nil when none
}

// bodyMark stands for the body in a section made once for both editions:
// raw HTML is off, so no body can hold it.
const bodyMark = "<!--fc:print-body-->"

func newPrintStream(r *Renderer, pages []*site.Page) *printStream {
	anchors := printAnchors(pages)
	s := &printStream{pages: pages, index: make(map[*site.Page]int, len(pages)),
		anchors: anchors, refs: r.pageRefs(r.site.Prints[site.GuideEdition], anchors), slots: make([]printSlot, len(pages)),
		editions: [2]*site.Page{r.site.Prints[site.GuideEdition], r.site.Prints[site.ParticipantEdition]}}
	for i, p := range pages {
		s.index[p] = i
		s.slots[i].ready = make(chan struct{})
	}
	return s
}

// has reports whether page p is part of the editions.
func (s *printStream) has(p *site.Page) bool {
	_, ok := s.index[p]
	return ok
}

// make makes page p's sections from its rendered body, when p is part of
// the editions: the template runs once, and the body is rewritten once.
func (s *printStream) make(r *Renderer, p *site.Page, body []byte, diags *diag.List) {
	i, ok := s.index[p]
	if !ok {
		return
	}
	anchor := s.anchors[p.URL]
	sh := &printShared{r: r, edition: s.editions[0], anchors: s.anchors, diags: diags}
	it := PrintItem{Page: p, Anchor: anchor, shared: sh, body: []byte(bodyMark)}
	sec, err := r.printSection(it)
	if err != nil {
		td := templateError(err, r.tmpl.shown)
		td.Msg = fmt.Sprintf("rendering %s: %s", sh.edition.Out, td.Msg)
		diags.Add("render", td)
		s.done(p)
		return
	}
	// The bodies are copied into the sections: their buffers serve again.
	b := printBufs.Get().(*printBuf)
	b.guide = rewriteForPrintTo(b.guide[:0], body, anchor, s.anchors)
	b.guide = s.refs.add(b.guide, anchor)
	var cut []string
	b.participants, cut = markup.CutTrainersTo(b.participants[:0], b.guide)
	if len(cut) > 0 {
		s.slots[i].cut = make(map[string]bool, len(cut))
		for _, id := range cut {
			s.slots[i].cut[id] = true
		}
	}
	s.put(i, [2]string{splice(sec, b.guide), splice(markup.StripTrainers(sec), b.participants)})
	if cap(b.guide) <= printBufKeep && cap(b.participants) <= printBufKeep {
		printBufs.Put(b)
	}
}

// printBuf holds a page's bodies for the editions while its sections are
// made.
type printBuf struct{ guide, participants []byte }

var printBufs = sync.Pool{New: func() any { return new(printBuf) }}

// printBufKeep is the largest buffer printBufs keeps.
const printBufKeep = 1 << 20

// splice returns the section sec with its body put in, as a string the
// edition's template writes as it is.
func splice(sec, body []byte) string {
	before, after, ok := bytes.Cut(sec, []byte(bodyMark))
	if !ok {
		return string(sec) // a template that does not show the body
	}
	var b strings.Builder
	b.Grow(len(sec) + len(body))
	b.Write(before)
	b.Write(body)
	b.Write(after)
	return b.String()
}

// done closes page p's place in the editions, empty unless its sections
// were put: a page that failed to render is reported on its own.
func (s *printStream) done(p *site.Page) {
	if i, ok := s.index[p]; ok {
		s.put(i, [2]string{})
	}
}

func (s *printStream) put(i int, secs [2]string) {
	slot := &s.slots[i]
	slot.once.Do(func() {
		slot.secs = secs
		close(slot.ready)
	})
}

// take waits for item i's section in one edition and drops it from the
// stream.
func (s *printStream) take(i int, ed site.Edition) string {
	k := 0
	if ed == site.ParticipantEdition {
		k = 1
	}
	slot := &s.slots[i]
	<-slot.ready
	sec := slot.secs[k]
	slot.secs[k] = ""
	if k == 1 {
		sec = unlinkCut(sec, s.anchors[s.pages[i].URL], s.cutOf)
	}
	return sec
}

// cutOf returns the IDs the participants' section with the anchor lacks,
// once it is made.
func (s *printStream) cutOf(anchor string) map[string]bool {
	j, ok := s.byAnchor()[anchor]
	if !ok {
		return nil
	}
	<-s.slots[j].ready
	return s.slots[j].cut
}

// unlinkCut leaves as text the links of a participants' section, whose own
// anchor is own, to what another section lacks (a heading in that page's
// facilitation notes): cutOf gives those IDs by the other section's anchor.
func unlinkCut(sec, own string, cutOf func(anchor string) map[string]bool) string {
	var out strings.Builder
	kept := 0 // sec[kept:at] is kept, not written to out yet
	const ref = ` href="#`
	for at := 0; ; {
		k := strings.Index(sec[at:], ref+"p-")
		if k < 0 {
			break
		}
		k += at
		end := strings.IndexByte(sec[k+len(ref):], '"')
		if end < 0 {
			break
		}
		id := sec[k+len(ref) : k+len(ref)+end]
		at = k + len(ref) + end + 1
		if page, _, ok := strings.Cut(id, "--"); ok && page != own && cutOf(page)[id] {
			if out.Len() == 0 {
				out.Grow(len(sec))
			}
			out.WriteString(sec[kept:k])
			kept = at
		}
	}
	if kept == 0 {
		return sec
	}
	out.WriteString(sec[kept:])
	return out.String()
}

// byAnchor maps each section's anchor to its place in the editions.
func (s *printStream) byAnchor() map[string]int {
	s.anchorsOnce.Do(func() {
		s.places = make(map[string]int, len(s.pages))
		for i, p := range s.pages {
			s.places[s.anchors[p.URL]] = i
		}
	})
	return s.places
}

// pageRefs adds " (page 24)" after the links of an edition's sections to
// other pages of the edition, for flipchart pdf to write the page in (see
// package pdf); an empty one is not shown.
type pageRefs struct {
	// The anchors of the edition's pages, each with ": " and the page's
	// title, in HTML: a link "Session 9" that the text follows with the
	// session's title gets its page after the title.
	anchors       map[string]string
	before, after string // "(page " and ")", HTML
}

// pageRefs are the page references of an edition in its language.
func (r *Renderer) pageRefs(edition *site.Page, anchors map[string]string) pageRefs {
	refs := pageRefs{anchors: make(map[string]string, len(anchors))}
	ld := r.own
	if edition != nil {
		ld = r.langOf(edition)
	}
	for _, p := range ld.site.site.Pages {
		if a, ok := anchors[p.URL]; ok {
			refs.anchors[a] = ": " + template.HTMLEscapeString(p.Title)
		}
	}
	for _, a := range anchors {
		if _, ok := refs.anchors[a]; !ok {
			refs.anchors[a] = ""
		}
	}
	before, after, _ := strings.Cut(ld.lookup("page_ref"), "{n}") // the built-in en.toml has it
	// The number stays on the line of the word before it.
	refs.before = template.HTMLEscapeString(strings.TrimRight(before, " ")) + "&nbsp;"
	if strings.TrimSpace(before) == "" {
		refs.before = ""
	}
	refs.after = template.HTMLEscapeString(after)
	return refs
}

// add adds the page references to the links of body, a section's body
// whose own anchor is own.
func (pr pageRefs) add(body []byte, own string) []byte {
	const link, end = `<a href="#`, `</a>`
	var out []byte
	kept := 0
	for at := 0; ; {
		k := bytes.Index(body[at:], []byte(link))
		if k < 0 {
			break
		}
		k += at + len(link)
		q := bytes.IndexByte(body[k:], '"')
		if q < 0 {
			break
		}
		target := body[k : k+q]
		e := bytes.Index(body[k+q:], []byte(end))
		if e < 0 {
			break
		}
		at = k + q + e + len(end)
		title, ok := pr.anchors[string(target)] // no copy for a lookup
		if !ok || string(target) == own {
			continue
		}
		if title != "" && bytes.HasPrefix(body[at:], []byte(title)) {
			at += len(title)
		}
		if out == nil {
			out = make([]byte, 0, len(body)+len(body)/16)
		}
		out = append(out, body[kept:at]...)
		out = append(out, `<span class="page-ref"> `...)
		out = append(out, pr.before...)
		out = append(out, `<span data-fc-page="`...)
		out = append(out, target...)
		out = append(out, `"></span>`...)
		out = append(out, pr.after...)
		out = append(out, `</span>`...)
		kept = at
	}
	if out == nil {
		return body
	}
	return append(out, body[kept:]...)
}

// rewriteForPrint prefixes every ID of a page's body with its section's
// anchor, so IDs stay unique on the one page of the edition, and rewrites
// links to the page itself or another page of the edition into in-page
// anchors; any other link stays as it is, from the site's root, and is
// made relative to the edition where it is written. The body is
// flipchart's own HTML (raw HTML is off), so attributes are always written
// as name="value" with the value escaped.
func rewriteForPrint(body []byte, anchor string, anchors map[string]string) []byte {
	return rewriteForPrintTo(make([]byte, 0, len(body)+len(body)/8), body, anchor, anchors)
}

// rewriteForPrintTo is rewriteForPrint appending to out, a buffer to use
// again.
func rewriteForPrintTo(out, body []byte, anchor string, anchors map[string]string) []byte {
	for {
		i := bytes.Index(body, []byte(`="`))
		if i < 0 {
			return append(out, body...)
		}
		start := i + 2
		end := bytes.IndexByte(body[start:], '"')
		id := bytes.HasSuffix(body[:i], []byte(" id"))
		link := !id && (bytes.HasSuffix(body[:i], []byte(" href")) || bytes.HasSuffix(body[:i], []byte(" src")))
		if !id && !link || end < 0 {
			out = append(out, body[:start]...)
			body = body[start:]
			continue
		}
		val := body[start : start+end]
		out = append(out, body[:start]...)
		switch {
		case id:
			out = append(append(append(out, anchor...), "--"...), val...)
		case len(val) > 0 && val[0] == '#':
			out = append(append(append(append(out, '#'), anchor...), "--"...), val[1:]...)
		default:
			out = append(out, printLink(string(val), anchors)...)
		}
		body = body[start+end:]
	}
}

// printLink rewrites one link of a page's body, not "#..." alone, for the
// print edition: a link to a page of the edition becomes a link to its
// section. Links to the site are written from its root (see site.Href).
func printLink(val string, anchors map[string]string) string {
	raw := strings.ReplaceAll(val, "&amp;", "&")
	if !strings.HasPrefix(raw, "/") || strings.HasPrefix(raw, "//") {
		return val
	}
	u, err := url.Parse(raw)
	if err != nil {
		return val
	}
	dir := strings.TrimPrefix(strings.TrimSuffix(u.Path, "index.html"), "/")
	a, ok := anchors[dir]
	if !ok || !strings.HasSuffix(u.Path, "/") && !strings.HasSuffix(u.Path, "/index.html") && u.Path != "/index.html" {
		return val
	}
	if u.Fragment != "" {
		return "#" + a + "--" + template.HTMLEscapeString(u.Fragment)
	}
	return "#" + a
}

// printCSS is the stylesheet of printed pages, made from config.toml: the
// paper and margins, the manual's title and "Page N of M" in the margins,
// and for each session a named page whose header shows the session.
// PrintCSS is css/print.css, which names every session: the dev server
// writes it again when the sessions change.
func (r *Renderer) PrintCSS() (name string, data []byte) {
	return r.own.printCSSFile(), MinifyCSS(r.printCSS(r.own))
}

// printCSSFile is the print stylesheet of the language's pages:
// css/print.css, es/css/print.css.
func (ld *langData) printCSSFile() string { return ld.site.site.Prefix + "css/print.css" }

// printCSS is the print stylesheet of a language's pages: its paper and
// title, "Page 3 of 12" in its words and digits, and each session's label
// in its running header; the manual's title in the outer corner of the
// head of the page (the left in a language written left to right), the
// session in the other.
func (r *Renderer) printCSS(ld *langData) []byte {
	cfg, lang := r.site.Config, ld.site
	title, session := "@top-left", "@top-right"
	if lang.Dir == "rtl" {
		title, session = session, title
	}
	var b strings.Builder
	fmt.Fprintf(&b, "/* Printed pages, generated from config.toml: paper %s, margins %s. */\n", lang.Paper, cfg.Margins)
	fmt.Fprintf(&b, "@page {\n  size: %s;\n  margin: %s;\n", lang.Paper, cfg.Margins)
	fmt.Fprintf(&b, "  %s { content: %s; }\n", title, cssString(lang.Title))
	fmt.Fprintf(&b, "  @bottom-center { content: %s; }\n}\n", pageOf(ld.lookup))
	if cfg.Duplex {
		// The binding is at the left of a right-hand page and at the right
		// of a left-hand one: the margins mirror.
		m := cssBox(cfg.Margins)
		fmt.Fprintf(&b, "@page :left {\n  margin-left: %s;\n  margin-right: %s;\n}\n", m[1], m[3])
	}
	fmt.Fprintf(&b, "@page cover {\n  %s { content: none; }\n  @bottom-center { content: none; }\n}\n", title)
	b.WriteString("@media print {\n  .print-cover { page: cover; }\n")
	sessions := lang.site.Sessions
	for _, s := range sessions {
		fmt.Fprintf(&b, "  .print-s%d { page: s%d; }\n", s.Session, s.Session)
	}
	b.WriteString("}\n")
	for _, s := range sessions {
		fmt.Fprintf(&b, "@page s%d { %s { content: %s; } }\n", s.Session, session, cssString(i18n.SessionLabel(ld.lookup, s.Session, s.Title)))
	}
	return []byte(b.String())
}

// pageOf is the CSS content of a printed page's number, "Page 3 of 12",
// from the language's page_of ("Page {n} of {total}") and its digits.
func pageOf(t i18n.Lookup) string {
	style := counterStyle(t)
	s := t("page_of")
	if s == "page_of" {
		s = "Page {n} of {total}"
	}
	var parts []string
	for s != "" {
		i, j := strings.Index(s, "{n}"), strings.Index(s, "{total}")
		at, counter, n := i, "counter(page"+style+")", 3
		if i < 0 || j >= 0 && j < i {
			// The count of pages: Chromium's, or the count of all the
			// parts of a long edition, which flipchart pdf sets.
			at, counter, n = j, "var(--fc-pages, counter(pages"+style+"))", 7
		}
		if at < 0 {
			parts = append(parts, cssString(s))
			break
		}
		if at > 0 {
			parts = append(parts, cssString(s[:at]))
		}
		parts = append(parts, counter)
		s = s[at+n:]
	}
	return strings.Join(parts, " ")
}

// counterStyle is ", arabic-indic" for a language whose digits CSS writes
// with the counter style arabic-indic, "" for 0123456789.
func counterStyle(t i18n.Lookup) string {
	if cs := counterStyles[t("digits")]; cs != "" {
		return ", " + cs
	}
	return ""
}

// cssBox expands a CSS box shorthand ("20mm 18mm") into its four values:
// top, right, bottom, left.
func cssBox(s string) [4]string {
	f := strings.Fields(s)
	switch len(f) {
	case 1:
		return [4]string{f[0], f[0], f[0], f[0]}
	case 2:
		return [4]string{f[0], f[1], f[0], f[1]}
	case 3:
		return [4]string{f[0], f[1], f[2], f[1]}
	case 4:
		return [4]string{f[0], f[1], f[2], f[3]}
	}
	return [4]string{"0", "0", "0", "0"}
}

// counterStyles are CSS's counter styles of a language's digits.
var counterStyles = map[string]string{
	"٠١٢٣٤٥٦٧٨٩": "arabic-indic", "۰۱۲۳۴۵۶۷۸۹": "persian", "०१२३४५६७८९": "devanagari",
	"০১২৩৪৫৬৭৮৯": "bengali", "๐๑๒๓๔๕๖๗๘๙": "thai", "၀၁၂၃၄၅၆၇၈၉": "myanmar", "០១២៣៤៥៦៧៨៩": "khmer",
}

// cssString quotes s as a CSS string.
func cssString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range s {
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteRune(c)
		case c < ' ' || c == 0x7f:
			fmt.Fprintf(&b, "\\%x ", c)
		default:
			b.WriteRune(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
