package markup

import (
	"strings"

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
		w.WriteString(`<div class="table-wrap" role="region" tabindex="0" aria-label="`)
		w.Write(util.EscapeHTML([]byte(tableLabel(n, src))))
		w.WriteString(`">` + "\n<table")
		html.RenderAttributes(w, n, extension.TableAttributeFilter)
		w.WriteString(">\n")
	} else {
		w.WriteString("</table>\n</div>\n")
	}
	return ast.WalkContinue, nil
}

// tableLabel names a table's scrolling region by its column headings:
// "Table: Action, Who, By when".
func tableLabel(n ast.Node, src []byte) string {
	var cols []string
	if h, ok := n.FirstChild().(*extast.TableHeader); ok {
		for c := h.FirstChild(); c != nil; c = c.NextSibling() {
			if t := strings.TrimSpace(plainText(c, src)); t != "" {
				cols = append(cols, t)
			}
		}
	}
	if len(cols) == 0 {
		return "Table"
	}
	if len(cols) > 4 {
		cols = append(cols[:4], "…")
	}
	return "Table: " + strings.Join(cols, ", ")
}
