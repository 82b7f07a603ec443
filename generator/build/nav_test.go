package build_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"flipchart/generator/browser"
)

// navState is what a page shows of its contents of the manual.
type navState struct {
	Shown, ButtonShown bool
	Expanded           string
	Current            string // the text of the entry marked aria-current
	Focused            string // the focused element's tag and class
}

const navStateJS = `(() => {
	const list = document.querySelector(".nav-list"), b = document.querySelector(".nav-toggle");
	const vis = el => !!el && getComputedStyle(el).display !== "none" && el.getClientRects().length > 0;
	const cur = document.querySelector(".site-toc [aria-current=page]");
	const f = document.activeElement;
	return {shown: vis(list), buttonShown: vis(b), expanded: b ? b.getAttribute("aria-expanded") : "",
		current: cur ? cur.textContent.replace(/\s+/g, " ").trim() : "",
		focused: f ? f.tagName.toLowerCase() + "." + f.className : ""};
})()`

// TestNavInBrowser: the contents of the manual beside a session page on a
// wide screen; on a phone behind a button a keyboard opens, accessible
// when open (axe-core), with the page's own entry marked; and nowhere in
// print.
func TestNavInBrowser(t *testing.T) {
	dir, res := webBuildDemo(t)
	out := webSession(t, res.Site, 5).Out
	ctx := browser.ForTest(t)
	open := func(t *testing.T, w, h int64) context.Context {
		tab, cancel := chromedp.NewContext(ctx)
		t.Cleanup(cancel)
		if err := chromedp.Do(tab); err != nil {
			t.Fatalf("opening a tab: %v", err)
		}
		if err := webStep(tab, chromedp.EmulateViewport(w, h), chromedp.Navigate(webFileURL(t, dir, out))); err != nil {
			t.Fatal(err)
		}
		return tab
	}
	state := func(t *testing.T, tab context.Context) navState {
		s, err := webGet(tab, chromedp.Evaluate[navState](navStateJS))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	wantCurrent := "Session 5 Digital Security Basics 1 h 30 min"

	t.Run("wide", func(t *testing.T) {
		tab := open(t, 1400, 900)
		if s := state(t, tab); !s.Shown || s.ButtonShown || s.Current != wantCurrent {
			t.Errorf("on a wide screen: %+v", s)
		}
		// Every entry fits the column, every module open, the longest
		// title's word with its time: no entry sticks out, no scroll bar
		// across.
		for _, w := range []int64{1024, 1400} {
			if err := webStep(tab, chromedp.EmulateViewport(w, 900)); err != nil {
				t.Fatal(err)
			}
			wide, err := webGet(tab, chromedp.Evaluate[[]string](`(() => {
				const nav = document.querySelector(".site-toc"), box = nav.getBoundingClientRect();
				nav.querySelectorAll("details").forEach(d => { d.open = true; });
				const out = Array.from(nav.querySelectorAll("a, summary"), a => a.getBoundingClientRect().right > box.right + 0.5 ? a.textContent.trim() : "").filter(Boolean);
				if (nav.scrollWidth > nav.clientWidth) { out.push("the column scrolls across"); }
				return out;
			})()`))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range wide {
				t.Errorf("at %d px, past the contents' column: %s", w, e)
			}
		}
		if err := webStep(tab, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
			return err
		})); err != nil {
			t.Fatal(err)
		}
		if s := state(t, tab); s.Shown {
			t.Errorf("in print the contents show: %+v", s)
		}
	})

	t.Run("phone", func(t *testing.T) {
		tab := open(t, 390, 844)
		if s := state(t, tab); s.Shown || !s.ButtonShown || s.Expanded != "false" {
			t.Fatalf("on a phone, before the button: %+v", s)
		}
		// By keyboard alone: Tab to the button (past the skip link, the
		// header and the breadcrumbs), Enter opens the contents.
		found := false
		for range 20 {
			if err := webStep(tab, chromedp.KeyEvent(kb.Tab)); err != nil {
				t.Fatal(err)
			}
			if strings.HasPrefix(state(t, tab).Focused, "button.nav-toggle") {
				found = true
				break
			}
		}
		if !found {
			t.Fatalf("Tab never reaches the contents' button: %+v", state(t, tab))
		}
		if err := webStep(tab, chromedp.KeyEvent(kb.Enter)); err != nil {
			t.Fatal(err)
		}
		if s := state(t, tab); !s.Shown || s.Expanded != "true" || s.Current != wantCurrent {
			t.Fatalf("after Enter on the button: %+v", s)
		}
		// The next Tab goes into the contents.
		if err := webStep(tab, chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatal(err)
		}
		if s := state(t, tab); !strings.HasPrefix(s.Focused, "a") {
			t.Errorf("Tab after opening focuses %q, want a link of the contents", s.Focused)
		}
		// Accessible when open, in light and dark.
		src := axeSource(t)
		if err := webStep(tab, chromedp.Evaluate[chromedp.Void](src)); err != nil {
			t.Fatalf("injecting axe-core: %v", err)
		}
		tags := `["` + strings.Join(axeTags, `","`) + `"]`
		r, err := webGet(tab, chromedp.Evaluate[axeResult](fmt.Sprintf(axeRun, tags), chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("running axe: %v", err)
		}
		for _, v := range r.Violations {
			t.Errorf("the contents opened on a phone: %s", axeDescribe(v))
		}
	})
}
