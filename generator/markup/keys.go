package markup

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Every field of a worksheet has a storage key, written into its page as
// data-key, under which the participant's browser keeps what was typed. A
// key names the field by what it is, not by its place in the form, so that
// an author who adds a paragraph, a blank or a table row above a field does
// not move the answers already typed into other boxes:
//
//   - a field with an id of its own (`____{#id}`, `::: lines {#id}`) is keyed
//     by the id;
//   - any other is keyed by its context, the nearest heading before it in
//     the worksheet or the title of the container it is in (a column), and
//     its label: a blank's text before it, a writing line's prompt, a
//     checkbox's item, a header field's name;
//   - a table's blank cell by the table (its id, or else its first column's
//     heading), its column's heading and its row: a row written with text is
//     named by its first cell's text, and a blank row by its number among
//     the table's blank rows (those written empty and those added by
//     rows=N), so a row of text added to the table does not shift them.
//
// Two fields with the same key are told apart by a suffix, "-2", "-3",
// counted in order among those with the same key only. Two fields with the
// same id are a problem.

// keyAttr is the node attribute that holds a field's storage key until it
// is rendered.
var keyAttr = []byte("fc-key")

// fieldKey returns the storage key of a field node, or "".
func fieldKey(n ast.Node) string {
	if v, ok := n.AttributeString(string(keyAttr)); ok {
		if b, ok := v.([]byte); ok {
			return string(b)
		}
	}
	return ""
}

// keyField is a field of a worksheet awaiting its key.
type keyField struct {
	node   ast.Node // nil for a header field
	header int      // the index of a header field in the worksheet's Fields
	base   string   // the key before it is made unique
}

// keyWorksheet gives every field of the worksheet ws its storage key, and
// reports ids used twice.
func keyWorksheet(ws *Container, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	ids := map[string]bool{}
	var fields []keyField
	explicit := func(n ast.Node, id string, offset int) {
		if ids[id] {
			addProblem(pc, src, offset, "two fields of this worksheet have the id %q", id).Hint =
				"give each field an id of its own, or leave the id out: a field without one is named by its label"
		}
		ids[id] = true
		if n != nil {
			n.SetAttributeString(string(keyAttr), []byte(id))
		}
	}
	for i, f := range ws.Fields {
		fields = append(fields, keyField{header: i, base: keyPart(f)})
	}

	// context is a stack: the heading or title in force in each container.
	context := []string{""}
	_ = ast.Walk(ws, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if c, ok := n.(*Container); ok && c != ws {
			if !entering {
				context = context[:len(context)-1]
				return ast.WalkContinue, nil
			}
			ctx := context[len(context)-1]
			if c.Title != "" {
				ctx = c.Title
			}
			context = append(context, ctx)
			switch c.Name {
			case "lines":
				if c.ID != "" {
					explicit(c, c.ID, c.IDOffset)
				} else {
					prompt := strings.TrimRight(strings.TrimSpace(plainText(c, src)), ":")
					if prompt == "" {
						prompt = "lines"
					}
					fields = append(fields, keyField{node: c, base: joinKey(ctx, prompt)})
				}
			case "table":
				if c.ID != "" {
					explicit(nil, c.ID, c.IDOffset)
				}
				fields = keyTable(c, ctx, src, fields)
			}
			return ast.WalkContinue, nil
		}
		if !entering {
			return ast.WalkContinue, nil
		}
		ctx := context[len(context)-1]
		switch n := n.(type) {
		case *ast.Heading:
			context[len(context)-1] = plainText(n, src)
			return ast.WalkSkipChildren, nil
		case *Blank:
			if n.ID != "" {
				explicit(n, n.ID, n.IDOffset)
			} else {
				fields = append(fields, keyField{node: n, base: joinKey(ctx, blankLabel(n, src))})
			}
		case *ast.ThematicBreak:
			if pos := n.Pos(); pos >= 0 && pos < len(src) && src[pos] == '_' {
				label, line := lineParts(n, src)
				base := joinKey(ctx, label)
				if line > 1 {
					base += "/line-" + strconv.Itoa(line)
				}
				fields = append(fields, keyField{node: n, base: base})
			}
		case *extast.TaskCheckBox:
			fields = append(fields, keyField{node: n, base: joinKey(ctx, plainText(n.Parent(), src))})
		}
		return ast.WalkContinue, nil
	})

	// The ids are taken first: a key made from a label steps aside.
	seen := map[string]int{}
	ws.FieldKeys = make([]string, len(ws.Fields))
	for _, f := range fields {
		n := seen[f.base]
		key := f.base
		if n > 0 {
			key = f.base + "-" + strconv.Itoa(n+1)
		}
		for ids[key] {
			n++
			key = f.base + "-" + strconv.Itoa(n+1)
		}
		seen[f.base] = n + 1
		ids[key] = true
		if f.node == nil {
			ws.FieldKeys[f.header] = key
		} else {
			f.node.SetAttributeString(string(keyAttr), []byte(key))
		}
	}
}

// keyTable adds the blank cells of a `::: table` container's table to
// fields: table/column/row.
func keyTable(c *Container, ctx string, src []byte, fields []keyField) []keyField {
	for n := c.FirstChild(); n != nil; n = n.NextSibling() {
		t, ok := n.(*extast.Table)
		if !ok {
			continue
		}
		var heads []string
		if h, ok := t.FirstChild().(*extast.TableHeader); ok {
			for hc := h.FirstChild(); hc != nil; hc = hc.NextSibling() {
				heads = append(heads, strings.TrimSpace(plainText(hc, src)))
			}
		}
		table := c.ID
		if table == "" {
			name := "table"
			if len(heads) > 0 && heads[0] != "" {
				name = heads[0]
			}
			table = joinKey(ctx, name)
		}
		blankRows := 0
		for row := t.FirstChild(); row != nil; row = row.NextSibling() {
			if row.Kind() != extast.KindTableRow {
				continue
			}
			label := ""
			for cell := row.FirstChild(); cell != nil && label == ""; cell = cell.NextSibling() {
				label = strings.TrimSpace(plainText(cell, src))
			}
			rowKey := keyPart(label)
			if label == "" || rowKey == "" {
				blankRows++
				rowKey = "row-" + strconv.Itoa(blankRows)
			}
			col := 0
			for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
				col++
				if cell.ChildCount() != 0 {
					continue
				}
				head := ""
				if col <= len(heads) {
					head = keyPart(heads[col-1])
				}
				if head == "" {
					head = "column-" + strconv.Itoa(col)
				}
				fields = append(fields, keyField{node: cell, base: table + "/" + head + "/" + rowKey})
			}
		}
		return fields
	}
	return fields
}

// blankLabel names a blank for its key: the text before it on its line, or
// else the text after it ("____ will help me").
func blankLabel(b *Blank, src []byte) string {
	if l := strings.TrimRight(strings.TrimSpace(plainTextBefore(b, src)), ":"); l != "" {
		return l
	}
	var parts []string
	for p := b.NextSibling(); p != nil; p = p.NextSibling() {
		if _, ok := p.(*Blank); ok {
			break
		}
		parts = append(parts, plainText(p, src))
		if t, ok := p.(*ast.Text); ok && t.SoftLineBreak() {
			break
		}
	}
	if l := strings.TrimSpace(strings.Join(parts, "")); l != "" {
		return l
	}
	return "answer"
}

// joinKey makes a key of a context and a label: "internal-actions/who".
func joinKey(ctx, label string) string {
	l := keyPart(label)
	if l == "" {
		l = "answer"
	}
	if c := keyPart(ctx); c != "" {
		return c + "/" + l
	}
	return l
}

// keyPart makes text part of a key: lower case, letters and digits of any
// script, a hyphen for anything else, cut after a word at most 64
// characters long ("Who, row 2" is "who-row-2").
func keyPart(s string) string {
	const most = 64
	var b []rune
	dash := false
	for _, r := range strings.ToLower(s) {
		if !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.Is(unicode.Mn, r) {
			dash = len(b) > 0
			continue
		}
		if dash {
			if len(b) >= most {
				break
			}
			b = append(b, '-')
			dash = false
		}
		b = append(b, r)
	}
	if len(b) > most {
		// One long word: cut it; else cut before the word that went over.
		cut := most
		for i := most; i > most/2; i-- {
			if b[i] == '-' {
				cut = i
				break
			}
		}
		b = b[:cut]
	}
	return string(b)
}
