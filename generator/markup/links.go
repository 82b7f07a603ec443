package markup

import (
	"bytes"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"flipchart/generator/i18n"

	"flipchart/generator/content"
)

// Linker resolves what a document links to. The render stage implements it
// for each page, so that links are written relative to that page.
type Linker interface {
	// Link rewrites a relative or root-absolute destination, such as
	// "09-recommendations.md#exercise", "images/map.png" or
	// "/img/logo.png", into the URL to publish, written from the site's
	// root; it returns an error when the target does not exist.
	Link(dest string) (string, error)
	// Session finds a session by number ("9") or slug ("recommendations").
	// url is "" when the session is the page itself.
	Session(ref string) (s SessionRef, ok bool)
}

// SessionRef is a session a document refers to.
type SessionRef struct {
	URL    string // from the site's root, "" for the page itself
	Number int
	Title  string
	// Untranslated says the session is shown in another language than the
	// document's (it has no translation into it): a mention's title in
	// the document's language is not checked against its title.
	Untranslated bool
}

// Label is how a reference to the session reads: "Session 9: Recommendations".
func (s SessionRef) Label() string { return s.LabelIn(English) }

// LabelIn is Label in the language of the words t.
func (s SessionRef) LabelIn(t i18n.Lookup) string { return i18n.SessionLabel(t, s.Number, s.Title) }

// Options change how one document renders.
type Options struct {
	Linker Linker
	// AutoLink turns plain "Session 9" into a link where session 9 exists.
	AutoLink bool
	// WorksheetFields are the header fields of a worksheet that does not
	// name its own, e.g. name, organisation, date.
	WorksheetFields []string
	// Words are the UI strings of the page's language (see words), nil
	// for English.
	Words i18n.Lookup
	// HandoutMaterials shows exercises' materials to participants too;
	// otherwise they are marked for trainers only, like the session's.
	HandoutMaterials bool
}

// Problem is something wrong in a document, at a line of its source (1-based,
// counted from the start of the Markdown given to Render).
type Problem struct {
	Line, Col int
	Msg       string
	Hint      string
	Warning   bool
}

var optionsKey = parser.NewContextKey()
var problemsKey = parser.NewContextKey()
var linksKey = parser.NewContextKey()

// Link is a link a document wrote, as published, and where it is in the
// source, so a later check of the published file can name the line.
type Link struct {
	URL       string
	Line, Col int
}

// IsRelative reports whether dest points into the site, relative to the
// document or from the site's root, rather than to another host or the
// page itself.
func IsRelative(dest string) bool {
	if dest == "" || dest[0] == '#' || strings.HasPrefix(dest, "//") {
		return false
	}
	u, err := url.Parse(dest)
	return err == nil && u.Scheme == "" && u.Host == ""
}

// addLink records a link as published, at the link's text or its line.
func addLink(pc parser.Context, n ast.Node, src []byte, url string) {
	line, col := 0, 0
	if t, ok := n.FirstChild().(*ast.Text); ok {
		start := t.Segment.Start - 1 // the bracket
		if _, img := n.(*ast.Image); img {
			start-- // the !
		}
		line, col = position(src, start)
	} else {
		line = LineOf(n, src)
	}
	addLinkAt(pc, line, col, url)
}

// addLinkAt records a link as published at a line and column.
func addLinkAt(pc parser.Context, line, col int, url string) {
	list, _ := pc.Get(linksKey).(*[]Link)
	if list == nil {
		list = &[]Link{}
		pc.Set(linksKey, list)
	}
	*list = append(*list, Link{URL: url, Line: line, Col: col})
}

// linkTransformer resolves links through the document's Linker: relative
// links, `session:` links, and plain mentions of "Session N".
type linkTransformer struct{}

func (linkTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	opt, _ := pc.Get(optionsKey).(*Options)
	if opt == nil || opt.Linker == nil {
		return
	}
	word := opt.words()("session")
	if word == "" || word == "session" {
		word = "Session"
	}
	src := reader.Source()
	var mentions []*ast.Text
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch l := n.(type) {
		case *ast.Link:
			resolveLink(l, &l.Destination, opt.Linker, src, pc)
			return ast.WalkSkipChildren, nil
		case *ast.Image:
			resolveLink(l, &l.Destination, opt.Linker, src, pc)
			return ast.WalkSkipChildren, nil
		case *ast.AutoLink, *ast.CodeSpan, *ast.Heading, *ast.CodeBlock, *ast.FencedCodeBlock:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			if opt.AutoLink && mentionsSession(l.Segment.Value(src), word) {
				mentions = append(mentions, l)
			}
		}
		return ast.WalkContinue, nil
	})
	if len(mentions) > 0 {
		re := mentionRe
		if word != "Session" {
			re = regexp.MustCompile(`(` + mentionWords + `|` + regexp.QuoteMeta(word) + `)[ \x{00a0}]([0-9]+|[٠-٩۰-۹]+)`)
		}
		for _, t := range mentions {
			linkMentions(t, re, opt.Linker, src, pc)
		}
	}
}

// resolveLink rewrites one destination. For a `session:` link with no text,
// the text becomes the session's label.
func resolveLink(n ast.Node, dest *[]byte, lk Linker, src []byte, pc parser.Context) {
	d := string(*dest)
	if ref, ok := strings.CutPrefix(d, "session:"); ok {
		s, found := lk.Session(ref)
		if !found {
			addLinkProblem(pc, n, src, "link to session %q: there is no such session", ref).Hint =
				"write the number or the slug of an existing session, e.g. (session:9) or (session:recommendations)"
			return
		}
		*dest = []byte(s.URL)
		if s.URL == "" {
			*dest = []byte("#")
		}
		if l, ok := n.(*ast.Link); ok && l.ChildCount() == 0 {
			l.AppendChild(l, ast.NewString([]byte(s.LabelIn(wordsOfContext(pc)))))
		}
		addLink(pc, n, src, string(*dest))
		return
	}
	if strings.HasPrefix(d, "#") {
		addLink(pc, n, src, d)
		return
	}
	if !IsRelative(d) {
		if _, img := n.(*ast.Image); img && d != "" {
			// An image of another host: the published page is checked
			// for what it loads, and names the image's line.
			addLink(pc, n, src, d)
		}
		return
	}
	to, err := lk.Link(d)
	if err != nil {
		addLinkProblem(pc, n, src, "%v", err)
		*dest = nil // reported here: not again where the page is published
		return
	}
	*dest = []byte(to)
	addLink(pc, n, src, to)
}

// addLinkProblem records a problem at a link or image: at the bracket before
// its text when it has some, else on its line.
func addLinkProblem(pc parser.Context, n ast.Node, src []byte, format string, args ...any) *Problem {
	if t, ok := n.FirstChild().(*ast.Text); ok {
		return addProblem(pc, src, t.Segment.Start-1, format, args...)
	}
	return addProblemAt(pc, LineOf(n, src), 0, format, args...)
}

// mentionWords is the word of a mention of a session in any language:
// "Session 9". A page's own language's word ("Sesión 9", "الجلسة 9") is
// one too.
const mentionWords = "Session"

var mentionRe = regexp.MustCompile(`(` + mentionWords + `)[ \x{00a0}]([0-9]+)`)

// mentionsSession reports whether text may mention a session, in English
// or with the language's word.
func mentionsSession(text []byte, word string) bool {
	return bytes.Contains(text, []byte("Session ")) || word != "Session" && bytes.Contains(text, []byte(word))
}

// wordsOfContext is the words of the document being parsed.
func wordsOfContext(pc parser.Context) i18n.Lookup {
	opt, _ := pc.Get(optionsKey).(*Options)
	return opt.words()
}

// asciiDigits writes Arabic-Indic and Persian digits as 0-9.
func asciiDigits(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '٠' && r <= '٩':
			return '0' + (r - '٠')
		case r >= '۰' && r <= '۹':
			return '0' + (r - '۰')
		}
		return r
	}, s)
}

// wordBoundary reports whether a mention at [start, end) of b stands as
// words of its own: no letter or digit just before or after it.
func wordBoundary(b []byte, start, end int) bool {
	if start > 0 {
		r, _ := utf8.DecodeLastRune(b[:start])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	if end < len(b) {
		r, _ := utf8.DecodeRune(b[end:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// linkMentions turns each "Session N" in a text node into a link. When the
// mention goes on with ": Title", the title is checked against the session's
// current one.
func linkMentions(t *ast.Text, re *regexp.Regexp, lk Linker, src []byte, pc parser.Context) {
	parent := t.Parent()
	if parent == nil {
		return
	}
	if _, inLink := parent.(*ast.Link); inLink {
		return
	}
	seg := t.Segment
	value := seg.Value(src)
	matches := re.FindAllSubmatchIndex(value, -1)
	if matches == nil {
		return
	}
	cur := t
	pos := 0
	for _, m := range matches {
		if !wordBoundary(value, m[0], m[1]) {
			continue
		}
		num := asciiDigits(string(value[m[4]:m[5]]))
		s, ok := lk.Session(num)
		if !ok {
			p := addProblem(pc, src, seg.Start+m[0], "the text mentions Session %s, but there is no session %s", num, num)
			p.Warning = true
			p.Hint = "correct the number, or turn automatic session links off with autolink_sessions = false in config.toml"
			continue
		}
		end := m[1]
		if title, n := writtenTitle(value[end:]); title != "" && s.Untranslated {
			end += n
		} else if title != "" {
			if shown := content.Plain(s.Title); strings.EqualFold(content.Plain(title), shown) {
				end += n
			} else if !strings.HasPrefix(strings.ToLower(shown), strings.ToLower(content.Plain(title))) {
				p := addProblem(pc, src, seg.Start+m[0], "the text calls it “Session %s: %s”, but Session %s is now titled “%s”", num, title, num, s.Title)
				p.Warning = true
				p.Hint = "update the text, or link with [](session:" + num + ") to show the current title"
			}
		}
		if s.URL == "" {
			continue // the page itself
		}
		before := text.NewSegment(seg.Start+pos, seg.Start+m[0])
		inside := text.NewSegment(seg.Start+m[0], seg.Start+end)
		if before.Len() > 0 {
			parent.InsertBefore(parent, cur, ast.NewTextSegment(before))
		}
		link := ast.NewLink()
		link.Destination = []byte(s.URL)
		line, col := position(src, seg.Start+m[0])
		addLinkAt(pc, line, col, s.URL)
		link.SetAttributeString("class", []byte("session-ref"))
		// "Session" and its number never break across lines.
		word := string(value[m[2]:m[3]])
		text := strings.Replace(string(inside.Value(src)), word+" ", word+"\u00a0", 1)
		link.AppendChild(link, ast.NewString([]byte(text)))
		parent.InsertBefore(parent, cur, link)
		pos = end
	}
	if pos > 0 {
		t.Segment = text.NewSegment(seg.Start+pos, seg.Stop)
	}
}

// smallWords may appear in a title between capitalised words.
var smallWords = map[string]bool{"and": true, "or": true, "of": true, "the": true, "a": true, "an": true, "to": true, "for": true, "in": true, "on": true, "with": true, "&": true}

// writtenTitle reads ": Title Words" at the start of b: the capitalised words
// after the colon. It returns the title and the bytes it spans.
func writtenTitle(b []byte) (string, int) {
	s := string(b)
	if !strings.HasPrefix(s, ": ") {
		return "", 0
	}
	i := 2
	var words []string
	end := 0
	for i < len(s) {
		j := i
		for j < len(s) && s[j] != ' ' {
			j++
		}
		w := strings.TrimRight(s[i:j], ".,;:!?)”’\"'")
		if w == "" {
			break
		}
		r := []rune(w)[0]
		if unicode.IsUpper(r) || unicode.IsDigit(r) {
			words = append(words, w)
			end = i + len(w)
		} else if !smallWords[w] || len(words) == 0 {
			break
		} else {
			words = append(words, w)
		}
		if len(w) < j-i {
			break // punctuation ends the title
		}
		i = j + 1
	}
	// Small words at the end are not part of the title.
	for len(words) > 0 && smallWords[words[len(words)-1]] {
		words = words[:len(words)-1]
	}
	if len(words) == 0 {
		return "", 0
	}
	return strings.Join(words, " "), end
}

// LineOf returns the source line of n's block (1-based), or 0.
func LineOf(n ast.Node, src []byte) int {
	for b := n; b != nil; b = b.Parent() {
		if b.Type() == ast.TypeInline {
			continue
		}
		if lines := b.Lines(); lines != nil && lines.Len() > 0 {
			return bytes.Count(src[:lines.At(0).Start], []byte("\n")) + 1
		}
	}
	return 0
}
