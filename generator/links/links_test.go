package links

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

func TestRewrite(t *testing.T) {
	for _, c := range []struct{ file, in, want string }{
		{"index.html", `<a href="/day-3/09-x/index.html#ex">x</a>`, `<a href="day-3/09-x/index.html#ex">x</a>`},
		{"day-3/11-y/handout/index.html", `<a href="/day-3/09-x/index.html">x</a>`, `<a href="../../../day-3/09-x/index.html">x</a>`},
		{"day-3/index.html", `<a href="/day-3/">d</a><a href="/">h</a>`, `<a href="../day-3/index.html">d</a><a href="../index.html">h</a>`},
		{"a/index.html", `<img src="/img/logo.png" alt="/img/x.png">`, `<img src="../img/logo.png" alt="/img/x.png">`},
		{"a/index.html", `<a href="/s?q=1&amp;r=2#f">s</a>`, `<a href="../s?q=1&amp;r=2#f">s</a>`},
		{"a/index.html", `<a href='/x.html' class=c>x</a><a href=/y.html>y</a>`, `<a href='../x.html' class=c>x</a><a href=../y.html>y</a>`},
		{"a/index.html", `<img srcset="/a.png 1x, /b.png 2x">`, `<img srcset="../a.png 1x, ../b.png 2x">`},
		{"a/index.html", `<div style="background: url('/bg.png')">`, `<div style="background: url('../bg.png')">`},
		{"a/index.html", `<style>p { background: url(/bg.png) } a > b {}</style><p>/x</p>`, `<style>p { background: url(../bg.png) } a > b {}</style><p>/x</p>`},
		{"a/index.html", `<script>var a = '<a href="/x">';</script>`, `<script>var a = '<a href="/x">';</script>`},
		{"a/index.html", `<!-- <a href="/x"> --><p title="a > b" data-x="/y">`, `<!-- <a href="/x"> --><p title="a > b" data-x="/y">`},
		{"a/index.html", `<a href="//cdn.example/x">x</a><a href="https://e.org/">e</a><a href="mailto:a@e.org">m</a>`,
			`<a href="//cdn.example/x" rel="external noopener noreferrer" class="external">x</a><a href="https://e.org/" rel="external noopener noreferrer" class="external">e</a><a href="mailto:a@e.org">m</a>`},
		{"css/site.css", `@import "/css/base.css"; p { background: url("/img/a.png") }`, `@import "../css/base.css"; p { background: url("../img/a.png") }`},
		{"css/site.css", `@import url(/css/a.css); @import '/css/b.css'; i { src: URL( /f.woff2 ) }`, `@import url(../css/a.css); @import '../css/b.css'; i { src: URL( ../f.woff2 ) }`},
		{"a/index.html", `<p>1 < 2 and <br/> <input disabled></p>`, `<p>1 < 2 and <br/> <input disabled></p>`},
	} {
		got := string(NewIndex().Rewrite(c.file, []byte(c.in), nil))
		if got != c.want {
			t.Errorf("%s: %s\n got %s\nwant %s", c.file, c.in, got, c.want)
		}
	}
}

// A file streamed in pieces, cut anywhere, comes out as it does whole, and
// records the same links.
func TestStreamEqualsRewrite(t *testing.T) {
	page := `<!DOCTYPE html><html><head><style>p{background:url(/bg.png)}</style></head>` +
		`<body><!-- c --><a href="/day-1/index.html#top" id="top">x</a><img srcset="/a.png 1x, /b.png 2x" src='/c.png'>` +
		`<script>if (a < b) { x = "<p>"; }</script><p title="a>b">/d</p><a href=/e/>e</a></body></html>`
	ix := NewIndex()
	want := string(ix.Rewrite("x/index.html", []byte(page), nil))
	for cut := 1; cut < len(page); cut++ {
		var out bytes.Buffer
		six := NewIndex()
		w := six.Stream("x/index.html", &out, nil)
		w.Write([]byte(page[:cut]))
		w.Write([]byte(page[cut:]))
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if out.String() != want {
			t.Fatalf("cut at %d:\n got %s\nwant %s", cut, out.String(), want)
		}
		if got, w := len(six.files["x/index.html"].links), len(ix.files["x/index.html"].links); got != w {
			t.Fatalf("cut at %d: %d links recorded, want %d", cut, got, w)
		}
	}
}

func TestCheck(t *testing.T) {
	for _, ix := range []*Index{NewIndex(), NewLiveIndex()} {
		testCheck(t, ix)
	}
}

func testCheck(t *testing.T, ix *Index) {
	ix.Rewrite("css/x.css", []byte(`p { background: url(../img/missing.png) }`), &Origin{File: "static/css/x.css"})
	ix.Rewrite("index.html", []byte(`<h1 id="top">T</h1><a href="/a/index.html#goal">a</a><a href="#top">t</a><a href="#nope">n</a>`+
		`<link rel="stylesheet" href="/css/x.css"><a href="https://example.org/">e</a><a href="file:///home/me/x.html">f</a>`),
		&Origin{File: "content/_index.md", Template: "home.html", Links: []Link{{URL: "/a/index.html#goal", Line: 7, Col: 3}}})
	ix.Rewrite("a/index.html", []byte(`<h2 id="steps">S</h2><a href="../index.html#top">up</a><a href="../b/">b</a>`), &Origin{File: "content/a.md"})
	var got []string
	for _, b := range ix.Check(nil) {
		got = append(got, b.File+" -> "+b.Target+" "+b.Origin+":"+itoa(b.Line)+" id="+boolStr(b.MissingID))
	}
	want := []string{
		"a/index.html -> b/index.html content/a.md:0 id=false",
		"css/x.css -> img/missing.png static/css/x.css:0 id=false",
		"index.html -> a/index.html#goal content/_index.md:7 id=true",
		"index.html -> file:///home/me/x.html content/_index.md:0 id=false",
		"index.html -> index.html#nope content/_index.md:0 id=true",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("broken links:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	pages, _ := ix.Unlinked()
	if strings.Join(pages, " ") != "" {
		t.Errorf("unlinked pages: %v, want none (a/ is linked from the home page)", pages)
	}
	ix.Rewrite("b/index.html", []byte(`<p>alone</p>`), nil)
	if pages, _ := ix.Unlinked(); strings.Join(pages, " ") != "" {
		t.Errorf("unlinked pages: %v, want none (b/ is linked from a/)", pages)
	}
	ix.Rewrite("c/index.html", []byte(`<a href="#x" id="x">me</a>`), nil)
	if pages, _ := ix.Unlinked(); strings.Join(pages, " ") != "c/index.html" {
		t.Errorf("unlinked pages: %v, want c/index.html (a link to itself does not count)", pages)
	}
	if !ix.perFile {
		return
	}
	// b/ is rewritten with an ID a/ does not link, and c/ gone: a/'s link
	// to b/ is checked again, right now; index.html's to c/ is not its.
	ix.Rewrite("b/index.html", []byte(`<p id="x">again</p>`), nil)
	if got := ix.CheckChanged([]string{"b/index.html"}, nil); len(got) != 0 {
		t.Errorf("CheckChanged(b) = %v, want nothing broken", got)
	}
	ix.Rewrite("a/index.html", []byte(`<a href="../b/#gone">b</a>`), &Origin{File: "content/a.md"})
	ix.Rewrite("b/index.html", []byte(`<p>no IDs</p>`), nil)
	if got := ix.CheckChanged([]string{"b/index.html"}, nil); len(got) != 1 || got[0].File != "a/index.html" || got[0].Target != "b/index.html#gone" {
		t.Errorf("CheckChanged(b) = %v, want a/'s link to b/#gone", got)
	}
	if got := len(ix.Check([]string{"index.html"})); got != 3 {
		t.Errorf("Check(index.html) found %d broken links, want 3", got)
	}
}

func TestHasScheme(t *testing.T) {
	for link, want := range map[string]bool{
		"https://example.org/": true, "mailto:a@b.c": true, "a+b-c.d:x": true,
		"../x/index.html": false, "#top": false, "x.html#a:b": false, "1http:": false, ":x": false, "": false,
	} {
		if got := hasScheme(link); got != want {
			t.Errorf("hasScheme(%q) = %v, want %v", link, got, want)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func boolStr(b bool) string { return strconv.FormatBool(b) }

// A streamed file checks its links within itself as it goes: a link to an
// ID further on is right once the ID comes; one to an ID that never comes
// is broken.
func TestStreamLinksWithin(t *testing.T) {
	ix := NewIndex()
	var out bytes.Buffer
	w := ix.Stream("print/index.html", &out, nil)
	w.Write([]byte(`<nav><a href="#p-a">A</a> <a href="#p-b">B</a> <a href="#p-nowhere">?</a></nav>`))
	w.Write([]byte(strings.Repeat(`<p>filler text</p>`, 5000)))
	w.Write([]byte(`<section id="p-a"><a href="#p-b">next</a></section>`))
	w.Write([]byte(strings.Repeat(`<p>filler text</p>`, 5000)))
	w.Write([]byte(`<section id="p-b"><a href="#p-a">back</a></section>`))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range ix.Check(nil) {
		got = append(got, b.Target)
	}
	if strings.Join(got, " ") != "print/index.html#p-nowhere" {
		t.Errorf("broken links %q, want only print/index.html#p-nowhere", got)
	}
}

// A streamed file with more IDs than it keeps unsorted finds each of them
// as it goes, whenever it came, and records them all for links from other
// files.
func TestStreamManyIDs(t *testing.T) {
	ix := NewIndex()
	var out bytes.Buffer
	w := ix.Stream("print/index.html", &out, nil)
	const n = 3*streamFresh + 17
	w.Write([]byte(`<a href="#id-` + strconv.Itoa(n-1) + `">last</a>`))
	for i := range n {
		fmt.Fprintf(w, `<h2 id="id-%d">%d</h2>`, i, i)
		if i%997 == 0 {
			// Back to IDs sorted in long ago, lately and not yet.
			fmt.Fprintf(w, `<a href="#id-0"></a><a href="#id-%d"></a><a href="#id-%d"></a><a href="#id-%d"></a>`, i/2, i, max(i-5, 0))
		}
	}
	w.Write([]byte(`<a href="#id-` + strconv.Itoa(n) + `">none</a>`))
	w.(*stream).flush(false)
	if left := len(w.(*stream).rec.self); left != 1 {
		t.Errorf("%d links wait for their ID, want 1", left)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	ix.Rewrite("index.html", []byte(`<a href="/print/index.html#id-3">x</a><a href="/print/index.html#id-`+strconv.Itoa(n-2)+`">y</a>`), nil)
	var got []string
	for _, b := range ix.Check(nil) {
		got = append(got, b.Target)
	}
	if want := "print/index.html#id-" + strconv.Itoa(n); strings.Join(got, " ") != want {
		t.Errorf("broken links %q, want only %s", got, want)
	}
}

// Loads lists what a page or stylesheet loads, not the pages it links.
func TestLoads(t *testing.T) {
	page := `<link href="../css/x.css" rel="stylesheet"><link rel="next" href="../b/index.html"><link rel=icon href=/favicon.png>` +
		`<a href="../c/index.html"><img src="p.png" srcset="p2.png 2x"></a><div style="background:url('/bg.png')"></div>` +
		`<script src="../js/s.js"></script><img src="https://example.org/x.png"><img src="data:image/png;base64,AA"><video poster="v.jpg"></video>`
	got := strings.Join(Loads("a/index.html", []byte(page)), " ")
	if want := "a/p.png a/p2.png a/v.jpg bg.png css/x.css favicon.png js/s.js"; got != want {
		t.Errorf("Loads(page) = %s, want %s", got, want)
	}
	got = strings.Join(Loads("css/x.css", []byte(`@import "y.css"; p { background: url(../img/a.png) } q { filter: url(#f) }`)), " ")
	if want := "css/y.css img/a.png"; got != want {
		t.Errorf("Loads(css) = %s, want %s", got, want)
	}
}
