package author

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

func init() {
	readers[".txt"] = readPlain
	readers[".text"] = readPlain
}

// errEmpty is the error of a file with nothing in it.
var errEmpty = errors.New("the file is empty")

// readPlain reads a plain-text guide: one Line for each line of text, a
// bulleted or numbered line an Item. The text is kept as written (plain
// text is Markdown already), but for what would open a container, a front
// matter block or a heading. An indented line right under an item goes on
// with it; any other line is a line of its own, since text copied from a
// web page or a PDF separates paragraphs with one line end.
func readPlain(file string, data []byte) (*Doc, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errEmpty
	}
	text, how := decodeText(data)
	if i := strings.IndexByte(text, 0); i >= 0 {
		return nil, &lineError{line: strings.Count(text[:i], "\n") + 1, err: errors.New("this is a binary file, not a text session guide"),
			hint: "save the guide as plain text first"}
	}
	doc := &Doc{File: file}
	if how != "" {
		doc.Warn(1, "nothing to do if the accents read right; else save the file as UTF-8 and import it again", "the file is not UTF-8: read as %s", how)
	}
	gap := true
	var nest []int // the indents of the open list levels
	for _, l := range splitLines(text) {
		s := strings.TrimSpace(l.s)
		if s == "" {
			gap = true
			continue
		}
		indent := indentOf(l.s)
		if body, level, ordered, ok := cutItem(s); ok {
			// Nesting from the indent, or from the bullet's own shape.
			for len(nest) > 0 && nest[len(nest)-1] > indent {
				nest = nest[:len(nest)-1]
			}
			if len(nest) == 0 || nest[len(nest)-1] < indent {
				nest = append(nest, indent)
			}
			lvl := max(len(nest)-1, level)
			// A numbered item under a bullet, its indent lost in a copy.
			if last := lastLine(doc); ordered && indent == 0 && !gap && last != nil && last.Kind == Item &&
				(!last.Ordered || last.Level > 0) {
				if !last.Ordered {
					lvl = last.Level + 1
				} else {
					lvl = last.Level
				}
			}
			doc.Lines = append(doc.Lines, Line{Kind: Item, Text: plainInline(body), Level: lvl, Ordered: ordered, Src: l.n, Gap: gap})
			gap = false
			continue
		}
		if last := lastLine(doc); last != nil && last.Kind == Item && indent > 0 && !gap {
			last.Text += " " + s
			continue
		}
		nest = nest[:0]
		doc.Lines = append(doc.Lines, Line{Kind: Para, Text: plainInline(s), Src: l.n, Gap: gap})
		gap = false
	}
	return doc, nil
}

func lastLine(d *Doc) *Line {
	if len(d.Lines) == 0 {
		return nil
	}
	return &d.Lines[len(d.Lines)-1]
}

// indentOf counts a line's leading blanks, a tab as four.
func indentOf(s string) int {
	n := 0
	for _, r := range s {
		switch r {
		case ' ':
			n++
		case '\t':
			n += 4
		default:
			return n
		}
	}
	return n
}

var numbered = regexp.MustCompile(`^(\d{1,3}|[a-zA-Z]|[ivxIVX]{1,5})[.)]\s+(\S.*)$`)

// cutItem reads a list item: "- text", "• text", "◦ text" (a second level),
// "1. text", "a) text".
func cutItem(s string) (body string, level int, ordered bool, ok bool) {
	if b, ok := cutBullet(s); ok {
		r, _ := utf8.DecodeRuneInString(s)
		if strings.ContainsRune("◦○▫", r) {
			level = 1
		}
		return b, level, false, true
	}
	if m := numbered.FindStringSubmatch(s); m != nil {
		// "I." or "A." alone starts a sentence as often as a list.
		if len(m[1]) == 1 && unicode.IsUpper(rune(m[1][0])) {
			return "", 0, false, false
		}
		return m[2], 0, true, true
	}
	return "", 0, false, false
}

// plainInline keeps a plain-text line as Markdown: what would start a
// container, a front matter block, a heading or a quote is escaped.
func plainInline(s string) string {
	if strings.HasPrefix(s, ":::") || strings.HasPrefix(s, "+++") || strings.HasPrefix(s, ">") || strings.HasPrefix(s, "#") {
		return `\` + s
	}
	return s
}

// lineError is an error at a line of a file.
type lineError struct {
	line int
	err  error
	hint string
}

func (e *lineError) Error() string { return e.err.Error() }
func (e *lineError) Unwrap() error { return e.err }
