//go:build unix

// Benchmarks of a full build against two floors, each the same Markdown
// files read, rendered once with bare goldmark and chroma (the Markdown
// configured as flipchart configures it) and written as HTML, with no site
// logic:
//
//   - floor: one page per Markdown file, the HTML alone.
//   - floor-all: the files a build of the corpus writes (every page, each
//     session's handout, the materials, objectives and worksheets pages,
//     the worksheet edition, and the guide's and the participants' print
//     editions, print/index.html and print/participants/index.html), each
//     page's HTML wrapped by plain string concatenation, each handout a
//     copy of its session's body in a wrapper, and both editions the
//     concatenation of every body, streamed to their files (see
//     benchFloorAll; TestBenchFloorAllFiles checks it writes the files a
//     build does).
//
// Goals (see the README's Benchmarks): a build within 1.25× floor-all at
// 1,000 and 10,000 pages, on every core; its ratio to either floor at 10,000
// pages no more than 5% above the ratio at 1,000 (the cost grows with the
// work, not faster); and a peak memory under 250 MB at 10,000 pages.
//
// Each iteration runs in a child process (this test binary again, running
// TestBenchChild only), so that its peak memory can be read from the child's
// max RSS and no iteration inherits the heap of another. Every benchmark pays
// the same process start, so the comparison stays fair. Reported:
//
//	ns/op      wall time of one child process: start, one build, exit
//	B/op       bytes the child allocated for the build (with -benchmem)
//	allocs/op  allocations the child made for the build (with -benchmem)
//	peak-MB    the child's peak RSS in MB (10⁶ bytes), the largest over iterations
//	           (VmHWM on Linux, see benchPeakKB; else wait4's max RSS)
//	pages/s    Markdown files built per second of wall time
//	cores      CPU time (user + system) divided by wall time
//
// BenchmarkVsFloor runs the floor, floor-all and a build in turn and reports
// the build's ratio to each (x-floor, x-floor-all) and its peak-MB.
//
// The corpus is generated once per `go test` process into a temporary
// folder, deterministically: modules of 50 session guides of 6–10 KB each.
// Corpus and output go to os.TempDir(); on a machine where creating files is
// slow, TMPDIR=/dev/shm separates the generator's cost from the disk's.
//
// To profile the work itself, run it in-process:
//
//	FLIPCHART_BENCH_INPROCESS=1 go test -run '^$' -bench 'Build/pages=10000' \
//	    -cpuprofile cpu.out -memprofile mem.out ./generator/build/
//
// peak-MB, cores and the child's B/op are then not reported; -trace
// trace.out and `go tool trace` show which pages run alone on the cores.

package build_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"

	"flipchart/generator/build"
)

// Sizes of the corpus, in session guides. Each module's _index.md and the
// home page's come on top (1,000 sessions make 1,021 pages).
var benchSizes = []int{1000, 10000}

// Environment of a child process.
const (
	benchEnvChild     = "FLIPCHART_BENCH_CHILD" // "build", "floor" or "floor-all"
	benchEnvSrc       = "FLIPCHART_BENCH_SRC"   // the site's folder
	benchEnvDest      = "FLIPCHART_BENCH_DEST"  // the output folder, which must not exist
	benchEnvInProcess = "FLIPCHART_BENCH_INPROCESS"
	benchResultPrefix = "flipchart-bench-result:"
)

func TestMain(m *testing.M) {
	code := m.Run()
	benchCorpora.cleanup()
	os.Exit(code)
}

func BenchmarkBuild(b *testing.B) { benchAll(b, "build") }

func BenchmarkFloor(b *testing.B) { benchAll(b, "floor") }

func BenchmarkFloorAll(b *testing.B) { benchAll(b, "floor-all") }

func benchAll(b *testing.B, mode string) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("pages=%d", n), func(b *testing.B) {
			src := benchCorpora.get(b, n)
			if os.Getenv(benchEnvInProcess) != "" {
				benchInProcess(b, mode, src, benchSourcePages(n))
			} else {
				benchChild(b, mode, src, benchSourcePages(n))
			}
		})
	}
}

// benchSourcePages is the number of Markdown files in the corpus of n
// sessions: the sessions, each module's _index.md and the home page's.
func benchSourcePages(n int) int {
	return n + (n+benchSessionsPerModule-1)/benchSessionsPerModule + 1
}

// benchChild runs one build per iteration in a child process. srcPages is
// the number of Markdown files, for pages/s: a build and floor-all write more
// pages than that (handouts, print editions), the floor exactly that many.
func benchChild(b *testing.B, mode, src string, srcPages int) {
	tmp := b.TempDir()
	var (
		iters               int
		wall, cpu           time.Duration
		allocBytes, mallocs uint64
		peakKB              int64
	)
	for b.Loop() {
		run := benchRunChild(b, mode, src, filepath.Join(tmp, fmt.Sprintf("public-%d", iters)), srcPages)
		wall += run.wall
		cpu += run.cpu
		allocBytes += run.bytes
		mallocs += run.allocs
		peakKB = max(peakKB, run.peakKB)
		iters++
	}
	n := float64(iters)
	b.ReportMetric(float64(wall.Nanoseconds())/n, "ns/op")
	b.ReportMetric(float64(allocBytes)/n, "B/op")
	b.ReportMetric(float64(mallocs)/n, "allocs/op")
	b.ReportMetric(float64(peakKB)*1024/1e6, "peak-MB") // benchstat reads MB as 10⁶ bytes
	b.ReportMetric(n*float64(srcPages)/wall.Seconds(), "pages/s")
	b.ReportMetric(cpu.Seconds()/wall.Seconds(), "cores")
}

// benchRun is what one child process measured.
type benchRun struct {
	benchChildResult
	wall, cpu time.Duration
	peakKB    int64
}

// benchRunChild runs one build (or floor) in a child process, into dest,
// which it removes after.
func benchRunChild(b *testing.B, mode, src, dest string, srcPages int) benchRun {
	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestBenchChild$", "-test.count=1")
	cmd.Env = append(os.Environ(),
		benchEnvChild+"="+mode, benchEnvSrc+"="+src, benchEnvDest+"="+dest,
		// Honour -cpu: the child uses as many cores as this process.
		"GOMAXPROCS="+strconv.Itoa(runtime.GOMAXPROCS(0)))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start)
	if err != nil {
		b.Fatalf("%s child: %v\n%s", mode, err, out.Bytes())
	}
	r, ok := benchParseChild(out.Bytes())
	if !ok {
		b.Fatalf("%s child printed no result:\n%s", mode, out.Bytes())
	}
	if r.pages < srcPages {
		b.Fatalf("%s child wrote %d pages of %d Markdown files", mode, r.pages, srcPages)
	}
	if err := os.RemoveAll(dest); err != nil {
		b.Fatal(err)
	}
	return benchRun{benchChildResult: r, wall: wall,
		cpu:    cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(),
		peakKB: benchPeakKB(r, cmd.ProcessState)}
}

// BenchmarkVsFloor runs the floor, floor-all and a build in turn, each in
// its own child process, and reports the ratio of the build's wall time to
// each floor's (x-floor, x-floor-all), so a machine whose speed drifts over
// a long run skews all three alike; and the build's peak memory (peak-MB).
func BenchmarkVsFloor(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("pages=%d", n), func(b *testing.B) {
			src := benchCorpora.get(b, n)
			pages := benchSourcePages(n)
			tmp := b.TempDir()
			var build, floor, floorAll time.Duration
			var peakKB int64
			iters := 0
			for b.Loop() {
				out := func(mode string) string { return filepath.Join(tmp, fmt.Sprintf("%s-%d", mode, iters)) }
				floor += benchRunChild(b, "floor", src, out("floor"), pages).wall
				floorAll += benchRunChild(b, "floor-all", src, out("floor-all"), pages).wall
				run := benchRunChild(b, "build", src, out("build"), pages)
				build += run.wall
				peakKB = max(peakKB, run.peakKB)
				iters++
			}
			n := float64(iters)
			b.ReportMetric(float64((build+floor+floorAll).Nanoseconds())/n, "ns/op")
			b.ReportMetric(build.Seconds()/n, "build-s")
			b.ReportMetric(floor.Seconds()/n, "floor-s")
			b.ReportMetric(floorAll.Seconds()/n, "floor-all-s")
			b.ReportMetric(build.Seconds()/floor.Seconds(), "x-floor")
			b.ReportMetric(build.Seconds()/floorAll.Seconds(), "x-floor-all")
			b.ReportMetric(float64(peakKB)*1024/1e6, "peak-MB")
		})
	}
}

// benchPeakKB returns a child's peak RSS in kilobytes: the high-water mark
// of its own address space as it reported it (VmHWM), or else its max RSS
// from wait4. On Linux the latter is no better than a floor under this
// process's own peak: os/exec starts the child with vfork, so the kernel
// counts the parent's high-water mark, taken at exec, as the child's too.
func benchPeakKB(r benchChildResult, ps *os.ProcessState) int64 {
	if r.hwmKB > 0 {
		return r.hwmKB
	}
	ru := ps.SysUsage().(*syscall.Rusage)
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return int64(ru.Maxrss) / 1024 // bytes there
	}
	return int64(ru.Maxrss)
}

// benchHWMKB returns this process's peak RSS in kilobytes, from VmHWM in
// /proc/self/status, or 0 where there is none.
func benchHWMKB() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb
		}
	}
	return 0
}

// benchInProcess runs the builds in this process, for profiling.
func benchInProcess(b *testing.B, mode, src string, srcPages int) {
	tmp := b.TempDir()
	b.ReportAllocs()
	iters := 0
	for b.Loop() {
		dest := filepath.Join(tmp, fmt.Sprintf("public-%d", iters))
		if _, err := benchRunWork(mode, src, dest); err != nil {
			b.Fatal(err)
		}
		iters++
		b.StopTimer()
		if err := os.RemoveAll(dest); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(iters*srcPages)/b.Elapsed().Seconds(), "pages/s")
}

// TestBenchChild is one iteration of BenchmarkBuild, BenchmarkFloor or
// BenchmarkFloorAll, run in a child process; it skips when run any other way.
func TestBenchChild(t *testing.T) {
	mode := os.Getenv(benchEnvChild)
	if mode == "" {
		t.Skip("runs only as the child process of the benchmarks")
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	pages, err := benchRunWork(mode, os.Getenv(benchEnvSrc), os.Getenv(benchEnvDest))
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("%s pages=%d bytes=%d allocs=%d hwm=%d\n", benchResultPrefix, pages,
		after.TotalAlloc-before.TotalAlloc, after.Mallocs-before.Mallocs, benchHWMKB())
}

type benchChildResult struct {
	pages         int
	bytes, allocs uint64
	hwmKB         int64 // peak RSS, 0 when unknown
}

func benchParseChild(out []byte) (benchChildResult, bool) {
	var r benchChildResult
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), benchResultPrefix)
		if !ok {
			continue
		}
		_, err := fmt.Sscanf(line, " pages=%d bytes=%d allocs=%d hwm=%d", &r.pages, &r.bytes, &r.allocs, &r.hwmKB)
		return r, err == nil
	}
	return r, false
}

// benchRunWork does one build, of any kind, and returns the pages written.
func benchRunWork(mode, src, dest string) (int, error) {
	switch mode {
	case "build":
		build.LimitMemory() // as flipchart build does
		res, err := build.ToDir(src, dest, build.Options{})
		if err != nil {
			return 0, err
		}
		// The corpus is meant to be clean: a warning about it means the
		// generator no longer writes what flipchart expects.
		var msgs []string
		for _, d := range res.Diags.Items() {
			if strings.HasPrefix(d.File, "content/") {
				msgs = append(msgs, d.Error())
			}
		}
		if msgs != nil {
			return 0, fmt.Errorf("warnings about the corpus:\n%s", strings.Join(msgs, "\n"))
		}
		return res.Stats.Pages, nil
	case "floor":
		return benchFloor(src, dest)
	case "floor-all":
		return benchFloorAll(src, dest)
	}
	return 0, fmt.Errorf("unknown benchmark mode %q", mode)
}

// The floor: read each Markdown file, cut off its front matter, render it
// with goldmark configured as flipchart configures it Markdown-wise (GFM,
// footnotes, typographer, heading IDs and attributes, fenced code through
// chroma with CSS classes) and write the HTML, on GOMAXPROCS workers. No
// front matter decoding, site graph, link rewriting or templates. Floor-all
// (benchFloorAll) renders the same way and writes what a build writes.

var benchFloorMarkdown = goldmark.New(
	goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.Typographer),
	goldmark.WithParserOptions(parser.WithAutoHeadingID(), parser.WithAttribute()),
	goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(benchFloorCode{}, 200))),
)

var benchFloorFormatter = chromahtml.New(chromahtml.WithClasses(true))

// benchFloorCode renders fenced code blocks with chroma.
type benchFloorCode struct{}

func (benchFloorCode) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		fc := n.(*ast.FencedCodeBlock)
		var code strings.Builder
		for i := 0; i < fc.Lines().Len(); i++ {
			seg := fc.Lines().At(i)
			code.Write(seg.Value(src))
		}
		lexer := lexers.Get(string(fc.Language(src)))
		if lexer == nil {
			lexer = lexers.Fallback
		}
		it, err := chroma.Coalesce(lexer).Tokenise(nil, code.String())
		if err != nil {
			return ast.WalkStop, err
		}
		if err := benchFloorFormatter.Format(w, styles.Fallback, it); err != nil {
			return ast.WalkStop, err
		}
		return ast.WalkSkipChildren, nil
	})
}

func benchFloor(src, dest string) (int, error) {
	root := filepath.Join(src, "content")
	type job struct{ in, out string }
	jobs := make(chan job)
	var (
		pages    atomic.Int64
		errOnce  sync.Once
		firstErr error
		wg       sync.WaitGroup
	)
	fail := func(err error) { errOnce.Do(func() { firstErr = err }) }
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			var buf bytes.Buffer
			for j := range jobs {
				data, err := os.ReadFile(j.in)
				if err != nil {
					fail(err)
					continue
				}
				buf.Reset()
				if err := benchFloorMarkdown.Convert(benchStripFrontMatter(data), &buf); err != nil {
					fail(fmt.Errorf("%s: %w", j.in, err))
					continue
				}
				if err := os.WriteFile(j.out, buf.Bytes(), 0o644); err != nil {
					fail(err)
					continue
				}
				pages.Add(1)
			}
		})
	}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dest, rel), 0o755)
		}
		if strings.HasSuffix(p, ".md") {
			jobs <- job{p, filepath.Join(dest, strings.TrimSuffix(rel, ".md")+".html")}
		}
		return nil
	})
	close(jobs)
	wg.Wait()
	if err != nil {
		return 0, err
	}
	return int(pages.Load()), firstErr
}

// benchStripFrontMatter returns the body after the +++ front matter.
func benchStripFrontMatter(data []byte) []byte {
	rest, ok := bytes.CutPrefix(data, []byte("+++\n"))
	if !ok {
		return data
	}
	if i := bytes.Index(rest, []byte("\n+++\n")); i >= 0 {
		return rest[i+len("\n+++\n"):]
	}
	return data
}

// benchFloorAll writes the files a build of the corpus writes, with no site
// logic: each Markdown file rendered once, as benchFloor renders it, and
// written as its page, the body wrapped by string concatenation; a session
// (any file but an _index.md) also as its handout, a copy of the same body in
// another wrapper; the materials and objectives pages a link to every
// session; the worksheets page and the worksheet edition empty (the corpus
// has no worksheets); the guide's and the participants' editions every body
// in reading order, streamed to their files as the pages are rendered (a
// body waits only for those before it still being rendered); and the static
// files. It returns the HTML files written.
func benchFloorAll(src, dest string) (int, error) {
	root := filepath.Join(src, "content")
	type page struct {
		in, dir string // the Markdown file; the page's folder in dest, "" for the home page
		session bool
	}
	var pages []page
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		dir, name := filepath.Split(rel)
		pg := page{in: p, dir: filepath.Clean(dir)}
		if name != "_index.md" {
			pg.dir, pg.session = filepath.Join(dir, strings.TrimSuffix(name, ".md")), true
		}
		if pg.dir == "." {
			pg.dir = ""
		}
		pages = append(pages, pg)
		return nil
	})
	if err != nil {
		return 0, err
	}
	var (
		written  atomic.Int64
		errOnce  sync.Once
		firstErr error
	)
	fail := func(err error) { errOnce.Do(func() { firstErr = err }) }
	writePage := func(dir, title, body string) {
		out := filepath.Join(dest, dir, "index.html")
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			fail(err)
			return
		}
		if err := os.WriteFile(out, []byte(benchFloorHead(title)+body+benchFloorTail), 0o644); err != nil {
			fail(err)
			return
		}
		written.Add(1)
	}

	// The editions take the bodies in reading order from the workers.
	type section struct {
		i    int
		body []byte
	}
	sections := make(chan section, runtime.GOMAXPROCS(0))
	editionsDone := make(chan error, 1)
	go func() {
		err := benchFloorEditions(dest, len(pages), func(yield func(int, []byte)) {
			for s := range sections {
				yield(s.i, s.body)
			}
		})
		for range sections {
			// The editions failed early: the workers must not wait.
		}
		editionsDone <- err
	}()

	jobs := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			var buf bytes.Buffer
			for i := range jobs {
				pg := pages[i]
				buf.Reset()
				data, err := os.ReadFile(pg.in)
				if err == nil {
					err = benchFloorMarkdown.Convert(benchStripFrontMatter(data), &buf)
				}
				if err != nil {
					fail(fmt.Errorf("%s: %w", pg.in, err))
				}
				body := buf.String()
				writePage(pg.dir, pg.dir, body)
				if pg.session {
					writePage(filepath.Join(pg.dir, "handout"), pg.dir+" (handout)", body)
				}
				sections <- section{i, []byte(body)}
			}
		})
	}
	for i := range pages {
		jobs <- i
	}
	close(jobs)

	// The pages made of others, while the workers render.
	var list strings.Builder
	for _, pg := range pages {
		if pg.session {
			list.WriteString(`<li><a href="../` + filepath.ToSlash(pg.dir) + `/index.html">` + pg.dir + "</a></li>\n")
		}
	}
	writePage("materials", "Materials", "<ul>\n"+list.String()+"</ul>\n")
	writePage("objectives", "Objectives", "<ul>\n"+list.String()+"</ul>\n")
	writePage("worksheets", "Worksheets", "<ul></ul>\n")
	writePage(filepath.Join("print", "worksheets"), "Worksheets", "")
	var css bytes.Buffer
	if err := benchFloorFormatter.WriteCSS(&css, styles.Fallback); err != nil {
		fail(err)
	}
	for name, data := range map[string]string{
		"css/chroma.css": css.String(), "css/flipchart.css": "body{}\n", "css/print.css": "@page{}\n",
		"css/nav.css": "body{}\n", "css/session.css": "body{}\n", "css/blocks.css": "body{}\n", "css/worksheet.css": "body{}\n",
		"css/worksheet-page.css": "body{}\n", "css/pages.css": "body{}\n", "css/editions.css": "body{}\n",
		"js/flipchart.js": "\"use strict\";\n", "js/worksheet.js": "\"use strict\";\n",
	} {
		p := filepath.Join(dest, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			fail(err)
		} else if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			fail(err)
		}
	}

	wg.Wait()
	close(sections)
	if err := <-editionsDone; err != nil {
		fail(err)
	} else {
		written.Add(2)
	}
	return int(written.Load()), firstErr
}

// TestBenchFloorAllFiles checks that floor-all writes the files a build of
// the corpus writes, no more and no fewer.
func TestBenchFloorAllFiles(t *testing.T) {
	src := filepath.Join(t.TempDir(), "site")
	if err := benchWriteCorpus(src, 2*benchSessionsPerModule+7); err != nil {
		t.Fatal(err)
	}
	// A build tunes the collector as flipchart build does; not for the other tests.
	gc := debug.SetGCPercent(100)
	limit := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetGCPercent(gc); debug.SetMemoryLimit(limit) })
	pages := map[string]int{}
	files := func(mode string) []string {
		dest := filepath.Join(t.TempDir(), mode)
		n, err := benchRunWork(mode, src, dest)
		if err != nil {
			t.Fatal(err)
		}
		pages[mode] = n
		var list []string
		err = filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel(dest, p)
				list = append(list, filepath.ToSlash(rel))
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return list
	}
	// The search index, page and scripts are the build's alone: the
	// floor builds no index (its cost has a goal of its own).
	built := slices.DeleteFunc(files("build"), func(f string) bool {
		return strings.HasPrefix(f, "search/") || strings.HasPrefix(f, "js/search") || f == "css/search.css"
	})
	pages["build"]-- // search/index.html
	got, want := strings.Join(files("floor-all"), "\n"), strings.Join(built, "\n")
	if got != want {
		t.Errorf("floor-all writes:\n%s\n\na build writes:\n%s", got, want)
	}
	if pages["floor-all"] != pages["build"] {
		t.Errorf("floor-all counts %d pages, a build %d", pages["floor-all"], pages["build"])
	}
}

// benchFloorEditions writes the guide's and the participants' editions, the n
// bodies that sections yields (by index, in any order) concatenated in
// index order, each written as soon as those before it are.
func benchFloorEditions(dest string, n int, sections func(func(int, []byte))) error {
	if err := os.MkdirAll(filepath.Join(dest, "print", "participants"), 0o755); err != nil {
		return err
	}
	var files [2]*os.File
	var ws [2]*bufio.Writer
	for k, name := range []string{"print/index.html", "print/participants/index.html"} {
		f, err := os.Create(filepath.Join(dest, filepath.FromSlash(name)))
		if err != nil {
			return err
		}
		defer f.Close()
		files[k], ws[k] = f, bufio.NewWriterSize(f, 64<<10)
		ws[k].WriteString(benchFloorHead(name))
	}
	pending := map[int][]byte{}
	next := 0
	sections(func(i int, body []byte) {
		pending[i] = body
		for b, ok := pending[next]; ok; b, ok = pending[next] {
			for _, w := range ws {
				w.WriteString(`<section id="s` + strconv.Itoa(next) + `">`)
				w.Write(b)
				w.WriteString("</section>\n")
			}
			delete(pending, next)
			next++
		}
	})
	if next != n {
		return fmt.Errorf("the editions got %d sections of %d", next, n)
	}
	for k, w := range ws {
		w.WriteString(benchFloorTail)
		if err := w.Flush(); err != nil {
			return err
		}
		if err := files[k].Close(); err != nil {
			return err
		}
	}
	return nil
}

// benchFloorHead and benchFloorTail wrap a floor-all page's body.
func benchFloorHead(title string) string {
	return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>` + title + ` – Facilitation Curriculum</title>
<link rel="stylesheet" href="/css/flipchart.css">
<link rel="stylesheet" href="/css/chroma.css">
<link rel="stylesheet" href="/css/print.css">
</head>
<body>
<main id="main">
`
}

const benchFloorTail = `</main>
<script src="/js/flipchart.js"></script>
</body>
</html>
`

// benchCorpora are the generated sites, one per size, kept for the whole process.
var benchCorpora benchCorpusCache

type benchCorpusCache struct {
	mu   sync.Mutex
	root string
	dirs map[int]string
}

func (c *benchCorpusCache) get(tb testing.TB, sessions int) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if dir, ok := c.dirs[sessions]; ok {
		return dir
	}
	if c.root == "" {
		root, err := os.MkdirTemp("", "flipchart-bench-")
		if err != nil {
			tb.Fatal(err)
		}
		c.root, c.dirs = root, map[int]string{}
	}
	dir := filepath.Join(c.root, fmt.Sprintf("site-%d", sessions))
	if err := benchWriteCorpus(dir, sessions); err != nil {
		tb.Fatal(err)
	}
	c.dirs[sessions] = dir
	return dir
}

func (c *benchCorpusCache) cleanup() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.root != "" {
		os.RemoveAll(c.root)
	}
}

// The corpus.

const (
	benchSessionsPerModule = 50
	benchMinPageSize       = 6 << 10
	benchMaxPageSize       = 10 << 10
)

// benchWriteCorpus writes a site of n session guides into dir, the same bytes
// every time.
func benchWriteCorpus(dir string, n int) error {
	g := &benchGen{r: rand.New(rand.NewPCG(20240611, uint64(n)))}
	put := func(name string, data []byte) error {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		return os.WriteFile(p, data, 0o644)
	}
	if err := put("config.toml", []byte(`title = "Facilitation Curriculum: Benchmark Edition"
description = "A generated curriculum for benchmarks."
author = "flipchart"
language = "en"
`)); err != nil {
		return err
	}
	if err := put("content/_index.md", g.home()); err != nil {
		return err
	}
	for m := 0; m*benchSessionsPerModule < n; m++ {
		first := m*benchSessionsPerModule + 1
		last := min(first+benchSessionsPerModule-1, n)
		title := g.moduleTitle(m)
		mdir := fmt.Sprintf("content/m%03d-%s", m+1, benchSlugify(title))
		if err := put(mdir+"/_index.md", g.module(m, title)); err != nil {
			return err
		}
		names := make([]string, 0, last-first+1)
		titles := make([]string, 0, last-first+1)
		for s := first; s <= last; s++ {
			t := g.sessionTitle()
			titles = append(titles, t)
			names = append(names, fmt.Sprintf("%05d-%s.md", s, benchSlugify(t)))
		}
		for i, s := 0, first; s <= last; i, s = i+1, s+1 {
			if err := put(mdir+"/"+names[i], g.session(s, titles[i], first, names)); err != nil {
				return err
			}
		}
	}
	return nil
}

type benchGen struct{ r *rand.Rand }

func (g *benchGen) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *benchGen) between(lo, hi int) int { return lo + g.r.IntN(hi-lo+1) }

func benchSlugify(s string) string {
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(s) {
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b.WriteRune(c)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

func benchQuoteTOML(s string) string { return strconv.Quote(s) }

func benchTomlList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = benchQuoteTOML(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func (g *benchGen) home() []byte {
	var b bytes.Buffer
	b.WriteString("+++\ntitle = \"Facilitation Curriculum\"\nsummary = \"A generated workshop curriculum.\"\n+++\n\n")
	for range 3 {
		b.WriteString(g.paragraph(3, 5, nil))
		b.WriteString("\n\n")
	}
	return b.Bytes()
}

func (g *benchGen) moduleTitle(m int) string {
	return fmt.Sprintf("Module %d: %s %s", m+1, g.pick(benchTitleAdjectives), g.pick(benchTitleNouns))
}

func (g *benchGen) module(m int, title string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "+++\ntitle = %s\nweight = %d\nsummary = %s\n+++\n\n",
		benchQuoteTOML(title), m+1, benchQuoteTOML(g.sentence(nil)))
	for range 2 {
		b.WriteString(g.paragraph(3, 5, nil))
		b.WriteString("\n\n")
	}
	return b.Bytes()
}

func (g *benchGen) sessionTitle() string {
	return g.pick(benchTitleAdjectives) + " " + g.pick(benchTitleNouns)
}

// session writes one session guide. Its relative links go to other sessions
// of the module (names, numbered from first).
func (g *benchGen) session(num int, title string, first int, names []string) []byte {
	self := num - first
	link := func() string {
		i := g.r.IntN(len(names))
		if i == self {
			i = (i + 1) % len(names)
		}
		anchor := ""
		if g.r.IntN(3) == 0 {
			anchor = "#key-explanation-points"
		}
		return fmt.Sprintf("[Session %d](%s%s)", first+i, names[i], anchor)
	}
	target := g.between(benchMinPageSize, benchMaxPageSize-512)

	var b bytes.Buffer
	activity := g.pick(benchActivities)
	fmt.Fprintf(&b, "+++\ntitle = %s\nsession = %d\ntime = %s\nweight = %d\n",
		benchQuoteTOML(title), num, benchQuoteTOML(g.pick(benchTimes)), num)
	fmt.Fprintf(&b, "activities = %s\n", benchTomlList([]string{activity, g.pick(benchActivities)}))
	b.WriteString("objectives = [\n")
	for range g.between(2, 4) {
		fmt.Fprintf(&b, "  %s,\n", benchQuoteTOML("to "+g.pick(benchVerbs)+" "+g.pick(benchObjects)))
	}
	b.WriteString("]\n")
	fmt.Fprintf(&b, "materials = %s\n", benchTomlList(g.materials()))
	fmt.Fprintf(&b, "summary = %s\n+++\n\n", benchQuoteTOML(g.sentence(nil)))

	// The session as authors write it now: containers for the notes meant
	// for trainers and for the exercise (the floor renders the fences as
	// text, which costs it the same).
	b.WriteString("::: adaptation\n")
	b.WriteString(g.paragraph(3, 5, link))
	b.WriteString("\n:::\n\n")

	fmt.Fprintf(&b, ":::: exercise %s {format=%q materials=%q}\n\n",
		activity, g.pick(benchFormats), strings.Join(g.materials(), ", "))

	b.WriteString("### Summary\n\n")
	b.WriteString(g.paragraph(3, 5, link))
	b.WriteString("\n\n### Steps\n\n")
	for i := range g.between(4, 6) {
		fmt.Fprintf(&b, "%d. %s\n", i+1, g.sentence(nil))
	}
	b.WriteString("\n")

	b.WriteString(g.table())

	if num%5 == 0 {
		b.WriteString(g.code(num))
	}

	b.WriteString("### Key explanation points\n\n")
	for range g.between(3, 5) {
		fmt.Fprintf(&b, "- %s\n", g.sentence(link))
	}
	b.WriteString("\n::: facilitation\n")
	b.WriteString(g.paragraph(2, 4, link))
	b.WriteString("\n:::\n::::\n\n")

	// Variations until the page has its size.
	for v := 1; b.Len() < target; v++ {
		var s bytes.Buffer
		fmt.Fprintf(&s, "## Variation %d: %s\n\n", v, g.pick(benchVariations))
		s.WriteString(g.paragraph(2, 4, link))
		s.WriteString("\n\n")
		if g.r.IntN(2) == 0 {
			for range g.between(2, 4) {
				fmt.Fprintf(&s, "- %s\n", g.sentence(link))
			}
			s.WriteString("\n")
		}
		if b.Len()+s.Len() > benchMaxPageSize {
			break
		}
		b.Write(s.Bytes())
	}
	return b.Bytes()
}

func (g *benchGen) materials() []string {
	out := make([]string, 0, 4)
	for range g.between(2, 4) {
		out = append(out, g.pick(benchMaterialsList))
	}
	return out
}

func (g *benchGen) table() string {
	var b strings.Builder
	fmt.Fprintf(&b, "### %s\n\n", g.pick(benchTableHeadings))
	cols := g.between(3, 4)
	head := benchTableColumns[:cols]
	b.WriteString("| " + strings.Join(head, " | ") + " |\n")
	b.WriteString(strings.Repeat("| --- ", cols) + "|\n")
	for range g.between(3, 6) {
		item := g.pick(benchObjects)
		b.WriteString("| " + strings.ToUpper(item[:1]) + item[1:])
		for range cols - 1 {
			b.WriteString(" | " + g.pick(benchCells))
		}
		b.WriteString(" |\n")
	}
	b.WriteString("\n")
	return b.String()
}

func (g *benchGen) code(num int) string {
	name := g.pick(benchCodeNames)
	if (num/5)%2 == 0 {
		return fmt.Sprintf(benchGoSnippet, name, num, name)
	}
	return fmt.Sprintf(benchPySnippet, name, num, name)
}

// paragraph writes lo to hi sentences; link, when not nil, makes a link.
func (g *benchGen) paragraph(lo, hi int, link func() string) string {
	n := g.between(lo, hi)
	s := make([]string, n)
	for i := range s {
		s[i] = g.sentence(link)
	}
	return strings.Join(s, " ")
}

// sentence writes a sentence with some inline Markdown: emphasis, strong
// text, code, quotes and dashes for the typographer, and now and then a link.
func (g *benchGen) sentence(link func() string) string {
	obj := g.pick(benchObjects)
	switch g.r.IntN(8) {
	case 0:
		obj = "*" + obj + "*"
	case 1:
		obj = "**" + obj + "**"
	case 2:
		obj = `"` + obj + `"`
	}
	s := g.pick(benchSubjects) + " " + g.pick(benchVerbs) + " " + obj + " " + g.pick(benchTails)
	switch g.r.IntN(10) {
	case 0:
		s += " -- " + g.pick(benchAsides) + "."
	case 1:
		s += " Keep the `" + g.pick(benchCodeNames) + "` sheet on the wall..."
	case 2:
		s += " Participants' notes stay in the room."
	default:
		s += "."
	}
	if link != nil {
		switch g.r.IntN(6) {
		case 0:
			s += " See " + link() + "."
		case 1:
			s += " Background reading: [" + g.pick(benchExternalTitles) + "](https://example.org/" + benchSlugify(g.pick(benchExternalTitles)) + ")."
		}
	}
	return s
}

var (
	benchTitleAdjectives = []string{"Understanding", "Mapping", "Assessing", "Responding to", "Planning for", "Preventing", "Documenting", "Reviewing", "Sharing", "Practising", "Rethinking", "Building"}
	benchTitleNouns      = []string{"Risk", "Threats", "Well-being", "Secure Communication", "Incidents", "Security Plans", "Group Agreements", "Digital Hygiene", "Travel Safety", "Office Security", "Collective Care", "Support Networks", "Expectations", "Next Steps", "Stress"}
	benchActivities      = []string{"Brainstorm exercise", "Actor mapping", "Role play", "Risk matrix", "Gallery walk", "Case study", "Body map", "Fishbowl discussion", "Scenario cards", "Timeline exercise"}
	benchTimes           = []string{"15–30 min", "45 min", "1 h", "1 h 30 min", "60–90 min", "30 min", "20–40 min", "2 h"}
	benchFormats         = []string{"Small groups, then plenary", "Individual work, then pairs", "Plenary discussion", "Pairs, then demonstration", "Role play in groups of three"}
	benchMaterialsList   = []string{"Flipchart paper", "Markers", "Sticky notes", "Printed handouts", "Scenario cards", "Projector", "Masking tape", "Coloured dots", "Participants’ phones", "A timer"}
	benchSubjects        = []string{"Participants", "Each group", "Each participant", "Pairs", "The note-taker", "Small groups", "Everyone in the room", "Volunteers", "The whole group"}
	benchVerbs           = []string{"list", "map", "discuss", "compare", "rank", "review", "present", "agree on", "write down", "sketch", "identify", "reflect on"}
	benchObjects         = []string{"the risks they face", "the actors around them", "their daily routines", "the information they hold", "the people they support", "their communication channels", "the warning signs of stress", "the security measures already in place", "what they expect from the workshop", "the capacities of their organisation", "the incidents of the past year", "the steps of a response plan"}
	benchTails           = []string{"before the break", "on a sheet of flipchart paper", "in under ten minutes", "and report back to the plenary", "without naming individuals", "using sticky notes of two colours", "while the others take notes", "in their own words", "with the help of the handout", "one at a time"}
	benchAsides          = []string{"this takes longer than planned", "leave room for silence", "nobody has to share", "check the time", "ask before taking photographs"}
	benchCodeNames       = []string{"risk", "actors", "agenda", "plan", "incident", "checklist"}
	benchExternalTitles  = []string{"Holistic Security Manual", "Workbook on Security", "Facilitator Guide", "Digital First Aid Kit", "Well-being Resource Pack"}
	benchVariations      = []string{"Online groups", "Low-literacy groups", "Large groups", "Short on time", "Mixed languages", "Follow-up session"}
	benchTableHeadings   = []string{"Risk matrix", "Timing", "Roles", "Checklist", "Comparison"}
	benchTableColumns    = []string{"Item", "Likelihood", "Impact", "Who acts"}
	benchCells           = []string{"Low", "Medium", "High", "The coordinator", "Everyone", "Each week", "*Unknown*", "**Urgent**", "Not yet", "Done"}
)

const benchGoSnippet = "### Example: scoring the %s sheet\n\n```go" + `
package main

import (
	"fmt"
	"sort"
)

// Risk is one line of the risk matrix from session %d.
type Risk struct {
	Threat     string
	Likelihood int // 1 to 5
	Impact     int // 1 to 5
}

func main() {
	risks := []Risk{
		{"Office raid", 2, 5},
		{"Phone confiscated at a checkpoint", 4, 4},
		{"Burnout of the coordinator", 3, 4},
	}
	sort.Slice(risks, func(i, j int) bool {
		return risks[i].Likelihood*risks[i].Impact > risks[j].Likelihood*risks[j].Impact
	})
	for _, r := range risks {
		fmt.Printf("%%-40s %%2d\n", r.Threat, r.Likelihood*r.Impact)
	}
}
` + "```\n\nThe program sorts the %s sheet by score, highest first.\n\n"

const benchPySnippet = "### Example: scoring the %s sheet\n\n```python" + `
"""Score the risk matrix from session %d."""
from dataclasses import dataclass


@dataclass
class Risk:
    threat: str
    likelihood: int  # 1 to 5
    impact: int  # 1 to 5

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


risks = [
    Risk("Office raid", 2, 5),
    Risk("Phone confiscated at a checkpoint", 4, 4),
    Risk("Burnout of the coordinator", 3, 4),
]
for r in sorted(risks, key=lambda r: r.score, reverse=True):
    print(f"{r.threat:40} {r.score:2}")
` + "```\n\nThe script sorts the %s sheet by score, highest first.\n\n"
