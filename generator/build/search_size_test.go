//go:build unix

package build_test

import (
	"bytes"
	"encoding/json"
	"flipchart/generator/browser"
	"fmt"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"flipchart/generator/build"
	"flipchart/generator/search"
)

// searchIndexFiles reads the search index of a built site: meta.js, each
// shard's terms and postings by prefix, and the size of every file.
type searchIndexFiles struct {
	dir  string
	meta struct {
		Shards []string
		Per    int
	}
	sizes  map[string]int
	shards map[string]map[string]string
}

func readSearchIndex(t *testing.T, dir string) *searchIndexFiles {
	t.Helper()
	ix := &searchIndexFiles{dir: dir, sizes: map[string]int{}, shards: map[string]map[string]string{}}
	ents, err := os.ReadDir(filepath.Join(dir, "search"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		data, err := os.ReadFile(filepath.Join(dir, "search", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		ix.sizes[e.Name()] = len(data)
		switch {
		case e.Name() == "meta.js":
			body := strings.TrimSuffix(strings.TrimPrefix(string(data), "flipchartSearch.meta("), ");\n")
			if err := json.Unmarshal([]byte(body), &ix.meta); err != nil {
				t.Fatalf("meta.js: %v", err)
			}
		case strings.HasPrefix(e.Name(), "idx-"):
			b := bytes.TrimPrefix(data, []byte("flipchartSearch.add("))
			var pre string
			dec := json.NewDecoder(bytes.NewReader(b))
			if err := dec.Decode(&pre); err != nil {
				t.Fatalf("%s: %v", e.Name(), err)
			}
			rest := bytes.TrimSuffix(b[dec.InputOffset()+1:], []byte(");\n"))
			terms := map[string]string{}
			if err := json.Unmarshal(rest, &terms); err != nil {
				t.Fatalf("%s: %v", e.Name(), err)
			}
			if search.ShardFile(pre) != e.Name() {
				t.Errorf("%s holds the shard %q", e.Name(), pre)
			}
			ix.shards[pre] = terms
		}
	}
	return ix
}

// queryBytes is what a query loads, as the browser does: meta.js, the
// shards of its terms, and the parts of the document table its first ten
// results are in; and how many documents it finds.
func (ix *searchIndexFiles) queryBytes(q string) (int, int) {
	n := ix.sizes["meta.js"]
	found := map[int]int{}
	terms := search.Tokens(q)
	for i, t := range terms {
		pre := search.Prefix(t)
		n += ix.sizes[search.ShardFile(pre)]
		docs := map[int]bool{}
		for term, enc := range ix.shards[pre] {
			if strings.HasPrefix(term, t) {
				ds, _, _ := search.DecodePostings(enc)
				for _, d := range ds {
					docs[d] = true
				}
			}
		}
		for d := range docs {
			if found[d] == i {
				found[d] = i + 1
			}
		}
	}
	var hits []int
	for d, c := range found {
		if c == len(terms) {
			hits = append(hits, d)
		}
	}
	slices.Sort(hits)
	parts := map[int]bool{}
	for _, d := range hits[:min(10, len(hits))] {
		parts[d/ix.meta.Per] = true
	}
	for p := range parts {
		n += ix.sizes["docs-"+itoa(p)+".js"]
	}
	return n, len(hits)
}

// largestQuery finds the query that loads the most: of common words, and
// of every shard's prefix (a query of two letters, as one starts typing).
func (ix *searchIndexFiles) largestQuery() (string, int) {
	var worst string
	most := 0
	words := regexp.MustCompile(`[a-z]{2,}`).FindAllString("the and to of in session participants trainers plan risk security the session", -1)
	words = append(words, "the session", "risk plan")
	words = append(words, ix.meta.Shards...)
	for _, w := range words {
		if n, _ := ix.queryBytes(w); n > most {
			most, worst = n, w
		}
	}
	return worst, most
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

// TestSearchSizes builds the benchmarks' corpus of 1,000 sessions and
// checks what search costs a reader: the script every page loads stays
// under 3 KB, and a query loads at most 1 MB of the index.
func TestSearchSizes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 1,000 sessions")
	}
	js, err := os.ReadFile(filepath.Join("..", "..", "themes", "default", "static", "js", "search.js"))
	if err != nil {
		t.Fatal(err)
	}
	if len(js) > 3<<10 {
		t.Errorf("js/search.js is %d bytes, more than 3 KB", len(js))
	}
	src, dest := t.TempDir(), filepath.Join(t.TempDir(), "public")
	if err := benchWriteCorpus(src, 1000); err != nil {
		t.Fatal(err)
	}
	res, err := build.ToDir(src, dest, build.Options{})
	if err != nil {
		t.Fatalf("%v: %v", err, res.Err())
	}
	ix := readSearchIndex(t, dest)
	total, shards, docs := 0, 0, 0
	for name, n := range ix.sizes {
		total += n
		switch {
		case strings.HasPrefix(name, "idx-"):
			shards++
		case strings.HasPrefix(name, "docs-"):
			docs++
		}
	}
	t.Logf("index: %d files, %d KB: %d shards, %d document parts, meta.js %d KB", len(ix.sizes), total>>10, shards, docs, ix.sizes["meta.js"]>>10)
	worst, most := ix.largestQuery()
	n, hits := ix.queryBytes("the session")
	t.Logf("largest query %q loads %d KB; %q loads %d KB and finds %d pages", worst, most>>10, "the session", n>>10, hits)
	if most > 1<<20 {
		t.Errorf("the query %q loads %d bytes, more than 1 MB", worst, most)
	}
}

// TestBrowserSearchSpeed builds the benchmarks' corpus of 1,000 sessions
// and times queries in Chromium from file://: the first, which loads the
// parts of the index it needs, and the same once they are loaded, which
// must answer within 50 ms.
func TestBrowserSearchSpeed(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 1,000 sessions")
	}
	n := 1000
	if s := os.Getenv("FLIPCHART_SEARCH_PAGES"); s != "" {
		if _, err := fmt.Sscan(s, &n); err != nil {
			t.Fatal(err)
		}
	}
	src, dest := t.TempDir(), filepath.Join(t.TempDir(), "public")
	if err := benchWriteCorpus(src, n); err != nil {
		t.Fatal(err)
	}
	if _, err := build.ToDir(src, dest, build.Options{}); err != nil {
		t.Fatal(err)
	}
	ix := readSearchIndex(t, dest)
	total := 0
	for _, n := range ix.sizes {
		total += n
	}
	worst, most := ix.largestQuery()
	t.Logf("%d sessions: index of %d files, %d KB; the largest query %q loads %d KB", n, len(ix.sizes), total>>10, worst, most>>10)
	if budget := 1 << 20; most > budget && n <= 1000 || most > 2*budget {
		t.Errorf("the query %q loads %d bytes, more than its budget", worst, most)
	}
	ctx := browser.ForTest(t)
	if err := webStep(ctx, chromedp.Navigate(webFileURL(t, dest, "search/index.html")+"?q=x")); err != nil {
		t.Fatal(err)
	}
	if _, err := webGet(ctx, chromedp.Poll[bool](`!!(window.flipchartSearch && flipchartSearch.query)`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("the search engine did not load: %v", err)
	}
	limit := 50.0
	if n > 1000 {
		limit = 100
	}
	for _, q := range []string{"the session", "participants", "pr", "risk plan"} {
		ms, err := webGet(ctx, chromedp.Evaluate[[]float64](`(async () => {
			let t0 = performance.now(); const r = await flipchartSearch.query(`+strconvQuote(q)+`);
			let t1 = performance.now(); await flipchartSearch.query(`+strconvQuote(q)+`);
			let t2 = performance.now(); return [t1 - t0, t2 - t1, r.results.length];
		})()`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		t.Logf("%d sessions: %q finds %.0f pages: first %.1f ms (loading its parts), then %.1f ms", n, q, ms[2], ms[0], ms[1])
		if ms[1] > limit {
			t.Errorf("%q takes %.1f ms once loaded, more than %.0f ms", q, ms[1], limit)
		}
	}
	// As a reader types: from the last key's input event to its results
	// shown, marked passages and all, the index's parts loaded by the keys
	// before.
	for _, q := range []string{"the session", "participants", "risk plan"} {
		if err := webStep(ctx, chromedp.Navigate(webFileURL(t, dest, "search/index.html")),
			chromedp.Focus(chromedp.CSS("#fc\\:search")), chromedp.KeyEvent(q)); err != nil {
			t.Fatal(err)
		}
		shown := `(() => { const l = document.getElementById("fc:search-results"); return l.dataset.q === document.getElementById("fc:search").value && l.children.length > 0; })()`
		if _, err := webGet(ctx, chromedp.Poll[bool](shown, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
			t.Fatalf("typing %q shows no results: %v", q, err)
		}
		if err := webStep(ctx, chromedp.KeyEvent(kb.Backspace)); err != nil {
			t.Fatal(err)
		}
		if _, err := webGet(ctx, chromedp.Poll[bool](shown, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
			t.Fatalf("%q less its last letter shows no results: %v", q, err)
		}
		if err := webStep(ctx, chromedp.Evaluate[chromedp.Void](`(() => {
			const inp = document.getElementById("fc:search"), list = document.getElementById("fc:search-results");
			let t0 = 0;
			window.fcLatency = 0;
			// Before the page's own listener, which may show the results
			// before its listener returns: from the event's own time.
			document.addEventListener("input", ev => { t0 = ev.timeStamp; }, {capture: true, once: true});
			new MutationObserver((_, obs) => {
				if (t0 && list.dataset.q === inp.value) { obs.disconnect(); window.fcLatency = performance.now() - t0; }
			}).observe(list, {attributes: true, childList: true});
		})()`), chromedp.KeyEvent(q[len(q)-1:])); err != nil {
			t.Fatal(err)
		}
		ms, err := webGet(ctx, chromedp.Poll[float64](`window.fcLatency`, chromedp.WithPollingTimeout(20*time.Second)))
		if err != nil {
			t.Fatalf("timing the last key of %q: %v", q, err)
		}
		t.Logf("%d sessions: typing %q, its results are shown %.1f ms after the last key", n, q, ms)
		if ms > limit {
			t.Errorf("typing %q shows its results %.1f ms after the last key, more than %.0f ms", q, ms, limit)
		}
	}
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
