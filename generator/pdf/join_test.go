package pdf

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"flipchart/generator/browser"
)

var updateJoinParts = flag.Bool("update-join-parts", false, "write the parts that TestJoinChromium prints to testdata, as FuzzJoin's seeds")

// keepPartScript does to testdata/parts.html what the printer does before it
// prints a part: it removes the sections of the other parts (part 0 keeps
// them all); it adds hidden links to each element with an id, since
// Chromium writes a named destination only for an element that a link of
// the page goes to; and it points each link whose target is no longer on
// the page at CrossPartURL.
const keepPartScript = `(function (part, prefix) {
  if (part > 0) {
    document.querySelectorAll("section[data-part]").forEach(function (s) {
      if (s.dataset.part !== String(part)) { s.remove(); }
    });
  }
  var nav = document.createElement("nav");
  nav.hidden = true;
  document.querySelectorAll("[id]").forEach(function (e) {
    var a = document.createElement("a");
    a.setAttribute("href", "#" + encodeURIComponent(e.id));
    nav.appendChild(a);
  });
  document.body.appendChild(nav);
  document.querySelectorAll("a[href^='#']").forEach(function (a) {
    var id = decodeURIComponent(a.getAttribute("href").slice(1));
    if (!document.getElementById(id)) {
      a.setAttribute("href", prefix + encodeURIComponent(id));
    }
  });
  return 0;
})`

// printPart prints one part of testdata/parts.html (0 for the whole page)
// as printJob prints a page.
func printTestPart(t *testing.T, ctx context.Context, part int) []byte {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(fileURL(t, "parts.html"))); err != nil {
		t.Fatalf("loading the page for part %d: %v", part, err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.fonts.ready.then(() => true)`,
		chromedp.EvalAwaitPromise)); err != nil {
		t.Fatalf("waiting for fonts: %v", err)
	}
	args, _ := json.Marshal([]any{part, CrossPartURL})
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](keepPartScript+".apply(null, "+string(args)+")")); err != nil {
		t.Fatalf("keeping part %d: %v", part, err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](linksScript+`.apply(null, ["", ""])`)); err != nil {
		t.Fatalf("preparing the links of part %d: %v", part, err)
	}
	data, err := chromedp.Run(ctx, chromedp.PrintToPDF(
		chromedp.PDFPreferCSSPageSize(),
		chromedp.PDFPrintBackground(),
		chromedp.PDFOutlineAndTagged(),
		chromedp.PDFStream(),
		func(p *page.PrintToPDFParams) {
			no := false
			p.DisplayHeaderFooter = &no
		},
	))
	if err != nil {
		t.Fatalf("printing part %d: %v", part, err)
	}
	return data
}

// joinOutline is the outline of the joined test page. The item with no
// destination is left out and its kid takes its place.
var joinOutline = []OutlineItem{
	{Title: "Introduction", Dest: "intro", Kids: []OutlineItem{
		{Title: "Agenda (day one)", Dest: "agenda"},
	}},
	{Title: "Day two", Dest: "day-2", Kids: []OutlineItem{
		{Title: `Notes \ more`, Dest: "notes", Kids: []OutlineItem{
			{Title: "Footnote 1", Dest: "fn:1"},
		}},
	}},
	{Title: "Not printed", Dest: "no-such-id", Kids: []OutlineItem{
		{Title: "الخطوات التالية", Dest: "ar-خطوات"},
	}},
}

// wantOutline is joinOutline as qpdf shows it, each title followed by the
// id whose page it goes to.
const wantOutline = "Introduction>intro [Agenda (day one)>agenda] | Day two>day-2 [Notes \\ more>notes [Footnote 1>fn:1]] | الخطوات التالية>ar-خطوات"

func TestJoinChromium(t *testing.T) {
	ctx := browser.ForTest(t)
	dir := t.TempDir()
	var parts [][]byte
	var docs []*qpdfDoc
	var paths []string
	for i := 1; i <= 3; i++ {
		data := printTestPart(t, ctx, i)
		parts = append(parts, data)
		path := filepath.Join(dir, fmt.Sprintf("part-%d.pdf", i))
		writeTestFile(t, path, data)
		paths = append(paths, path)
		docs = append(docs, loadQPDF(t, path))
		if *updateJoinParts {
			writeTestFile(t, filepath.Join("testdata", fmt.Sprintf("join-part-%d.pdf", i)), data)
		}
	}
	joined, err := Join(parts, joinOutline)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "joined.pdf")
	writeTestFile(t, path, joined)
	checkQPDF(t, path)
	doc := loadQPDF(t, path)

	// Pages: all of them, in order, each with the text it had in its part.
	var offsets []int // the joined page before each part's first
	total := 0
	for i, p := range paths {
		offsets = append(offsets, total)
		n, err := strconv.Atoi(pdfinfo(t, p)["Pages"])
		if err != nil || n != len(docs[i].Pages) {
			t.Fatalf("part %d: pdfinfo and qpdf disagree on the pages", i+1)
		}
		total += n
	}
	if got := pdfinfo(t, path)["Pages"]; got != strconv.Itoa(total) {
		t.Fatalf("the joined PDF has %s pages, want %d", got, total)
	}
	for i, p := range paths {
		for k := 1; k <= len(docs[i].Pages); k++ {
			want := pageText(t, p, k)
			if got := pageText(t, path, offsets[i]+k); got != want {
				t.Errorf("page %d of the joined PDF (page %d of part %d) has the text\n%s\nwant\n%s", offsets[i]+k, k, i+1, got, want)
			}
		}
	}

	// Where each id is in the joined file: in the first part that has it.
	pageOf := map[string]int{}
	for i, d := range docs {
		for id, pg := range d.dests() {
			if _, ok := pageOf[id]; !ok {
				pageOf[id] = offsets[i] + pg
			}
		}
	}
	for _, id := range []string{"intro", "agenda", "day-2", "notes", "fn:1", "ar-خطوات"} {
		if _, ok := pageOf[id]; !ok {
			t.Errorf("no part has a named destination for %q", id)
		}
	}
	if got := doc.dests(); !mapsEqual(got, pageOf) {
		t.Errorf("the joined PDF's named destinations go to %v, want %v", got, pageOf)
	}

	// The outline.
	if got := doc.outline(doc.Outlines); got != wantOutline {
		t.Errorf("outline:\n%s\nwant\n%s", got, wantOutline)
	}
	for _, o := range doc.Outlines {
		if o.Open != (len(o.Kids) == 0) {
			t.Errorf("outline item %q is open %v, want its kids hidden", o.Title, o.Open)
		}
	}
	if cat := doc.catalog(); cat["/PageMode"] != "/UseOutlines" || cat["/Lang"] != "u:en" || cat["/ViewerPreferences"] == nil {
		t.Errorf("catalog: %v", cat)
	}

	// Links: each goes where it went in its part, or to its section in the
	// part that has it.
	crossLinks := 0
	for i, d := range docs {
		for k := range d.Pages {
			partLinks := d.annots(k)
			links := doc.annots(offsets[i] + k)
			if len(links) != len(partLinks) {
				t.Errorf("page %d of part %d has %d annotations, %d in the joined PDF", k+1, i+1, len(partLinks), len(links))
				continue
			}
			for n, a := range partLinks {
				var id string
				if name, ok := a["/Dest"].(string); ok {
					id = nameID(name)
				} else if act, ok := a["/A"].(map[string]any); ok {
					uri := qpdfString(act["/URI"])
					if !strings.HasPrefix(uri, CrossPartURL) {
						t.Fatalf("part %d links to %q", i+1, uri)
					}
					id = percentDecode(strings.TrimPrefix(uri, CrossPartURL))
					crossLinks++
				}
				got := links[n]
				name, _ := got["/Dest"].(string)
				if got["/A"] != nil || name == "" {
					t.Errorf("link %d on page %d of part %d (to %q) is %v in the joined PDF, want a /Dest", n, k+1, i+1, id, got)
					continue
				}
				if pg := doc.dests()[nameID(name)]; pg != pageOf[id] || pg == 0 {
					t.Errorf("link %d on page %d of part %d goes to page %d, want %d (%q)", n, k+1, i+1, pg, pageOf[id], id)
				}
			}
		}
	}
	if crossLinks < 3 {
		t.Errorf("the parts have %d links to other parts, want at least 3: the test does not test them", crossLinks)
	}
	for _, text := range []string{run(t, "pdftotext", path, "-"), string(joined)} {
		if strings.Contains(text, "flipchart.invalid") {
			t.Error("the joined PDF holds flipchart.invalid")
		}
	}
	if found := Traces(joined, []string{"flipchart.invalid"}); len(found) > 1 || found != nil && found[0] != "file:/" {
		t.Errorf("the joined PDF holds %q", found)
	}

	checkStructTree(t, doc, len(parts))

	// The printer adds /Info to the joined file as to any other.
	d, err := parse(joined)
	if err != nil {
		t.Fatal(err)
	}
	withInfo, err := d.withInfo(map[string]string{"Title": "Joined — edition", "Creator": Creator})
	if err != nil {
		t.Fatal(err)
	}
	infoPath := filepath.Join(dir, "info.pdf")
	writeTestFile(t, infoPath, withInfo)
	checkQPDF(t, infoPath)
	if info := pdfinfo(t, infoPath); info["Title"] != "Joined — edition" || info["Pages"] != strconv.Itoa(total) || info["Tagged"] != "yes" {
		t.Errorf("pdfinfo after withInfo: %v", info)
	}

	// One part: the whole page, with the outline.
	whole := printTestPart(t, ctx, 0)
	one, err := Join([][]byte{whole}, joinOutline)
	if err != nil {
		t.Fatal(err)
	}
	onePath := filepath.Join(dir, "one.pdf")
	writeTestFile(t, onePath, one)
	checkQPDF(t, onePath)
	if got := pdfinfo(t, onePath)["Pages"]; got != strconv.Itoa(total) {
		t.Errorf("the whole page joined alone has %s pages, want %d", got, total)
	}
	oneDoc := loadQPDF(t, onePath)
	if got := oneDoc.outline(oneDoc.Outlines); got != wantOutline {
		t.Errorf("outline of the whole page:\n%s\nwant\n%s", got, wantOutline)
	}
	for k := 1; k <= total; k++ {
		if got, want := pageText(t, onePath, k), pageText(t, infoPath, k); strings.Fields(got)[0] != strings.Fields(want)[0] {
			t.Errorf("page %d of the whole page starts %q, of the joined parts %q", k, strings.Fields(got)[0], strings.Fields(want)[0])
		}
	}
	checkStructTree(t, oneDoc, 1)

	// No outline: no /Outlines.
	bare, err := Join(parts, nil)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(bare, []byte("/Outlines")) || bytes.Contains(bare, []byte("/PageMode")) {
		t.Error("a PDF joined with no outline has /Outlines or /PageMode")
	}
}

// checkStructTree checks the structure tree of a joined file: one root whose
// kids are the parts' documents, each pointing back at it, and a parent tree
// that has each key a page or annotation names, going to its elements.
func checkStructTree(t *testing.T, doc *qpdfDoc, parts int) {
	t.Helper()
	rootRef, _ := doc.catalog()["/StructTreeRoot"].(string)
	root := doc.obj(rootRef)
	kids, _ := root["/K"].([]any)
	if len(kids) != parts {
		t.Errorf("the structure tree root has %d kids, want %d (one per part)", len(kids), parts)
	}
	for _, k := range kids {
		if p := doc.obj(k.(string))["/P"]; p != rootRef {
			t.Errorf("structure element %s has /P %v, want the root %s", k, p, rootRef)
		}
	}
	nums := doc.obj(root["/ParentTree"].(string))["/Nums"].([]any)
	tree := map[int]any{}
	maxKey := -1
	for i := 0; i+1 < len(nums); i += 2 {
		k := int(nums[i].(float64))
		if _, dup := tree[k]; dup {
			t.Errorf("the parent tree has key %d twice", k)
		}
		tree[k] = nums[i+1]
		maxKey = max(maxKey, k)
	}
	if next := int(root["/ParentTreeNextKey"].(float64)); next <= maxKey {
		t.Errorf("/ParentTreeNextKey %d, but the parent tree has key %d", next, maxKey)
	}
	used := 0
	for i, pageRef := range doc.Pages {
		page := doc.obj(pageRef.Object)
		key, ok := page["/StructParents"].(float64)
		if !ok {
			t.Errorf("page %d has no /StructParents", i+1)
			continue
		}
		used++
		elems, _ := doc.resolve(tree[int(key)]).([]any)
		if len(elems) == 0 {
			t.Errorf("page %d: the parent tree has nothing for its key %v", i+1, key)
		}
		for _, e := range elems {
			if e == nil {
				continue
			}
			if pg := doc.obj(e.(string))["/Pg"]; pg != nil && pg != pageRef.Object {
				t.Errorf("page %d: structure element %s of its key %v is on %v", i+1, e, key, pg)
			}
		}
		annots, _ := doc.resolve(page["/Annots"]).([]any)
		for _, a := range annots {
			key, ok := doc.obj(a.(string))["/StructParent"].(float64)
			if !ok {
				continue
			}
			used++
			elem, _ := tree[int(key)].(string)
			found := false
			for _, k := range asList(doc.obj(elem)["/K"]) {
				if m, ok := k.(map[string]any); ok && m["/Obj"] == a {
					found = true
				}
			}
			if !found {
				t.Errorf("page %d: annotation %s has /StructParent %v, whose element %q does not hold it", i+1, a, key, elem)
			}
		}
	}
	if used != len(tree) {
		t.Errorf("pages and annotations use %d keys of the parent tree, which has %d", used, len(tree))
	}
	// A table cell's /Headers name header cells of its own page.
	ids := map[string]string{}
	if idTree, ok := root["/IDTree"].(string); ok {
		names := doc.obj(idTree)["/Names"].([]any)
		for i := 0; i+1 < len(names); i += 2 {
			ids[qpdfString(names[i])] = names[i+1].(string)
		}
	}
	headers := 0
	for ref, o := range doc.Objects {
		v, _ := o.Value.(map[string]any)
		if v["/S"] != "/TD" {
			continue
		}
		for _, a := range asList(v["/A"]) {
			for _, h := range asList(a.(map[string]any)["/Headers"]) {
				headers++
				th := doc.obj(ids[qpdfString(h)])
				if th["/S"] != "/TH" || doc.obj(asList(th["/K"])[0].(string))["/Pg"] != doc.obj(asList(v["/K"])[0].(string))["/Pg"] {
					t.Errorf("cell %s has header %q, which is %v", ref, qpdfString(h), th)
				}
			}
		}
	}
	if headers == 0 {
		t.Error("no table cell names its headers: the test does not test them")
	}
}

// qpdfDoc is what qpdf --json (version 2) shows of a PDF.
type qpdfDoc struct {
	Pages []struct {
		Object string `json:"object"`
	} `json:"pages"`
	Outlines []qpdfOutline     `json:"outlines"`
	QPDF     []json.RawMessage `json:"qpdf"`
	Objects  map[string]struct {
		Value any `json:"value"`
	} `json:"-"`
}

type qpdfOutline struct {
	Title string        `json:"title"`
	Dest  any           `json:"dest"`
	Open  bool          `json:"open"`
	Kids  []qpdfOutline `json:"kids"`
}

func loadQPDF(t *testing.T, path string) *qpdfDoc {
	t.Helper()
	if _, err := exec.LookPath("qpdf"); err != nil {
		if os.Getenv(browser.EnvRequire) == "1" {
			t.Fatalf("qpdf is missing (apt-get install qpdf): %v", err)
		}
		t.Skip("skipping: qpdf is missing (apt-get install qpdf)")
	}
	out, err := exec.Command("qpdf", "--json=2", "--json-stream-data=none", path).Output()
	if err != nil {
		t.Fatalf("qpdf --json %s: %v", path, err)
	}
	var d qpdfDoc
	if err := json.Unmarshal(out, &d); err != nil || len(d.QPDF) < 2 {
		t.Fatalf("qpdf --json %s: %v", path, err)
	}
	if err := json.Unmarshal(d.QPDF[1], &d.Objects); err != nil {
		t.Fatalf("qpdf --json %s: objects: %v", path, err)
	}
	return &d
}

// obj returns the dictionary of the object ref ("12 0 R").
func (d *qpdfDoc) obj(ref string) map[string]any {
	m, _ := d.Objects["obj:"+ref].Value.(map[string]any)
	return m
}

// resolve returns the value of the object that v refers to, or v.
func (d *qpdfDoc) resolve(v any) any {
	if s, ok := v.(string); ok && strings.HasSuffix(s, " R") {
		return d.Objects["obj:"+s].Value
	}
	return v
}

func (d *qpdfDoc) catalog() map[string]any {
	var trailer map[string]any
	if v, ok := d.Objects["trailer"].Value.(map[string]any); ok {
		trailer = v
	}
	root, _ := trailer["/Root"].(string)
	return d.obj(root)
}

// dests returns the page (from 1) of each named destination, by id.
func (d *qpdfDoc) dests() map[string]int {
	pages := map[string]int{}
	for i, p := range d.Pages {
		pages[p.Object] = i + 1
	}
	m := map[string]int{}
	dests, _ := d.resolve(d.catalog()["/Dests"]).(map[string]any)
	for name, v := range dests {
		arr, _ := d.resolve(v).([]any)
		if len(arr) > 0 {
			m[nameID(name)] = pages[arr[0].(string)]
		}
	}
	return m
}

// annots returns the annotations of page i (from 0).
func (d *qpdfDoc) annots(i int) []map[string]any {
	var list []map[string]any
	annots, _ := d.resolve(d.obj(d.Pages[i].Object)["/Annots"]).([]any)
	for _, a := range annots {
		list = append(list, d.obj(a.(string)))
	}
	return list
}

// outline renders the outline items as "title>id [kids]", naming the
// named destination whose place each goes to.
func (d *qpdfDoc) outline(items []qpdfOutline) string {
	var parts []string
	dests, _ := d.resolve(d.catalog()["/Dests"]).(map[string]any)
	for _, o := range items {
		ids := []string{}
		want, _ := json.Marshal(o.Dest)
		for name, v := range dests {
			if got, _ := json.Marshal(d.resolve(v)); bytes.Equal(got, want) {
				ids = append(ids, nameID(name))
			}
		}
		slices.Sort(ids)
		s := o.Title + ">" + strings.Join(ids, ",")
		if len(o.Kids) > 0 {
			s += " [" + d.outline(o.Kids) + "]"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " | ")
}

// nameID returns the element id of a named destination as qpdf shows its
// name: "/fn#253A1" is fn:1.
func nameID(name string) string {
	return percentDecode(string(decodeName([]byte(strings.TrimPrefix(name, "/")))))
}

// qpdfString decodes a string as qpdf --json shows it: "u:text" or "b:hex".
func qpdfString(v any) string {
	s, _ := v.(string)
	if text, ok := strings.CutPrefix(s, "u:"); ok {
		return text
	}
	if hex, ok := strings.CutPrefix(s, "b:"); ok {
		b, _ := decodeString([]byte("<" + hex + ">"))
		return string(b)
	}
	return s
}

func asList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	if v == nil {
		return nil
	}
	return []any{v}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// checkQPDF checks that qpdf finds no error and gives no warning.
func checkQPDF(t *testing.T, path string) {
	t.Helper()
	if _, err := exec.LookPath("qpdf"); err != nil {
		if os.Getenv(browser.EnvRequire) == "1" {
			t.Fatalf("qpdf is missing (apt-get install qpdf): %v", err)
		}
		t.Skip("skipping: qpdf is missing (apt-get install qpdf)")
	}
	out, err := exec.Command("qpdf", "--check", path).CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("No syntax or stream encoding errors found")) || bytes.Contains(bytes.ToLower(out), []byte("warning")) {
		t.Errorf("qpdf --check %s: %v\n%s", filepath.Base(path), err, out)
	}
}

// pageText returns the text of page n of a PDF.
func pageText(t *testing.T, path string, n int) string {
	t.Helper()
	return run(t, "pdftotext", "-f", strconv.Itoa(n), "-l", strconv.Itoa(n), "-layout", path, "-")
}

func writeTestFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// handPDF returns a PDF with the objects given (object n is objs[n-1]) and a
// trailer whose /Root is object 1.
func handPDF(objs ...string) []byte { return handPDFTrailer("", objs...) }

// handPDFTrailer is handPDF with more entries in its trailer (" /Info 4 0 R").
func handPDFTrailer(more string, objs ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xd3\xeb\xe9\xe1\n")
	var offsets []int
	for i, o := range objs {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<</Size %d /Root 1 0 R%s>>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, more, xref)
	return b.Bytes()
}

// Bytes of the hand-written parts that look like references, or end an
// object, but are strings, comments or stream data: Join copies them as
// they are.
const (
	trickyString  = `(a string with 1 0 R, \) and \\ and (nested 2 0 R) parens)`
	trickyHex     = `<3120302052>`
	trickyComment = "% a comment with 3 0 R\n"
	trickyStream  = "BT (4 0 R endobj) Tj ET\nendstream? no: 5 0 R\n"
)

// handParts returns two hand-written parts, as Chromium would write them
// but for the tricky bytes above: each with a page, a link (part one's to
// an id in part two), a structure tree with the same ID, and named
// destinations, one of them in both.
func handParts() [][]byte {
	a := handPDF(
		"<</Type /Catalog /Pages 2 0 R /Dests 11 0 R /StructTreeRoot 6 0 R /MarkInfo <</Marked true>> /Lang (en-GB) /Outlines 12 0 R>>",
		"<</Type /Pages /Kids [3 0 R] /Count 1 "+trickyComment+"/MediaBox [0 0 200 100] /Resources <<>>>>",
		"<</Type /Page /Parent 2 0 R /Contents 4 0 R /Annots [5 0 R 8 0 R] /StructParents 0 /PieceInfo "+trickyString+" /X "+trickyHex+">>",
		fmt.Sprintf("<</Length 7 0 R>>\nstream\n%sendstream", trickyStream),
		"<</Type /Annot /Subtype /Link /Rect [0 0 10 10] /A <</S /URI /URI (https://flipchart.invalid/dest#b%3A1)>> /StructParent 1>>",
		"<</Type /StructTreeRoot /K 9 0 R /ParentTree <</Nums [0 [10 0 R] 1 9 0 R]>> /ParentTreeNextKey 2 /IDTree <</Names [(x) 10 0 R]>> /RoleMap <</Aside /Note>>>>",
		strconv.Itoa(len(trickyStream)),
		"<</Type /Annot /Subtype /Link /Rect [0 0 10 10] /A <</S /URI /URI (https://flipchart.invalid/dest#nowhere)>>>>",
		"<</Type /StructElem /S /Document /P 6 0 R /K [10 0 R <</Type /OBJR /Obj 5 0 R>>]>>",
		"<</Type /StructElem /S /P /P 9 0 R /Pg 3 0 R /K 0 /ID (x)>>",
		"<</a [3 0 R /XYZ 0 100 0] /fn#253A1 [3 0 R /Fit]>>",
		"<</Type /Outlines /First 13 0 R /Last 13 0 R /Count 1>>",
		"<</Title (Old) /Parent 12 0 R /Dest /a>>",
	)
	return [][]byte{a, handPDF(handObjects()...)}
}

// handObjects returns the objects of the second hand-written part.
func handObjects() []string {
	return []string{
		"<</Type /Catalog /Pages 2 0 R /Dests <</b:1 [3 0 R /XYZ 0 50 0] /a [3 0 R /Fit]>> /StructTreeRoot 5 0 R /Lang (fr)>>",
		"<</Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 300 150]>>",
		"<</Type /Page /Parent 2 0 R /Contents 4 0 R /StructParents 0 /Annots 8 0 R>>",
		"<</Length 9>>\nstream\n(x) 1 0 R\nendstream",
		"<</Type /StructTreeRoot /K [6 0 R] /ParentTree 7 0 R /ParentTreeNextKey 1 /IDTree <</Kids [10 0 R]>> /RoleMap <</Aside /Span /Margin /Note>>>>",
		"<</Type /StructElem /S /Document /P 5 0 R /K [(x) <</ID (x)>> 9 0 R]>>",
		"<</Nums [0 [9 0 R]]>>",
		"[11 0 R]",
		"<</Type /StructElem /S /P /P 6 0 R /Pg 3 0 R /K 0 /ID (x)>>",
		"<</Limits [(x) (x)] /Names [(x) 9 0 R]>>",
		"<</Type /Annot /Subtype /Link /Rect [0 0 10 10] /Dest /a>>",
	}
}

func TestJoinHandWritten(t *testing.T) {
	parts := handParts()
	outline := []OutlineItem{
		{Title: "Footnote", Dest: "fn:1"},
		{Title: "Gone", Dest: "gone", Kids: []OutlineItem{{Title: "B (one)", Dest: "b:1"}, {Title: "A", Dest: "a"}}},
	}
	out, err := Join(parts, outline)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "joined.pdf")
	writeTestFile(t, path, out)
	checkQPDF(t, path)
	for _, keep := range []string{trickyString, trickyHex, trickyComment, "stream\n" + trickyStream + "endstream", "stream\n(x) 1 0 R\nendstream"} {
		if !bytes.Contains(out, []byte(keep)) {
			t.Errorf("the joined PDF lacks %q", keep)
		}
	}
	for _, gone := range []string{"flipchart.invalid", "(Old)", "/Info"} {
		if bytes.Contains(out, []byte(gone)) {
			t.Errorf("the joined PDF holds %q", gone)
		}
	}
	doc := loadQPDF(t, path)
	if len(doc.Pages) != 2 || doc.obj(doc.Pages[0].Object)["/Contents"] == nil {
		t.Fatalf("pages: %v", doc.Pages)
	}
	// Each part's page tree keeps its inherited /MediaBox.
	for i, want := range []string{"200 x 100", "300 x 150"} {
		info := run(t, "pdfinfo", "-f", strconv.Itoa(i+1), "-l", strconv.Itoa(i+1), path)
		if !strings.Contains(info, want) {
			t.Errorf("page %d is not %s pts:\n%s", i+1, want, info)
		}
	}
	// The first part's /a wins; the names are as each part wrote them.
	if got, want := doc.dests(), map[string]int{"a": 1, "fn:1": 1, "b:1": 2}; !mapsEqual(got, want) {
		t.Errorf("named destinations %v, want %v", got, want)
	}
	if got, want := doc.outline(doc.Outlines), "Footnote>fn:1 | B (one)>b:1 | A>a"; got != want {
		t.Errorf("outline %q, want %q", got, want)
	}
	links := doc.annots(0)
	if len(links) != 2 || links[0]["/Dest"] != "/b:1" || links[0]["/A"] != nil || links[1]["/Dest"] != nil || links[1]["/A"] != nil {
		t.Errorf("links of page 1: %v; want one to /b:1 and one with no target", links)
	}
	if links := doc.annots(1); len(links) != 1 || links[0]["/Dest"] != "/a" {
		t.Errorf("links of page 2: %v", links)
	}
	cat := doc.catalog()
	if cat["/Lang"] != "u:en-GB" || cat["/PageMode"] != "/UseOutlines" {
		t.Errorf("catalog %v", cat)
	}
	root := doc.obj(cat["/StructTreeRoot"].(string))
	if rm := root["/RoleMap"].(map[string]any); rm["/Aside"] != "/Note" || rm["/Margin"] != "/Note" {
		t.Errorf("role map %v", rm)
	}
	if root["/ParentTreeNextKey"] != 3.0 {
		t.Errorf("/ParentTreeNextKey %v, want 3", root["/ParentTreeNextKey"])
	}
	if got := doc.obj(doc.Pages[1].Object)["/StructParents"]; got != 2.0 {
		t.Errorf("page 2 /StructParents %v, want 2", got)
	}
	// Part two's ID x, taken by part one, is renamed where it is an ID and
	// nowhere else.
	names := doc.obj(root["/IDTree"].(string))["/Names"].([]any)
	if len(names) != 4 || names[0] != "u:x" || names[2] != "u:x-2" {
		t.Fatalf("ID tree %v, want x and x-2", names)
	}
	if elem := doc.obj(names[3].(string)); elem["/ID"] != "u:x-2" {
		t.Errorf("part two's element with ID x: %v", elem)
	}
	if !bytes.Contains(out, []byte("/K [(x-2) <</ID (x-2)>>")) {
		t.Errorf("part two's strings in structure elements are not renamed:\n%s", out)
	}
	checkStructTreeHand(t, doc)

	// One part alone, with no outline.
	one, err := Join(parts[1:], nil)
	if err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, path, one)
	checkQPDF(t, path)
	if bytes.Contains(one, []byte("/Outlines")) {
		t.Error("a PDF joined with no outline has /Outlines")
	}
}

// checkStructTreeHand checks the structure tree of the hand-written parts
// joined: the roots' kids point at the new root.
func checkStructTreeHand(t *testing.T, doc *qpdfDoc) {
	t.Helper()
	rootRef := doc.catalog()["/StructTreeRoot"].(string)
	kids := doc.obj(rootRef)["/K"].([]any)
	if len(kids) != 2 {
		t.Fatalf("the structure tree root has kids %v, want 2", kids)
	}
	for _, k := range kids {
		if p := doc.obj(k.(string))["/P"]; p != rootRef {
			t.Errorf("%s has /P %v, want %s", k, p, rootRef)
		}
	}
}

func TestJoinRefuses(t *testing.T) {
	good := handParts()[1]
	noPages := handPDF("<</Type /Catalog>>")
	// changed returns the second hand-written part with old changed to new
	// in its objects.
	changed := func(old, new string) []byte {
		objs := handObjects()
		for i := range objs {
			objs[i] = strings.Replace(objs[i], old, new, 1)
		}
		return handPDF(objs...)
	}
	for name, data := range map[string][]byte{
		"xref stream":   fmt.Appendf(nil, "%%PDF-1.5\n1 0 obj\n<</Type /XRef /Size 2>>\nendobj\nstartxref\n9\n%%%%EOF\n"),
		"encrypted":     bytes.Replace(good, []byte("/Root 1 0 R"), []byte("/Root 1 0 R /Encrypt 2 0 R"), 1),
		"no page tree":  noPages,
		"truncated":     good[:len(good)/2],
		"short stream":  changed("/Length 9", "/Length 4"),
		"long stream":   changed("/Length 9", "/Length 99999"),
		"no length":     changed("/Length 9", ""),
		"page loop":     changed("/Kids [3 0 R]", "/Kids [2 0 R]"),
		"not a page":    changed("/Type /Page /Parent", "/Type /Font /Parent"),
		"bad reference": changed("/Pages 2 0 R", "/Pages 99 0 R"),
		"deep":          changed("/MediaBox [0 0 300 150]", "/MediaBox "+strings.Repeat("[", 1000)+strings.Repeat("]", 1000)),
		"open string":   changed("/ID (x)>>", "/ID (x>>"),
		"tree loop":     changed("/Limits [(x) (x)] /Names [(x) 9 0 R]", "/Kids [10 0 R]"),
		"annots":        changed("[11 0 R]", "[<</Type /Annot>>]"),
		"empty":         nil,
	} {
		_, err := Join([][]byte{handParts()[0], data}, joinOutline)
		if err == nil || !strings.Contains(err.Error(), "part 2 of 2") {
			t.Errorf("%s: error %v, want one that names part 2 of 2", name, err)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
	if _, err := Join(nil, nil); err == nil {
		t.Error("joining no parts succeeded")
	}
}

// FuzzJoin checks that Join returns an error, never panics, on damaged
// parts, and that what it returns is a PDF that parse reads. The seeds are
// parts Chromium printed (testdata/join-part-*.pdf, written by
// go test -run TestJoinChromium -update-join-parts) and the hand-written
// ones. The seeds are large for Go's fuzzer, which spends its time
// minimizing them: fuzz with -fuzzminimizetime 0.
func FuzzJoin(f *testing.F) {
	hand := handParts()
	f.Add(hand[0], hand[1])
	printed, _ := filepath.Glob(filepath.Join("testdata", "join-part-*.pdf"))
	var seeds [][]byte
	for _, p := range printed {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, data)
	}
	for i := range seeds {
		f.Add(seeds[i], seeds[(i+1)%len(seeds)])
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		for _, parts := range [][][]byte{{a}, {a, b}} {
			out, err := Join(parts, joinOutline)
			if err != nil {
				continue
			}
			doc, err := parse(out)
			if err != nil {
				t.Fatalf("Join made a PDF that parse cannot read: %v", err)
			}
			if _, err := doc.pages(); err != nil {
				t.Fatalf("Join made a PDF without a page tree: %v", err)
			}
		}
	})
}
