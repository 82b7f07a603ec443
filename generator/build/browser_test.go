package build_test

// Browser tests: the built demo site, opened from file:// in a headless
// Chromium, read the way a trainer reads it. They skip when no Chromium is
// installed, unless REQUIRE_BROWSER=1 (as in CI), where they fail instead.

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"flipchart/generator/browser"
	"flipchart/generator/build"
	"flipchart/generator/site"
)

// webStepTimeout bounds one browser step (a navigation, a click, a query).
const webStepTimeout = 30 * time.Second

// webBuildDemo builds the repository's own demo site (the repo root) into a
// temporary folder and returns the folder and the build's result.
func webBuildDemo(t *testing.T) (string, *build.Result) {
	t.Helper()
	dest := t.TempDir()
	res, err := build.ToDir(filepath.Join("..", ".."), dest, build.Options{})
	if err != nil {
		t.Fatalf("building the demo site: %v", err)
	}
	if res.Site == nil {
		t.Fatal("building the demo site: no site")
	}
	return dest, res
}

// webFileURL is the file:// URL of a page of the built site; out is its path
// relative to the site root, such as "day-3/11-next-steps/index.html".
func webFileURL(t testing.TB, dir, out string) string {
	t.Helper()
	abs, err := filepath.Abs(filepath.Join(dir, filepath.FromSlash(out)))
	if err != nil {
		t.Fatal(err)
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
}

// webSession returns the demo's session with the number n.
func webSession(t testing.TB, s *site.Site, n int) *site.Page {
	t.Helper()
	for _, p := range s.Sessions {
		if p.Session == n {
			return p
		}
	}
	t.Fatalf("the demo site has no session %d", n)
	return nil
}

// webStep runs the actions with a timeout of their own; the browser outlives it.
func webStep(ctx context.Context, actions ...chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(ctx, webStepTimeout)
	defer cancel()
	return chromedp.Do(ctx, actions...)
}

// webGet runs one action that returns a value, with a timeout of its own.
func webGet[T any](ctx context.Context, a chromedp.Action[T]) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, webStepTimeout)
	defer cancel()
	return chromedp.Run(ctx, a)
}

// webClickAndWait clicks the first element that sel finds, as a mouse would, and
// waits for the page that the click opens to finish loading.
func webClickAndWait[S chromedp.Selectable](ctx context.Context, sel S) error {
	_, err := webGet(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(sel)))
	return err
}

// webH1 returns the text of the page's h1, with its white space collapsed. It
// reads textContent, so a CSS text-transform does not change it.
func webH1(ctx context.Context) (string, error) {
	s, err := webGet(ctx, chromedp.TextContent(chromedp.CSS("main h1")))
	return strings.Join(strings.Fields(s), " "), err
}

// webRecorder keeps what a tab did that a reader never sees: every request, and
// every error the page or the browser reported about it.
type webRecorder struct {
	mu       sync.Mutex
	requests []string
	urls     map[network.RequestID]string
	problems []string
}

// webRecord starts recording the events of the tab of ctx. Call it before the
// first navigation.
func webRecord(t *testing.T, ctx context.Context) *webRecorder {
	t.Helper()
	r := &webRecorder{urls: map[network.RequestID]string{}}
	if err := webStep(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{})
		if err != nil {
			return err
		}
		_, err = cdp.Call(ctx, tg, log.Enable, cdp.Empty{})
		return err
	})); err != nil {
		t.Fatalf("enabling the network and log domains: %v", err)
	}
	// Listen calls the func on the tab's reading goroutine: only note things.
	err := chromedp.Listen(ctx, func(ev any) {
		r.mu.Lock()
		defer r.mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			if ev.Request != nil {
				r.requests = append(r.requests, ev.Request.URL)
				r.urls[ev.RequestID] = ev.Request.URL
			}
		case *network.EventLoadingFailed:
			if !ev.Canceled {
				r.problems = append(r.problems, fmt.Sprintf("%s (%s) failed to load: %s %s",
					r.urls[ev.RequestID], strings.ToLower(string(ev.Type)), ev.ErrorText, ev.BlockedReason))
			}
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				var args []string
				for _, a := range ev.Args {
					if a.Value != nil {
						args = append(args, string(a.Value))
					} else {
						args = append(args, a.Description)
					}
				}
				r.problems = append(r.problems, fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " ")))
			}
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			if d == nil {
				r.problems = append(r.problems, "uncaught exception")
				return
			}
			msg := d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				msg += " " + d.Exception.Description
			}
			r.problems = append(r.problems, fmt.Sprintf("uncaught exception at %s:%d: %s", d.URL, d.LineNumber+1, msg))
		case *log.EventEntryAdded:
			e := ev.Entry
			if e == nil {
				return
			}
			csp := strings.Contains(e.Text, "Content Security Policy")
			if e.Level == log.EntryLevelError || csp {
				where := e.URL
				if where != "" && e.LineNumber > 0 {
					where = fmt.Sprintf("%s:%d", where, e.LineNumber+1)
				}
				kind := "browser " + string(e.Level)
				if csp {
					kind = "CSP violation"
				}
				r.problems = append(r.problems, fmt.Sprintf("%s (%s) %s: %s", kind, e.Source, where, e.Text))
			}
		}
	})
	if err != nil {
		t.Fatalf("listening to the tab: %v", err)
	}
	return r
}

// check fails the test for every request that left the device (anything
// but file: and data: URLs) and for every problem the tab reported.
func (r *webRecorder) check(t *testing.T) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.requests) == 0 {
		t.Error("recorded no request at all: the network listener is not working")
	}
	for _, u := range r.requests {
		if !strings.HasPrefix(u, "file://") && !strings.HasPrefix(u, "data:") {
			t.Errorf("the site made a request that is not to a local file: %s", u)
		}
	}
	for _, p := range r.problems {
		t.Errorf("the page reported: %s", p)
	}
	t.Logf("%d requests recorded", len(r.requests))
}

// TestBrowserReader follows a trainer through the built demo from file://:
// home page, the link to Session 11, then the pager's next and previous links,
// recording every request and every error on the way.
func TestBrowserReader(t *testing.T) {
	dir, res := webBuildDemo(t)
	s11 := webSession(t, res.Site, 11)
	if s11.Title != "Next Steps" {
		t.Errorf("session 11 is titled %q, want Next Steps", s11.Title)
	}
	if s11.Out != "day-3/11-next-steps/index.html" {
		t.Errorf("session 11 is written to %q, want day-3/11-next-steps/index.html", s11.Out)
	}
	// The page after session 11 in the site's reading order.
	var next *site.Page
	for i, p := range res.Site.Pages {
		if p == s11 && i+1 < len(res.Site.Pages) {
			next = res.Site.Pages[i+1]
		}
	}
	if next == nil {
		t.Fatal("session 11 is the last page in reading order: nothing for the pager's next link")
	}

	ctx := browser.ForTest(t)
	rec := webRecord(t, ctx)

	home := webFileURL(t, dir, "index.html")
	if err := webStep(ctx, chromedp.Navigate(home)); err != nil {
		t.Fatalf("opening %s: %v", home, err)
	}

	// The home page lists the sessions; click the one about next steps.
	link := chromedp.Search(`//main//a[contains(normalize-space(.), "Next Steps")]`)
	if err := webClickAndWait(ctx, link); err != nil {
		t.Fatalf("clicking the home page's link to Next Steps: %v", err)
	}
	webExpectPage(t, ctx, s11)

	if err := webClickAndWait(ctx, chromedp.CSS(`nav.pager a[rel=next]`)); err != nil {
		t.Fatalf("clicking the pager's next link on session 11: %v", err)
	}
	webExpectPage(t, ctx, next)

	if err := webClickAndWait(ctx, chromedp.CSS(`nav.pager a[rel=prev]`)); err != nil {
		t.Fatalf("clicking the pager's previous link on %q: %v", next.Title, err)
	}
	webExpectPage(t, ctx, s11)

	// Let late events (a stylesheet's own requests, a deferred script) arrive.
	if err := webStep(ctx, chromedp.Sleep(200*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	rec.check(t)
}

// webExpectPage checks that the tab shows the page p: its file, and an h1
// that is its title. A session's h1 may carry its number too, as the theme's
// eyebrow: "Session 11: Next Steps" (the colon visually hidden) is accepted
// for "Next Steps".
func webExpectPage(t *testing.T, ctx context.Context, p *site.Page) {
	t.Helper()
	loc, err := webGet(ctx, chromedp.Location())
	if err != nil {
		t.Fatalf("reading the location: %v", err)
	}
	if !strings.HasPrefix(loc, "file://") || !strings.HasSuffix(loc, "/"+p.Out) {
		t.Errorf("the browser is at %s, want file://…/%s", loc, p.Out)
	}
	got, err := webH1(ctx)
	if err != nil {
		t.Fatalf("reading the h1 of %s: %v", loc, err)
	}
	if got := strings.ReplaceAll(got, "\u00a0", " "); got != p.Title && got != strings.ReplaceAll(p.Label(), "\u00a0", " ") {
		t.Errorf("the h1 of %s is %q, want %q", loc, got, p.Title)
	}
}

// TestBrowserHandoutLinks opens each session's handout of the demo from
// file:// and follows every link in its body, as a participant clicking
// them would: each opens a page of the manual (no error page), and a link
// to a part of a page finds that part.
func TestBrowserHandoutLinks(t *testing.T) {
	dir, res := webBuildDemo(t)
	ctx := browser.ForTest(t)
	rec := webRecord(t, ctx)
	followed := 0
	for _, s := range res.Site.Sessions {
		handout := webFileURL(t, dir, s.Handout.Out)
		if err := webStep(ctx, chromedp.Navigate(handout)); err != nil {
			t.Fatalf("opening %s: %v", handout, err)
		}
		hrefs, err := webGet(ctx, chromedp.Evaluate[[]string](
			`Array.from(document.querySelectorAll("main .body a[href]"), a => a.href)`))
		if err != nil {
			t.Fatalf("reading the links of %s: %v", s.Handout.Out, err)
		}
		for _, href := range hrefs {
			if !strings.HasPrefix(href, "file://") {
				continue // another host: not followed here
			}
			if err := webStep(ctx, chromedp.Navigate(href)); err != nil {
				t.Errorf("%s: following %s: %v", s.Handout.Out, href, err)
				continue
			}
			ok, err := webGet(ctx, chromedp.Evaluate[bool](`!!document.querySelector("main#main") &&
				(!location.hash || !!document.getElementById(decodeURIComponent(location.hash.slice(1))))`))
			if err != nil || !ok {
				t.Errorf("%s links %s, which is not a page of the manual or lacks its part (%v)", s.Handout.Out, href, err)
			}
			followed++
		}
	}
	if followed < 3 {
		t.Errorf("only %d links followed from the handouts: the demo's handouts should link other sessions", followed)
	}
	rec.check(t)
}
