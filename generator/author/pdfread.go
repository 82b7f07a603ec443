package author

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

func init() { readers[".pdf"] = readPDF }

// A PDF is read with poppler's pdftotext, which writes the text of each
// printed line on a line of its own, pages ended by form feeds. The reader
// then takes out page furniture (running headers and footers, page numbers),
// joins the printed lines of a paragraph into one line, and tells list items
// from paragraphs. A PDF has no structure to speak of: headings, labels and
// titles are left to the guide reader, which finds them in the lines.

// pdftotextCmd is the program run to read PDFs; tests change it.
var pdftotextCmd = "pdftotext"

// pdfTimeout is how long pdftotext may take on one PDF.
var pdfTimeout = 60 * time.Second

// ErrNoPdftotext is the error of reading a PDF where pdftotext is not
// installed. The error returned wraps it (errors.Is) and has a Hint.
var ErrNoPdftotext = errors.New("reading PDF files needs pdftotext, which is not installed")

// The hints of the PDF reader's errors.
const (
	pdftotextHint = "install poppler-utils, which has pdftotext (Debian/Ubuntu: apt-get install poppler-utils; " +
		"macOS: brew install poppler; Windows: the poppler binaries, from winget, choco or scoop: scoop install poppler), " +
		"and make sure pdftotext is on the PATH"
	pdfPasswordMsg = "the PDF is password-protected: save a copy without a password (Print to PDF) and import that"
	pdfDamagedHint = "open it in a PDF reader; if it opens there, save a copy (Print to PDF) and import that"
	pdfScannedMsg  = "the PDF has no text (scanned pages?); import needs text: run it through OCR first"
	pdfScannedHint = "a PDF reader or scanner software with OCR (text recognition) makes a PDF with text"
)

// pdfError is an error of the PDF reader, with a hint on what to do about
// it: errors.As finds it, or an interface{ Hint() string }.
type pdfError struct {
	err  error
	hint string
}

func (e *pdfError) Error() string { return e.err.Error() }
func (e *pdfError) Unwrap() error { return e.err }

// Hint says what to do about the error; "" when there is nothing to say.
func (e *pdfError) Hint() string { return e.hint }

// pdfErr makes a pdfError of a message.
func pdfErr(hint, format string, args ...any) error {
	return &pdfError{err: fmt.Errorf(format, args...), hint: hint}
}

// readPDF reads a PDF file's text into a Doc: its lines in reading order,
// Src the line of pdftotext's text, Page the page.
func readPDF(file string, data []byte) (*Doc, error) {
	switch {
	case len(data) == 0:
		return nil, pdfErr("", "the file is empty")
	case !bytes.HasPrefix(data, []byte("%PDF-")):
		return nil, pdfErr("export the document as PDF again, or import it in its own format", "not a PDF file")
	}
	out, err := runPdftotext(data)
	if err != nil {
		return nil, err
	}
	pages := pdfPages(out)
	doc := &Doc{File: file}
	var empty []int // pages without text
	for i, p := range pages {
		if len(p.lines) == 0 {
			empty = append(empty, i+1)
		}
	}
	if len(empty) == len(pages) {
		// pdftotext opens a PDF encrypted for its owner only (no password
		// to open it) and may find no text in it; the file says so.
		if pdfEncrypted(data) {
			return nil, pdfErr("", "%s", pdfPasswordMsg)
		}
		doc.Warn(0, pdfScannedHint, "%s", pdfScannedMsg)
		return doc, nil
	}
	if len(empty) > 0 {
		doc.Warn(0, "if they are scanned, run the PDF through OCR and import it again",
			"%s no text: blank, or scanned", pdfPageList(empty))
	}
	pdfLines(doc, pages)
	return doc, nil
}

// pdfLines adds the lines of pages to doc, page furniture taken out.
func pdfLines(doc *Doc, pages []*pdfPage) {
	stripFurniture(pages)
	var limits []int
	for _, p := range pages {
		pdfMeasures(p)
		if len(p.lines) >= 4 {
			limits = append(limits, p.lines[0].limit)
		}
	}
	b := &pdfBuilder{doc: doc, words: pdfWords(pages)}
	if len(limits) > 0 {
		slices.Sort(limits)
		b.docMeasure = limits[len(limits)/2]
	}
	for _, p := range pages {
		b.page(p)
	}
	b.flush()
}

// runPdftotext runs pdftotext on the PDF, given on its standard input (no
// file, so no name or path reaches the program), and returns its text.
//
// pdftotext's default mode is used rather than -layout: it finds the
// columns of a page and writes each column's lines in turn, in reading
// order, where -layout writes the lines of two columns side by side on one
// line. It also separates blocks of text (paragraphs, columns, a header
// apart from the page) by blank lines, which tells where paragraphs end.
// It loses indentation, so nesting comes from the bullets' shapes. And
// within a block it joins a word hyphenated at a line's end, dropping the
// hyphen, which mends "facili-" "tation" but makes a compound broken at
// its hyphen one word ("well-" "being" is "wellbeing").
func runPdftotext(data []byte) (string, error) {
	path, err := exec.LookPath(pdftotextCmd)
	if err != nil {
		return "", &pdfError{err: ErrNoPdftotext, hint: pdftotextHint}
	}
	ctx, cancel := context.WithTimeout(context.Background(), pdfTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, "-enc", "UTF-8", "-eol", "unix", "-", "-")
	cmd.Stdin = bytes.NewReader(data)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &pdfLimited{w: &stderr, n: 64 << 10}
	cmd.WaitDelay = 5 * time.Second
	err = cmd.Run()
	if ctx.Err() != nil {
		return "", pdfErr(pdfDamagedHint, "pdftotext did not finish reading the PDF in %g s; it may be damaged or very large", pdfTimeout.Seconds())
	}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return "", pdfToolError(stderr.String(), exit.ExitCode())
	case err != nil:
		// The program did not start: say why without its path.
		for u := errors.Unwrap(err); u != nil; u = errors.Unwrap(u) {
			err = u
		}
		return "", pdfErr(pdftotextHint, "cannot run pdftotext: %v", err)
	}
	if strings.Contains(stderr.String(), "Incorrect password") {
		return "", pdfErr("", "%s", pdfPasswordMsg)
	}
	if !utf8.Valid(stdout.Bytes()) {
		return strings.ToValidUTF8(stdout.String(), "\uFFFD"), nil
	}
	return stdout.String(), nil
}

// pdfLimited writes up to n bytes to w and drops the rest, so that a
// program that writes messages without end does not fill the memory.
type pdfLimited struct {
	w *bytes.Buffer
	n int
}

func (l *pdfLimited) Write(p []byte) (int, error) {
	if room := l.n - l.w.Len(); room > 0 {
		l.w.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// pdfMsgPrefix is what poppler puts before its messages: "Syntax Error
// (1234): ", "Command Line Error: ".
var pdfMsgPrefix = regexp.MustCompile(`^(Syntax|Command Line|Internal|I/O|Permission)?\s*(Error|Warning)\s*(\(\d+\))?:\s*`)

// pdfToolError is the error of pdftotext's failure: a PDF with a password,
// one whose permissions forbid copying its text, or a damaged one, with
// the first error of pdftotext's message.
func pdfToolError(stderr string, code int) error {
	if strings.Contains(stderr, "Incorrect password") {
		return pdfErr("", "%s", pdfPasswordMsg)
	}
	if code == 3 || strings.Contains(stderr, "not allowed") {
		return pdfErr("", "the PDF does not allow copying its text: save a copy without restrictions (Print to PDF) and import that")
	}
	// The first error, else the first line: poppler warns of what it
	// mends before it gives up.
	msg := ""
	for _, l := range strings.Split(stderr, "\n") {
		if l = strings.TrimSpace(l); l == "" {
			continue
		}
		if strings.Contains(l, "Error") {
			msg = l
			break
		}
		if msg == "" {
			msg = l
		}
	}
	msg = pdfMessage(msg)
	if msg == "" {
		return pdfErr(pdfDamagedHint, "the PDF is damaged: pdftotext stopped with exit status %d", code)
	}
	return pdfErr(pdfDamagedHint, "the PDF is damaged: %s", msg)
}

// pdfQuotedPath is a quoted file name with a folder.
var pdfQuotedPath = regexp.MustCompile(`'[^'\s]*[/\\][^']*'|"[^"]*[/\\][^"]*"`)

// pdfMessage cleans one of poppler's messages for the author: its prefix
// and any quoted path dropped, lower case at the start, no final stop, at
// most 200 characters.
func pdfMessage(s string) string {
	s = pdfMsgPrefix.ReplaceAllString(strings.TrimSpace(s), "")
	s = pdfQuotedPath.ReplaceAllString(s, "")
	s = strings.ReplaceAll(s, " :", ":")
	s = strings.TrimRight(strings.Join(strings.Fields(s), " "), ".")
	if r, n := utf8.DecodeRuneInString(s); unicode.IsUpper(r) && !Shouting(pdfFirstWords(s, 1)) {
		s = string(unicode.ToLower(r)) + s[n:]
	}
	if utf8.RuneCountInString(s) > 200 {
		s = string([]rune(s)[:200]) + "…"
	}
	return s
}

// pdfFirstWords returns the first n words of s.
func pdfFirstWords(s string, n int) string {
	f := strings.Fields(s)
	return strings.Join(f[:min(n, len(f))], " ")
}

// pdfEncryptRe is the trailer's entry of an encrypted PDF.
var pdfEncryptRe = regexp.MustCompile(`/Encrypt\s*(<<|\d+\s+\d+\s+R)`)

// pdfEncrypted reports whether the PDF is encrypted: its trailer (which
// is never itself encrypted or compressed) has an /Encrypt entry.
func pdfEncrypted(data []byte) bool { return pdfEncryptRe.Match(data) }

// pdfPageList names pages: "page 3 has", "pages 3, 5 and 9 have", at most
// ten of them.
func pdfPageList(pages []int) string {
	if len(pages) == 1 {
		return fmt.Sprintf("page %d has", pages[0])
	}
	var s []string
	for _, p := range pages[:min(len(pages), 10)] {
		s = append(s, strconv.Itoa(p))
	}
	last := " and " + s[len(s)-1]
	if len(pages) > 10 {
		last = ", " + s[len(s)-1] + " and more"
	}
	return "pages " + strings.Join(s[:len(s)-1], ", ") + last + " have"
}

// pdfRaw is one printed line of pdftotext's text.
type pdfRaw struct {
	src  int    // its line in pdftotext's text, 1-based
	text string // normalised (see pdfNormalise), never ""
	// gap says a blank line, or the page's start, comes before it: pdftotext
	// separates blocks of text so.
	gap bool
	// n is the text's length in characters; measure the length of a full
	// line of its block and limit that of the page (see pdfMeasures).
	n, measure, limit int
}

// pdfPage is a page's printed lines.
type pdfPage struct {
	n     int // 1-based
	lines []pdfRaw
}

// pdfPages splits pdftotext's text into pages, at its form feeds, and
// pages into lines, blank lines dropped (they set the next line's gap).
func pdfPages(out string) []*pdfPage {
	pages := []*pdfPage{{n: 1}}
	gap := true
	for i, l := range strings.Split(out, "\n") {
		for strings.HasPrefix(l, "\f") {
			l = l[1:]
			pages = append(pages, &pdfPage{n: len(pages) + 1})
			gap = true
		}
		s := pdfNormalise(l)
		if s == "" {
			gap = true
			continue
		}
		p := pages[len(pages)-1]
		p.lines = append(p.lines, pdfRaw{src: i + 1, text: s, gap: gap})
		gap = false
	}
	// pdftotext ends every page with a form feed, the last one too.
	if last := pages[len(pages)-1]; len(pages) > 1 && len(last.lines) == 0 {
		pages = pages[:len(pages)-1]
	}
	return pages
}

// pdfLigatures are the ligatures of fonts, spelt out.
var pdfLigatures = map[rune]string{'ﬀ': "ff", 'ﬁ': "fi", 'ﬂ': "fl", 'ﬃ': "ffi", 'ﬄ': "ffl", 'ﬅ': "st", 'ﬆ': "st"}

// pdfNormalise cleans a printed line's text: odd spaces (no-break, thin,
// tabs) made plain and runs of them one, ligatures spelt out, invisible
// characters (see invisible) and controls dropped, private-use glyphs (a symbol font's
// bullets) kept only at the start, where they are bullets. A soft hyphen
// is dropped, but at the end, where it says the word goes on on the next
// line.
func pdfNormalise(line string) string {
	var b strings.Builder
	soft := false
	for _, r := range line {
		soft = false
		switch {
		case r == '\u00AD':
			soft = true
		case r == '\t' || oddSpace(r):
			b.WriteByte(' ')
		case invisible(r) || unicode.IsControl(r):
		case pdfLigatures[r] != "":
			b.WriteString(pdfLigatures[r])
		case pdfPrivate(r):
			if strings.TrimSpace(b.String()) == "" {
				b.WriteRune(r)
			}
		default:
			b.WriteRune(r)
		}
	}
	s := strings.Join(strings.Fields(b.String()), " ")
	if soft && s != "" {
		s += "\u00AD"
	}
	return s
}

// pdfPrivate reports whether r is in the private use area, where
// pdftotext puts the glyphs of symbol fonts (Symbol's and Wingdings'
// bullets are U+F0B7, U+F0A7, U+F076, ...).
func pdfPrivate(r rune) bool { return r >= '\uE000' && r <= '\uF8FF' }

// Page furniture: what a printer repeats on every page.
var (
	// pdfPageNumRe are page numbers alone: "12", "- 12 -", "Page 12",
	// "Page 12 of 80", "12/80", "[12]", "12 | Manual title".
	pdfPageNumRe = regexp.MustCompile(`(?i)^(?:(?:page|p\.|pg\.?)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|\d{1,4}(?:\s*/\s*\d{1,4})?|[-–—]\s*\d{1,4}\s*[-–—]|[\[(]\s*\d{1,4}\s*[\])]|\d{1,4}\s*[|·•]\s*\S.{0,80}|\S.{0,80}\s*[|·•]\s*\d{1,4})$`)
	// pdfRomanRe are page numbers in roman numerals, as front matter has
	// them: "iv", "XII".
	pdfRomanRe = regexp.MustCompile(`^(?:(?:page|Page|PAGE)\s+)?(x{0,3}|X{0,3})(ix|iv|v?i{0,3}|IX|IV|V?I{0,3})$`)
	pdfDigits  = regexp.MustCompile(`\d+`)
)

// pdfPageNumber reports whether s is a page number, alone or with the
// document's title.
func pdfPageNumber(s string) bool {
	if pdfPageNumRe.MatchString(s) {
		return true
	}
	m := pdfRomanRe.FindStringSubmatch(s)
	// One case throughout: "xIV" is no number.
	return m != nil && m[1]+m[2] != "" && (strings.ToLower(m[1]+m[2]) == m[1]+m[2] || strings.ToUpper(m[1]+m[2]) == m[1]+m[2])
}

// pdfEdge is how many lines at the top and at the bottom of a page may be
// furniture.
const pdfEdge = 3

// pdfRepeats counts what the edges of a document's pages repeat.
type pdfRepeats struct {
	pages, min int
	// exact counts the pages whose edges have a line of this text.
	exact map[string]int
	first map[string]int // the page a line is first on
	// numbered counts, for a line's text with its numbers made "#" and for
	// the place of a number in it, the pages whose edges have the line
	// with that number less the page's the same: a line that tracks the
	// page number ("Manual 12" on page 14, "Manual 13" on page 15).
	numbered map[pdfNumKey]int
}

type pdfNumKey struct {
	key        string
	at, offset int
}

// pdfCountRepeats counts the lines at the edges of the pages. A line
// repeats when it is on at least 3 pages, or half the pages of a document
// of 3 to 5; a document of one or two pages repeats nothing.
func pdfCountRepeats(pages []*pdfPage) *pdfRepeats {
	r := &pdfRepeats{pages: len(pages), exact: map[string]int{}, first: map[string]int{}, numbered: map[pdfNumKey]int{}}
	if len(pages) >= 3 {
		r.min = min(3, (len(pages)+1)/2)
	}
	for _, p := range pages {
		seen := map[string]bool{}
		seenNum := map[pdfNumKey]bool{}
		for i, l := range p.lines {
			if i >= pdfEdge && i < len(p.lines)-pdfEdge {
				continue
			}
			if !seen[l.text] {
				seen[l.text] = true
				r.exact[l.text]++
				if r.first[l.text] == 0 {
					r.first[l.text] = p.n
				}
			}
			for _, k := range pdfNumKeys(l.text, p.n) {
				if !seenNum[k] {
					seenNum[k] = true
					r.numbered[k]++
				}
			}
		}
	}
	return r
}

// pdfNumKeys are the keys of a line's numbers on page n (see
// pdfRepeats.numbered).
func pdfNumKeys(s string, n int) []pdfNumKey {
	nums := pdfDigits.FindAllString(s, 4)
	if nums == nil {
		return nil
	}
	key := pdfDigits.ReplaceAllString(s, "#")
	keys := make([]pdfNumKey, 0, len(nums))
	for i, num := range nums {
		if v, err := strconv.Atoi(num); err == nil {
			keys = append(keys, pdfNumKey{key: key, at: i, offset: v - n})
		}
	}
	return keys
}

// furniture reports whether line i of page p is page furniture: a page
// number, a line that repeats (a running header or footer, the
// document's title), or one with a number that tracks the page's.
//
// Care is taken not to lose text. A line with a number that tracks the
// page must be apart from the text, a blank line between (pdftotext sets a
// header in a block of its own), and not a session's title: "Session 3:"
// on page 3 of a handout of one session a page is a title. A line that
// repeats must do so on a third of the pages at least, and when on fewer
// than three quarters of them (a header of odd pages) be apart and of 4
// words or more: a label ("EXERCISE", "Key points") at the top of some
// pages is not furniture. A session's title is furniture on the pages
// after the first it is on, apart from the text: a running header of the
// session's pages, however few.
func (r *pdfRepeats) furniture(p *pdfPage, i int, top bool) bool {
	l := p.lines[i]
	if pdfPageNumber(l.text) {
		return true
	}
	apart := l.gap
	if top {
		apart = i+1 == len(p.lines) || p.lines[i+1].gap
	}
	n := r.exact[l.text]
	if pdfSessionRe.MatchString(l.text) {
		return r.first[l.text] < p.n && (apart || r.min > 0 && n*4 >= r.pages*3)
	}
	if r.min == 0 {
		return false
	}
	for _, k := range pdfNumKeys(l.text, p.n) {
		if r.numbered[k] >= r.min && apart {
			return true
		}
	}
	switch {
	case n < r.min || n*3 < r.pages:
		return false
	case n*4 >= r.pages*3:
		return true
	}
	return apart && len(strings.Fields(l.text)) >= 4
}

// stripFurniture takes page furniture (see pdfRepeats.furniture) from the
// top and the bottom of each page, up to 3 lines each, stopping at the
// first line that is not.
func stripFurniture(pages []*pdfPage) {
	r := pdfCountRepeats(pages)
	for _, p := range pages {
		top := 0
		for top < min(pdfEdge, len(p.lines)) && r.furniture(p, top, true) {
			top++
		}
		end := len(p.lines)
		for end > top && len(p.lines)-end < pdfEdge && r.furniture(p, end-1, false) {
			end--
		}
		p.lines = p.lines[top:end]
		// "Page 3 of 80" is furniture wherever it is near an edge: a
		// table's cells may come after it.
		kept := p.lines[:0]
		for i, l := range p.lines {
			if (i >= pdfEdge && i < len(p.lines)-pdfEdge) || !pdfPageLabelRe.MatchString(l.text) {
				kept = append(kept, l)
			}
		}
		p.lines = kept
		if len(p.lines) > 0 {
			p.lines[0].gap = true
		}
	}
}

// pdfPageLabelRe are page numbers that say so: "Page 3", "Page 3 of 80",
// "- 3 -".
var pdfPageLabelRe = regexp.MustCompile(`(?i)^(?:(?:page|p\.|pg\.?)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|[-–—]\s*\d{1,4}\s*[-–—])$`)

// pdfMeasures sets each line's length, the limit of a full line's length
// on the page: the length of the longest tenth of its lines (so that a
// line pdftotext made of two, joining a hyphenated word, does not count as
// a full one), and the measure of its block (lines between blank lines):
// the length of its longest line, at most the limit.
func pdfMeasures(p *pdfPage) {
	if len(p.lines) == 0 {
		return
	}
	lens := make([]int, len(p.lines))
	for i := range p.lines {
		lens[i] = utf8.RuneCountInString(p.lines[i].text)
		p.lines[i].n = lens[i]
	}
	sorted := slices.Clone(lens)
	slices.Sort(sorted)
	limit := sorted[(len(sorted)-1)*9/10]
	for start := 0; start < len(p.lines); {
		end := start + 1
		for end < len(p.lines) && !p.lines[end].gap {
			end++
		}
		m := min(slices.Max(lens[start:end]), limit)
		for i := start; i < end; i++ {
			p.lines[i].measure, p.lines[i].limit = m, limit
		}
		start = end
	}
}

// pdfBuilder makes a Doc's lines of the pages' printed lines, joining the
// printed lines of a paragraph or a list item.
type pdfBuilder struct {
	doc   *Doc
	words map[string]bool // the document's words, lower case (see pdfWords)
	// docMeasure is the length of a full line of the document: the median
	// of its pages' limits (see pdfMeasures).
	docMeasure int
	// cur is the line being made, last its last printed line, marker its
	// bullet or numbering ("" for a paragraph); open says cur holds one.
	cur    Line
	text   string
	marker string
	last   pdfRaw
	open   bool
	// longest is the length of the longest printed line of cur, lines the
	// number of its printed lines.
	longest, lines int
	// bullet is a bullet on a line of its own, for the line after it.
	bullet string
	// markers are the bullets (or numberings) of the open list's levels,
	// in the order they came: a list's nesting is told by its bullets.
	markers []string
}

// page adds a page's printed lines.
func (b *pdfBuilder) page(p *pdfPage) {
	for i, l := range p.lines {
		marker, body := pdfMarker(l.text, b.inList())
		if marker != "" && body == "" {
			b.bullet = marker // a bullet alone: the item's text is below
			continue
		}
		if marker == "" && b.bullet != "" {
			marker, body = b.bullet, l.text
		}
		b.bullet = ""
		if marker == "" && b.open && b.continues(p, i) {
			b.text = pdfJoin(b.text, l.text, b.words)
			b.last = l
			b.longest, b.lines = max(b.longest, l.n), b.lines+1
			continue
		}
		b.flush()
		b.cur = Line{Kind: Para, Src: l.src, Page: p.n, Gap: l.gap}
		b.text, b.marker, b.last, b.open = body, marker, l, true
		b.longest, b.lines = l.n, 1
	}
}

// inList reports whether the line being made is a list item.
func (b *pdfBuilder) inList() bool { return b.open && b.marker != "" }

// Sentence and label ends, and what may close a sentence after them.
const (
	pdfStops   = ".?!:;"
	pdfClosers = `"'”’»)]`
)

// pdfSessionRe is the start of a session's or a part's title: "Session 8",
// "MODULE II", "Day two"; not "day two of" within a sentence.
var pdfSessionRe = regexp.MustCompile(`^(?:Session|Module|Chapter|Part|Unit|Day|Exercise|Activity|SESSION|MODULE|CHAPTER|PART|UNIT|DAY|EXERCISE|ACTIVITY)\s+(?i:\d{1,3}|[ivx]{1,5}|one|two|three|four|five|six|seven|eight|nine|ten)\b`)

// pdfLabelRe is a label before its value: "Time: 15 min", "Adaptation
// notes:".
var pdfLabelRe = regexp.MustCompile(`^\p{Lu}[\p{L}'’/&-]*(\s+[\p{L}'’/&-]+){0,4}:(\s|$)`)

// pdfTitleLike reports whether a printed line starts a line of its own
// for its look: a short line in capitals, a session's title, a label, a
// few words in title case ("Materials", "Key Points").
func pdfTitleLike(s string) bool {
	return Shouting(s) && utf8.RuneCountInString(s) <= 60 || pdfSessionRe.MatchString(s) || pdfLabelRe.MatchString(s) ||
		len(strings.Fields(s)) <= 4 && pdfTitleCase(s)
}

// pdfTitleCase reports whether s is a title in title case, at most 10
// words: each starts with a capital but for small words ("of", "and"),
// and it does not end a sentence.
func pdfTitleCase(s string) bool {
	words := strings.Fields(s)
	if len(words) > 10 || pdfEnds(s) || strings.HasSuffix(s, ",") {
		return false
	}
	letters := false
	for i, w := range words {
		r, _ := utf8.DecodeRuneInString(strings.TrimLeft(w, pdfClosers+"“‘("))
		switch {
		case unicode.IsUpper(r):
			letters = true
		case unicode.IsLower(r) && (i == 0 || !smallWords[strings.ToLower(w)]):
			return false
		}
	}
	return letters
}

// continues reports whether the printed line i of page p goes on with the
// line being made (it does not when it starts a list item). In turn:
//   - not after a line that ends a sentence or a label (. ? ! : ;), nor
//     when the line is in capitals, a session's title or a label;
//   - yes after a line that ends open, with a comma or a word such as
//     "the" (see pdfOpenEnd), within a block of text (no blank line
//     between) or when the line starts in lower case;
//   - not when the line looks like a title (see pdfTitleLike), after a
//     line in capitals, nor after one in title case when the line starts
//     with a capital;
//   - within a block, yes unless its first word would have fitted on the
//     last line (see measure), which so ended its paragraph early, or it
//     starts with a capital and the last line is a quarter short of full;
//   - across a blank line or a page break, only when it starts in lower
//     case and the last line, not a title, ended in a hyphenated word or
//     was full: a paragraph going on in the next column or page.
func (b *pdfBuilder) continues(p *pdfPage, i int) bool {
	l, prev := p.lines[i], b.last
	lower := pdfStartsLower(l.text)
	switch {
	case pdfEnds(prev.text), Shouting(l.text) && l.n <= 60, pdfSessionRe.MatchString(l.text), pdfLabelRe.MatchString(l.text):
		return false
	case pdfOpenEnd(prev.text) && (!l.gap || lower):
		return true
	case pdfTitleLike(l.text), Shouting(prev.text) && prev.n <= 60, !lower && pdfTitleCase(prev.text):
		return false
	}
	measure := b.measure(p, i)
	word := utf8.RuneCountInString(pdfFirstWords(l.text, 1))
	fits := (prev.n+1+word)*5 <= measure*4
	if !l.gap {
		return !fits && (lower || prev.n*4 >= measure*3)
	}
	return lower && !pdfTitleLike(prev.text) && (pdfHyphenated(prev.text) || !fits)
}

// pdfOpenWords are words a sentence does not end with.
var pdfOpenWords = map[string]bool{
	"a": true, "an": true, "the": true, "and": true, "or": true, "but": true, "nor": true,
	"of": true, "to": true, "for": true, "with": true, "in": true, "on": true, "at": true,
	"by": true, "from": true, "into": true, "as": true, "than": true, "that": true,
	"which": true, "who": true, "whose": true, "is": true, "are": true, "was": true,
	"were": true, "be": true, "their": true, "its": true, "our": true, "your": true, "if": true,
	"when": true, "because": true, "so": true,
}

// pdfOpenEnd reports whether a printed line ends in the middle of a
// sentence for sure: with a comma, or a word such as "the" or "and".
func pdfOpenEnd(s string) bool {
	if strings.HasSuffix(s, ",") {
		return true
	}
	w := s[strings.LastIndexByte(s, ' ')+1:]
	return pdfOpenWords[strings.ToLower(w)]
}

// measure is the length of a full line of the paragraph the last printed
// line is in: the longest of the paragraph's printed lines so far and of
// the two lines after it in its block (line i of page p and the next), no
// more than the page's limit. A paragraph's lines are the width of its
// column, where a block of pdftotext's may have text of the page's width
// and a column's. A line alone, the last of its block, has the measure of
// its block. Either is no less than half the block's measure nor half the
// document's, so that a run of short lines (titles, an unbulleted list,
// the entries of a table of contents) is not taken for a narrow column.
func (b *pdfBuilder) measure(p *pdfPage, i int) int {
	m, others := b.longest, b.lines > 1
	for j := i; j < min(i+2, len(p.lines)) && !p.lines[j].gap; j++ {
		m, others = max(m, p.lines[j].n), true
	}
	if !others {
		m = b.last.measure
	}
	return max(min(m, b.last.limit), b.last.measure/2, b.docMeasure/2)
}

// pdfEnds reports whether a line ends a sentence or a label.
func pdfEnds(s string) bool {
	s = strings.TrimRight(s, pdfClosers)
	return s != "" && strings.ContainsAny(s[len(s)-1:], pdfStops)
}

// pdfStartsLower reports whether s starts with a lower-case letter.
func pdfStartsLower(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLower(r)
}

// pdfHyphenated reports whether s ends in a word broken by a hyphen (or a
// soft hyphen): "facili-".
func pdfHyphenated(s string) bool {
	if strings.HasSuffix(s, "\u00AD") {
		return true
	}
	t, ok := strings.CutSuffix(s, "-")
	r, _ := utf8.DecodeLastRuneInString(t)
	return ok && unicode.IsLetter(r)
}

// pdfCompounds are words that start compounds written with a hyphen
// ("well-being", "role-play", "follow-up"); pdfCompoundEnds end them
// ("evidence-based"). A line broken at their hyphen keeps it.
var (
	pdfCompounds = map[string]bool{
		"all": true, "check": true, "cross": true, "face": true, "first": true, "follow": true,
		"full": true, "half": true, "high": true, "ice": true, "ill": true, "long": true,
		"low": true, "non": true, "one": true, "open": true, "part": true, "peer": true,
		"role": true, "second": true, "self": true, "short": true, "small": true, "large": true,
		"three": true, "two": true, "warm": true, "well": true, "wrap": true, "sign": true,
		"time": true, "third": true, "four": true, "five": true,
	}
	pdfCompoundEnds = map[string]bool{
		"based": true, "being": true, "led": true, "term": true, "related": true, "aware": true,
		"making": true, "centred": true, "centered": true, "oriented": true, "specific": true,
		"friendly": true,
	}
)

// pdfJoin joins a printed line to the text before it: with a space, but
// for a word hyphenated at the line's end. pdftotext itself joins a word
// hyphenated within a block of text, dropping the hyphen; this is for the
// word broken across a blank line or a page. The document's own spelling
// decides first: a word it writes elsewhere with the hyphen keeps it, one
// it writes whole loses it. Else the hyphen is dropped when the word's
// part before it has 3 letters or more, both parts are in lower case, and
// neither is a compound's start or end (see pdfCompounds). A soft hyphen
// is always dropped.
func pdfJoin(text, next string, words map[string]bool) string {
	if t, ok := strings.CutSuffix(text, "\u00AD"); ok {
		return t + next
	}
	if !pdfHyphenated(text) {
		return text + " " + next
	}
	t := strings.TrimSuffix(text, "-")
	head := t[strings.LastIndexFunc(t, func(r rune) bool { return !unicode.IsLetter(r) })+1:]
	tail := next
	if i := strings.IndexFunc(next, func(r rune) bool { return !unicode.IsLetter(r) }); i >= 0 {
		tail = next[:i]
	}
	keep := utf8.RuneCountInString(head) < 3 || !pdfStartsLower(next) || strings.ToLower(head) != head ||
		pdfCompounds[head] || pdfCompoundEnds[strings.ToLower(tail)]
	switch {
	case words[head+"-"+tail]:
		keep = true
	case words[head+tail]:
		keep = false
	}
	if keep {
		return text + next
	}
	return t + next
}

// pdfWords are the words of the pages, in lower case, for telling a
// hyphenated word from a compound.
func pdfWords(pages []*pdfPage) map[string]bool {
	words := map[string]bool{}
	for _, p := range pages {
		for _, l := range p.lines {
			for _, w := range strings.Fields(l.text) {
				w = strings.TrimFunc(strings.ToLower(w), func(r rune) bool { return !unicode.IsLetter(r) })
				if w != "" {
					words[w] = true
				}
			}
		}
	}
	return words
}

// The bullets of list items. A private-use glyph (a symbol font's) at a
// line's start is a bullet too, and so is "o" (Word's second level, in
// Courier New) within a list.
const (
	pdfBullets     = "•◦▪●·‣⁃■□○◆◇►▶➢➤✓✔❖▫"
	pdfTextBullets = "-–*" // bullets that need a space after them
)

// pdfNumberRe is a numbered item: "1.", "2)", "a)", "(iv)".
var pdfNumberRe = regexp.MustCompile(`^(?:(\d{1,3})[.)]|([a-z])[.)]|([A-Z])\)|\((\d{1,3}|[a-zA-Z]|[ivx]{1,4})\)|([ivx]{2,4})[.)])(?:\s+(\S.*))?$`)

// pdfMarker returns a printed line's list marker and its text after it,
// or "" and the line. The marker is the bullet, or the kind of numbering
// ("1.", "a)", "(i)"); a bullet alone has no text. Items are told apart
// from one another by their markers, not by their numbers.
func pdfMarker(s string, inList bool) (marker, body string) {
	r, n := utf8.DecodeRuneInString(s)
	rest := strings.TrimSpace(s[n:])
	switch {
	case strings.ContainsRune(pdfBullets, r) || pdfPrivate(r):
		return string(r), rest
	case strings.ContainsRune(pdfTextBullets, r) && (n == len(s) || s[n] == ' '):
		return string(r), rest
	case r == 'o' && inList && strings.HasPrefix(s, "o ") && rest != "":
		return "o", rest
	}
	m := pdfNumberRe.FindStringSubmatch(s)
	if m == nil || m[6] == "" {
		return "", s
	}
	punct := ""
	switch {
	case m[1] != "":
		punct = "1" + s[len(m[1]):len(m[1])+1]
	case m[2] != "":
		punct = "a" + s[1:2]
	case m[3] != "":
		punct = "A)"
	case m[4] != "":
		punct = "(1)"
	default:
		punct = "i" + s[len(m[5]):len(m[5])+1]
	}
	return punct, m[6]
}

// pdfOrdered reports whether a marker is a numbering.
func pdfOrdered(marker string) bool {
	return len(marker) >= 2 && strings.ContainsAny(marker[len(marker)-1:], ".)")
}

// flush adds the line being made to the Doc.
func (b *pdfBuilder) flush() {
	if !b.open {
		return
	}
	b.open = false
	l := b.cur
	l.Text = pdfEscape(strings.TrimSuffix(b.text, "\u00AD"))
	if b.marker == "" {
		b.markers = b.markers[:0]
	} else {
		l.Kind, l.Ordered = Item, pdfOrdered(b.marker)
		if i := slices.Index(b.markers, b.marker); i >= 0 {
			b.markers = b.markers[:i+1]
		} else {
			b.markers = append(b.markers, b.marker)
		}
		l.Level = min(len(b.markers)-1, 5)
	}
	b.doc.Lines = append(b.doc.Lines, l)
}

// pdfEscape writes text as inline Markdown: what Markdown reads as
// emphasis, a link, code, HTML or a strike-through escaped anywhere, and
// at the start what would open a heading, a list, a quote, a container or
// front matter.
func pdfEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\*_[]`<~", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	s = b.String()
	if s == "" {
		return s
	}
	switch s[0] {
	case '#', '+', '-', '>', ':', '=', '|':
		return `\` + s
	}
	// "2020. A year" would be a numbered list.
	if i := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }); i > 0 && i <= 9 && (s[i] == '.' || s[i] == ')') {
		return s[:i] + `\` + s[i:]
	}
	return s
}
