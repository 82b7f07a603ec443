package author

import (
	"regexp"
	"slices"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The inline Markdown of a web page's text: bold, italic, links and code
// as Markdown, spaces collapsed as a browser does, what Markdown would read
// as syntax escaped.

// htmlInline is the context of inline content.
type htmlInline struct {
	// bold and italic say the text is inside bold or italic whose markers
	// are open, or which needs none (a heading shows bold).
	bold, italic bool
	strong       bool // the text is bold, for Line.Bold
	link         bool // inside a link, which cannot hold another
	heading      bool // inside a heading, whose links to itself are text
	flat         bool // line breaks and blocks are spaces (a table cell)
}

// htmlCtx is the context of blocks: the inline context of the elements
// around them, and the markers each paragraph inside is wrapped in (for a
// paragraph inside a link or a bold element).
type htmlCtx struct {
	htmlInline
	wraps []htmlWrap
}

// htmlWrap is a pair of markers around a paragraph.
type htmlWrap struct{ open, close string }

// htmlBlockCtx returns the context inside element n: bold or italic by
// its element or style, inside a link.
func htmlBlockCtx(n *html.Node, c htmlCtx) htmlCtx {
	marker, in := htmlEmphasis(n, c.htmlInline)
	nc := htmlCtx{htmlInline: in, wraps: c.wraps}
	if marker != "" {
		nc.wraps = append(slices.Clone(c.wraps), htmlWrap{marker, marker})
	}
	if n.DataAtom == atom.A && !c.link {
		if href, ok := htmlHref(n); ok {
			nc.wraps = append(slices.Clone(nc.wraps), htmlWrap{"[", "](" + htmlLinkDest(href) + ")"})
			nc.link = true
		}
	}
	return nc
}

// htmlEmphasis returns the markers element n opens (bold "**", italic
// "*", both, or none) and the context inside it. Bold or italic already
// open take no markers again; a style of font-weight or font-style counts
// as much as the element (and <b style="font-weight:normal"> is not bold).
func htmlEmphasis(n *html.Node, c htmlInline) (string, htmlInline) {
	bold, italic := false, false
	switch n.DataAtom {
	case atom.B, atom.Strong:
		bold = true
	case atom.Em, atom.I, atom.Cite, atom.Var, atom.Dfn:
		italic = true
	}
	switch htmlStyle(n, "font-weight") {
	case "bold", "bolder", "600", "700", "800", "900":
		bold = true
	case "normal", "lighter", "100", "200", "300", "400", "500":
		bold = false
	}
	switch htmlStyle(n, "font-style") {
	case "italic", "oblique":
		italic = true
	case "normal":
		italic = false
	}
	marker := ""
	if bold {
		c.strong = true
		if !c.bold {
			c.bold = true
			marker += "**"
		}
	}
	if italic && !c.italic {
		c.italic = true
		marker += "*"
	}
	return marker, c
}

// htmlSeg is one line of inline Markdown being made; a line break starts
// the next.
type htmlSeg struct {
	md            strings.Builder
	plain, strong int  // characters outside and inside bold
	src           int  // the line where it starts
	fix           bool // src is that of a line break: add the line ends after it
	brk           bool // a page break comes before it
}

// htmlRun makes the lines of a run of inline content.
type htmlRun struct {
	r    *htmlReader
	segs []*htmlSeg
}

// render makes the lines of nodes, the first starting at line src.
func (r *htmlReader) render(nodes []*html.Node, c htmlInline, src int) *htmlRun {
	w := &htmlRun{r: r, segs: []*htmlSeg{{src: src}}}
	for _, n := range nodes {
		w.node(n, c)
	}
	return w
}

// htmlChildren returns n's children.
func htmlChildren(n *html.Node) []*html.Node {
	var out []*html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		out = append(out, c)
	}
	return out
}

func (w *htmlRun) cur() *htmlSeg { return w.segs[len(w.segs)-1] }

// sub returns an empty run for the content of an element to be wrapped.
func (w *htmlRun) sub() *htmlRun { return &htmlRun{r: w.r, segs: []*htmlSeg{{}}} }

// children renders the children of n.
func (w *htmlRun) children(n *html.Node, c htmlInline) {
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		w.node(k, c)
	}
}

// node renders one node.
func (w *htmlRun) node(n *html.Node, c htmlInline) {
	if n.Type == html.TextNode {
		w.text(n.Data, c)
		return
	}
	if n.Type != html.ElementNode || w.r.drop(n) {
		return
	}
	switch n.DataAtom {
	case atom.Br:
		if c.flat {
			w.text(" ", c)
			return
		}
		w.segs = append(w.segs, &htmlSeg{src: w.r.src(n), fix: true, brk: htmlPageBreak(n, "before")})
		return
	case atom.Wbr:
		return
	case atom.Code, atom.Kbd, atom.Samp, atom.Tt:
		w.code(n, c)
		return
	case atom.A:
		w.link(n, c)
		return
	case atom.Q:
		w.text("“", c)
		w.children(n, c)
		w.text("”", c)
		return
	}
	if c.flat && htmlBlockTags[n.DataAtom] {
		if n.DataAtom == atom.Li && htmlPrevElement(n) != nil && htmlPrevElement(n).DataAtom == atom.Li {
			seg := w.cur() // items of a list in a cell: "A; B"
			md := strings.TrimRight(seg.md.String(), " ")
			seg.md.Reset()
			seg.md.WriteString(md + ";")
		}
		w.text(" ", c)
		w.children(n, c)
		w.text(" ", c)
		return
	}
	marker, in := htmlEmphasis(n, c)
	if marker == "" {
		w.children(n, in)
		return
	}
	sub := w.sub()
	sub.children(n, in)
	w.merge(sub, marker, marker)
}

// htmlPrevElement returns the element before n among its siblings, or nil.
func htmlPrevElement(n *html.Node) *html.Node {
	for p := n.PrevSibling; p != nil; p = p.PrevSibling {
		if p.Type == html.ElementNode {
			return p
		}
	}
	return nil
}

// text adds text: spaces collapsed, odd spaces plain, invisible characters
// dropped, Markdown's syntax escaped.
func (w *htmlRun) text(s string, c htmlInline) {
	seg := w.cur()
	var b strings.Builder
	n := 0
	space := false
	for _, ch := range s {
		if seg.fix {
			if ch == '\n' {
				seg.src++
			} else if !htmlIsSpace(ch) && !htmlZeroWidth(ch) {
				seg.fix = false
			}
		}
		switch {
		case htmlZeroWidth(ch):
		case htmlIsSpace(ch):
			if !space {
				b.WriteByte(' ')
				space = true
			}
		default:
			b.WriteRune(ch)
			space = false
			n++
		}
	}
	seg.md.WriteString(htmlEscapeInline(b.String()))
	w.counted(seg, n, c)
}

// counted adds n characters to a segment's count, bold or not.
func (w *htmlRun) counted(seg *htmlSeg, n int, c htmlInline) {
	if c.strong {
		seg.strong += n
	} else {
		seg.plain += n
	}
	if n > 0 {
		seg.fix = false
	}
}

// raw adds Markdown as it is, of n visible characters.
func (w *htmlRun) raw(md string, n int, c htmlInline) {
	seg := w.cur()
	seg.md.WriteString(md)
	w.counted(seg, n, c)
}

// merge adds a wrapped element's lines: its first continues the current
// line, the others (after its line breaks) follow. Each is wrapped in the
// markers, the spaces at its ends put outside them; the same markers
// closing and opening again ("**a****b**") are joined.
func (w *htmlRun) merge(sub *htmlRun, open, close string) {
	for i, s := range sub.segs {
		md := htmlHoist(s.md.String(), open, close)
		if i > 0 {
			ns := &htmlSeg{src: s.src, fix: s.fix, brk: s.brk, plain: s.plain, strong: s.strong}
			ns.md.WriteString(md)
			w.segs = append(w.segs, ns)
			continue
		}
		t := w.cur()
		cur := t.md.String()
		if open == close && (open == "**" || open == "*") && strings.HasPrefix(md, open) &&
			strings.HasSuffix(cur, close) && !htmlEscapedAt(cur, len(cur)-len(close)) {
			t.md.Reset()
			t.md.WriteString(cur[:len(cur)-len(close)])
			md = md[len(open):]
		}
		t.md.WriteString(md)
		t.plain += s.plain
		t.strong += s.strong
		if s.plain+s.strong > 0 {
			t.fix = false
		}
	}
}

// wrapAll wraps each of the run's lines in markers.
func (w *htmlRun) wrapAll(open, close string) {
	for _, s := range w.segs {
		md := htmlHoist(s.md.String(), open, close)
		s.md.Reset()
		s.md.WriteString(md)
	}
}

// htmlEscapedAt reports whether the character at i of Markdown md is
// escaped: an odd number of backslashes before it.
func htmlEscapedAt(md string, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && md[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

// htmlHoist wraps md in markers, with its leading and trailing spaces
// outside them ("** a **" is not bold in Markdown); md of spaces only stays
// as it is.
func htmlHoist(md, open, close string) string {
	core := strings.Trim(md, " ")
	if core == "" {
		return md
	}
	lead := len(md) - len(strings.TrimLeft(md, " "))
	trail := len(md) - len(strings.TrimRight(md, " "))
	return md[:lead] + open + core + close + md[len(md)-trail:]
}

// code renders code, kbd and samp: a code span of their text.
func (w *htmlRun) code(n *html.Node, c htmlInline) {
	t := htmlCollapse(w.r.plainText(n))
	core := strings.TrimSpace(t)
	if core == "" {
		if t != "" {
			w.text(" ", c)
		}
		return
	}
	md := htmlCodeSpan(core)
	if strings.HasPrefix(t, " ") {
		md = " " + md
	}
	if strings.HasSuffix(t, " ") {
		md += " "
	}
	w.raw(md, htmlVisible(core), c)
}

// link renders a link as [text](href), or <href> when its text is its
// address. A link to a script, a placeholder ("#"), a link inside a link
// and a heading's link to itself are their text only.
func (w *htmlRun) link(n *html.Node, c htmlInline) {
	href, ok := htmlHref(n)
	if !ok || c.link || c.heading && strings.HasPrefix(href, "#") {
		w.children(n, c)
		return
	}
	t := htmlCollapse(w.r.plainText(n))
	if auto := htmlAutolink(strings.TrimSpace(t), href); auto != "" {
		if strings.HasPrefix(t, " ") {
			auto = " " + auto
		}
		if strings.HasSuffix(t, " ") {
			auto += " "
		}
		w.raw(auto, htmlVisible(t), c)
		return
	}
	in := c
	in.link = true
	sub := w.sub()
	sub.children(n, in)
	w.merge(sub, "[", "]("+htmlLinkDest(href)+")")
}

// htmlHref returns a link's address, trimmed, and whether it is one to
// keep: not a script's, not a placeholder.
func htmlHref(n *html.Node) (string, bool) {
	href, ok := htmlAttrOK(n, "href")
	if !ok {
		return "", false
	}
	href = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, strings.TrimSpace(href))
	if href == "" || href == "#" || strings.HasPrefix(strings.ToLower(href), "javascript:") {
		return "", false
	}
	return href, true
}

// htmlAutolink returns <href> when a link's text is its address (or its
// e-mail address), else "".
func htmlAutolink(text, href string) string {
	if strings.ContainsAny(href, " <>") {
		return ""
	}
	low := strings.ToLower(href)
	switch {
	case text == href && (strings.HasPrefix(low, "http://") || strings.HasPrefix(low, "https://") || strings.HasPrefix(low, "ftp://")):
		return "<" + href + ">"
	case strings.HasPrefix(low, "mailto:") && text == href[len("mailto:"):] && strings.Contains(text, "@"):
		return "<" + text + ">"
	}
	return ""
}

// htmlLinkDest writes an address as a Markdown link's destination, as
// written but for escapes: backslashes and parentheses escaped, spaces and
// angle brackets percent-encoded.
func htmlLinkDest(href string) string {
	var b strings.Builder
	for _, r := range href {
		switch r {
		case '\\', '(', ')':
			b.WriteByte('\\')
			b.WriteRune(r)
		case ' ':
			b.WriteString("%20")
		case '<':
			b.WriteString("%3C")
		case '>':
			b.WriteString("%3E")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// plainText returns the text under n as shown, what is left out skipped, a
// line break a space.
func (r *htmlReader) plainText(n *html.Node) string { return r.textUnder(n, false) }

// preText returns the text of preformatted n with its line ends: a line
// break or a block inside it ends a line.
func (r *htmlReader) preText(n *html.Node) string {
	return strings.ReplaceAll(r.textUnder(n, true), "\r", "")
}

// textUnder returns the text under n, what is left out skipped: a line
// break a space, or with lines a line end, as the end of a block is.
func (r *htmlReader) textUnder(n *html.Node, lines bool) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for k := n.FirstChild; k != nil; k = k.NextSibling {
			switch {
			case k.Type == html.TextNode:
				b.WriteString(k.Data)
			case k.Type != html.ElementNode || r.drop(k):
			case k.DataAtom == atom.Br && lines:
				b.WriteByte('\n')
			case k.DataAtom == atom.Br:
				b.WriteByte(' ')
			default:
				walk(k)
				if lines && htmlBlockTags[k.DataAtom] {
					b.WriteByte('\n')
				}
			}
		}
	}
	walk(n)
	return b.String()
}

// htmlIsSpace reports whether a character is a space as HTML collapses
// them, or one of the odd spaces (non-breaking, thin, ideographic...) the
// reader makes plain.
func htmlIsSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\f':
		return true
	}
	return oddSpace(r)
}

// htmlZeroWidth reports whether a character is invisible and dropped: zero
// width spaces, soft hyphens and control characters. The joiners of
// scripts and emoji stay.
func htmlZeroWidth(r rune) bool { return invisible(r) || r == '\v' }

// htmlCollapse collapses a text's spaces as a browser does, without
// trimming it, and drops invisible characters.
func htmlCollapse(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case htmlZeroWidth(r):
		case htmlIsSpace(r):
			if !space {
				b.WriteByte(' ')
			}
			space = true
		default:
			b.WriteRune(r)
			space = false
		}
	}
	return b.String()
}

// htmlPlainSpaces makes a preformatted line's odd spaces plain and drops
// its invisible characters, keeping its spaces and tabs as they are.
func htmlPlainSpaces(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t':
			return r
		case htmlZeroWidth(r):
			return -1
		case htmlIsSpace(r):
			return ' '
		}
		return r
	}, s)
}

// htmlVisible counts the characters of s that are not spaces.
func htmlVisible(s string) int {
	n := 0
	for _, r := range s {
		if !htmlIsSpace(r) {
			n++
		}
	}
	return n
}

// htmlEscapeInline escapes what Markdown (with flipchart's extensions)
// would read as syntax inside a line: \ ` * _ [ ] ~, a < that could open
// raw HTML and an & that could open an entity.
func htmlEscapeInline(s string) string {
	if !strings.ContainsAny(s, "\\`*_[]~<&") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\', '`', '*', '_', '[', ']', '~':
			b.WriteByte('\\')
		case '<':
			if i+1 < len(s) && (htmlASCIILetter(s[i+1]) || strings.IndexByte("/!?", s[i+1]) >= 0) {
				b.WriteByte('\\')
			}
		case '&':
			if htmlEntityStart.MatchString(s[i+1:]) {
				b.WriteByte('\\')
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

var htmlEntityStart = regexp.MustCompile(`^#?[A-Za-z0-9]+;`)

func htmlASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// htmlTidy collapses the spaces of a line of Markdown and trims it. Its
// text's spaces are single already; markers moved spaces beside others.
func htmlTidy(md string) string {
	return strings.Join(strings.Fields(md), " ")
}

// htmlLineStart escapes what would make a paragraph's or item's Markdown
// line something else: a heading (#), a quote (>), a list item ("- ",
// "+ ", "1. ", "1) "), a rule or setext underline (---, ===) or a
// container fence (:::).
func htmlLineStart(text string) string {
	if text == "" {
		return text
	}
	switch text[0] {
	case '#', '>':
		return `\` + text
	case ':':
		if strings.HasPrefix(text, ":::") {
			return `\` + text
		}
	case '-', '+', '=':
		if len(text) == 1 || text[1] == ' ' || strings.Trim(text, "-= ") == "" {
			return `\` + text
		}
	}
	j := 0
	for j < len(text) && j < 10 && text[j] >= '0' && text[j] <= '9' {
		j++
	}
	if j > 0 && j < len(text) && (text[j] == '.' || text[j] == ')') && (j+1 == len(text) || text[j+1] == ' ') {
		return text[:j] + `\` + text[j:]
	}
	return text
}

// htmlHeadingText escapes what would end a heading's Markdown line as
// syntax: a closing run of # and an attribute block {…}.
func htmlHeadingText(text string) string {
	if t := strings.TrimRight(text, "#"); len(t) < len(text) && (t == "" || strings.HasSuffix(t, " ")) {
		text = t + `\` + text[len(t):]
	}
	if strings.HasSuffix(text, "}") {
		if i := strings.LastIndexByte(text, '{'); i >= 0 && !htmlEscapedAt(text, i) {
			text = text[:i] + `\` + text[i:]
		}
	}
	return text
}

// htmlCodeSpan writes s as a Markdown code span: fenced by more backticks
// than it holds in a row, padded when it begins or ends with one.
func htmlCodeSpan(s string) string {
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	pad := ""
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") ||
		strings.HasPrefix(s, " ") && strings.HasSuffix(s, " ") && strings.TrimSpace(s) != "" {
		pad = " "
	}
	return fence + pad + s + pad + fence
}

var htmlLinkTail = regexp.MustCompile(`\]\((?:\\.|[^)\\])*\)`)

// htmlPlain returns the text of a line of Markdown without its markup.
func htmlPlain(md string) string {
	md = htmlLinkTail.ReplaceAllString(md, "")
	var b strings.Builder
	for i := 0; i < len(md); i++ {
		switch c := md[i]; c {
		case '\\':
			if i+1 < len(md) {
				i++
				b.WriteByte(md[i])
			}
		case '*', '[', '`', '<':
		default:
			b.WriteByte(c)
		}
	}
	return strings.TrimSpace(b.String())
}
