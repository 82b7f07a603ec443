package pdf

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"flipchart/generator/browser"
)

// bookPage writes a page like a print edition: a contents list of n
// sections whose page numbers the printer writes in, sections of varied
// length with references to each other, each starting a page and, with
// recto, a right-hand page. Section 7 holds an id with a colon, which a
// reference of section 2 points at.
func writeBookPage(t *testing.T, dir string, n int, recto bool, digits string) string {
	t.Helper()
	var b strings.Builder
	left := "" // margins that mirror: in parts, only where each part starts a right-hand page
	if recto {
		left = "@page :left { margin-left: 25mm; margin-right: 10mm; }\n"
	}
	fmt.Fprintf(&b, `<!doctype html><html lang="en"><head><meta charset="utf-8"><style>
@page { size: A5; margin: 15mm; @bottom-center { content: "Page " counter(page) " of " var(--fc-pages); } }
%s:root { --fc-pages: counter(pages); }
:root.fc-parted { --fc-pages: counter(fc-pages); }
body { font: 11pt/1.4 sans-serif; margin: 0; }
section.s { break-before: page; }
.pg:empty, .ref:has(> [data-fc-page]:empty) { display: none; }
.pg, .ref { font-variant-numeric: tabular-nums; }
li { display: flex; gap: 1em; } li a { flex: 1; }
</style></head><body><main>
<article data-fc-outline="nav.toc, section.s, section.ex"`, left)
	if digits != "" {
		fmt.Fprintf(&b, ` data-fc-digits="%s"`, digits)
	}
	b.WriteString(`>
<nav class="toc" aria-labelledby="toc" data-fc-part><h1 id="toc">Contents</h1><ol>`)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, `<li><a href="#s%d">Section %d</a> <span class="pg" data-fc-page="s%d"></span></li>`, i, i, i)
	}
	b.WriteString("</ol></nav>\n")
	for i := 1; i <= n; i++ {
		attrs := ""
		if recto {
			attrs = " data-fc-recto"
		}
		fmt.Fprintf(&b, `<section class="s" id="s%d" aria-labelledby="s%d-t" data-fc-level="1" data-fc-part%s><h2 id="s%d-t">Section %d</h2>`, i, i, attrs, i, i)
		for p := range 4 + (i*7)%11 {
			fmt.Fprintf(&b, "<p>Paragraph %d of section %d. This sentence is here to fill the page with text that wraps over several lines, as a session guide's paragraphs do.</p>\n", p+1, i)
			if p == 1 {
				j := (i*3)%n + 1
				fmt.Fprintf(&b, `<p>See <a href="#s%d">Section %d</a><span class="ref"> (page&nbsp;<span data-fc-page="s%d"></span>)</span> for more.</p>`+"\n", j, j, j)
			}
		}
		if i == 2 {
			b.WriteString(`<p>A note: <a href="#s7--fn:1">the footnote</a>.</p>`)
		}
		fmt.Fprintf(&b, `<section class="ex" id="s%d-ex"><h3>Exercise %d</h3><p>What to do.</p></section>`, i, i)
		if i == 7 {
			b.WriteString(`<p id="s7--fn:1">The footnote.</p>`)
		}
		b.WriteString("</section>\n")
	}
	b.WriteString("</article></main></body></html>\n")
	path := filepath.Join(dir, "book.html")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// bookText is the text of each page of a PDF.
func bookText(t *testing.T, path string) []string {
	t.Helper()
	raw := run(t, "pdftotext", "-enc", "UTF-8", path, "-")
	return strings.Split(strings.TrimSuffix(raw, "\f"), "\f")
}

var (
	tocLineRE = regexp.MustCompile(`(?m)^\s*Section (\d+)\s+(\d+)\s*$`)
	refRE     = regexp.MustCompile(`See Section (\d+) \(page\s(\d+)\)`)
)

// checkBookPages checks the page numbers that a printed book page shows:
// the contents', the references' and the footers'.
func checkBookPages(t *testing.T, path string, n int, recto bool) map[int]int {
	t.Helper()
	pages := bookText(t, path)
	starts := map[int]int{} // section -> the page its heading is on
	for i, p := range pages {
		for k := 1; k <= n; k++ {
			if strings.HasPrefix(strings.TrimSpace(p), fmt.Sprintf("Section %d\n", k)) && i > 0 {
				starts[k] = i + 1
			}
		}
		if want := fmt.Sprintf("Page %d of %d", i+1, len(pages)); !strings.Contains(p, want) && strings.TrimSpace(p) != "" {
			t.Errorf("page %d lacks its footer %q:\n%s", i+1, want, p)
		}
	}
	if len(starts) != n {
		t.Fatalf("found the starts of %d sections of %d: %v", len(starts), n, starts)
	}
	contents := run(t, "pdftotext", "-enc", "UTF-8", "-layout", "-f", "1", "-l", "1", path, "-")
	got := 0
	for _, m := range tocLineRE.FindAllStringSubmatch(strings.ReplaceAll(contents, "\u2007", ""), -1) {
		k, _ := strconv.Atoi(m[1])
		page, _ := strconv.Atoi(m[2])
		got++
		if starts[k] != page {
			t.Errorf("the contents give page %d for Section %d, which starts on page %d", page, k, starts[k])
		}
	}
	if got != n {
		t.Errorf("read %d contents entries with a page number, want %d:\n%s", got, n, contents)
	}
	refs := 0
	for _, p := range pages {
		for _, m := range refRE.FindAllStringSubmatch(strings.Join(strings.Fields(p), " "), -1) {
			k, _ := strconv.Atoi(m[1])
			page, _ := strconv.Atoi(m[2])
			refs++
			if starts[k] != page {
				t.Errorf("%q: Section %d starts on page %d", m[0], k, starts[k])
			}
		}
	}
	if refs < n {
		t.Errorf("read %d references with a page, want %d", refs, n)
	}
	if recto {
		for k, page := range starts {
			if page%2 == 0 {
				t.Errorf("Section %d starts on page %d, a left-hand page", k, page)
			}
		}
	}
	return starts
}

// TestBookPageNumbers prints a page with contents and references, whole and
// in parts, on one side and on both sides of the paper: every number is
// the page its target starts on, and the parts join into the same pages.
func TestBookPageNumbers(t *testing.T) {
	ctx := browser.ForTest(t)
	const n = 12
	for _, recto := range []bool{false, true} {
		t.Run(fmt.Sprintf("recto=%v", recto), func(t *testing.T) {
			dir := t.TempDir()
			page := writeBookPage(t, dir, n, recto, "")
			u := "file://" + filepath.ToSlash(page)
			whole, parted := filepath.Join(dir, "whole.pdf"), filepath.Join(dir, "parted.pdf")
			if err := Print(ctx, []Job{{URL: u, Out: whole}}, Options{}); err != nil {
				t.Fatal(err)
			}
			wholeText := bookText(t, whole)
			starts := checkBookPages(t, whole, n, recto)
			if err := Print(ctx, []Job{{URL: u, Out: parted}}, Options{PartBytes: 2500}); err != nil {
				t.Fatal(err)
			}
			if m, _ := filepath.Glob(filepath.Join(dir, ".flipchart-part-*")); len(m) > 0 {
				t.Errorf("parts left beside the page: %v", m)
			}
			partedText := bookText(t, parted)
			if len(partedText) != len(wholeText) {
				t.Fatalf("printed in parts: %d pages, whole: %d", len(partedText), len(wholeText))
			}
			for i := range wholeText {
				if partedText[i] != wholeText[i] {
					t.Errorf("page %d printed in parts:\n%q\nwhole:\n%q", i+1, partedText[i], wholeText[i])
				}
			}
			// The bookmarks: the contents, each section, its exercise
			// under it.
			for _, path := range []string{whole, parted} {
				checkPDFStructure(t, path)
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				dests, _, err := Destinations(data)
				if err != nil {
					t.Fatal(err)
				}
				for k, page := range starts {
					if d := dests[fmt.Sprintf("s%d", k)]; d.Page != page {
						t.Errorf("%s: the destination of Section %d is page %d, want %d", filepath.Base(path), k, d.Page, page)
					}
				}
				if d := dests["s7--fn:1"]; d.Page != starts[7] && d.Page != starts[7]+1 {
					t.Errorf("%s: the footnote of section 7 is on page %d, the section starts on %d", filepath.Base(path), d.Page, starts[7])
				}
			}
		})
	}
}

// checkPDFStructure reads a PDF with qpdf: no errors or warnings; every
// link goes to a named destination the PDF has; the structure tree has one
// root, whose kids name it as their parent, and a parent tree entry for
// every page's and annotation's key.
func checkPDFStructure(t *testing.T, path string) {
	t.Helper()
	if out, err := exec.Command("qpdf", "--check", path).CombinedOutput(); err != nil || strings.Contains(string(out), "WARNING") {
		t.Errorf("qpdf --check %s: %v\n%s", filepath.Base(path), err, out)
	}
	var doc struct {
		QPDF []json.RawMessage `json:"qpdf"`
	}
	if err := json.Unmarshal([]byte(run(t, "qpdf", "--json", "--json-key=qpdf", path)), &doc); err != nil || len(doc.QPDF) < 2 {
		t.Fatalf("qpdf --json %s: %v", path, err)
	}
	var raw map[string]struct {
		Value any `json:"value"`
	}
	if err := json.Unmarshal(doc.QPDF[1], &raw); err != nil {
		t.Fatal(err)
	}
	objs := map[string]map[string]any{}
	for k, v := range raw {
		if m, ok := v.Value.(map[string]any); ok {
			objs[strings.TrimPrefix(k, "obj:")] = m
		}
	}
	var catalog map[string]any
	for _, o := range objs {
		if o["/Type"] == "/Catalog" {
			catalog = o
		}
	}
	if catalog == nil {
		t.Fatalf("%s has no catalog", path)
	}
	dests := objs[fmt.Sprint(catalog["/Dests"])]
	root := objs[fmt.Sprint(catalog["/StructTreeRoot"])]
	if root == nil {
		t.Fatalf("%s has no structure tree", path)
	}
	keys := map[float64]bool{}
	if nums, ok := objs[fmt.Sprint(root["/ParentTree"])]["/Nums"].([]any); ok {
		for i := 0; i+1 < len(nums); i += 2 {
			if k, ok := nums[i].(float64); ok {
				keys[k] = true
			}
		}
	}
	kids, _ := root["/K"].([]any)
	if len(kids) == 0 {
		t.Errorf("%s: the structure tree's root has no kids", filepath.Base(path))
	}
	for _, k := range kids {
		if p := objs[fmt.Sprint(k)]["/P"]; p != catalog["/StructTreeRoot"] {
			t.Errorf("%s: structure element %v has parent %v, not the root %v", filepath.Base(path), k, p, catalog["/StructTreeRoot"])
		}
	}
	for id, o := range objs {
		for _, key := range []string{"/StructParents", "/StructParent"} {
			if k, ok := o[key].(float64); ok && !keys[k] {
				t.Errorf("%s: object %s has %s %v, which the parent tree lacks", filepath.Base(path), id, key, k)
			}
		}
		if o["/Subtype"] == "/Link" {
			switch d := o["/Dest"].(type) {
			case string:
				if _, ok := dests[d]; !ok {
					t.Errorf("%s: a link goes to %s, which is no named destination", filepath.Base(path), d)
				}
			case nil:
				if a, ok := o["/A"].(map[string]any); !ok || strings.Contains(fmt.Sprint(a["/URI"]), "flipchart.invalid") {
					t.Errorf("%s: a link goes nowhere: %v", filepath.Base(path), o)
				}
			}
		}
	}
}
