package markup

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"flipchart/generator/i18n"
)

// Worksheets are written in Markdown inside `::: worksheet Title`:
//
//   - header fields (name, organisation, date) from the `fields` attribute or
//     the site's default;
//   - a line of underscores (`___`) is one writing line, `::: lines
//     {count=6}` is several, with the text inside as their prompt;
//   - `Name: ______` (three or more underscores in text) is a blank to fill;
//   - `::: table {rows=6}` around a table adds six blank rows to write in;
//   - task lists (`- [ ] item`) are checkboxes;
//   - `::: columns` holding `::: column Title` containers lays them side by
//     side (internal | external actions).
//
// In the guide these render as blanks to print; on a worksheet's own page
// (the fillable configuration) every blank is a form field.

// KindBlank is the node kind of an inline blank.
var KindBlank = ast.NewNodeKind("Blank")

// Blank is `____` in text: a space to write in.
type Blank struct {
	ast.BaseInline
	Width int // the number of underscores
	// ID is the blank's own id, from `____{#id}`, and IDOffset the byte
	// offset of its # in the source.
	ID       string
	IDOffset int
}

// Kind implements ast.Node.
func (b *Blank) Kind() ast.NodeKind { return KindBlank }

// Dump implements ast.Node.
func (b *Blank) Dump(src []byte, level int) {
	ast.DumpHelper(b, src, level, map[string]string{"Width": strconv.Itoa(b.Width), "ID": b.ID}, nil)
}

// inWorksheet reports whether n is inside a worksheet container.
func inWorksheet(n ast.Node) bool {
	for p := n.Parent(); p != nil; p = p.Parent() {
		if c, ok := p.(*Container); ok && c.Name == "worksheet" {
			return true
		}
	}
	return false
}

// blankParser reads three or more underscores inside a worksheet as a blank.
type blankParser struct{}

func (blankParser) Trigger() []byte { return []byte{'_'} }

func (blankParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	n := 0
	for n < len(line) && line[n] == '_' {
		n++
	}
	if n < 3 || !inWorksheet(parent) {
		return nil
	}
	b := &Blank{Width: n}
	// An id of its own right after the underscores: ____{#name}.
	if rest := line[n:]; len(rest) > 3 && rest[0] == '{' && rest[1] == '#' {
		j := 2
		for j < len(rest) && isKindByte(rest[j]) {
			j++
		}
		if j > 2 && j < len(rest) && rest[j] == '}' {
			b.ID, b.IDOffset = string(rest[2:j]), seg.Start+n+1
			n += j + 1
		}
	}
	block.Advance(n)
	return b
}

// FieldLabels are the labels of the header fields flipchart knows; any other
// field is shown as written.
var FieldLabels = map[string]string{
	"name":         "Name",
	"organisation": "Organisation",
	"organization": "Organization",
	"date":         "Date",
	"group":        "Group",
	"role":         "Role",
	"email":        "Email",
	"location":     "Location",
}

// FieldLabel returns the label of a header field.
func FieldLabel(f string) string {
	if l, ok := FieldLabels[strings.ToLower(f)]; ok {
		return l
	}
	if f == "" {
		return f
	}
	return strings.ToUpper(f[:1]) + f[1:]
}

// worksheetTransformer sets each worksheet's fields and adds the blank rows
// of `::: table {rows=N}`.
type worksheetTransformer struct{}

func (worksheetTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	opt, _ := pc.Get(optionsKey).(*Options)
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		c, ok := n.(*Container)
		if !ok || !entering {
			return ast.WalkContinue, nil
		}
		switch c.Name {
		case "worksheet":
			if v, set := c.attr("fields"); set {
				c.Fields = SplitList(v)
			} else if opt != nil {
				c.Fields = opt.WorksheetFields
			}
		case "table":
			rows, err := strconv.Atoi(c.Attr("rows"))
			if c.Attr("rows") != "" && (err != nil || rows < 0 || rows > 200) {
				addProblem(pc, reader.Source(), c.Offset, "rows: %q is not a number of rows from 0 to 200", c.Attr("rows"))
				return ast.WalkContinue, nil
			}
			addRows(c, rows)
		}
		return ast.WalkContinue, nil
	})
	// Keys once every row is in place; a worksheet in a worksheet is keyed
	// with the outer one.
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if c, ok := n.(*Container); ok && entering && c.Name == "worksheet" {
			keyWorksheet(c, reader, pc)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
}

// attr returns an attribute's value and whether it was written.
func (c *Container) attr(key string) (string, bool) {
	for _, a := range c.Attrs {
		if a.Key == key {
			return a.Value, true
		}
	}
	return "", false
}

// addRows appends blank rows to the first table in c.
func addRows(c *Container, rows int) {
	for n := c.FirstChild(); n != nil; n = n.NextSibling() {
		t, ok := n.(*extast.Table)
		if !ok {
			continue
		}
		t.SetAttributeString("data-fill", []byte("rows"))
		for range rows {
			row := extast.NewTableRow(t.Alignments)
			for _, a := range t.Alignments {
				row.AppendChild(row, extast.NewTableCell())
				row.LastChild().(*extast.TableCell).Alignment = a
			}
			t.AppendChild(t, row)
		}
		return
	}
}

// worksheetRenderer renders blanks, writing lines, table cells and task
// checkboxes, as blanks to print or (fillable) as form fields.
type worksheetRenderer struct {
	html.Config // XHTML, for the <hr> it renders outside worksheets
	fillable    bool
}

func newWorksheetRenderer(fillable bool) *worksheetRenderer {
	return &worksheetRenderer{Config: html.NewConfig(), fillable: fillable}
}

func (r *worksheetRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindBlank, r.blank)
	reg.Register(ast.KindThematicBreak, r.rule)
	reg.Register(extast.KindTableCell, r.cell)
	reg.Register(extast.KindTaskCheckBox, r.task)
}

func (r *worksheetRenderer) blank(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	size := min(max(n.(*Blank).Width, 6), 60)
	if r.fillable {
		label := strings.TrimRight(strings.TrimSpace(plainTextBefore(n, src)), ":")
		if label == "" {
			label = wordsOf(n)("answer")
		}
		fmt.Fprintf(w, `<input type="text" class="fc-blank" size="%d"%s aria-label="%s">`, size, keyAttrHTML(n), util.EscapeHTML([]byte(label)))
	} else {
		fmt.Fprintf(w, `<span class="fc-blank fc-w%d"></span>`, min(size/6, 10))
	}
	return ast.WalkContinue, nil
}

// plainTextBefore is the text of the inline nodes before n on its line, for a
// blank's accessible name ("Name: ____" is named "Name").
func plainTextBefore(n ast.Node, src []byte) string {
	var parts []string
	for p := n.PreviousSibling(); p != nil; p = p.PreviousSibling() {
		if _, ok := p.(*Blank); ok {
			break
		}
		if t, ok := p.(*ast.Text); ok && t.SoftLineBreak() {
			break
		}
		parts = append(parts, plainText(p, src))
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, "")
}

// rule renders `___` inside a worksheet as a writing line; any other
// thematic break as <hr>.
func (r *worksheetRenderer) rule(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	pos := n.Pos()
	if inWorksheet(n) && pos >= 0 && pos < len(src) && src[pos] == '_' {
		writeLines(w, 1, lineLabel(n, src), fieldKey(n), r.fillable)
		return ast.WalkContinue, nil
	}
	if r.XHTML {
		w.WriteString("<hr />\n")
	} else {
		w.WriteString("<hr>\n")
	}
	return ast.WalkContinue, nil
}

// lineLabel names a writing line by the paragraph before it, or else by the
// title of the container it is in; the second and later of several lines
// in a row say which line they are: "Notes, line 2".
func lineLabel(n ast.Node, src []byte) string {
	label, line := lineParts(n, src)
	if line > 1 {
		return answerLabel(wordsOf(n), label, line)
	}
	return label
}

// lineParts returns the name of a writing line's prompt and which line of
// several in a row it is, from 1.
func lineParts(n ast.Node, src []byte) (label string, line int) {
	line = 1
	for p := n.PreviousSibling(); p != nil; p = p.PreviousSibling() {
		if p.Kind() == ast.KindThematicBreak {
			line++
			continue
		}
		if p.Kind() == ast.KindParagraph {
			label = strings.TrimRight(strings.TrimSpace(plainText(p, src)), ":")
		}
		break
	}
	for p := n.Parent(); p != nil && label == ""; p = p.Parent() {
		if c, ok := p.(*Container); ok && c.Title != "" {
			label = c.Title
		}
	}
	if label == "" {
		label = wordsOf(n)("answer")
	}
	return label, line
}

// writeLines writes count writing lines with an accessible name and, to fill
// in, a storage key.
func writeLines(w util.BufWriter, count int, label, key string, fillable bool) {
	if label == "" {
		label = "Answer"
	}
	if fillable {
		fmt.Fprintf(w, `<textarea class="fc-lines" rows="%d"%s aria-label="%s"></textarea>`+"\n", count, keyHTML(key), util.EscapeHTML([]byte(label)))
		return
	}
	w.WriteString(`<div class="fc-lines" aria-hidden="true">`)
	for range count {
		w.WriteString(`<span class="fc-line"></span>`)
	}
	w.WriteString("</div>\n")
}

// cell renders a table cell with its alignment as a class (the site's
// Content-Security-Policy forbids style attributes). A blank cell of a table
// with rows to fill is a field on a worksheet's page.
func (r *worksheetRenderer) cell(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	c := n.(*extast.TableCell)
	tag := "td"
	if c.Parent().Kind() == extast.KindTableHeader {
		tag = "th"
	}
	if !entering {
		fmt.Fprintf(w, "</%s>\n", tag)
		return ast.WalkContinue, nil
	}
	w.WriteString("<" + tag)
	if tag == "th" {
		w.WriteString(` scope="col"`)
	}
	if c.Alignment != extast.AlignNone {
		w.WriteString(` class="align-` + c.Alignment.String() + `"`)
	}
	w.WriteString(">")
	table, _ := c.Parent().Parent().(*extast.Table)
	if tag == "td" && c.ChildCount() == 0 && table != nil {
		if _, fill := table.AttributeString("data-fill"); fill && r.fillable {
			fmt.Fprintf(w, `<textarea class="fc-cell" rows="1"%s aria-label="%s"></textarea>`, keyAttrHTML(c), util.EscapeHTML([]byte(cellLabel(c, table, src))))
		}
	}
	return ast.WalkContinue, nil
}

// cellLabel names a blank cell by its column heading and row, in the
// document's language: "Who, row 3", "Column 2, row 3".
func cellLabel(c *extast.TableCell, t *extast.Table, src []byte) string {
	col := 0
	for p := c.PreviousSibling(); p != nil; p = p.PreviousSibling() {
		col++
	}
	row := 0
	for p := c.Parent(); p != nil; p = p.PreviousSibling() {
		if p.Kind() == extast.KindTableRow {
			row++
		}
	}
	head := ""
	if h, ok := t.FirstChild().(*extast.TableHeader); ok {
		i := 0
		for hc := h.FirstChild(); hc != nil; hc = hc.NextSibling() {
			if i == col {
				head = strings.TrimSpace(plainText(hc, src))
			}
			i++
		}
	}
	words := wordsOf(c)
	if head == "" {
		head = i18n.Fill(words("column_n"), "n", i18n.Number(words, col+1))
	}
	return i18n.Fill(words("cell_label"), "column", head, "n", i18n.Number(words, row))
}

// The elements that hold a worksheet's layout containers.
const (
	columnsOpen   = `<div class="fc-columns">`
	fillTableOpen = `<div class="fc-fill-table">`
	linesOpen     = `<div class="fc-lines-block">`
)

// HasWorksheet reports whether rendered HTML holds a worksheet or a part of
// one (columns, a table with rows to fill, writing lines, which a page may
// hold outside a worksheet too), which a theme may style in a stylesheet of
// its own. Text never forges one: goldmark escapes quotes.
func HasWorksheet(html string) bool {
	for _, m := range []string{containerOpen + "worksheet", containerOpen + "column", columnsOpen, fillTableOpen, linesOpen} {
		if strings.Contains(html, m) {
			return true
		}
	}
	return false
}

// renderLayout renders the worksheet's layout containers: columns, a table
// with rows to fill, and writing lines.
func renderLayout(w util.BufWriter, src []byte, c *Container, entering, fillable bool) (ast.WalkStatus, error) {
	switch c.Name {
	case "columns":
		if entering {
			w.WriteString(columnsOpen + "\n")
		} else {
			w.WriteString("</div>\n")
		}
		return ast.WalkContinue, nil
	case "table":
		if entering {
			w.WriteString(fillTableOpen + "\n")
		} else {
			w.WriteString("</div>\n")
		}
		return ast.WalkContinue, nil
	}
	// lines: the text inside is the prompt, then the lines.
	if entering {
		w.WriteString(linesOpen + "\n")
		return ast.WalkContinue, nil
	}
	count, err := strconv.Atoi(c.Attr("count"))
	if err != nil || count < 1 {
		count = 4
	}
	writeLines(w, min(count, 60), strings.TrimSpace(plainText(c, src)), fieldKey(c), fillable)
	w.WriteString("</div>\n")
	return ast.WalkContinue, nil
}

// keyHTML is the data-key attribute of a field with a storage key.
func keyHTML(key string) string {
	if key == "" {
		return ""
	}
	return ` data-key="` + string(util.EscapeHTML([]byte(key))) + `"`
}

// keyAttrHTML is the data-key attribute of a field node.
func keyAttrHTML(n ast.Node) string { return keyHTML(fieldKey(n)) }

// writeFields writes a worksheet's header fields.
func writeFields(w util.BufWriter, c *Container, fillable bool) {
	if len(c.Fields) == 0 {
		return
	}
	w.WriteString(`<div class="fc-fields">`)
	for i, f := range c.Fields {
		label := util.EscapeHTML([]byte(fieldLabel(wordsOf(c), f)))
		if fillable {
			// A date is text too: a browser's date field shows its own
			// language's mask (mm/dd/yyyy), whatever the manual's.
			key := ""
			if i < len(c.FieldKeys) {
				key = c.FieldKeys[i]
			}
			fmt.Fprintf(w, `<label class="fc-field">%s <input type="text" name="%s"%s autocomplete="off"></label>`, label, util.EscapeHTML([]byte(strings.ToLower(f))), keyHTML(key))
		} else {
			fmt.Fprintf(w, `<span class="fc-field">%s <span class="fc-blank fc-w4"></span></span>`, label)
		}
	}
	w.WriteString("</div>\n")
}
