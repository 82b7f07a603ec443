package main

// BenchmarkServeLatency: the time from an author's save to the new text in
// the browser, through the real `flipchart serve` (watcher, build.Live,
// server, live.js) and a headless Chromium, at 1,000 and 10,000 sessions
// (modules of 50 session guides of 6–10 KB). Goals: median under 50 ms and
// 95th percentile under 100 ms at 10,000.
//
//	go test -run '^$' -bench ServeLatency -benchtime 1x ./generator/cmd/flipchart/
//
// Each iteration saves one session guide serveBenchEdits times, each time
// with one word of its body changed, and waits for the page to show it. The
// clock stops when the page, right after live.js swapped its body in, calls
// back into Go (a CDP binding) having found the new word: the Go-side time
// from before os.WriteFile to that call. Two warm-up edits are not counted.
//
// Reported:
//
//	ms-median, ms-p95  save to page, over every counted edit
//	ms-batch    save to the start of build.Live.Apply (fsnotify + debounce),
//	            median; the end of Apply is when serve prints its line
//	ms-apply    build.Live.Apply, median (as serve prints it)
//	ms-event    end of Apply to live.js starting its fetch: the server's
//	            broadcast, the event stream and the browser's dispatch
//	ms-fetch    the page's fetch, request to last byte
//	ms-swap     parse, body swap, scripts, scroll, until flipchart:reloaded
//	ms-report   flipchart:reloaded to Go hearing of it (measurement cost)
//
// Page-side times are converted to Go's clock with an offset measured over
// CDP, so the parts are good to about a millisecond; the total is not
// converted. Skips without Chromium unless REQUIRE_BROWSER=1.

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"flipchart/generator/browser"

	"flipchart/generator/internal/sitetest"
)

var serveBenchSizes = []int{1000, 10000}

const (
	serveBenchEdits  = 24 // counted edits per iteration
	serveBenchWarmup = 2
)

func BenchmarkServeLatency(b *testing.B) {
	// `flipchart build`, run by a test in this process, leaves a 200 MiB soft
	// heap limit (build.LimitMemory) that a server of 10,000 pages would
	// spend its time collecting under.
	debug.SetMemoryLimit(math.MaxInt64)
	for _, n := range serveBenchSizes {
		b.Run(fmt.Sprintf("pages=%d", n), func(b *testing.B) { benchServeLatency(b, n) })
	}
}

// serveBenchHook reports each in-place reload to Go: the probe word the page
// now shows, when the body was swapped, and the timing of the page's fetch.
// A full page load reports too, marked hard.
const serveBenchHook = `(function () {
  function probe() {
    var m = document.body && document.body.textContent.match(/probe\d{3}/);
    return m ? m[0] : "";
  }
  document.addEventListener("flipchart:reloaded", function () {
    var now = performance.timeOrigin + performance.now();
    var es = performance.getEntriesByType("resource").filter(function (e) {
      return e.initiatorType === "fetch" && e.name === location.href;
    });
    var e = es[es.length - 1];
    performance.clearResourceTimings();
    window.__fcSeen({probe: probe(), reloaded: now,
      fetchStart: e ? performance.timeOrigin + e.startTime : 0,
      responseEnd: e ? performance.timeOrigin + e.responseEnd : 0});
  });
  addEventListener("load", function () {
    window.__fcSeen({probe: probe(), reloaded: performance.timeOrigin + performance.now(), hard: true});
  });
})();`

type serveBenchSeen struct {
	Probe       string  `json:"probe"`
	Reloaded    float64 `json:"reloaded"` // page clock, ms since the epoch
	FetchStart  float64 `json:"fetchStart"`
	ResponseEnd float64 `json:"responseEnd"`
	Hard        bool    `json:"hard"`
	at          time.Time
}

func benchServeLatency(b *testing.B, n int) {
	bctx := browser.ForTest(b)
	dir := b.TempDir()
	start := time.Now()
	rel, url := writeServeCorpus(b, dir, n)
	b.Logf("corpus of %d sessions written in %v", n, time.Since(start).Round(time.Millisecond))
	start = time.Now()
	srv := startServe(b, 10*time.Minute, "--source", dir)
	b.Logf("serving after %v: %s", time.Since(start).Round(time.Millisecond), firstLine(srv.out.String(), "built in memory"))

	var mu sync.Mutex
	seen := map[string]serveBenchSeen{}
	arrived := make(chan struct{}, 1000)
	report := chromedp.ExposeFunc("__fcSeen", func(_ context.Context, s serveBenchSeen) (chromedp.Void, error) {
		s.at = time.Now()
		mu.Lock()
		if _, ok := seen[s.Probe]; !ok || s.Hard {
			seen[s.Probe+map[bool]string{true: "/hard"}[s.Hard]] = s
		}
		mu.Unlock()
		arrived <- struct{}{}
		return chromedp.Void{}, nil
	})
	hook := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: serveBenchHook})
		return err
	})
	tab := openLiveTab(b, bctx, srv.url+url, report, hook)
	size := liveEval[int](tab, `document.documentElement.outerHTML.length`)
	b.Logf("page %s: %d KB of HTML", url, size>>10)
	offset := pageClockOffset(b, tab)

	file := filepath.Join(dir, filepath.FromSlash(rel))
	data, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	var total, batch, apply, event, fetch, swap, rep []float64
	hard := 0
	edit := 0
	cur := "probe000"
	for b.Loop() {
		for k := range serveBenchEdits + serveBenchWarmup {
			edit++
			word := fmt.Sprintf("probe%03d", edit%1000)
			data = []byte(strings.Replace(string(data), cur, word, 1))
			cur = word
			mark := srv.out.count()
			t0 := time.Now()
			if err := os.WriteFile(file, data, 0o644); err != nil {
				b.Fatal(err)
			}
			var s serveBenchSeen
			deadline := time.After(10 * time.Second)
		wait:
			for {
				select {
				case <-arrived:
					mu.Lock()
					got, ok := seen[word]
					gotHard, okHard := seen[word+"/hard"]
					mu.Unlock()
					if okHard && !ok {
						got, ok = gotHard, true
					}
					if ok {
						s = got
						break wait
					}
				case <-deadline:
					b.Fatalf("edit %d: %s not in the page after 10 s; serve said:\n%s", edit, word, srv.out.String()[max(0, len(srv.out.String())-2000):])
				}
			}
			// serve prints its line right after srv.Update: wait for it.
			var line stampedWrite
			for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(time.Millisecond) {
				if w, ok := findWrite(srv.out.since(mark), filepath.ToSlash(rel)); ok {
					line = w
					break
				}
			}
			if k < serveBenchWarmup {
				continue
			}
			if s.Hard {
				hard++
			}
			ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
			goMS := func(t time.Time) float64 { return float64(t.UnixMicro()) / 1000 }
			total = append(total, ms(s.at.Sub(t0)))
			if d, ok := appliedIn(line.text); ok && !line.at.IsZero() {
				applyStart := line.at.Add(-d)
				batch = append(batch, ms(applyStart.Sub(t0)))
				apply = append(apply, ms(d))
				if s.FetchStart > 0 {
					event = append(event, s.FetchStart-offset-goMS(line.at))
				}
			}
			if s.FetchStart > 0 {
				fetch = append(fetch, s.ResponseEnd-s.FetchStart)
				swap = append(swap, s.Reloaded-s.ResponseEnd)
			}
			rep = append(rep, goMS(s.at)-(s.Reloaded-offset))
			time.Sleep(50 * time.Millisecond) // an author does not save twice in 50 ms
		}
	}
	if hard > 0 {
		b.Errorf("%d of %d edits loaded the page again instead of reloading it in place", hard, len(total))
	}
	b.ReportMetric(quantile(total, 0.5), "ms-median")
	b.ReportMetric(quantile(total, 0.95), "ms-p95")
	b.ReportMetric(quantile(batch, 0.5), "ms-batch")
	b.ReportMetric(quantile(apply, 0.5), "ms-apply")
	b.ReportMetric(quantile(event, 0.5), "ms-event")
	b.ReportMetric(quantile(fetch, 0.5), "ms-fetch")
	b.ReportMetric(quantile(swap, 0.5), "ms-swap")
	b.ReportMetric(quantile(rep, 0.5), "ms-report")
	slices.Sort(total)
	b.Logf("save to page, %d edits, sorted (ms): %v", len(total), total)
}

// pageClockOffset returns page time minus Go time in ms, measured with the
// shortest of several round trips.
func pageClockOffset(tb testing.TB, lt *liveTab) float64 {
	tb.Helper()
	best, offset := time.Hour, 0.0
	for range 20 {
		t1 := time.Now()
		v := liveEval[float64](lt, `performance.timeOrigin + performance.now()`)
		t2 := time.Now()
		if rtt := t2.Sub(t1); rtt < best {
			best = rtt
			mid := t1.Add(rtt / 2)
			offset = v - float64(mid.UnixMicro())/1000
		}
	}
	tb.Logf("page clock offset %.2f ms (round trip %v)", offset, best)
	return offset
}

func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	i := int(math.Ceil(q*float64(len(s)))) - 1
	return s[min(max(i, 0), len(s)-1)]
}

func firstLine(s, with string) string {
	for line := range strings.Lines(s) {
		if strings.Contains(line, with) {
			return strings.TrimSpace(line)
		}
	}
	return ""
}

func findWrite(ws []stampedWrite, with string) (stampedWrite, bool) {
	for _, w := range ws {
		if strings.Contains(w.text, with) {
			return w, true
		}
	}
	return stampedWrite{}, false
}

var appliedRE = regexp.MustCompile(`re-rendered in ([0-9.]+(?:ns|µs|us|ms|s))`)

// appliedIn reads the Apply time off serve's line for a batch.
func appliedIn(line string) (time.Duration, bool) {
	m := appliedRE.FindStringSubmatch(line)
	if m == nil {
		return 0, false
	}
	d, err := time.ParseDuration(m[1])
	return d, err == nil
}

// writeServeCorpus writes a site of n session guides into dir, in modules of
// 50, each guide 6–10 KB of Markdown of the kinds flipchart renders
// (headings, lists, a table, emphasis, links to other sessions, now and then
// code), the same bytes every time. One guide in the middle carries the
// word probe000 for the benchmark to change; its path and page are returned.
func writeServeCorpus(tb testing.TB, dir string, n int) (rel, url string) {
	tb.Helper()
	r := rand.New(rand.NewPCG(7, uint64(n)))
	pick := func(list ...string) string { return list[r.IntN(len(list))] }
	sentence := func() string {
		return pick("Participants", "Each group", "The facilitator", "Pairs", "Volunteers") + " " +
			pick("list", "map", "discuss", "compare", "rank", "review", "sketch") + " " +
			pick("the risks they face", "the actors around them", "*their routines*", "**the warning signs**", "the `plan` sheet", "what they expect") + " " +
			pick("before the break.", "on flipchart paper.", "in ten minutes -- no more.", "and report back.", "in their own words.")
	}
	para := func(k int) string {
		s := make([]string, k)
		for i := range s {
			s[i] = sentence()
		}
		return strings.Join(s, " ")
	}
	sitetest.WriteFile(tb, dir, "config.toml", "title = \"Latency Benchmark\"\nauthor = \"flipchart\"\n")
	sitetest.WriteFile(tb, dir, "content/_index.md", "+++\ntitle = \"Home\"\n+++\n"+para(4)+"\n")
	const perModule = 50
	probeModule := (n / perModule) / 2
	for m := 0; m*perModule < n; m++ {
		mdir := fmt.Sprintf("content/m%03d-module", m+1)
		sitetest.WriteFile(tb, dir, mdir+"/_index.md", fmt.Sprintf("+++\ntitle = \"Module %d\"\nweight = %d\n+++\n%s\n", m+1, m+1, para(3)))
		first := m*perModule + 1
		last := min(first+perModule-1, n)
		for s := first; s <= last; s++ {
			var b strings.Builder
			fmt.Fprintf(&b, "+++\ntitle = \"%s %s\"\nsession = %d\ntime = \"%s\"\nweight = %d\n",
				pick("Understanding", "Mapping", "Assessing", "Planning for", "Reviewing"), pick("Risk", "Threats", "Well-being", "Incidents", "Support Networks"),
				s, pick("30 min", "45 min", "1 h", "1 h 30 min"), s)
			fmt.Fprintf(&b, "objectives = [\"to %s\", \"to %s\"]\nmaterials = [\"%s\", \"%s\"]\nsummary = \"%s\"\n+++\n\n",
				pick("list risks", "map actors", "agree on steps"), pick("share care", "review plans"),
				pick("Flipchart paper", "Markers", "Sticky notes"), pick("Printed handouts", "A timer", "Scenario cards"), sentence())
			b.WriteString("::: adaptation\n")
			if m == probeModule && s == first+perModule/2 {
				b.WriteString("Latency probe000 word. ")
			}
			b.WriteString(para(4) + "\n:::\n\n## Exercise: " + pick("Role play", "Gallery walk", "Risk matrix") + "\n\n")
			b.WriteString("- **Format:** small groups\n- **Time:** 30 min\n- **Materials:** markers, paper\n\n### Steps\n\n")
			for i := range 5 {
				fmt.Fprintf(&b, "%d. %s\n", i+1, sentence())
			}
			b.WriteString("\n| Item | Likelihood | Impact |\n| --- | --- | --- |\n")
			for range 4 {
				fmt.Fprintf(&b, "| %s | %s | %s |\n", pick("Office raid", "Phone seized", "Burnout"), pick("Low", "High"), pick("Medium", "High"))
			}
			b.WriteString("\n")
			if s%5 == 0 {
				b.WriteString("```go\nfunc score(l, i int) int {\n\treturn l * i // likelihood times impact\n}\n```\n\n")
			}
			target := 6<<10 + r.IntN(3<<10)
			for v := 1; b.Len() < target; v++ {
				other := first + r.IntN(last-first+1)
				fmt.Fprintf(&b, "## Variation %d\n\n%s See [session %d](%05d-s.md).\n\n- %s\n- %s\n\n", v, para(3), other, other, sentence(), sentence())
			}
			name := fmt.Sprintf("%s/%05d-s.md", mdir, s)
			sitetest.WriteFile(tb, dir, name, b.String())
			if m == probeModule && s == first+perModule/2 {
				rel = name
				url = fmt.Sprintf("m%03d-module/%05d-s/index.html", m+1, s)
			}
		}
	}
	return rel, url
}
