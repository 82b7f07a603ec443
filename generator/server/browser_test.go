package server

// The live script in a headless Chromium, against this package's server with
// a site in memory. They skip without Chromium unless REQUIRE_BROWSER=1.

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"flipchart/generator/browser"
)

// jsWait evaluates expr every few milliseconds until it is true.
func jsWait(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var last error
	for time.Now().Before(deadline) {
		sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		ok, err := chromedp.Run(sctx, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && ok {
			return
		}
		last = err
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s: still false after 10 s: %s (last error: %v)", what, expr, last)
}

func jsGet[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(sctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// newTab opens a tab in the browser of ctx. Its first action runs on the
// tab's own context: a timeout there would close the tab with it.
func newTab(t *testing.T, ctx context.Context) context.Context {
	t.Helper()
	tab, cancel := chromedp.NewContext(ctx)
	t.Cleanup(cancel)
	if err := chromedp.Do(tab); err != nil {
		t.Fatal(err)
	}
	return tab
}

func navigate(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("opening %s: %v", url, err)
	}
}

// setWindowState minimizes or restores the window of a tab. In headless
// Chromium every tab has a window of its own, and a minimized window makes
// its page hidden for real: document.hidden and a visibilitychange event.
func setWindowState(t *testing.T, ctx context.Context, st cdpbrowser.WindowState) {
	t.Helper()
	tid := chromedp.FromContext(ctx).Target.TargetID
	w, err := chromedp.CallBrowser(ctx, cdpbrowser.GetWindowForTarget, cdpbrowser.GetWindowForTargetParams{TargetID: tid})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.CallBrowser(ctx, cdpbrowser.SetWindowBounds, cdpbrowser.SetWindowBoundsParams{
		WindowID: w.WindowID, Bounds: &cdpbrowser.Bounds{WindowState: st}}); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserHiddenTabs opens eight tabs on one server, more than the six
// connections a browser keeps per host. Each tab but the last is hidden once
// it is connected, so its stream closes and the next tab can load: with
// every stream open the seventh tab would wait for ever. A tab shown again
// reconnects and catches up on the update it missed.
func TestBrowserHiddenTabs(t *testing.T) {
	ctx := browser.ForTest(t)
	s := New(testSite(t, "Old text."), Options{})
	base := start(t, s)
	pages := []string{"/", "/day-1/", "/day-1/one/", "/day-1/two/", "/objectives/index.html", "/day-1/one/index.html", "/print/", "/day-1/one/"}
	tabs := make([]context.Context, len(pages))
	for i, p := range pages {
		tab := newTab(t, ctx)
		tabs[i] = tab
		navigate(t, tab, base+p)
		waitClients(t, s, 1) // this tab's stream, and only it
		jsWait(t, tab, fmt.Sprintf("tab %d visible", i), `document.visibilityState === "visible"`)
		if i == len(pages)-1 {
			break
		}
		setWindowState(t, tab, cdpbrowser.WindowStateMinimized)
		jsWait(t, tab, fmt.Sprintf("tab %d hidden", i), `document.hidden`)
		waitClients(t, s, 0)
	}
	if n := s.Clients(); n != 1 {
		t.Fatalf("%d streams open with one tab of eight visible", n)
	}

	// An update reaches the visible tab.
	last := tabs[len(tabs)-1]
	jsGet[bool](t, last, `window.__marker = 42, true`)
	s.Update(testSite(t, "New text."), Event{Kind: "reload", Rendered: []string{"day-1/one/index.html"}})
	jsWait(t, last, "the visible tab reloads", `document.body.innerText.includes("New text.")`)
	if m := jsGet[int](t, last, `window.__marker`); m != 42 {
		t.Errorf("window.__marker is %d after the reload: the page navigated instead of swapping its body", m)
	}
	// The page's scripts run again (they load anew, so not at once).
	jsWait(t, last, "the page's script runs again", `window.__siteRuns === 2`)

	// A hidden tab on the same page missed it; shown, it catches up.
	hidden := tabs[2]
	if jsGet[bool](t, hidden, `document.body.innerText.includes("New text.")`) {
		t.Fatal("a hidden tab was updated: did its stream stay open?")
	}
	setWindowState(t, hidden, cdpbrowser.WindowStateNormal)
	jsWait(t, hidden, "tab 2 visible again", `!document.hidden`)
	waitClients(t, s, 2)
	jsWait(t, hidden, "the tab shown again catches up", `document.body.innerText.includes("New text.")`)

	// A tab on a page that did not change does not reload when shown.
	other := tabs[3]
	jsGet[bool](t, other, `window.__marker = 7, true`)
	setWindowState(t, other, cdpbrowser.WindowStateNormal)
	waitClients(t, s, 3)
	time.Sleep(300 * time.Millisecond)
	// It reloads, as it cannot know what it missed: acceptable, but its
	// marker must survive, as the reload is in place.
	if m := jsGet[int](t, other, `window.__marker`); m != 7 {
		t.Errorf("tab 3 navigated when shown again (marker %d)", m)
	}
}

// TestBrowserErrorOverlay: a failure shows over the last good page, a tab
// opened during the failure shows it at once, and the next good update
// hides it.
func TestBrowserErrorOverlay(t *testing.T) {
	ctx := browser.ForTest(t)
	s := New(testSite(t, "Good text."), Options{})
	base := start(t, s)
	navigate(t, ctx, base+"/day-1/one/")
	waitClients(t, s, 1)
	p := &Problem{File: "content/day-1/01-one.md", Line: 3, Col: 11, Message: "session: expected an integer, got \"x\"",
		Hint: "write a whole number", More: 2,
		Lines: []SourceLine{{1, "+++"}, {2, `title = "One"`}, {3, `session = "x"`}, {4, "+++"}}}
	s.Fail(p)
	jsWait(t, ctx, "overlay", `!!document.querySelector('.flipchart-overlay[role="alert"]')`)
	text := jsGet[string](t, ctx, `document.querySelector('.flipchart-overlay').innerText`)
	for _, want := range []string{"content/day-1/01-one.md:3:11", `session: expected an integer, got "x"`, `session = "x"`, "write a whole number", "2 more"} {
		if !strings.Contains(text, want) {
			t.Errorf("the overlay lacks %q:\n%s", want, text)
		}
	}
	if here := jsGet[string](t, ctx, `document.querySelector('.flipchart-here').innerText`); !strings.Contains(here, `session = "x"`) {
		t.Errorf("the line marked is %q", here)
	}
	if !jsGet[bool](t, ctx, `document.body.innerText.includes("Good text.")`) {
		t.Error("the last good page went away")
	}
	if pos := jsGet[string](t, ctx, `getComputedStyle(document.querySelector('.flipchart-overlay')).position`); pos != "fixed" {
		t.Errorf("the overlay's stylesheet did not apply (position %q)", pos)
	}

	tab := newTab(t, ctx)
	navigate(t, tab, base+"/day-1/two/")
	jsWait(t, tab, "overlay in a tab opened during the failure", `!!document.querySelector('.flipchart-overlay')`)

	s.Update(testSite(t, "Fixed text."), Event{Kind: "reload", Full: true})
	for _, c := range []context.Context{ctx, tab} {
		jsWait(t, c, "overlay gone", `!document.querySelector('.flipchart-overlay')`)
	}
	jsWait(t, ctx, "the fix shown", `document.body.innerText.includes("Fixed text.")`)
}

// slowFirst delays the answer to live.js's first fetch of /day-1/one/ after
// armed is set, after the page was read from the site: the answer of an
// earlier state that arrives last, as a busy machine can make happen.
type slowFirst struct {
	h     http.Handler
	mu    sync.Mutex
	armed bool
	delay time.Duration
}

func (s *slowFirst) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	// Only live.js's fetch of the page: not the stream, nor a favicon.
	slow := s.armed && r.URL.Path == "/day-1/one/" && r.Header.Get("Sec-Fetch-Dest") == "empty"
	if slow {
		s.armed = false
	}
	s.mu.Unlock()
	if !slow {
		s.h.ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, r)
	time.Sleep(s.delay)
	maps.Copy(w.Header(), rec.Header())
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}

// TestBrowserReloadsKeepTheLatest: two saves in quick succession make two
// fetches of the page; when the first one's answer comes last, the page
// must still end up showing the second save.
func TestBrowserReloadsKeepTheLatest(t *testing.T) {
	ctx := browser.ForTest(t)
	s := New(testSite(t, "Version zero."), Options{})
	slow := &slowFirst{h: s, delay: 400 * time.Millisecond}
	hs := httptest.NewUnstartedServer(slow)
	bctx, cancel := context.WithCancel(context.Background())
	hs.Config.BaseContext = func(net.Listener) context.Context { return bctx }
	hs.Start()
	t.Cleanup(func() { cancel(); hs.Close() })
	navigate(t, ctx, hs.URL+"/day-1/one/")
	waitClients(t, s, 1)
	jsGet[bool](t, ctx, `window.__reloads = 0, document.addEventListener("flipchart:reloaded", function () { window.__reloads++ }), true`)

	slow.mu.Lock()
	slow.armed = true
	slow.mu.Unlock()
	s.Update(testSite(t, "Version one."), Event{Kind: "reload", Rendered: []string{"day-1/one/index.html"}})
	time.Sleep(100 * time.Millisecond) // the first fetch is on its way, and held
	s.Update(testSite(t, "Version two."), Event{Kind: "reload", Rendered: []string{"day-1/one/index.html"}})
	jsWait(t, ctx, "version two shows", `document.body.innerText.includes("Version two.")`)
	time.Sleep(slow.delay + 200*time.Millisecond) // the held answer arrives
	if text := jsGet[string](t, ctx, `document.querySelector(".text").innerText`); text != "Version two." {
		t.Errorf("the page shows %q after both reloads: an older answer replaced a newer one", text)
	}
}

// TestBrowserHeadChanges: a template edit can change the page's head (a new
// stylesheet, a new title); the reloaded page must use it.
func TestBrowserHeadChanges(t *testing.T) {
	ctx := browser.ForTest(t)
	site := testSite(t, "Text.")
	s := New(site, Options{})
	base := start(t, s)
	navigate(t, ctx, base+"/day-1/one/")
	waitClients(t, s, 1)
	jsGet[bool](t, ctx, `window.__marker = 1, true`)

	next := site.Clone()
	page, _ := next.Get("day-1/one/index.html")
	page = bytes.Replace(page, []byte("</head>"), []byte(`<link rel="stylesheet" href="/css/extra.css">`+"\n</head>"), 1)
	page = bytes.Replace(page, []byte("<title>One</title>"), []byte("<title>One, retitled</title>"), 1)
	next.WriteFile("day-1/one/index.html", page)
	next.WriteFile("css/extra.css", []byte("main { outline: 3px solid rgb(9, 8, 7); }\n"))
	s.Update(next, Event{Kind: "reload", Rendered: []string{"day-1/one/index.html"}, Full: true})
	jsWait(t, ctx, "the new title", `document.title === "One, retitled"`)
	time.Sleep(300 * time.Millisecond)
	if c := jsGet[string](t, ctx, `getComputedStyle(document.querySelector("main")).outlineColor`); c != "rgb(9, 8, 7)" {
		t.Errorf("a stylesheet added to the head does not apply after the reload (outline color %q)", c)
	}
}
