package build_test

// flipchart pdf on the demo site, checked the way a trainer's printer or PDF
// reader sees the result: poppler's pdfinfo, pdftotext and pdffonts read
// every kind of PDF (guide, participant and worksheets editions, a session
// handout, a worksheet). The test skips without Chromium or poppler-utils,
// unless REQUIRE_BROWSER=1 (as in CI), where it fails instead.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"flipchart/generator/browser"
	"flipchart/generator/build"
	"flipchart/generator/content"
	"flipchart/generator/i18n"
	"flipchart/generator/internal/sitetest"
	"flipchart/generator/markup"
	"flipchart/generator/pdf"
	"flipchart/generator/site"

	"golang.org/x/net/html"
)

// pdfTools are the poppler-utils programs the test reads the PDFs with.
var pdfTools = []string{"pdfinfo", "pdftotext", "pdffonts", "qpdf"}

// pdfNeedTools skips the test when a poppler tool is missing, or fails it
// when REQUIRE_BROWSER=1.
func pdfNeedTools(t testing.TB) {
	t.Helper()
	for _, tool := range pdfTools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv(browser.EnvRequire) == "1" {
				t.Fatalf("%s is missing (apt-get install %s): %v", tool, pdfToolPackage(tool), err)
			}
			t.Skipf("skipping: %s is missing (apt-get install %s)", tool, pdfToolPackage(tool))
		}
	}
}

// pdfToolPackage is the Debian package of a PDF tool.
func pdfToolPackage(tool string) string {
	if tool == "qpdf" {
		return "qpdf"
	}
	return "poppler-utils"
}

// pdfTool runs a poppler tool and returns its standard output.
func pdfTool(t testing.TB, tool string, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(tool, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", tool, strings.Join(args, " "), err, stderr.Bytes())
	}
	return stdout.String()
}

// pdfInfo returns pdfinfo's fields for a PDF, and the size of every page
// ("594.96 x 841.92 pts (A4)"), in order.
func pdfInfo(t testing.TB, path string) (fields map[string]string, sizes []string) {
	t.Helper()
	fields = map[string]string{}
	// With -f and -l pdfinfo prints "Page    N size: ..." for each page; a
	// last page past the end is taken as the end.
	for line := range strings.Lines(pdfTool(t, "pdfinfo", "-f", "1", "-l", "1000000", path)) {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		if strings.HasPrefix(k, "Page ") && strings.HasSuffix(k, " size") {
			sizes = append(sizes, v)
			continue
		}
		fields[k] = v
	}
	return fields, sizes
}

// pdfA4 reports whether a pdfinfo page size is A4 (595.28 x 841.89 pt) within
// 1 pt: Chromium lays out in CSS pixels, so its A4 is 594.96 x 841.92 pt.
func pdfA4(size string) bool {
	var w, h float64
	if _, err := fmt.Sscanf(size, "%g x %g pts", &w, &h); err != nil {
		return false
	}
	near := func(a, b float64) bool { return a > b-1 && a < b+1 }
	return near(w, 595.28) && near(h, 841.89)
}

// pdfNorm collapses white space and makes typographic quotes straight, so that
// text from Markdown and text from pdftotext compare equal however the lines
// wrapped.
func pdfNorm(s string) string {
	// pdftotext joins a word hyphenated at a line's end ("highest-" and
	// "priority" become "highestpriority"), so hyphens are left out of both
	// sides of a comparison.
	return strings.ReplaceAll(normQuotes(strings.Join(strings.Fields(s), " ")), "-", "")
}

// pdfNormRTL is pdfNorm for text in Arabic script, whose letters pdftotext
// gives in logical order but for what it does to them, which the
// comparison undoes on both sides: the marks of direction around each line
// (dropped); the vowel marks it may put before their letter, and the
// spaces it may put inside a word after one (both dropped); punctuation
// and numbers between words, which it may move to the other side of a
// number (dropped: the letters' order is compared); and the two letters
// of a lam-alef ligature, which it gives the wrong way round (so the text
// expected has each lam before an alef turned round too).
func pdfNormRTL(s string, expected bool) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= 0x200e && r <= 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return -1 // marks of direction
		case r >= 0x064b && r <= 0x0652, r == 0x0670:
			return -1 // vowel marks, shadda, sukun
		}
		return r
	}, normQuotes(s))
	if expected { // within words: a ligature joins no two
		rs := []rune(s)
		for i := 0; i+1 < len(rs); i++ {
			if rs[i] == 'ل' && strings.ContainsRune("اأإآ", rs[i+1]) {
				rs[i], rs[i+1] = rs[i+1], rs[i]
				i++
			}
		}
		s = string(rs)
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsDigit(r) || unicode.IsSymbol(r) {
			return -1
		}
		return r
	}, s)
}

// pdfHasLine reports whether the text of a page read back has the line
// (a footer). A line of text written right to left that begins with a
// number, as "٣٣ من ٢ الصفحة" does on the page, pdftotext may give word by
// word from the left, and with spaces moved: its words are looked for in
// either order, spaces left out.
func pdfHasLine(page, line string, rtl bool) bool {
	if strings.Contains(pdfNorm(page), pdfNorm(line)) {
		return true
	}
	if !rtl {
		return false
	}
	words := strings.Fields(line)
	slices.Reverse(words)
	bare := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r >= 0x202a && r <= 0x202e || r >= 0x200e && r <= 0x200f || unicode.IsSpace(r) {
				return -1
			}
			return r
		}, s)
	}
	reversed := strings.Join(words, "")
	for _, l := range strings.Split(page, "\n") {
		if b := bare(l); b == reversed || b == bare(line) {
			return true
		}
	}
	return false
}

// pdfDateRE matches a date as a browser's own header or footer, or a build
// stamp, would print it: 2026-11-25, 11/25/26, 25/11/2026, Nov 25, November
// 25. Times of day are not matched: the demo's agenda is full of them.
var pdfDateRE = regexp.MustCompile(`\b(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}|` +
	`(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2})\b`)

// pdfFonts checks with pdffonts that the PDF has fonts and embeds every one.
func pdfFonts(t *testing.T, path string) {
	t.Helper()
	lines := strings.Split(strings.TrimRight(pdfTool(t, "pdffonts", path), "\n"), "\n")
	if len(lines) < 3 {
		t.Errorf("pdffonts lists no font:\n%s", strings.Join(lines, "\n"))
		return
	}
	col := strings.Index(lines[0], "emb")
	if col < 0 {
		t.Fatalf("pdffonts prints no emb column:\n%s", lines[0])
	}
	for _, line := range lines[2:] {
		if len(line) < col+3 || line[col:col+3] != "yes" {
			t.Errorf("font not embedded: %s", line)
		}
	}
}

// mdContainer is a ::: container of a Markdown file: the text after its kind
// on the opening line (attributes dropped) and the lines inside it.
type mdContainer struct {
	title string
	body  []string
}

var (
	mdFenceRE = regexp.MustCompile(`^(:{3,})\s*(\S*)\s*(.*)$`)
	mdAttrsRE = regexp.MustCompile(`\{[^}]*\}`)
)

// mdContainers returns the containers of the given kinds in md, outermost
// ones only, each closed by a line of as many colons as opened it.
func mdContainers(md string, kinds ...string) []mdContainer {
	return mdContainersWhere(md, func(kind, _ string) bool { return slices.Contains(kinds, kind) })
}

// mdTrainerContainers returns the containers of md for trainers only, as
// the kinds table and the audience attribute say, outermost ones only
// (whatever is inside one is for trainers too).
func mdTrainerContainers(md string) []mdContainer {
	return mdContainersWhere(md, func(kind, rest string) bool {
		k, ok := markup.LookupKind(strings.ToLower(kind))
		attrs := strings.Join(mdAttrsRE.FindAllString(rest, -1), " ")
		switch {
		case strings.Contains(attrs, `audience="trainers"`):
			return true
		case strings.Contains(attrs, `audience="participants"`):
			return false
		}
		return ok && k.Trainers
	})
}

// mdContainersWhere returns the containers of md that match, by their kind
// and the rest of their opening line, outermost ones only.
func mdContainersWhere(md string, match func(kind, rest string) bool) []mdContainer {
	var (
		out    []mdContainer
		cur    *mdContainer
		closer string
	)
	for line := range strings.Lines(md) {
		line = strings.TrimRight(line, "\r\n")
		if cur != nil {
			if strings.TrimSpace(line) == closer {
				out = append(out, *cur)
				cur = nil
				continue
			}
			cur.body = append(cur.body, line)
			continue
		}
		m := mdFenceRE.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		if m[2] != "" && match(m[2], m[3]) {
			cur = &mdContainer{title: strings.TrimSpace(mdAttrsRE.ReplaceAllString(m[3], ""))}
			closer = m[1]
		}
	}
	return out
}

var (
	mdLinkRE   = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)
	mdEmphRE   = regexp.MustCompile("[*`]+|\\b_+|_+\\b")
	mdTableSep = regexp.MustCompile(`^\|[\s|:-]*\|$`)
	mdListRE   = regexp.MustCompile(`^([-*+]|\d+[.)])\s+(\[[ xX]\]\s+)?`)
	mdFillRE   = regexp.MustCompile(`^_{3,}$`)
)

// mdInline strips inline Markdown: links keep their text, emphasis and code
// marks go.
func mdInline(s string) string {
	s = mdLinkRE.ReplaceAllString(s, "$1")
	return pdfNorm(mdEmphRE.ReplaceAllString(s, ""))
}

// mdPhrases returns the text a reader sees in a container, in pieces that
// print on one run of text: its title, each paragraph, heading, list item,
// table cell and the title of each container inside it. Markdown syntax is
// stripped, and blank fill-in lines (___) are left out.
func mdPhrases(c mdContainer) []string {
	var out, para []string
	add := func(s string) {
		if s = mdInline(s); s != "" {
			out = append(out, s)
		}
	}
	flush := func() {
		if len(para) > 0 {
			add(strings.Join(para, " "))
			para = nil
		}
	}
	add(c.title)
	for _, line := range c.body {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || mdFillRE.MatchString(line):
			flush()
		case mdFenceRE.MatchString(line):
			flush()
			m := mdFenceRE.FindStringSubmatch(line)
			add(mdAttrsRE.ReplaceAllString(m[3], "")) // "column My first step"
		case strings.HasPrefix(line, "#"):
			flush()
			add(strings.TrimLeft(line, "# "))
		case strings.HasPrefix(line, "|"):
			flush()
			if !mdTableSep.MatchString(line) {
				for cell := range strings.SplitSeq(strings.Trim(line, "|"), "|") {
					add(cell)
				}
			}
		case mdListRE.MatchString(line):
			flush()
			add(mdListRE.ReplaceAllString(line, ""))
		default:
			para = append(para, line)
		}
	}
	flush()
	return out
}

var pdfSentenceEndRE = regexp.MustCompile(`[.?!]\s+`)

// pdfSentences splits a paragraph after each ". ", "? " and "! ".
func pdfSentences(p string) []string {
	var out []string
	start := 0
	for _, m := range pdfSentenceEndRE.FindAllStringIndex(p, -1) {
		out = append(out, p[start:m[0]+1])
		start = m[1]
	}
	if start < len(p) {
		out = append(out, p[start:])
	}
	return out
}

// pdfTrainerOnly returns every sentence of the demo's containers for
// trainers only (the parts a participant edition leaves out), by the
// language of the file: "en" for the pages, "es" for 11-next-steps.es.md.
func pdfTrainerOnly(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	err := filepath.WalkDir(filepath.Join("..", "..", "content"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".md" {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		_, lang := content.SplitLang(filepath.ToSlash(p))
		if lang == "" {
			lang = "en"
		}
		for _, c := range mdTrainerContainers(string(data)) {
			c.title = "" // "Key explanation points" heads participants' key points too
			for _, p := range mdPhrases(c) {
				out[lang] = append(out[lang], pdfSentences(p)...)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatal("the demo has no container for trainers to check the participant edition with")
	}
	return out
}

// TestPDFDemo runs build.PDF on the demo site and reads each kind of PDF.
func TestPDFDemo(t *testing.T) {
	ctx := browser.ForTest(t) // build.PDF prints with this browser
	pdfNeedTools(t)

	dest := filepath.Join(t.TempDir(), "public")
	var progress bytes.Buffer
	res, n, err := build.PDF(ctx, filepath.Join("..", ".."), dest, build.PDFOptions{Progress: &progress})
	if err != nil {
		t.Fatalf("flipchart pdf on the demo: %v\n%s", err, progress.Bytes())
	}
	s := res.Site
	files := build.PDFFiles(s)
	if n != len(files) {
		t.Errorf("build.PDF printed %d PDFs, PDFFiles lists %d", n, len(files))
	}
	for _, f := range files {
		if _, err := os.Stat(filepath.Join(dest, filepath.FromSlash(f.Path))); err != nil {
			t.Errorf("%s is listed but not in the site: %v", f.Path, err)
		}
	}
	if m, _ := filepath.Glob(filepath.Join(filepath.Dir(dest), ".public.*")); len(m) > 0 {
		t.Errorf("temporary files left beside the site: %v", m)
	}

	cfg := s.Config
	if cfg.Title == "" || cfg.Author == "" || cfg.Paper != "A4" {
		t.Fatalf("the demo's config has title %q, author %q, paper %q: the test expects all three, on A4",
			cfg.Title, cfg.Author, cfg.Paper)
	}
	if len(s.Langs) != 3 {
		t.Fatalf("the demo is in %d languages, want 3 (en, ar, es)", len(s.Langs))
	}
	trainerOnly := pdfTrainerOnly(t)
	var everyTrainerOnly []string
	for _, list := range trainerOnly {
		everyTrainerOnly = append(everyTrainerOnly, list...)
	}
	for _, l := range s.Langs {
		t.Run(l.Lang.Code, func(t *testing.T) {
			pdfDemoLang(t, l, dest, progress.String(), files, trainerOnly[l.Lang.Code], everyTrainerOnly)
		})
	}

	// No PDF carries a trace of the machine that made it.
	checkPDFTraces(t, dest, filepath.Join("..", ".."))

	// The pages link their PDFs, now that they exist.
	s11 := webSession(t, s, 11)
	worksheet := pdfWorksheetOf(t, files, s11)
	for _, l := range []struct{ page, href string }{
		{"index.html", "pdf/guide.pdf"},
		{"index.html", "pdf/participants.pdf"},
		{"index.html", "pdf/worksheets.pdf"},
		{s11.Out, "../../pdf/session-11-handout.pdf"},
		{s11.Out, "../../" + worksheet},
		{s11.Handout.Out, "../../../pdf/session-11-handout.pdf"},
	} {
		data, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(l.page)))
		if err != nil {
			t.Error(err)
			continue
		}
		if !bytes.Contains(data, []byte(`href="`+l.href+`"`)) {
			t.Errorf("%s does not link %s", l.page, l.href)
		}
	}
}

// pdfWorksheetOf is the path of the PDF of Session 11's worksheet.
func pdfWorksheetOf(t *testing.T, files []build.PDFFile, s11 *site.Page) string {
	t.Helper()
	for _, f := range files {
		if f.Page.Of == s11 && f.Page.Kind == site.Worksheet {
			return f.Path
		}
	}
	t.Fatalf("no worksheet PDF for Session 11 among %d PDFs", len(files))
	return ""
}

// pdfDemoLang reads each kind of PDF of the demo in one of its languages:
// its pages, paper, title, footers in the language, the text of its
// sessions and worksheet, and who the trainer-only sentences of the
// language (own) reach: every one the guide, none of any language
// (every) the participants' PDFs.
func pdfDemoLang(t *testing.T, l *site.Site, dest, progress string, files []build.PDFFile, own, every []string) {
	lang, words := l.Lang, i18n.Lookup(l.Words)
	s11 := l.Session("11")
	if s11 == nil || s11.Fallback {
		t.Fatalf("the demo has no Session 11 in %s", lang.Code)
	}
	worksheet := pdfWorksheetOf(t, files, s11)
	if !strings.HasPrefix(worksheet, l.Prefix+"pdf/worksheet-") {
		t.Errorf("Session 11's worksheet in %s is printed to %s, want under %spdf/", lang.Code, worksheet, l.Prefix)
	}
	md, err := os.ReadFile(filepath.Join("..", "..", "content", filepath.FromSlash(s11.File()[len("content/"):])))
	if err != nil {
		t.Fatal(err)
	}
	sheets := mdContainers(string(md), "worksheet")
	if len(sheets) != 1 {
		t.Fatalf("%s should have one worksheet; found %d", s11.File(), len(sheets))
	}
	sheetText := mdPhrases(sheets[0])
	if lang.Code == "en" {
		for _, w := range []string{"Internal actions", "External actions", "Support needed", "My first step", "Who I will tell"} {
			if !strings.Contains(strings.Join(sheetText, "\n"), w) {
				t.Fatalf("the worksheet's text as the test reads it lacks %q: %q", w, sheetText)
			}
		}
	}
	var sessionTitles []string
	for _, p := range l.Sessions {
		sessionTitles = append(sessionTitles, p.Title)
	}
	if len(sessionTitles) != 11 {
		t.Errorf("the demo has %d sessions in %s, want 11", len(sessionTitles), lang.Code)
	}
	label := strings.ReplaceAll(i18n.SessionLabel(words, 11, s11.Title), "\u00a0", " ")
	// How the text read back and the text expected compare.
	norm := func(s string, expected bool) string { return pdfNorm(s) }
	if lang.Dir == "rtl" {
		norm = pdfNormRTL
	}
	cases := []struct {
		path           string
		title          string
		minPages       int
		maxPages       int
		want           []string // in the text, after pdfNorm
		manualTitle    bool     // an edition: the text has the manual's title, page 1 may be a cover without a footer
		wantTrainer    bool     // has every trainer-only sentence of the language
		wantNotTrainer bool     // has none of any language
		edition        site.Edition
	}{
		{path: l.Prefix + "pdf/guide.pdf", title: lang.Title,
			minPages: len(l.Sessions), maxPages: 80, // a page per session at least
			want: sessionTitles, manualTitle: true, wantTrainer: true, edition: site.GuideEdition},
		{path: l.Prefix + "pdf/participants.pdf", title: lang.Title + " — " + words("participant_edition"),
			minPages: len(l.Sessions), maxPages: 80,
			want: sessionTitles, manualTitle: true, wantNotTrainer: true, edition: site.ParticipantEdition},
		{path: l.Prefix + "pdf/worksheets.pdf", title: lang.Title + " — " + words("worksheets"),
			// A cover and contents, then 1 to 4 pages per worksheet.
			minPages: len(l.WorksheetPages), maxPages: 3 + 4*len(l.WorksheetPages),
			want: sheetText, manualTitle: true, edition: site.WorksheetEdition},
		{path: l.Prefix + "pdf/session-11-handout.pdf", title: label + " — " + words("participant_handout"),
			minPages: 1, maxPages: 6,
			want: []string{s11.Title}, wantNotTrainer: true},
		{path: worksheet, title: s11.Derived.Worksheets[0].Title + " — " + words("kind_worksheet"),
			minPages: 1, maxPages: 4,
			want: sheetText, wantNotTrainer: true},
	}
	for _, c := range cases {
		t.Run(strings.TrimSuffix(filepath.Base(c.path), ".pdf"), func(t *testing.T) {
			path := filepath.Join(dest, filepath.FromSlash(c.path))

			info, sizes := pdfInfo(t, path)
			pages, err := strconv.Atoi(info["Pages"])
			if err != nil {
				t.Fatalf("pdfinfo Pages %q: %v", info["Pages"], err)
			}
			if pages < c.minPages || pages > c.maxPages {
				t.Errorf("%d pages, want %d to %d", pages, c.minPages, c.maxPages)
			}
			unit := "pages"
			if pages == 1 {
				unit = "page"
			}
			if want := fmt.Sprintf("%s (%d %s)\n", path, pages, unit); !strings.Contains(progress, want) {
				t.Errorf("the progress lacks %q:\n%s", want, progress)
			}
			if len(sizes) != pages {
				t.Errorf("pdfinfo gave the size of %d pages of %d", len(sizes), pages)
			}
			for i, size := range sizes {
				if !pdfA4(size) {
					t.Errorf("page %d is %s, want A4 (595.28 x 841.89 pts within 1 pt)", i+1, size)
				}
			}
			for k, want := range map[string]string{"Title": c.title, "Author": l.Config.Author} {
				if info[k] != want {
					t.Errorf("pdfinfo %s: %q, want %q", k, info[k], want)
				}
			}

			raw := pdfTool(t, "pdftotext", "-enc", "UTF-8", path, "-")
			text := norm(stripPageRefs(words, raw), false) // the sentences as written
			missing := 0
			// Every page has its footer, "Page 3 of 34" in the language,
			// but an edition's cover may go without. pdftotext ends each
			// page with a form feed.
			for i, page := range strings.Split(strings.TrimSuffix(raw, "\f"), "\f") {
				footer := i18n.Fill(words("page_of"), "n", i18n.Number(words, i+1), "total", i18n.Number(words, pages))
				if !pdfHasLine(page, footer, lang.Dir == "rtl") && (i > 0 || !c.manualTitle) {
					t.Errorf("page %d lacks its footer %q", i+1, footer)
					missing++
				}
			}
			want := c.want
			if c.manualTitle {
				want = append(want, lang.Title)
			}
			if c.wantTrainer {
				want = append(want, own...)
			}
			for _, w := range want {
				if !strings.Contains(text, norm(w, true)) {
					t.Errorf("the text lacks %q", w)
					missing++
				}
			}
			if c.wantNotTrainer {
				for _, w := range every {
					if strings.Contains(text, norm(w, true)) {
						t.Errorf("the text has a trainer-only sentence: %q", w)
						missing++
					}
				}
			}
			if strings.Contains(raw, "file:") {
				t.Errorf("the text has a file: URL")
				missing++
			}
			if d := pdfDateRE.FindString(raw); d != "" {
				t.Errorf("the text has a date stamp %q", d)
				missing++
			}
			if missing > 0 {
				t.Logf("pdftotext %s:\n%s", c.path, raw)
			}

			pdfFonts(t, path)
			if c.manualTitle {
				checkBook(t, l, dest, editionOf(t, l, c.edition), path)
			}
		})
	}
}

// stripPageRefs removes from a print edition's text the pages it gives
// after a reference to another page: " (page 24)" in the language.
func stripPageRefs(words i18n.Lookup, text string) string {
	// The word alone: pdftotext may give the brackets of a right-to-left
	// line on either side.
	word := strings.TrimSpace(strings.NewReplacer("(", "", ")", "", "{n}", "").Replace(words("page_ref")))
	re := regexp.MustCompile(`\s*[()]?\s*` + regexp.QuoteMeta(word) + `[^\p{L}\p{Nd}]{0,8}[\p{Nd}]+\s*[()]?`)
	return re.ReplaceAllString(text, "")
}

// checkPDFTraces reads every PDF of a site and fails the test for any file:
// URL, folder of the machine (the site's, the output's, the home folder) or
// temporary folder's name in it: in its link annotations (pdfinfo -url), its
// text (pdftotext), its raw bytes and its decompressed streams.
func checkPDFTraces(t *testing.T, dest, src string) {
	t.Helper()
	absSrc, _ := filepath.Abs(src)
	absDest, _ := filepath.Abs(dest)
	forbid := []string{absSrc, absDest, ".public.building", filepath.Base(absDest) + ".building"}
	if home, err := os.UserHomeDir(); err == nil && len(home) > 1 {
		forbid = append(forbid, home)
	}
	pdfs := sitePDFPaths(dest)
	if len(pdfs) == 0 {
		t.Fatal("no PDF to read")
	}
	for _, f := range pdfs {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if found := pdf.Traces(data, forbid); len(found) > 0 {
			t.Errorf("%s holds %q", filepath.Base(f), found)
		}
		for _, text := range []string{pdfTool(t, "pdfinfo", "-url", f), pdfTool(t, "pdftotext", "-enc", "UTF-8", f, "-")} {
			for _, s := range append([]string{"file:"}, forbid...) {
				if strings.Contains(text, s) {
					t.Errorf("%s: poppler reads %q in it", filepath.Base(f), s)
				}
			}
		}
	}
}

// A PDF of a site with a base_url links other pages of the manual on the
// published site; without it they are plain text; links within the PDF
// stay links within it. Nothing names the machine.
func TestPDFLinks(t *testing.T) {
	ctx := browser.ForTest(t)
	pdfNeedTools(t)
	for _, base := range []string{"https://example.org/manual/", ""} {
		t.Run("base_url="+base, func(t *testing.T) {
			dir := sitetest.New(t, map[string]string{
				"config.toml":         "title = \"Links\"\nbase_url = \"" + base + "\"\n",
				"content/_index.md":   "+++\ntitle = \"Home\"\n+++\nHome.\n",
				"content/a/_index.md": "+++\ntitle = \"Day A\"\n+++\n",
				"content/a/01-one.md": "+++\ntitle = \"One\"\nsession = 1\n+++\nSee [Session 2](02-two.md#steps), [up](#more) and [the web](https://example.com/x).\n\n" +
					strings.Repeat("Filler paragraph.\n\n", 40) + "## More\n\nMore.\n",
				"content/a/02-two.md": "+++\ntitle = \"Two\"\nsession = 2\n+++\n## Steps\n\nSteps.\n",
			})
			dest := filepath.Join(t.TempDir(), "public")
			if _, _, err := build.PDF(ctx, dir, dest, build.PDFOptions{}); err != nil {
				t.Fatal(err)
			}
			checkPDFTraces(t, dest, dir)
			handout := filepath.Join(dest, "pdf", "session-01-handout.pdf")
			urls := pdfTool(t, "pdfinfo", "-url", handout)
			if !strings.Contains(urls, "https://example.com/x") {
				t.Errorf("the link to another site is gone:\n%s", urls)
			}
			toTwo := "https://example.org/manual/a/02-two/index.html#steps"
			if got := strings.Contains(urls, toTwo); got != (base != "") {
				t.Errorf("link to %s: %v, want %v:\n%s", toTwo, got, base != "", urls)
			}
			for line := range strings.Lines(urls) {
				if f := strings.Fields(line); len(f) == 3 && f[0] != "Page" && f[2] != "https://example.com/x" && f[2] != toTwo {
					t.Errorf("a link that should not be: %s", line)
				}
			}
			raw, _ := os.ReadFile(handout)
			if !regexp.MustCompile(`/Subtype /Link[^>]*/Dest /more`).Match(raw) {
				t.Error("the link to #more is not a link within the PDF")
			}
		})
	}
}

// copyDemo copies the files the demo site is built from into a new folder.
// dropLanguage removes a language from the copy of the demo in dir: its
// table in config.toml and its translations.
func dropLanguage(t *testing.T, dir, code string) {
	t.Helper()
	cfg := filepath.Join(dir, "config.toml")
	data, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	table := regexp.MustCompile(`(?ms)^\[languages\.` + code + `\]\n.*?(\n\[|\z)`)
	if !table.Match(data) {
		t.Fatalf("the demo's config.toml has no [languages.%s]", code)
	}
	data = table.ReplaceAll(data, []byte("$1"))
	if err := os.WriteFile(cfg, data, 0o644); err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(filepath.Join(dir, "content"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, "."+code+".md") {
			err = os.Remove(p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func copyDemo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	root := filepath.Join("..", "..")
	for _, name := range []string{"content", "layouts", "themes"} {
		if err := os.CopyFS(filepath.Join(dir, name), os.DirFS(filepath.Join(root, name))); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(filepath.Join(root, "config.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.toml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// sitePDFs returns the PDFs in a site's pdf/ folder, by path in the site.
func sitePDFs(t *testing.T, dest string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, p := range sitePDFPaths(dest) {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dest, p)
		out[filepath.ToSlash(rel)] = data
	}
	return out
}

// sitePDFPaths are the PDFs in a site: under pdf/ and under each
// language's folder's pdf/ (es/pdf/).
func sitePDFPaths(dest string) []string {
	m, _ := filepath.Glob(filepath.Join(dest, "pdf", "*.pdf"))
	more, _ := filepath.Glob(filepath.Join(dest, "*", "pdf", "*.pdf"))
	return append(m, more...)
}

// pdfsLinked returns the PDFs the pages of a site link, by path in the
// site, read with an HTML parser; a link to a PDF that is not there fails
// the test.
func pdfsLinked(t *testing.T, dest string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	err := filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".html" {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dest, p)
		rel = filepath.ToSlash(rel)
		for _, href := range hrefsOf(t, data) {
			if !strings.HasSuffix(href, ".pdf") || strings.Contains(href, ":") {
				continue
			}
			name := path.Join(path.Dir(rel), href)
			if _, err := os.Stat(filepath.Join(dest, filepath.FromSlash(name))); err != nil {
				t.Errorf("%s links %s, which is not there", rel, name)
			}
			out[name] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// hrefsOf returns the href of every element of a page.
func hrefsOf(t *testing.T, data []byte) []string {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for n := range doc.Descendants() {
		for _, a := range n.Attr {
			if a.Key == "href" {
				out = append(out, a.Val)
			}
		}
	}
	return out
}

// flipchart pdf, then flipchart build: the build keeps every PDF whose page
// is unchanged, byte for byte, and links it; after a session's body is
// edited, its handout's PDF and the editions' are gone and not linked, the
// others kept; flipchart pdf then prints those alone. The demo is printed
// in two of its languages, English and Arabic, whose PDFs of a session
// shown untranslated change with it.
func TestPDFKeptByBuild(t *testing.T) {
	ctx := browser.ForTest(t)
	dir := copyDemo(t)
	dropLanguage(t, dir, "es")
	dest := filepath.Join(t.TempDir(), "public")
	res, n, err := build.PDF(ctx, dir, dest, build.PDFOptions{})
	if err != nil {
		t.Fatalf("flipchart pdf on the demo: %v", err)
	}
	files := build.PDFFiles(res.Site)
	printed := sitePDFs(t, dest)
	if n != len(files) || len(printed) != len(files) {
		t.Fatalf("flipchart pdf made %d PDFs, pdf/ holds %d, PDFFiles lists %d", n, len(printed), len(files))
	}

	// The manifest names no place on the machine.
	raw, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(build.ManifestPath)))
	if err != nil {
		t.Fatal(err)
	}
	forbid := []string{"file:", os.TempDir(), filepath.Dir(dest), dir}
	if home, err := os.UserHomeDir(); err == nil && len(home) > 1 {
		forbid = append(forbid, home)
	}
	for _, s := range forbid {
		if bytes.Contains(raw, []byte(s)) || bytes.Contains(raw, []byte(filepath.ToSlash(s))) {
			t.Errorf("%s holds %q:\n%s", build.ManifestPath, s, raw)
		}
	}
	var m struct {
		PDFs map[string]struct{ Page string } `json:"pdfs"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	for p, rec := range m.PDFs {
		if !fs.ValidPath(p) || !fs.ValidPath(rec.Page) {
			t.Errorf("%s names %q printed from %q: not paths in the site", build.ManifestPath, p, rec.Page)
		}
	}
	if len(m.PDFs) != len(files) {
		t.Errorf("%s records %d PDFs, want %d", build.ManifestPath, len(m.PDFs), len(files))
	}

	// want checks the PDFs of dest: those named, as printed and linked; no
	// other there or linked.
	want := func(names map[string]bool) {
		t.Helper()
		got := sitePDFs(t, dest)
		for name := range names {
			if !bytes.Equal(got[name], printed[name]) {
				t.Errorf("%s is gone or not the PDF printed", name)
			}
		}
		for name := range got {
			if !names[name] {
				t.Errorf("%s is kept", name)
			}
		}
		linked := pdfsLinked(t, dest)
		for name := range names {
			if !linked[name] {
				t.Errorf("no page links %s", name)
			}
		}
		for name := range linked {
			if !names[name] {
				t.Errorf("a page links %s", name)
			}
		}
	}
	all := map[string]bool{}
	for _, f := range files {
		all[f.Path] = true
	}

	res, err = build.ToDir(dir, dest, build.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if w := fmt.Sprintf("%d of %d PDFs current, ", len(files), len(files)); !strings.Contains(res.Summary(), w) {
		t.Errorf("the summary %q lacks %q", res.Summary(), w)
	}
	want(all)

	md := filepath.Join(dir, "content", "day-3", "10-security-plans.md")
	data, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(md, append(data, "\nA paragraph added after printing.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err = build.ToDir(dir, dest, build.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Session 10 is shown untranslated in the other languages: theirs
	// change too.
	var changed []string
	for _, l := range res.Site.Langs {
		changed = append(changed, l.Prefix+"pdf/session-10-handout.pdf", l.Prefix+"pdf/guide.pdf", l.Prefix+"pdf/participants.pdf")
	}
	kept := maps.Clone(all)
	for _, c := range changed {
		if !kept[c] {
			t.Fatalf("the demo has no %s", c)
		}
		delete(kept, c)
	}
	if w := fmt.Sprintf("%d of %d PDFs current (run flipchart pdf for the rest), ", len(kept), len(files)); !strings.Contains(res.Summary(), w) {
		t.Errorf("the summary %q lacks %q", res.Summary(), w)
	}
	want(kept)

	// flipchart pdf prints the three again, and keeps the others.
	var progress bytes.Buffer
	res, _, err = build.PDF(ctx, dir, dest, build.PDFOptions{Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	if w := fmt.Sprintf("%d printed, %d current\n", len(changed), len(kept)); !strings.Contains(progress.String(), w) {
		t.Errorf("the progress lacks %q:\n%s", w, progress.Bytes())
	}
	if res.PDFs == nil || res.PDFs.Printed != len(changed) || res.PDFs.Current != len(kept) {
		t.Errorf("flipchart pdf counts %+v, want %d printed, %d current", res.PDFs, len(changed), len(kept))
	}
	got := sitePDFs(t, dest)
	for name := range kept {
		if !bytes.Equal(got[name], printed[name]) {
			t.Errorf("flipchart pdf printed %s again", name)
		}
	}
	if len(got) != len(files) {
		t.Errorf("pdf/ holds %d PDFs, want %d", len(got), len(files))
	}
	if l := pdfsLinked(t, dest); len(l) != len(files) {
		t.Errorf("the pages link %d PDFs, want %d", len(l), len(files))
	}
	checkPDFTraces(t, dest, dir)
}
