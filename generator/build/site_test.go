package build_test

// Whole-site tests: each site is one txtar string (config, content and
// layouts together), built in memory through io/fs and asserted line by line
// in the output files, after Hugo's integration tests.
//
// The txtar reader is the twenty lines below rather than
// golang.org/x/tools/txtar: that module would raise golang.org/x/sys for the
// whole module (and so for the shipped binary) and add four more modules to
// go.sum, for a format that is one marker line.

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"flipchart/generator/build"
	"flipchart/generator/diag"
	"flipchart/generator/publish"
	"flipchart/generator/site"
)

// parseTxtar reads a txtar archive: text before the first "-- name --" line
// is a comment, and each such line starts a file that runs to the next one.
func parseTxtar(archive string) fstest.MapFS {
	fsys := fstest.MapFS{}
	name, data := "", []byte(nil)
	flush := func() {
		if name != "" {
			fsys[name] = &fstest.MapFile{Data: data, Mode: 0o644}
		}
	}
	for _, line := range strings.SplitAfter(archive, "\n") {
		l := strings.TrimRight(line, "\r\n")
		if strings.HasPrefix(l, "-- ") && strings.HasSuffix(l, " --") && len(l) > 6 {
			flush()
			name, data = strings.TrimSpace(l[3:len(l)-3]), nil
			continue
		}
		if name != "" {
			data = append(data, line...)
		}
	}
	flush()
	return fsys
}

// siteTest is one site built in memory.
type siteTest struct {
	t   *testing.T
	fs  fstest.MapFS
	res *build.Result
	out *publish.Memory
}

// newSite reads a txtar site; more files can be added to s.fs before build.
func newSite(t *testing.T, archive string) *siteTest {
	t.Helper()
	return &siteTest{t: t, fs: parseTxtar(archive)}
}

// with adds or replaces a file with exact bytes (CRLF, BOM, ...).
func (s *siteTest) with(name string, data []byte) *siteTest {
	s.fs[name] = &fstest.MapFile{Data: data, Mode: 0o644}
	return s
}

func (s *siteTest) build(opt build.Options) *siteTest {
	s.t.Helper()
	s.out = publish.NewMemory()
	s.res = build.Render(s.fs, s.out, opt)
	return s
}

// ok fails the test when the build found an error.
func (s *siteTest) ok() *siteTest {
	s.t.Helper()
	if err := s.res.Err(); err != nil {
		s.t.Fatalf("build failed:\n%v", err)
	}
	return s
}

// diags returns every diagnostic of a severity as "file:line:col: sev: msg".
func (s *siteTest) diags(sev diag.Severity) []string {
	var out []string
	for _, d := range s.res.Diags.Items() {
		if d.Severity == sev {
			out = append(out, d.Error())
		}
	}
	return out
}

// assertDiag checks that one diagnostic of the severity contains every part.
func (s *siteTest) assertDiag(sev diag.Severity, parts ...string) {
	s.t.Helper()
	all := s.diags(sev)
	for _, d := range all {
		found := true
		for _, p := range parts {
			if !strings.Contains(d, p) {
				found = false
			}
		}
		if found {
			return
		}
	}
	s.t.Errorf("no %s containing %q; got:\n%s", sev, parts, strings.Join(all, "\n"))
}

func (s *siteTest) assertNoWarnings() {
	s.t.Helper()
	if w := s.diags(diag.Warning); len(w) > 0 {
		s.t.Errorf("want no warnings, got:\n%s", strings.Join(w, "\n"))
	}
}

// file returns an output file, failing the test when it is missing.
func (s *siteTest) file(name string) string {
	s.t.Helper()
	b, ok := s.out.Get(name)
	if !ok {
		s.t.Fatalf("no output file %s; have %v", name, s.out.Names())
	}
	return nbspAsSpace(b)
}

// nbspAsSpace is a page's text with its no-break spaces ("Session 9") as
// plain ones, for assertions written with plain spaces.
func nbspAsSpace(b []byte) string { return strings.ReplaceAll(string(b), "\u00a0", " ") }

func (s *siteTest) assertNoFile(name string) {
	s.t.Helper()
	if _, ok := s.out.Get(name); ok {
		s.t.Errorf("output file %s exists, want none", name)
	}
}

// assertFile checks the lines of each match against an output file. Each line
// is trimmed; blank lines are skipped. A line is a substring that must
// appear, "re:" starts a regular expression instead, and "! " before either
// means it must not appear.
func (s *siteTest) assertFile(name string, matches ...string) {
	s.t.Helper()
	got := s.file(name)
	for _, m := range matches {
		for _, line := range strings.Split(m, "\n") {
			line = strings.TrimSpace(line)
			if line == "" {
				continue
			}
			want := true
			if rest, ok := strings.CutPrefix(line, "! "); ok {
				want, line = false, rest
			}
			var found bool
			if expr, ok := strings.CutPrefix(line, "re:"); ok {
				found = regexp.MustCompile(expr).MatchString(got)
			} else {
				found = strings.Contains(got, line)
			}
			if found != want {
				verb := "lacks"
				if !want {
					verb = "has"
				}
				s.t.Errorf("%s %s %q; file:\n%s", name, verb, line, got)
			}
		}
	}
}

// testLayouts print the page data one fact a line, so tests read the
// generator's work rather than the built-in theme's markup.
const testLayouts = `
-- layouts/baseof.html --
<!-- test baseof -->
kind: {{ .Page.Kind }}
label: {{ .Page.Label }}
crumbs:{{ range .Page.Breadcrumbs }} [{{ .Title }}]({{ $.Link . }}){{ end }}
prev: {{ with .Page.Prev }}[{{ .Label }}]({{ $.Link . }}){{ end }}
next: {{ with .Page.Next }}[{{ .Label }}]({{ $.Link . }}){{ end }}
home: {{ .Link .Site.Home }}
css: {{ .Asset "css/chroma.css" }}
time: {{ .Page.Time }}
org: {{ .Site.Params.org }}
year: {{ .Site.Params.year }}
children:{{ range .Page.Pages }} [{{ .Label }}]{{ end }}
{{ block "main" . }}{{ end }}
-- layouts/home.html --
{{ define "main" }}{{ .Content }}{{ end }}
-- layouts/module.html --
{{ define "main" }}{{ .Content }}{{ end }}
-- layouts/session.html --
{{ define "main" }}{{ .Content }}{{ end }}
-- layouts/page.html --
{{ define "main" }}{{ .Content }}{{ end }}
`

// manual is a small curriculum of two modules, read with testLayouts.
const manual = `
-- config.toml --
title = "Test Manual"
author = "Tester"

[params]
org = "Open Shelter"
year = 2025
-- content/_index.md --
+++
title = "Home"
+++
Start with [the plan](day-2/05-plan.md#steps) or read [about](about.md).
-- content/about.md --
+++
title = "About"
weight = 100
+++
About this manual.
-- content/day-1/_index.md --
+++
title = "Day 1"
weight = 1
+++
The first day.
-- content/day-1/01-intro.md --
+++
title = "Intro"
session = 1
time = "15-30 minutes"
+++
Next comes [risk](02-risk.md), then [the plan](../day-2/05-plan.md#steps).
-- content/day-1/02-risk.md --
+++
title = "Risk"
session = 2
time = "90"
+++
Back to [the start](../_index.md) or [Day 2](../day-2/_index.md#overview).
-- content/day-2/_index.md --
+++
title = "Day 2"
weight = 2
+++
## Overview
-- content/day-2/05-plan.md --
+++
title = "Plan"
session = 5
time = "1h30"
+++
## Steps

Write the plan.
`

func TestSiteReadingOrderAndLinks(t *testing.T) {
	s := newSite(t, manual+testLayouts).build(build.Options{})
	s.ok()
	s.assertNoWarnings()

	var order []string
	for _, p := range s.res.Site.Pages {
		order = append(order, p.Out)
	}
	want := []string{
		"index.html", "day-1/index.html", "day-1/01-intro/index.html", "day-1/02-risk/index.html",
		"day-2/index.html", "day-2/05-plan/index.html", "about/index.html",
	}
	if fmt.Sprint(order) != fmt.Sprint(want) {
		t.Errorf("reading order\n got %v\nwant %v", order, want)
	}

	t.Run("prev/next across modules", func(t *testing.T) {
		s.t = t
		s.assertFile("index.html", `
			re:(?m)^prev: $
			next: [Day 1](day-1/index.html)
		`)
		s.assertFile("day-1/02-risk/index.html", `
			prev: [Session 1: Intro](../../day-1/01-intro/index.html)
			next: [Day 2](../../day-2/index.html)
		`)
		s.assertFile("day-2/index.html", `
			prev: [Session 2: Risk](../day-1/02-risk/index.html)
			next: [Session 5: Plan](../day-2/05-plan/index.html)
		`)
		s.assertFile("about/index.html", `
			prev: [Session 5: Plan](../day-2/05-plan/index.html)
			re:(?m)^next: $
		`)
	})

	t.Run("breadcrumbs", func(t *testing.T) {
		s.t = t
		s.assertFile("index.html", "re:(?m)^crumbs:$")
		s.assertFile("about/index.html", "re:(?m)^crumbs: \\[Home\\]\\(../index.html\\)$")
		s.assertFile("day-1/index.html", "re:(?m)^crumbs: \\[Home\\]\\(../index.html\\)$")
		s.assertFile("day-1/01-intro/index.html",
			"re:(?m)^crumbs: \\[Home\\]\\(../../index.html\\) \\[Day 1\\]\\(../../day-1/index.html\\)$")
	})

	t.Run("relative links", func(t *testing.T) {
		s.t = t
		s.assertFile("index.html", `
			home: index.html
			css: css/chroma.css
			<a href="day-2/05-plan/index.html#steps">the plan</a>
			<a href="about/index.html">about</a>
			! .md"
		`)
		s.assertFile("day-1/01-intro/index.html", `
			home: ../../index.html
			css: ../../css/chroma.css
			<a href="../../day-1/02-risk/index.html">risk</a>
			<a href="../../day-2/05-plan/index.html#steps">the plan</a>
			! .md"
		`)
		s.assertFile("day-1/02-risk/index.html", `
			<a href="../../index.html">the start</a>
			<a href="../../day-2/index.html#overview">Day 2</a>
		`)
		s.assertFile("day-2/05-plan/index.html", `<h2 id="steps">Steps</h2>`)
	})

	t.Run("module children", func(t *testing.T) {
		s.t = t
		s.assertFile("index.html", "children: [Day 1] [Day 2] [About]")
		s.assertFile("day-1/index.html", "children: [Session 1: Intro] [Session 2: Risk]")
	})

	t.Run("time display", func(t *testing.T) {
		s.t = t
		s.assertFile("day-1/01-intro/index.html", "time: 15–30 min", "! 15-30 minutes")
		s.assertFile("day-1/02-risk/index.html", "time: 1 h 30 min", "! time: 90")
		s.assertFile("day-2/05-plan/index.html", "time: 1 h 30 min")
		s.assertFile("day-1/index.html", "re:(?m)^time: $")
	})

	t.Run("params", func(t *testing.T) {
		s.t = t
		for _, name := range s.out.Names() {
			if strings.HasSuffix(name, ".html") {
				s.assertFile(name, "org: Open Shelter", "year: 2025")
			}
		}
	})
}

func TestSiteOrderWeightSessionTitle(t *testing.T) {
	page := func(name, title, extra string) string {
		return fmt.Sprintf("-- content/m/%s.md --\n+++\ntitle = %q\n%s\n+++\n", name, title, extra)
	}
	archive := "-- content/m/_index.md --\n+++\ntitle = \"M\"\n+++\n" +
		page("a", "Beta", "") + // no weight, no session: by title, last
		page("b", "Apple", "") +
		page("c", "Aardvark", "session = 3") + // sessions by number
		page("d", "Mango", "session = 2") +
		page("e", "Zeta", "weight = 1") + // weights first, ascending
		page("f", "Alpha", "weight = 2") +
		page("g", "Tie B", "weight = 5\nsession = 7") + // one weight: by session
		page("h", "Tie A", "weight = 5\nsession = 8") +
		page("i", "Same Z", "weight = 6") + // one weight, no session: by title
		page("j", "Same A", "weight = 6") +
		testLayouts
	s := newSite(t, archive).build(build.Options{})
	s.ok()
	var got []string
	for _, p := range s.res.Site.PageAt("m/").Pages {
		got = append(got, p.Title)
	}
	want := []string{"Zeta", "Alpha", "Tie B", "Tie A", "Same A", "Same Z", "Mango", "Aardvark", "Apple", "Beta"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("order in module\n got %q\nwant %q", got, want)
	}
	s.assertFile("m/index.html",
		"children: [Zeta] [Alpha] [Session 7: Tie B] [Session 8: Tie A] [Same A] [Same Z] [Session 2: Mango] [Session 3: Aardvark] [Apple] [Beta]")
	// The chain of prev/next follows the same order.
	s.assertFile("m/e/index.html", "prev: [M](../../m/index.html)", "next: [Alpha](../../m/f/index.html)")
	s.assertFile("m/a/index.html", "prev: [Apple](../../m/b/index.html)", "re:(?m)^next: $")
	// Sessions are numbered in the site's list by reading order.
	var sessions []int
	for _, p := range s.res.Site.Sessions {
		sessions = append(sessions, p.Session)
	}
	if fmt.Sprint(sessions) != "[7 8 2 3]" {
		t.Errorf("sessions in reading order: got %v, want [7 8 2 3]", sessions)
	}
}

// minimal has no layouts/ and no themes/: the built-in theme renders it.
const minimal = `
-- config.toml --
title = "Minimal Manual"
-- content/_index.md --
+++
title = "Welcome"
+++
Hello from the home page.
-- content/day-1/_index.md --
+++
title = "Day One"
+++
-- content/day-1/01-start.md --
+++
title = "Getting Started"
session = 1
time = "90"
objectives = ["to start"]
+++
The body of the first session.
-- content/notes.md --
+++
title = "Notes"
+++
Plain page.
`

func TestSiteBuiltInTheme(t *testing.T) {
	s := newSite(t, minimal).build(build.Options{})
	s.ok()
	s.assertNoWarnings()
	for _, name := range []string{"index.html", "day-1/index.html", "day-1/01-start/index.html", "notes/index.html"} {
		s.assertFile(name, "<!DOCTYPE html>", "Minimal Manual")
	}
	s.assertFile("index.html", "Hello from the home page.", `href="day-1/index.html"`)
	s.assertFile("day-1/01-start/index.html", `
		Getting Started
		The body of the first session.
		1 h 30 min
		to start
		href="../../css/flipchart.css"
		href="../../index.html"
	`)
	// Each page links the stylesheets of what it shows: a session with
	// neither a block nor code links no blocks.css nor chroma.css, which
	// are published all the same.
	s.assertFile("day-1/01-start/index.html", `
		re:css/flipchart.css">\s*<link rel="stylesheet" href="../../css/nav.css">\s*<link rel="stylesheet" href="../../css/session.css">\s*<link rel="stylesheet" href="../../css/print.css">
		! css/blocks.css
		! css/chroma.css
	`)
	s.assertFile("index.html", `
		re:css/flipchart.css">\s*<link rel="stylesheet" href="css/nav.css">\s*<link rel="stylesheet" href="css/pages.css">\s*<link rel="stylesheet" href="css/print.css">
	`)
	s.assertFile("day-1/01-start/handout/index.html", `
		! css/nav.css
		css/session.css
	`)
	for _, f := range []string{"css/chroma.css", "css/blocks.css", "css/worksheet.css", "css/worksheet-page.css", "css/editions.css"} {
		s.file(f)
	}
}

// TestSitePrintCSSRightToLeft: the running heads of printed pages, the
// manual's title at the top left and the session at the top right, in the
// language's words and digits, mirrored for a language written right to
// left; each language of a manual has its own print stylesheet.
func TestSitePrintCSSRightToLeft(t *testing.T) {
	ltr := newSite(t, minimal).build(build.Options{})
	ltr.ok()
	ltr.assertFile("css/print.css", `
		@top-left{content:"Minimal Manual"}
		@bottom-center{content:"Page " counter(page) " of " var(--fc-pages, counter(pages))}
		@page s1{@top-right{content:"Session 1: Getting Started"}}
	`)
	rtl := newSite(t, minimal+`
-- config.toml --
title = "Minimal Manual"
language = "ar"
`).build(build.Options{})
	rtl.ok()
	rtl.assertFile("index.html", `<html lang="ar" dir="rtl">`)
	rtl.assertFile("css/print.css", `
		@top-right{content:"Minimal Manual"}
		@bottom-center{content:"الصفحة " counter(page, arabic-indic) " من " var(--fc-pages, counter(pages, arabic-indic))}
		@page s1{@top-left{content:"الجلسة ١: Getting Started"}}
		! @top-left{content:"Minimal Manual"}
	`)
	both := newSite(t, minimal+`
-- config.toml --
title = "Minimal Manual"
[languages.ar]
title = "دليل صغير"
`).build(build.Options{})
	both.ok()
	both.assertFile("css/print.css", `
		@top-left{content:"Minimal Manual"}
		@page s1{@top-right{content:"Session 1: Getting Started"}}
	`)
	both.assertFile("ar/css/print.css", `
		@top-right{content:"دليل صغير"}
		@page s1{@top-left{content:"الجلسة ١: Getting Started"}}
	`)
	both.assertFile("ar/index.html", `
		<html lang="ar" dir="rtl">
		<link rel="stylesheet" href="../ar/css/print.css">
	`)
}

// TestSiteStylesheetsFollowContent: a page links the built-in theme's
// stylesheets of what its content holds (code, blocks, a worksheet), in
// the theme's order; a worksheet's own page links the form's, and a print
// edition every one but the nav's and the form's.
func TestSiteStylesheetsFollowContent(t *testing.T) {
	s := newSite(t, minimal+`
-- content/day-1/02-more.md --
+++
title = "More"
session = 2
+++
::: note
Mind this.
:::

`+"```go\nfunc main() {}\n```"+`

::: worksheet Plan
Name: ______
:::
`).build(build.Options{})
	s.ok()
	sheets := func(root string, names ...string) string {
		var b strings.Builder
		b.WriteString("re:")
		for i, n := range names {
			if i > 0 {
				b.WriteString(`">\s*<link rel="stylesheet" href="`)
			}
			b.WriteString(regexp.QuoteMeta(root + "css/" + n + ".css"))
		}
		return b.String() + `">\s*</head>`
	}
	s.assertFile("day-1/02-more/index.html", sheets("../../", "flipchart", "nav", "session", "blocks", "worksheet", "chroma", "print"))
	s.assertFile("day-1/02-more/handout/index.html", sheets("../../../", "flipchart", "session", "blocks", "worksheet", "chroma", "print"))
	s.assertFile("worksheets/02-plan/index.html", sheets("../../", "flipchart", "worksheet", "worksheet-page", "print"))
	s.assertFile("notes/index.html", sheets("../", "flipchart", "nav", "print"))
	s.assertFile("print/index.html", sheets("../", "flipchart", "session", "blocks", "worksheet", "pages", "editions", "chroma", "print"))
	s.assertFile("print/worksheets/index.html", sheets("../../", "flipchart", "session", "blocks", "worksheet", "pages", "editions", "chroma", "print"))
}

func TestSiteLayoutOverridesOneFile(t *testing.T) {
	s := newSite(t, minimal+`
-- layouts/session.html --
{{ define "main" }}<p>SITE SESSION {{ .Page.Session }}: {{ .Page.Title }}</p>{{ .Content }}{{ end }}
`).build(build.Options{})
	s.ok()
	s.assertFile("day-1/01-start/index.html", `
		<!DOCTYPE html>
		<p>SITE SESSION 1: Getting Started</p>
		The body of the first session.
	`)
	for _, name := range []string{"index.html", "day-1/index.html", "notes/index.html"} {
		s.assertFile(name, "<!DOCTYPE html>", "! SITE SESSION")
	}
	s.assertFile("notes/index.html", "Plain page.")
}

func TestSitePartialOverride(t *testing.T) {
	s := newSite(t, minimal+`
-- config.toml --
title = "Minimal Manual"
[params]
org = "Open Shelter"
-- layouts/partials/footer.html --
{{ define "footer" }}<footer>SITE FOOTER for {{ .Site.Params.org }}</footer>{{ end }}
`).build(build.Options{})
	s.ok()
	for _, name := range []string{"index.html", "day-1/index.html", "day-1/01-start/index.html", "notes/index.html"} {
		s.assertFile(name, "<!DOCTYPE html>", "<footer>SITE FOOTER for Open Shelter</footer>")
	}
	// The header still comes from the built-in theme.
	s.assertFile("day-1/01-start/index.html", `href="../../index.html"`)
}

// .Cached runs a template once per depth of page and variant list: every
// page gets links right for its own depth, and a template that would differ
// per page shows the first page's output, as documented.
func TestSiteCachedPartial(t *testing.T) {
	s := newSite(t, minimal+`
-- layouts/partials/footer.html --
{{ define "footer" }}{{ .Cached "home-link" }}|{{ .Cached "home-link" "x" }}|{{ .Cached "kind" }}|{{ .Cached "parent" .Page.Parent }}{{ end }}
{{ define "parent" }}<b>{{ with .Page.Parent }}{{ .Title }}{{ end }}</b>{{ end }}
{{ define "home-link" }}<a class="home" href="{{ .Link .Site.Home }}">{{ .Site.Title }}</a>{{ end }}
{{ define "kind" }}<i>{{ .Page.Kind }}</i>{{ end }}
`).build(build.Options{})
	s.ok()
	s.assertFile("index.html", `<a class="home" href="index.html">Minimal Manual</a>|<a class="home" href="index.html">`)
	s.assertFile("day-1/index.html", `<a class="home" href="../index.html">Minimal Manual</a>`)
	s.assertFile("day-1/01-start/index.html", `<a class="home" href="../../index.html">Minimal Manual</a>`)
	// Two pages one folder deep share one output, whichever came first.
	a, b := s.file("day-1/index.html"), s.file("notes/index.html")
	kind := regexp.MustCompile(`<i>\w+</i>`)
	if ka, kb := kind.FindString(a), kind.FindString(b); ka == "" || ka != kb {
		t.Errorf("the cached template ran again for a page of the same depth: %q and %q", ka, kb)
	}

	// A page as a variant is one key per page: pages of one depth with
	// different parents get their own run.
	s.assertFile("day-1/01-start/index.html", "<b>Day One</b>")
	s.assertFile("day-1/index.html", "<b>Welcome</b>")
	s.assertFile("notes/index.html", "<b>Welcome</b>")

	// A template that does not exist is an error naming it.
	s = newSite(t, minimal+`
-- layouts/partials/footer.html --
{{ define "footer" }}{{ .Cached "nowhere" }}{{ end }}
`).build(build.Options{})
	s.assertDiag(diag.Error, `there is no template "nowhere"`)
}

// The breadcrumbs and the list of a page's sections, as the built-in theme
// shows them.
func TestSiteCrumbsAndSections(t *testing.T) {
	s := newSite(t, minimal+`
-- content/day-1/02-more.md --
+++
title = "More"
session = 2
+++
## First part
### A detail
## Second part
`).build(build.Options{})
	s.ok()
	s.assertFile("day-1/02-more/index.html", `
		<li><a href="../../index.html">Home</a></li>
		<li><a href="../../day-1/index.html">Day One</a></li>
		<li><span aria-current="page">Session 2</span></li>
		<li><a href="#first-part">First part</a></li>
		<li><a href="#second-part">Second part</a></li>
		! <li><a href="#a-detail">
	`)
	s.assertFile("day-1/02-more/handout/index.html", `
		<li><a href="../../../day-1/02-more/index.html">Session 2</a></li>
		<li><span aria-current="page">Participant handout</span></li>
	`)
	s.assertFile("day-1/01-start/index.html", "! on-this-page")
}

func TestSiteThemeFromConfig(t *testing.T) {
	s := newSite(t, minimal+`
-- config.toml --
title = "Minimal Manual"
theme = "fancy"
-- themes/fancy/layouts/session.html --
{{ define "main" }}<p>FANCY SESSION {{ .Page.Title }}</p>{{ end }}
-- themes/fancy/layouts/page.html --
{{ define "main" }}<p>FANCY PAGE</p>{{ end }}
-- themes/fancy/static/css/fancy.css --
body { color: purple }
-- layouts/page.html --
{{ define "main" }}<p>SITE PAGE</p>{{ end }}
`).build(build.Options{})
	s.ok()
	s.assertFile("day-1/01-start/index.html", "<p>FANCY SESSION Getting Started</p>", "<!DOCTYPE html>")
	// The site's layouts/ comes before the theme's.
	s.assertFile("notes/index.html", "<p>SITE PAGE</p>", "! FANCY PAGE")
	// What the theme lacks comes from the built-in theme.
	s.assertFile("index.html", "<!DOCTYPE html>", "Hello from the home page.", "! FANCY")
	s.assertFile("css/fancy.css", "color:purple")
}

func TestSiteDrafts(t *testing.T) {
	archive := manual + testLayouts + `
-- content/day-1/03-draft.md --
+++
title = "Unfinished"
session = 3
draft = true
+++
Not yet.
`
	s := newSite(t, archive).build(build.Options{})
	s.ok()
	s.assertNoFile("day-1/03-draft/index.html")
	s.assertFile("day-1/index.html", "! Unfinished")
	s.assertFile("day-1/02-risk/index.html", "next: [Day 2](../../day-2/index.html)")

	d := newSite(t, archive).build(build.Options{Drafts: true})
	d.ok()
	d.assertFile("day-1/03-draft/index.html", "label: Session 3: Unfinished", "Not yet.")
	d.assertFile("day-1/index.html", "children: [Session 1: Intro] [Session 2: Risk] [Session 3: Unfinished]")
	d.assertFile("day-1/02-risk/index.html", "next: [Session 3: Unfinished](../../day-1/03-draft/index.html)")

	// A draft module is a draft with everything in it: its sessions must not
	// be published one level up.
	t.Run("draft module", func(t *testing.T) {
		archive := manual + testLayouts + `
-- content/day-3/_index.md --
+++
title = "Day 3"
weight = 3
draft = true
+++
-- content/day-3/09-later.md --
+++
title = "Later"
session = 9
+++
`
		s := newSite(t, archive).build(build.Options{})
		s.ok()
		s.assertNoFile("day-3/index.html")
		s.assertNoFile("day-3/09-later/index.html")
		s.assertFile("index.html", "children: [Day 1] [Day 2] [About]")

		d := newSite(t, archive).build(build.Options{Drafts: true})
		d.ok()
		d.assertFile("day-3/09-later/index.html", "crumbs: [Home](../../index.html) [Day 3](../../day-3/index.html)")
	})
}

func TestSiteCRLFAndBOM(t *testing.T) {
	crlf := strings.ReplaceAll("+++\ntitle = \"Windows Session\"\nsession = 3\ntime = \"45 min\"\n+++\n\nLine one\nline two.\n\n## Part\n\nEnd.\n", "\n", "\r\n")
	bom := "\uFEFF+++\ntitle = \"Notepad Session\"\nsession = 4\n+++\n\nSaved with a byte order mark.\n"
	s := newSite(t, manual+testLayouts).
		with("config.toml", []byte("\uFEFF"+strings.ReplaceAll("title = \"CRLF Manual\"\n[params]\norg = \"Windows\"\n", "\n", "\r\n"))).
		with("content/day-1/03-crlf.md", []byte(crlf)).
		with("content/day-1/04-bom.md", []byte(bom)).
		build(build.Options{})
	s.ok()
	s.assertNoWarnings()
	s.assertFile("day-1/03-crlf/index.html", `
		label: Session 3: Windows Session
		time: 45 min
		<p>Line one
		line two.</p>
		<h2 id="part">Part</h2>
		org: Windows
	`)
	if strings.Contains(s.file("day-1/03-crlf/index.html"), "\r") {
		t.Error("day-1/03-crlf/index.html has a carriage return")
	}
	s.assertFile("day-1/04-bom/index.html", `
		label: Session 4: Notepad Session
		<p>Saved with a byte order mark.</p>
		! `+"\uFEFF")
}

func TestSiteFrontMatterWarnings(t *testing.T) {
	t.Run("hugo keys", func(t *testing.T) {
		s := newSite(t, manual+testLayouts+`
-- content/day-1/03-hugo.md --
+++
title = "From Hugo"
date = 2024-03-01T10:00:00Z
tags = ["security", "planning"]
session = 3
+++
Imported.
`).build(build.Options{})
		s.ok()
		s.assertNoWarnings()
		s.assertFile("day-1/03-hugo/index.html", "label: Session 3: From Hugo")
	})
	t.Run("hugo summary and description", func(t *testing.T) {
		s := newSite(t, manual+testLayouts+`
-- content/day-1/03-hugo.md --
+++
title = "From Hugo"
summary = "Shown in lists."
description = "For search engines."
+++
`).build(build.Options{})
		s.ok()
		s.assertNoWarnings()
	})
	t.Run("misspelt key", func(t *testing.T) {
		s := newSite(t, manual+testLayouts+`
-- content/day-1/03-typo.md --
+++
title = "Typo"
session = 3
objectves = ["to learn"]
+++
`).build(build.Options{})
		s.ok()
		s.assertDiag(diag.Warning, "content/day-1/03-typo.md:4:", "objectves", `"objectives"`)
		s.file("day-1/03-typo/index.html") // a warning does not stop the page
	})
}

func TestSiteDuplicates(t *testing.T) {
	tests := []struct {
		name  string
		files string
		a, b  string // the two files the error must name
	}{
		{"slug clash", `
-- content/day-1/03-one.md --
+++
title = "One"
slug = "shared"
+++
-- content/day-1/04-two.md --
+++
title = "Two"
slug = "shared"
+++
`, "content/day-1/03-one.md", "content/day-1/04-two.md"},
		{"file slug names another file", `
-- content/day-1/03-one.md --
+++
title = "One"
slug = "02-risk"
+++
`, "content/day-1/02-risk.md", "content/day-1/03-one.md"},
		{"page and folder", `
-- content/day-1/extra.md --
+++
title = "Extra page"
+++
-- content/day-1/extra/_index.md --
+++
title = "Extra module"
+++
`, "content/day-1/extra.md", "content/day-1/extra/_index.md"},
		{"_index.md and index.md", `
-- content/day-1/index.md --
+++
title = "Day 1 again"
+++
`, "content/day-1/_index.md", "content/day-1/index.md"},
		{"session number", `
-- content/day-2/06-again.md --
+++
title = "Again"
session = 1
+++
`, "content/day-1/01-intro.md", "content/day-2/06-again.md"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, manual+testLayouts+tt.files).build(build.Options{})
			if !s.res.Diags.HasErrors() {
				t.Fatalf("build succeeded; want an error naming %s and %s", tt.a, tt.b)
			}
			s.assertDiag(diag.Error, tt.a, tt.b)
		})
	}
	t.Run("session number position", func(t *testing.T) {
		s := newSite(t, manual+testLayouts+tests[4].files).build(build.Options{})
		s.assertDiag(diag.Error, "content/day-2/06-again.md:3:11: error: session 1 is also the number of content/day-1/01-intro.md")
	})
}

func TestSiteBrokenLink(t *testing.T) {
	s := newSite(t, manual+testLayouts+`
-- content/day-1/03-links.md --
+++
title = "Links"
+++
Fine line.

See [nowhere](04-missing.md#x).
`).build(build.Options{})
	s.assertDiag(diag.Error, "content/day-1/03-links.md:6:5:", "04-missing.md")
}

// Check that a site's pages are all reachable from the home page through
// prev/next, once each.
func TestSitePrevNextChain(t *testing.T) {
	s := newSite(t, manual+testLayouts).build(build.Options{})
	s.ok()
	seen := map[*site.Page]bool{}
	n := 0
	for p := s.res.Site.Home; p != nil; p = p.Next {
		if seen[p] {
			t.Fatalf("prev/next loops at %s", p.Out)
		}
		seen[p] = true
		if p.Next != nil && p.Next.Prev != p {
			t.Errorf("%s.Next.Prev is not %s", p.Out, p.Out)
		}
		n++
	}
	if n != len(s.res.Site.Pages) {
		t.Errorf("chain has %d pages, site %d", n, len(s.res.Site.Pages))
	}
}
