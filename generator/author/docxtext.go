package author

import (
	"slices"
	"strings"
	"unicode"
)

// docxFmt is the look of a piece of text that Markdown can say.
type docxFmt struct {
	bold, italic, code bool
	link               string // the address it links to, "" for none
}

// docxSeg is a piece of a paragraph's text in one look, as its runs have
// it, or a page break (brk) inside the paragraph.
type docxSeg struct {
	text string
	docxFmt
	brk bool
}

// docxRune returns the character as import keeps it: the spaces of every
// kind (non-breaking, thin, tabs, line ends) as a plain space, -1 for the
// invisible ones it drops (zero-width space, word joiner, byte-order mark,
// soft hyphen, direction marks, control characters). Zero-width joiners
// stay: they make emoji and the letters of some scripts.
func docxRune(c rune) rune {
	switch {
	case c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || oddSpace(c):
		return ' '
	case invisible(c):
		return -1
	}
	return c
}

// docxClean normalises segments of text: characters by docxRune, runs of
// spaces collapsed across segments, the ends trimmed, empty segments
// dropped and neighbours of one look merged.
func docxClean(segs []docxSeg) []docxSeg {
	var out []docxSeg
	space := true // at the start or after a space, a space is dropped
	for _, s := range segs {
		var b strings.Builder
		for _, c := range s.text {
			c = docxRune(c)
			switch {
			case c < 0:
				continue
			case c == ' ' && space:
				continue
			}
			space = c == ' '
			b.WriteRune(c)
		}
		if b.Len() == 0 {
			continue
		}
		if n := len(out); n > 0 && out[n-1].docxFmt == s.docxFmt {
			out[n-1].text += b.String()
		} else {
			out = append(out, docxSeg{text: b.String(), docxFmt: s.docxFmt})
		}
	}
	if n := len(out); n > 0 {
		out[n-1].text = strings.TrimSuffix(out[n-1].text, " ")
		if out[n-1].text == "" {
			out = out[:n-1]
		}
	}
	return out
}

// docxAllBold reports whether every segment with text but spaces is bold,
// and there is one.
func docxAllBold(segs []docxSeg) bool {
	any := false
	for _, s := range segs {
		if strings.TrimSpace(s.text) == "" {
			continue
		}
		if !s.bold {
			return false
		}
		any = true
	}
	return any
}

// docxAllItalic is docxAllBold for italics.
func docxAllItalic(segs []docxSeg) bool {
	any := false
	for _, s := range segs {
		if strings.TrimSpace(s.text) == "" {
			continue
		}
		if !s.italic {
			return false
		}
		any = true
	}
	return any
}

// docxMarkdown writes clean segments as one line of inline Markdown, its
// start escaped where Markdown would read it as a block.
func docxMarkdown(segs []docxSeg) string {
	var m docxMD
	for i := 0; i < len(segs); {
		j := i + 1
		if segs[i].link == "" {
			m.seg(segs[i], &m.open, false, false)
		} else {
			for j < len(segs) && segs[j].link == segs[i].link {
				j++
			}
			m.linked(segs[i:j])
		}
		i = j
	}
	m.closeExcept(&m.open, false, false)
	return docxEscapeStart(m.b.String())
}

// docxMD writes Markdown of segments. Emphasis is opened and closed where
// the look changes, and spaces are kept outside the markers ("**two
// words** and", never "**two **"), as Markdown needs.
type docxMD struct {
	b     strings.Builder
	open  []byte // the emphasis open outside links, innermost last: 'b', 'i'
	space bool   // a space to write before the next text
}

// seg writes one segment, inside emphasis open already (baseBold,
// baseItalic: a link's, which its text does not reopen). open is the
// emphasis this level opened.
func (m *docxMD) seg(s docxSeg, open *[]byte, baseBold, baseItalic bool) {
	core := strings.TrimLeft(s.text, " ")
	lead := len(core) < len(s.text)
	trimmed := strings.TrimRight(core, " ")
	trail := len(trimmed) < len(core)
	if trimmed == "" {
		m.space = m.space || lead
		return
	}
	wantBold, wantItalic := s.bold && !baseBold, s.italic && !baseItalic
	m.closeExcept(open, wantBold, wantItalic)
	if lead || m.space {
		m.b.WriteByte(' ')
		m.space = false
	}
	m.openWanted(open, wantBold, wantItalic)
	if s.code {
		m.b.WriteString(docxCode(trimmed))
	} else {
		m.b.WriteString(docxEscape(trimmed))
	}
	m.space = trail
}

// linked writes segments of one link as [text](address). Emphasis that
// covers the whole text stays outside the brackets; emphasis of part of it
// is opened and closed inside them.
func (m *docxMD) linked(segs []docxSeg) {
	bold, italic := docxAllBold(segs), docxAllItalic(segs)
	if !slices.ContainsFunc(segs, func(s docxSeg) bool { return strings.TrimSpace(s.text) != "" }) {
		m.space = true // a link of spaces only is a space
		return
	}
	first, last := &segs[0], &segs[len(segs)-1]
	lead := strings.HasPrefix(first.text, " ")
	trail := strings.HasSuffix(last.text, " ")
	m.closeExcept(&m.open, bold, italic)
	if lead || m.space {
		m.b.WriteByte(' ')
		m.space = false
	}
	m.openWanted(&m.open, bold, italic)
	m.b.WriteByte('[')
	var inner []byte
	for i, s := range segs {
		if i == 0 {
			s.text = strings.TrimLeft(s.text, " ")
		}
		if i == len(segs)-1 {
			s.text = strings.TrimRight(s.text, " ")
		}
		m.seg(s, &inner, bold, italic)
	}
	m.space = false
	m.closeExcept(&inner, false, false)
	m.b.WriteString("](" + docxURL(segs[0].link) + ")")
	m.space = trail
}

// closeExcept closes the emphasis of open that is not wanted, and any
// opened inside it (which openWanted opens again).
func (m *docxMD) closeExcept(open *[]byte, bold, italic bool) {
	k := -1
	for i, e := range *open {
		if e == 'b' && !bold || e == 'i' && !italic {
			k = i
			break
		}
	}
	if k < 0 {
		return
	}
	for i := len(*open) - 1; i >= k; i-- {
		m.b.WriteString(docxMarker((*open)[i]))
	}
	*open = (*open)[:k]
}

// openWanted opens the wanted emphasis that is not open: bold, then
// italic.
func (m *docxMD) openWanted(open *[]byte, bold, italic bool) {
	for _, e := range []byte{'b', 'i'} {
		if e == 'b' && !bold || e == 'i' && !italic || strings.IndexByte(string(*open), e) >= 0 {
			continue
		}
		m.b.WriteString(docxMarker(e))
		*open = append(*open, e)
	}
}

func docxMarker(e byte) string {
	if e == 'b' {
		return "**"
	}
	return "*"
}

// docxEscape escapes the characters Markdown would read as syntax inside a
// line: emphasis, links, code, raw HTML, an entity ("&copy;") and the
// escape itself.
func docxEscape(s string) string {
	if !strings.ContainsAny(s, "\\*_[]`<&") {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if strings.ContainsRune("\\*_[]`<", c) || c == '&' && docxEntity(s[i:]) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// docxEntity reports whether s starts with what Markdown reads as an
// entity: "&", letters, digits or "#", then ";".
func docxEntity(s string) bool {
	for i := 1; i < len(s) && i < 40; i++ {
		c := s[i]
		switch {
		case c == ';':
			return i > 1
		case c == '#' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		default:
			return false
		}
	}
	return false
}

// docxEscapeStart escapes the start of a line that Markdown would read as
// a block: a heading (#), a quote (>), a list item ("- ", "+ ", "1. ",
// "1) "), a rule ("---"), a container fence (:::) or a code fence (~~~).
func docxEscapeStart(s string) string {
	switch {
	case s == "":
		return s
	case s[0] == '#' || s[0] == '>':
		return `\` + s
	case strings.HasPrefix(s, ":::") || strings.HasPrefix(s, "~~~"):
		return `\` + s
	case s[0] == '-' || s[0] == '+':
		if len(s) == 1 || s[1] == ' ' || s[1] == s[0] {
			return `\` + s
		}
		return s
	}
	i := 0
	for i < len(s) && i < 10 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i < 10 && i < len(s) && (s[i] == '.' || s[i] == ')') && (i+1 == len(s) || s[i+1] == ' ') {
		return s[:i] + `\` + s[i:]
	}
	return s
}

// docxCode writes text as a code span, its fence longer than any run of
// backticks inside.
func docxCode(s string) string {
	longest, run := 0, 0
	for _, c := range s {
		if c == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// docxURL writes an address as a link's destination: the characters a
// destination cannot hold as they are percent-encoded.
func docxURL(u string) string {
	var b strings.Builder
	for _, c := range strings.TrimSpace(u) {
		switch {
		case c == ' ':
			b.WriteString("%20")
		case c == '(':
			b.WriteString("%28")
		case c == ')':
			b.WriteString("%29")
		case c == '<':
			b.WriteString("%3C")
		case c == '>':
			b.WriteString("%3E")
		case unicode.IsSpace(c) || unicode.IsControl(c):
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// docxCell writes a table cell's paragraphs on one line, the pipes that
// would end the cell escaped.
func docxCell(paras []string) string {
	return strings.ReplaceAll(strings.Join(paras, " "), "|", `\|`)
}
