package markup

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// tableRenderer wraps each table in a region that can scroll sideways on a
// narrow screen and be reached with the keyboard to do so. Rows and cells are
// left to goldmark's GFM renderer.
type tableRenderer struct{}

func (tableRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(extast.KindTable, renderTable)
}

func renderTable(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		w.WriteString(`<div class="table-wrap" role="region" tabindex="0" aria-label="Table">` + "\n<table")
		html.RenderAttributes(w, n, extension.TableAttributeFilter)
		w.WriteString(">\n")
	} else {
		w.WriteString("</table>\n</div>\n")
	}
	return ast.WalkContinue, nil
}
