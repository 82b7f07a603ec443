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
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
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
	// PartBytes is about how much of a long page's HTML is printed at once
	// (see split); 0 means DefaultPartBytes.
	PartBytes int
	// Status, when not nil, is told how printing goes after each print,
	// for a display that keeps it up to date.
	Status func(Status)
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
// and margins of its CSS, with backgrounds, tags for accessibility and
// bookmarks; a page that shows page numbers is printed again with them (see
// book.go), and a long page is printed in parts on several tabs and joined
// (see split.go). Each file is written to a temporary file beside Out and
// renamed, so Out is either the old file or the whole new one. The first
// failure cancels the jobs not yet done, and the error names the page's URL.
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
	if opt.PartBytes <= 0 {
		opt.PartBytes = DefaultPartBytes
	}

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	tabs := newTabs(ctx, opt.Parallel)
	defer tabs.close()
	prog := newProgress(jobs, opt)
	var wg sync.WaitGroup
	todo := make(chan Job)
	for range min(opt.Parallel, len(jobs)) {
		wg.Go(func() {
			for job := range todo {
				pages, err := printJob(ctx, tabs, job, opt, prog)
				var mf *MissingFontError
				switch {
				case errors.As(err, &mf) && job.Name != "":
					cancel(fmt.Errorf("printing %s: %w", job.Name, err)) // the page is fine: name the PDF
					return
				case err != nil:
					cancel(fmt.Errorf("printing %s to PDF: %w", job.URL, err))
					return
				}
				prog.jobDone(job, pages)
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

// tabs are the browser's tabs that print, each running one task at a time.
type tabs struct {
	tasks chan func(tab context.Context)
	wg    sync.WaitGroup
}

func newTabs(ctx context.Context, n int) *tabs {
	t := &tabs{tasks: make(chan func(context.Context))}
	for range n {
		t.wg.Go(func() {
			// A tab of its own; closing it leaves the browser running.
			tab, closeTab := chromedp.NewContext(ctx)
			defer closeTab()
			for task := range t.tasks {
				task(tab)
			}
		})
	}
	return t
}

// run runs f on the next free tab and returns its error.
func (t *tabs) run(ctx context.Context, f func(tab context.Context) error) error {
	done := make(chan error, 1)
	select {
	case t.tasks <- func(tab context.Context) { done <- f(tab) }:
	case <-ctx.Done():
		return context.Cause(ctx)
	}
	return <-done
}

func (t *tabs) close() {
	close(t.tasks)
	t.wg.Wait()
}

// printJob prints one page and writes its PDF. It returns the number of
// pages.
func printJob(ctx context.Context, tabs *tabs, job Job, opt Options, prog *progress) (int, error) {
	html, parts, linked, guess, cleanup, err := partsOf(job, opt.PartBytes)
	if err != nil {
		return 0, err
	}
	defer cleanup()
	width := max(2, len(strconv.Itoa(len(html)/bytesPerPage)))
	var (
		printed []*printedPart
		outline []OutlineItem
	)
	if len(parts) == 1 {
		// One tab keeps the page loaded from one print to the next.
		err = tabs.run(ctx, func(tab context.Context) error {
			loaded := false
			printed, outline, err = book(1, width, nil, guess, func(i int, o bookOptions) (*printedPart, error) {
				p, err := printOn(tab, parts[0], job, o, !loaded, opt.Timeout)
				loaded = true
				prog.printed(job, p, len(html))
				return p, err
			})
			return err
		})
	} else {
		printed, outline, err = book(len(parts), width, linked, guess, func(i int, o bookOptions) (*printedPart, error) {
			var p *printedPart
			err := tabs.run(ctx, func(tab context.Context) error {
				var err error
				p, err = printOn(tab, parts[i], job, o, true, opt.Timeout)
				return err
			})
			prog.printed(job, p, len(html)/len(parts))
			return p, err
		})
	}
	if err != nil {
		return 0, err
	}
	read := make([]*part, len(printed))
	for i, p := range printed {
		read[i] = p.part
	}
	data, err := join(read, outline)
	if err != nil {
		return 0, fmt.Errorf("joining the parts of the PDF: %w", err)
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

// partsOf reads the page of a job and cuts it into parts when it is long,
// each written to a hidden file beside it, which cleanup removes. It
// returns the page, the URLs of its parts (the page's own when it is not
// cut) and the IDs its links point at.
func partsOf(job Job, size int) (page []byte, parts, linked []string, guess map[string]int, cleanup func(), err error) {
	cleanup = func() {}
	u, err := url.Parse(job.URL)
	if err != nil || u.Scheme != "file" {
		return nil, []string{job.URL}, nil, nil, cleanup, nil
	}
	path := filepath.FromSlash(u.Path)
	if page, err = os.ReadFile(path); err != nil {
		return nil, nil, nil, nil, cleanup, err
	}
	cut, linked, places := split(page, size)
	guess = guessDigits(len(page), linked, places)
	if cut == nil {
		return page, []string{job.URL}, nil, guess, cleanup, nil
	}
	var files []string
	cleanup = func() {
		for _, f := range files {
			os.Remove(f)
		}
	}
	for _, part := range cut {
		f, err := os.CreateTemp(filepath.Dir(path), ".flipchart-part-*.html")
		if err != nil {
			cleanup()
			return nil, nil, nil, nil, func() {}, fmt.Errorf("writing a part of the page to print: %w", err)
		}
		files = append(files, f.Name())
		_, err = f.Write(part)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			cleanup()
			return nil, nil, nil, nil, func() {}, fmt.Errorf("writing a part of the page to print: %w", err)
		}
		parts = append(parts, (&url.URL{Scheme: "file", Path: filepath.ToSlash(f.Name())}).String())
	}
	return page, parts, linked, guess, cleanup, nil
}

// bytesPerPage is about how much HTML a printed page of a manual holds.
const bytesPerPage = 3000

// guessDigits guesses how many digits the page number of each element the
// page links to has, from where the element is in the page's HTML: the
// placeholder of a number in a line of text is as wide, so that the number
// written in its place rarely moves the text after it.
func guessDigits(size int, linked []string, places map[string]float64) map[string]int {
	pages := float64(size/bytesPerPage + 1)
	out := make(map[string]int, len(linked))
	for _, id := range linked {
		if f, ok := places[id]; ok {
			out[id] = len(strconv.Itoa(1 + int(f*pages)))
		}
	}
	return out
}

// printOn prints the page at pageURL on the tab with the options: loaded
// first when load is set, else as the last print left it.
func printOn(tab context.Context, pageURL string, job Job, o bookOptions, load bool, timeout time.Duration) (*printedPart, error) {
	// Open the tab first with no deadline: a deadline on the first action
	// of a chromedp context would close the tab when it ends.
	if err := chromedp.Do(tab); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(tab, timeout)
	defer cancel()
	if load {
		if err := chromedp.Do(ctx, chromedp.Navigate(pageURL)); err != nil {
			return nil, err
		}
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.fonts.ready.then(() => true)`,
			chromedp.EvalAwaitPromise)); err != nil {
			return nil, fmt.Errorf("waiting for fonts: %w", err)
		}
		missing, err := chromedp.Run(ctx, chromedp.Evaluate[string](glyphsScript))
		if err != nil {
			return nil, fmt.Errorf("looking for the page's fonts: %w", err)
		}
		if missing != "" {
			return nil, &MissingFontError{Letters: missing}
		}
	}
	arg, _ := json.Marshal(o)
	said, err := chromedp.Run(ctx, chromedp.Evaluate[string]("("+bookScript+")("+string(arg)+")"))
	if err != nil {
		return nil, fmt.Errorf("preparing the page for print: %w", err)
	}
	bp, err := parseBookPage(said)
	if err != nil {
		return nil, err
	}
	if load {
		args, _ := json.Marshal([]string{job.Root, job.BaseURL})
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](linksScript+".apply(null, "+string(args)+")")); err != nil {
			return nil, fmt.Errorf("preparing the links for print: %w", err)
		}
	}
	// The page's @page size and margins win over the paper and margins of
	// the call. The call's margins are left at Chromium's 1 cm: they apply
	// only to a page whose CSS sets no @page margin, and with 0 such a page
	// would lose its margin boxes (footer) and print to the paper's edge.
	// The bookmarks are flipchart's own (see book.go).
	data, err := chromedp.Run(ctx, chromedp.PrintToPDF(
		chromedp.PDFPreferCSSPageSize(),
		chromedp.PDFPrintBackground(),
		chromedp.PDFStream(),
		func(p *page.PrintToPDFParams) {
			yes, no := true, false
			p.DisplayHeaderFooter = &no
			p.GenerateTaggedPDF = &yes
			p.GenerateDocumentOutline = &no
		},
	))
	if err != nil {
		return nil, err
	}
	// Read once: for where its elements are, and for the join.
	read, err := readPart(data)
	if err != nil {
		return nil, fmt.Errorf("reading the PDF Chromium made: %w", err)
	}
	dests, err := read.destinations()
	if err != nil {
		return nil, fmt.Errorf("reading the PDF Chromium made: %w", err)
	}
	return &printedPart{part: read, dests: dests, pages: read.count, page: bp}, nil
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
