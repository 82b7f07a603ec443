// Package build runs the pipeline, stage by stage: process (config and
// content), assemble (the site graph), render (pages and files) and publish
// (the atomic swap of the output folder). Every stage reports into one
// diagnostic list, and nothing is published when any stage found an error.
package build

import (
	"fmt"
	"io/fs"
	"os"
	"runtime/debug"
	"time"

	"flipchart/generator/config"
	"flipchart/generator/content"
	"flipchart/generator/diag"
	"flipchart/generator/markup"
	"flipchart/generator/publish"
	"flipchart/generator/render"
	"flipchart/generator/site"
)

// Options control a build.
type Options struct {
	Drafts bool // include draft pages
	// Unlinked warns about each page no other page links to, as
	// flipchart check does.
	Unlinked bool
	// Translations lists, as flipchart check does, the sessions of each
	// language that have no translation and the translations whose page
	// changed since they were marked current.
	Translations bool
	// Version is flipchart's version. A PDF records the version that
	// printed it, and one printed by another version is not kept.
	Version string
	// Cache, when not "", is the folder of the build cache (see CacheDir):
	// ToDir renders only what changed since the build that left it.
	Cache string
}

// Result is the outcome of a build.
type Result struct {
	Site     *site.Site // nil when the content could not be assembled
	Stats    render.Stats
	Diags    *diag.List
	Duration time.Duration
	// PDFs counts the site's PDFs that are current; nil when neither the
	// previous site nor this one has any.
	PDFs *PDFCount
	// With a build cache: Again is set when the build wrote only some
	// files, Written how many; Why says why a build with a cache rendered
	// everything, when it did.
	Again   bool
	Written int
	Why     string
}

// Err returns the build's error, or nil when it found none.
func (r *Result) Err() error { return r.Diags.Err() }

// Summary is the one line printed at the end of a build.
func (r *Result) Summary() string {
	pdfs := ""
	if p := r.PDFs; p != nil && !p.printRun {
		pdfs = fmt.Sprintf("%d of %d PDFs current, ", p.Current, p.Total)
		if p.Current < p.Total {
			pdfs = fmt.Sprintf("%d of %d PDFs current (run flipchart pdf for the rest), ", p.Current, p.Total)
		}
	}
	again := ""
	switch {
	case r.Again && r.Written == 0:
		again = " (nothing changed)"
	case r.Again:
		again = fmt.Sprintf(" (%d files written again)", r.Written)
	case r.Why != "":
		again = " (all rendered: " + r.Why + ")"
	}
	return fmt.Sprintf("%d pages, %d other files%s, %s%d warnings, %d errors in %s",
		r.Stats.Pages, r.Stats.Files, again, pdfs, r.Diags.Warnings(), r.Diags.Errors(), r.Duration.Round(time.Millisecond))
}

// Load runs the stages before rendering: it reads config.toml and content/
// from src (the site's folder), assembles the site and prepares the
// renderer. It goes as far as it can after an error, so that one run reports
// every problem; it returns a nil renderer only when nothing can be rendered
// (a broken theme).
func Load(src fs.FS, opt Options) (*site.Site, *render.Renderer, *diag.List) {
	return load(src, opt, false)
}

// load is Load; lean drops the pages' Markdown from memory until each is
// rendered, for a build that renders each page once.
func load(src fs.FS, opt Options, lean bool) (*site.Site, *render.Renderer, *diag.List) {
	st := loadStages(src, opt, lean)
	return st.site, st.r, st.diags
}

// stages is what the stages before rendering produce.
type stages struct {
	cfg     *config.Config
	theme   *render.Theme
	content *content.Content
	site    *site.Site
	r       *render.Renderer // nil when nothing can be rendered
	diags   *diag.List
}

// loadStages runs process and assemble, and prepares the renderer.
func loadStages(src fs.FS, opt Options, lean bool) *stages {
	st := &stages{diags: &diag.List{}}
	diags := st.diags
	st.cfg = loadConfig(src, diags)
	th, err := render.LoadTheme(src, st.cfg.Theme)
	if err != nil {
		diags.Add("config", st.cfg.Errorf([]string{"theme"}, "%v", err).
			WithHint("create themes/%s/ or remove the theme line to use the built-in theme", st.cfg.Theme))
	}
	st.theme = th
	if th != nil {
		th.CheckStrings(st.cfg, diags)
	}
	st.content = content.LoadWith(src, content.Options{DropBodies: lean}, diags)
	st.site = site.Assemble(st.cfg, st.content, site.Options{Drafts: opt.Drafts}, diags)
	if lean {
		for _, src := range st.content.Sources {
			src.Lean()
		}
	}
	if th == nil {
		return st
	}
	r, d := render.New(st.site, th, src, markup.New(), st.content.Failed)
	if d != nil {
		diags.Add("render", d)
		return st
	}
	st.r = r
	return st
}

// Render builds the site from src into w, wherever w keeps it.
func Render(src fs.FS, w render.Writer, opt Options) *Result {
	return render_(src, w, opt, false)
}

// render_ builds the site; oneBuild says it is rendered once, into a
// folder, so it may use less memory (see render.ForOneBuild).
func render_(src fs.FS, w render.Writer, opt Options, oneBuild bool) *Result {
	res, _ := renderStages(src, w, opt, oneBuild, false)
	return res
}

// renderStages is render_, returning the stages too; track has the
// renderer record what a build cache keeps.
func renderStages(src fs.FS, w render.Writer, opt Options, oneBuild, track bool) (*Result, *stages) {
	start := time.Now()
	st := loadStages(src, opt, oneBuild)
	res := &Result{Site: st.site, Diags: st.diags}
	if r := st.r; r != nil {
		if oneBuild {
			r.ForOneBuild()
		}
		if track {
			r.Track()
		}
		res.Stats = r.Render(w, st.diags)
		if opt.Unlinked {
			r.Links().ReportUnlinked(st.diags)
		}
		if opt.Translations {
			st.site.CheckTranslations(src, st.diags)
		}
	}
	res.Duration = time.Since(start)
	return res, st
}

// ToDir builds the site in the folder srcDir into dest. The new site replaces
// dest only when the build found no error; otherwise dest is left as it was.
// The PDFs of the site in dest that are current (see keepCurrent) are kept
// and linked from the pages; the others are left out.
func ToDir(srcDir, dest string, opt Options) (*Result, error) {
	start := time.Now()
	src, closeSrc, err := OpenSource(srcDir)
	if err != nil {
		return nil, err
	}
	defer closeSrc()
	out, err := publish.NewDir(dest)
	if err != nil {
		return nil, err
	}
	prev := readPrevious(dest)
	var cache *cacheRun
	if opt.Cache != "" {
		cache = openCache(src, opt, out.Dest())
		if !prev.had {
			if res, ok := cache.build(src, &out, opt, start); ok {
				return res, res.Err()
			}
		}
	}
	var res *Result
	if prev.manifest != nil {
		res, err = renderKeeping(src, dest, out, prev.manifest, opt, nil)
		if err != nil {
			out.Abort()
			res.Duration = time.Since(start)
			return res, err
		}
	} else {
		var st *stages
		res, st = renderStages(src, out, opt, true, cache != nil)
		if prev.had && res.Site != nil {
			res.PDFs = &PDFCount{Total: len(PDFFiles(res.Site))}
		}
		if cache != nil && !prev.had && !res.Diags.HasErrors() {
			cache.record(src, out, st, res)
		}
	}
	if res.Diags.HasErrors() {
		out.Abort()
		res.Duration = time.Since(start)
		return res, res.Err()
	}
	if err := out.Commit(); err != nil {
		return res, fmt.Errorf("publishing %s: %w", dest, err)
	}
	if cache != nil {
		res.Why = cache.why
		if prev.had {
			res.Why = "the destination has PDFs, which only a build of everything keeps right"
		}
	}
	cache.save(res)
	res.Duration = time.Since(start)
	return res, nil
}

// renderKeeping builds the site into out and keeps the PDFs of the previous
// site at dest that are current; print, when not nil (flipchart pdf),
// prints the others. It renders the pages once as flipchart pdf prints
// them, linking no PDF, and hashes what each PDF would be printed from;
// when some PDFs are current or printed, it renders the site again, its
// pages now linking them. (Deciding before rendering would need the pages'
// HTML, which only a render makes; and only a full render keeps every page
// that links a PDF, the print editions among them, right.) This is the one
// build of everything that keeps or prints PDFs: flipchart build and
// flipchart pdf differ only in print.
func renderKeeping(src fs.FS, dest string, out *publish.Dir, prev *manifest, opt Options, print func(*site.Site, string, []pdfWanted) error) (*Result, error) {
	s, r, diags := Load(src, opt)
	res := &Result{Site: s, Diags: diags}
	if r == nil {
		return res, nil
	}
	res.Stats = r.Render(out, diags)
	if diags.HasErrors() {
		return res, nil
	}
	files := PDFFiles(s)
	res.PDFs = &PDFCount{Total: len(files), printRun: print != nil}
	version := toolVersion(opt.Version)
	keys, err := pdfKeys(out.Path(), files, s.Config, version)
	if err != nil {
		return res, err
	}
	kept, err := keepCurrent(prev, dest, out, files, keys)
	if err != nil {
		return res, err
	}
	res.PDFs.Current = len(kept)
	if print != nil {
		var wanted []pdfWanted
		for i, f := range files {
			if _, ok := kept[f.Path]; !ok {
				wanted = append(wanted, pdfWanted{File: f, Key: keys[i]})
			}
		}
		if err := print(s, out.Path(), wanted); err != nil {
			return res, err
		}
		for _, w := range wanted {
			kept[w.File.Path] = pdfRecord{Page: w.File.Page.Out, Source: w.Key, SHA256: w.SHA256}
		}
		res.PDFs.Printed = len(wanted)
	}
	if len(kept) > 0 || print != nil {
		if err := writeManifest(out, version, kept); err != nil {
			return res, fmt.Errorf("writing %s: %w", ManifestPath, err)
		}
	}
	if len(kept) > 0 {
		r.SetPDFs(pdfLinks(files, kept))
		res.Stats = renderAgain(r, out, diags)
	}
	if opt.Unlinked {
		r.Links().ReportUnlinked(diags)
	}
	return res, nil
}

// renderAgain renders the site a second time into w, now that its pages
// can link their PDFs. Its warnings are the first render's again and are
// left out; an error is new, and kept.
func renderAgain(r *render.Renderer, w render.Writer, diags *diag.List) render.Stats {
	var again diag.List
	st := r.Render(w, &again)
	for _, d := range again.Items() {
		if d.Severity == diag.Error {
			diags.Add(d.Stage, d)
		}
	}
	return st
}

// OpenSource opens a site's folder for reading. Files are read through
// os.Root, so a symlink inside the site cannot reach a file outside it.
func OpenSource(dir string) (fs.FS, func(), error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot open the site folder: %w", err)
	}
	return root.FS(), func() { root.Close() }, nil
}

// LimitMemory tunes the garbage collector for a one-shot build: a soft
// limit on the heap keeps a large manual's build small, and under that
// limit the collector runs a quarter as often as Go's default, since a build
// is short and its live heap is a small part of what it allocates (it cuts
// the time of a build by about a sixth). GOMEMLIMIT and GOGC, when set, win.
//
// A manual of 10,000 sessions keeps some 60 MB live while it renders, so the
// limit, not GOGC, sets how often it is collected, and each collection
// marks all of that again: at 200 MiB its peak RSS is about 220 MB, and the
// build takes some 4% less time than at 160 MiB (peak 178 MB).
func LimitMemory() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(200 << 20)
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
}

// loadConfig reads config.toml and checks its highlighting styles.
func loadConfig(src fs.FS, diags *diag.List) *config.Config {
	cfg := config.Load(src, diags)
	checkStyles(cfg, diags)
	return cfg
}

// checkStyles reports and replaces highlighting styles chroma does not know.
func checkStyles(cfg *config.Config, diags *diag.List) {
	for _, st := range []struct {
		key  string
		name *string
	}{{"style", &cfg.HighlightStyle}, {"dark_style", &cfg.HighlightStyleDark}} {
		if !markup.StyleExists(*st.name) {
			diags.Add("config", cfg.Errorf([]string{"highlight", st.key}, "there is no chroma style %q", *st.name).
				WithHint(`pick a style such as "github", "friendly" or "monokai"`))
			*st.name = config.Default().HighlightStyle
		}
	}
}
