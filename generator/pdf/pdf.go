// Package pdf prints pages of a built flipchart site to PDF files with a
// local headless Chromium (see package browser), and adds the author and
// other metadata to each file.
//
// The page's print CSS decides the layout: `@page { size: A4; margin: 20mm }`
// sets the paper and margins, and margin boxes such as
// `@bottom-center { content: "Page " counter(page) " of " counter(pages) }`
// print the footer. The browser adds no header or footer of its own (no date,
// no URL).
package pdf

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"flipchart/generator/browser"
)

// Job is one page to print.
type Job struct {
	URL  string // file:// URL of the page
	Out  string // path of the PDF to write
	Name string // how progress names the PDF; Out when empty

	// The PDF's metadata. An empty Title keeps the one Chromium takes from
	// the page's <title>; an empty Author or Subject is left out.
	Title, Author, Subject string

	// Root is the file:// URL of the site's folder, ending in a slash, and
	// BaseURL where the site is published (or ""): a link to another file
	// of the site becomes a link to BaseURL, or plain text without one.
	Root, BaseURL string
	// Forbid are strings of the machine (its folders, a temporary folder's
	// name) that must not be in the PDF; printing fails when one is.
	Forbid []string
}

// Options tune Print. The zero value is ready to use.
type Options struct {
	// Parallel is how many tabs print at once. 0 means GOMAXPROCS, at least
	// 2 and at most 8.
	Parallel int
	// Progress, when not nil, gets one line per finished PDF, such as
	// "[3/16] pdf/session-11-handout.pdf (4 pages)".
	Progress io.Writer
	// Timeout limits the loading and printing of one page. 0 means 60 s.
	Timeout time.Duration
	// Browser is the program to start, as browser.Locate returns it; ""
	// for the one browser.Find finds. Unused when ctx has a browser.
	Browser string
}

// Creator is the PDF's /Creator: the program that made the document.
const Creator = "flipchart"

// Print prints the jobs to PDF files, on opt.Parallel tabs of one Chromium at
// once. When ctx is already a chromedp context with a running browser (from
// browser.New or browser.ForTest) Print opens its tabs there; otherwise it
// starts a browser with browser.New and closes it at the end. Without a
// Chromium the error wraps browser.ErrNotFound and says what to install.
//
// Each page is loaded, its web fonts awaited, and printed at the paper size
// and margins of its CSS, with backgrounds, a document outline (bookmarks from
// the headings) and tags for accessibility. Each file is written to a
// temporary file beside Out and renamed, so Out is either the old file or the
// whole new one. The first failure cancels the jobs not yet done, and the
// error names the page's URL.
func Print(ctx context.Context, jobs []Job, opt Options) error {
	if len(jobs) == 0 {
		return nil
	}
	if c := chromedp.FromContext(ctx); c == nil || c.Browser == nil {
		var (
			bctx   context.Context
			cancel context.CancelFunc
			err    error
		)
		if opt.Browser != "" {
			bctx, cancel, err = browser.Start(ctx, opt.Browser)
		} else {
			bctx, cancel, err = browser.New(ctx)
		}
		if err != nil {
			return fmt.Errorf("printing PDFs: %w", err)
		}
		defer cancel()
		ctx = bctx
	}
	if opt.Parallel <= 0 {
		opt.Parallel = min(max(runtime.GOMAXPROCS(0), 2), 8)
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 60 * time.Second
	}

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	todo := make(chan Job)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex // guards done and opt.Progress
		done int
	)
	for range min(opt.Parallel, len(jobs)) {
		wg.Go(func() {
			// A tab of its own; closing it leaves the browser running.
			tab, closeTab := chromedp.NewContext(ctx)
			defer closeTab()
			for job := range todo {
				pages, err := printJob(tab, job, opt.Timeout)
				var mf *MissingFontError
				switch {
				case errors.As(err, &mf) && job.Name != "":
					cancel(fmt.Errorf("printing %s: %w", job.Name, err)) // the page is fine: name the PDF
					return
				case err != nil:
					cancel(fmt.Errorf("printing %s to PDF: %w", job.URL, err))
					return
				}
				if opt.Progress != nil {
					mu.Lock()
					done++
					name := job.Name
					if name == "" {
						name = job.Out
					}
					fmt.Fprintf(opt.Progress, "[%d/%d] %s (%d %s)\n", done, len(jobs), name, pages, plural(pages, "page"))
					mu.Unlock()
				}
			}
		})
	}
feed:
	for _, job := range jobs {
		select {
		case todo <- job:
		case <-ctx.Done():
			break feed
		}
	}
	close(todo)
	wg.Wait()
	return context.Cause(ctx)
}

// printJob prints one page on the tab and writes its PDF. It returns the
// number of pages.
func printJob(tab context.Context, job Job, timeout time.Duration) (int, error) {
	// Open the tab first with no deadline: a deadline on the first action
	// of a chromedp context would close the tab when it ends.
	if err := chromedp.Do(tab); err != nil {
		return 0, err
	}
	ctx, cancel := context.WithTimeout(tab, timeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(job.URL)); err != nil {
		return 0, err
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.fonts.ready.then(() => true)`,
		chromedp.EvalAwaitPromise)); err != nil {
		return 0, fmt.Errorf("waiting for fonts: %w", err)
	}
	missing, err := chromedp.Run(ctx, chromedp.Evaluate[string](glyphsScript))
	if err != nil {
		return 0, fmt.Errorf("looking for the page's fonts: %w", err)
	}
	if missing != "" {
		return 0, &MissingFontError{Letters: missing}
	}
	args, _ := json.Marshal([]string{job.Root, job.BaseURL})
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](linksScript+".apply(null, "+string(args)+")")); err != nil {
		return 0, fmt.Errorf("preparing the links for print: %w", err)
	}
	// The page's @page size and margins win over the paper and margins of
	// the call. The call's margins are left at Chromium's 1 cm: they apply
	// only to a page whose CSS sets no @page margin, and with 0 such a page
	// would lose its margin boxes (footer) and print to the paper's edge.
	data, err := chromedp.Run(ctx, chromedp.PrintToPDF(
		chromedp.PDFPreferCSSPageSize(),
		chromedp.PDFPrintBackground(),
		chromedp.PDFOutlineAndTagged(),
		chromedp.PDFStream(),
		func(p *page.PrintToPDFParams) {
			no := false
			p.DisplayHeaderFooter = &no
		},
	))
	if err != nil {
		return 0, err
	}
	if found := Traces(data, job.Forbid); len(found) > 0 {
		return 0, fmt.Errorf("the PDF Chromium made holds %q, which names a place on this machine: it is not written (report this as a bug)", found[0])
	}
	doc, err := parse(data)
	if err != nil {
		return 0, fmt.Errorf("reading the PDF Chromium made: %w", err)
	}
	pages, err := doc.pages()
	if err != nil {
		return 0, fmt.Errorf("reading the PDF Chromium made: %w", err)
	}
	info := map[string]string{"Creator": Creator}
	for k, v := range map[string]string{"Title": job.Title, "Author": job.Author, "Subject": job.Subject} {
		if v != "" {
			info[k] = v
		}
	}
	if data, err = doc.withInfo(info); err != nil {
		return 0, fmt.Errorf("adding metadata: %w", err)
	}
	return pages, writeFile(job.Out, data)
}

// writeFile writes data to a temporary file in path's folder and renames it
// to path.
func writeFile(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
