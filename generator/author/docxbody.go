package author

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// The walk of word/document.xml. It reads the XML as a stream, one
// function an element, each consuming its element to the end: a block
// (paragraph, table, content control) goes to a sink, the lines of the
// document or the text of a table cell; a paragraph's runs become
// segments of text (docxSeg) that docxtext.go writes as Markdown.

// The namespaces of the elements the walk interprets. Elements are
// matched by their local name in these (see docxKey), so that the
// DrawingML of pictures and shapes (a:p, a:t) is not taken for text.
const (
	nsW       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsWStrict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
	nsMC      = "http://schemas.openxmlformats.org/markup-compatibility/2006"
)

// docxMaxDepth is how deep elements may nest in the walk: far more than
// tables in tables and text boxes need, and little enough stack.
const docxMaxDepth = 400

var errDocxDeep = fmt.Errorf("the Word file is damaged (its elements nest more than %d deep); open it in Word and save it again", docxMaxDepth)

// docxReader is the state of one document's walk.
type docxReader struct {
	doc       *Doc
	dec       *xml.Decoder
	rels      map[string]docxRel
	styles    *docxStyles
	numbering *docxNumbering
	main      *docxSink // the document's lines

	src   int // paragraphs met so far: the Src of the current one
	depth int // elements open in the walk
	quiet int // inside a table of contents: paragraphs are counted, not kept

	fields  []docxField // the complex fields open, innermost last
	cellRPr []*docxRPr  // the table style's run properties of the current cell

	// sectionAt is where in main's lines the last section ended, -1 for
	// none: a page break goes there when the next section starts on a new
	// page. sectionSrc is the paragraph that ended it.
	sectionAt, sectionSrc int

	images, imageSrc              int
	footnotes, endnotes, notesSrc int
	trackedSrc, chunkSrc          int
}

// docxField is a complex field (w:fldChar begin, instructions, separate,
// displayed result, end): import keeps the result, and makes a link of a
// HYPERLINK field's result.
type docxField struct {
	instr  string
	result bool   // past the separator: its runs are shown
	link   string // a HYPERLINK field's address
	toc    bool   // a TOC field: its result is a table of contents
}

// docxSink is where blocks go: the lines of the document or of a text box,
// or (cell) the text of a table cell.
type docxSink struct {
	lines []Line
	cell  bool
	texts []string // a cell's paragraphs, Markdown
	plain []string // the same without the emphasis of a whole paragraph, for a header row
	bold  bool     // every run of the cell's text is bold so far
	after []Line   // lines of text boxes in a cell, to follow the row
}

// docxPara is one paragraph, read.
type docxPara struct {
	src   int
	style string // its paragraph style's ID
	props docxPPr
	segs  []docxSeg
	boxes []Line // the lines of its text boxes, which follow it
	toc   bool   // it has text of a table of contents
}

// add appends text in a look to the paragraph.
func (p *docxPara) add(text string, f docxFmt) {
	p.segs = append(p.segs, docxSeg{text: text, docxFmt: f})
}

// docxKey names an element for the walk: WordprocessingML elements by
// their local name, markup-compatibility ones as "mc:Local", others as
// "?:Local". A prefix left undeclared counts as its usual namespace.
func docxKey(n xml.Name) string {
	switch n.Space {
	case nsW, nsWStrict, "w":
		return n.Local
	case nsMC, "mc":
		return "mc:" + n.Local
	}
	return "?:" + n.Local
}

// docxAttr returns the attribute of that local name, whatever its
// namespace, or "".
func docxAttr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// fail turns an error of the decoder into one for the author.
func (r *docxReader) fail(err error) error {
	if errors.Is(err, errDocxDeep) {
		return err
	}
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return docxDamaged(err)
}

// children calls fn for each child element of the element just opened,
// up to its end. fn must consume the child to its end.
func (r *docxReader) children(fn func(xml.StartElement) error) error {
	if r.depth++; r.depth > docxMaxDepth {
		return errDocxDeep
	}
	defer func() { r.depth-- }()
	for {
		tok, err := r.dec.Token()
		if err != nil {
			return r.fail(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := fn(t); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}

// skip consumes the element just opened. It counts rather than recurses
// (as xml.Decoder.Skip does), so that no nesting can exhaust the stack.
func (r *docxReader) skip() error {
	for depth := 1; depth > 0; {
		tok, err := r.dec.Token()
		if err != nil {
			return r.fail(err)
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return nil
}

// text returns the character data of the element just opened (w:t,
// w:instrText), consuming it.
func (r *docxReader) text() (string, error) {
	var b strings.Builder
	for depth := 1; ; {
		tok, err := r.dec.Token()
		if err != nil {
			return "", r.fail(err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if depth == 1 {
				b.Write(t)
			}
		case xml.StartElement:
			depth++
		case xml.EndElement:
			if depth--; depth == 0 {
				return b.String(), nil
			}
		}
	}
}

// decode reads the element start into v (properties).
func (r *docxReader) decode(v any, start xml.StartElement) error {
	if err := r.dec.DecodeElement(v, &start); err != nil {
		return r.fail(err)
	}
	return nil
}

// readDocument walks the main part: w:document, its w:body.
func (r *docxReader) readDocument(data []byte) error {
	r.dec = newDocxDecoder(data)
	for {
		tok, err := r.dec.Token()
		if err == io.EOF {
			return errNotDocx // no element at all
		}
		if err != nil {
			return r.fail(err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if docxKey(se.Name) != "document" {
			return errNotDocx // another kind of OOXML: a workbook, slides
		}
		return r.children(func(c xml.StartElement) error {
			if docxKey(c.Name) == "body" {
				return r.blocks(r.main)
			}
			return r.skip()
		})
	}
}

// blocks reads the block content of the element just opened into sink.
func (r *docxReader) blocks(sink *docxSink) error {
	return r.children(func(c xml.StartElement) error { return r.block(c, sink) })
}

// block reads one block-level element into sink.
func (r *docxReader) block(c xml.StartElement, sink *docxSink) error {
	switch k := docxKey(c.Name); k {
	case "p":
		p, err := r.para(c)
		if err != nil {
			return err
		}
		r.place(p, sink)
		if p.props.SectPr != nil && sink == r.main {
			r.section(p.props.SectPr)
			r.sectionAt, r.sectionSrc = len(r.main.lines), p.src
		}
		return nil
	case "tbl":
		return r.table(sink)
	case "sdt":
		return r.sdt(sink)
	case "sectPr":
		var s docxSectPr
		if err := r.decode(&s, c); err != nil {
			return err
		}
		if sink == r.main {
			r.section(&s)
		}
		return nil
	case "altChunk":
		if r.chunkSrc == 0 {
			r.chunkSrc = max(r.src, 1)
		}
		return r.skip()
	case "del", "moveFrom":
		r.tracked()
		return r.skip()
	case "mc:AlternateContent":
		return r.alternate(func(cc xml.StartElement) error { return r.block(cc, sink) })
	case "sdtPr", "sdtEndPr", "customXmlPr":
		return r.skip()
	default:
		if !strings.HasPrefix(k, "?:") && !strings.HasPrefix(k, "mc:") {
			return r.blocks(sink) // w:customXml, w:ins and wrappers yet unknown
		}
		return r.skip()
	}
}

// sdt reads a content control at block level: its content, unless it is a
// table of contents, whose paragraphs are counted and dropped.
func (r *docxReader) sdt(sink *docxSink) error {
	toc := false
	return r.children(func(c xml.StartElement) error {
		switch docxKey(c.Name) {
		case "sdtPr":
			var pr struct {
				Gallery *docxVal `xml:"docPartObj>docPartGallery"`
			}
			if err := r.decode(&pr, c); err != nil {
				return err
			}
			toc = strings.EqualFold(pr.Gallery.str(), "Table of Contents")
			return nil
		case "sdtContent":
			if toc {
				r.quiet++
				defer func() { r.quiet-- }()
			}
			return r.blocks(sink)
		}
		return r.skip()
	})
}

// section is called at the end of a section: when it starts on a new page,
// a page break goes where the section before it ended.
func (r *docxReader) section(s *docxSectPr) {
	if r.sectionAt >= 0 && s.newPage() && r.quiet == 0 {
		br := Line{Kind: Break, Src: r.sectionSrc, Gap: true}
		r.main.lines = slices.Insert(r.main.lines, r.sectionAt, br)
	}
	r.sectionAt = -1
}

// alternate reads markup-compatibility alternatives: the first choice (Word
// writes a shape, say, as DrawingML there and as VML in the fallback), or
// the fallback when there is no choice. fn reads each child of the one
// taken.
func (r *docxReader) alternate(fn func(xml.StartElement) error) error {
	taken := false
	return r.children(func(c xml.StartElement) error {
		switch docxKey(c.Name) {
		case "mc:Choice", "mc:Fallback":
			if taken {
				return r.skip()
			}
			taken = true
			return r.children(fn)
		}
		return r.skip()
	})
}

// tracked notes a tracked change at the current paragraph.
func (r *docxReader) tracked() {
	if r.trackedSrc == 0 {
		r.trackedSrc = max(r.src, 1)
	}
}

// para reads a paragraph: its properties, then its runs, links, fields
// and what wraps them.
func (r *docxReader) para(c xml.StartElement) (*docxPara, error) {
	r.src++
	p := &docxPara{src: r.src, style: r.styles.defaultPara}
	err := r.children(func(x xml.StartElement) error {
		if docxKey(x.Name) == "pPr" {
			if err := r.decode(&p.props, x); err != nil {
				return err
			}
			if id := p.props.PStyle.str(); id != "" {
				p.style = id
			}
			return nil
		}
		return r.inline(x, p, "")
	})
	return p, err
}

// inline reads one element of a paragraph's content; link is the address
// of the hyperlink it is in.
func (r *docxReader) inline(x xml.StartElement, p *docxPara, link string) error {
	in := func(link string) error {
		return r.children(func(y xml.StartElement) error { return r.inline(y, p, link) })
	}
	switch k := docxKey(x.Name); k {
	case "r":
		return r.run(p, link)
	case "hyperlink":
		return in(r.hyperlink(x))
	case "del", "moveFrom":
		r.tracked()
		return r.skip()
	case "ins", "moveTo":
		r.tracked()
		return in(link)
	case "fldSimple":
		if u := docxFieldLink(docxAttr(x, "instr")); u != "" && link == "" {
			link = u
		}
		return in(link)
	case "mc:AlternateContent":
		return r.alternate(func(y xml.StartElement) error { return r.inline(y, p, link) })
	case "sdtPr", "sdtEndPr", "customXmlPr", "smartTagPr", "pPr", "rPr":
		return r.skip()
	default:
		if !strings.HasPrefix(k, "?:") && !strings.HasPrefix(k, "mc:") {
			return in(link) // w:sdt, w:sdtContent, w:smartTag, w:customXml, w:dir, w:bdo
		}
		return r.skip() // math, and markup of other vocabularies
	}
}

// run reads a run (w:r): its properties, then its text, tabs, breaks,
// field characters, drawings and note references.
func (r *docxReader) run(p *docxPara, link string) error {
	look, hidden := r.runLook(p, &docxRPr{})
	return r.children(func(y xml.StartElement) error {
		return r.runChild(y, p, &look, &hidden, link)
	})
}

// runChild reads one element of a run.
func (r *docxReader) runChild(y xml.StartElement, p *docxPara, look *docxFmt, hidden *bool, link string) error {
	shown := func() bool { return !*hidden && r.showing() }
	put := func(s string) {
		if shown() {
			p.toc = p.toc || r.inTOC()
			f := *look
			if f.link = link; f.link == "" {
				f.link = r.fieldLink()
			}
			p.add(s, f)
		}
	}
	switch docxKey(y.Name) {
	case "rPr":
		var rp docxRPr
		if err := r.decode(&rp, y); err != nil {
			return err
		}
		*look, *hidden = r.runLook(p, &rp)
		return nil
	case "t":
		s, err := r.text()
		put(s)
		return err
	case "instrText":
		s, err := r.text()
		// Instructions longer than any address are cut, so that a field of
		// a million pieces costs no more than one.
		if n := len(r.fields); n > 0 && !r.fields[n-1].result && len(r.fields[n-1].instr) < 4096 {
			r.fields[n-1].instr += s
		}
		return err
	case "tab", "ptab", "cr":
		put(" ")
	case "noBreakHyphen":
		put("-")
	case "br":
		if docxAttr(y, "type") != "page" {
			put(" ")
		} else if shown() {
			p.segs = append(p.segs, docxSeg{brk: true})
		}
	case "fldChar":
		r.fieldChar(docxAttr(y, "fldCharType"))
	case "drawing", "pict", "object":
		return r.drawing(p)
	case "footnoteReference", "endnoteReference":
		if docxKey(y.Name) == "footnoteReference" {
			r.footnotes++
		} else {
			r.endnotes++
		}
		if r.notesSrc == 0 {
			r.notesSrc = p.src
		}
	case "mc:AlternateContent":
		return r.alternate(func(z xml.StartElement) error { return r.runChild(z, p, look, hidden, link) })
	case "ruby":
		return r.children(func(z xml.StartElement) error {
			if docxKey(z.Name) == "rubyBase" {
				return r.children(func(w xml.StartElement) error { return r.inline(w, p, link) })
			}
			return r.skip() // the reading guide above the text
		})
	}
	// w:delText, w:sym, w:lastRenderedPageBreak, w:softHyphen, comment
	// marks and the rest are left out.
	return r.skip()
}

// runLook returns the look of a run from its properties and the styles
// over it, and whether it is hidden text.
func (r *docxReader) runLook(p *docxPara, rp *docxRPr) (docxFmt, bool) {
	levels := r.styles.runLevels(rp, p.style, r.cellRPr)
	on := func(get func(*docxRPr) *docxVal) bool {
		for _, l := range levels {
			if v := get(l).on(); v != nil {
				return *v
			}
		}
		return false
	}
	f := docxFmt{
		bold:   on(func(l *docxRPr) *docxVal { return l.B }),
		italic: on(func(l *docxRPr) *docxVal { return l.I }),
	}
	for _, l := range levels {
		if l.RFonts != nil && (l.RFonts.ASCII != "" || l.RFonts.ASCIITheme != "") {
			name := strings.ToLower(strings.ReplaceAll(l.RFonts.ASCII, " ", ""))
			f.code = docxMonoFonts[name]
			break
		}
	}
	f.code = f.code || r.styles.codeStyle(rp.RStyle.str())
	return f, on(func(l *docxRPr) *docxVal { return l.Vanish })
}

// fieldChar opens, separates or closes a complex field.
func (r *docxReader) fieldChar(kind string) {
	n := len(r.fields)
	switch kind {
	case "begin":
		r.fields = append(r.fields, docxField{})
	case "separate":
		if n > 0 {
			f := &r.fields[n-1]
			f.result = true
			f.link = docxFieldLink(f.instr)
			words := docxFieldWords(f.instr)
			f.toc = len(words) > 0 && strings.EqualFold(words[0], "TOC")
		}
	case "end":
		if n > 0 {
			r.fields = r.fields[:n-1]
		}
	}
}

// showing reports whether text is shown: it is in no field's instructions.
func (r *docxReader) showing() bool {
	for i := range r.fields {
		if !r.fields[i].result {
			return false
		}
	}
	return true
}

// inTOC reports whether text is the result of a TOC field.
func (r *docxReader) inTOC() bool {
	for i := range r.fields {
		if r.fields[i].toc {
			return true
		}
	}
	return false
}

// fieldLink returns the address of the innermost HYPERLINK field the text
// is the result of, or "".
func (r *docxReader) fieldLink() string {
	for i := len(r.fields) - 1; i >= 0; i-- {
		if r.fields[i].link != "" {
			return r.fields[i].link
		}
	}
	return ""
}

// docxFieldLink returns the address of a HYPERLINK field's instructions
// (`HYPERLINK "https://…" \o "tip"`), "" for other fields and for links to
// a place in the document (\l "bookmark").
func docxFieldLink(instr string) string {
	words := docxFieldWords(instr)
	if len(words) == 0 || !strings.EqualFold(words[0], "HYPERLINK") {
		return ""
	}
	for i := 1; i < len(words); i++ {
		w := words[i]
		if strings.HasPrefix(w, `\`) {
			switch strings.ToLower(w) {
			case `\l`, `\o`, `\t`:
				i++ // the switch's argument
			}
			continue
		}
		return w
	}
	return ""
}

// docxFieldWords splits a field's instructions into words, a quoted one
// with its spaces.
func docxFieldWords(s string) []string {
	var words []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if s[0] == '"' {
			end := strings.IndexByte(s[1:], '"')
			if end < 0 {
				words = append(words, s[1:])
				break
			}
			words = append(words, s[1:1+end])
			s = s[2+end:]
			continue
		}
		end := strings.IndexAny(s, " \t")
		if end < 0 {
			end = len(s)
		}
		words = append(words, s[:end])
		s = s[end:]
	}
	return words
}

// drawing reads a w:drawing, w:pict or w:object: the text of its text
// boxes goes after the paragraph; a picture, chart or diagram is counted
// for the warning.
func (r *docxReader) drawing(p *docxPara) error {
	image := false
	var look func(xml.StartElement) error
	look = func(z xml.StartElement) error {
		switch k := docxKey(z.Name); {
		case k == "txbxContent":
			// A box in a table cell does not take the table's style.
			saved := r.cellRPr
			r.cellRPr = nil
			box := &docxSink{}
			err := r.blocks(box)
			r.cellRPr = saved
			if err != nil {
				return err
			}
			p.boxes = append(p.boxes, box.lines...)
			return nil
		case k == "mc:AlternateContent":
			return r.alternate(look)
		case k == "?:blip" || k == "?:imagedata" || k == "?:chart" || k == "?:relIds":
			image = true
			return r.skip()
		}
		return r.children(look)
	}
	if err := r.children(look); err != nil {
		return err
	}
	if image {
		if r.images++; r.images == 1 {
			r.imageSrc = p.src
		}
	}
	return nil
}

// place puts a paragraph read into sink: as lines (split where a page
// break is inside it), or as text of a table cell.
func (r *docxReader) place(p *docxPara, sink *docxSink) {
	if r.quiet > 0 || p.toc || r.styles.isTOC(p.style) {
		return // a table of contents repeats the headings
	}
	var pieces [][]docxSeg
	cur := []docxSeg{}
	for _, s := range p.segs {
		if s.brk {
			pieces = append(pieces, cur)
			cur = []docxSeg{}
			continue
		}
		cur = append(cur, s)
	}
	pieces = append(pieces, cur)

	if sink.cell {
		for _, piece := range pieces {
			if segs := docxClean(piece); len(segs) > 0 {
				sink.texts = append(sink.texts, docxMarkdown(segs))
				sink.plain = append(sink.plain, docxMarkdown(docxPlain(segs)))
				sink.bold = sink.bold && docxAllBold(segs)
			}
		}
		sink.after = append(sink.after, p.boxes...)
		return
	}

	kind, level, ordered := r.kind(p)
	if p.props.PageBreakBefore.on() != nil && *p.props.PageBreakBefore.on() {
		sink.lines = append(sink.lines, Line{Kind: Break, Src: p.src, Gap: true})
	}
	for i, piece := range pieces {
		if i > 0 {
			sink.lines = append(sink.lines, Line{Kind: Break, Src: p.src, Gap: true})
		}
		segs := docxClean(piece)
		if len(segs) == 0 {
			continue
		}
		l := Line{Kind: kind, Level: level, Ordered: ordered, Src: p.src, Bold: docxAllBold(segs), Gap: true}
		if kind == Heading {
			segs = docxPlain(segs)
		}
		l.Text = docxMarkdown(segs)
		sink.lines = append(sink.lines, l)
	}
	sink.lines = append(sink.lines, p.boxes...)
}

// docxPlain drops the bold or italics that cover the whole text of a
// heading or a header cell: that is its look, not emphasis of its words.
func docxPlain(segs []docxSeg) []docxSeg {
	bold, italic := docxAllBold(segs), docxAllItalic(segs)
	out := slices.Clone(segs)
	for i := range out {
		out[i].bold = out[i].bold && !bold
		out[i].italic = out[i].italic && !italic
	}
	return out
}

// kind returns what a paragraph is: a heading (by outline level, then by
// its style's name), a list item (numbered, or of a list style), or a
// paragraph.
func (r *docxReader) kind(p *docxPara) (kind LineKind, level int, ordered bool) {
	st := r.styles
	if lvl, ok := p.props.OutlineLvl.num(); ok {
		// Set on the paragraph itself, the outline level decides.
		if lvl >= 0 && lvl <= 5 {
			return Heading, lvl + 1, false
		}
	} else {
		if lvl, ok := st.outline(p.style); ok && lvl >= 0 && lvl <= 5 {
			return Heading, lvl + 1, false
		}
		if n := st.headingByName(p.style); n > 0 {
			return Heading, n, false
		}
	}
	if numID, ilvl, ok := r.listOf(p); ok {
		ordered := r.numbering.ordered(numID, ilvl, st)
		// "List Bullet 2" is numbered at the top level of a list of its
		// own, indented: its name tells the nesting.
		if lvl, _, ok := st.listByName(p.style); ok && p.props.NumPr == nil {
			ilvl = max(ilvl, lvl)
		}
		return Item, ilvl, ordered
	}
	if lvl, ord, ok := st.listByName(p.style); ok {
		return Item, lvl, ord
	}
	return Para, 0, false
}

// listOf returns the list a paragraph is numbered in and its level: its
// own w:numPr, else its style's. List "0" is none: it takes a paragraph
// out of its style's list.
func (r *docxReader) listOf(p *docxPara) (numID string, ilvl int, ok bool) {
	ilvl = -1
	fromStyle := false
	if np := p.props.NumPr; np != nil {
		numID = np.NumID.str()
		if n, ok := np.Ilvl.num(); ok {
			ilvl = n
		}
	}
	if numID == "" {
		var styleLvl int
		numID, styleLvl = r.styles.numPr(p.style)
		fromStyle = true
		if ilvl < 0 {
			ilvl = styleLvl
		}
	}
	if numID == "" || numID == "0" {
		return "", 0, false
	}
	if ilvl < 0 && fromStyle {
		ilvl, _ = r.numbering.styleLevel(numID, p.style)
	}
	return numID, min(max(ilvl, 0), 8), true
}

// docxTable is the state of a table's walk.
type docxTable struct {
	style    string
	firstRow bool // its style's look of the first row is on
	rows     int  // rows met
	emitted  int  // rows written as lines
}

// docxRow is a table row being read.
type docxRow struct {
	src     int
	first   bool
	header  bool // w:tblHeader: the row repeats at the top of each page
	deleted bool // a tracked deletion
	after   int  // empty cells after the last (w:gridAfter)
	cells   []string
	plain   []string // the cells as a header row has them (see docxSink.plain)
	any     bool     // a cell has text
	bold    bool     // every cell with text is bold
	boxes   []Line
}

// table reads a table: each row a Row line, or, in a cell, more text of
// the cell.
func (r *docxReader) table(sink *docxSink) error {
	t := &docxTable{}
	saved := r.cellRPr
	defer func() { r.cellRPr = saved }()
	var child func(xml.StartElement) error
	child = func(c xml.StartElement) error {
		switch docxKey(c.Name) {
		case "tblPr":
			var pr struct {
				Style *docxVal `xml:"tblStyle"`
				Look  *struct {
					Val      string `xml:"val,attr"`
					FirstRow string `xml:"firstRow,attr"`
				} `xml:"tblLook"`
			}
			if err := r.decode(&pr, c); err != nil {
				return err
			}
			t.style = pr.Style.str()
			if l := pr.Look; l != nil {
				t.firstRow = l.FirstRow == "1" || l.FirstRow == "true" || l.FirstRow == "on" ||
					l.FirstRow == "" && docxHexBit(l.Val, 0x0020)
			}
			return nil
		case "tr":
			return r.row(t, sink)
		case "sdt", "customXml", "sdtContent":
			return r.children(child)
		}
		return r.skip()
	}
	return r.children(child)
}

// docxHexBit reports whether a w:tblLook's hexadecimal value has the bit.
func docxHexBit(hex string, bit int) bool {
	var n int
	if _, err := fmt.Sscanf(hex, "%x", &n); err != nil {
		return false
	}
	return n&bit != 0
}

// row reads a table row.
func (r *docxReader) row(t *docxTable, sink *docxSink) error {
	t.rows++
	row := &docxRow{src: r.src + 1, first: t.rows == 1, bold: true}
	var child func(xml.StartElement) error
	child = func(c xml.StartElement) error {
		switch docxKey(c.Name) {
		case "trPr":
			var pr struct {
				Header     *docxVal  `xml:"tblHeader"`
				Del        *struct{} `xml:"del"`
				GridBefore *docxVal  `xml:"gridBefore"`
				GridAfter  *docxVal  `xml:"gridAfter"`
			}
			if err := r.decode(&pr, c); err != nil {
				return err
			}
			if h := pr.Header.on(); h != nil {
				row.header = *h
			}
			row.deleted = pr.Del != nil
			if n, ok := pr.GridBefore.num(); ok {
				row.cells = append(row.cells, make([]string, min(max(n, 0), 64))...)
				row.plain = append(row.plain, make([]string, min(max(n, 0), 64))...)
			}
			if n, ok := pr.GridAfter.num(); ok {
				row.after = min(max(n, 0), 64)
			}
			return nil
		case "tc":
			return r.cell(t, row)
		case "sdt", "customXml", "sdtContent":
			return r.children(child)
		}
		return r.skip()
	}
	if err := r.children(child); err != nil {
		return err
	}
	if row.deleted {
		r.tracked()
		return nil
	}
	row.cells = append(row.cells, make([]string, row.after)...)
	row.plain = append(row.plain, make([]string, row.after)...)
	if sink.cell {
		for i, c := range row.cells {
			if c != "" {
				sink.texts = append(sink.texts, c)
				sink.plain = append(sink.plain, row.plain[i])
			}
		}
		sink.bold = sink.bold && (!row.any || row.bold)
		sink.after = append(sink.after, row.boxes...)
		return nil
	}
	if row.any && r.quiet == 0 {
		l := Line{Kind: Row, Cells: row.cells, Src: row.src, Gap: t.emitted == 0, Bold: row.bold,
			Header: row.header || row.first && row.bold}
		if l.Header {
			l.Cells = row.plain
		}
		sink.lines = append(sink.lines, l)
		t.emitted++
	}
	sink.lines = append(sink.lines, row.boxes...)
	return nil
}

// cell reads a table cell: its paragraphs (and tables) on one line.
func (r *docxReader) cell(t *docxTable, row *docxRow) error {
	cs := &docxSink{cell: true, bold: true}
	span := 1
	r.cellRPr = r.styles.tableLevels(t.style, row.first && t.firstRow)
	err := r.children(func(c xml.StartElement) error {
		if docxKey(c.Name) == "tcPr" {
			var pr struct {
				GridSpan *docxVal `xml:"gridSpan"`
			}
			if err := r.decode(&pr, c); err != nil {
				return err
			}
			if n, ok := pr.GridSpan.num(); ok {
				span = min(max(n, 1), 64)
			}
			return nil
		}
		return r.block(c, cs)
	})
	if err != nil {
		return err
	}
	row.cells = append(row.cells, docxCell(cs.texts))
	row.plain = append(row.plain, docxCell(cs.plain))
	// A merged cell spans columns: empty cells keep the columns in line.
	row.cells = append(row.cells, make([]string, span-1)...)
	row.plain = append(row.plain, make([]string, span-1)...)
	if len(cs.texts) > 0 {
		row.any = true
		row.bold = row.bold && cs.bold
	}
	row.boxes = append(row.boxes, cs.after...)
	return nil
}
