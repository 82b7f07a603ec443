package markup

import (
	"bytes"
	"net/url"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// LinkResolver rewrites a relative link destination written in a document,
// such as "09-recommendations.md#exercise" or "images/map.png", into the URL
// to publish. It returns an error when the target does not exist.
type LinkResolver func(dest string) (string, error)

// Problem is something wrong in a document, at a line of its source (1-based,
// counted from the start of the Markdown given to Render).
type Problem struct {
	Line, Col int
	Msg       string
	Hint      string
}

var resolverKey = parser.NewContextKey()
var problemsKey = parser.NewContextKey()

// IsRelative reports whether dest points into the site rather than to
// another host, the page itself or the site root.
func IsRelative(dest string) bool {
	if dest == "" || dest[0] == '#' || dest[0] == '/' {
		return false
	}
	u, err := url.Parse(dest)
	return err == nil && u.Scheme == "" && u.Host == ""
}

// linkTransformer hands every relative link to the document's resolver.
type linkTransformer struct{}

func (linkTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	resolve, _ := pc.Get(resolverKey).(LinkResolver)
	if resolve == nil {
		return
	}
	src := reader.Source()
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var dest *[]byte
		switch l := n.(type) {
		case *ast.Link:
			dest = &l.Destination
		case *ast.Image:
			dest = &l.Destination
		default:
			return ast.WalkContinue, nil
		}
		if !IsRelative(string(*dest)) {
			return ast.WalkContinue, nil
		}
		to, err := resolve(string(*dest))
		if err != nil {
			addProblemAt(pc, LineOf(n, src), 0, "%v", err)
			return ast.WalkContinue, nil
		}
		*dest = []byte(to)
		return ast.WalkContinue, nil
	})
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
