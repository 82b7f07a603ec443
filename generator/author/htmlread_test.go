package author

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
)

// htmlShow writes a Doc's lines compactly for comparison: "#2 text" a
// heading of level 2, "p text" a paragraph, "-0 text" an item at level 0
// ("1.0" numbered), "| a | b" a row ("|h" of headers), "---" a break. A
// leading "+" says the line has no gap before it; a trailing " (bold)" that
// it is all bold.
func htmlShow(d *Doc) []string {
	var out []string
	for _, l := range d.Lines {
		var s string
		switch l.Kind {
		case Heading:
			s = fmt.Sprintf("#%d %s", l.Level, l.Text)
		case Para:
			s = "p " + l.Text
		case Item:
			mark := "-"
			if l.Ordered {
				mark = "1."
			}
			s = fmt.Sprintf("%s%d %s", mark, l.Level, l.Text)
		case Row:
			s = "| " + strings.Join(l.Cells, " | ")
			if l.Header {
				s = "|h " + strings.Join(l.Cells, " | ")
			}
		case Break:
			s = "---"
		}
		if !l.Gap {
			s = "+" + s
		}
		if l.Bold {
			s += " (bold)"
		}
		out = append(out, s)
	}
	return out
}

// htmlFixture reads a page of testdata/import/html.
func htmlFixture(t *testing.T, name string) *Doc {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "import", "html", name))
	if err != nil {
		t.Fatal(err)
	}
	d, err := readHTML(name, data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return d
}

func htmlCompare(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s: lines\n%s\nwant\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// htmlNoFurniture fails when any of the words is in the Doc's text.
func htmlNoFurniture(t *testing.T, d *Doc, words ...string) {
	t.Helper()
	all := strings.Join(d.Texts(), "\n")
	for _, w := range words {
		if strings.Contains(all, w) {
			t.Errorf("%s: %q should have been left out:\n%s", d.File, w, all)
		}
	}
}

func TestReadHTMLWordPress(t *testing.T) {
	d := htmlFixture(t, "wordpress-session.html")
	htmlCompare(t, d.File, htmlShow(d), []string{
		"#1 Session 8: Reflections/workshop summary",
		"p 15min",
		"p Brainstorm exercise",
		"p A closing round in which participants look back on the workshop.",
		"#2 Session objectives",
		"-0 Review what was **learned** during the workshop",
		"+-0 Plan next steps:",
		"+1.1 one for each participant",
		"+1.1 one for the group",
		"+-0 Collect feedback on the [feedback form](../feedback-form/)",
		"#3 Adaptation notes",
		"p With a large group, split into pairs first & keep each round to *two minutes*.",
		"p **Materials:** (bold)",
		"p Flipchart, markers, sticky notes",
		"#2 Exercise",
		"p **Time** (bold)",
		"+p 15min",
		"p Ask the question `what_will_you_change?` and write the answers up.",
		"|h Step | Time",
		"+| Round of reflections | 10 min",
		"+| Summary by the facilitator | 5 min",
		`p \* Not a bullet, and 1. not a list: \[see\] the\_notes.`,
	})
	htmlNoFurniture(t, d, "Skip to content", "Menu", "All sessions", "About the manual", "Home",
		"Facilitating digital", "Posted", "admin", "2 March", "Share this", "Twitter", "Related",
		"Session 7", "Post navigation", "Leave a Reply", "Post Comment", "Search", "Recent Posts",
		"Session 9", "Copyright", "cookies", "Ok", "dataLayer", "margin")
	if len(d.Warnings) != 0 {
		t.Errorf("warnings: %v", d.Warnings)
	}
	// Lines start where their elements do; the line after a <br> where
	// its text does.
	src := map[string]int{}
	for _, l := range d.Lines {
		src[strings.Join(append([]string{l.Text}, l.Cells...), "|")] = l.Src
	}
	for text, line := range map[string]int{
		"Session 8: Reflections/workshop summary": 35,
		"15min":                    61,
		"**Time**":                 60,
		"one for each participant": 49,
		"|Step|Time":               64,
		"Plan next steps:":         47,
	} {
		if src[text] != line {
			t.Errorf("%q: Src %d, want %d", text, src[text], line)
		}
	}
}

func TestReadHTMLWindows1252(t *testing.T) {
	d := htmlFixture(t, "windows-1252.html")
	htmlCompare(t, d.File, htmlShow(d), []string{
		"#1 Session 3: “Who are we?” – introductions",
		"p **Time:** 30 min",
		"p Each participant says what “safe” means to them … and the group café notes it.",
		"-0 Don’t rush the round",
		"+-0 Résumé the answers",
	})
	if len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0].Msg, "Windows-1252") || d.Warnings[0].Src != 4 {
		t.Errorf("warnings: %+v, want one of Windows-1252 at line 4", d.Warnings)
	}
}

func TestReadHTMLScriptsAndForms(t *testing.T) {
	d := htmlFixture(t, "scripts-forms.html")
	htmlCompare(t, d.File, htmlShow(d), []string{
		"#1 Session 5: Passwords",
		"p Strong passwords are long.",
		"p How long a password takes to guess.",
		"p Use a password manager.",
		"p See <https://example.org/passwords> or write to <help@example.org>.",
	})
	htmlNoFurniture(t, d, "Injected", "JavaScript", "Training Hub", "padlock", "Your email",
		"Beginner", "Write here", "Subscribe", "trackClick", "Template text", "Canvas fallback",
		"Decoration", "Hidden", "hidden", "color", "does not play", "javascript")
	var msgs []string
	for _, w := range d.Warnings {
		msgs = append(msgs, fmt.Sprintf("%d %s", w.Src, w.Msg))
	}
	htmlCompare(t, "warnings", msgs, []string{
		"16 3 images were not imported",
		"18 2 video, audio or embedded frame(s) were not imported",
	})
}

func TestReadHTMLDocsSite(t *testing.T) {
	d := htmlFixture(t, "mdbook-session.html")
	htmlCompare(t, d.File, htmlShow(d), []string{
		"#1 Session 3: Threat modelling",
		"p **Time:** 45 min",
		"#2 Session objectives",
		"-0 Name the assets participants protect",
		"+-0 Map who could threaten them",
		"#2 Exercise: the asset map",
		"1.0 Draw the map on a flipchart.",
		"+1.0 Ask each group:",
		"+-1 What do you keep?",
		"+-1 Who wants it?",
		"p `## assets.txt`\n`* laptop`\n`` `phone` ``",
		"p Tip: keep the maps; `Ctrl`+`P` prints them.",
		"---",
		"#2 Adaptation notes",
		"p Groups of three work best.",
	})
	htmlNoFurniture(t, d, "Introduction", "Facilitator Manual", "Search this book", "Next chapter",
		"Previous", "path_to_root", "¶", "Print", "(#")
}

// htmlRead reads a page given as a string, failing on an error.
func htmlRead(t *testing.T, page string) *Doc {
	t.Helper()
	d, err := readHTML("page.html", []byte(page))
	if err != nil {
		t.Fatalf("%q: %v", page, err)
	}
	return d
}

func TestReadHTMLInline(t *testing.T) {
	for _, tc := range []struct{ page, want string }{
		{`<p>a <b>bold</b>, <strong>strong</strong>, <em>em</em>, <i>i</i> and <b><i>both</i></b></p>`,
			"p a **bold**, **strong**, *em*, *i* and ***both***"},
		{`<p><b>a</b><b>b</b> and <b> spaced </b>end</p>`, "p **ab** and **spaced** end"},
		{`<p>Run <code>gpg --list-keys</code>, <kbd>Ctrl</kbd>, <code>a` + "`" + `b</code></p>`,
			"p Run `gpg --list-keys`, `Ctrl`, ``a`b``"},
		{`<p><a href="session-2.html">Session 2</a>, <a href="https://x.org/a_(b)">wiki</a>, <a href="my file.pdf">file</a></p>`,
			`p [Session 2](session-2.html), [wiki](https://x.org/a_\(b\)), [file](my%20file.pdf)`},
		{`<p><a href="javascript:go()">go</a> <a href="#">top</a> <a name="x">anchor</a> <a href="/x"><img src="i.png"></a></p>`,
			"p go top anchor"},
		{`<p><a href="https://x.org"><b>bold link</b></a> <b><a href="/y">link in bold</a></b></p>`,
			"p [**bold link**](https://x.org) **[link in bold](/y)** (bold)"},
		{`<p>A&nbsp;B&#8203;C&shy;D&thinsp;E   F&#x2003;G</p>`, "p A BCD E F G"},
		{"<p>  spread\n   over\tlines  </p>", "p spread over lines"},
		{`<p>Say <q>hello</q> &amp; wave</p>`, "p Say “hello” & wave"},
		{`<p>&lt;script&gt; &amp;amp; x &lt; y ~~z~~ 2*3 a_b [c] \d</p>`,
			`p \<script> \&amp; x < y \~\~z\~\~ 2\*3 a\_b \[c\] \\d`},
		{`<p># no</p><p>- no</p><p>+ no</p><p>2) no</p><p>10. no</p><p>::: no</p><p>---</p><p>&gt; no</p>`,
			"p \\# no\np \\- no\np \\+ no\np 2\\) no\np 10\\. no\np \\::: no\np \\---\np \\> no"},
		{`<h2>C# ##</h2><h3>Title {#x}</h3><h4>1. Numbered</h4>`, "#2 C# \\##\n#3 Title \\{#x}\n#4 1. Numbered"},
		{`<h2><strong>Exercise</strong></h2><h2>Session <b>8</b></h2>`, "#2 Exercise (bold)\n#2 Session 8"},
		{`<p><i class="fa fa-clock"></i> 15min</p><p><span class="material-icons">schedule</span>20 min</p><p><span class="glyphicon glyphicon-user"></span> Pairs</p>`,
			"p 15min\np 20 min\np Pairs"},
		{`<p><i class="fa fa-clock" aria-hidden="true"></i><span class="sr-only">Time:</span> 15 min</p>`, "p Time: 15 min"},
		{`<p><strong>Time</strong><br>15min</p>`, "p **Time** (bold)\n+p 15min"},
		{`<p><strong>Time:<br>15min</strong></p>`, "p **Time:** (bold)\n+p **15min** (bold)"},
		{`<p>Part one<br style="page-break-before:always">Part two</p>`, "p Part one\n---\n+p Part two"},
		{`<b style="font-weight:normal" id="docs-internal-guid-1"><p><span style="font-weight:700">Time:</span></p><p><span style="font-weight:400">20 min</span> <span style="font-style:italic">each</span></p></b>`,
			"p **Time:** (bold)\np 20 min *each*"},
		{`<p style="font-weight: bold">Whole paragraph</p>`, "p **Whole paragraph** (bold)"},
		{`<a href="/s8"><div>Card title</div><p>Card text</p></a>`, "p [Card title](/s8)\np [Card text](/s8)"},
		{`<pre>  indented
line</pre>`, "p `  indented`\n`line`"},
	} {
		got := strings.Join(htmlShow(htmlRead(t, tc.page)), "\n")
		if got != tc.want {
			t.Errorf("%s\ngot  %q\nwant %q", tc.page, got, tc.want)
		}
	}
}

func TestReadHTMLStructure(t *testing.T) {
	for _, tc := range []struct{ name, page, want string }{
		{"main first", `<body><div id="content"><p>outer</p><main><p>in main</p></main></div><article><p>an article longer than the main</p></article></body>`,
			"p in main"},
		{"role main", `<body><div><p>outside</p></div><div role="main"><p>the content</p></div></body>`, "p the content"},
		{"largest article", `<body><article><p>short</p></article><article><h1>Long</h1><p>the longest article</p></article></body>`,
			"#1 Long\np the longest article"},
		{"content by id", `<body><div class="top">banner text</div><div id="content"><p>by id</p></div></body>`, "p by id"},
		{"empty main skipped", `<body><main></main><div class="entry-content"><p>text</p></div></body>`, "p text"},
		{"body", `<body><p>only</p></body>`, "p only"},
		{"title above main", `<body><header class="page-header"><h1 class="page-title">Session 2: Risk</h1></header><main><p>Text</p></main></body>`,
			"#1 Session 2: Risk\np Text"},
		{"site name is no title", `<body><header id="masthead" class="site-header"><h1 class="site-title">My Site</h1></header><main><h2>Part</h2></main></body>`,
			"#2 Part"},
		{"article header kept", `<body><header><p>Site</p></header><article><header><h1>Title</h1></header><p>x</p><footer>Posted in A</footer></article></body>`,
			"#1 Title\np x"},
		{"furniture holding the article", `<div class="content-sidebar-wrap"><article><h1>Genesis</h1><p>body</p></article><aside class="sidebar">side</aside></div>`,
			"#1 Genesis\np body"},
		{"aria-hidden page behind a modal", `<div aria-hidden="true"><main><h1>Kept</h1></main></div><div role="dialog">Accept cookies</div>`,
			"#1 Kept"},
		{"notes, tabs and screen-reader text", `<article><h1>T</h1><aside><p>A note</p></aside><h2 class="screen-reader-text">Menu</h2><div role="tabpanel" hidden><p>Tab two</p></div><div class="accordion-panel" aria-hidden="true"><p>Fold</p></div></article>`,
			"#1 T\np A note\np Tab two\np Fold"},
		{"hidden", `<main><p hidden>a</p><p style="display: none">b</p><p class="hidden">c</p><p class="hidden md:block">d</p><p aria-hidden="true">e</p></main>`,
			"p d"},
		{"breadcrumb", `<main><p>Home / Part 2 / Session 8</p><h1>Session 8</h1><p>Home / Part 2 / after the title</p></main>`,
			"#1 Session 8\np Home / Part 2 / after the title"},
		{"breadcrumb of links", `<main><p><a href="/">Manual</a> › <a href="/p2/">Part 2</a> › Session 8</p><h1>Session 8</h1></main>`,
			"#1 Session 8"},
		{"not a breadcrumb", `<main><p>Reflections/workshop summary</p><h1>T</h1></main>`, "p Reflections/workshop summary\n#1 T"},
		{"items", `<ul><li><p>First para</p><p>Second para</p></li><li>Before<ul><li>nested</li></ul>after</li></ul><ol><li>one<li>two</ol>`,
			"-0 First para\np Second para\n-0 Before\n+-1 nested\np after\n1.0 one\n+1.0 two"},
		{"list in a list", `<ul><li>a</li><ul><li>b</li></ul></ul>`, "-0 a\n+-1 b"},
		{"table", `<table><caption>Timing</caption><tr><th>Step</th><th>Time</th></tr><tr><th>Intro</th><td>5 | 10 <br>min</td></tr><tr><td colspan="2">Materials: <ul><li>A</li><li>B</li></ul></td></tr><tr><td></td><td> </td></tr></table>`,
			"p Timing\n|h Step | Time\n+| Intro | 5 \\| 10 min\n+| Materials: A; B | "},
		{"layout table", `<table border="1"><tr><td><p><b>Exercise</b></p><p>Do it.</p></td></tr></table>`, "p **Exercise** (bold)\np Do it."},
		{"page breaks", `<p>a</p><div style="page-break-after: always"></div><div style="page-break-before:always"><p>b</p></div><hr><p>c</p>`,
			"p a\n---\np b\np c"},
		{"lists, definitions, quotes", `<dl><dt>Time</dt><dd>15 min</dd></dl><blockquote>Quoted</blockquote><figure><figcaption>Caption</figcaption></figure><details><summary>More</summary>Hidden until opened</details>`,
			"p Time\np 15 min\np Quoted\np Caption\np More\np Hidden until opened"},
		{"loose text", `<div>Intro <p>para</p> tail</div>`, "p Intro\np para\np tail"},
		{"skip links", `<body><a href="#main">Skip to main content</a><a href="#nav">SKIP NAVIGATION</a><p>text</p></body>`, "p text"},
		{"whole page in a form", `<form id="aspnetForm"><div id="content"><h1>Session 1</h1><input name="x"></div></form>`, "#1 Session 1"},
		{"no content", `<html><body><nav>menu</nav><footer>c</footer></body></html>`, ""},
	} {
		got := strings.Join(htmlShow(htmlRead(t, tc.page)), "\n")
		if got != tc.want {
			t.Errorf("%s: %s\ngot  %q\nwant %q", tc.name, tc.page, got, tc.want)
		}
	}
}

func TestReadHTMLEncoding(t *testing.T) {
	utf16le := func(s string) []byte {
		b := []byte{0xFF, 0xFE}
		for _, u := range utf16.Encode([]rune(s)) {
			b = binary.LittleEndian.AppendUint16(b, u)
		}
		return b
	}
	for _, tc := range []struct {
		name string
		data []byte
		text string // the first line's
		warn string // in the one warning, "" for none
	}{
		{"utf-8", []byte(`<meta charset="utf-8"><p>café</p>`), "café", ""},
		{"utf-8 mark", []byte("\xEF\xBB\xBF<meta charset=\"iso-8859-1\"><p>café</p>"), "café", ""},
		{"http-equiv latin1", []byte("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\"><p>caf\xe9</p>"), "café", "ISO-8859-1"},
		{"xml declaration", []byte("<?xml version=\"1.0\" encoding=\"windows-1252\"?><html><body><p>\x93q\x94</p></body></html>"), "“q”", "Windows-1252"},
		{"undeclared", []byte("<p>caf\xe9</p>"), "café", "declares no encoding"},
		{"declared utf-8, is not", []byte("<meta charset=utf-8><p>caf\xe9</p>"), "café", "declares utf-8"},
		{"declared latin, is utf-8", []byte("<meta charset=\"iso-8859-1\"><p>café</p>"), "café", "its text is UTF-8"},
		{"latin ascii", []byte("<meta charset=\"iso-8859-1\"><p>plain</p>"), "plain", ""},
		{"unknown ascii", []byte("<meta charset=\"koi8-r\"><p>plain</p>"), "plain", ""},
		{"utf-16", utf16le("<html><body><p>Sesión</p></body></html>"), "Sesión", "UTF-16"},
	} {
		d, err := readHTML("page.html", tc.data)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if len(d.Lines) == 0 || d.Lines[0].Text != tc.text {
			t.Errorf("%s: lines %q, want %q first", tc.name, d.Texts(), tc.text)
		}
		switch {
		case tc.warn == "" && len(d.Warnings) > 0:
			t.Errorf("%s: warnings %+v", tc.name, d.Warnings)
		case tc.warn != "" && (len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0].Msg, tc.warn)):
			t.Errorf("%s: warnings %+v, want one saying %q", tc.name, d.Warnings, tc.warn)
		}
	}
}

func TestReadHTMLBadInput(t *testing.T) {
	for _, tc := range []struct {
		name, data, err string
	}{
		{"empty", "", "the file is empty"},
		{"blank", " \n\t\r\n", "the file is empty"},
		{"a mark only", "\xEF\xBB\xBF", "the file is empty"},
		{"plain text", "Session 8: Reflections\n\nTime: 15 min\n", "not a web page"},
		{"a comment only", "<!-- nothing -->", "not a web page"},
		{"an unfinished tag", "Text <a href='x", "not a web page"},
		{"pdf", "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "it is a PDF file"},
		{"zip", "PK\x03\x04\x14\x00\x06\x00", "zip"},
		{"mht", "MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x\r\n", "web archive"},
		{"binary", "<p>a\x00b\x00c</p>", "binary"},
		{"unreadable encoding", "<meta charset=\"koi8-r\"><p>\xf0\xd2\xc9</p>", "koi8-r, which flipchart import cannot read; convert it to UTF-8"},
		{"nested too deep", strings.Repeat("<div>", 2000) + "x", "simplify it"},
	} {
		d, err := readHTML("page.html", []byte(tc.data))
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: got %v, %v; want an error with %q", tc.name, d, err, tc.err)
		}
	}
	// Broken pages read as browsers read them.
	for _, page := range []string{"<p>unclosed <b>bold", "<ul><li>a<li>b", "</p></div>text<p", "<table><td>cell", "<svg><title>x</svg><p>after</p>"} {
		if _, err := readHTML("page.html", []byte(page)); err != nil {
			t.Errorf("%q: %v", page, err)
		}
	}
}

func TestReadHTMLRegistered(t *testing.T) {
	for _, name := range []string{"session.html", "SESSION.HTM", "a/b.Html"} {
		r, err := readerFor(name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if d, err := r(name, []byte("<p>x</p>")); err != nil || len(d.Lines) != 1 {
			t.Errorf("%s: %v, %v", name, d, err)
		}
	}
}

// FuzzReadHTML checks that no page makes the reader panic or make lines
// outside the Doc's contract.
func FuzzReadHTML(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "import", "html", "*.html"))
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("<p><b>a<i>b</b>c</i><br><a href=x><div>d</div></a><table><tr><td><table><td>e"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := readHTML("fuzz.html", data)
		if err != nil {
			return
		}
		for _, l := range d.Lines {
			switch {
			case l.Kind == Heading && (l.Level < 1 || l.Level > 6),
				l.Kind == Item && l.Level < 0,
				l.Kind == Row && len(l.Cells) == 0,
				l.Kind != Row && l.Kind != Break && l.Text == "",
				l.Text != strings.TrimSpace(l.Text),
				l.Src < 0:
				t.Fatalf("bad line %+v", l)
			}
		}
	})
}
