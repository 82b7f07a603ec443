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

// PDF builds the site in srcDir into dest like ToDir, prints its PDFs
// through a local Chromium into dest/pdf/, and links them from the pages.
// Without Chromium it fails before anything is written, and dest is left as
// it was; so it is when a build or a print fails.
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
	files := PDFFiles(s)
	jobs := make([]pdf.Job, len(files))
	links := make(map[string]string, len(files))
	root := (&url.URL{Scheme: "file", Path: filepath.ToSlash(out.Path()) + "/"}).String()
	forbid := machineTraces(srcDir, dest, out.Path())
	for i, f := range files {
		j := f.Job
		j.Root, j.BaseURL, j.Forbid = root, s.Config.BaseURL, forbid
		j.URL = (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(out.Path(), filepath.FromSlash(f.Page.Out)))}).String()
		j.Out = filepath.Join(out.Path(), filepath.FromSlash(f.Path))
		j.Name = filepath.Join(dest, filepath.FromSlash(f.Path))
		jobs[i] = j
		links[f.Page.Out] = f.Path
	}
	// A print edition is the whole manual on one page: give Chromium time in
	// proportion (a 1,000-session guide takes minutes).
	timeout := max(60*time.Second, time.Duration(len(s.Pages))*time.Second)
	if err := pdf.Print(ctx, jobs, pdf.Options{Parallel: opt.Parallel, Progress: opt.Progress, Timeout: timeout, Browser: opt.Browser}); err != nil {
		out.Abort()
		return res, 0, err
	}
	// Render again, now that every page can link its PDF.
	r.SetPDFs(links)
	res.Stats = r.Render(out, diags)
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
