package render

import (
	"bytes"
	"html/template"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"

	"flipchart/generator/site"
)

// A print edition holds every page: after one page's edit, a build from the
// cache writes it again with that page's section made anew and every other
// section copied from the edition the last build wrote, at the place it
// recorded (the copy is made by the system where it can, without reading
// the bytes into flipchart). So that the places are known in the bytes as
// written, with links made relative, each section is written between two
// marks, which the last writer of the edition drops and records:
//
//	<!--fc:print:s:ANCHOR-->section<!--fc:print:e-->
//
// and a section to copy is the mark <!--fc:print:k:ANCHOR-->.
const (
	markStart = "<!--fc:print:s:"
	markEnd   = "<!--fc:print:e-->"
	markKeep  = "<!--fc:print:k:"
	markClose = "-->"
	markAny   = "<!--fc:print:"
)

// Span is where a section is in a print edition's file.
type Span struct{ Start, End int64 }

// PrintState is what a build cache keeps of one print edition: where each
// section is, and the IDs each participants' section lacks (see cutOf),
// by anchor.
type PrintState struct {
	Spans map[string]Span
	Cuts  map[string][]string
	// Glue is what was written after each piece up to the next, when
	// short (see markWriter).
	Glue map[string]string
}

// PrintReuse is what a build from the cache gives the renderer to copy the
// unchanged sections of the print editions from the last build's.
type PrintReuse struct {
	// Open opens the edition out as the last build wrote it.
	Open func(out string) (*os.File, error)
	// Fresh are the pages rendered again in this build: their sections
	// are made anew.
	Fresh map[*site.Page]bool
}

// ReusePrints makes the renderer copy the print editions' unchanged
// sections (see PrintReuse), when the sections of the last build are known
// and nothing but the fresh pages' sections can have changed: the same
// pages in the editions, and the same IDs cut from the fresh pages'
// participants' sections. Templates and UI strings changed are the
// caller's to rule out.
func (r *Renderer) ReusePrints(reuse *PrintReuse) { r.reuse = reuse }

// printMarks are the marks of the renderer's print editions and the
// sections they recorded, by edition file.
type printMarks struct {
	mu    sync.Mutex
	state map[string]*PrintState // recorded as written, by edition file
	last  map[string]*PrintState // the last build's, restored
}

func (m *printMarks) put(out string, st *PrintState) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.state == nil {
		m.state = map[string]*PrintState{}
	}
	m.state[out] = st
}

// keepPlan decides, for one edition, which sections are copied: nil when
// none can be.
func (r *Renderer) keepPlan(edition *site.Page, items []PrintItem) map[string]Span {
	if r.reuse == nil || edition.Edition == site.WorksheetEdition {
		return nil
	}
	last := r.marks.last[edition.Out]
	if last == nil || r.piecesShowLists() {
		return nil
	}
	sections := 0
	for key := range last.Spans {
		if !strings.HasPrefix(key, tocPiece) {
			sections++
		}
	}
	if sections != len(items) {
		return nil
	}
	for _, it := range items {
		if _, ok := last.Spans[it.Anchor]; !ok {
			return nil // other pages: links between sections may differ
		}
	}
	keep := map[string]Span{}
	for _, it := range items {
		if r.reuse.Fresh[it.Page] {
			if edition.Edition == site.ParticipantEdition && !slices.Equal(it.shared.cutList(it.Anchor), last.Cuts[it.Anchor]) {
				return nil // other sections' links to it may change
			}
			continue
		}
		keep[it.Anchor] = last.Spans[it.Anchor]
		if sp, ok := last.Spans[tocPiece+it.Anchor]; ok {
			keep[tocPiece+it.Anchor] = sp
		}
	}
	return keep
}

// tocPiece starts the key of an item's entry in the table of contents,
// among the pieces of an edition (see TOC).
const tocPiece = "toc:"

// TOC is the item's entry in the edition's table of contents, made by the
// template print-toc: like Section, it is copied from the last build's
// edition when a build from the cache did not render its page again.
func (it PrintItem) TOC() (template.HTML, error) {
	sh := it.shared
	key := tocPiece + it.Anchor
	if _, ok := sh.keep[key]; ok {
		return template.HTML(markKeep + key + markClose), nil
	}
	var b bytes.Buffer
	d := sh.r.dataOf(sh.edition)
	d.Item = &it
	if err := sh.r.tmpl.byName[templateFor(sh.edition)].ExecuteTemplate(&b, "print-toc", d); err != nil {
		return "", err
	}
	return template.HTML(markStart + key + markClose + b.String() + markEnd), nil
}

// cutList is cutOf as a sorted list.
func (sh *printShared) cutList(anchor string) []string {
	return slices.Sorted(maps.Keys(sh.cutOf(anchor)))
}

// markSection wraps an item's section in its marks, or gives the mark of a
// section to copy.
func (it PrintItem) markSection(sec string) string {
	return markStart + it.Anchor + markClose + sec + markEnd
}

// markWriter is the last writer of a print edition: it drops the marks,
// records where each section is, and copies the sections to keep from old.
type markWriter struct {
	w       io.Writer
	n       int64
	pending []byte // the start of a mark cut by the end of a write
	open    string
	openAt  int64
	state   *PrintState
	old     *os.File
	keep    map[string]Span
	err     error
	// A run of the old file to copy, not copied yet: sections kept one
	// after the other, and what the template writes between them when it
	// is the same as in the old file, are copied in one go.
	run     Span
	runOpen bool
	glue    []byte // bytes of the old file from gluePos, read ahead
	gluePos int64
	// What the template wrote after each piece, up to the next mark, is
	// recorded in state.Glue: a later build compares what it writes after
	// a kept piece with it rather than with the old file's bytes.
	after     string // the piece the glue being written follows
	afterBuf  []byte
	afterOn   bool
	lastGlue  map[string]string // the old file's, by piece
	runPiece  string            // the last piece of the run, and its end
	runEnd    int64             // in the old file
	lastGlued string            // the glue recorded last, shared when the same
}

// maxGlue is the most bytes of glue recorded after a piece.
const maxGlue = 256

func newMarkWriter(w io.Writer, old *os.File, keep map[string]Span, lastGlue map[string]string) *markWriter {
	return &markWriter{w: w, old: old, keep: keep, lastGlue: lastGlue,
		state: &PrintState{Spans: map[string]Span{}, Cuts: map[string][]string{}, Glue: map[string]string{}}}
}

func (m *markWriter) Write(p []byte) (int, error) {
	if m.err != nil {
		return 0, m.err
	}
	if len(m.pending) == 0 {
		m.pending = append(m.pending, m.scan(p, false)...)
	} else {
		m.pending = append(m.pending, p...)
		m.pending = append(m.pending[:0], m.scan(m.pending, false)...)
	}
	return len(p), m.err
}

// scan writes b up to a mark not yet whole, and returns the rest.
func (m *markWriter) scan(b []byte, final bool) []byte {
	for m.err == nil {
		k := bytes.Index(b, []byte(markAny))
		if k < 0 {
			// Keep a tail that may be the start of a mark.
			hold := 0
			if !final {
				for h := min(len(markAny)-1, len(b)); h > 0; h-- {
					if bytes.HasSuffix(b, []byte(markAny[:h])) {
						hold = h
						break
					}
				}
			}
			m.emit(b[:len(b)-hold])
			return b[len(b)-hold:]
		}
		end := bytes.Index(b[k:], []byte(markClose))
		if end < 0 {
			if final {
				m.emit(b)
				return nil
			}
			m.emit(b[:k])
			return b[k:]
		}
		m.emit(b[:k])
		m.mark(string(b[k : k+end+len(markClose)]))
		b = b[k+end+len(markClose):]
	}
	return nil
}

func (m *markWriter) emit(b []byte) {
	if m.err != nil || len(b) == 0 {
		return
	}
	if m.afterOn {
		if len(m.afterBuf)+len(b) > maxGlue {
			m.afterOn = false
		} else {
			m.afterBuf = append(m.afterBuf, b...)
		}
	}
	if m.runOpen {
		// The same bytes follow the run in the old file: copy them with it.
		if m.sameAsOld(b) {
			m.run.End += int64(len(b))
			return
		}
		m.flushRun()
	}
	n, err := m.w.Write(b)
	m.n += int64(n)
	m.err = err
}

// sameAsOld reports whether b follows the run in the old file.
func (m *markWriter) sameAsOld(b []byte) bool {
	if g, ok := m.lastGlue[m.runPiece]; ok {
		if off := m.run.End - m.runEnd; off+int64(len(b)) <= int64(len(g)) {
			return g[off:off+int64(len(b))] == string(b)
		}
	}
	old := m.oldAt(m.run.End, len(b))
	return old != nil && bytes.Equal(old, b)
}

// pieceStarts ends the glue after the last piece.
func (m *markWriter) pieceStarts() {
	if !m.afterOn {
		return
	}
	m.afterOn = false
	if string(m.afterBuf) != m.lastGlued {
		m.lastGlued = string(m.afterBuf)
	}
	m.state.Glue[m.after] = m.lastGlued
}

// pieceEnds starts the glue after a piece.
func (m *markWriter) pieceEnds(anchor string) {
	m.after, m.afterBuf, m.afterOn = anchor, m.afterBuf[:0], true
}

// oldAt returns n bytes of the old file at off, or nil; it reads a few
// kilobytes ahead, since what the template writes between the small pieces
// (the table of contents) comes many times in a few kilobytes.
func (m *markWriter) oldAt(off int64, n int) []byte {
	if off >= m.gluePos && off+int64(n) <= m.gluePos+int64(len(m.glue)) {
		return m.glue[off-m.gluePos : off-m.gluePos+int64(n)]
	}
	m.glue = slices.Grow(m.glue[:0], max(n, 4<<10))[:max(n, 4<<10)]
	k, err := m.old.ReadAt(m.glue, off)
	m.glue, m.gluePos = m.glue[:k], off
	if k < n || (err != nil && err != io.EOF) {
		return nil
	}
	return m.glue[:n]
}

// written is where the next byte goes in the new file, the run included.
func (m *markWriter) written() int64 {
	if m.runOpen {
		return m.n + m.run.End - m.run.Start
	}
	return m.n
}

// flushRun copies the run of the old file.
func (m *markWriter) flushRun() {
	if !m.runOpen || m.err != nil {
		return
	}
	m.runOpen = false
	if _, err := m.old.Seek(m.run.Start, io.SeekStart); err != nil {
		m.err = err
		return
	}
	// To the file itself where it can, so the system copies the bytes.
	n, err := io.Copy(m.w, &io.LimitedReader{R: m.old, N: m.run.End - m.run.Start})
	m.n += n
	if err == nil && n != m.run.End-m.run.Start {
		err = io.ErrUnexpectedEOF
	}
	m.err = err
}

// mark acts on one mark.
func (m *markWriter) mark(mark string) {
	switch {
	case strings.HasPrefix(mark, markStart):
		m.pieceStarts()
		m.open, m.openAt = strings.TrimSuffix(mark[len(markStart):], markClose), m.written()
	case mark == markEnd:
		if m.open != "" {
			m.state.Spans[m.open] = Span{m.openAt, m.written()}
			m.pieceEnds(m.open)
			m.open = ""
		}
	case strings.HasPrefix(mark, markKeep):
		m.pieceStarts()
		anchor := strings.TrimSuffix(mark[len(markKeep):], markClose)
		sp, ok := m.keep[anchor]
		if !ok || m.old == nil {
			return
		}
		if m.runOpen && m.run.End != sp.Start {
			m.flushRun()
		}
		start := m.written()
		if m.runOpen {
			m.run.End = sp.End
		} else {
			m.run, m.runOpen = sp, true
		}
		m.runPiece, m.runEnd = anchor, sp.End
		m.state.Spans[anchor] = Span{start, start + sp.End - sp.Start}
		m.pieceEnds(anchor)
	default:
		m.emit([]byte(mark)) // not a mark of this writer's
	}
}

// Close writes what is left.
func (m *markWriter) Close() error {
	m.scan(m.pending, true)
	m.pending = nil
	m.pieceStarts()
	m.flushRun()
	return m.err
}

// stripMarks drops the marks from an edition written whole.
func stripMarks(b []byte) []byte {
	if !bytes.Contains(b, []byte(markAny)) {
		return b
	}
	var out bytes.Buffer
	mw := newMarkWriter(&out, nil, nil, nil)
	mw.Write(b)
	mw.Close()
	return out.Bytes()
}

// recordPrint keeps where an edition's sections were written, and for the
// participants' edition the IDs each section lacks: those of the sections
// copied are the last build's.
func (r *Renderer) recordPrint(d *pageData, st *PrintState) {
	if d.Page.Edition == site.ParticipantEdition {
		last := r.marks.last[d.Page.Out]
		for _, it := range d.Print {
			if _, kept := d.keep[it.Anchor]; kept && last != nil {
				st.Cuts[it.Anchor] = last.Cuts[it.Anchor]
			} else {
				st.Cuts[it.Anchor] = it.cuts()
			}
		}
	}
	r.marks.put(d.Page.Out, st)
}

// piecesShowLists reports whether the templates making one page's pieces of
// an edition name a list of the site's pages (.Site.Sessions), or .Site
// whole: a piece may then show another page's change, and none is copied.
func (r *Renderer) piecesShowLists() bool {
	set := r.tmpl.pieces
	if set == nil || set.dynamic != "" || set.site["*"] {
		return true
	}
	for _, f := range site.PageLists() {
		if set.site[f] {
			return true
		}
	}
	return false
}
