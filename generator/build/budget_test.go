package build_test

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"flipchart/generator/browser"
	"flipchart/generator/site"
)

// pageBudget is what a page of the published site may load, search unused:
// its HTML, stylesheets and scripts, uncompressed, as opened from file://.
const pageBudget = 50_000

// budgetPage is one page of the demo of each kind the budget covers.
type budgetPage struct {
	name string // what it is, for messages
	out  string // its file in the site
	// whole holds the whole manual (a print edition): exempt from the
	// budget, it must load every stylesheet of what it may hold.
	whole bool
	// prefix is the folder of its language: "" or "es/".
	prefix string
	// source is, for a page in another language than the manual's, the
	// page in the manual's language: its budget is the source's and what
	// its own file and print stylesheet have more than the source's, which
	// is the translation's text (longer in Spanish, two bytes a letter in
	// Arabic): both have the same markup, and load the same other files.
	source string
}

// budgetPages are a page of the demo of each kind, and the sessions with
// and without a worksheet or code.
func budgetPages(t *testing.T, s *site.Site) []budgetPage {
	t.Helper()
	var module, page *site.Page
	for _, p := range s.Pages {
		if p.Kind == site.Module && module == nil {
			module = p
		}
		if p.Kind == site.Plain && page == nil {
			page = p
		}
	}
	s11 := webSession(t, s, 11)
	pages := []budgetPage{
		{name: "home", out: s.Home.Out},
		{name: "module", out: module.Out},
		{name: "session 11, with a worksheet", out: s11.Out},
		{name: "session 1, without one", out: webSession(t, s, 1).Out},
		{name: "session 5, with code", out: webSession(t, s, 5).Out},
		{name: "session 11's handout", out: s11.Handout.Out},
		{name: "a worksheet's page", out: s.WorksheetPages[0].Out},
		{name: "the worksheets", out: s.Worksheets.Out},
		{name: "agenda", out: s.Agendas[0].Out},
		{name: "materials", out: s.Materials.Out},
		{name: "objectives", out: s.Objectives.Out},
		{name: "a page", out: page.Out},
		{name: "search", out: s.Search.Out},
	}
	for _, l := range s.Langs {
		if l.Prefix != "" {
			// In the other languages, the pages the demo translates.
			s11, w := l.Session("11"), s.Session("11")
			pages = append(pages, budgetPage{name: "session 11 in " + l.Lang.Code, out: s11.Out, prefix: l.Prefix, source: w.Out},
				budgetPage{name: "its worksheet in " + l.Lang.Code, out: s11.Derived.Worksheets[0].Out, prefix: l.Prefix, source: w.Derived.Worksheets[0].Out},
				budgetPage{name: "agenda in " + l.Lang.Code, out: l.Agendas[0].Out, prefix: l.Prefix, source: s.Agendas[0].Out})
		}
		if l.Prefix != "" && l.Lang.Dir != "rtl" {
			continue // the editions of a language written like the manual's differ in text alone
		}
		for _, p := range l.Prints {
			pages = append(pages, budgetPage{name: "print edition " + p.Edition.String() + " " + l.Lang.Code, out: p.Out, whole: true, prefix: l.Prefix})
		}
	}
	return pages
}

// TestPageBudget opens a page of the demo of every kind from file:// and
// adds up the bytes of everything it loads, read from the files the
// requests name (a file:// response tells no size): a page loads at most
// pageBudget. The print editions, which hold the whole manual, are exempt,
// and load every stylesheet of what they hold.
func TestPageBudget(t *testing.T) {
	dir, res := webBuildDemo(t)
	ctx := browser.ForTest(t)
	root, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range budgetPages(t, res.Site) {
		tab, cancel := chromedp.NewContext(ctx)
		if err := chromedp.Do(tab); err != nil {
			t.Fatalf("opening a tab: %v", err)
		}
		rec := webRecord(t, tab)
		if err := webStep(tab, chromedp.Navigate(webFileURL(t, dir, p.out)), chromedp.Sleep(200*time.Millisecond)); err != nil {
			t.Fatalf("opening %s: %v", p.out, err)
		}
		rec.check(t)
		rec.mu.Lock()
		requests := slices.Clone(rec.requests)
		rec.mu.Unlock()
		cancel()

		seen := map[string]bool{}
		total := 0
		var files []string
		for _, r := range requests {
			u, err := url.Parse(r)
			if err != nil || u.Scheme != "file" || seen[u.Path] {
				continue // data: URLs are in the bytes of the file that holds them
			}
			seen[u.Path] = true
			rel, err := filepath.Rel(root, filepath.FromSlash(u.Path))
			if err != nil || strings.HasPrefix(rel, "..") {
				t.Errorf("%s loads %s, outside the site", p.out, r)
				continue
			}
			fi, err := os.Stat(filepath.Join(root, rel))
			if err != nil {
				t.Errorf("%s loads %s: %v", p.out, r, err)
				continue
			}
			total += int(fi.Size())
			files = append(files, filepath.ToSlash(rel))
		}
		if !slices.Contains(files, p.out) {
			t.Errorf("%s: the page itself is not among its requests %v", p.out, requests)
		}
		files = slices.DeleteFunc(files, func(f string) bool { return f == p.out })
		t.Logf("%-30s %6d bytes (%.1f KB) with %s", p.name, total, float64(total)/1000, strings.Join(files, " "))
		if p.whole {
			for _, css := range []string{"flipchart", "session", "blocks", "worksheet", "pages", "editions", "chroma", "print"} {
				want := "css/" + css + ".css"
				if css == "print" {
					want = p.prefix + want // each language's own
				}
				if !slices.Contains(files, want) {
					t.Errorf("%s (%s) does not load css/%s.css", p.out, p.name, css)
				}
			}
			continue
		}
		budget := pageBudget
		if p.source != "" {
			budget += max(0, fileSize(t, dir, p.out)-fileSize(t, dir, p.source)+
				fileSize(t, dir, p.prefix+"css/print.css")-fileSize(t, dir, "css/print.css"))
		}
		if total > budget {
			t.Errorf("%s (%s) loads %d bytes, more than %d", p.out, p.name, total, budget)
		}
	}
}

// fileSize is the size of a file of the site in dir.
func fileSize(t *testing.T, dir, out string) int {
	t.Helper()
	fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(out)))
	if err != nil {
		t.Fatal(err)
	}
	return int(fi.Size())
}

// stylesheetsInOrder are the default theme's stylesheets in the order a
// page links them.
var stylesheetsInOrder = []string{"flipchart", "nav", "session", "blocks", "worksheet", "worksheet-page", "pages", "editions", "chroma", "print"}

// styleProps are the computed properties compared: what places, sizes,
// colours and breaks a page.
var styleProps = []string{
	"display", "position", "float", "visibility", "content", "box-sizing",
	"width", "height", "min-width", "max-width", "min-height",
	"margin-top", "margin-right", "margin-bottom", "margin-left",
	"padding-top", "padding-right", "padding-bottom", "padding-left",
	"border-top", "border-right", "border-bottom", "border-left", "border-radius",
	"outline", "box-shadow", "color", "background-color", "background-image",
	"font-family", "font-size", "font-weight", "font-style", "line-height",
	"letter-spacing", "text-transform", "text-align", "text-decoration-line",
	"text-indent", "white-space", "overflow-wrap", "hyphens", "unicode-bidi",
	"list-style-type", "flex-direction", "flex-wrap", "flex-grow", "flex-basis",
	"justify-content", "align-items", "gap", "grid-template-columns", "grid-template-areas",
	"table-layout", "vertical-align", "overflow-x", "overflow-y", "clip-path",
	"break-before", "break-after", "break-inside", "page", "--kind", "--rule", "--line", "--tick",
}

// styleDump returns the computed styles of every element of the body and of
// its ::before and ::after, one line each.
const styleDump = `(() => {
	const props = %s, out = [];
	const els = [document.documentElement, document.body, ...document.body.querySelectorAll("*")];
	els.forEach((el, i) => {
		for (const pseudo of [null, "::before", "::after"]) {
			const cs = getComputedStyle(el, pseudo);
			if (pseudo && cs.content === "none") { continue; }
			const name = i + " " + el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
				(typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\s+/).join(".") : "") + (pseudo || "");
			out.push(name + " {" + props.map(p => p + ": " + cs.getPropertyValue(p).trim()).join("; ") + "}");
		}
	});
	return out;
})()`

// linkAll replaces the page's stylesheets by every one of the theme, in
// order, and waits for them to load.
const linkAll = `(async () => {
	const old = [...document.querySelectorAll('link[rel="stylesheet"]')];
	const base = old.find(l => l.getAttribute("href").endsWith("css/flipchart.css")).getAttribute("href").replace(/flipchart\.css$/, "");
	const loads = %s.map(name => new Promise((ok, fail) => {
		const l = document.createElement("link");
		l.rel = "stylesheet";
		l.href = base + name + ".css";
		l.onload = ok;
		l.onerror = () => fail(new Error("cannot load " + l.href));
		document.head.append(l);
	}));
	await Promise.all(loads);
	old.forEach(l => l.remove());
	await new Promise(ok => requestAnimationFrame(() => requestAnimationFrame(ok)));
	return document.querySelectorAll('link[rel="stylesheet"]').length;
})()`

// TestPageStylesheetsSuffice: each page of the demo links every stylesheet
// it needs. Its computed styles, for every element, on a wide screen, a
// phone, in dark mode and in print, are the same as with every stylesheet
// of the theme linked, in order.
func TestPageStylesheetsSuffice(t *testing.T) {
	dir, res := webBuildDemo(t)
	ctx := browser.ForTest(t)
	props, _ := json.Marshal(styleProps)
	names, _ := json.Marshal(stylesheetsInOrder)
	dump := strings.Replace(styleDump, "%s", string(props), 1)
	all := strings.Replace(linkAll, "%s", string(names), 1)
	modes := []struct {
		name, media, scheme string
		w, h                int64
	}{
		{"wide", "", "light", 1280, 900},
		{"phone", "", "light", 390, 844},
		{"dark", "", "dark", 1280, 900},
		{"print", "print", "light", 794, 1123},
	}
	for _, m := range modes {
		tab, cancel := chromedp.NewContext(ctx)
		if err := chromedp.Do(tab); err != nil {
			t.Fatalf("opening a tab: %v", err)
		}
		emulate := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Media: m.media, Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: m.scheme}}})
			return err
		})
		if err := webStep(tab, chromedp.EmulateViewport(m.w, m.h), emulate); err != nil {
			t.Fatal(err)
		}
		for _, p := range budgetPages(t, res.Site) {
			if err := webStep(tab, chromedp.Navigate(webFileURL(t, dir, p.out))); err != nil {
				t.Fatalf("opening %s: %v", p.out, err)
			}
			own, err := webGet(tab, chromedp.Evaluate[[]string](dump))
			if err != nil {
				t.Fatalf("%s: %v", p.out, err)
			}
			n, err := webGet(tab, chromedp.Evaluate[int](all, chromedp.EvalAwaitPromise))
			if err != nil || n != len(stylesheetsInOrder) {
				t.Fatalf("%s: linking every stylesheet: %d linked, %v", p.out, n, err)
			}
			every, err := webGet(tab, chromedp.Evaluate[[]string](dump))
			if err != nil {
				t.Fatalf("%s: %v", p.out, err)
			}
			if len(own) != len(every) {
				t.Errorf("%s, %s: %d elements and pseudo-elements styled, %d with every stylesheet", m.name, p.out, len(own), len(every))
				continue
			}
			// The elements whose own styles differ first, then those
			// only sized otherwise by what they hold.
			var styled, sized []string
			for i := range own {
				if own[i] == every[i] {
					continue
				}
				d, sizeOnly := styleDiff(own[i], every[i])
				if sizeOnly {
					sized = append(sized, d)
				} else {
					styled = append(styled, d)
				}
			}
			diffs := append(styled, sized...)
			for i, d := range diffs {
				if i == 5 {
					t.Errorf("%s, %s: %d elements differ in all", m.name, p.out, len(diffs))
					break
				}
				t.Errorf("%s, %s (%s): %s", m.name, p.out, p.name, d)
			}
		}
		cancel()
	}
}

// styleDiff names an element of two style dumps and the properties whose
// values differ: its own, then with every stylesheet; sizeOnly when only
// its width and height do.
func styleDiff(a, b string) (diff string, sizeOnly bool) {
	name, pa, _ := strings.Cut(a, " {")
	_, pb, _ := strings.Cut(b, " {")
	x, y := strings.Split(strings.TrimSuffix(pa, "}"), "; "), strings.Split(strings.TrimSuffix(pb, "}"), "; ")
	var d []string
	sizeOnly = true
	for i := range min(len(x), len(y)) {
		if x[i] != y[i] {
			prop, v, _ := strings.Cut(y[i], ": ")
			d = append(d, x[i]+" (with every stylesheet: "+v+")")
			sizeOnly = sizeOnly && (prop == "width" || prop == "height")
		}
	}
	return name + ": " + strings.Join(d, ", "), sizeOnly
}
