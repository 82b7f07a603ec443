package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"flipchart/generator/browser"
)

// fileURL returns the file:// URL of a file in testdata.
func fileURL(t *testing.T, name string) string {
	t.Helper()
	abs, err := filepath.Abs(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return (&url.URL{Scheme: "file", Path: abs}).String()
}

// run runs one of poppler's tools and returns its output. It skips the test
// when the tool is missing, or fails it when REQUIRE_BROWSER=1.
func run(t *testing.T, tool string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		if os.Getenv(browser.EnvRequire) == "1" {
			t.Fatalf("%s is missing (apt-get install poppler-utils): %v", tool, err)
		}
		t.Skipf("skipping: %s is missing (apt-get install poppler-utils)", tool)
	}
	out, err := exec.Command(tool, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", tool, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// pdfinfo returns the fields that pdfinfo prints for a PDF.
func pdfinfo(t *testing.T, path string) map[string]string {
	t.Helper()
	m := map[string]string{}
	for line := range strings.Lines(run(t, "pdfinfo", path)) {
		if k, v, ok := strings.Cut(line, ":"); ok {
			m[k] = strings.TrimSpace(v)
		}
	}
	return m
}

// pageSize parses pdfinfo's "595.28 x 841.89 pts (A4)".
func pageSize(t *testing.T, s string) (w, h float64) {
	t.Helper()
	if _, err := fmt.Sscanf(s, "%g x %g pts", &w, &h); err != nil {
		t.Fatalf("page size %q: %v", s, err)
	}
	return w, h
}

// near reports whether a is within 1 pt of b: Chromium lays out in CSS
// pixels, so an A4 page comes out as 594.96 x 841.92 pts.
func near(a, b float64) bool { return a > b-1 && a < b+1 }

// dateLike matches the date or time that a browser's own header or footer
// would stamp.
var dateLike = regexp.MustCompile(`\b(\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2})\b`)

// checkText checks that the PDF's text has want, and no URL or date that the
// browser would stamp.
func checkText(t *testing.T, path string, want ...string) {
	t.Helper()
	text := run(t, "pdftotext", "-layout", path, "-")
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("the PDF's text lacks %q:\n%s", w, text)
		}
	}
	if strings.Contains(text, "file:") {
		t.Errorf("the PDF's text has a file: URL:\n%s", text)
	}
	if d := dateLike.FindString(text); d != "" {
		t.Errorf("the PDF's text has a date or time %q:\n%s", d, text)
	}
}

// checkFonts checks with pdffonts that the PDF has fonts and embeds them all.
func checkFonts(t *testing.T, path string) {
	t.Helper()
	lines := strings.Split(strings.TrimRight(run(t, "pdffonts", path), "\n"), "\n")
	if len(lines) < 3 {
		t.Fatalf("pdffonts lists no font:\n%s", strings.Join(lines, "\n"))
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

func TestPrintA4(t *testing.T) {
	ctx := browser.ForTest(t)
	out := filepath.Join(t.TempDir(), "pdf", "session-11-handout.pdf")
	var progress bytes.Buffer
	job := Job{
		URL:     fileURL(t, "handout.html"),
		Out:     out,
		Title:   "‘Next steps’ — Session 11 handout",
		Author:  "Ana Souza (lead trainer)",
		Subject: "Facilitation curriculum",
	}
	if err := Print(ctx, []Job{job}, Options{Progress: &progress}); err != nil {
		t.Fatal(err)
	}
	if want := "[1/1] " + out + " (3 pages)\n"; progress.String() != want {
		t.Errorf("progress = %q, want %q", progress.String(), want)
	}

	info := pdfinfo(t, out)
	if w, h := pageSize(t, info["Page size"]); !near(w, 595.28) || !near(h, 841.89) {
		t.Errorf("page size %q, want A4 (595.28 x 841.89 pts)", info["Page size"])
	}
	for k, want := range map[string]string{
		"Pages":    "3",
		"Title":    job.Title,
		"Author":   job.Author,
		"Subject":  job.Subject,
		"Creator":  "flipchart",
		"Producer": "Skia/PDF", // kept from Chromium's own /Info
		"Tagged":   "yes",
	} {
		if !strings.HasPrefix(info[k], want) {
			t.Errorf("pdfinfo %s: %q, want %q", k, info[k], want)
		}
	}
	checkText(t, out, "Page 1 of 3", "Page 2 of 3", "Page 3 of 3",
		"Opening circle", "Fishbowl discussion", "Closing reflection")
	checkFonts(t, out)
	// The outline (bookmarks) is in the catalog; pdfinfo does not show it.
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if root, err := doc.object(doc.trailer["Root"]); err != nil || root["Outlines"] == "" {
		t.Errorf("the catalog has no /Outlines: %v %v", root, err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".*")); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestPrintLetter(t *testing.T) {
	browser.ForTest(t) // skips without Chromium
	// With a plain context, Print starts and stops a browser of its own.
	out := filepath.Join(t.TempDir(), "letter.pdf")
	if err := Print(context.Background(), []Job{{URL: fileURL(t, "letter.html"), Out: out}}, Options{}); err != nil {
		t.Fatal(err)
	}
	info := pdfinfo(t, out)
	if w, h := pageSize(t, info["Page size"]); !near(w, 612) || !near(h, 792) {
		t.Errorf("page size %q, want Letter (612 x 792 pts)", info["Page size"])
	}
	// With no Title in the job, the page's <title> stays.
	if info["Pages"] != "1" || info["Title"] != "Letter worksheet" || info["Creator"] != "flipchart" {
		t.Errorf("pdfinfo: Pages %q, Title %q, Creator %q; want 1, Letter worksheet, flipchart",
			info["Pages"], info["Title"], info["Creator"])
	}
	checkText(t, out, "Page 1 of 1", "Worksheet on Letter paper")
	checkFonts(t, out)
}

func TestPrintParallel(t *testing.T) {
	ctx := browser.ForTest(t)
	dir := t.TempDir()
	var jobs []Job
	for i := range 6 {
		page := []string{"handout.html", "letter.html"}[i%2]
		jobs = append(jobs, Job{
			URL:    fileURL(t, page),
			Out:    filepath.Join(dir, fmt.Sprintf("job-%d.pdf", i)),
			Author: fmt.Sprintf("Author %d", i),
		})
	}
	var progress bytes.Buffer
	if err := Print(ctx, jobs, Options{Parallel: 3, Progress: &progress}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(progress.String()), "\n")
	if len(lines) != len(jobs) || !strings.HasPrefix(lines[5], "[6/6] ") {
		t.Errorf("progress:\n%s", progress.String())
	}
	for i, job := range jobs {
		info := pdfinfo(t, job.Out)
		if want := []string{"3", "1"}[i%2]; info["Pages"] != want || info["Author"] != job.Author {
			t.Errorf("%s: Pages %q, Author %q; want %s, %q", job.Out, info["Pages"], info["Author"], want, job.Author)
		}
	}
}

func TestPrintMissingPage(t *testing.T) {
	ctx := browser.ForTest(t)
	dir := t.TempDir()
	bad := fileURL(t, "no-such-page.html")
	jobs := []Job{
		{URL: fileURL(t, "letter.html"), Out: filepath.Join(dir, "a.pdf")},
		{URL: bad, Out: filepath.Join(dir, "b.pdf")},
	}
	err := Print(ctx, jobs, Options{Parallel: 1})
	if err == nil || !strings.Contains(err.Error(), bad) {
		t.Fatalf("error %v, want one that names %s", err, bad)
	}
	t.Log(err)
	if _, err := os.Stat(jobs[1].Out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s was written for a missing page (%v)", jobs[1].Out, err)
	}
}

func TestPrintNoChromium(t *testing.T) {
	t.Setenv(browser.EnvPath, filepath.Join(t.TempDir(), "no-chromium"))
	err := Print(context.Background(), []Job{{URL: "file:///x.html", Out: filepath.Join(t.TempDir(), "x.pdf")}}, Options{})
	if !errors.Is(err, browser.ErrNotFound) {
		t.Fatalf("error %v, want browser.ErrNotFound", err)
	}
}

// minimalPDF returns a valid one-page PDF with a classic xref table and an
// /Info dictionary, as a hand-written file would be.
func minimalPDF() []byte {
	return handPDFTrailer(" /Info 4 0 R",
		"<</Type /Catalog /Pages 2 0 R>>",
		"<</Type /Pages /Kids [3 0 R] /Count 1>>",
		"<</Type /Page /Parent 2 0 R /MediaBox [0 0 200 100]>>",
		"<</Title (Old \\(draft\\) title) /Producer (hand >> written) /CreationDate (D:20240101000000Z)>>",
	)
}

func TestWithInfo(t *testing.T) {
	data := minimalPDF()
	path := filepath.Join(t.TempDir(), "min.pdf")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if got := pdfinfo(t, path)["Title"]; got != "Old (draft) title" {
		t.Fatalf("the hand-written PDF is not read as meant: Title %q", got)
	}

	// Update twice, so that the second update follows /Prev through the first.
	sets := []map[string]string{
		{"Title": "First", "Author": "Nobody"},
		{"Title": "‘Next steps’ — ünïcode 🎉", "Author": `Ana (lead) \ Souza`, "Subject": "Plain ASCII", "Creator": Creator},
	}
	for _, set := range sets {
		doc, err := parse(data)
		if err != nil {
			t.Fatal(err)
		}
		if n, err := doc.pages(); n != 1 || err != nil {
			t.Fatalf("pages() = %d, %v; want 1", n, err)
		}
		if data, err = doc.withInfo(set); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.HasPrefix(data, minimalPDF()) {
		t.Error("the update changed the original bytes")
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	info := pdfinfo(t, path)
	for k, want := range map[string]string{
		"Title":    sets[1]["Title"],
		"Author":   sets[1]["Author"],
		"Subject":  "Plain ASCII",
		"Creator":  "flipchart",
		"Producer": "hand >> written", // kept from the old /Info
		"Pages":    "1",
	} {
		if info[k] != want {
			t.Errorf("pdfinfo %s: %q, want %q", k, info[k], want)
		}
	}
	if !strings.HasPrefix(info["CreationDate"], "Mon Jan  1 00:00:00 2024") {
		t.Errorf("pdfinfo CreationDate: %q, want the old one", info["CreationDate"])
	}
	// pdfinfo quietly repairs a broken xref, so check the new section
	// ourselves: the last startxref points at it, and it points at /Info.
	doc, err := parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if d, err := doc.object(doc.trailer["Info"]); err != nil || d["Author"] != `(Ana \(lead\) \\ Souza)` {
		t.Errorf("new /Info: %v, %v", d, err)
	}
	if doc.trailer["Size"] != "7" || doc.trailer["Root"] != "1 0 R" {
		t.Errorf("new trailer: %v", doc.trailer)
	}
}

func TestParseRefuses(t *testing.T) {
	good := minimalPDF()
	xref := bytes.LastIndex(good, []byte("xref\n0 "))
	for name, data := range map[string][]byte{
		"xref stream": fmt.Appendf(nil, "%%PDF-1.5\n1 0 obj\n<</Type /XRef /Size 2>>\nendobj\nstartxref\n9\n%%%%EOF\n"),
		"encrypted":   bytes.Replace(good, []byte("/Info 4 0 R"), []byte("/Encrypt 4 0 R"), 1),
		"truncated":   good[:len(good)/2],
		"bad offset":  bytes.Replace(good, []byte("startxref\n"+strconv.Itoa(xref)), []byte("startxref\n"+strconv.Itoa(xref+1)), 1),
	} {
		if _, err := parse(data); err == nil {
			t.Errorf("%s: parse succeeded", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
}

func TestTextString(t *testing.T) {
	for in, want := range map[string]string{
		"Plain":     "(Plain)",
		`a (b) \ c`: `(a \(b\) \\ c)`,
		"‘Q’":       "<FEFF201800512019>",
		"🎉":         "<FEFFD83CDF89>",
		"tab\there": "<FEFF00740061006200090068006500720065>",
		"":          "()",
	} {
		if got := textString(in); got != want {
			t.Errorf("textString(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestPrintMissingFont: a page with letters no font of the machine has
// (Garay, new in Unicode 16) is not printed, and the error names the
// letters; a page in Arabic and Cyrillic, which the machine's fonts have,
// prints, its fonts embedded.
func TestPrintMissingFont(t *testing.T) {
	ctx := browser.ForTest(t)
	dir := t.TempDir()
	ok := Job{URL: fileURL(t, "arabic.html"), Out: filepath.Join(dir, "arabic.pdf")}
	if err := Print(ctx, []Job{ok}, Options{}); err != nil {
		t.Fatalf("a page in Arabic and Cyrillic: %v", err)
	}
	checkFonts(t, ok.Out)
	bad := Job{URL: fileURL(t, "unknown-script.html"), Out: filepath.Join(dir, "bad.pdf")}
	err := Print(ctx, []Job{bad}, Options{})
	var mf *MissingFontError
	if !errors.As(err, &mf) {
		t.Fatalf("error %v, want a MissingFontError", err)
	}
	if !strings.Contains(mf.Letters, "\U00010D40") || strings.ContainsAny(mf.Letters, "الخطوشС") {
		t.Errorf("the letters without a font are %q, want the Garay ones alone", mf.Letters)
	}
	if msg := err.Error(); !strings.Contains(msg, "U+10D40") || !strings.Contains(msg, "fonts-noto-core") {
		t.Errorf("the error does not say which letters, or what to install: %s", msg)
	}
	if _, err := os.Stat(bad.Out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s was written with letters no font has (%v)", bad.Out, err)
	}
}
