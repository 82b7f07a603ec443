package build

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"flipchart/generator/browser"
	"flipchart/generator/i18n"
	"flipchart/generator/markup"
	"flipchart/generator/pdf"
	"flipchart/generator/publish"
	"flipchart/generator/site"
)

// PDFOptions control flipchart pdf.
type PDFOptions struct {
	Options
	Progress io.Writer // a line per PDF printed; nil for none
	// Status, when not nil, is told how printing goes after each print,
	// for a line on a terminal that keeps it up to date.
	Status   func(pdf.Status)
	Parallel int    // pages printed at once; 0 for the number of cores
	Browser  string // the program to print with (browser.Locate); "" for browser.Find's
	// All prints every PDF, even those of the site at the destination that
	// are current (after a new browser or new fonts, say).
	All bool
}

// PDFFile is one PDF a site gets: the page it is printed from and its path
// in the site ("pdf/session-11-handout.pdf").
type PDFFile struct {
	Page *site.Page
	Path string
	Job  pdf.Job
}

// PDFFiles lists the PDFs of a site: the guide, the participant edition and
// the worksheets edition, each session's handout and each worksheet.
//
// A manual in several languages has them in each, under the language's
// folder (es/pdf/guide.pdf), titled in it.
func PDFFiles(s *site.Site) []PDFFile {
	langs := s.Langs
	if len(langs) == 0 {
		langs = []*site.Site{s}
	}
	var out []PDFFile
	for _, l := range langs {
		out = append(out, pdfFilesOf(l)...)
	}
	return out
}

// pdfFilesOf lists the PDFs of one language's pages.
func pdfFilesOf(s *site.Site) []PDFFile {
	cfg, lang := s.Config, s.Lang
	if lang == nil {
		lang = &cfg.Languages[0]
	}
	t := s.Words
	if t == nil {
		t = markup.English
	}
	var out []PDFFile
	add := func(p *site.Page, name, title string) {
		out = append(out, PDFFile{Page: p, Path: s.Prefix + "pdf/" + name + ".pdf",
			Job: pdf.Job{Title: title, Author: cfg.Author, Subject: lang.Description}})
	}
	for _, p := range s.Prints {
		switch p.Edition {
		case site.GuideEdition:
			add(p, "guide", lang.Title)
		case site.ParticipantEdition:
			add(p, "participants", lang.Title+" — "+t("participant_edition"))
		case site.WorksheetEdition:
			if len(s.WorksheetPages) > 0 {
				add(p, "worksheets", lang.Title+" — "+t("worksheets"))
			}
		}
	}
	for _, p := range s.Sessions {
		label := strings.ReplaceAll(i18n.SessionLabel(t, p.Session, p.Title), "\u00a0", " ") // a PDF reader's title bar wraps nothing
		add(p.Handout, fmt.Sprintf("session-%02d-handout", p.Session), label+" — "+t("participant_handout"))
	}
	for _, w := range s.WorksheetPages {
		name := strings.TrimSuffix(strings.TrimPrefix(w.URL, s.Prefix+"worksheets/"), "/")
		add(w, "worksheet-"+name, w.Title+" — "+t("kind_worksheet"))
	}
	return out
}

// MachineTraces are the strings that name this machine in a PDF or a
// bundle: the folders dirs (of the site, of the output and of the build in
// progress, and the name of a hidden one), the home folder and the host's
// name.
func MachineTraces(dirs ...string) []string {
	var out []string
	add := func(s string) {
		if len(s) > 3 && s != "/" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, d := range dirs {
		if abs, err := filepath.Abs(d); err == nil {
			add(abs)
			add(filepath.ToSlash(abs))
			if strings.HasPrefix(filepath.Base(abs), ".") {
				add(filepath.Base(abs)) // ".public.building-123"
			}
		}
	}
	if home, err := os.UserHomeDir(); err == nil {
		add(home)
	}
	if host, err := os.Hostname(); err == nil && len(host) >= 6 && host != "localhost" {
		add(host)
	}
	return out
}

// printPDFs prints PDFs; tests put a fake in its place.
var printPDFs = pdf.Print

// PDF builds the site in srcDir into dest like ToDir, prints its PDFs
// through a local Chromium into dest/pdf/, and links them from the pages.
// The PDFs of the site in dest that are current (see keepCurrent) are kept
// rather than printed again, unless opt.All. It returns the number of PDFs
// the site has; res.PDFs says how many were printed. Without Chromium it
// fails before anything is written, and dest is left as it was; so it is
// when a build or a print fails.
func PDF(ctx context.Context, srcDir, dest string, opt PDFOptions) (*Result, int, error) {
	start := time.Now()
	if opt.Browser == "" {
		p, err := browser.Find()
		if err != nil {
			return nil, 0, err
		}
		opt.Browser = p
	}
	out, err := publish.NewDir(dest)
	if err != nil {
		return nil, 0, err
	}
	src, closeSrc, err := OpenSource(srcDir)
	if err != nil {
		out.Abort()
		return nil, 0, err
	}
	defer closeSrc()
	var prev *manifest
	if !opt.All {
		prev = readPrevious(dest).manifest
	}
	// The last status, for the summary.
	var (
		mu   sync.Mutex
		last pdf.Status
	)
	tell := opt.Status
	opt.Status = func(s pdf.Status) {
		mu.Lock()
		last = s
		mu.Unlock()
		if tell != nil {
			tell(s)
		}
	}
	print := func(s *site.Site, outDir string, jobs []pdfWanted) error {
		return printStale(ctx, srcDir, dest, outDir, s, jobs, opt)
	}
	res, err := renderKeeping(src, dest, out, prev, opt.Options, print)
	if err == nil && res.Diags.HasErrors() {
		err = res.Err()
	}
	if err != nil {
		out.Abort()
		if res != nil {
			res.Duration = time.Since(start)
		}
		return res, 0, err
	}
	mu.Lock()
	res.PDFs.Pages, res.PDFs.PrintTime = last.Pages, last.Elapsed
	mu.Unlock()
	if opt.Progress != nil {
		fmt.Fprintf(opt.Progress, "%d printed, %d current\n", res.PDFs.Printed, res.PDFs.Current)
	}
	if err := out.Commit(); err != nil {
		return res, 0, fmt.Errorf("publishing %s: %w", dest, err)
	}
	res.Duration = time.Since(start)
	return res, res.PDFs.Total, nil
}

// pdfWanted is one PDF to print: the file, and the hash of what it is
// printed from, for the manifest.
type pdfWanted struct {
	File PDFFile
	Key  string
	// Out is where it is printed to in the build; SHA256 is the PDF's
	// hash once printed.
	Out, SHA256 string
}

// printStale prints the PDFs of wanted into the build in outDir, through
// the local browser, and hashes each.
func printStale(ctx context.Context, srcDir, dest, outDir string, s *site.Site, wanted []pdfWanted, opt PDFOptions) error {
	if len(wanted) == 0 {
		return nil
	}
	root := (&url.URL{Scheme: "file", Path: filepath.ToSlash(outDir) + "/"}).String()
	forbid := MachineTraces(srcDir, dest, outDir)
	jobs := make([]pdf.Job, len(wanted))
	for i, w := range wanted {
		j := printJob(w.File, s.Config)
		j.Root, j.Forbid = root, forbid
		j.URL = (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(outDir, filepath.FromSlash(w.File.Page.Out)))}).String()
		j.Out = filepath.Join(outDir, filepath.FromSlash(w.File.Path))
		j.Name = filepath.Join(dest, filepath.FromSlash(w.File.Path))
		jobs[i] = j
	}
	// A print edition is the whole manual on one page: give Chromium time in
	// proportion (a 1,000-session guide takes minutes).
	timeout := max(60*time.Second, time.Duration(len(s.Pages))*time.Second)
	if err := printPDFs(ctx, jobs, pdf.Options{Parallel: opt.Parallel, Progress: opt.Progress, Status: opt.Status, Timeout: timeout, Browser: opt.Browser}); err != nil {
		return err
	}
	for i := range wanted {
		sum, err := fileSHA256(jobs[i].Out)
		if err != nil {
			return err
		}
		wanted[i].Out, wanted[i].SHA256 = jobs[i].Out, sum
	}
	return nil
}
