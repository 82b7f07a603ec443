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
	"time"

	"flipchart/generator/browser"
	"flipchart/generator/pdf"
	"flipchart/generator/publish"
	"flipchart/generator/site"
)

// PDFOptions control flipchart pdf.
type PDFOptions struct {
	Options
	Progress io.Writer // a line per PDF printed; nil for none
	Parallel int       // pages printed at once; 0 for the number of cores
	Browser  string    // the program to print with (browser.Locate); "" for browser.Find's
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
func PDFFiles(s *site.Site) []PDFFile {
	cfg := s.Config
	var out []PDFFile
	add := func(p *site.Page, name, title string) {
		out = append(out, PDFFile{Page: p, Path: "pdf/" + name + ".pdf",
			Job: pdf.Job{Title: title, Author: cfg.Author, Subject: cfg.Description}})
	}
	for _, p := range s.Prints {
		switch p.Edition {
		case site.GuideEdition:
			add(p, "guide", cfg.Title)
		case site.ParticipantEdition:
			add(p, "participants", cfg.Title+" — Participant edition")
		case site.WorksheetEdition:
			if len(s.WorksheetPages) > 0 {
				add(p, "worksheets", cfg.Title+" — Worksheets")
			}
		}
	}
	for _, p := range s.Sessions {
		label := strings.ReplaceAll(p.Label(), "\u00a0", " ") // a PDF reader's title bar wraps nothing
		add(p.Handout, fmt.Sprintf("session-%02d-handout", p.Session), label+" — Participant handout")
	}
	for _, w := range s.WorksheetPages {
		name := strings.TrimSuffix(strings.TrimPrefix(w.URL, "worksheets/"), "/")
		add(w, "worksheet-"+name, w.Title+" — Worksheet")
	}
	return out
}

// machineTraces are the strings that name this machine in a PDF: the
// folders of the site, of the output and of the build in progress (and its
// name), the home folder and the host's name.
func machineTraces(dirs ...string) []string {
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
	s, r, diags := Load(src, opt.Options)
	res := &Result{Site: s, Diags: diags}
	if r != nil {
		res.Stats = r.Render(out, diags)
	}
	if diags.HasErrors() {
		out.Abort()
		return res, 0, res.Err()
	}
	// Each PDF is printed from its page as this first render wrote it,
	// linking no PDF; a build hashes the same to tell whether it is current.
	files := PDFFiles(s)
	version := toolVersion(opt.Version)
	keys, err := pdfKeys(out.Path(), files, s.Config, version)
	if err != nil {
		out.Abort()
		return res, 0, err
	}
	var prev *manifest
	if !opt.All {
		prev = readPrevious(dest).manifest
	}
	recs, err := keepCurrent(prev, dest, out, files, keys)
	if err != nil {
		out.Abort()
		return res, 0, err
	}
	current := len(recs)
	var (
		jobs    []pdf.Job
		printed []int // the index in files of each job
	)
	root := (&url.URL{Scheme: "file", Path: filepath.ToSlash(out.Path()) + "/"}).String()
	forbid := machineTraces(srcDir, dest, out.Path())
	for i, f := range files {
		if _, ok := recs[f.Path]; ok {
			continue
		}
		j := printJob(f, s.Config)
		j.Root, j.Forbid = root, forbid
		j.URL = (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(out.Path(), filepath.FromSlash(f.Page.Out)))}).String()
		j.Out = filepath.Join(out.Path(), filepath.FromSlash(f.Path))
		j.Name = filepath.Join(dest, filepath.FromSlash(f.Path))
		jobs = append(jobs, j)
		printed = append(printed, i)
	}
	if len(jobs) > 0 {
		// A print edition is the whole manual on one page: give Chromium time in
		// proportion (a 1,000-session guide takes minutes).
		timeout := max(60*time.Second, time.Duration(len(s.Pages))*time.Second)
		if err := printPDFs(ctx, jobs, pdf.Options{Parallel: opt.Parallel, Progress: opt.Progress, Timeout: timeout, Browser: opt.Browser}); err != nil {
			out.Abort()
			return res, 0, err
		}
	}
	for k, i := range printed {
		sum, err := fileSHA256(jobs[k].Out)
		if err != nil {
			out.Abort()
			return res, 0, err
		}
		recs[files[i].Path] = pdfRecord{Page: files[i].Page.Out, Source: keys[i], SHA256: sum}
	}
	if err := writeManifest(out, version, recs); err != nil {
		out.Abort()
		return res, 0, fmt.Errorf("writing %s: %w", ManifestPath, err)
	}
	res.PDFs = &PDFCount{Total: len(files), Current: current, Printed: len(jobs), printRun: true}
	if opt.Progress != nil {
		fmt.Fprintf(opt.Progress, "%d printed, %d current\n", len(jobs), current)
	}
	// Render again, now that every page can link its PDF.
	r.SetPDFs(pdfLinks(files, recs))
	res.Stats = renderAgain(r, out, diags)
	if diags.HasErrors() {
		out.Abort()
		return res, 0, res.Err()
	}
	if err := out.Commit(); err != nil {
		return res, 0, fmt.Errorf("publishing %s: %w", dest, err)
	}
	res.Duration = time.Since(start)
	return res, len(files), nil
}
