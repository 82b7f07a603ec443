//go:build unix

package build_test

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"flipchart/generator/build"
)

// BenchmarkCachedBuild measures builds with the cache against a build of
// everything in the same iteration, on the corpus of BenchmarkBuild: each
// iteration builds cold (no cache yet), then again with nothing changed,
// after one session's body edit, and after that session's title edit, each
// in a child process as flipchart build runs. Reported: the cold build's
// seconds (cold-s), each build with the cache as a fraction of it (none-x,
// body-x, title-x) and the highest peak RSS of the builds with the cache
// (peak-MB). Goals at 10,000 pages: none-x and body-x at most 0.05, title-x
// at most 0.10, peak-MB under 250.
func BenchmarkCachedBuild(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("pages=%d", n), func(b *testing.B) {
			src := filepath.Join(b.TempDir(), "site")
			if err := os.CopyFS(src, os.DirFS(benchCorpora.get(b, n))); err != nil {
				b.Fatal(err)
			}
			sessions := benchSessionFiles(b, src)
			dest := filepath.Join(b.TempDir(), "public")
			var cold, none, body, title time.Duration
			var peak int64
			i := 0
			for b.Loop() {
				os.RemoveAll(dest)
				os.RemoveAll(filepath.Join(src, build.CacheDir))
				r := cacheBenchChild(b, src, dest, "cold")
				cold += r.wall
				r = cacheBenchChild(b, src, dest, "none")
				none, peak = none+r.wall, max(peak, r.hwmKB)
				file := sessions[(i*7919)%len(sessions)]
				benchEdit(b, file, func(s string) string { return s + fmt.Sprintf("\nOne more paragraph, edit %d.\n", i) })
				r = cacheBenchChild(b, src, dest, "body")
				body, peak = body+r.wall, max(peak, r.hwmKB)
				benchEdit(b, file, func(s string) string {
					return benchTitle.ReplaceAllString(s, fmt.Sprintf("title = \"A new title %d\"", i))
				})
				r = cacheBenchChild(b, src, dest, "title")
				title, peak = title+r.wall, max(peak, r.hwmKB)
				i++
			}
			b.ReportMetric(cold.Seconds()/float64(i), "cold-s")
			b.ReportMetric(float64(none)/float64(cold), "none-x")
			b.ReportMetric(float64(body)/float64(cold), "body-x")
			b.ReportMetric(float64(title)/float64(cold), "title-x")
			if peak > 0 {
				b.ReportMetric(float64(peak)/1024, "peak-MB")
			}
		})
	}
}

var benchTitle = regexp.MustCompile(`(?m)^title = ".*"$`)

// benchSessionFiles lists the session guides of the corpus in src.
func benchSessionFiles(b *testing.B, src string) []string {
	var out []string
	filepath.WalkDir(filepath.Join(src, "content"), func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() && strings.HasSuffix(p, ".md") && !strings.HasSuffix(p, "_index.md") {
			out = append(out, p)
		}
		return err
	})
	sort.Strings(out)
	if len(out) == 0 {
		b.Fatal("the corpus has no sessions")
	}
	return out
}

func benchEdit(b *testing.B, file string, edit func(string) string) {
	data, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(edit(string(data))), 0o644); err != nil {
		b.Fatal(err)
	}
}

type cacheBenchRun struct {
	wall  time.Duration
	hwmKB int64
}

// cacheBenchChild runs one build with the cache in a child process and
// checks that it did what kind says: everything for "cold", in part else.
func cacheBenchChild(b *testing.B, src, dest, kind string) cacheBenchRun {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCacheBenchChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "FLIPCHART_CACHE_BENCH_SRC="+src, "FLIPCHART_CACHE_BENCH_DEST="+dest)
	out, err := cmd.CombinedOutput()
	if err != nil {
		b.Fatalf("%s build: %v\n%s", kind, err, out)
	}
	var r cacheBenchRun
	var again bool
	var ns int64
	for _, line := range strings.Split(string(out), "\n") {
		if rest, ok := strings.CutPrefix(line, "cachebench "); ok {
			if _, err := fmt.Sscanf(rest, "ns=%d hwm=%d again=%t", &ns, &r.hwmKB, &again); err != nil {
				b.Fatalf("%s build: %v in %q", kind, err, line)
			}
		}
	}
	r.wall = time.Duration(ns)
	if again != (kind != "cold") {
		b.Fatalf("%s build: built in part = %v\n%s", kind, again, out)
	}
	return r
}

// TestCacheBenchChild is one build of BenchmarkCachedBuild; it skips when
// run any other way.
func TestCacheBenchChild(t *testing.T) {
	src := os.Getenv("FLIPCHART_CACHE_BENCH_SRC")
	if src == "" {
		t.Skip("runs only as the child process of BenchmarkCachedBuild")
	}
	build.LimitMemory() // as flipchart build does
	start := time.Now()
	res, err := build.ToDir(src, os.Getenv("FLIPCHART_CACHE_BENCH_DEST"), build.Options{Cache: filepath.Join(src, build.CacheDir)})
	wall := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if res.Diags.Warnings() > 0 {
		t.Fatalf("warnings: %s", res.Summary())
	}
	fmt.Printf("cachebench ns=%d hwm=%d again=%t\n", wall.Nanoseconds(), benchHWMKB(), res.Again)
}
