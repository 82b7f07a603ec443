//go:build unix

package build_test

// BenchmarkLiveApply times what `flipchart serve` does between a save and the
// reload event: build.Live.Apply of one session guide whose body changed by
// one word, at 1,000 and 10,000 sessions (the corpus of bench_test.go). A
// flat time across the sizes means the rebuild does not grow with the site.
//
//	go test -run '^$' -bench LiveApply -benchtime 50x ./generator/build/
//
// FLIPCHART_LIVE_PROFILE=/tmp/apply.cpu writes a CPU profile of the edits
// alone, without the first build, to /tmp/apply.cpu.<pages>.
//
// Reported besides ns/op: rendered/op, the pages rendered again per edit.

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"flipchart/generator/build"
)

func BenchmarkLiveApply(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("pages=%d", n), func(b *testing.B) {
			src := benchCorpora.get(b, n)
			rel, file, orig := liveBenchSession(b, src, n)
			b.Cleanup(func() { os.WriteFile(file, orig, 0o644) }) // the corpus is shared
			fsys, closeSrc, err := build.OpenSource(src)
			if err != nil {
				b.Fatal(err)
			}
			defer closeSrc()
			l := build.NewLive(fsys, build.Options{})
			start := time.Now()
			first := l.Build()
			if first.Site == nil {
				b.Fatalf("first build failed: %v", first.Result.Err())
			}
			b.Logf("first build: %d files in %v", len(first.Site.Names()), time.Since(start).Round(time.Millisecond))
			if prof := os.Getenv("FLIPCHART_LIVE_PROFILE"); prof != "" {
				// The first build would swamp a -cpuprofile: profile the edits only.
				f, err := os.Create(fmt.Sprintf("%s.%d", prof, n))
				if err != nil {
					b.Fatal(err)
				}
				pprof.StartCPUProfile(f)
				defer func() { pprof.StopCPUProfile(); f.Close() }()
			}
			rendered := 0
			i := 0
			for b.Loop() {
				b.StopTimer()
				word := fmt.Sprintf("probe%06d", i)
				data := bytes.Replace(orig, []byte("::: adaptation\n"), []byte("::: adaptation\n"+word+" "), 1)
				if err := os.WriteFile(file, data, 0o644); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				u := l.Apply([]build.Change{{Path: rel}})
				b.StopTimer()
				if u.Site == nil || u.Full {
					b.Fatalf("edit %d: site %v, full %v: %v", i, u.Site != nil, u.Full, u.Result.Err())
				}
				if page, ok := u.Site.Get(liveBenchOut(u.Changed)); !ok || !bytes.Contains(page, []byte(word)) {
					b.Fatalf("edit %d: the page %v does not show %s", i, u.Changed, word)
				}
				rendered += len(u.Rendered)
				i++
				b.StartTimer()
			}
			b.ReportMetric(float64(rendered)/float64(i), "rendered/op")
		})
	}
}

// liveBenchSession picks a session guide in the middle of the corpus and
// returns its path in the site, on disk, and its bytes.
func liveBenchSession(b *testing.B, src string, n int) (rel, file string, data []byte) {
	b.Helper()
	mod := (n / benchSessionsPerModule) / 2
	matches, err := filepath.Glob(filepath.Join(src, "content", fmt.Sprintf("m%03d-*", mod+1), fmt.Sprintf("%05d-*.md", mod*benchSessionsPerModule+25)))
	if err != nil || len(matches) != 1 {
		b.Fatalf("finding a session in the middle: %v %v", matches, err)
	}
	file = matches[0]
	data, err = os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	r, _ := filepath.Rel(src, file)
	return filepath.ToSlash(r), file, data
}

// liveBenchOut is the file of the first changed page: its URL's index.html.
func liveBenchOut(changed []string) string {
	if len(changed) == 0 {
		return ""
	}
	u := strings.TrimPrefix(changed[0], "/")
	if u == "" || strings.HasSuffix(u, "/") {
		u += "index.html"
	}
	return u
}
