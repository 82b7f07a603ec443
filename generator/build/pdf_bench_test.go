//go:build linux

// Printing speed: the guide edition (print/index.html, every page of the
// manual in one HTML file) of the generated benchmark corpus, printed to PDF
// by a local headless Chromium. Reported:
//
//	ns/op        wall time of one print: load, fonts, layout, PDF, the
//	             page-number pass, joining the parts, metadata, write
//	pages/s      PDF pages printed per second of wall time
//	pages        PDF pages of one print
//	peak-MB      Chromium's peak memory: the PSS of all its processes, summed
//	renderer-MB  the peak resident size of its largest process
//
// The corpus (see bench_test.go) is built once with build.ToDir; each
// iteration prints the same page again in the same browser. It skips without
// Chromium, unless REQUIRE_BROWSER=1. One iteration is enough to read:
//
//	REQUIRE_BROWSER=1 go test -run '^$' -bench PDFPrintEdition -benchtime=1x ./generator/build/

package build_test

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"flipchart/generator/browser"
	"flipchart/generator/build"
	"flipchart/generator/pdf"
	"flipchart/generator/site"
)

// benchPDFSizes are the corpus sizes printed, in sessions.
var benchPDFSizes = []int{1000}

// benchPDFTimeout bounds one print. pdf.Print's default of 60 s is for one
// page of an ordinary site; the guide of 1,000 sessions is thousands of
// pages in one HTML file.
const benchPDFTimeout = 15 * time.Minute

// benchPDFPagesRE reads the page count from pdf.Print's progress line,
// "[1/1] /tmp/.../guide.pdf (4321 pages)".
var benchPDFPagesRE = regexp.MustCompile(`\((\d+) pages?\)\n$`)

func BenchmarkPDFPrintEdition(b *testing.B) {
	for _, n := range benchPDFSizes {
		b.Run(fmt.Sprintf("sessions=%d", n), func(b *testing.B) {
			ctx := browser.ForTest(b)
			dir := filepath.Join(b.TempDir(), "public")
			res, err := build.ToDir(benchCorpora.get(b, n), dir, build.Options{})
			if err != nil {
				b.Fatalf("building the corpus of %d sessions: %v", n, err)
			}
			job := pdf.Job{Out: filepath.Join(b.TempDir(), "guide.pdf"), Title: res.Site.Config.Title,
				Author: res.Site.Config.Author}
			for _, p := range res.Site.Prints {
				if p.Edition == site.GuideEdition {
					job.URL = webFileURL(b, dir, p.Out)
				}
			}
			if job.URL == "" {
				b.Fatal("the corpus has no guide edition")
			}

			mem := sampleMemory(chromedp.FromContext(ctx).Browser.Process().Pid)
			pages := 0
			for b.Loop() {
				var progress bytes.Buffer
				if err := pdf.Print(ctx, []pdf.Job{job}, pdf.Options{Progress: &progress, Timeout: benchPDFTimeout}); err != nil {
					b.Fatal(err)
				}
				m := benchPDFPagesRE.FindSubmatch(progress.Bytes())
				if m == nil {
					b.Fatalf("pdf.Print's progress gives no page count: %q", progress.Bytes())
				}
				p, _ := strconv.Atoi(string(m[1]))
				if p < n {
					b.Fatalf("the guide of %d sessions printed to %d pages", n, p)
				}
				pages += p
			}
			total, single := mem.peaks()
			b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
			b.ReportMetric(float64(total)/(1<<20), "peak-MB")
			b.ReportMetric(float64(single)/(1<<20), "renderer-MB")
			b.ReportMetric(float64(pages)/float64(b.N), "pages")
		})
	}
}
