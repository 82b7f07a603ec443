// Package markup turns Markdown into HTML with goldmark: GFM, footnotes,
// typographer, heading IDs and code highlighted by chroma as CSS classes. Raw
// HTML stays off. Rendering returns a Result with the HTML and the data later
// stages need (headings for the table of contents and anchors).
package markup

import (
	"bytes"

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
}

// Result is a rendered Markdown document.
type Result struct {
	HTML     []byte
	Headings []Heading
	Problems []Problem
}

// Markdown renders Markdown documents. It is safe for concurrent use.
type Markdown struct {
	md goldmark.Markdown
}

// New returns flipchart's Markdown configuration.
func New() *Markdown {
	md := goldmark.New(
		goldmark.WithExtensions(
			extension.GFM, // tables, task lists, strikethrough, autolinks
			extension.Footnote,
			extension.Typographer,
			Containers,
		),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithAttribute(), // {#id .class} after headings
			parser.WithASTTransformers(util.Prioritized(linkTransformer{}, 500)),
		),
		goldmark.WithRendererOptions(
			renderer.WithNodeRenderers(util.Prioritized(&codeRenderer{}, 200)),
		),
	)
	return &Markdown{md: md}
}

// Render converts one document. With opt.Linker set, its links are resolved
// and checked; what it cannot resolve is reported in Result.Problems.
func (m *Markdown) Render(src []byte, opt *Options) (*Result, error) {
	pc := parser.NewContext()
	if opt != nil {
		pc.Set(optionsKey, opt)
	}
	doc := m.md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	res := &Result{Headings: headings(doc, src)}
	if p, _ := pc.Get(problemsKey).(*[]Problem); p != nil {
		res.Problems = *p
	}
	var buf bytes.Buffer
	buf.Grow(len(src) * 3 / 2)
	if err := m.md.Renderer().Render(&buf, src, doc); err != nil {
		return nil, err
	}
	res.HTML = buf.Bytes()
	return res, nil
}

func headings(doc ast.Node, src []byte) []Heading {
	var out []Heading
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		h, ok := n.(*ast.Heading)
		if !ok {
			continue
		}
		id, _ := h.AttributeString("id")
		idb, _ := id.([]byte)
		out = append(out, Heading{Level: h.Level, ID: string(idb), Text: plainText(h, src)})
	}
	return out
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
