package author

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// A Doc is a document read for import, whatever its format: its lines in
// reading order, each a paragraph, a heading, a list item, a table row or a
// page break, their text as inline Markdown. Readers (plain text, web
// pages, Word, PDF) make one; the guide reader (see ReadGuides) finds the
// sessions in it.
type Doc struct {
	File  string // as shown in messages
	Lines []Line
	// Warnings are what the reader left out or read in a way of its own
	// (images, an encoding guessed): import reports them with the file.
	Warnings []DocWarning
}

// DocWarning is one warning of a reader, at Src (see Line.Src).
type DocWarning struct {
	Src       int
	Msg, Hint string
}

// Warn adds a warning.
func (d *Doc) Warn(src int, hint, format string, args ...any) {
	d.Warnings = append(d.Warnings, DocWarning{Src: src, Msg: fmt.Sprintf(format, args...), Hint: hint})
}

// LineKind is what a Line of a Doc is.
type LineKind int

const (
	Para    LineKind = iota // a paragraph, or one line of plain text
	Heading                 // a heading: Level 1 to 6
	Item                    // a list item: Level 0 at the top, Ordered
	Row                     // a table row: Cells, Header
	Break                   // a page break
)

func (k LineKind) String() string {
	return [...]string{"para", "heading", "item", "row", "break"}[k]
}

// Line is one line of a Doc.
type Line struct {
	Kind LineKind
	// Text is the line's text as inline Markdown: **bold**, *italic*,
	// [text](url), `code`; characters Markdown would read as syntax
	// escaped. A label and its value on one line stay together ("Time: 15
	// min"). Empty for a Row and a Break.
	Text    string
	Level   int      // a Heading's (1-6) or an Item's nesting (0 at the top)
	Ordered bool     // an Item of a numbered list
	Cells   []string // a Row's cells, inline Markdown
	Header  bool     // a Row of table headers
	// Src is where the line starts in the source, 1-based: the line of a
	// text file or of pdftotext's text, the paragraph of a Word file, the
	// line of the HTML; 0 when unknown. Page is the page of a PDF, else 0.
	Src, Page int
	// Bold says the whole line is bold (a label or title written so).
	Bold bool
	// Gap says a blank line, or a paragraph's spacing, comes before it;
	// false for a line right under the last (plain text, a PDF's lines).
	Gap bool
}

// oddSpace reports whether r is a space every reader writes as a plain
// one: the no-break, thin, em and other spaces of Unicode, and the line
// and paragraph separators. The ASCII blanks are each format's to read.
func oddSpace(r rune) bool {
	switch r {
	case '\u00a0', '\u0085', '\u1680', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000':
		return true
	}
	return r >= '\u2000' && r <= '\u200a'
}

// invisible reports whether every reader drops r from a Doc's text: the
// zero-width space, word joiner, byte-order mark, soft hyphen, Mongolian
// vowel separator, the left-to-right and right-to-left marks, and control
// characters but the blanks. The zero-width joiner and non-joiner stay:
// emoji and the letters of some scripts need them.
func invisible(r rune) bool {
	switch r {
	case '\u200b', '\u2060', '\ufeff', '\u00ad', '\u180e', '\u200e', '\u200f':
		return true
	case '\t', '\n', '\v', '\f', '\r', '\u0085':
		return false
	}
	return r < 0x20 || r >= 0x7f && r < 0xa0
}

// Reader reads one file of a format into a Doc; data is the whole file.
type Reader func(file string, data []byte) (*Doc, error)

// readers are the formats import reads, by file extension (lower case).
// Each reader's file registers itself.
var readers = map[string]Reader{}

// readerFor returns the reader of a file by its extension.
func readerFor(name string) (Reader, error) {
	ext := strings.ToLower(filepath.Ext(name))
	if r, ok := readers[ext]; ok {
		return r, nil
	}
	var exts []string
	for e := range readers {
		exts = append(exts, e)
	}
	slices.Sort(exts)
	return nil, fmt.Errorf("flipchart import cannot read %s files; it reads %s", ext, strings.Join(exts, ", "))
}

// Texts returns the text of the Doc's lines, one a line, rows' cells
// joined by " | ": what tests compare.
func (d *Doc) Texts() []string {
	out := make([]string, 0, len(d.Lines))
	for _, l := range d.Lines {
		switch l.Kind {
		case Row:
			out = append(out, strings.Join(l.Cells, " | "))
		case Break:
			out = append(out, "---")
		default:
			out = append(out, l.Text)
		}
	}
	return out
}
