package author

import (
	"bytes"
	"crypto/md5"
	"crypto/rc4"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The PDFs of these tests are made here, so that no binary file is kept:
// pages of lines of text in Helvetica at given places, optionally
// encrypted as PDF 1.4's standard security handler does (RC4, 40 bits).

// pdfText is a line of text on a test PDF's page, at x, y (points from the
// bottom left) in a font size, bold or not.
type pdfText struct {
	x, y, size float64
	bold       bool
	s          string
}

// testPDF is a PDF to make: US Letter pages, and the passwords to encrypt
// it with (none: not encrypted).
type testPDF struct {
	pages                   [][]pdfText
	encrypt                 bool
	userPass, ownerPassword string
}

// pdfPad pads passwords (PDF 1.7, 7.6.3.3).
var pdfPad = []byte("\x28\xBF\x4E\x5E\x4E\x75\x8A\x41\x64\x00\x4E\x56\xFF\xFA\x01\x08" +
	"\x2E\x2E\x00\xB6\xD0\x68\x3E\x80\x2F\x0C\xA9\xFE\x64\x53\x69\x7A")

// bytes writes the PDF: catalog, page tree, two fonts, each page and its
// content stream, a cross-reference table with the objects' offsets and
// the trailer.
func (t testPDF) bytes() []byte {
	var b bytes.Buffer
	var offs []int
	var key []byte // the file's key, when encrypted
	id := md5.Sum([]byte(fmt.Sprint(t.pages)))
	obj := func(body string) {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offs), body)
	}
	stream := func(data []byte) {
		if key != nil {
			data = rc4Crypt(objectKey(key, len(offs)+1), data)
		}
		obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(data), data))
	}
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	kids := ""
	for i := range t.pages {
		kids += fmt.Sprintf("%d 0 R ", 5+2*i)
	}
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids, len(t.pages)))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
	encrypt := ""
	if t.encrypt {
		var o, u []byte
		key, o, u = pdfSecurity(t.userPass, t.ownerPassword, id[:])
		encrypt = fmt.Sprintf("<< /Filter /Standard /V 1 /R 2 /O <%x> /U <%x> /P -4 >>", o, u)
	}
	for i, p := range t.pages {
		var c bytes.Buffer
		for _, l := range p {
			font := "F1"
			if l.bold {
				font = "F2"
			}
			fmt.Fprintf(&c, "BT /%s %g Tf %g %g Td (%s) Tj ET\n", font, l.size, l.x, l.y, pdfLiteral(l.s))
		}
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "+
			"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>", 6+2*i))
		stream(c.Bytes())
	}
	trailer := ""
	if encrypt != "" {
		obj(encrypt)
		trailer = fmt.Sprintf(" /Encrypt %d 0 R", len(offs))
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /ID [<%x> <%x>]%s >>\nstartxref\n%d\n%%%%EOF\n",
		len(offs)+1, id, id, trailer, xref)
	return b.Bytes()
}

// pdfSecurity returns the file key and the /O and /U entries of revision 2
// of the standard security handler (PDF 1.7, algorithms 2, 3 and 4).
func pdfSecurity(user, owner string, id []byte) (key, o, u []byte) {
	pad := func(s string) []byte { return append([]byte(s), pdfPad...)[:32] }
	if owner == "" {
		owner = user
	}
	ok := md5.Sum(pad(owner))
	o = rc4Crypt(ok[:5], pad(user))
	h := md5.New()
	h.Write(pad(user))
	h.Write(o)
	h.Write([]byte{0xFC, 0xFF, 0xFF, 0xFF}) // /P -4, low byte first
	h.Write(id)
	key = h.Sum(nil)[:5]
	return key, o, rc4Crypt(key, pdfPad)
}

// objectKey is the key of object n's strings and streams (algorithm 1).
func objectKey(key []byte, n int) []byte {
	k := md5.Sum(append(append([]byte{}, key...), byte(n), byte(n>>8), byte(n>>16), 0, 0))
	return k[:len(key)+5]
}

func rc4Crypt(key, data []byte) []byte {
	c, err := rc4.NewCipher(key)
	if err != nil {
		panic(err)
	}
	out := make([]byte, len(data))
	c.XORKeyStream(out, data)
	return out
}

// pdfLiteral writes s as the bytes of a PDF string in WinAnsiEncoding.
func pdfLiteral(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteByte(byte(r))
		case r < 0x80 || r >= 0xA0 && r < 0x100:
			b.WriteByte(byte(r))
		default:
			c := byte('?')
			for i, w := range cp1252 {
				if w == r {
					c = byte(0x80 + i)
				}
			}
			b.WriteByte(c)
		}
	}
	return b.String()
}

// needPdftotext skips the test when pdftotext is not installed, or fails
// it when REQUIRE_BROWSER=1 (as in CI; see browser.EnvRequire).
func needPdftotext(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("REQUIRE_BROWSER") == "1" {
			t.Fatalf("pdftotext is missing (apt-get install poppler-utils): %v", err)
		}
		t.Skip("skipping: pdftotext is missing (apt-get install poppler-utils)")
	}
}

// manualPage is a page of the printed manual of TestReadPDFManual: its
// running header, its lines, its footer.
func manualPage(n int, lines ...pdfText) []pdfText {
	page := []pdfText{{72, 750, 9, false, "Holistic Security Trainers’ Manual"}}
	page = append(page, lines...)
	return append(page, pdfText{72, 40, 9, false, fmt.Sprintf("Page %d of 4", n)})
}

// body is a line of body text at y, indented by x.
func body(x, y float64, s string) pdfText { return pdfText{72 + x, y, 11, false, s} }

// bold is a line of bold text at y.
func bold(y, size float64, s string) pdfText { return pdfText{72, y, size, true, s} }

// manualPDF is four pages of a printed manual.
func manualPDF() []byte {
	return testPDF{pages: [][]pdfText{
		manualPage(1,
			bold(700, 18, "Session 8:"),
			bold(678, 18, "Reflections/workshop summary"),
			bold(645, 12, "Session objectives"),
			body(0, 627, "• to reflect on what participants have learned over the whole"),
			body(12, 613, "workshop and what they want to practise at home"),
			body(0, 599, "• to agree on next steps for the group"),
			body(12, 585, "o who will share the notes, and when"),
			body(0, 571, "• to say goodbye"),
			body(0, 545, "This session closes the workshop. Participants look back at the"),
			body(0, 531, "sessions they took part in and think about the [practices] they"),
			body(0, 517, "found useful."),
		),
		manualPage(2,
			body(0, 700, "Time: 30 min"),
			bold(670, 12, "Adaptation notes:"),
			body(0, 652, "For groups that have met over several days, the trainers can ask"),
			body(0, 638, "each participant to name one thing they will do differently."),
			bold(605, 12, "Exercise"),
			body(0, 587, "Closing circle"),
			body(0, 569, "1. Each participant says one word about the workshop."),
			body(0, 555, "2. The facilitators thank the group and close the"),
			body(12, 541, "session."),
			body(0, 510, "The facilitators should leave enough time for questions and for a"),
			body(0, 496, "short round of feedback, so that every participant can say how"),
			body(0, 482, "the workshop went for them and what the facili-"),
		),
		manualPage(3,
			body(0, 700, "tation team could do better next time. Write the answers on"),
			body(0, 686, "flipchart paper."),
			bold(650, 12, "Facilitation notes:"),
			body(0, 632, "Participants often need encour-"),
			body(0, 618, "agement to speak. Go round the circle once, and let anyone pass."),
			body(0, 590, "If time allows, end with a short evaluation in which the group"),
			body(0, 576, "talks about the workshop as a whole and at the end agrees on"),
		),
		manualPage(4,
			body(0, 700, "the date of its next meeting."),
			bold(660, 12, "Key explanation points"),
			body(0, 642, "– Facilitators ask participants to share one thing they learned."),
			body(0, 628, "– *Everyone* gets time to speak."),
		),
	}}.bytes()
}

// TestReadPDFManual reads a printed manual: the running header and the
// footer with page numbers go, a paragraph's printed lines are joined
// (across a page too), a word hyphenated at a line's end is whole again,
// bullets and numbers make items, labels and titles stay lines of their
// own.
func TestReadPDFManual(t *testing.T) {
	needPdftotext(t)
	doc, err := readPDF("manual.pdf", manualPDF())
	if err != nil {
		t.Fatal(err)
	}
	type line struct {
		kind  LineKind
		level int
		ord   bool
		text  string
	}
	want := []line{
		{Para, 0, false, "Session 8:"},
		{Para, 0, false, "Reflections/workshop summary"},
		{Para, 0, false, "Session objectives"},
		{Item, 0, false, "to reflect on what participants have learned over the whole workshop and what they want to practise at home"},
		{Item, 0, false, "to agree on next steps for the group"},
		{Item, 1, false, "who will share the notes, and when"},
		{Item, 0, false, "to say goodbye"},
		{Para, 0, false, `This session closes the workshop. Participants look back at the sessions they took part in and think about the \[practices\] they found useful.`},
		{Para, 0, false, "Time: 30 min"},
		{Para, 0, false, "Adaptation notes:"},
		{Para, 0, false, "For groups that have met over several days, the trainers can ask each participant to name one thing they will do differently."},
		{Para, 0, false, "Exercise"},
		{Para, 0, false, "Closing circle"},
		{Item, 0, true, "Each participant says one word about the workshop."},
		{Item, 0, true, "The facilitators thank the group and close the session."},
		{Para, 0, false, "The facilitators should leave enough time for questions and for a short round of feedback, so that every participant can say how the workshop went for them and what the facilitation team could do better next time. Write the answers on flipchart paper."},
		{Para, 0, false, "Facilitation notes:"},
		{Para, 0, false, "Participants often need encouragement to speak. Go round the circle once, and let anyone pass."},
		{Para, 0, false, "If time allows, end with a short evaluation in which the group talks about the workshop as a whole and at the end agrees on the date of its next meeting."},
		{Para, 0, false, "Key explanation points"},
		{Item, 0, false, "Facilitators ask participants to share one thing they learned."},
		{Item, 0, false, `\*Everyone\* gets time to speak.`},
	}
	var got []line
	for _, l := range doc.Lines {
		got = append(got, line{l.Kind, l.Level, l.Ordered, l.Text})
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("lines:\n%s\nwant:\n%s", pdfDump(got), pdfDump(want))
	}
	if len(doc.Warnings) > 0 {
		t.Errorf("warnings: %v", doc.Warnings)
	}
	// Where lines are: the page, pdftotext's line, a gap at a page's start.
	for _, c := range []struct {
		text      string
		page, src int
		gap       bool
	}{
		{"Session 8:", 1, 3, true},
		{"Reflections/workshop summary", 1, 4, false},
		{"Time: 30 min", 2, 19, true},
		{"The facilitators should leave", 2, 30, false},
		{"Key explanation points", 4, 52, true},
	} {
		for _, l := range doc.Lines {
			if !strings.HasPrefix(l.Text, c.text) {
				continue
			}
			if l.Page != c.page || l.Src != c.src || l.Gap != c.gap {
				t.Errorf("%q: page %d, src %d, gap %v; want page %d, src %d, gap %v", c.text, l.Page, l.Src, l.Gap, c.page, c.src, c.gap)
			}
		}
	}
}

func pdfDump[T any](lines []T) string {
	var b strings.Builder
	for _, l := range lines {
		fmt.Fprintf(&b, "\t%+v\n", l)
	}
	return b.String()
}

// TestReadPDFColumns reads a page of two columns in reading order: the
// left column's paragraph, then the right one's.
func TestReadPDFColumns(t *testing.T) {
	needPdftotext(t)
	left := []string{"The left column has a paragraph that", "goes on over several printed lines", "until it ends here."}
	right := []string{"The right column has another one", "which also goes on for a few lines", "and ends in its turn."}
	var page []pdfText
	for i := range left {
		y := 700 - 14*float64(i)
		page = append(page, pdfText{72, y, 11, false, left[i]}, pdfText{330, y, 11, false, right[i]})
	}
	doc, err := readPDF("columns.pdf", testPDF{pages: [][]pdfText{page}}.bytes())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{strings.Join(left, " "), strings.Join(right, " ")}
	if got := doc.Texts(); !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestReadPDFBad reads what is not a readable PDF: each error says what is
// wrong.
func TestReadPDFBad(t *testing.T) {
	needPdftotext(t)
	manual := manualPDF()
	blank := testPDF{pages: [][]pdfText{nil, nil}}
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "the file is empty"},
		{"not a PDF", []byte("Session 1: Welcome\n"), "not a PDF file"},
		{"truncated", manual[:len(manual)/2], "the PDF is damaged: couldn't find trailer dictionary"},
		{"password", testPDF{pages: [][]pdfText{{body(0, 700, "Secret")}}, encrypt: true, userPass: "secret"}.bytes(), pdfPasswordMsg},
		{"owner password, no text", testPDF{pages: blank.pages, encrypt: true, ownerPassword: "owner"}.bytes(), pdfPasswordMsg},
	} {
		t.Run(c.name, func(t *testing.T) {
			doc, err := readPDF("bad.pdf", c.data)
			if err == nil || err.Error() != c.want {
				t.Fatalf("got %v (%v), want %q", err, doc, c.want)
			}
		})
	}
	// An encrypted PDF that opens without a password reads.
	doc, err := readPDF("owner.pdf", testPDF{pages: [][]pdfText{{body(0, 700, "Open to read.")}}, encrypt: true, ownerPassword: "owner"}.bytes())
	if err != nil || !reflect.DeepEqual(doc.Texts(), []string{"Open to read."}) {
		t.Errorf("encrypted for its owner: %v, %v", doc, err)
	}
	// No text at all: scanned pages.
	doc, err = readPDF("scan.pdf", blank.bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Lines) != 0 || len(doc.Warnings) != 1 || doc.Warnings[0].Msg != pdfScannedMsg {
		t.Errorf("scanned: %+v", doc)
	}
	// Some pages without text.
	doc, err = readPDF("part.pdf", testPDF{pages: [][]pdfText{{body(0, 700, "Text.")}, nil, nil}}.bytes())
	if err != nil || len(doc.Warnings) != 1 || !strings.HasPrefix(doc.Warnings[0].Msg, "pages 2 and 3 have no text") {
		t.Errorf("part scanned: %+v, %v", doc, err)
	}
}

// TestReadPDFTimeout gives up on a PDF pdftotext takes too long on.
func TestReadPDFTimeout(t *testing.T) {
	needPdftotext(t)
	defer func(d time.Duration) { pdfTimeout = d }(pdfTimeout)
	pdfTimeout = time.Nanosecond
	_, err := readPDF("manual.pdf", manualPDF())
	if err == nil || !strings.HasPrefix(err.Error(), "pdftotext did not finish reading the PDF in ") {
		t.Errorf("got %v", err)
	}
}

// TestReadPDFNoPdftotext reads a PDF where pdftotext is not installed.
func TestReadPDFNoPdftotext(t *testing.T) {
	defer func(cmd string) { pdftotextCmd = cmd }(pdftotextCmd)
	pdftotextCmd = "flipchart-test-no-such-pdftotext"
	_, err := readPDF("manual.pdf", manualPDF())
	if !errors.Is(err, ErrNoPdftotext) {
		t.Fatalf("got %v, want ErrNoPdftotext", err)
	}
	var h interface{ Hint() string }
	if !errors.As(err, &h) || !strings.Contains(h.Hint(), "apt-get install poppler-utils") || !strings.Contains(h.Hint(), "brew install poppler") {
		t.Errorf("hint: %v", err)
	}
	if strings.Contains(err.Error(), "flipchart-test") {
		t.Errorf("the error names the command: %v", err)
	}
}

// TestPDFToolError maps pdftotext's failures to messages.
func TestPDFToolError(t *testing.T) {
	for _, c := range []struct {
		stderr string
		code   int
		want   string
	}{
		{"Command Line Error: Incorrect password\n", 1, pdfPasswordMsg},
		{"Syntax Warning: May not be a PDF file (continuing anyway)\nSyntax Error (1234): Couldn't read xref table\n", 1,
			"the PDF is damaged: couldn't read xref table"},
		{"I/O Error: Couldn't open file '/home/someone/x.pdf': No such file.\n", 1, "the PDF is damaged: couldn't open file: No such file"},
		{"Syntax Warning: Something odd\n", 1, "the PDF is damaged: something odd"},
		{"", 99, "the PDF is damaged: pdftotext stopped with exit status 99"},
		{"Permission Error: Copying of text from this document is not allowed.\n", 3, "the PDF does not allow copying its text: save a copy without restrictions (Print to PDF) and import that"},
	} {
		if got := pdfToolError(c.stderr, c.code).Error(); got != c.want {
			t.Errorf("%q: got %q, want %q", c.stderr, got, c.want)
		}
	}
}

// TestPDFNormalise cleans the text of printed lines.
func TestPDFNormalise(t *testing.T) {
	for in, want := range map[string]string{
		"  ﬁrst  ﬂoor\u00A0ofﬁce\tﬀ ﬃ ﬄ ":  "first floor office ff ffi ffl",
		"zero\u200Bwidth\uFEFF \u2009thin": "zerowidth thin",
		"\uF0B7\tbullet \uF0A7 inside":     "\uF0B7 bullet inside",
		"soft\u00ADhyphen facili\u00AD":    "softhyphen facili\u00AD",
		"\u00A0\u2003 ":                    "",
	} {
		if got := pdfNormalise(in); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}

// TestPDFMarker tells list items from lines.
func TestPDFMarker(t *testing.T) {
	for _, c := range []struct {
		in           string
		inList       bool
		marker, body string
	}{
		{"• text", false, "•", "text"},
		{"•text", false, "•", "text"},
		{"\uF0B7 Wingdings", false, "\uF0B7", "Wingdings"},
		{"◦ second", false, "◦", "second"},
		{"- dash", false, "-", "dash"},
		{"-5 degrees", false, "", "-5 degrees"},
		{"– en dash", false, "–", "en dash"},
		{"* star", false, "*", "star"},
		{"o second level", true, "o", "second level"},
		{"o second level", false, "", "o second level"},
		{"1. one", false, "1.", "one"},
		{"12) twelve", false, "1)", "twelve"},
		{"a) letter", false, "a)", "letter"},
		{"b. letter", false, "a.", "letter"},
		{"(iv) roman", false, "(1)", "roman"},
		{"ii. roman", false, "i.", "roman"},
		{"A. Smith wrote it", false, "", "A. Smith wrote it"},
		{"2020. A year", false, "", "2020. A year"},
		{"•", false, "•", ""},
	} {
		m, b := pdfMarker(c.in, c.inList)
		if m != c.marker || b != c.body {
			t.Errorf("%q: got %q, %q; want %q, %q", c.in, m, b, c.marker, c.body)
		}
	}
}

// TestPDFPageNumber tells page numbers.
func TestPDFPageNumber(t *testing.T) {
	for _, s := range []string{"12", "- 12 -", "– 3 –", "Page 12", "page 3 of 80", "12/80", "[7]", "12 | Holistic Security", "Holistic Security | 12", "iv", "XII", "Page ix"} {
		if !pdfPageNumber(s) {
			t.Errorf("%q is a page number", s)
		}
	}
	for _, s := range []string{"Session 12", "12 participants", "civil", "xIV", "Time: 15 min", "1. One"} {
		if pdfPageNumber(s) {
			t.Errorf("%q is no page number", s)
		}
	}
}

// TestPDFFurniture takes running headers and footers from pages, but not a
// session's title at the top of its page.
func TestPDFFurniture(t *testing.T) {
	var pages []*pdfPage
	names := strings.Fields("one two three four five six")
	for n := 1; n <= 6; n++ {
		p := &pdfPage{n: n}
		add := func(s string, gap bool) { p.lines = append(p.lines, pdfRaw{text: s, gap: gap}) }
		add("Trainers’ Manual", true)
		if n%2 == 1 {
			add(fmt.Sprintf("Session %d:", (n+1)/2), true)
			add("Title", false)
		}
		add("Exercise", n%2 == 0)
		add("Body text of page "+names[n-1]+".", false)
		add(fmt.Sprintf("Trainers’ Manual – %d", n+10), true)
		add(fmt.Sprint(n), false)
		pages = append(pages, p)
	}
	stripFurniture(pages)
	for _, p := range pages {
		var got []string
		for _, l := range p.lines {
			got = append(got, l.text)
		}
		want := []string{"Exercise", "Body text of page " + names[p.n-1] + "."}
		if p.n%2 == 1 {
			want = append([]string{fmt.Sprintf("Session %d:", (p.n+1)/2), "Title"}, want...)
		}
		if !reflect.DeepEqual(got, want) || !p.lines[0].gap {
			t.Errorf("page %d: got %q, want %q", p.n, got, want)
		}
	}
	// A handout of one session a page: "Session 3:" on page 3 is a title,
	// and so is a session's title that repeats, on its first page.
	pages = nil
	for n := 1; n <= 4; n++ {
		title := fmt.Sprintf("Session %d:", n)
		if n > 2 {
			title = "Session 2:"
		}
		pages = append(pages, &pdfPage{n: n, lines: []pdfRaw{{text: title, gap: true}, {text: "Body " + names[n-1] + ".", gap: true}}})
	}
	stripFurniture(pages)
	for _, p := range pages {
		if got := len(p.lines); got != 2 && p.n <= 2 || got != 1 && p.n > 2 {
			t.Errorf("one session a page, page %d: %+v", p.n, p.lines)
		}
	}
	// A session's title as the running header of its two pages, a label
	// at the top of some pages, "Page 2 of 3" before a table's cells.
	pages = []*pdfPage{
		{n: 1, lines: []pdfRaw{{text: "Session 1: Welcome", gap: true}, {text: "EXERCISE", gap: true}, {text: "Name game", gap: true}, {text: "Page 1 of 3", gap: true}}},
		{n: 2, lines: []pdfRaw{{text: "Session 1: Welcome", gap: true}, {text: "EXERCISE", gap: true}, {text: "Ball game", gap: true}, {text: "Page 2 of 3", gap: true}, {text: "15 min", gap: true}}},
		{n: 3, lines: []pdfRaw{{text: "Session 2: Risk", gap: true}, {text: "Risk is a matter of threats.", gap: true}, {text: "Page 3 of 3", gap: true}}},
	}
	stripFurniture(pages)
	for _, p := range pages {
		var got []string
		for _, l := range p.lines {
			got = append(got, l.text)
		}
		want := map[int][]string{1: {"Session 1: Welcome", "EXERCISE", "Name game"}, 2: {"EXERCISE", "Ball game", "15 min"}, 3: {"Session 2: Risk", "Risk is a matter of threats."}}[p.n]
		if !reflect.DeepEqual(got, want) {
			t.Errorf("session header, page %d: got %q, want %q", p.n, got, want)
		}
	}
	// Two pages repeat nothing but page numbers.
	two := []*pdfPage{
		{n: 1, lines: []pdfRaw{{text: "Manual", gap: true}, {text: "One.", gap: true}, {text: "1", gap: true}}},
		{n: 2, lines: []pdfRaw{{text: "Manual", gap: true}, {text: "Two.", gap: true}, {text: "2", gap: true}}},
	}
	stripFurniture(two)
	if len(two[0].lines) != 2 || two[0].lines[0].text != "Manual" {
		t.Errorf("two pages: %+v", two[0].lines)
	}
}

// TestPDFJoin joins printed lines, mending hyphenated words.
func TestPDFJoin(t *testing.T) {
	words := map[string]bool{"co-facilitator": true, "roleplay": true}
	for _, c := range []struct{ a, b, want string }{
		{"the", "end", "the end"},
		{"the facili-", "tation team", "the facilitation team"},
		{"the well-", "being of all", "the well-being of all"},
		{"a role-", "play", "a roleplay"},
		{"the co-", "facilitator", "the co-facilitator"},
		{"the re-", "port", "the re-port"},
		{"anti-", "Semitic", "anti-Semitic"},
		{"evidence-", "based", "evidence-based"},
		{"pause –", "then", "pause – then"},
		{"soft\u00AD", "ly", "softly"},
	} {
		if got := pdfJoin(c.a, c.b, words); got != c.want {
			t.Errorf("%q + %q: got %q, want %q", c.a, c.b, got, c.want)
		}
	}
}

// TestPDFEscape escapes what Markdown would read as syntax.
func TestPDFEscape(t *testing.T) {
	for in, want := range map[string]string{
		"# not a heading":         `\# not a heading`,
		"+ plus":                  `\+ plus`,
		"::: container":           `\::: container`,
		"2020. A year":            `2020\. A year`,
		"a *b* _c_ [d] `e` \\ <f": "a \\*b\\* \\_c\\_ \\[d\\] \\`e\\` \\\\ \\<f",
		"> quote":                 `\> quote`,
		"Time: 15 min":            "Time: 15 min",
	} {
		if got := pdfEscape(in); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}

// TestPDFLines reads pdftotext's text of pages made by a web browser,
// which draws bullets rather than writing them: an unbulleted list of
// short lines stays one line an item, the lines of a column, in one block
// of pdftotext's with text of the page's width, are joined, and so are
// lines that end with a comma or "the"; a title and a label stay apart,
// and a paragraph goes on over a page with a session's title as its
// running header.
func TestPDFLines(t *testing.T) {
	text := `Session 11: Next Steps

Session 11:
Next Steps
Time: 15–30 minutes
Session objectives
to discuss specific ‘next steps’ which participants can take to improve their security after the
training, including the organisational changes that they will need
to make a plan
nested point one
nested point two

Adaptation notes
For some groups, it may be more appropriate to undertake this exercise in small groups; for others,
individually. Consider the participants’ well-being and the nature of their organisations when choosing.
1. First numbered step which is long enough to wrap onto a second printed line in this layout.
2. Second step.
This paragraph is set in two columns. It runs on for
a while so that the columns fill up with text and
break over from the left one into the right one,
which the reader must follow in reading order

without mixing the lines of the two columns
together on one line.
Another paragraph in the columns follows it, also
long enough to wrap over several lines of the
narrow column width we have here.

Flipchart paper,
Markers, Handout: the
risk equation

Information Inventory and Device Check
Format
Continues on the next page without a
` + "\f" + `Session 11: Next Steps

stop at its end.
` + "\f"
	doc := &Doc{}
	pdfLines(doc, pdfPages(text))
	want := []string{
		"Session 11: Next Steps",
		"Session 11:",
		"Next Steps",
		"Time: 15–30 minutes",
		"Session objectives",
		"to discuss specific ‘next steps’ which participants can take to improve their security after the training, including the organisational changes that they will need",
		"to make a plan",
		"nested point one",
		"nested point two",
		"Adaptation notes",
		"For some groups, it may be more appropriate to undertake this exercise in small groups; for others, individually. Consider the participants’ well-being and the nature of their organisations when choosing.",
		"First numbered step which is long enough to wrap onto a second printed line in this layout.",
		"Second step.",
		"This paragraph is set in two columns. It runs on for a while so that the columns fill up with text and break over from the left one into the right one, which the reader must follow in reading order without mixing the lines of the two columns together on one line.",
		"Another paragraph in the columns follows it, also long enough to wrap over several lines of the narrow column width we have here.",
		"Flipchart paper, Markers, Handout: the risk equation",
		"Information Inventory and Device Check",
		"Format",
		"Continues on the next page without a stop at its end.",
	}
	if got := doc.Texts(); !reflect.DeepEqual(got, want) {
		t.Errorf("got:\n%s\nwant:\n%s", pdfDump(got), pdfDump(want))
	}
	if l := doc.Lines[9]; l.Src != 13 || !l.Gap || l.Page != 1 {
		t.Errorf("Adaptation notes: %+v", l)
	}
}

// FuzzPDFText reads any text as pdftotext's: no panic, and no line
// without text.
func FuzzPDFText(f *testing.F) {
	f.Add("Session 1:\nTitle\n\n• a\no b\n1. c\f- 2 -\fPage 3 of 3\nfacili-\n\ftation\n")
	f.Add("\f\f\n\u00AD\n-\n•\n\uF0B7\n12) \n(iv) x\n")
	f.Fuzz(func(t *testing.T, text string) {
		doc := &Doc{}
		pdfLines(doc, pdfPages(strings.ToValidUTF8(text, "")))
		for _, l := range doc.Lines {
			if l.Text == "" || l.Page < 1 || l.Src < 1 {
				t.Errorf("line %+v", l)
			}
		}
	})
}
