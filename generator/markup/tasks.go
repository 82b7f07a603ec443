package markup

import (
	"strings"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"
)

// task renders the checkbox of a task list item (`- [ ] item`) with
// an accessible name, the item's text, so a screen reader says what is to be
// ticked. In the guide the boxes show state and cannot be ticked.
//
// On a worksheet's own page (fillable) the boxes can be ticked.
func (r *worksheetRenderer) task(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	box := n.(*extast.TaskCheckBox)
	label := strings.TrimSpace(plainText(n.Parent(), src))
	w.WriteString(`<input type="checkbox"`)
	if !r.fillable || !inWorksheet(n) {
		w.WriteString(` disabled`)
	} else {
		w.WriteString(keyAttrHTML(n))
	}
	if box.IsChecked {
		w.WriteString(` checked`)
	}
	if label != "" {
		w.WriteString(` aria-label="`)
		w.Write(util.EscapeHTML([]byte(label)))
		w.WriteString(`"`)
	}
	w.WriteString("> ")
	return ast.WalkContinue, nil
}
