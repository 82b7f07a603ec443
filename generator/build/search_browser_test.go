package build_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"flipchart/generator/browser"
	"flipchart/generator/build"
	"flipchart/generator/search"
	"flipchart/generator/server"
)

// searchSite writes a small manual with sessions in Spanish, Arabic and
// Russian, and one in English whose body only mentions the Spanish word.
func searchSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"config.toml":             "title = \"Search test\"\nlanguage = \"en\"\n",
		"content/_index.md":       "+++\ntitle = \"Search test\"\n+++\n\nThe manual.\n",
		"content/day-1/_index.md": "+++\ntitle = \"Day 1\"\n+++\n\nThe first day.\n",
		"content/day-1/01-warm-up.md": "+++\ntitle = \"Warm up\"\nsession = 1\ntime = \"20 min\"\n" +
			"objectives = [\"to meet each other\"]\n+++\n\nEveryone says their name. A later sesiones list follows.\n",
		"content/day-1/02-primera.md": "+++\ntitle = \"Primera sesión de trabajo\"\nsession = 2\ntime = \"45 min\"\n" +
			"summary = \"La sesión presenta el taller.\"\n+++\n\n## Introducción\n\nEn esta sesión, los participantes hablan de seguridad.\n",
		"content/day-1/03-arabic.md":  "+++\ntitle = \"الأمن الرقمي\"\nsession = 3\ntime = \"30 min\"\n+++\n\nيتعلم المُدَرِّبون حماية الهواتف.\n",
		"content/day-1/04-russian.md": "+++\ntitle = \"Безопасность связи\"\nsession = 4\ntime = \"1 h\"\n+++\n\nУчастники обсуждают Ёлку и шифрование.\n",
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// searchWords are words the Go and the browser halves must fold and split
// alike.
var searchWords = []string{
	"Sesión", "SESIÓN", "Ça va", "Straße", "Œuvre", "Łódź", "Ærø", "İstanbul", "Ðiều", "e\u0301cole",
	"ǅemal", "Ёлка", "ШИФРОВАНИЕ", "Ωραίος", "ΟΔΟΣ", "ΐ", "المُدَرِّبون", "أمن إدارة آمن", "كـتـاب", "٣ دروس",
	"don’t stop-here", "١٢٣", "日本語のテキスト", "ﬁle", "Ⅻ", "x\u200dy", "😀smile", "ǈ",
}

// TestBrowserSearch opens the search of a built manual from file:// in
// Chromium: a shared link to search/index.html?q=sesion lists the Spanish
// session first with its match marked; the header's field on a session
// page finds a prefix and opens a result with the arrow keys and Enter; an
// Arabic query finds the Arabic session; the browser folds and splits
// words as the build does; and nothing is requested but local files.
func TestBrowserSearch(t *testing.T) {
	src := searchSite(t)
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := build.ToDir(src, dest, build.Options{}); err != nil {
		t.Fatalf("build: %v", err)
	}
	ctx := browser.ForTest(t)
	rec := webRecord(t, ctx)
	firstTitle := `document.querySelector("#fc\\:search-results li .search-title")`

	u := webFileURL(t, dest, "search/index.html") + "?q=sesion"
	if err := webStep(ctx, chromedp.Navigate(u)); err != nil {
		t.Fatalf("opening %s: %v", u, err)
	}
	got, err := webGet(ctx, chromedp.Poll[string](firstTitle+` && `+firstTitle+`.textContent`, chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		t.Fatalf("no results for ?q=sesion: %v", err)
	}
	if !strings.Contains(got, "Primera sesión") {
		t.Errorf("the first result of sesion is %q, want the Spanish session", got)
	}
	marks, err := webGet(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#fc\\:search-results li:first-child mark"), m => m.textContent)`))
	if err != nil || len(marks) == 0 || !strings.EqualFold(marks[0], "sesión") {
		t.Errorf("the first result marks %q (%v), want sesión", marks, err)
	}
	count, _ := webGet(ctx, chromedp.TextContent(chromedp.CSS("#fc\\:search-count")))
	if !strings.Contains(count, "pages found") {
		t.Errorf("the count says %q", count)
	}

	// The browser's folding and splitting are the build's.
	words, _ := json.Marshal(searchWords)
	js, err := webGet(ctx, chromedp.Evaluate[[][]string](`Promise.all(`+string(words)+`.map(w => flipchartSearch.tokens(w)))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("running the browser's tokens: %v", err)
	}
	for i, w := range searchWords {
		want := search.Tokens(w)
		if !slices.Equal(js[i], want) && !(len(js[i]) == 0 && len(want) == 0) {
			t.Errorf("%q: the browser makes %q, Go %q", w, js[i], want)
		}
	}

	// An Arabic query, with or without its short vowels.
	for _, q := range []string{"الامن", "المدربون"} {
		if err := webStep(ctx, chromedp.Navigate(webFileURL(t, dest, "search/index.html")+"?q="+q)); err != nil {
			t.Fatal(err)
		}
		got, err := webGet(ctx, chromedp.Poll[string](firstTitle+` && `+firstTitle+`.textContent`, chromedp.WithPollingTimeout(10*time.Second)))
		if err != nil || !strings.Contains(got, "الأمن الرقمي") {
			t.Errorf("the query %s finds %q (%v), want the Arabic session", q, got, err)
		}
	}

	// The header's field on a session page: "/" focuses it, a prefix
	// finds the Russian session, the arrow keys choose it and Enter opens
	// it.
	session := webFileURL(t, dest, "day-1/01-warm-up/index.html")
	if err := webStep(ctx, chromedp.Navigate(session)); err != nil {
		t.Fatal(err)
	}
	if err := webStep(ctx, chromedp.KeyEvent("/")); err != nil {
		t.Fatal(err)
	}
	focused, _ := webGet(ctx, chromedp.Evaluate[string](`document.activeElement.id`))
	if focused != "fc:q" {
		t.Errorf("after /, the focus is on %q, want the search field", focused)
	}
	// A real keyboard's "/" types nothing once its keydown is taken;
	// DevTools sends the character on its own.
	if err := webStep(ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById("fc:q").value = ""`), chromedp.SendKeys(chromedp.CSS("#fc\\:q"), "безопас")); err != nil {
		t.Fatal(err)
	}
	// The results shown are those of what was typed (list.dataset.q).
	if _, err := webGet(ctx, chromedp.Poll[bool](`document.getElementById("fc:q-results").dataset.q === "безопас" && document.querySelectorAll("#fc\\:q-results .search-result").length > 0`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("the header's search shows no result: %v", err)
	}
	if err := webStep(ctx, chromedp.SendKeys(chromedp.CSS("#fc\\:q"), kb.ArrowDown)); err != nil {
		t.Fatal(err)
	}
	chosen, _ := webGet(ctx, chromedp.Evaluate[string](`document.getElementById("fc:q").getAttribute("aria-activedescendant") || ""`))
	if chosen != "fc:q-results-0" {
		t.Errorf("after the down arrow, the chosen result is %q, want fc:q-results-0", chosen)
	}
	if _, err := webGet(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.SendKeys(chromedp.CSS("#fc\\:q"), kb.Enter))); err != nil {
		t.Fatalf("Enter on the chosen result: %v", err)
	}
	loc, _ := webGet(ctx, chromedp.Location())
	if !strings.HasSuffix(loc, "/day-1/04-russian/index.html") {
		t.Errorf("Enter opened %s, want the Russian session", loc)
	}
	rec.check(t)
}

// TestBrowserSearchServe opens the search of a manual as flipchart serve
// serves it: the index loads over HTTP as from a folder, then follows an
// edit.
func TestBrowserSearchServe(t *testing.T) {
	src, l, u := searchLive(t)
	srv := server.New(u.Site, server.Options{})
	hs := httptest.NewUnstartedServer(srv)
	// The live-reload stream stays open: its requests end with the test.
	sctx, cancel := context.WithCancel(context.Background())
	hs.Config.BaseContext = func(net.Listener) context.Context { return sctx }
	hs.Start()
	defer hs.Close()
	defer cancel()
	ctx := browser.ForTest(t)
	rec := webRecord(t, ctx)
	firstTitle := `document.querySelector("#fc\\:search-results li .search-title")`
	open := func(q, want string) {
		t.Helper()
		if err := webStep(ctx, chromedp.Navigate(hs.URL+"/search/index.html?q="+q)); err != nil {
			t.Fatal(err)
		}
		got, err := webGet(ctx, chromedp.Poll[string](firstTitle+` && `+firstTitle+`.textContent`, chromedp.WithPollingTimeout(10*time.Second)))
		if err != nil || !strings.Contains(got, want) {
			t.Errorf("served, ?q=%s finds %q first (%v), want %q", q, got, err, want)
		}
	}
	open("sesion", "Primera sesión")
	page := filepath.Join(src, "content", "day-1", "04-russian.md")
	data, _ := os.ReadFile(page)
	if err := os.WriteFile(page, []byte(strings.Replace(string(data), "Участники", "Zebras", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if u = l.Apply([]build.Change{{Path: "content/day-1/04-russian.md"}}); u.Site == nil {
		t.Fatal(u.Result.Err())
	}
	srv.Update(u.Site, server.Event{}) // no reload: the test opens the page again itself
	open("zebra", "Безопасность связи")
	rec.mu.Lock()
	for _, r := range rec.requests {
		if !strings.HasPrefix(r, hs.URL+"/") {
			t.Errorf("a request to another host: %s", r)
		}
	}
	for _, p := range rec.problems {
		if !strings.Contains(p, "/favicon.ico") { // the browser asks a server for it
			t.Errorf("the page reported: %s", p)
		}
	}
	rec.mu.Unlock()
}
