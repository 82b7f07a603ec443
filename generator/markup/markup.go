// Package markup turns Markdown into HTML with goldmark: GFM, footnotes,
// typographer, heading IDs and code highlighted by chroma as CSS classes. Raw
// HTML stays off. Rendering returns a Result with the HTML and the data later
// stages need (headings for the table of contents and anchors).
package markup

import (
	"bytes"
	"fmt"
	"strings"
	"sync"

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
	// Fragments are the links with an anchor (#id), for a check once every
	// page is rendered.
	Fragments []Fragment
	Problems  []Problem
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

// Fragment is a link to an anchor: Dest is as written, URL as published.
type Fragment struct {
	Dest      string
	Line, Col int
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
	res := &Result{}
	collect(doc, src, res)
	if p, _ := pc.Get(problemsKey).(*[]Problem); p != nil {
		res.Problems = *p
	}
	if f, _ := pc.Get(fragmentsKey).(*[]Fragment); f != nil {
		res.Fragments = *f
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
				res.Headings = append(res.Headings, Heading{Level: min(2+depth(n), 6), ID: n.ID, Text: n.Title, Kind: Kinds[n.Name].Label, Trainers: trainers})
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
