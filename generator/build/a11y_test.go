package build_test

// The accessibility check: axe-core, injected into pages of the built demo
// opened from file:// in headless Chromium, in light and in dark mode, with
// the WCAG 2.0 and 2.1 A and AA rules.
//
// axe-core comes from npm and is not vendored. The test reads axe.min.js from
// $AXE_CORE_JS, else from $FLIPCHART_NODE_MODULES (a folder holding
// node_modules/axe-core, or node_modules itself). .ci/run installs it.

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"flipchart/generator/browser"
)

// axeTags are the rule sets the site must pass.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// axeSource returns the text of axe.min.js, or skips the test (fails it under
// REQUIRE_BROWSER=1) when it is not installed.
func axeSource(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("AXE_CORE_JS"); p != "" {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatalf("AXE_CORE_JS names a file that cannot be read: %v", err)
		}
		return string(b)
	}
	var tried []string
	if dir := os.Getenv("FLIPCHART_NODE_MODULES"); dir != "" {
		for _, p := range []string{
			filepath.Join(dir, "node_modules", "axe-core", "axe.min.js"),
			filepath.Join(dir, "axe-core", "axe.min.js"),
		} {
			b, err := os.ReadFile(p)
			if err == nil {
				return string(b)
			}
			if !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("reading %s: %v", p, err)
			}
			tried = append(tried, p)
		}
	}
	msg := "axe-core is not installed, so the accessibility check cannot run: " +
		"install it with `npm install --prefix DIR axe-core@4.14 --no-audit --no-fund` " +
		"and set AXE_CORE_JS=DIR/node_modules/axe-core/axe.min.js (or FLIPCHART_NODE_MODULES=DIR); " +
		".ci/run does both"
	if len(tried) > 0 {
		msg += " (looked in " + strings.Join(tried, ", ") + ")"
	}
	if os.Getenv(browser.EnvRequire) == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// axeViolation is the part of an axe-core violation the test reports.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []string `json:"target"`
		Summary string   `json:"summary"`
	} `json:"nodes"`
}

// axeResult is what the page returns after axe.run.
type axeResult struct {
	Version    string         `json:"version"`
	Violations []axeViolation `json:"violations"`
	Incomplete []axeViolation `json:"incomplete"`
	Passes     int            `json:"passes"`
}

// axeRun runs axe on the document and keeps the result small: a target inside
// a shadow root or a frame (an array of selectors) is joined with " >>> ".
const axeRun = `(async () => {
	const r = await axe.run(document, {runOnly: {type: "tag", values: %s}});
	const brief = (list) => list.map(v => ({
		id: v.id, impact: v.impact || "", help: v.help,
		nodes: v.nodes.map(n => ({
			target: n.target.map(s => Array.isArray(s) ? s.join(" >>> ") : String(s)),
			summary: n.failureSummary || "",
		})),
	}));
	return {version: axe.version, violations: brief(r.violations),
		incomplete: brief(r.incomplete), passes: r.passes.length};
})()`

// axePage is a page axe-core checks: its file, the query string it opens
// with, and what must be on it before the check (a script that is true
// then), as search results are.
type axePage struct {
	out, query, ready string
	// typed is typed into the header's search field once the page is
	// open, so that its list of results is checked open.
	typed string
}

// TestA11yAxe runs axe-core on one page of every kind (home, module,
// sessions, a handout, the agenda, the materials, objectives and
// worksheets pages, a worksheet's own page, the search page with results,
// the header's search with its results open, and every print edition), in
// light and in dark mode, and fails listing every violation; and checks
// that none of those pages loads anything but files of the site.
func TestA11yAxe(t *testing.T) {
	src := axeSource(t)
	dir, res := webBuildDemo(t)
	s := res.Site
	results := `document.querySelectorAll("#fc\\:search-results .search-result").length > 0`
	popup := `document.querySelectorAll("#fc\\:q-results .search-result").length > 0`
	pages := []axePage{
		{out: "index.html"},
		{out: "day-1/index.html"},
		{out: webSession(t, s, 11).Out},
		{out: webSession(t, s, 5).Out},
		{out: webSession(t, s, 11).Handout.Out},
		{out: s.Agendas[0].Out},
		{out: s.Materials.Out},
		{out: s.Objectives.Out},
		{out: s.Worksheets.Out},
		{out: webWorksheet(t, s).Out},
		{out: s.Search.Out, query: "?q=risk", ready: results},
		{out: webSession(t, s, 5).Out, typed: "threat", ready: popup},
	}
	// In the demo's other languages: the pages it translates, a page it
	// does not (shown in English with a notice), its search with results.
	// Every kind of page of a language written right to left; of another
	// written as the manual's, the translated session and its worksheet.
	queries := map[string]string{"es": "pasos", "ar": "الخطوات"}
	prints := s.Langs[0].Prints
	for _, l := range s.Langs[1:] {
		s11 := l.Session("11")
		pages = append(pages, axePage{out: s11.Out}, axePage{out: s11.Derived.Worksheets[0].Out},
			axePage{out: l.Search.Out, query: "?q=" + url.QueryEscape(queries[l.Lang.Code]), ready: results})
		if l.Lang.Dir == "rtl" {
			pages = append(pages, axePage{out: l.Home.Out}, axePage{out: l.Agendas[0].Out}, axePage{out: l.Session("5").Out})
			prints = append(prints, l.Prints...)
		}
	}
	for _, p := range prints {
		pages = append(pages, axePage{out: p.Out})
	}
	tags := `["` + strings.Join(axeTags, `","`) + `"]`
	ctx := browser.ForTest(t)

	for _, scheme := range []string{"light", "dark"} {
		t.Run(scheme, func(t *testing.T) {
			for _, pg := range pages {
				name := pg.out + pg.query
				if pg.typed != "" {
					name += " searching " + pg.typed
				}
				t.Run(name, func(t *testing.T) {
					// A tab of its own, so nothing carries over between pages.
					tab, cancel := chromedp.NewContext(ctx)
					defer cancel()
					// The first run on a context opens its tab and binds the
					// tab to that run's context: give it no timeout.
					if err := chromedp.Do(tab); err != nil {
						t.Fatalf("opening a tab: %v", err)
					}
					u := webFileURL(t, dir, pg.out) + pg.query
					if err := webStep(tab,
						chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
							_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
								Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
							})
							return err
						}),
						chromedp.Navigate(u),
					); err != nil {
						t.Fatalf("opening %s in %s mode: %v", u, scheme, err)
					}
					if got, err := webGet(tab, chromedp.Evaluate[bool](
						`matchMedia("(prefers-color-scheme: `+scheme+`)").matches`)); err != nil || !got {
						t.Fatalf("the page does not see prefers-color-scheme: %s (%v, %v)", scheme, got, err)
					}
					if pg.typed != "" {
						if err := webStep(tab, chromedp.SendKeys(chromedp.CSS("#fc\\:q"), pg.typed)); err != nil {
							t.Fatalf("typing %q into the search field: %v", pg.typed, err)
						}
					}
					if pg.ready != "" {
						if _, err := webGet(tab, chromedp.Poll[bool](pg.ready, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
							t.Fatalf("%s: not ready (%s): %v", u, pg.ready, err)
						}
					}
					// Nothing leaves file://: every resource the page loaded is a
					// file of the site.
					if other, err := webGet(tab, chromedp.Evaluate[[]string](`performance.getEntriesByType("resource").map(e => e.name).filter(n => !n.startsWith("file:///"))`)); err != nil || len(other) > 0 {
						t.Errorf("%s loads from elsewhere: %q (%v)", name, other, err)
					}
					// Injected through DevTools, so the page's CSP does not apply to it.
					if err := webStep(tab, chromedp.Evaluate[chromedp.Void](src)); err != nil {
						t.Fatalf("injecting axe-core: %v", err)
					}
					r, err := webGet(tab, chromedp.Evaluate[axeResult](fmt.Sprintf(axeRun, tags),
						chromedp.EvalAwaitPromise))
					if err != nil {
						t.Fatalf("running axe: %v", err)
					}
					t.Logf("axe-core %s: %d rules passed, %d violated, %d need review",
						r.Version, r.Passes, len(r.Violations), len(r.Incomplete))
					for _, v := range r.Incomplete {
						t.Logf("needs review: %s", axeDescribe(v))
					}
					for _, v := range r.Violations {
						t.Errorf("%s mode, %s: %s", scheme, name, axeDescribe(v))
					}
				})
			}
		})
	}
}

// axeDescribe formats a violation: its id, impact, help and the selectors of
// the nodes it found, with axe's summary of what to fix for the first node.
func axeDescribe(v axeViolation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s", v.ID, v.Impact, v.Help)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n\t%s", strings.Join(n.Target, ", "))
	}
	// axe's advice is much the same for every node: show the first node's.
	if len(v.Nodes) > 0 && v.Nodes[0].Summary != "" {
		fmt.Fprintf(&b, "\n\t(first node) %s", strings.ReplaceAll(v.Nodes[0].Summary, "\n", "\n\t\t"))
	}
	return b.String()
}
