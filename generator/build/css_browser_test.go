package build_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"flipchart/generator/browser"
	"flipchart/generator/markup"
	"flipchart/generator/render"
	"flipchart/generator/site"
)

// themeStatic reads the default theme's static files in folder dir (css,
// js), by name, and opens a blank tab to read them in.
func themeStatic(t *testing.T, dir string) (map[string][]byte, context.Context) {
	t.Helper()
	dir = filepath.Join("..", "..", "themes", "default", "static", dir)
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, e := range ents {
		if files[e.Name()], err = os.ReadFile(filepath.Join(dir, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	ctx := browser.ForTest(t)
	if err := webStep(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	return files, ctx
}

// TestMinifiedCSSReadsTheSame checks that the stylesheets the site publishes
// minified are the theme's own as Chromium reads them: each rule of each
// file, serialized by the CSS object model, is the same.
func TestMinifiedCSSReadsTheSame(t *testing.T) {
	sheets, ctx := themeStatic(t, "css")
	chroma, err := markup.StyleCSS("github", "github-dark")
	if err != nil {
		t.Fatal(err)
	}
	sheets["chroma.css"] = chroma
	for name, src := range sheets {
		a, _ := json.Marshal(string(src))
		b, _ := json.Marshal(string(render.MinifyCSS(src)))
		diff, err := webGet(ctx, chromedp.Evaluate[[]string](`(() => {
			// A custom property keeps its value's white space as written:
			// any run of it is one space.
			const rules = css => { const s = new CSSStyleSheet(); s.replaceSync(css); return Array.from(s.cssRules, r => r.cssText.replace(/\s+/g, " ")); };
			const x = rules(`+string(a)+`), y = rules(`+string(b)+`);
			if (x.length === 0) { return ["no rule read"]; }
			for (let i = 0; i < Math.max(x.length, y.length); i++) { if (x[i] !== y[i]) { return [String(x[i]), String(y[i])]; } }
			return [];
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		if len(diff) > 0 {
			t.Errorf("%s reads otherwise minified:\n  %q\n  %q", name, diff[0], diff[len(diff)-1])
		}
	}
}

// TestMinifiedScriptsCompile checks that the theme's scripts, published
// without their comment lines and indentation, are still scripts Chromium
// compiles, and that they are published so (none holds what makes
// MinifyJS leave a script as it is).
func TestMinifiedScriptsCompile(t *testing.T) {
	scripts, ctx := themeStatic(t, "js")
	for name, src := range scripts {
		min := render.MinifyJS(src)
		if len(min) >= len(src) {
			t.Errorf("%s is published as it is (%d bytes)", name, len(src))
		}
		a, _ := json.Marshal(string(src))
		b, _ := json.Marshal(string(min))
		msg, err := webGet(ctx, chromedp.Evaluate[string](`(() => {
			for (const [name, src] of [["as written", `+string(a)+`], ["published", `+string(b)+`]]) {
				try { new Function(src); } catch (e) { return name + ": " + e; }
			}
			return "";
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		if msg != "" {
			t.Errorf("%s does not compile %s", name, msg)
		}
	}
}

// TestCSSRightToLeft: the demo's Arabic pages mirror, as Chromium lays
// them out on a wide screen and a phone: the contents of the manual on
// the right, breadcrumbs and the pager from the right, the coloured edge of
// an aside and the bar of the page shown on the right, a table's first
// column on the right (on the session's page and on its worksheet's), and
// times aligned to the page's side rather than their own text's.
func TestCSSRightToLeft(t *testing.T) {
	dir, res := webBuildDemo(t)
	ctx := browser.ForTest(t)
	var ar *site.Site
	for _, l := range res.Site.Langs {
		if l.Lang.Code == "ar" {
			ar = l
		}
	}
	if ar == nil {
		t.Fatal("the demo has no Arabic")
	}
	s11p := ar.Session("11")
	if s11p == nil || s11p.Fallback || s11p.Derived == nil || len(s11p.Derived.Worksheets) == 0 {
		t.Fatal("the demo has no Session 11 and its worksheet in Arabic")
	}
	s11, sheet := s11p.Out, s11p.Derived.Worksheets[0].Out
	for _, c := range []struct {
		out  string
		w, h int64
		js   string // a list of what is wrong, in the page
	}{
		{s11, 1280, 900, `(() => {
			const bad = [], r = s => document.querySelector(s).getBoundingClientRect(), cs = s => getComputedStyle(document.querySelector(s));
			if (document.documentElement.dir !== "rtl" || cs("main").direction !== "rtl") { bad.push("the page is not laid out right to left"); }
			if (!(r(".site-toc").left >= r("main").right - 1)) { bad.push("the contents are not right of the page"); }
			const crumbs = document.querySelectorAll(".breadcrumbs li");
			if (!(crumbs[0].getBoundingClientRect().left > crumbs[crumbs.length - 1].getBoundingClientRect().left)) { bad.push("the breadcrumbs do not start at the right"); }
			const a = cs("aside.fc");
			if (!(parseFloat(a.borderRightWidth) > parseFloat(a.borderLeftWidth))) { bad.push("an aside's edge is not on the right: " + a.borderLeftWidth + " " + a.borderRightWidth); }
			if (!/-3px 0px 0px 0px inset/.test(cs(".site-toc a[aria-current=page]").boxShadow)) { bad.push("the page shown has its bar on the left: " + cs(".site-toc a[aria-current=page]").boxShadow); }
			if (!(r(".pager .prev").left > r(".pager .next").left)) { bad.push("the pager's previous page is not on the right"); }
			const th = document.querySelectorAll("main table[data-fill] th");
			if (!(th[0].getBoundingClientRect().left > th[1].getBoundingClientRect().left)) { bad.push("a table's first column is not on the right"); }
			if (cs(".facts .time").textAlign !== "right") { bad.push("the session's time is aligned " + cs(".facts .time").textAlign); }
			return bad;
		})()`},
		{sheet, 1280, 900, `(() => {
			const bad = [], r = s => document.querySelector(s).getBoundingClientRect(), cs = s => getComputedStyle(document.querySelector(s));
			if (cs("main").direction !== "rtl") { bad.push("the worksheet is not laid out right to left"); }
			const th = document.querySelectorAll("main table[data-fill] th");
			if (!(th[0].getBoundingClientRect().left > th[1].getBoundingClientRect().left)) { bad.push("a table's first column is not on the right"); }
			const cell = document.querySelector("main table[data-fill] td input, main table[data-fill] td textarea");
			if (!cell || getComputedStyle(cell).direction !== "rtl") { bad.push("a table's field is not right to left"); }
			if (!(r(".fc-fields label").left > r(".fc-fields label:last-child").left)) { bad.push("the header fields do not start at the right"); }
			return bad;
		})()`},
		{"ar/agenda/index.html", 1280, 900, `(() => {
			const bad = [], cs = s => getComputedStyle(document.querySelector(s));
			if (cs("main").direction !== "rtl") { bad.push("the agenda is not laid out right to left"); }
			const th = document.querySelectorAll(".schedule th");
			if (!(th[0].getBoundingClientRect().left > th[1].getBoundingClientRect().left)) { bad.push("the agenda's first column is not on the right"); }
			if (cs(".schedule td.clock").textAlign !== "right") { bad.push("a clock time is aligned " + cs(".schedule td.clock").textAlign); }
			if (cs(".schedule td.time").textAlign !== "left") { bad.push("a duration is aligned " + cs(".schedule td.time").textAlign); }
			if (cs(".agenda-day > .meta").textAlign !== "right") { bad.push("a day's times are aligned " + cs(".agenda-day > .meta").textAlign); }
			return bad;
		})()`},
		{"ar/index.html", 400, 900, `(() => {
			const text = el => { const g = document.createRange(); g.selectNodeContents(el); return g.getBoundingClientRect(); };
			const bad = [], e = document.querySelector(".toc-entry"), t = text(e.querySelector(".time")), n = text(e.querySelector(".title"));
			if (!(Math.abs(t.right - n.right) < 2)) { bad.push("on a phone a session's time is not under its title's start: " + t.right + " " + n.right); }
			return bad;
		})()`},
	} {
		t.Run(fmt.Sprintf("%s-%d", c.out, c.w), func(t *testing.T) {
			tab, cancel := chromedp.NewContext(ctx)
			defer cancel()
			if err := chromedp.Do(tab); err != nil {
				t.Fatalf("opening a tab: %v", err)
			}
			if err := webStep(tab, chromedp.EmulateViewport(c.w, c.h), chromedp.Navigate(webFileURL(t, dir, c.out))); err != nil {
				t.Fatal(err)
			}
			bad, err := webGet(tab, chromedp.Evaluate[[]string](c.js))
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range bad {
				t.Error(b)
			}
		})
	}
}
