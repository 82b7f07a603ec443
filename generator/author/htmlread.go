package author

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The web page reader: a page saved from a browser, a WordPress or
// documentation site, read into a Doc of its main content. Site furniture
// (menus, sidebars, banners, footers, share buttons, cookie notices) is left
// out, as are scripts, forms, pictures and media. The inline Markdown of its
// text is made in htmlinline.go.

func init() {
	readers[".html"] = readHTML
	readers[".htm"] = readHTML
}

// htmlSrcAttr is the attribute readHTML adds to every start tag before the
// page is parsed, holding the tag's line, so that each element knows where
// it starts (the parser keeps no positions).
const htmlSrcAttr = "data-flipchart-src"

// readHTML reads a web page into a Doc.
func readHTML(file string, data []byte) (*Doc, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("the file is empty")
	}
	if what := htmlBinaryKind(data); what != "" {
		return nil, errors.New("not a web page: " + what)
	}
	doc := &Doc{File: file}
	text, err := htmlDecode(data, doc)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(text) == "" {
		return nil, errors.New("the file is empty")
	}
	if strings.ContainsRune(text, 0) {
		return nil, errors.New("not a web page: the file holds binary data; is it a document of another kind renamed .html?")
	}
	marked, tags := htmlMarkLines(text)
	if tags == 0 {
		return nil, errors.New("not a web page: the file has no HTML tags; if it is plain text, give it a .txt name")
	}
	// The parser refuses elements nested more than 512 deep, which keeps
	// the reader's recursion shallow too.
	root, err := html.Parse(strings.NewReader(marked))
	if err != nil {
		return nil, fmt.Errorf("cannot read the web page (%v); simplify it, or copy its text into a .txt file", err)
	}
	r := &htmlReader{doc: doc, seen: map[*html.Node]bool{}, blocky: map[*html.Node]bool{}}
	r.read(root)
	return doc, nil
}

// htmlBinaryKind names what a file is when it is plainly not a web page
// but a known binary format, else "".
func htmlBinaryKind(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return "it is a PDF file; give it a .pdf name"
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return "it is a zip archive, perhaps a Word document; give it its own name (.docx)"
	case bytes.HasPrefix(data, []byte("\xD0\xCF\x11\xE0")):
		return "it is an old Office document (.doc); open it in Word and save it as .docx"
	}
	head := data[:min(len(data), 2048)]
	if bytes.HasPrefix(bytes.TrimSpace(head), []byte("MIME-Version:")) || bytes.Contains(bytes.ToLower(head), []byte("content-type: multipart/related")) {
		return `it is a web archive (.mht); open it in a browser and save it as "Web page, HTML only"`
	}
	return ""
}

// htmlDecode returns the page as UTF-8 text. A byte-order mark decides;
// else the page's declared encoding, trusted for UTF-8 and the Latin ones
// (Windows-1252 and ISO-8859-1, read as Windows-1252, as browsers do),
// unless the bytes are plainly UTF-8 or plainly not. An encoding flipchart
// cannot decode is an error, unless the text reads the same in UTF-8.
// Anything but UTF-8 is a warning on doc.
func htmlDecode(data []byte, doc *Doc) (string, error) {
	text, how := decodeText(data)
	if how == "UTF-16" {
		doc.Warn(0, "", "the page is in UTF-16; it was read as such")
		return text, nil
	}
	if bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
		return text, nil // a UTF-8 mark overrides any declaration
	}
	label, line := htmlDeclaredCharset(data)
	class := htmlCharsetClass(label)
	if class == "windows-1252" || class == "other" {
		// Text that reads the same either way, or plainly UTF-8.
		switch {
		case htmlASCII(data):
			return text, nil
		case how == "":
			doc.Warn(line, "check accented letters and quotes in the result", "the page declares %s, but its text is UTF-8; it was read as UTF-8", label)
			return text, nil
		}
	}
	switch class {
	case "windows-1252":
		doc.Warn(line, "check accented letters and quotes in the result", "the page is in %s; it was read as Windows-1252", label)
		return windows1252(data), nil
	case "other":
		return "", fmt.Errorf("the page is in %s, which flipchart import cannot read; convert it to UTF-8 (for example: iconv -f %s -t UTF-8 page.html > page-utf8.html) and import that", label, label)
	}
	if how != "" {
		what := "declares no encoding"
		if label != "" {
			what = "declares " + label
		}
		doc.Warn(line, "check accented letters and quotes in the result; if they are wrong, save the page again as UTF-8", "the page %s but is not valid UTF-8; it was read as Windows-1252", what)
	}
	return text, nil
}

// htmlASCII reports whether data is all ASCII, which reads the same in
// every encoding a web page may declare but UTF-16.
func htmlASCII(data []byte) bool {
	for _, c := range data {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// htmlDeclaredCharset returns the encoding the page declares, by <meta
// charset>, <meta http-equiv="Content-Type"> or an XML declaration, and the
// line of the declaration; "" when it declares none before its body.
func htmlDeclaredCharset(data []byte) (string, int) {
	head := data[:min(len(data), 64<<10)]
	z := html.NewTokenizer(bytes.NewReader(head))
	line := 1
	for {
		tt := z.Next()
		raw := z.Raw()
		at := line
		line += htmlCountLines(raw)
		switch tt {
		case html.ErrorToken:
			return "", 0
		case html.CommentToken:
			if c := string(z.Text()); strings.HasPrefix(c, "?xml") {
				if l := htmlParamValue(c, "encoding"); l != "" {
					return l, at
				}
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			switch string(name) {
			case "body":
				return "", 0
			case "meta":
				var charset, equiv, content string
				for more {
					var k, v []byte
					k, v, more = z.TagAttr()
					switch string(k) {
					case "charset":
						charset = string(v)
					case "http-equiv":
						equiv = strings.ToLower(string(v))
					case "content":
						content = string(v)
					}
				}
				if l := strings.TrimSpace(charset); l != "" {
					return l, at
				}
				if equiv == "content-type" {
					if l := htmlParamValue(content, "charset"); l != "" {
						return l, at
					}
				}
			}
		}
	}
}

// htmlParamValue returns the value of name= in s ("text/html;
// charset=utf-8", `?xml version="1.0" encoding="latin1"?`), quotes removed.
func htmlParamValue(s, name string) string {
	i := strings.Index(strings.ToLower(s), name)
	if i < 0 {
		return ""
	}
	s = strings.TrimLeft(s[i+len(name):], " \t")
	if !strings.HasPrefix(s, "=") {
		return ""
	}
	s = strings.TrimLeft(s[1:], " \t\"'")
	if j := strings.IndexAny(s, "\"'; \t?>"); j >= 0 {
		s = s[:j]
	}
	return s
}

// htmlCharsetClass sorts an encoding's label: "utf-8", "utf-16",
// "windows-1252" for it and the labels browsers read as it, "" for none,
// else "other".
func htmlCharsetClass(label string) string {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "":
		return ""
	case "utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8":
		return "utf-8"
	case "utf-16", "utf-16le", "utf-16be", "unicode", "ucs-2", "csunicode", "iso-10646-ucs-2", "unicodefeff", "unicodefffe":
		// Without a byte-order mark, browsers read these as UTF-8.
		return "utf-16"
	case "windows-1252", "cp1252", "x-cp1252", "iso-8859-1", "iso8859-1", "iso_8859-1", "iso88591",
		"iso_8859-1:1987", "latin1", "latin-1", "l1", "us-ascii", "ascii", "ansi_x3.4-1968", "cp819",
		"ibm819", "iso-ir-100", "csisolatin1":
		return "windows-1252"
	}
	return "other"
}

// htmlCountLines counts the line ends in b: \n, \r\n or a lone \r.
func htmlCountLines(b []byte) int {
	n := 0
	for i, c := range b {
		if c == '\n' || c == '\r' && (i+1 == len(b) || b[i+1] != '\n') {
			n++
		}
	}
	return n
}

// htmlBreakout are the start tags that end SVG or MathML content in the
// HTML parser, as htmlMarkLines follows it.
var htmlBreakout = map[string]bool{
	"b": true, "big": true, "blockquote": true, "body": true, "br": true, "center": true,
	"code": true, "dd": true, "div": true, "dl": true, "dt": true, "em": true, "embed": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "head": true,
	"hr": true, "i": true, "img": true, "li": true, "listing": true, "menu": true, "meta": true,
	"nobr": true, "ol": true, "p": true, "pre": true, "ruby": true, "s": true, "small": true,
	"span": true, "strike": true, "strong": true, "sub": true, "sup": true, "table": true,
	"tt": true, "u": true, "ul": true, "var": true,
}

// htmlMarkLines returns the page with each start tag given its line in
// htmlSrcAttr, and the number of tags, start and end. It reads the page as the parser
// will, so as to mark only real tags (not "<b>" in a script).
func htmlMarkLines(text string) (string, int) {
	z := html.NewTokenizer(strings.NewReader(text))
	var b strings.Builder
	b.Grow(len(text) + len(text)/4)
	line, tags, foreign := 1, 0, 0
	for {
		tt := z.Next()
		raw := z.Raw()
		at := line
		line += htmlCountLines(raw)
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			b.Write(raw)
			if tt == html.ErrorToken {
				break
			}
			if tt == html.EndTagToken {
				tags++
			}
			if tt == html.EndTagToken && foreign > 0 {
				if name, _ := z.TagName(); string(name) == "svg" || string(name) == "math" {
					foreign--
				}
			}
			continue
		}
		tags++
		i := 1
		for i < len(raw) && !strings.ContainsRune(" \t\n\r\f/>", rune(raw[i])) {
			i++
		}
		b.Write(raw[:i])
		fmt.Fprintf(&b, ` %s="%d"`, htmlSrcAttr, at)
		b.Write(raw[i:])
		name, _ := z.TagName()
		switch n := string(name); {
		case foreign > 0 && htmlBreakout[n]:
			foreign = 0
		case tt == html.StartTagToken && (n == "svg" || n == "math"):
			foreign++
		}
		if foreign > 0 {
			z.NextIsNotRawText() // SVG's <style> and <title> hold markup
		}
		z.AllowCDATA(foreign > 0)
	}
	return b.String(), tags
}

// htmlReader makes the lines of one page.
type htmlReader struct {
	doc  *Doc
	root *html.Node // the main content
	// seen are the pictures and media counted, as an element may be
	// looked at twice.
	seen             map[*html.Node]bool
	blocky           map[*html.Node]bool // whether an element holds block content
	images, imageSrc int
	media, mediaSrc  int

	pending   *htmlItem // the list item whose text is yet to come
	listDepth int       // lists open
	topList   int       // the outermost list open, by number
	lists     int       // lists begun
	tables    int       // tables begun
	lastList  int       // the outermost list of the last Item
	lastTable int       // the table of the last Row
}

// htmlItem is a list item whose text is the next paragraph read.
type htmlItem struct {
	level, src, list int
	ordered          bool
}

// read makes the Doc's lines from the parsed page.
func (r *htmlReader) read(page *html.Node) {
	body := htmlFind(page, func(n *html.Node) bool { return n.DataAtom == atom.Body })
	if body == nil {
		body = page
	}
	r.root = r.mainContent(body)
	if h := r.outerTitle(body); h != nil {
		r.heading(h, htmlCtx{})
	}
	r.container(r.root, htmlCtx{})
	r.finish()
}

// finish drops a breadcrumb line before the first heading and a trailing
// page break, and warns of what was left out.
func (r *htmlReader) finish() {
	lines := r.doc.Lines
	for i, l := range lines {
		if l.Kind == Heading {
			break
		}
		if l.Kind == Para && htmlBreadcrumb(l.Text) {
			lines = append(lines[:i], lines[i+1:]...)
			break
		}
	}
	for len(lines) > 0 && lines[len(lines)-1].Kind == Break {
		lines = lines[:len(lines)-1]
	}
	r.doc.Lines = lines
	if r.images > 0 {
		what := "1 image was"
		if r.images > 1 {
			what = fmt.Sprintf("%d images were", r.images)
		}
		r.doc.Warn(r.imageSrc, "add the pictures the session needs by hand; a saved page keeps them in its _files folder", "%s not imported", what)
	}
	if r.media > 0 {
		r.doc.Warn(r.mediaSrc, "link to them by hand if the session needs them", "%d video, audio or embedded frame(s) were not imported", r.media)
	}
}

// mainContent returns the element of the page's main content: <main>,
// else [role=main], else the largest <article>, else the element whose id
// or class names it content (see htmlContentNames), else the body. An
// element without text does not count.
func (r *htmlReader) mainContent(body *html.Node) *html.Node {
	has := func(n *html.Node) bool { return htmlTextLen(n) > 0 }
	if n := htmlFind(body, func(n *html.Node) bool {
		return n.DataAtom == atom.Main && !htmlHas(n, "hidden") && has(n)
	}); n != nil {
		return n
	}
	if n := htmlFind(body, func(n *html.Node) bool { return htmlRole(n) == "main" && has(n) }); n != nil {
		return n
	}
	var best *html.Node
	bestLen := 0
	for n := range body.Descendants() {
		if n.DataAtom == atom.Article {
			if l := htmlTextLen(n); l > bestLen {
				best, bestLen = n, l
			}
		}
	}
	if best != nil {
		return best
	}
	none := len(htmlContentNames) * 2
	bestScore := none
	for n := range body.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		score := htmlContentScore(n)
		if score == none || score > bestScore {
			continue
		}
		l := htmlTextLen(n)
		if l > 0 && (score < bestScore || l > bestLen) {
			best, bestScore, bestLen = n, score, l
		}
	}
	if best != nil {
		return best
	}
	return body
}

// htmlContentNames are ids and classes of a page's content element, the
// surest first: the outer wrappers before the inner, which may leave the
// title out.
var htmlContentNames = []string{
	"main-content", "maincontent", "content", "page-content", "site-content", "primary",
	"entry-content", "post-content", "article-content", "article-body", "post-body",
	"article", "post", "entry", "main",
}

// htmlContentScore rates an element as the page's content by its id or
// class: lower is surer, an id before a class; beyond the names, it is not.
func htmlContentScore(n *html.Node) int {
	id := strings.ToLower(htmlAttr(n, "id"))
	classes := htmlClasses(n)
	for i, name := range htmlContentNames {
		if id == name {
			return 2 * i
		}
		for _, c := range classes {
			if c == name {
				return 2*i + 1
			}
		}
	}
	return len(htmlContentNames) * 2
}

// outerTitle returns the page's title heading when the main content has
// none: an <h1> before it, outside it and outside the site's furniture and
// branding; nil when there is none.
func (r *htmlReader) outerTitle(body *html.Node) *html.Node {
	if htmlFind(r.root, func(n *html.Node) bool { return n.DataAtom == atom.H1 }) != nil {
		return nil
	}
	var found *html.Node
	var walk func(n *html.Node) bool // false once the main content is reached
	walk = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c == r.root {
				return false
			}
			if c.Type != html.ElementNode || htmlOuterFurniture(c) {
				continue
			}
			if c.DataAtom == atom.H1 {
				if htmlTextLen(c) > 0 {
					found = c
					return false
				}
				continue
			}
			if !walk(c) {
				return false
			}
		}
		return true
	}
	walk(body)
	return found
}

// htmlOuterFurniture reports whether an element outside the main content
// is site furniture, which no title is taken from.
func htmlOuterFurniture(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Nav, atom.Aside, atom.Footer, atom.Script, atom.Style, atom.Template, atom.Noscript, atom.Form:
		return true
	}
	return htmlHidden(n) || htmlFurnitureNamed(n) || htmlSiteBrand(n) || htmlFurnitureRole(n)
}

// htmlFind returns the first element under n (n included) for which ok
// holds, in document order, or nil.
func htmlFind(n *html.Node, ok func(*html.Node) bool) *html.Node {
	if n.Type == html.ElementNode && ok(n) {
		return n
	}
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && ok(d) {
			return d
		}
	}
	return nil
}

// htmlTextLen counts the visible characters of n's text, not those of
// scripts, styles and templates.
func htmlTextLen(n *html.Node) int {
	count := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				for _, ch := range c.Data {
					if !htmlIsSpace(ch) && !htmlZeroWidth(ch) {
						count++
					}
				}
			case html.ElementNode:
				switch c.DataAtom {
				case atom.Script, atom.Style, atom.Template, atom.Noscript, atom.Head, atom.Svg:
				default:
					walk(c)
				}
			}
		}
	}
	walk(n)
	return count
}

// src returns the line where element n starts, from its htmlSrcAttr; for
// an element the parser made up (an implied <tbody>), that of its first
// marked descendant; 0 when unknown.
func (r *htmlReader) src(n *html.Node) int {
	if n == nil {
		return 0
	}
	if n.Type == html.ElementNode {
		if v, ok := htmlAttrOK(n, htmlSrcAttr); ok {
			l, _ := strconv.Atoi(v)
			return l
		}
	}
	for d := range n.Descendants() {
		if v, ok := htmlAttrOK(d, htmlSrcAttr); ok && d.Type == html.ElementNode {
			l, _ := strconv.Atoi(v)
			return l
		}
	}
	return 0
}

// srcOf returns the line where node n, an element or a text, starts. A
// text's is estimated from the element before it, or its parent, and the
// line ends in between.
func (r *htmlReader) srcOf(n *html.Node) int {
	if n.Type == html.ElementNode {
		return r.src(n)
	}
	line := 0
	if p := n.PrevSibling; p != nil {
		line = r.lineAfter(p)
	} else if n.Parent != nil {
		line = r.src(n.Parent)
	}
	if line == 0 {
		return 0
	}
	return line + strings.Count(n.Data[:len(n.Data)-len(strings.TrimLeft(n.Data, " \t\n\r\f"))], "\n")
}

// lineAfter estimates the line where node n ends: that of its last marked
// element, plus the line ends of the texts after it.
func (r *htmlReader) lineAfter(n *html.Node) int {
	line := r.srcOf(n)
	if n.Type == html.TextNode {
		return line + strings.Count(n.Data, "\n")
	}
	for d := range n.Descendants() {
		switch d.Type {
		case html.ElementNode:
			if l := r.src(d); l > line && htmlHas(d, htmlSrcAttr) {
				line = l
			}
		case html.TextNode:
			line += strings.Count(d.Data, "\n")
		}
	}
	return line
}

// add appends a line. A page break comes only between lines of text, once.
func (r *htmlReader) add(l Line) {
	lines := r.doc.Lines
	if l.Kind == Break && (len(lines) == 0 || lines[len(lines)-1].Kind == Break) {
		return
	}
	r.pending = nil
	r.doc.Lines = append(lines, l)
}

// lastKind is the kind of the last line, or -1 when there is none.
func (r *htmlReader) lastKind() LineKind {
	if len(r.doc.Lines) == 0 {
		return -1
	}
	return r.doc.Lines[len(r.doc.Lines)-1].Kind
}

// htmlBlockTags are the elements that make blocks of their own.
var htmlBlockTags = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true,
	atom.Body: true, atom.Caption: true, atom.Center: true, atom.Dd: true, atom.Details: true,
	atom.Dialog: true, atom.Dir: true, atom.Div: true, atom.Dl: true, atom.Dt: true,
	atom.Fieldset: true, atom.Figcaption: true, atom.Figure: true, atom.Footer: true,
	atom.Form: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true,
	atom.H6: true, atom.Header: true, atom.Hgroup: true, atom.Hr: true, atom.Html: true,
	atom.Legend: true, atom.Li: true, atom.Listing: true, atom.Main: true, atom.Menu: true,
	atom.Nav: true, atom.Ol: true, atom.P: true, atom.Plaintext: true, atom.Pre: true,
	atom.Search: true, atom.Section: true, atom.Summary: true, atom.Table: true,
	atom.Tbody: true, atom.Td: true, atom.Tfoot: true, atom.Th: true, atom.Thead: true,
	atom.Tr: true, atom.Ul: true, atom.Xmp: true,
}

// inline reports whether node n is inline content: text, or an inline
// element with no block inside it.
func (r *htmlReader) inline(n *html.Node) bool {
	if n.Type == html.TextNode {
		return true
	}
	return !htmlBlockTags[n.DataAtom] && !r.hasBlock(n)
}

// hasBlock reports whether a block element, not left out, is inside n.
func (r *htmlReader) hasBlock(n *html.Node) bool {
	if v, ok := r.blocky[n]; ok {
		return v
	}
	v := false
	for c := n.FirstChild; c != nil && !v; c = c.NextSibling {
		if c.Type == html.ElementNode && !r.drop(c) {
			v = htmlBlockTags[c.DataAtom] || r.hasBlock(c)
		}
	}
	r.blocky[n] = v
	return v
}

// container reads the children of n: each run of inline content a
// paragraph (or the pending list item), each block in its way. The first
// paragraph of a block starts on the block's line.
func (r *htmlReader) container(n *html.Node, c htmlCtx) {
	var run []*html.Node
	first := true
	flush := func() {
		if len(run) == 0 {
			return
		}
		src := r.srcOf(run[0])
		if first {
			if s := r.src(n); s > 0 {
				src = s
			}
		}
		r.para(run, c, src)
		run, first = nil, false
	}
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		switch {
		case k.Type != html.TextNode && k.Type != html.ElementNode:
		case k.Type == html.ElementNode && r.drop(k):
		case r.inline(k):
			run = append(run, k)
		default:
			flush()
			first = false
			r.block(k, c)
		}
	}
	flush()
}

// block reads one block element, with its page breaks.
func (r *htmlReader) block(n *html.Node, c htmlCtx) {
	if htmlPageBreak(n, "before") {
		r.add(Line{Kind: Break, Src: r.src(n), Gap: true})
	}
	c = htmlBlockCtx(n, c)
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		r.heading(n, c)
	case atom.Ul, atom.Ol, atom.Menu, atom.Dir:
		r.list(n, c)
	case atom.Li:
		r.item(n, false, c)
	case atom.Table:
		r.table(n, c)
	case atom.Pre, atom.Listing, atom.Xmp, atom.Plaintext:
		r.pre(n)
	case atom.Hr:
	default:
		r.container(n, c)
	}
	if htmlPageBreak(n, "after") {
		r.add(Line{Kind: Break, Src: r.src(n), Gap: true})
	}
}

// para makes lines of a run of inline content: the first the pending list
// item, or a paragraph, and one more for each line break in it.
func (r *htmlReader) para(run []*html.Node, c htmlCtx, src int) {
	if len(run) == 0 {
		return
	}
	if src == 0 {
		src = r.srcOf(run[0])
	}
	w := r.render(run, c.htmlInline, src)
	for _, wr := range slicesReverse(c.wraps) {
		w.wrapAll(wr.open, wr.close)
	}
	first := true
	for _, s := range w.segs {
		if s.brk {
			r.add(Line{Kind: Break, Src: s.src, Gap: true})
		}
		text := htmlTidy(s.md.String())
		if text == "" {
			continue
		}
		bold := s.strong > 0 && s.plain == 0
		switch {
		case first && r.pending != nil:
			it := r.pending
			gap := !(r.lastKind() == Item && r.lastList == it.list)
			r.add(Line{Kind: Item, Text: htmlLineStart(text), Level: it.level, Ordered: it.ordered, Src: it.src, Bold: bold, Gap: gap})
			r.lastList = it.list
		default:
			r.add(Line{Kind: Para, Text: htmlLineStart(text), Src: s.src, Bold: bold, Gap: first})
		}
		first = false
	}
}

// slicesReverse returns the wraps innermost first.
func slicesReverse(ws []htmlWrap) []htmlWrap {
	out := make([]htmlWrap, len(ws))
	for i, w := range ws {
		out[len(ws)-1-i] = w
	}
	return out
}

// heading makes a Heading line. Headings show bold already, so bold inside
// one takes no markers; Bold says it was written so.
func (r *htmlReader) heading(n *html.Node, c htmlCtx) {
	ic := htmlInline{bold: true, italic: c.italic, link: c.link, heading: true, flat: true}
	w := r.render(htmlChildren(n), ic, r.src(n))
	for _, wr := range slicesReverse(c.wraps) {
		if wr.open != "**" && wr.open != "*" {
			w.wrapAll(wr.open, wr.close)
		}
	}
	s := w.segs[0]
	text := htmlTidy(s.md.String())
	if text == "" {
		return
	}
	r.add(Line{Kind: Heading, Level: int(n.Data[1] - '0'), Text: htmlHeadingText(text), Src: r.src(n), Bold: s.strong > 0 && s.plain == 0, Gap: true})
}

// list reads a ul or ol: its items one level deeper than the list around.
func (r *htmlReader) list(n *html.Node, c htmlCtx) {
	if r.listDepth == 0 {
		r.lists++
		r.topList = r.lists
	}
	r.pending = nil // text after a nested list is not its item's
	r.listDepth++
	ordered := n.DataAtom == atom.Ol
	var run []*html.Node
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		switch {
		case k.Type != html.TextNode && k.Type != html.ElementNode:
		case k.Type == html.ElementNode && r.drop(k):
		case k.DataAtom == atom.Li:
			r.para(run, c, 0)
			run = nil
			r.item(k, ordered, c)
		case r.inline(k):
			run = append(run, k) // text straight in a list, as some pages have
		default:
			r.para(run, c, 0)
			run = nil
			r.block(k, c)
		}
	}
	if len(run) > 0 {
		r.para(run, c, r.srcOf(run[0]))
	}
	r.listDepth--
}

// item reads a li: its first text is the Item, what follows its own lines.
func (r *htmlReader) item(n *html.Node, ordered bool, c htmlCtx) {
	list := r.topList
	if r.listDepth == 0 { // a li outside any list
		r.lists++
		list = r.lists
	}
	r.pending = &htmlItem{level: max(r.listDepth-1, 0), ordered: ordered, src: r.src(n), list: list}
	r.container(n, c)
	r.pending = nil
}

// pre makes one paragraph of preformatted text, each line a code span.
func (r *htmlReader) pre(n *html.Node) {
	var spans []string
	for _, l := range strings.Split(r.preText(n), "\n") {
		l = strings.TrimRight(htmlPlainSpaces(l), " \t")
		if strings.TrimSpace(l) != "" {
			spans = append(spans, htmlCodeSpan(l))
		}
	}
	if len(spans) > 0 {
		r.add(Line{Kind: Para, Text: strings.Join(spans, "\n"), Src: r.src(n), Gap: true})
	}
}

// table reads a table: a Row for each row, or, for a table that lays out
// blocks (see layoutTable), the blocks of its cells.
func (r *htmlReader) table(t *html.Node, c htmlCtx) {
	rows := htmlRows(t)
	if htmlLayoutTable(t, rows) {
		for _, row := range rows {
			for cell := row.n.FirstChild; cell != nil; cell = cell.NextSibling {
				if htmlCell(cell) && !r.drop(cell) {
					r.container(cell, c)
				}
			}
		}
		return
	}
	for k := t.FirstChild; k != nil; k = k.NextSibling {
		if k.DataAtom == atom.Caption && !r.drop(k) {
			r.container(k, c)
		}
	}
	r.tables++
	for _, row := range rows {
		if r.drop(row.n) {
			continue
		}
		var cells []string
		allTh, any := true, false
		for cell := row.n.FirstChild; cell != nil; cell = cell.NextSibling {
			if !htmlCell(cell) || r.drop(cell) {
				continue
			}
			ic := htmlInline{flat: true, bold: cell.DataAtom == atom.Th}
			text := htmlTidy(r.render(htmlChildren(cell), ic, 0).segs[0].md.String())
			text = strings.ReplaceAll(text, "|", `\|`)
			any = any || text != ""
			allTh = allTh && cell.DataAtom == atom.Th
			cells = append(cells, text)
			span, _ := strconv.Atoi(htmlAttr(cell, "colspan"))
			for i := 1; i < min(span, 50); i++ {
				cells = append(cells, "")
			}
		}
		if !any {
			continue
		}
		gap := !(r.lastKind() == Row && r.lastTable == r.tables)
		r.add(Line{Kind: Row, Cells: cells, Header: row.head || allTh, Src: r.src(row.n), Gap: gap})
		r.lastTable = r.tables
	}
}

// htmlRow is a table's row, and whether it is in the table's head.
type htmlRow struct {
	n    *html.Node
	head bool
}

// htmlRows returns the rows of table t, not those of tables inside it.
func htmlRows(t *html.Node) []htmlRow {
	var rows []htmlRow
	for k := t.FirstChild; k != nil; k = k.NextSibling {
		switch k.DataAtom {
		case atom.Tr:
			rows = append(rows, htmlRow{k, false})
		case atom.Thead, atom.Tbody, atom.Tfoot:
			for tr := k.FirstChild; tr != nil; tr = tr.NextSibling {
				if tr.DataAtom == atom.Tr {
					rows = append(rows, htmlRow{tr, k.DataAtom == atom.Thead})
				}
			}
		}
	}
	return rows
}

// htmlCell reports whether n is a td or th.
func htmlCell(n *html.Node) bool {
	return n.Type == html.ElementNode && (n.DataAtom == atom.Td || n.DataAtom == atom.Th)
}

// htmlLayoutTable reports whether a table lays out blocks rather than
// holding data: it says so by its role, it has a single column (a box
// around text), or a cell holds a heading or a table.
func htmlLayoutTable(t *html.Node, rows []htmlRow) bool {
	if role := htmlRole(t); role == "presentation" || role == "none" {
		return true
	}
	wide := false
	for _, row := range rows {
		cells := 0
		for cell := row.n.FirstChild; cell != nil; cell = cell.NextSibling {
			if !htmlCell(cell) {
				continue
			}
			cells++
			if htmlFind(cell, func(n *html.Node) bool {
				switch n.DataAtom {
				case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Table:
					return n != cell
				}
				return false
			}) != nil {
				return true
			}
		}
		wide = wide || cells > 1
	}
	return !wide
}

// htmlBreadcrumb reports whether a line is a breadcrumb trail ("Home »
// Manual » Session 8"): parts joined by a separator, short, beginning
// with a home page or all but the last links.
func htmlBreadcrumb(md string) bool {
	links := strings.Count(md, "](")
	plain := htmlPlain(md)
	low := strings.ToLower(plain)
	for _, p := range []string{"you are here:", "you are here"} {
		if strings.HasPrefix(low, p) {
			plain = strings.TrimSpace(plain[len(p):])
			break
		}
	}
	for _, sep := range []string{"»", "›", "→", ">", "/", "|", "::", "•", "·"} {
		parts := strings.Split(plain, sep)
		if len(parts) < 2 {
			continue
		}
		short := true
		for _, p := range parts {
			p = strings.TrimSpace(p)
			if p == "" || utf8.RuneCountInString(p) > 60 {
				short = false
			}
		}
		if !short {
			continue
		}
		home := htmlHomeWords[strings.ToLower(strings.TrimSpace(parts[0]))]
		if home || links >= len(parts)-1 {
			return true
		}
	}
	return false
}

// htmlHomeWords begin a breadcrumb trail.
var htmlHomeWords = map[string]bool{
	"home": true, "home page": true, "homepage": true, "start": true, "main page": true,
	"index": true, "accueil": true, "inicio": true, "início": true, "startseite": true,
	"главная": true, "головна": true,
}
