package build_test

// The print editions printed like a book, read back as a reader of the PDF
// sees them: the contents' page numbers (pdftotext of the page each names),
// the bookmarks (qpdf --json), the references to other pages ("Session 9
// (page 24)"), the paper and both-sided printing.

import (
	"encoding/json"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"flipchart/generator/browser"
	"flipchart/generator/build"
	"flipchart/generator/i18n"
	"flipchart/generator/markup"
	"flipchart/generator/site"
)

// pdfBookmark is one entry of a PDF's outline, as qpdf reads it.
type pdfBookmark struct {
	Title string        `json:"title"`
	Page  int           `json:"destpageposfrom1"`
	Kids  []pdfBookmark `json:"kids"`
}

// pdfOutline reads a PDF's bookmarks with qpdf.
func pdfOutline(t *testing.T, path string) []pdfBookmark {
	t.Helper()
	var doc struct {
		Outlines []pdfBookmark `json:"outlines"`
	}
	if err := json.Unmarshal([]byte(pdfTool(t, "qpdf", "--json", "--json-key=outlines", path)), &doc); err != nil {
		t.Fatalf("qpdf --json %s: %v", path, err)
	}
	return doc.Outlines
}

// flatOutline lists bookmarks by title, each with its page and depth.
func flatOutline(items []pdfBookmark, depth int, out map[string][]pdfBookmark, depths map[string]int) {
	for _, it := range items {
		out[it.Title] = append(out[it.Title], it)
		if _, ok := depths[it.Title]; !ok {
			depths[it.Title] = depth
		}
		flatOutline(it.Kids, depth+1, out, depths)
	}
}

var htmlTagRE = regexp.MustCompile(`<[^>]*>`)

// editionOf is a language's print edition.
func editionOf(t *testing.T, l *site.Site, ed site.Edition) *site.Page {
	t.Helper()
	for _, p := range l.Prints {
		if p.Edition == ed {
			return p
		}
	}
	t.Fatalf("no %v edition", ed)
	return nil
}

// pdfNormRTLMarks drops the marks of direction pdftotext puts around a
// right-to-left line's runs.
func pdfNormRTLMarks(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, s)
}

// lineHas reports whether text has a title: in a right-to-left language,
// each of its words, since pdftotext may give them in another order.
func lineHas(text, title string, rtl bool) bool {
	if !rtl {
		return strings.Contains(pdfNorm(text), pdfNorm(title))
	}
	text = pdfNormRTL(text, false)
	for _, w := range strings.Fields(title) {
		if !strings.Contains(text, pdfNormRTL(w, true)) {
			return false
		}
	}
	return true
}

// printAnchor is the anchor of a page's section in a print edition.
func printAnchor(p *site.Page) string {
	if p.URL == "" {
		return "p-home"
	}
	return "p-" + strings.Trim(strings.ReplaceAll(p.URL, "/", "-"), "-")
}

// tocEntry is one entry of an edition's contents, as its HTML has it.
type tocEntry struct {
	Kind, Anchor, Title string
	Page                *site.Page
}

var tocEntryRE = regexp.MustCompile(`<li class="toc-(\w+)"><a href="#([^"]+)">(.*?)</a>`)

// editionTOC reads the contents of an edition's page.
func editionTOC(t *testing.T, dest string, ed *site.Page) []tocEntry {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(ed.Out)))
	if err != nil {
		t.Fatal(err)
	}
	var out []tocEntry
	for _, m := range tocEntryRE.FindAllStringSubmatch(string(data), -1) {
		title := m[3]
		if i := strings.Index(title, `<span class="title">`); i >= 0 {
			title = title[i:]
		}
		out = append(out, tocEntry{Kind: m[1], Anchor: m[2], Title: html.UnescapeString(htmlTagRE.ReplaceAllString(title, ""))})
	}
	return out
}

// pdfPages is the text of each page of a PDF.
func pdfPages(t *testing.T, path string, layout bool) []string {
	t.Helper()
	args := []string{"-enc", "UTF-8"}
	if layout {
		args = append(args, "-layout")
	}
	raw := pdfTool(t, "pdftotext", append(args, path, "-")...)
	return strings.Split(strings.TrimSuffix(raw, "\f"), "\f")
}

// fromDigits reads a number written in the language's digits.
func fromDigits(words i18n.Lookup, s string) (int, bool) {
	if ds := []rune(words("digits")); len(ds) == 10 {
		s = strings.Map(func(r rune) rune {
			for i, d := range ds {
				if r == d {
					return '0' + rune(i)
				}
			}
			return r
		}, s)
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// checkBook reads an edition's PDF back: each entry of its contents names
// the page that starts with the entry's title, and is a bookmark that goes
// there; every session is a bookmark under its module; every reference to
// another page of the edition gives that page; the PDF's language is set.
// It returns the page each entry starts on, by anchor.
func checkBook(t *testing.T, l *site.Site, dest string, ed *site.Page, path string) map[string]int {
	t.Helper()
	words := i18n.Lookup(l.Words)
	rtl := l.Lang.Dir == "rtl"
	pages := pdfPages(t, path, false)
	layout := pdfPages(t, path, true)
	marks := map[string][]pdfBookmark{}
	depths := map[string]int{}
	flatOutline(pdfOutline(t, path), 0, marks, depths)

	toc := editionTOC(t, dest, ed)
	if len(toc) == 0 {
		t.Fatalf("%s has no contents", ed.Out)
	}
	byAnchor := map[string]*site.Page{}
	for _, p := range l.Pages {
		byAnchor[printAnchor(p)] = p
	}
	starts := map[string]int{}
	numberRE := regexp.MustCompile(`[\p{Nd}]+\s*$`)
	labelRE := regexp.MustCompile(regexp.QuoteMeta(words("session")) + `\s+[\p{Nd}]+|[\p{Nd}]+\s+` + regexp.QuoteMeta(words("session")))
	for _, e := range toc {
		// A session's line has its label, "Session 2"; no other has one.
		label := ""
		if p := byAnchor[e.Anchor]; p != nil && p.IsSession() {
			label = i18n.Number(words, p.Session)
		}
		// The entry's line in the contents ends with its page number
		// (pdftotext -layout; a right-to-left line may start with it).
		page := 0
		for _, text := range layout[:min(len(layout), 6)] {
			for _, line := range strings.Split(text, "\n") {
				if !lineHas(line, e.Title, rtl) {
					continue
				}
				if l := labelRE.FindString(pdfNormRTLMarks(line)); (label == "") != (l == "") || label != "" && !strings.Contains(l, label) {
					continue
				}
				line = pdfNormRTLMarks(line)
				f := strings.Fields(line)
				num := numberRE.FindString(line)
				if rtl && len(f) > 0 {
					num = f[0]
				}
				if n, ok := fromDigits(words, strings.TrimSpace(num)); ok {
					page = n
					break // the first line with the title ("Introduction", not "Session 1: Introductions")
				}
			}
			if page > 0 {
				break
			}
		}
		if page < 1 || page > len(pages) {
			t.Errorf("%s: the contents entry %q has no page number (%d pages)", path, e.Title, len(pages))
			continue
		}
		starts[e.Anchor] = page
		heading := e.Title
		p := byAnchor[e.Anchor]
		if p != nil && p.IsSession() {
			heading = strings.ReplaceAll(i18n.SessionLabel(words, p.Session, p.Title), "\u00a0", " ")
		}
		if !lineHas(pages[page-1], e.Title, rtl) {
			t.Errorf("%s: the contents give page %d for %q, which is not on it:\n%s", path, page, e.Title, pages[page-1])
		}
		// Its bookmark, titled as the page's heading, goes to it.
		if e.Kind == "home" {
			heading = words("introduction")
		}
		bm := marks[heading]
		switch {
		case len(bm) == 0:
			t.Errorf("%s: no bookmark %q", path, heading)
		case bm[0].Page != page:
			t.Errorf("%s: the bookmark %q goes to page %d, the contents say %d", path, heading, bm[0].Page, page)
		case e.Kind == "session" && p != nil && p.Parent != nil && p.Parent.Kind == site.Module && depths[heading] != 1:
			t.Errorf("%s: the bookmark %q is at depth %d, want 1 (under its module)", path, heading, depths[heading])
		}
	}

	// A module's introduction shares its page with its first session.
	for i := 1; i < len(toc); i++ {
		if toc[i-1].Kind == "module" && toc[i].Kind == "session" && starts[toc[i-1].Anchor] != starts[toc[i].Anchor] {
			t.Errorf("%s: %q starts on page %d, after its module %q alone on page %d", path,
				toc[i].Title, starts[toc[i].Anchor], toc[i-1].Title, starts[toc[i-1].Anchor])
		}
	}

	// References to another page of the edition: "Session 9 (page 24)".
	// The session a page reference follows is the last one named before
	// it.
	if !rtl {
		word := regexp.QuoteMeta(strings.TrimSpace(strings.Split(words("page_ref"), "{n}")[0]))
		pageRE := regexp.MustCompile(word + `\s+(\d+)\)`)
		// A page shown in the manual's own language, untranslated, says
		// "Session".
		sessionRE := regexp.MustCompile(`(?:` + regexp.QuoteMeta(words("session")) + `|` + regexp.QuoteMeta(markup.English("session")) + `)\s+(\d+)`)
		all := strings.Join(strings.Fields(strings.Join(pages, " ")), " ")
		refs := pageRE.FindAllStringSubmatchIndex(all, -1)
		if ed.Edition == site.GuideEdition && len(refs) == 0 {
			t.Errorf("%s: no reference to another session gives its page", path)
		}
		for _, r := range refs {
			before := sessionRE.FindAllStringSubmatch(all[max(0, r[0]-80):r[0]], -1)
			if len(before) == 0 {
				continue // a reference to a page that is not a session
			}
			m := []string{all[max(0, r[0]-80):r[1]], before[len(before)-1][1], all[r[2]:r[3]]}
			n, _ := strconv.Atoi(m[1])
			page, _ := strconv.Atoi(m[2])
			var target *site.Page
			for _, s := range l.Sessions {
				if s.Session == n {
					target = s
				}
			}
			if target == nil {
				t.Errorf("%s: %q refers to a session the manual lacks", path, m[0])
				continue
			}
			if got, ok := starts[printAnchor(target)]; ok && got != page {
				t.Errorf("%s: %q: the session starts on page %d", path, m[0], got)
			}
		}
	}

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("/Lang (%s)", l.Lang.Code); !strings.Contains(string(data), want) {
		t.Errorf("%s: the catalog lacks %s", path, want)
	}
	return starts
}

// TestPDFBookDuplexLetter prints the demo, in English only, on US Letter
// for both sides of the paper, with a wider inner margin: every page of
// the manual in an edition starts on a right-hand (odd) page, the margins
// mirror, and the contents and bookmarks are right.
func TestPDFBookDuplexLetter(t *testing.T) {
	ctx := browser.ForTest(t)
	pdfNeedTools(t)
	dir := copyDemo(t)
	dropLanguage(t, dir, "es")
	dropLanguage(t, dir, "ar")
	cfg := filepath.Join(dir, "config.toml")
	data, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	data = []byte(strings.Replace(string(data), `paper = "A4"`, `paper = "Letter"`, 1) +
		"\n[print]\nduplex = true\nmargins = \"20mm 15mm 22mm 30mm\"\n")
	if err := os.WriteFile(cfg, data, 0o644); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "public")
	res, _, err := build.PDF(ctx, dir, dest, build.PDFOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Site
	for _, ed := range []*site.Page{editionOf(t, s, site.GuideEdition), editionOf(t, s, site.ParticipantEdition)} {
		name := map[site.Edition]string{site.GuideEdition: "guide", site.ParticipantEdition: "participants"}[ed.Edition]
		path := filepath.Join(dest, "pdf", name+".pdf")
		_, sizes := pdfInfo(t, path)
		for i, size := range sizes {
			if !strings.HasPrefix(size, "612 x 792") {
				t.Errorf("%s: page %d is %s, want US Letter (612 x 792 pts)", name, i+1, size)
				break
			}
		}
		starts := checkBook(t, s, dest, ed, path)
		for anchor, page := range starts {
			if page%2 == 0 && !strings.HasPrefix(anchor, "fc:") {
				t.Errorf("%s: %s starts on page %d, a left-hand page", name, anchor, page)
			}
		}
		// The inner margin is the wider: at the left of a right-hand page,
		// at the right of a left-hand one.
		left := pdfLeftEdges(t, path)
		for page, x := range left {
			want := 30.0 // mm
			if page%2 == 0 {
				want = 15
			}
			if mm := x / 72 * 25.4; mm < want-1 || mm > want+8 {
				t.Errorf("%s: page %d's text starts %.1f mm from the left edge, want about %.0f mm", name, page, mm, want)
			}
		}
	}
}

var bboxWordRE = regexp.MustCompile(`<word xMin="([0-9.]+)"`)

// pdfLeftEdges is where the text of each page of a PDF starts from the
// left edge, in points, for the pages with text.
func pdfLeftEdges(t *testing.T, path string) map[int]float64 {
	t.Helper()
	out := map[int]float64{}
	for i, page := range strings.Split(pdfTool(t, "pdftotext", "-bbox", path, "-"), "<page ")[1:] {
		for _, m := range bboxWordRE.FindAllStringSubmatch(page, -1) {
			x, _ := strconv.ParseFloat(m[1], 64)
			if v, ok := out[i+1]; !ok || x < v {
				out[i+1] = x
			}
		}
	}
	return out
}

// TestPDFTableRowsWhole prints a session with a long table whose cells wrap
// over several lines: no row is cut by a page break, each is on one page
// whole, and the table's heading row starts every page it is on.
func TestPDFTableRowsWhole(t *testing.T) {
	ctx := browser.ForTest(t)
	pdfNeedTools(t)
	var md strings.Builder
	md.WriteString("+++\ntitle = \"Long Table\"\nsession = 1\ntime = \"60\"\n+++\nA table of many rows.\n\n| Step | What to do | Why |\n|---|---|---|\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&md, "| start%d: a first column that wraps over a line or two | the middle column, long enough to wrap over three or four lines in a column of a third of the page | the last column, with a word at its very end: end%d |\n", i, i)
	}
	dir := t.TempDir()
	for name, data := range map[string]string{
		"config.toml":         "title = \"Tables\"\n",
		"content/_index.md":   "+++\ntitle = \"Home\"\n+++\nHome.\n",
		"content/01-table.md": md.String(),
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dest := filepath.Join(t.TempDir(), "public")
	if _, _, err := build.PDF(ctx, dir, dest, build.PDFOptions{}); err != nil {
		t.Fatal(err)
	}
	pages := pdfPages(t, filepath.Join(dest, "pdf", "session-01-handout.pdf"), false)
	if len(pages) < 3 {
		t.Fatalf("the handout has %d pages, want the table over 3 or more", len(pages))
	}
	for i := 1; i <= 40; i++ {
		start, end := -1, -1
		for p, text := range pages {
			if strings.Contains(text, fmt.Sprintf("start%d:", i)) {
				start = p + 1
			}
			if strings.Contains(text, fmt.Sprintf("end%d\n", i)) || strings.HasSuffix(strings.TrimSpace(text), fmt.Sprintf("end%d", i)) {
				end = p + 1
			}
		}
		if start < 0 || start != end {
			t.Errorf("row %d starts on page %d and ends on page %d", i, start, end)
		}
	}
	for p, text := range pages[1:] {
		if strings.Contains(text, "start") && !strings.Contains(text, "What to do") {
			t.Errorf("page %d has rows of the table without its heading row", p+2)
		}
	}
}
