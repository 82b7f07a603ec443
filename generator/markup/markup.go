// Package markup turns Markdown into HTML with goldmark: GFM, footnotes,
// typographer, heading IDs and code highlighted by chroma as CSS classes. Raw
// HTML stays off. Rendering returns a Result with the HTML and the data later
// stages need (headings for the table of contents and anchors).
package markup

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Heading is a heading of a rendered page.
type Heading struct {
	Level int
	ID    string
	Text  string
	// Kind is what a container's title heads, "Exercise", or "" for a
	// heading written as one: an exercise and its worksheet often share a
	// title.
	Kind string
	// Trainers is set for a heading in a container for trainers only,
	// which participants' pages leave out.
	Trainers bool
}

// Result is a rendered Markdown document.
type Result struct {
	HTML []byte
	// Headings are every heading of the document, in order.
	Headings []Heading
	// Containers are the document's containers, in order, nested ones
	// included.
	Containers []ContainerInfo
	// Links are the document's links to the site, as published, with
	// their places, for the check of the published files.
	Links    []Link
	Problems []Problem
	// Refs are the content paths of the pages the document links to, filled
	// by the caller's Linker.
	Refs map[string]bool

	buf *bytes.Buffer // HTML's buffer, for Release
}

// htmlBuffers are the buffers documents are rendered into, given back by
// Release, so a build of many pages does not allocate one for each.
var htmlBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Release gives the buffer of HTML back for another document. Neither HTML
// nor anything sharing its memory may be used after.
func (r *Result) Release() {
	if r.buf != nil {
		htmlBuffers.Put(r.buf)
		r.buf, r.HTML = nil, nil
	}
}

// ContainerInfo is what a container holds, for the stages after rendering.
type ContainerInfo struct {
	Name, Title, ID string
	Attrs           []Attr
	Line            int
	// Trainers is set when the container is for trainers only, itself or
	// because a container around it is.
	Trainers bool
	// Source is the container's Markdown, fences included, for a worksheet's
	// own page; empty when the container is never closed.
	Source []byte
}

// Attr returns the value of an attribute, or "".
func (c ContainerInfo) Attr(key string) string {
	for _, a := range c.Attrs {
		if a.Key == key {
			return a.Value
		}
	}
	return ""
}

// Markdown renders Markdown documents. It is safe for concurrent use.
type Markdown struct {
	md goldmark.Markdown // the guide
	ws goldmark.Markdown // a worksheet's own page: blanks are form fields
}

// New returns flipchart's Markdown configuration.
func New() *Markdown {
	return &Markdown{md: newGoldmark(Containers), ws: newGoldmark(fillableContainers)}
}

// newGoldmark is flipchart's goldmark configuration with extra extensions.
func newGoldmark(extra ...goldmark.Extender) goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(append([]goldmark.Extender{
			extension.GFM, // tables, task lists, strikethrough, autolinks
			extension.Footnote,
			extension.Typographer,
		}, extra...)...),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithAttribute(), // {#id .class} after headings
			parser.WithASTTransformers(util.Prioritized(linkTransformer{}, 500)),
		),
		goldmark.WithRendererOptions(
			renderer.WithNodeRenderers(
				util.Prioritized(&codeRenderer{}, 200),
				util.Prioritized(tableRenderer{}, 200),
			),
		),
	)
}

// Render converts one document. With opt.Linker set, its links are resolved
// and checked; what it cannot resolve is reported in Result.Problems.
func (m *Markdown) Render(src []byte, opt *Options) (*Result, error) {
	return render(m.md, src, opt)
}

// RenderWorksheet converts the Markdown of one worksheet for its own page,
// where every blank is a field to fill in.
func (m *Markdown) RenderWorksheet(src []byte, opt *Options) (*Result, error) {
	return render(m.ws, src, opt)
}

func render(md goldmark.Markdown, src []byte, opt *Options) (*Result, error) {
	pc := parser.NewContext()
	if opt != nil {
		pc.Set(optionsKey, opt)
	}
	doc := md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	if d, ok := doc.(*ast.Document); ok {
		d.AddMeta(wordsKey, opt.words())
	}
	res := &Result{}
	collect(doc, src, res)
	if p, _ := pc.Get(problemsKey).(*[]Problem); p != nil {
		res.Problems = *p
	}
	if l, _ := pc.Get(linksKey).(*[]Link); l != nil {
		res.Links = *l
	}
	buf := htmlBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	buf.Grow(len(src) * 2)
	if err := md.Renderer().Render(buf, src, doc); err != nil {
		htmlBuffers.Put(buf)
		return nil, err
	}
	res.HTML, res.buf = buf.Bytes(), buf
	return res, nil
}

// collect gathers the headings and containers of a document.
func collect(doc ast.Node, src []byte, res *Result) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			id, _ := n.AttributeString("id")
			idb, _ := id.([]byte)
			text := plainText(n, src)
			trainers := forTrainers(n)
			res.Headings = append(res.Headings, Heading{Level: n.Level, ID: string(idb), Text: text, Trainers: trainers})
			if kind := trainersHeading(text); kind != "" && !trainers {
				line, col := position(src, n.Pos())
				res.Problems = append(res.Problems, Problem{Line: line, Col: col, Warning: true,
					Msg:  fmt.Sprintf("%q starts notes for trainers, but it is not in a ::: %s container, so participant handouts show it", text, kind),
					Hint: fmt.Sprintf("put the notes between ::: %s and ::: instead of under a heading", kind)})
			}
			return ast.WalkSkipChildren, nil
		case *ast.Paragraph, *ast.TextBlock:
			if mayAddressTrainers(n, src) && !forTrainers(n) {
				res.Problems = append(res.Problems, trainersSentences(n, src)...)
			}
			return ast.WalkSkipChildren, nil
		case *Container:
			line, _ := position(src, n.Offset)
			trainers := forTrainers(n)
			info := ContainerInfo{Name: n.Name, Title: n.Title, ID: n.ID, Attrs: n.Attrs, Line: line, Trainers: trainers}
			if n.Name == "worksheet" && n.End > n.Offset {
				info.Source = append([]byte(nil), src[n.Offset:n.End]...) // not the whole document
			}
			res.Containers = append(res.Containers, info)
			if Kinds[n.Name].Element == "section" && n.ID != "" {
				// A section renders its title as a heading.
				res.Headings = append(res.Headings, Heading{Level: min(2+depth(n), 6), ID: n.ID, Text: n.Title, Kind: kindLabel(wordsOf(n), n.Name), Trainers: trainers})
			}
		}
		return ast.WalkContinue, nil
	})
}

// plainText returns the text of n without markup.
func plainText(n ast.Node, src []byte) string {
	var b bytes.Buffer
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		case *ast.CodeSpan:
			for s := t.FirstChild(); s != nil; s = s.NextSibling() {
				if tx, ok := s.(*ast.Text); ok {
					b.Write(tx.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// trainersHeading returns the container kind for a heading that starts
// notes meant only for trainers ("Facilitation notes"), or "".
func trainersHeading(text string) string {
	t := strings.ToLower(strings.TrimSpace(text))
	switch {
	case strings.HasPrefix(t, "facilitation note"), strings.HasPrefix(t, "facilitator note"),
		strings.HasPrefix(t, "trainer note"), strings.HasPrefix(t, "instructor note"):
		return "facilitation"
	case strings.HasPrefix(t, "adaptation note"):
		return "adaptation"
	}
	return ""
}

// trainersSentences warns about each sentence of a paragraph that
// participants get (it is in no container for trainers only) and that is
// written to trainers: "Facilitators ask participants to…". Like
// trainersHeading, it keeps trainers' notes out of handouts by accident.
// mayAddressTrainers reports, cheaply, whether a sentence of a paragraph's
// source may start with words written to trainers ("Facilitators", "The
// trainer", "Ask", "Invite"), so that most paragraphs are not read again
// word by word.
func mayAddressTrainers(n ast.Node, src []byte) bool {
	lines := n.Lines()
	start := true // at the start of a sentence
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		l := seg.Value(src)
		for j := 0; j < len(l); j++ {
			switch c := l[j]; {
			case c == '.' || c == '?' || c == '!' || c == ':':
				start = true
			case c == ' ' || c == '\t' || c == '\n' || c == '"' || c == '\'' || c == '(' || c == '*' || c == '_':
			case c == 0xe2 && j+2 < len(l) && l[j+1] == 0x80 && (l[j+2] == 0x9c || l[j+2] == 0x98):
				j += 2 // “ or ‘
			case start:
				start = false
				rest := l[j:]
				if hasPrefixFold(rest, "the ") {
					rest = rest[4:]
				}
				for _, w := range [...]string{"facilitator", "trainer", "ask ", "invite "} {
					if hasPrefixFold(rest, w) {
						return true
					}
				}
			}
		}
	}
	return false
}

// hasPrefixFold is bytes.HasPrefix of an ASCII lower-case word, ignoring case.
func hasPrefixFold(s []byte, word string) bool {
	if len(s) < len(word) {
		return false
	}
	for k := 0; k < len(word); k++ {
		if s[k]|0x20 != word[k] {
			return false
		}
	}
	return true
}

func trainersSentences(n ast.Node, src []byte) []Problem {
	text, at := blockText(n, src)
	low := strings.ToLower(text)
	if !strings.Contains(low, "facilitator") && !strings.Contains(low, "trainer") &&
		!strings.Contains(low, "ask ") && !strings.Contains(low, "invite ") {
		return nil // the common case, cheaply
	}
	var c *Container // the innermost container, for the message
	for p := n.Parent(); p != nil && c == nil; p = p.Parent() {
		c, _ = p.(*Container)
	}
	var out []Problem
	for _, start := range sentenceStarts(text) {
		s := text[start:]
		if !addressesTrainers(s) {
			continue
		}
		line, col := position(src, at(start))
		p := Problem{Line: line, Col: col, Warning: true}
		if c != nil {
			p.Msg = fmt.Sprintf("%q is written to trainers, but this ::: %s container is for participants too, so participant handouts show it", excerpt(s), c.Written)
			p.Hint = fmt.Sprintf(`mark the container {audience="trainers"} (::: %s {audience="trainers"}) or move the text into ::: facilitation`, c.Written)
		} else {
			p.Msg = fmt.Sprintf("%q is written to trainers, but it is not in a container for trainers, so participant handouts show it", excerpt(s))
			p.Hint = "move the text into ::: facilitation, or into a container marked {audience=\"trainers\"}"
		}
		out = append(out, p)
	}
	return out
}

// trainerSubjects start sentences about what trainers do; trainerAsks start
// instructions to a trainer. A sentence about trainers that speaks to the
// reader ("The facilitator will send you the notes") is for participants;
// so is one about trainers and participants together ("Trainers and
// participants agree…").
var (
	trainerSubjects = []string{"facilitators", "facilitator", "the facilitators", "the facilitator",
		"trainers", "the trainers", "the trainer"}
	trainerAsks = []string{"ask participants", "ask the participants", "invite participants",
		"invite the participants", "ask the group", "invite the group"}
)

// addressesTrainers reports whether sentence s (and what follows it) starts
// as one written to trainers.
func addressesTrainers(s string) bool {
	s = strings.ToLower(strings.TrimLeft(s, "\"'“‘(*_ "))
	if end := sentenceEnd(s); end > 0 {
		s = s[:end]
	}
	words := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' && r != '’' })
	toReader := false
	for _, w := range words {
		switch w {
		case "you", "your", "yours", "yourself", "yourselves":
			toReader = true
		}
	}
	for _, a := range trainerAsks {
		if rest, ok := strings.CutPrefix(s, a); ok && (rest == "" || !isLetter(rest)) {
			// "Ask the group if you are stuck" speaks to a participant.
			return !toReader || strings.Contains(a, "participants")
		}
	}
	if toReader {
		return false
	}
	for _, subj := range trainerSubjects {
		rest, ok := strings.CutPrefix(s, subj+" ")
		if !ok {
			continue
		}
		next, _, _ := strings.Cut(rest, " ")
		return next != "" && next != "and" && next != "or" && next != "&"
	}
	return false
}

// isLetter reports whether s starts with a letter.
func isLetter(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r)
}

// sentenceStarts returns the offsets in text where sentences start: its
// start, and after a full stop, question or exclamation mark (and any
// closing quotes or brackets) and a space.
func sentenceStarts(text string) []int {
	starts := []int{len(text) - len(strings.TrimLeft(text, " "))}
	for i := 1; i < len(text); i++ {
		if text[i] == ' ' || text[i-1] != ' ' {
			continue
		}
		before := strings.TrimRight(strings.TrimRight(text[:i], " "), "\"')]”’»")
		if strings.HasSuffix(before, ".") || strings.HasSuffix(before, "!") || strings.HasSuffix(before, "?") || strings.HasSuffix(before, "…") {
			starts = append(starts, i)
		}
	}
	return starts
}

// sentenceEnd returns the offset just after the first sentence of s, or -1.
func sentenceEnd(s string) int {
	for _, st := range sentenceStarts(s)[1:] {
		return st
	}
	return -1
}

// excerpt is the start of a sentence for a message: its first words.
func excerpt(s string) string {
	if end := sentenceEnd(s); end > 0 {
		s = s[:end]
	}
	s = strings.TrimSpace(s)
	words := strings.Fields(s)
	if len(words) <= 8 {
		return s
	}
	return strings.Join(words[:8], " ") + "…"
}

// blockText returns the text of a paragraph without markup, and a function
// from an offset in it to the offset in src it comes from (for text the
// typographer made, the offset of the text before it).
func blockText(n ast.Node, src []byte) (string, func(int) int) {
	type run struct{ text, src, len int } // a Text node: its start in both, its length
	var (
		b    strings.Builder
		runs []run
	)
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			runs = append(runs, run{b.Len(), t.Segment.Start, t.Segment.Len()})
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		}
		return ast.WalkContinue, nil
	})
	text := b.String()
	at := func(i int) int {
		k := sort.Search(len(runs), func(k int) bool { return runs[k].text > i }) - 1
		if k < 0 {
			if lines := n.Lines(); lines.Len() > 0 {
				return lines.At(0).Start
			}
			return 0
		}
		return runs[k].src + min(i-runs[k].text, runs[k].len)
	}
	return text, at
}
