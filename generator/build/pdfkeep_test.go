package build

// Which PDFs a build keeps, without a browser: printPDFs is replaced by a
// fake that writes a small file for each PDF, made from the page it is
// printed from. pdf_test.go's TestPDFKeptByBuild does the same through a
// real Chromium.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"flipchart/generator/internal/sitetest"
	"flipchart/generator/pdf"
)

// fakePrinter stands in for Chromium: each PDF holds the hash of the page
// it was printed from.
type fakePrinter struct {
	mu      sync.Mutex
	printed []string // the PDFs' paths in the site, in order
}

func (f *fakePrinter) install(t *testing.T) {
	t.Helper()
	saved := printPDFs
	t.Cleanup(func() { printPDFs = saved })
	printPDFs = func(_ context.Context, jobs []pdf.Job, _ pdf.Options) error {
		for _, j := range jobs {
			page := strings.TrimPrefix(j.URL, "file://")
			data, err := os.ReadFile(filepath.FromSlash(page))
			if err != nil {
				return err
			}
			if err := os.MkdirAll(filepath.Dir(j.Out), 0o755); err != nil {
				return err
			}
			body := fmt.Sprintf("%%PDF-1.7 fake %x %s\n", sha256.Sum256(data), j.Title)
			if err := os.WriteFile(j.Out, []byte(body), 0o644); err != nil {
				return err
			}
			f.mu.Lock()
			f.printed = append(f.printed, filepath.Base(j.Out))
			f.mu.Unlock()
		}
		return nil
	}
}

func (f *fakePrinter) take() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.printed
	f.printed = nil
	return out
}

var keepSite = map[string]string{
	"config.toml":         "title = \"Keep\"\nauthor = \"A\"\n",
	"content/_index.md":   "+++\ntitle = \"Home\"\n+++\nHome.\n",
	"content/a/_index.md": "+++\ntitle = \"Day A\"\n+++\n",
	"content/a/01-one.md": "+++\ntitle = \"One\"\nsession = 1\n+++\nOne's body.\n\n" +
		"::: worksheet My plan\nName: ___\n:::\n",
	"content/a/02-two.md": "+++\ntitle = \"Two\"\nsession = 2\n+++\nTwo's body.\n",
}

// readPDFs returns the PDFs of the site in dest, by name.
func readPDFs(t *testing.T, dest string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	m, _ := filepath.Glob(filepath.Join(dest, "pdf", "*.pdf"))
	for _, p := range m {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(p)] = data
	}
	return out
}

// linkedPDFs returns the PDFs the pages of the site in dest link, by name.
func linkedPDFs(t *testing.T, dest string) map[string]bool {
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
		htmlRefsAll(data, func(ref string) {
			if name := path.Join(path.Dir(filepath.ToSlash(rel)), ref); strings.HasSuffix(name, ".pdf") && !strings.Contains(ref, ":") {
				if _, err := os.Stat(filepath.Join(dest, filepath.FromSlash(name))); err != nil {
					t.Errorf("%s links %s, which is not there", rel, name)
				}
				out[strings.TrimPrefix(name, "pdf/")] = true
			}
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// htmlRefsAll calls fn with every href of a page.
func htmlRefsAll(data []byte, fn func(string)) {
	for _, part := range bytes.Split(data, []byte(`href="`))[1:] {
		if i := bytes.IndexByte(part, '"'); i >= 0 {
			fn(string(part[:i]))
		}
	}
}

func names(m map[string][]byte) map[string]bool {
	out := map[string]bool{}
	for k := range m {
		out[k] = true
	}
	return out
}

func sameSet(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

func TestBuildKeepsCurrentPDFs(t *testing.T) {
	var printer fakePrinter
	printer.install(t)
	dir := sitetest.New(t, keepSite)
	dest := filepath.Join(t.TempDir(), "public")
	ctx := context.Background()
	pdfOpt := PDFOptions{Browser: "fake"}

	var progress bytes.Buffer
	pdfOpt.Progress = &progress
	res, n, err := PDF(ctx, dir, dest, pdfOpt)
	if err != nil {
		t.Fatal(err)
	}
	all := len(PDFFiles(res.Site))
	if n != all || len(printer.take()) != all {
		t.Fatalf("flipchart pdf made %d PDFs, want all %d", n, all)
	}
	if !strings.Contains(progress.String(), fmt.Sprintf("%d printed, 0 current\n", all)) {
		t.Errorf("progress: %q", progress.String())
	}
	printed := readPDFs(t, dest)
	if len(printed) != all {
		t.Fatalf("%d PDFs in pdf/, want %d", len(printed), all)
	}

	// The manifest holds paths in the site and hashes, nothing of the machine.
	raw, err := os.ReadFile(filepath.Join(dest, "pdf", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{dir, dest, filepath.Dir(dest), os.TempDir(), "file:"} {
		if bytes.Contains(raw, []byte(filepath.ToSlash(s))) || bytes.Contains(raw, []byte(s)) {
			t.Errorf("the manifest holds %q:\n%s", s, raw)
		}
	}
	var m manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.PDFs) != all {
		t.Errorf("the manifest records %d PDFs, want %d", len(m.PDFs), all)
	}
	for p, rec := range m.PDFs {
		if !fs.ValidPath(p) || !fs.ValidPath(rec.Page) {
			t.Errorf("the manifest names %q from %q: not paths in the site", p, rec.Page)
		}
	}

	build := func(opt Options) *Result {
		t.Helper()
		res, err := ToDir(dir, dest, opt)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	// kept checks that the PDFs in dest are those printed, byte for byte,
	// and linked, and the others neither there nor linked.
	kept := func(want ...string) {
		t.Helper()
		got := readPDFs(t, dest)
		wantSet := map[string]bool{}
		for _, w := range want {
			wantSet[w] = true
			if !bytes.Equal(got[w], printed[w]) {
				t.Errorf("%s is not the PDF printed", w)
			}
		}
		if !sameSet(names(got), wantSet) {
			t.Errorf("PDFs in pdf/: %v, want %v", names(got), wantSet)
		}
		if l := linkedPDFs(t, dest); !sameSet(l, wantSet) {
			t.Errorf("PDFs linked: %v, want %v", l, wantSet)
		}
	}
	allNames := func() []string {
		var out []string
		for k := range printed {
			out = append(out, k)
		}
		return out
	}

	// An unchanged site keeps every PDF.
	res = build(Options{})
	if want := fmt.Sprintf("%d of %d PDFs current, ", all, all); !strings.Contains(res.Summary(), want) {
		t.Errorf("summary %q lacks %q", res.Summary(), want)
	}
	kept(allNames()...)
	// And again: the build recorded what it kept.
	build(Options{})
	kept(allNames()...)

	// A PDF that is not the file printed is dropped.
	tampered := filepath.Join(dest, "pdf", "session-02-handout.pdf")
	if err := os.WriteFile(tampered, []byte("%PDF-1.7 edited by hand\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res = build(Options{})
	if want := fmt.Sprintf("%d of %d PDFs current (run flipchart pdf for the rest), ", all-1, all); !strings.Contains(res.Summary(), want) {
		t.Errorf("summary %q lacks %q", res.Summary(), want)
	}
	var rest []string
	for _, k := range allNames() {
		if k != "session-02-handout.pdf" {
			rest = append(rest, k)
		}
	}
	kept(rest...)

	// flipchart pdf prints it alone.
	if _, _, err := PDF(ctx, dir, dest, pdfOpt); err != nil {
		t.Fatal(err)
	}
	if got := printer.take(); len(got) != 1 || got[0] != "session-02-handout.pdf" {
		t.Errorf("flipchart pdf printed %v, want session-02-handout.pdf alone", got)
	}
	if !strings.Contains(progress.String(), fmt.Sprintf("1 printed, %d current\n", all-1)) {
		t.Errorf("progress: %q", progress.String())
	}
	kept(allNames()...)

	// Another version of flipchart prints them again.
	res = build(Options{Version: "v99.0.0"})
	if res.PDFs == nil || res.PDFs.Current != 0 || res.PDFs.Total != all {
		t.Errorf("after a new version: %+v, want 0 of %d current", res.PDFs, all)
	}
	kept()
	// No PDF now, and none the build knows of: no count.
	if res = build(Options{}); res.PDFs != nil || strings.Contains(res.Summary(), "PDFs") {
		t.Errorf("a site without PDFs: %+v, summary %q", res.PDFs, res.Summary())
	}

	// A stylesheet changed: every PDF is printed again.
	if _, _, err := PDF(ctx, dir, dest, pdfOpt); err != nil {
		t.Fatal(err)
	}
	printer.take()
	printed = readPDFs(t, dest)
	sitetest.WriteFile(t, dir, "static/css/flipchart.css", "body { color: red }\n")
	res = build(Options{})
	if res.PDFs == nil || res.PDFs.Current != 0 {
		t.Errorf("after a stylesheet changed: %+v, want none current", res.PDFs)
	}
	kept()
	if err := os.Remove(filepath.Join(dir, "static", "css", "flipchart.css")); err != nil {
		t.Fatal(err)
	}

	// A session's body changed: its handout and the editions are printed
	// again, the others kept; --all prints them all.
	if _, _, err := PDF(ctx, dir, dest, pdfOpt); err != nil {
		t.Fatal(err)
	}
	printer.take()
	printed = readPDFs(t, dest)
	sitetest.WriteFile(t, dir, "content/a/02-two.md", strings.Replace(keepSite["content/a/02-two.md"], "Two's body.", "Two's new body.", 1))
	build(Options{})
	var unchanged []string
	for _, k := range allNames() {
		switch k {
		case "session-02-handout.pdf", "guide.pdf", "participants.pdf":
		default:
			unchanged = append(unchanged, k)
		}
	}
	kept(unchanged...)
	if _, _, err := PDF(ctx, dir, dest, PDFOptions{Browser: "fake", All: true}); err != nil {
		t.Fatal(err)
	}
	if got := printer.take(); len(got) != all {
		t.Errorf("flipchart pdf --all printed %v, want all %d", got, all)
	}
}

func TestPrintInputs(t *testing.T) {
	dir := t.TempDir()
	sitetest.WriteFiles(t, dir, map[string]string{
		"a/b/index.html": `<!doctype html><link rel="stylesheet" href="../../css/x.css"><link rel="next" href="../c/index.html">` +
			`<style>.q{background:url("../../img/bg.png")}</style><img src="../../img/p.png" srcset="../../img/p2.png 2x, ../../img/p3.png 3x">` +
			`<a href="../../other/index.html">x</a><script src="../../js/s.js"></script><img src="https://example.org/x.png"><img src="data:image/png;base64,AA">`,
		"css/x.css":   `@import "y.css"; body { background: url(../img/css.png) }`,
		"css/y.css":   `p { color: red }`,
		"css/z.css":   `p { color: blue }`,
		"img/p.png":   "p",
		"other/index": "x",
	})
	got, err := printInputs(dir, "a/b/index.html")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a/b/index.html", "css/x.css", "css/y.css", "css/z.css", "img/bg.png", "img/css.png", "img/p.png", "img/p2.png", "img/p3.png", "js/s.js"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("printInputs:\n got %v\nwant %v", got, want)
	}
}
