package build_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"flipchart/generator/browser"
)

// TestKeyboardHomeToWorksheet goes through the demo by keyboard alone, as a
// trainer who uses no mouse: from the home page, Tab to the search field,
// type, choose the session with the arrow keys and open it with Enter, Tab
// to its worksheet's link and open it, Tab to the worksheet's first field
// and write in it. Every step is a key pressed; nothing is clicked or set
// by script.
func TestKeyboardHomeToWorksheet(t *testing.T) {
	dir, res := webBuildDemo(t)
	s11 := webSession(t, res.Site, 11)
	sheet := webWorksheet(t, res.Site)
	ctx := browser.ForTest(t)
	rec := webRecord(t, ctx)
	if err := webStep(ctx, chromedp.Navigate(webFileURL(t, dir, "index.html"))); err != nil {
		t.Fatal(err)
	}
	// tabTo presses Tab until the focused element satisfies cond (a
	// script on el), at most limit times, and reports how many it took.
	tabTo := func(what, cond string, limit int) int {
		t.Helper()
		for n := 1; n <= limit; n++ {
			if err := webStep(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
				t.Fatal(err)
			}
			ok, err := webGet(ctx, chromedp.Evaluate[bool](`(el => !!el && (`+cond+`))(document.activeElement)`))
			if err != nil {
				t.Fatal(err)
			}
			if ok {
				return n
			}
		}
		at, _ := webGet(ctx, chromedp.Evaluate[string](`document.activeElement.outerHTML.slice(0, 200)`))
		t.Fatalf("%d presses of Tab do not reach %s; the focus is on %s", limit, what, at)
		return 0
	}
	n := tabTo("the search field", `el.id === "fc:q"`, 30)
	t.Logf("home: the search field is %d presses of Tab away", n)
	if err := webStep(ctx, chromedp.KeyEvent("next steps")); err != nil {
		t.Fatal(err)
	}
	if _, err := webGet(ctx, chromedp.Poll[bool](`document.getElementById("fc:q-results").dataset.q === "next steps" && document.querySelectorAll("#fc\\:q-results .search-result").length > 0`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("typing in the search field shows no result: %v", err)
	}
	// Down the results to session 11.
	chosen := ""
	for range 10 {
		if err := webStep(ctx, chromedp.KeyEvent(kb.ArrowDown)); err != nil {
			t.Fatal(err)
		}
		chosen, _ = webGet(ctx, chromedp.Evaluate[string](`(() => { const id = document.getElementById("fc:q").getAttribute("aria-activedescendant"); const el = id && document.getElementById(id); return el ? el.textContent : ""; })()`))
		if strings.Contains(chosen, s11.Title) {
			break
		}
	}
	if !strings.Contains(chosen, s11.Title) {
		t.Fatalf("the arrow keys never choose %q (last %q)", s11.Title, chosen)
	}
	if _, err := webGet(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.KeyEvent(kb.Enter))); err != nil {
		t.Fatalf("Enter on the chosen result: %v", err)
	}
	if loc, _ := webGet(ctx, chromedp.Location()); !strings.HasSuffix(loc, "/"+s11.Out) {
		t.Fatalf("Enter opened %s, want %s", loc, s11.Out)
	}
	n = tabTo("the worksheet's link", `el.tagName === "A" && el.getAttribute("href").endsWith("`+strings.TrimSuffix(sheet.URL, "/")+`/index.html")`, 80)
	t.Logf("session 11: the worksheet's link is %d presses of Tab away", n)
	if _, err := webGet(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.KeyEvent(kb.Enter))); err != nil {
		t.Fatalf("Enter on the worksheet's link: %v", err)
	}
	if loc, _ := webGet(ctx, chromedp.Location()); !strings.HasSuffix(loc, "/"+sheet.Out) {
		t.Fatalf("Enter opened %s, want %s", loc, sheet.Out)
	}
	n = tabTo("a field of the worksheet", `(el.tagName === "INPUT" && el.type === "text" || el.tagName === "TEXTAREA") && !!el.closest("form, .worksheet")`, 40)
	t.Logf("worksheet: its first field is %d presses of Tab away", n)
	if err := webStep(ctx, chromedp.KeyEvent("Ana")); err != nil {
		t.Fatal(err)
	}
	if v, _ := webGet(ctx, chromedp.Evaluate[string](`document.activeElement.value`)); v != "Ana" {
		t.Errorf("the field holds %q after typing Ana", v)
	}
	rec.check(t)
}
