package links

import (
	"bytes"
	"fmt"
	"html"
	"net/url"
	"slices"
	"strings"
)

// A link in the site is written in one of three ways, and every file is
// rewritten once, as it is written, so that each works from the file's own
// place:
//
//   - root-absolute, "/day-3/09-recommendations/index.html#exercise": the
//     site's root. Markdown links, templates' .Link and .Asset and authors'
//     "/img/logo.png" are written so; they become relative to the file
//     ("../../day-3/…"), and a folder ("/day-3/") gets its index.html, so
//     the site works from a folder opened in a browser;
//   - relative, "css/x.css": left as written, resolved from the file;
//   - "#id": the file itself.
//
// Links with a scheme (https:, mailto:) go elsewhere and are not checked;
// but a page may not load a file from another host (see external.go).

// rewriter rewrites the links of one file and records them.
type rewriter struct {
	name string // the file, "day-3/11-next-steps/index.html"
	root string // from the file to the site's root, "../../"
	rec  *record
	raw  string // the raw-text element the scan is inside: "style", "script" or ""
	// loads, when not nil, gathers the files the scanned file loads (see
	// Loads) rather than recording its links.
	loads *loadSet
	pol   *policy // the index's
	whole bool    // the file is rewritten whole, not streamed: see external
	// The tag being read, for what its links do: its element's name and
	// kind, the attribute's name and kind; elem is nil in a stylesheet.
	elem, attr []byte
	ek, ak     int
	// linkHref is a <link>'s href to another host, until its rel says
	// whether it loads.
	linkHref string
	// extA is set inside an <a> to another site, whose </a> gets the note.
	extA bool
	note []byte // the note: the origin's, or the policy's
}

// loadSet gathers the files an HTML or CSS file loads as it is scanned.
type loadSet struct {
	files    map[string]bool
	load     bool   // the link being read is a load (src, url(), …)
	linkHref string // the href of the <link> being read, a load if its rel says so
	rel      string // the rel of the <link> being read
}

// Loads returns the files of the site that file name, HTML or CSS, loads
// when a browser shows or prints it: images, scripts, media and objects
// (src, srcset, poster, data), the stylesheets and icons of <link> elements,
// and what its styles load (url(), @import); not the pages it links. Paths
// are the site's, sorted; links that leave the site are left out.
func Loads(name string, data []byte) []string {
	isHTML, isCSS := rewrites(name)
	rec := newRecord(NewIndex(), name, nil)
	defer rec.release()
	w := newRewriter(name, rec)
	w.loads = &loadSet{files: map[string]bool{}}
	switch {
	case isHTML:
		w.html(nil, data, true)
	case isCSS:
		w.css(nil, data)
	}
	out := make([]string, 0, len(w.loads.files))
	for f := range w.loads.files {
		out = append(out, f)
	}
	slices.Sort(out)
	return out
}

// loaded notes that the file loads the target key ("path#id") leads to.
func (l *loadSet) loaded(key string) {
	path, _, _ := strings.Cut(key, "#")
	if !strings.HasPrefix(path, "../") && !hasScheme(path) {
		l.files[path] = true
	}
}

func newRewriter(name string, rec *record) *rewriter {
	w := &rewriter{name: name, root: strings.Repeat("../", strings.Count(name, "/")), rec: rec, pol: rec.ix.policy()}
	w.note = w.pol.note
	if rec.org != nil && rec.org.Note != "" {
		w.note = []byte(rec.org.Note)
	}
	return w
}

// html rewrites src, HTML, into dst. With final false it stops before a tag
// or raw-text element that src does not hold whole, and returns how much of
// src it consumed; the rest comes again with more bytes.
func (w *rewriter) html(dst, src []byte, final bool) ([]byte, int) {
	i := 0
	for i < len(src) {
		if w.raw != "" {
			end := indexFold(src[i:], "</"+w.raw)
			if end < 0 {
				if !final {
					return dst, i
				}
				end = len(src) - i
			}
			body := src[i : i+end]
			if w.raw == "style" {
				dst = w.css(dst, body)
			} else {
				dst = append(dst, body...)
			}
			i += end
			w.raw = ""
			continue
		}
		lt := bytes.IndexByte(src[i:], '<')
		if lt < 0 {
			dst = append(dst, src[i:]...)
			return dst, len(src)
		}
		dst = append(dst, src[i:i+lt]...)
		i += lt
		if n := plainTag(src[i:]); n > 0 {
			if w.extA && isEndA(src[i:i+n]) {
				// The end of a link to another site: the note, once.
				w.extA = false
				if !bytes.HasSuffix(dst, w.note) {
					dst = append(dst, w.note...)
				}
			}
			dst = append(dst, src[i:i+n]...) // nothing in it to rewrite
			i += n
			continue
		}
		n, ok := w.tag(&dst, src[i:])
		if !ok {
			if !final {
				return dst, i
			}
			dst = append(dst, src[i:]...)
			return dst, len(src)
		}
		i += n
	}
	return dst, i
}

// plainTag returns the length of the tag at src[0] when it holds nothing
// the rewriter reads: an end tag, or a start tag with no attribute but a
// class ("<p>", "<span class=\"nt\">", which code highlighting writes by
// the thousand); else 0.
func plainTag(src []byte) int {
	if len(src) < 3 {
		return 0
	}
	end := bytes.IndexByte(src, '>')
	if end < 0 {
		return 0
	}
	t := src[:end]
	if src[1] == '/' {
		return end + 1
	}
	if !isLetter(src[1]) || bytes.IndexByte(t, '\'') >= 0 {
		return 0
	}
	switch eq := bytes.Count(t, []byte("=")); {
	case eq == 0 && bytes.IndexByte(t, '"') < 0:
	case eq == 1 && bytes.Count(t, []byte(`"`)) == 2 && bytes.Contains(t, []byte(` class="`)):
	default:
		return 0
	}
	name := t[1:]
	if k := bytes.IndexAny(name, " \t\n/"); k >= 0 {
		name = name[:k]
	}
	if bytes.EqualFold(name, []byte("style")) || bytes.EqualFold(name, []byte("script")) {
		return 0 // their text is read as it is
	}
	return end + 1
}

// tag copies the markup starting with '<' at src[0] to dst, rewriting a start
// tag's links, and returns its length; ok is false when src ends inside it.
func (w *rewriter) tag(dst *[]byte, src []byte) (int, bool) {
	switch {
	case bytes.HasPrefix(src, []byte("<!--")):
		end := bytes.Index(src[4:], []byte("-->"))
		if end < 0 {
			return 0, false
		}
		*dst = append(*dst, src[:4+end+3]...)
		return 4 + end + 3, true
	case len(src) < 2:
		return 0, false
	case src[1] == '/' || src[1] == '!' || src[1] == '?':
		end := bytes.IndexByte(src, '>')
		if end < 0 {
			return 0, false
		}
		*dst = append(*dst, src[:end+1]...)
		return end + 1, true
	case !isLetter(src[1]):
		*dst = append(*dst, '<')
		return 1, true
	}
	j := 1
	for j < len(src) && (isLetter(src[j]) || src[j] >= '0' && src[j] <= '9' || src[j] == '-') {
		j++
	}
	elem := src[1:j]
	w.elem, w.ek = elem, elemKind(elem)
	var t tagState     // what its attributes decide together
	start := len(*dst) // to take back a tag that src does not hold whole
	out := append(*dst, src[:j]...)
	incomplete := func() (int, bool) {
		*dst = out[:start]
		w.linkHref = ""
		return 0, false
	}
	for {
		k := j
		for k < len(src) && isSpace(src[k]) {
			k++
		}
		if k >= len(src) {
			return incomplete()
		}
		if src[k] == '>' || src[k] == '/' && k+1 < len(src) && src[k+1] == '>' {
			end := k + 1
			if src[k] == '/' {
				end++
			}
			if w.loads == nil {
				out = w.endTag(out, &t)
			}
			*dst = append(out, src[j:end]...)
			if l := w.loads; l != nil {
				if l.linkHref != "" && (strings.Contains(l.rel, "stylesheet") || strings.Contains(l.rel, "icon") || strings.Contains(l.rel, "preload")) {
					l.loaded(l.linkHref)
				}
				l.linkHref, l.rel = "", ""
			}
			if src[k] == '>' {
				if bytes.EqualFold(elem, []byte("style")) {
					w.raw = "style"
				} else if bytes.EqualFold(elem, []byte("script")) {
					w.raw = "script"
				}
			}
			return end, true
		}
		// An attribute: name, then maybe = and a value.
		ns := k
		for k < len(src) && !isSpace(src[k]) && src[k] != '=' && src[k] != '>' && !(src[k] == '/' && k+1 < len(src) && src[k+1] == '>') {
			k++
		}
		if k >= len(src) {
			return incomplete()
		}
		attr := src[ns:k]
		if k == ns { // a stray '/' or '='
			k++
		}
		m := k
		for m < len(src) && isSpace(src[m]) {
			m++
		}
		if m >= len(src) {
			return incomplete()
		}
		if src[m] != '=' {
			out = append(out, src[j:k]...)
			j = k
			continue
		}
		m++
		for m < len(src) && isSpace(src[m]) {
			m++
		}
		if m >= len(src) {
			return incomplete()
		}
		var vs, ve, after int // the value's bounds and where the attribute ends
		var quote byte
		if q := src[m]; q == '"' || q == '\'' {
			end := bytes.IndexByte(src[m+1:], q)
			if end < 0 {
				return incomplete()
			}
			vs, ve, after, quote = m+1, m+1+end, m+1+end+1, q
		} else {
			e := m
			for e < len(src) && !isSpace(src[e]) && src[e] != '>' {
				e++
			}
			if e >= len(src) {
				return incomplete()
			}
			vs, ve, after = m, e, e
		}
		out = append(out, src[j:vs]...)
		val := src[vs:ve]
		kind := attrKind(attr)
		w.attr, w.ak = attr, kind
		if l := w.loads; l != nil {
			// Every link of a tag loads, but <a href> and a <link>'s,
			// which loads only as its rel says.
			l.load = !bytes.EqualFold(attr, []byte("href"))
			if !l.load && !bytes.EqualFold(elem, []byte("link")) {
				kind = attrOther
			}
			if bytes.EqualFold(attr, []byte("rel")) {
				l.rel = strings.ToLower(unescape(val))
			}
		}
		switch {
		case kind == attrID || kind == attrName && bytes.EqualFold(elem, []byte("a")):
			w.rec.id(unescape(val))
			out = append(out, val...)
		case kind == attrSrcset:
			out = w.srcset(out, val)
		case kind == attrStyle:
			out = w.css(out, val)
		case kind == attrLink || kind == attrHref || kind == attrNav:
			out = w.link(out, val, inAttr)
			if kind == attrHref && w.ek == elemA {
				t.toSite = toSite(val)
			}
		case kind == attrRel || kind == attrClass:
			s := len(out)
			out = append(out, val...)
			if sp := (valSpan{s, len(out), quote, true}); kind == attrRel {
				t.rel = sp
			} else {
				t.class = sp
			}
		case kind == attrContent && w.ek == elemMeta:
			t.content = val
			out = append(out, val...)
		case kind == attrEquiv && w.ek == elemMeta:
			t.equiv = val
			out = append(out, val...)
		default:
			out = append(out, val...)
		}
		out = append(out, src[ve:after]...)
		j = after
	}
}

// What an attribute holds, for the rewriter.
const (
	attrOther = iota
	attrID
	attrName
	attrLink   // a URL the browser loads: src, poster, data
	attrHref   // a URL that loads or not by the element: href, xlink:href
	attrNav    // a URL the reader goes to: action, formaction, cite
	attrSrcset // URLs the browser loads: srcset, imagesrcset
	attrStyle
	attrRel
	attrClass
	attrContent
	attrEquiv // http-equiv
)

// attrKind tells what the attribute named a holds, without allocating.
func attrKind(a []byte) int {
	if len(a) < 2 || len(a) > 11 {
		return attrOther
	}
	var low [11]byte
	for i, c := range a {
		low[i] = c | 0x20
	}
	switch string(low[:len(a)]) {
	case "id":
		return attrID
	case "name":
		return attrName
	case "src", "poster", "data":
		return attrLink
	case "href", "xlink:href":
		return attrHref
	case "action", "formaction", "cite":
		return attrNav
	case "srcset", "imagesrcset":
		return attrSrcset
	case "style":
		return attrStyle
	case "rel":
		return attrRel
	case "class":
		return attrClass
	case "content":
		return attrContent
	case "http-equiv":
		return attrEquiv
	}
	return attrOther
}

// The elements whose links the rewriter tells apart.
const (
	elemOther = iota
	elemA     // <a>, <area>: their href is the reader's to follow
	elemLink  // its href loads or not by its rel
	elemMeta  // http-equiv="refresh" goes to another URL
)

// elemKind tells what kind the element named e is, without allocating.
func elemKind(e []byte) int {
	switch len(e) {
	case 1:
		if e[0]|0x20 == 'a' {
			return elemA
		}
	case 4:
		switch {
		case bytes.EqualFold(e, []byte("link")):
			return elemLink
		case bytes.EqualFold(e, []byte("meta")):
			return elemMeta
		case bytes.EqualFold(e, []byte("area")):
			return elemA
		}
	}
	return elemOther
}

// tagState is what a start tag's attributes decide together, once all are
// read (see endTag).
type tagState struct {
	toSite         bool    // an <a>'s href leads to another site
	rel, class     valSpan // in the output
	equiv, content []byte  // a <meta>'s, as written
}

// endTag does what a start tag's attributes decide together, once it is
// read whole, in out, but for its end: an <a> to another site is marked
// (see markExternal); a <link> that loads a file of another host, and a
// <meta> refresh to another host, are recorded.
func (w *rewriter) endTag(out []byte, t *tagState) []byte {
	switch w.ek {
	case elemA:
		w.extA = false
		if t.toSite && len(w.elem) == 1 { // <area> has no text to mark
			out = markExternal(out, t.rel, t.class)
			w.extA = len(w.note) > 0
		}
	case elemLink:
		if w.linkHref != "" {
			if t.rel.ok && relLoads(out[t.rel.s:t.rel.e]) {
				w.external(out, w.linkHref, fmt.Sprintf("<link rel=%q href>", strings.ToLower(unescape(out[t.rel.s:t.rel.e]))))
			}
			w.linkHref = ""
		}
	case elemMeta:
		if t.content != nil && bytes.EqualFold(bytes.TrimSpace(t.equiv), []byte("refresh")) {
			if u := refreshURL(t.content); leaves(u) && !fetchesNothing(u) {
				w.external(out, unescape(u), `<meta http-equiv="refresh">`)
			}
		}
	}
	return out
}

// How a URL is written, for link: in an attribute, or in CSS.
const (
	inAttr = iota
	inURL
	inImport
)

// loading reports whether the URL being read is fetched as the file is
// shown (an image, a stylesheet, CSS url()…) rather than followed by the
// reader (<a href>, a form's action); a <link>'s href, which depends on
// its rel, is not.
func (w *rewriter) loading(how int) bool {
	if how != inAttr {
		return true
	}
	switch w.ak {
	case attrLink, attrSrcset:
		return true
	case attrHref:
		return w.ek == elemOther // <base>, SVG's <image>, <use>
	}
	return false
}

// srcset rewrites each URL of "a.png 1x, b.png 2x".
func (w *rewriter) srcset(dst, val []byte) []byte {
	for i, part := range bytes.Split(val, []byte(",")) {
		if i > 0 {
			dst = append(dst, ',')
		}
		lead := len(part) - len(bytes.TrimLeft(part, " \t\n"))
		dst = append(dst, part[:lead]...)
		part = part[lead:]
		u, rest := part, []byte(nil)
		if k := bytes.IndexAny(part, " \t\n"); k >= 0 {
			u, rest = part[:k], part[k:]
		}
		dst = w.link(dst, u, inAttr)
		dst = append(dst, rest...)
	}
	return dst
}

// css rewrites the url(…) and @import "…" of a stylesheet or a style
// attribute.
func (w *rewriter) css(dst, src []byte) []byte {
	imported := false // the url() is an @import's
	for {
		i := indexFold(src, "url(")
		j := bytes.Index(src, []byte("@import"))
		if i < 0 && j < 0 {
			return append(dst, src...)
		}
		isURL := i >= 0 && (j < 0 || i < j)
		at := j + len("@import")
		how := inImport
		if isURL {
			at = i + len("url(")
			if !imported {
				how = inURL
			}
		}
		imported = !isURL
		// What leads to the URL, and the space after it, stay as they are.
		k := at
		for k < len(src) && isSpace(src[k]) {
			k++
		}
		dst = append(dst, src[:k]...)
		src = src[k:]
		if len(src) > 0 && (src[0] == '"' || src[0] == '\'') {
			end := bytes.IndexByte(src[1:], src[0])
			if end < 0 {
				return append(dst, src...)
			}
			dst = append(dst, src[0])
			dst = w.link(dst, src[1:1+end], how)
			src = src[1+end:]
			imported = false
			continue
		}
		if !isURL {
			continue // @import url(…) comes round again
		}
		end := bytes.IndexAny(src, ") \t\n")
		if end < 0 {
			return append(dst, src...)
		}
		dst = w.link(dst, src[:end], how)
		src = src[end:]
	}
}

// link rewrites one URL as written in the file (HTML-escaped in an
// attribute, how says) and records where it leads: a root-absolute URL
// becomes relative to the file, and a folder gets its index.html. The
// escaped form is rewritten as it is, so nothing is unescaped but what is
// recorded, once per file. A URL that leaves the site, where the browser
// fetches it, is recorded as a file of another host (see external).
func (w *rewriter) link(dst, val []byte, how int) []byte {
	inCSS := how != inAttr
	u := bytes.TrimSpace(val)
	if len(u) == 0 || inCSS && u[0] == '#' {
		return append(dst, val...) // url(#gradient) is an SVG reference
	}
	if w.loads == nil && leaves(u) && !fetchesNothing(u) {
		w.offSite(dst, u, how)
	}
	if w.loads != nil {
		raw := string(u)
		if !inCSS {
			raw = unescape(u)
		}
		if key, ok := targetOf(w.name, raw); ok {
			switch l := w.loads; {
			case inCSS || l.load:
				l.loaded(key)
			default:
				l.linkHref = key // a <link>'s, kept until its rel is known
			}
		}
	} else if !w.rec.again(u) {
		raw := string(u)
		if !inCSS {
			raw = unescape(u)
		}
		if key, ok := targetOf(w.name, raw); ok {
			w.rec.link(key)
		}
	}
	if u[0] != '/' || len(u) > 1 && u[1] == '/' {
		return append(dst, val...)
	}
	p, rest := u[1:], []byte(nil)
	if cut := bytes.IndexAny(p, "?#"); cut >= 0 {
		p, rest = p[:cut], p[cut:]
	}
	dst = append(append(dst, w.root...), p...)
	if len(p) == 0 || p[len(p)-1] == '/' {
		dst = append(dst, "index.html"...)
	}
	return append(dst, rest...)
}

// offSite deals with a URL that leaves the site: where the browser fetches
// it, it is a file of another host; a <link>'s waits for its rel.
func (w *rewriter) offSite(dst, u []byte, how int) {
	ofLink := how == inAttr && w.ak == attrHref && w.ek == elemLink
	if !ofLink && !w.loading(how) {
		return // a link the reader may follow: see endTag
	}
	raw := string(u)
	if how == inAttr {
		raw = unescape(u)
	}
	switch {
	case ofLink:
		w.linkHref = raw
	case how == inAttr:
		w.external(dst, raw, w.what())
	default:
		w.external(dst, raw, w.cssWhat(how))
	}
}

// splitPath cuts a URL into its path and the "?query#fragment" after it.
func splitPath(u string) (string, string) {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		return u[:i], u[i:]
	}
	return u, ""
}

// fragment returns the decoded "#id" part of "?query#id", or "".
func fragment(rest string) string {
	if _, f, ok := strings.Cut(rest, "#"); ok {
		return decode(f)
	}
	return ""
}

// decode undoes percent-encoding; a malformed escape stays as written.
func decode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	if d, err := url.PathUnescape(s); err == nil {
		return d
	}
	return s
}

func unescape(b []byte) string {
	if bytes.IndexByte(b, '&') < 0 {
		return string(b)
	}
	return html.UnescapeString(string(b))
}

// hasScheme reports whether a URL starts with a scheme, "https:" say.
func hasScheme[T string | []byte](u T) bool {
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return true
		default:
			return false
		}
	}
	return false
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// indexFold is bytes.Index of an ASCII needle, ignoring case.
func indexFold(s []byte, needle string) int {
	n := len(needle)
outer:
	for i := 0; i+n <= len(s); i++ {
		for k := 0; k < n; k++ {
			if s[i+k]|0x20 != needle[k]|0x20 {
				continue outer
			}
		}
		return i
	}
	return -1
}
