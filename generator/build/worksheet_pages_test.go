package build_test

// A worksheet longer than a page, printed from its own page: its fields
// break across pages as the blank lines of the guide do. The PDF is read
// back twice: its words and where they are (pdftotext -bbox), and its
// horizontal rules, found in the page rendered in grey (pdftoppm -gray).

import (
	"bytes"
	"fmt"
	"html"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"flipchart/generator/browser"
	"flipchart/generator/build"
)

// A long worksheet: a table that runs on to a second page, then thirty
// writing lines under their prompt, the last block of the sheet.
const (
	longRows  = 30
	longLines = 30
	longSheet = "+++\ntitle = \"Long Sheet\"\nsession = 1\ntime = \"60\"\n+++\n\n" +
		"::::: worksheet Long Sheet {fields=\"\"}\nSome text.\n\n" +
		"::: table {rows=30}\n| Action | Who | By when |\n|---|---|---|\n:::\n\n" +
		"::: lines {count=30}\nAnything else?\n:::\n:::::\n"
	// A line of writing is 8 mm on paper, in points.
	longLine = 8 / 25.4 * 72
	// How far two rules may be from where they should be, in points: a
	// pixel at longDPI, and the width of a rule.
	longTol = 2.0
	longDPI = 100
)

// longSheetSite writes the site with the long worksheet and builds it; it
// returns the folder built and the worksheet's page.
func longSheetSite(t *testing.T) (string, string) {
	t.Helper()
	src := t.TempDir()
	for name, data := range map[string]string{
		"config.toml":       "title = \"Long\"\n",
		"content/_index.md": "+++\ntitle = \"Long\"\n+++\n\nA long worksheet.\n",
		"content/01-x.md":   longSheet,
	} {
		p := filepath.Join(src, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dest := filepath.Join(t.TempDir(), "public")
	res, err := build.ToDir(src, dest, build.Options{})
	if err != nil {
		t.Fatalf("building the long worksheet: %v", err)
	}
	if len(res.Site.WorksheetPages) != 1 {
		t.Fatalf("%d worksheet pages, want 1", len(res.Site.WorksheetPages))
	}
	return dest, res.Site.WorksheetPages[0].Out
}

// pdfWord is a word of a PDF and its box, in points from the page's top
// left corner; page counts from 0.
type pdfWord struct {
	page           int
	text           string
	x0, y0, x1, y1 float64
}

var (
	bboxPage = regexp.MustCompile(`<page width="([0-9.]+)" height="([0-9.]+)">`)
	bboxWord = regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>`)
)

// pdfWords reads the words of a PDF with pdftotext -bbox.
func pdfWords(t *testing.T, pdftotext, file string) []pdfWord {
	t.Helper()
	out, err := exec.Command(pdftotext, "-bbox", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v", err)
	}
	var words []pdfWord
	page := -1
	for _, line := range strings.Split(string(out), "\n") {
		if bboxPage.MatchString(line) {
			page++
			continue
		}
		m := bboxWord.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		w := pdfWord{page: page, text: html.UnescapeString(m[5])}
		for i, f := range []*float64{&w.x0, &w.y0, &w.x1, &w.y1} {
			*f, _ = strconv.ParseFloat(m[i+1], 64)
		}
		words = append(words, w)
	}
	return words
}

// findWord is the first word of the PDF that is text, or fails the test.
func findWord(t *testing.T, words []pdfWord, text, what string) pdfWord {
	t.Helper()
	for _, w := range words {
		if w.text == text {
			return w
		}
	}
	t.Fatalf("%s: no word %q in the PDF", what, text)
	return pdfWord{}
}

// pdfRules renders each page of a PDF in grey with pdftoppm and returns,
// page by page, where its horizontal rules are, in points from the top: a
// rule is a run of rows of pixels dark across the middle three fifths of
// the page (the writing lines and a table's borders, not text).
func pdfRules(t *testing.T, file string) (rules [][]float64, height float64) {
	t.Helper()
	pdftoppm, err := exec.LookPath("pdftoppm")
	if err != nil {
		t.Fatal("pdftoppm is not installed (Debian: apt-get install poppler-utils)")
	}
	prefix := filepath.Join(t.TempDir(), "page")
	if out, err := exec.Command(pdftoppm, "-gray", "-r", strconv.Itoa(longDPI), file, prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	pages, _ := filepath.Glob(prefix + "-*.pgm")
	slices.Sort(pages) // page-1, or page-01 when there are ten or more
	pt := 72.0 / longDPI
	for _, p := range pages {
		w, h, pix := readPGM(t, p)
		height = float64(h) * pt
		var ys []float64
		start := -1
		for y := 0; y <= h; y++ {
			dark := false
			if y < h {
				n, from, to := 0, w/5, w*4/5
				for x := from; x < to; x++ {
					if pix[y*w+x] < 160 {
						n++
					}
				}
				dark = n > (to-from)*9/10
			}
			switch {
			case dark && start < 0:
				start = y
			case !dark && start >= 0:
				ys = append(ys, (float64(start+y)/2)*pt)
				start = -1
			}
		}
		rules = append(rules, ys)
	}
	return rules, height
}

// readPGM reads a binary PGM file (P5, 8 bits), as pdftoppm -gray writes.
func readPGM(t *testing.T, file string) (w, h int, pix []byte) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var magic string
	var maxv int
	if _, err := fmt.Fscan(bytes.NewReader(data), &magic, &w, &h, &maxv); err != nil || magic != "P5" || maxv != 255 || len(data) < w*h {
		t.Fatalf("%s: not an 8-bit PGM (%v)", file, err)
	}
	// The pixels end the file, after one white space.
	return w, h, data[len(data)-w*h:]
}

// between are the values of ys above lo and below hi.
func between(ys []float64, lo, hi float64) []float64 {
	var out []float64
	for _, y := range ys {
		if y > lo && y < hi {
			out = append(out, y)
		}
	}
	return out
}

// gaps are the distances between consecutive values.
func gaps(ys []float64) []float64 {
	var out []float64
	for i := 1; i < len(ys); i++ {
		out = append(out, ys[i]-ys[i-1])
	}
	return out
}

// longPrint is what a print of the long worksheet holds, as the test reads
// it: on which page the prompt is, the writing lines (their rules) on it
// and on the pages after, and the rows (the borders under them) of the
// table on its two pages.
type longPrint struct {
	words      []pdfWord
	rules      [][]float64
	height     float64
	prompt     pdfWord
	lines      [][]float64 // page by page, from the prompt's page
	rows       [][]float64 // the borders under the table's rows, page by page
	contentTop float64     // the top of the page's text area (the table's top on its second page)
}

// readLongPrint reads a PDF of the long worksheet and checks what every
// print of it must be: the writing lines start under their prompt on its
// page and run on to the next, as many as the field has rows, each as tall
// as the next; no page is left half empty; the table's rows are as tall on
// either page. It fails the test when it cannot read the sheet at all.
func readLongPrint(t *testing.T, name string, pdf []byte, pdftotext string) longPrint {
	t.Helper()
	file := filepath.Join(t.TempDir(), name+".pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("FLIPCHART_KEEP_PDF"); dir != "" {
		os.WriteFile(filepath.Join(dir, name+".pdf"), pdf, 0o644)
	}
	var p longPrint
	p.words = pdfWords(t, pdftotext, file)
	p.rules, p.height = pdfRules(t, file)
	p.prompt = findWord(t, p.words, "Anything", name)
	if len(p.rules) < 2 || p.prompt.page == 0 {
		t.Fatalf("%s: %d pages, the prompt on page %d: want the table on pages 1 and 2 and the prompt after it", name, len(p.rules), p.prompt.page+1)
	}

	// The table: its head on page 1 and repeated on page 2, its rows under it.
	for page := range 2 {
		var head pdfWord
		for _, w := range p.words {
			if w.page == page && w.text == "Action" {
				head = w
			}
		}
		if head.text == "" {
			t.Fatalf("%s: page %d has no table head", name, page+1)
		}
		hi := p.height
		if page == p.prompt.page {
			hi = p.prompt.y0
		}
		// The first border under the head's words is the head's own.
		b := between(p.rules[page], head.y1, hi)
		if len(b) < 2 {
			t.Fatalf("%s: page %d: table borders %v under the head at %.1f", name, page+1, b, head.y1)
		}
		p.rows = append(p.rows, b)
		if page == 1 {
			top := between(p.rules[page], 0, head.y0)
			if len(top) == 0 {
				t.Fatalf("%s: page 2 has no border above the table's head", name)
			}
			p.contentTop = top[len(top)-1]
		}
	}
	if n := len(p.rows[0]) + len(p.rows[1]) - 2; n != longRows {
		t.Errorf("%s: the table prints %d rows, want %d", name, n, longRows)
	}
	var rowGaps []float64
	for _, b := range p.rows {
		rowGaps = append(rowGaps, gaps(b[1:])...)
	}
	for i, g := range rowGaps {
		if math.Abs(g-rowGaps[0]) > longTol {
			t.Errorf("%s: the table's rows are not all as tall: %.1f pt, then %.1f pt (row %d of %v)", name, rowGaps[0], g, i+2, rowGaps)
			break
		}
	}

	// The lines: under the prompt, then from the top of each next page.
	total := 0
	for page := p.prompt.page; page < len(p.rules); page++ {
		lo := 0.0
		if page == p.prompt.page {
			lo = p.prompt.y1
		}
		l := between(p.rules[page], lo, p.height)
		p.lines = append(p.lines, l)
		total += len(l)
	}
	if n := len(p.lines[0]); n < 2 {
		t.Errorf("%s: the prompt's page (%d) has %d of its lines under it, want at least its first two: the field moved to the next page", name, p.prompt.page+1, n)
	}
	if total != longLines {
		t.Errorf("%s: %d writing lines printed (%v), want %d", name, total, p.lines, longLines)
	}
	if len(p.lines) < 2 || len(p.lines[1]) == 0 {
		t.Fatalf("%s: the writing lines do not run on to the page after the prompt's (lines by page: %v)", name, p.lines)
	}
	if first := p.lines[0]; len(first) > 0 && math.Abs(first[0]-p.prompt.y1-longLine) > longLine/2+longTol {
		t.Errorf("%s: the first line under the prompt is ruled %.1f pt under it, want about a line (%.1f pt)", name, first[0]-p.prompt.y1, longLine)
	}
	// A line on the next page is a whole line: its rule a line under the
	// top of the page's text.
	if d := p.lines[1][0] - p.contentTop; math.Abs(d-longLine) > longTol {
		t.Errorf("%s: the first line on page %d is %.1f pt tall, want %.1f pt (a whole line)", name, p.prompt.page+2, d, longLine)
	}
	for i, l := range p.lines {
		for _, g := range gaps(l) {
			if math.Abs(g-longLine) > longTol {
				t.Errorf("%s: page %d: a writing line %.1f pt tall, want %.1f pt: %v", name, p.prompt.page+1+i, g, longLine, l)
				break
			}
		}
	}
	// No page is more than half empty but the last: each is ruled down
	// to its lower half at least.
	for page := 0; page < len(p.rules)-1; page++ {
		if r := p.rules[page]; len(r) == 0 || r[len(r)-1] < p.height/2 {
			t.Errorf("%s: page %d is more than half empty (its rules: %v, the page %.0f pt tall)", name, page+1, r, p.height)
		}
	}
	return p
}

// inLine reports whether the word w sits on the line whose rule is at y:
// above the rule and below the one before.
func inLine(w pdfWord, y float64) bool {
	return w.y1 <= y+longTol && w.y0 >= y-longLine-longTol
}

// TestWorksheetPrintPDFAcrossPages prints a worksheet page longer than a
// page, blank, filled in and with Print blank, and reads the PDF back: the
// thirty writing lines start under their prompt and run on to the next
// page line by line, every line and every row of the table as tall on
// either page, and no page left half empty because a field moved whole to
// the next; what was typed on the first and last lines and in the table's
// cells on either side of its break prints on its own line and row.
func TestWorksheetPrintPDFAcrossPages(t *testing.T) {
	pdftotext := needPdftotext(t)
	dir, out := longSheetSite(t)
	ctx := browser.ForTest(t)
	u := webFileURL(t, dir, out)
	if err := webStep(ctx, chromedp.Navigate(u), chromedp.WaitVisible(chromedp.CSS(".worksheet-tools"))); err != nil {
		t.Fatalf("opening %s: %v", u, err)
	}
	print := func(name string) longPrint {
		t.Helper()
		pdf, err := webGet(ctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
		if err != nil {
			t.Fatalf("printing to PDF: %v", err)
		}
		return readLongPrint(t, name, pdf, pdftotext)
	}

	blank := print("blank")
	if t.Failed() {
		return
	}
	// The last row on the table's first page and the first on its second.
	last := len(blank.rows[0]) - 1
	const firstText, lastText, cellA, cellB = "Firstanswer", "Lastanswer", "Beforebreak", "Afterbreak"
	lines := firstText + strings.Repeat("\n", longLines-1) + lastText
	if err := webStep(ctx,
		chromedp.SendKeys(chromedp.CSS(`form.worksheet-form textarea.fc-lines`), lines),
		chromedp.SendKeys(chromedp.CSS(fmt.Sprintf(`form.worksheet-form textarea[aria-label="Who, row %d"]`, last)), cellA),
		chromedp.SendKeys(chromedp.CSS(fmt.Sprintf(`form.worksheet-form textarea[aria-label="Who, row %d"]`, last+1)), cellB),
	); err != nil {
		t.Fatalf("typing in the worksheet: %v", err)
	}
	filled := print("filled")
	if t.Failed() {
		return
	}
	for _, c := range []struct {
		text, what string
		page       int
		rule       float64
	}{
		{firstText, "the first line", filled.prompt.page, filled.lines[0][0]},
		{lastText, "the last line", len(filled.rules) - 1, filled.lines[len(filled.lines)-1][len(filled.lines[len(filled.lines)-1])-1]},
		{cellA, fmt.Sprintf("row %d, the last on page 1", last), 0, filled.rows[0][last]},
		{cellB, fmt.Sprintf("row %d, the first on page 2", last+1), 1, filled.rows[1][1]},
	} {
		w := findWord(t, filled.words, c.text, "filled")
		if w.page != c.page || !inLine(w, c.rule) {
			t.Errorf("what was typed on %s prints on page %d at %.1f–%.1f pt, want page %d, above the rule at %.1f pt",
				c.what, w.page+1, w.y0, w.y1, c.page+1, c.rule)
		}
	}
	if !slices.EqualFunc(blank.lines, filled.lines, func(a, b []float64) bool { return len(a) == len(b) }) {
		t.Errorf("the lines filled in break otherwise than blank: %v, then %v", blank.lines, filled.lines)
	}

	// Print blank: the same sheet, nothing typed on it.
	if err := webStep(ctx,
		chromedp.Evaluate[chromedp.Void](`window.print = () => {}`),
		chromedp.Click(chromedp.CSS(`.worksheet-tools button[data-action="print-blank"]`)),
	); err != nil {
		t.Fatalf("clicking Print blank: %v", err)
	}
	again := print("print-blank")
	for _, w := range again.words {
		if slices.Contains([]string{firstText, lastText, cellA, cellB}, w.text) {
			t.Errorf("Print blank printed what was typed: %q on page %d", w.text, w.page+1)
		}
	}
	if !slices.EqualFunc(blank.lines, again.lines, func(a, b []float64) bool { return len(a) == len(b) }) {
		t.Errorf("Print blank breaks the lines otherwise than the blank sheet: %v, then %v", blank.lines, again.lines)
	}
}
