// Package search makes the site's search index at build time, as pages
// render. The index is a set of script files, loaded by the browser with
// <script src> rather than fetch, so it works from a web server and from a
// folder opened in the browser (file://) alike:
//
//   - search/meta.js: how many documents there are and how many a part of
//     the document table holds, the shards there are, and the folding
//     table the browser applies to a query (the one Fold applies here);
//   - search/idx-HEX.js: the terms of one shard, those whose first two
//     runes (folded) are the prefix HEX spells, each with its postings;
//   - search/docs-N.js: part N of the document table, PerPart documents
//     in reading order, one a line: each page's URL, session, title, time,
//     kind, and its text, for the passages shown.
//
// A query loads meta.js, the shards of its terms, and the document parts of
// the results it shows.
//
// A page's text is not kept: Add writes the page's line of the document
// table as its part fills, and keeps its terms, numbered, for the shards
// Finish writes. A build in part (the dev server after an edit, a build
// from the cache) starts from the State the last index left and from the
// files it wrote: the pages rendered again are added, and Finish makes
// again the parts and shards that change, taking the other pages' lines
// and postings from the last index's files.
package search

import (
	"bytes"
	"strconv"
	"sync"
	"sync/atomic"
	"unsafe"

	"flipchart/generator/i18n"
	"flipchart/generator/markup"
	"flipchart/generator/site"
)

// Kinds of a match, by rank: a match in a title ranks above one in a
// session's number, an objective, and so on down to the body's text.
const (
	KindBody = iota + 1
	KindMaterial
	KindSummary
	KindHeading
	KindObjective
	KindSession
	KindTitle
)

// Dir is the folder of the index in the site.
const Dir = "search/"

// PerPart is how many documents a part of the document table holds: a
// query shows ten results, so it loads at most ten parts, and a page
// edited makes one part again.
const PerPart = 4

// maxBody is the most of a page's body text kept for passages; matches
// further on are found, and shown with the page's summary.
const maxBody = 24 << 10

// Writer is where the index's files go.
type Writer interface {
	WriteFile(name string, data []byte) error
}

// Reader reads the files of the site as they are: those of the last index,
// or those written since.
type Reader interface {
	Get(name string) ([]byte, bool)
}

// Indexed reports whether page p is searched: the pages authors write,
// drafts left out; handouts, worksheets and pages flipchart makes are parts
// or copies of those.
func Indexed(p *site.Page) bool {
	switch p.Kind {
	case site.Home, site.Module, site.Session, site.Plain, site.AgendaPage:
	default:
		return false
	}
	return p.Source != nil && !p.Source.Front.Draft
}

// State is what an index leaves for the next build in part: its documents
// and its shards. The rest is in its files.
type State struct {
	Docs   []string // the documents' files, in the order of the index
	Shards []string // the shards' prefixes, sorted
	// Prefix is the folder of the index's language, before Dir: "" or
	// "es/".
	Prefix string
}

// Files are the index's files, in the site.
func (st *State) Files() []string {
	if st == nil {
		return nil
	}
	dir := st.Prefix + Dir
	files := []string{dir + "meta.js"}
	for part := range parts(len(st.Docs)) {
		files = append(files, partFile(dir, part))
	}
	for _, pre := range st.Shards {
		files = append(files, dir+ShardFile(pre))
	}
	return files
}

// parts is how many parts a document table of n documents has.
func parts(n int) int { return (n + PerPart - 1) / PerPart }

// partFile is the file of part n of the document table.
func partFile(dir string, n int) string { return dir + "docs-" + strconv.Itoa(n) + ".js" }

// dir is the index's folder in the site: search/, es/search/.
func (ix *Index) dir() string { return ix.prefix + Dir }

// partFile is the file of part n of the index's document table.
func (ix *Index) partFile(n int) string { return partFile(ix.dir(), n) }

// Index is the index one build makes, or one update of a build in part.
// Pages are added as they render, on every core; Finish writes the rest.
type Index struct {
	pages []*site.Page     // the documents, in reading order
	pos   map[string]int32 // by file
	last  *State           // the last index's, nil for a build of all
	// same says the documents are the last index's, in its order: each
	// part holds the pages it held.
	same bool

	tickets atomic.Uint32 // numbers the pages added, in order

	mu      sync.Mutex
	latest  []uint32         // by document: the ticket of its last Add, 0 for none
	lines   map[int32][]byte // the lines of documents whose part is not written
	added   []uint8          // by part: documents added
	written []bool           // by part: written in this index
	dirty   []bool           // by part: a document added again after
	fill    map[int]*filling // the parts being filled, by number
	workers []*Worker
	prefix  string      // the language's folder: "" or "es/"
	words   i18n.Lookup // the language's UI strings
}

// NewIndex starts the index of the site's pages (of one language's, for a
// manual in several: each has its own, under its folder); last is the
// State of the index the site's files hold, nil when there is none (a
// build of all). words are the UI strings of the pages' language, for
// what the index shows of them (their time).
func NewIndex(s *site.Site, last *State, words i18n.Lookup) *Index {
	ix := &Index{last: last, pos: map[string]int32{}, lines: map[int32][]byte{}, fill: map[int]*filling{},
		prefix: s.Prefix, words: words}
	if words == nil {
		ix.words = markup.English
	}
	for _, p := range s.Pages {
		if Indexed(p) {
			ix.pos[p.Out] = int32(len(ix.pages))
			ix.pages = append(ix.pages, p)
		}
	}
	if last != nil && len(last.Docs) == len(ix.pages) {
		ix.same = true
		for i, p := range ix.pages {
			if last.Docs[i] != p.Out {
				ix.same = false
				break
			}
		}
	}
	n := parts(len(ix.pages))
	ix.latest = make([]uint32, len(ix.pages))
	ix.added, ix.written, ix.dirty = make([]uint8, n), make([]bool, n), make([]bool, n)
	return ix
}

// stream says parts are written as soon as all their pages are added: in a
// build of all, and when each part holds the pages it held (the others'
// lines are never read from a part written again).
func (ix *Index) stream() bool { return ix.last == nil || ix.same }

// Worker adds pages on one goroutine: it numbers the terms it meets in its
// own dictionary, shared by the pages it adds, so that a page keeps four
// bytes for each of its terms.
type Worker struct {
	ix    *Index
	ids   termTable // the numbers of terms
	terms []string  // by number
	seen  []uint32  // by term: the ticket of the page it was last met in
	at    []int32   // by term: where it is in marks
	pages []added
	marks marks // the terms of the pages added, page after page
	line  bytes.Buffer
	text  []byte
}

// marks are the terms of the pages a worker added, page after page: each
// a term's number and the best kind it is found as, in one number (id<<3 |
// kind), kept in blocks that are not copied as they grow.
type marks struct {
	blocks [][]uint32
	n      int
}

const markBlock = 1 << 14

func (m *marks) add(v uint32) {
	if m.n%markBlock == 0 {
		m.blocks = append(m.blocks, make([]uint32, 0, markBlock))
	}
	b := &m.blocks[len(m.blocks)-1]
	*b = append(*b, v)
	m.n++
}

func (m *marks) at(i int) *uint32 { return &m.blocks[i/markBlock][i%markBlock] }

// added is one page a worker added: its terms end at end in marks.
type added struct {
	doc    int32
	ticket uint32
	end    int32
}

// Worker returns a new worker of the index, for one goroutine.
func (ix *Index) Worker() *Worker {
	w := &Worker{ix: ix}
	ix.mu.Lock()
	ix.workers = append(ix.workers, w)
	ix.mu.Unlock()
	return w
}

// field is a text of a document kept for its passages.
type field struct {
	Kind uint8
	Text string
}

// Add indexes page p, its Markdown rendered to body with these headings
// and containers, and writes its part of the document table through w once
// the part has all its pages. A page that is not Indexed is left out.
func (wk *Worker) Add(w Writer, p *site.Page, body []byte, headings []markup.Heading, containers []markup.ContainerInfo) error {
	ix := wk.ix
	doc, ok := ix.pos[p.Out]
	if !ok {
		return nil
	}
	ticket := ix.tickets.Add(1)
	var fields []field
	add := func(kind uint8, text string, keep bool) {
		if text == "" {
			return
		}
		Terms(text, func(t []byte) {
			id, ok := wk.ids.find(t, wk.terms)
			switch {
			case !ok:
				id = uint32(len(wk.terms))
				wk.ids.insert(t, id)
				wk.terms = append(wk.terms, string(t))
				wk.seen = append(wk.seen, 0)
				wk.at = append(wk.at, 0)
			case wk.seen[id] == ticket:
				if m := wk.marks.at(int(wk.at[id])); *m&7 < uint32(kind) {
					*m = id<<3 | uint32(kind)
				}
				return
			}
			wk.seen[id], wk.at[id] = ticket, int32(wk.marks.n)
			wk.marks.add(id<<3 | uint32(kind))
		})
		if keep {
			fields = append(fields, field{kind, text})
		}
	}
	add(KindTitle, p.Title, false) // shown as the result's title
	if p.Kind == site.Session {
		add(KindSession, strconv.Itoa(p.Session), false)
	}
	add(KindSummary, p.Summary, true)
	for _, o := range p.Objectives {
		add(KindObjective, o, true)
	}
	mats := p.Materials
	if p.Derived != nil && p.Derived.Materials != nil {
		mats = p.Derived.Materials
	}
	for _, m := range mats {
		add(KindMaterial, m, true)
	}
	for _, a := range p.Activities {
		add(KindMaterial, a, true)
	}
	for _, h := range headings {
		add(KindHeading, h.Text, true)
	}
	for _, c := range containers {
		add(KindHeading, c.Title, true)
	}
	// The body's text, in a buffer the worker uses again: a string of it
	// only while the page is added (the line written copies it).
	wk.text = appendPlainText(wk.text[:0], body)
	text := ""
	if len(wk.text) > 0 {
		text = unsafe.String(&wk.text[0], len(wk.text))
	}
	if len(text) > maxBody {
		cut := maxBody
		for cut > 0 && text[cut]&0xC0 == 0x80 {
			cut-- // not within a rune
		}
		add(KindBody, text[cut:], false)
		text = text[:cut]
	}
	add(KindBody, text, true)
	wk.pages = append(wk.pages, added{doc, ticket, int32(wk.marks.n)})
	wk.line.Reset()
	writeDoc(&wk.line, p, fields, ix.words)
	return ix.put(w, doc, ticket, wk.line.Bytes())
}

// put keeps the line of document doc (a buffer of the caller's, copied),
// and writes its part when the part has all its pages. While pages come
// in order, a part's lines go straight into its file (see filling).
func (ix *Index) put(w Writer, doc int32, ticket uint32, line []byte) error {
	data := ix.keep(doc, ticket, line)
	if data == nil {
		return nil
	}
	return w.WriteFile(ix.partFile(int(doc)/PerPart), data)
}

// keep keeps the line of doc, and returns its part's file when the part
// is complete.
func (ix *Index) keep(doc int32, ticket uint32, line []byte) []byte {
	part := int(doc) / PerPart
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ticket < ix.latest[doc] {
		return nil // added again since, on another core
	}
	first := ix.latest[doc] == 0
	ix.latest[doc] = ticket
	if first {
		ix.added[part]++
	}
	switch {
	case ix.written[part]:
		ix.dirty[part] = true // made again by Finish
	case !ix.stream():
	case !first:
		ix.unfill(part) // its line may be in the file being filled
	default:
		f := ix.fill[part]
		if f == nil {
			f = &filling{b: appendPartHead(make([]byte, 0, PerPart*(len(line)+2)+64), part)}
			ix.fill[part] = f
		}
		base, n := int32(part*PerPart), ix.partLen(part)
		if doc == base+int32(f.n) {
			f.add(line)
		} else {
			ix.lines[doc] = bytes.Clone(line)
		}
		for f.n < n {
			l, ok := ix.lines[base+int32(f.n)]
			if !ok {
				break
			}
			delete(ix.lines, base+int32(f.n))
			f.add(l)
		}
		if f.n < n {
			return nil
		}
		delete(ix.fill, part)
		ix.written[part] = true
		return append(f.b, partTail...)
	}
	ix.lines[doc] = bytes.Clone(line)
	return nil
}

// filling is a part's file being made, its lines written in order.
type filling struct {
	b []byte
	n int // the lines in b
}

func (f *filling) add(line []byte) {
	if f.n > 0 {
		f.b = append(f.b, ",\n"...)
	}
	f.b = append(f.b, line...)
	f.n++
}

// unfill puts the lines of the part being filled back among the lines
// held, one each.
func (ix *Index) unfill(part int) {
	f := ix.fill[part]
	if f == nil {
		return
	}
	delete(ix.fill, part)
	if f.n == 0 {
		return
	}
	lines, _ := parsePart(part, append(f.b, partTail...)) // as add wrote them
	for i, l := range lines {
		ix.lines[int32(part*PerPart+i)] = l
	}
}

// partLen is how many documents part holds.
func (ix *Index) partLen(part int) int { return min(PerPart, len(ix.pages)-part*PerPart) }

// termTable finds a term's number: a table of open addressing, on a hash
// of the term's bytes, faster than a map for the millions of words a large
// manual has (most of them looked up, few added).
type termTable struct {
	slots []termSlot // a power of two of them
	n     int
}

type termSlot struct {
	hash uint32
	id   uint32 // the term's number + 1; 0 for a free slot
}

// termHash is FNV-1a of b, its bits mixed (as murmur3's finalizer does)
// so that the low ones, which pick the slot, depend on every byte.
func termHash(b []byte) uint32 {
	h := uint32(2166136261)
	for _, c := range b {
		h = (h ^ uint32(c)) * 16777619
	}
	h ^= h >> 16
	h *= 0x85ebca6b
	h ^= h >> 13
	h *= 0xc2b2ae35
	return h ^ h>>16
}

// find returns the number of term t, terms being the terms by number.
func (tt *termTable) find(t []byte, terms []string) (uint32, bool) {
	if len(tt.slots) == 0 {
		return 0, false
	}
	h := termHash(t)
	mask := uint32(len(tt.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := tt.slots[i]
		if s.id == 0 {
			return 0, false
		}
		if s.hash == h && terms[s.id-1] == string(t) {
			return s.id - 1, true
		}
	}
}

// insert adds term t, not in the table, as number id.
func (tt *termTable) insert(t []byte, id uint32) {
	if 2*(tt.n+1) > len(tt.slots) {
		old := tt.slots
		tt.slots = make([]termSlot, max(1<<12, 2*len(old)))
		for _, s := range old {
			if s.id != 0 {
				tt.put(s)
			}
		}
	}
	tt.put(termSlot{termHash(t), id + 1})
	tt.n++
}

func (tt *termTable) put(s termSlot) {
	mask := uint32(len(tt.slots) - 1)
	i := s.hash & mask
	for tt.slots[i].id != 0 {
		i = (i + 1) & mask
	}
	tt.slots[i] = s
}
