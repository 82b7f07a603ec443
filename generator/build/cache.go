package build

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"flipchart/generator/content"
	"flipchart/generator/diag"
	"flipchart/generator/markup"
	"flipchart/generator/publish"
	"flipchart/generator/render"
	"flipchart/generator/site"
	"flipchart/generator/watch"
)

// CacheDir is the folder, in a site's folder, where flipchart build keeps
// what the last build read and wrote, so that the next one renders only
// what changed. Deleting it costs one build that renders everything.
const CacheDir = ".flipchart-cache"

// The build cache is two files in CacheDir (see codec.go), each written
// whole to a temporary file and renamed over the last one, so that the
// cache is the last good build's or the one before's, never half of one;
// a file damaged anyway (a disk full, a computer shut down) fails its
// checksum. They hold:
//
//   - the key: flipchart's version and its program's hash, the options, and
//     the destination; a cache of another key is not used;
//   - every file the build read (config.toml, content, layouts, i18n,
//     static, themes), with its size, time and SHA-256;
//   - what the stages made of them that a partial rebuild starts from: the
//     content files' front matter, and the renderer's state (what each
//     output used, what it learnt of each page's Markdown, the files' IDs);
//   - every file the build wrote, with its size and time, and each folder's
//     time, so that a destination changed since (by hand, or by another
//     build) is noticed and built whole again;
//   - the warnings, which a partial rebuild reports again for the files it
//     does not read again.
//
// A build with the cache finds the files that changed since, by size and
// time and then by hash, and hands them to the same plan the dev server
// uses (Live.Apply), with the site as the last build left it: only the
// files the plan names are written, to the folder beside the destination,
// and then moved into it (publish.Dir.CommitFiles). Whatever the plan cannot
// do in part (config.toml, a new file beside the content, a deleted page, a
// page that lost an ID another may link to, PDFs in the destination, an
// error) is a build of everything, as without the cache. A cache that
// cannot be read is a warning and a build of everything.
const (
	cacheFormat = 4
	cacheFile   = "build.cache"
)

// cacheState is the build cache's file.
type cacheState struct {
	Format  int
	Key     [32]byte
	Written int64 // when the state was made, in Unix nanoseconds
	Exe     exeState
	Inputs  map[string]inputFile // by path in the site
	Sources []content.SourceState
	Assets  []content.Asset
	Render  *render.State
	Outputs map[string]fileStat // every file of the destination
	Dirs    map[string]int64    // every folder of the destination: its time
	Diags   []diag.Diagnostic   // the warnings
	Stats   render.Stats
	// Special are the files of the pages whose own front matter keys the
	// site stage reads (agendas), as they were: the site as the last build
	// left it is assembled from them.
	Special map[string][]byte

	pending *pendingOutputs // not kept: see cacheRun.build
	body    *decoder        // what is left to read of the file, see loadBody
	parts   [][]byte        // the body's parts as read (see bodyPart)
	prev    *cacheState     // the state the build started from, when in part
	dir     string          // the cache's folder
	// sourcesSame says Sources are those of prev.
	sourcesSame bool
}

// inputFile is one file a build read.
type inputFile struct {
	Size, MTime int64
	Hash        [32]byte
}

// fileStat is one file a build wrote.
type fileStat struct{ Size, MTime int64 }

// exeState is the program's file and hash, so the hash is made once.
type exeState struct {
	Size, MTime int64
	Hash        [32]byte
}

// inputRoots are the files and folders of a site a build reads.
var inputRoots = []string{"config.toml", content.Dir, "layouts", "i18n", "static", "themes"}

// scanInputs lists the files of the site in fsys that a build reads, with
// their sizes and times, as the watcher classifies them.
func scanInputs(fsys fs.FS) (map[string]inputFile, error) {
	out := map[string]inputFile{}
	for _, root := range inputRoots {
		err := fs.WalkDir(fsys, root, func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return nil
				}
				return err
			}
			if p != root && content.Ignored(e.Name()) {
				if e.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if e.IsDir() || watch.Classify(p) == watch.Ignored {
				return nil
			}
			if !e.Type().IsRegular() {
				// A link (which may lead to a folder) or a special file:
				// the build of everything follows or reports it.
				return fmt.Errorf("%s is a link or a special file", p)
			}
			info, err := e.Info()
			if err != nil {
				return nil // gone meanwhile
			}
			out[p] = inputFile{Size: info.Size(), MTime: info.ModTime().UnixNano()}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// hashInputs fills in the hash of each file of in whose hash is zero, on
// every core.
func hashInputs(fsys fs.FS, in map[string]inputFile) {
	names := make([]string, 0, len(in))
	for name, f := range in {
		if f.Hash == ([32]byte{}) {
			names = append(names, name)
		}
	}
	var mu sync.Mutex
	parallelFor(len(names), func(i int) {
		h, err := hashInput(fsys, names[i])
		mu.Lock()
		defer mu.Unlock()
		f := in[names[i]]
		if err != nil {
			f.MTime = -1 // read again next time
		}
		f.Hash = h
		in[names[i]] = f
	})
}

func hashInput(fsys fs.FS, name string) ([32]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return [32]byte{}, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return [32]byte{}, err
	}
	var sum [32]byte
	h.Sum(sum[:0])
	return sum, nil
}

// parallelFor runs fn(0..n-1) on every core.
func parallelFor(n int, fn func(int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				fn(i)
			}
		})
	}
	wg.Wait()
}

// changesSince compares the site's files now with those of the last build,
// hashing those whose size or time differ (and those the last build saw
// change within a second of its end), and returns the changes, as the
// watcher would report them, and now's files with their hashes.
func changesSince(fsys fs.FS, last *cacheState, now map[string]inputFile) ([]Change, map[string]inputFile, error) {
	now = maps.Clone(now)
	reuseHashes(now, last)
	hashInputs(fsys, now)
	var changes []Change
	for name, f := range now {
		if old, ok := last.Inputs[name]; !ok || old.Hash != f.Hash {
			changes = append(changes, Change{Path: name, Kind: watch.Classify(name)})
		}
	}
	for name := range last.Inputs {
		if _, ok := now[name]; !ok {
			changes = append(changes, Change{Path: name, Kind: watch.Classify(name), Removed: true})
		}
	}
	sort.Slice(changes, func(i, j int) bool { return changes[i].Path < changes[j].Path })
	return changes, now, nil
}

// cacheKey is what a cache must have been made with to be used: this
// program, the options and the destination.
func cacheKey(opt Options, exe [32]byte, dest string) [32]byte {
	h := sha256.New()
	fmt.Fprintf(h, "flipchart build cache %d\x00%s\x00%x\x00drafts=%v\x00%s", cacheFormat, toolVersion(opt.Version), exe, opt.Drafts, dest)
	var k [32]byte
	h.Sum(k[:0])
	return k
}

// exeHash hashes the running program, or reuses the hash last made of it.
func exeHash(last *cacheState) exeState {
	p, err := os.Executable()
	if err != nil {
		return exeState{}
	}
	info, err := os.Stat(p)
	if err != nil {
		return exeState{}
	}
	st := exeState{Size: info.Size(), MTime: info.ModTime().UnixNano()}
	if last != nil && last.Exe.Size == st.Size && last.Exe.MTime == st.MTime {
		st.Hash = last.Exe.Hash
		return st
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return exeState{}
	}
	st.Hash = sha256.Sum256(data)
	return st
}

// cacheMagic starts the cache's file.
const cacheMagic = "flipchart build cache\n"

// readCache reads the head of the cache in dir (see loadBody for the rest);
// nil with no error when there is none, or it is of another flipchart.
func readCache(dir string) (*cacheState, error) {
	data, err := os.ReadFile(filepath.Join(dir, cacheFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(data, []byte(cacheMagic)) || len(data) < len(cacheMagic)+4 {
		return nil, fmt.Errorf("%s is not a build cache", cacheFile)
	}
	payload := data[len(cacheMagic) : len(data)-4]
	if crc32.Checksum(payload, castagnoli) != binary.LittleEndian.Uint32(data[len(data)-4:]) {
		return nil, fmt.Errorf("%s is cut short or damaged", cacheFile)
	}
	if v, n := binary.Uvarint(payload); n <= 0 || v != cacheFormat {
		return nil, nil // of another flipchart: built whole again
	}
	st := &cacheState{dir: dir, sourcesSame: true}
	d := &decoder{b: payload}
	d.head(st)
	if d.err != nil {
		return nil, fmt.Errorf("%s: %v", cacheFile, d.err)
	}
	st.body = d
	return st, nil
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// loadBody reads the rest of the cache: what a build in part starts from.
func (st *cacheState) loadBody() error {
	if st.body == nil {
		return nil
	}
	d := st.body
	st.body = nil
	d.body(st)
	if d.err != nil {
		return fmt.Errorf("%s: %v", cacheFile, d.err)
	}
	return nil
}

// writeCache writes st to dir whole, or leaves the last cache.
func writeCache(dir string, st *cacheState) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// The head and the body are made at once.
	head := newEncoder()
	var body [][]byte
	var bodyErr error
	var wg sync.WaitGroup
	wg.Go(func() { body, bodyErr = encodeBody(st) })
	head.b = append(head.b, cacheMagic...)
	head.head(st)
	wg.Wait()
	if bodyErr != nil {
		return bodyErr
	}
	crc := crc32.Checksum(head.b[len(cacheMagic):], castagnoli)
	for _, b := range body {
		crc = crc32.Update(crc, castagnoli, b)
	}
	chunks := append([][]byte{head.b}, body...)
	chunks = append(chunks, binary.LittleEndian.AppendUint32(nil, crc))
	if err := writeWhole(dir, filepath.Join(dir, cacheFile), chunks...); err != nil {
		return err
	}
	// Earlier flipcharts kept the front matter in files of their own.
	if old, _ := filepath.Glob(filepath.Join(dir, "sources-*.gob")); len(old) > 0 {
		for _, f := range old {
			os.Remove(f)
		}
	}
	return nil
}

// writeWhole writes the chunks to name through a temporary file in dir.
func writeWhole(dir, name string, chunks ...[]byte) error {
	f, err := os.CreateTemp(dir, filepath.Base(name)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // once renamed, a no-op
	for _, c := range chunks {
		if _, err := f.Write(c); err != nil {
			f.Close()
			return err
		}
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), name)
}

// statOutputs records every file and folder under dir.
func statOutputs(dir string) (map[string]fileStat, map[string]int64, error) {
	files, dirs := map[string]fileStat{}, map[string]int64{}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		info, err := e.Info()
		if err != nil {
			return err
		}
		if e.IsDir() {
			dirs[filepath.ToSlash(rel)] = info.ModTime().UnixNano()
		} else {
			files[filepath.ToSlash(rel)] = fileStat{Size: info.Size(), MTime: info.ModTime().UnixNano()}
		}
		return nil
	})
	return files, dirs, err
}

// destUnchanged reports whether dest holds what the last build left there:
// each file and folder with its size and time.
func destUnchanged(dest string, st *cacheState) bool {
	names := make([]string, 0, len(st.Outputs)+len(st.Dirs))
	for n := range st.Outputs {
		names = append(names, n)
	}
	for n := range st.Dirs {
		names = append(names, n+"/")
	}
	var mu sync.Mutex
	failed := false
	parallelFor(len(names), func(i int) {
		n := names[i]
		dir := strings.HasSuffix(n, "/")
		rel := strings.TrimSuffix(n, "/")
		info, err := os.Lstat(filepath.Join(dest, filepath.FromSlash(rel)))
		ok := err == nil
		if ok && dir {
			ok = info.IsDir() && info.ModTime().UnixNano() == st.Dirs[rel]
		} else if ok {
			f := st.Outputs[rel]
			ok = info.Mode().IsRegular() && info.Size() == f.Size && info.ModTime().UnixNano() == f.MTime
		}
		if !ok {
			mu.Lock()
			failed = true
			mu.Unlock()
		}
	})
	return !failed
}

// folderOut is where a build from the cache writes: the folder beside the
// destination, over the destination's files.
type folderOut struct {
	dir     *publish.Dir
	mu      sync.Mutex
	written map[string]bool
	removed map[string]bool
}

func newFolderOut(dir *publish.Dir) *folderOut {
	return &folderOut{dir: dir, written: map[string]bool{}, removed: map[string]bool{}}
}

func (o *folderOut) WriteFile(name string, data []byte) error {
	o.note(name)
	return o.dir.WriteFile(name, data)
}

func (o *folderOut) Stream(name string, write func(io.Writer) error) error {
	o.note(name)
	return o.dir.Stream(name, write)
}

func (o *folderOut) note(name string) {
	o.mu.Lock()
	o.written[name] = true
	delete(o.removed, name)
	o.mu.Unlock()
}

func (o *folderOut) Get(name string) ([]byte, bool) {
	o.mu.Lock()
	gone := o.removed[name]
	o.mu.Unlock()
	if gone {
		return nil, false
	}
	f, err := o.dir.Open(name)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	return b, err == nil
}

func (o *folderOut) Remove(name string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.written[name] {
		delete(o.written, name)
		os.Remove(filepath.Join(o.dir.Path(), filepath.FromSlash(name)))
	}
	o.removed[name] = true
}

// cachedBuild builds the site from the cache into out, the build towards
// dest, writing only what changed. It reports false when the cache cannot
// be used, or the plan needs everything built: the caller builds whole.
func cachedBuild(src fs.FS, out *publish.Dir, last *cacheState, scan map[string]inputFile, scanErr error, destOK func() bool, opt Options, start time.Time) (*Result, *cacheState, string) {
	if scanErr != nil {
		return nil, nil, scanErr.Error()
	}
	changes, inputs, err := changesSince(src, last, scan)
	if err != nil {
		return nil, nil, err.Error()
	}
	// The destination is checked while the build goes on (see
	// cacheRun.destOK), and found changed before anything is published.
	if len(changes) > 0 {
		if err := last.loadBody(); err != nil {
			return nil, nil, "the build cache is damaged: " + err.Error()
		}
	}
	for _, c := range changes {
		switch c.Kind {
		case watch.Config:
			return nil, nil, c.Path + " changed"
		case watch.Asset:
			return nil, nil, c.Path + " is new, gone or changed beside the content"
		}
		if c.Kind == watch.Content && c.Removed {
			// Links into the page's files may break: see links.Unsure.
			return nil, nil, c.Path + " is gone"
		}
	}
	diags := &diag.List{}
	res := &Result{Diags: diags, Stats: last.Stats}
	if len(changes) == 0 {
		if !destOK() {
			return nil, nil, destChanged
		}
		replayWarnings(diags, last.Diags, nil)
		res.Duration = time.Since(start)
		if sameStats(inputs, last.Inputs) {
			return res, nil, "" // nothing to write, the cache included
		}
		if err := last.loadBody(); err != nil {
			return nil, nil, "the build cache is damaged: " + err.Error()
		}
		next := *last
		next.Inputs, next.prev = inputs, last
		return res, &next, ""
	}
	l, why := restoreLive(src, last, opt)
	if l == nil {
		return nil, nil, why
	}
	fo := newFolderOut(out)
	l.folder = fo
	u := l.Apply(changes)
	switch {
	case u.Full:
		return nil, nil, describeChanges(changes) + " changed"
	case u.Result.Diags.HasErrors():
		// The build of everything reports the errors, all of them.
		return nil, nil, "the changes have errors"
	}
	s, r := l.site, l.r
	res.Site = s
	// The print editions show every page: they are made again whenever a
	// page is, the sections of the others copied from the last build's
	// unless templates or strings changed.
	templates := false
	for _, c := range changes {
		templates = templates || c.Kind == watch.Layout || c.Kind == watch.Theme
	}
	if len(u.Rendered) > 0 {
		if !templates {
			fresh := map[*site.Page]bool{}
			for _, name := range u.Rendered {
				if p := s.ByOut(name); p != nil {
					fresh[p] = true
				}
			}
			dest := out.Dest()
			r.ReusePrints(&render.PrintReuse{Fresh: fresh, Open: func(name string) (*os.File, error) {
				return os.Open(filepath.Join(dest, filepath.FromSlash(name)))
			}})
		}
		var pd diag.List
		// Every edition is made again; one that comes out the same is
		// not published again (see dropUnchanged).
		n := r.RenderPages(nil, slices.Clone(s.Prints), fo, &pd)
		for _, name := range n {
			r.Links().KeepIDs(name)
		}
		if pd.HasErrors() {
			return nil, nil, "the print editions have errors"
		}
		u.Result.Diags.Merge(&pd)
		u.Rendered = append(u.Rendered, n...)
		r.Links().ReportChanged(n, nil, u.Result.Diags)
		if u.Result.Diags.HasErrors() {
			return nil, nil, "the print editions have broken links"
		}
	}
	var removed []string
	for name := range fo.removed {
		if _, ok := last.Outputs[name]; ok {
			removed = append(removed, name)
		}
	}
	sort.Strings(removed)
	if r.Links().Unsure(removed) {
		return nil, nil, "a page lost an ID or a file that other pages may link to"
	}
	// The warnings: those of the files read again are new; the others
	// are the last build's.
	again := map[string]bool{}
	for _, c := range changes {
		again[c.Path] = true
	}
	for _, name := range u.Rendered {
		// A handout or worksheet rendered alone reports nothing: its
		// page's problems are that page's.
		if p := s.ByOut(name); p != nil && p.File() != "" && p.Kind != site.Handout && p.Kind != site.Worksheet {
			again[p.File()] = true
		}
	}
	replayWarnings(diags, last.Diags, func(d diag.Diagnostic) bool { return again[d.File] || d.Stage == "site" })
	diags.Merge(u.Result.Diags)
	files, pages := countOutputs(last, fo)
	res.Stats = render.Stats{Pages: pages, Files: files - pages}
	next := &cacheState{Format: cacheFormat, Key: last.Key, Exe: last.Exe, Inputs: inputs, Assets: l.assets, Stats: res.Stats,
		sourcesSame: len(l.sources) == len(last.Sources), prev: last}
	for _, p := range sortedSources(l.sources) {
		next.Sources = append(next.Sources, p.State())
	}
	if next.sourcesSame {
		// Only the files read again can differ.
		for i := range next.Sources {
			if again[next.Sources[i].File] && !reflect.DeepEqual(next.Sources[i], last.Sources[i]) {
				next.sourcesSame = false
				break
			}
		}
	}
	next.Render = r.State()
	next.Outputs, next.Dirs = last.Outputs, last.Dirs
	next.Special = specialSources(src, l.sources, inputs)
	for _, d := range diags.Items() {
		next.Diags = append(next.Diags, *d)
	}
	next.pending = &pendingOutputs{written: fo.written, removed: removed}
	if !destOK() {
		return nil, nil, destChanged
	}
	return res, next, ""
}

// destChanged is why a build from the cache is not made when the
// destination is not as the last build left it.
const destChanged = "the destination folder changed since the last build"

// describeChanges names changes in a few words: "content/a.md, layouts/x.html".
func describeChanges(cs []Change) string {
	var names []string
	for _, c := range cs {
		if len(names) == 3 {
			return strings.Join(names, ", ") + fmt.Sprintf(" and %d more files", len(cs)-3)
		}
		names = append(names, c.Path)
	}
	return strings.Join(names, ", ")
}

// pendingOutputs are what a build from the cache changed in the
// destination, to stat once committed.
type pendingOutputs struct {
	written map[string]bool
	removed []string
}

// countOutputs counts the files of the destination after a build in part,
// and the HTML pages among them.
func countOutputs(last *cacheState, fo *folderOut) (files, pages int) {
	count := func(name string) {
		files++
		if strings.HasSuffix(name, ".html") {
			pages++
		}
	}
	for name := range last.Outputs {
		if !fo.removed[name] {
			count(name)
		}
	}
	for name := range fo.written {
		if _, ok := last.Outputs[name]; !ok {
			count(name)
		}
	}
	return files, pages
}

func sortedSources(m map[string]*content.Source) []*content.Source {
	out := make([]*content.Source, 0, len(m))
	for _, s := range m {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// replayWarnings adds to diags the warnings of the last build but those
// fresh says are made again.
func replayWarnings(diags *diag.List, last []diag.Diagnostic, fresh func(diag.Diagnostic) bool) {
	for _, d := range last {
		if fresh != nil && fresh(d) {
			continue
		}
		d := d
		diags.Add(d.Stage, &d)
	}
}

// restoreLive makes the live site of the last build from its cache: the
// sources as they were, the site assembled from them, and the renderer's
// state, so that Apply can find what a change reaches as the dev server
// does.
func restoreLive(src fs.FS, last *cacheState, opt Options) (*Live, string) {
	diags := &diag.List{}
	st := &stages{diags: diags}
	st.cfg = loadConfig(src, diags)
	th, err := render.LoadTheme(src, st.cfg.Theme)
	if err != nil || diags.HasErrors() {
		return nil, "the configuration or the theme has errors"
	}
	if st.cfg.Multilingual() {
		// As the dev server does (see Live.Apply).
		return nil, "the manual is in several languages"
	}
	c := &content.Content{Assets: last.Assets, Failed: map[string]bool{}}
	for _, ss := range last.Sources {
		s := ss.Source()
		if s.Front.Type != "" {
			// A special page's own keys (an agenda's days) are read by
			// the site stage from its decoded front matter: decode the
			// file as it was again.
			data, ok := last.Special[s.Path]
			if !ok {
				return nil, "the cache lacks " + s.File
			}
			if s = content.Parse(s.File, data, &diag.List{}); s == nil {
				return nil, ss.File + " has errors"
			}
		}
		c.Sources = append(c.Sources, s)
	}
	s := site.Assemble(st.cfg, c, site.Options{Drafts: opt.Drafts}, diags)
	if diags.HasErrors() {
		return nil, "the site as the last build left it has errors"
	}
	r, d := render.New(s, th, src, markup.New(), c.Failed)
	if d != nil {
		return nil, "the templates have errors"
	}
	if !r.Restore(last.Render) {
		return nil, "the cache lacks pages of the site"
	}
	s.AddWorksheets(diags)
	if diags.HasErrors() {
		return nil, "the worksheets have errors"
	}
	l := &Live{src: src, opt: opt, cfg: st.cfg, theme: th, assets: c.Assets, failed: c.Failed, site: s, r: r,
		sources: make(map[string]*content.Source, len(c.Sources))}
	for _, s := range c.Sources {
		l.sources[s.Path] = s
	}
	return l, ""
}

// cacheRun is one build's use of the cache.
type cacheRun struct {
	dir  string
	dest string // absolute
	key  [32]byte
	exe  exeState
	last *cacheState // nil when there is none to use
	warn *diag.Diagnostic
	next *cacheState // what to save once published
	why  string      // why everything is built, when it is
	// The site's files as listed before the build read them, and when:
	// a file changed after is found by the next build.
	scan    map[string]inputFile
	scanErr error
	scanAt  int64
	// destOK waits for the check of the destination begun when the cache
	// was read, and reports whether the last build left it so.
	destOK func() bool
}

// openCache reads the cache for a build to dest (absolute). A nil cacheRun
// is no cache.
func openCache(src fs.FS, opt Options, dest string) *cacheRun {
	c := &cacheRun{dir: opt.Cache, dest: dest, scanAt: time.Now().UnixNano()}
	// The cache is read while the site's files are listed.
	var last *cacheState
	var err error
	var read sync.WaitGroup
	read.Go(func() { last, err = readCache(opt.Cache) })
	c.scan, c.scanErr = scanInputs(src)
	read.Wait()
	if err != nil {
		c.warn = diag.Warnf(filepath.ToSlash(filepath.Base(opt.Cache)), 0, 0, "the build cache is damaged, so everything was built again: %v", err).
			WithHint("nothing to do: the cache is written again; delete the folder if this keeps happening")
	}
	c.exe = exeHash(last)
	c.key = cacheKey(opt, c.exe.Hash, dest)
	if c.scanErr == nil {
		// Hash what the build reads but the Markdown (which the content
		// stage, or changesSince, hashes) before it reads it.
		other := map[string]inputFile{}
		for name, f := range c.scan {
			if watch.Classify(name) != watch.Content {
				other[name] = f
			}
		}
		if last != nil {
			reuseHashes(other, last)
		}
		hashInputs(src, other)
		maps.Copy(c.scan, other)
	}
	switch {
	case last != nil && last.Key == c.key:
		c.last = last
		// The destination is checked on the side, from now on.
		var ok bool
		var check sync.WaitGroup
		check.Go(func() { ok = destUnchanged(dest, last) })
		c.destOK = func() bool { check.Wait(); return ok }
	case last != nil:
		c.why = "the cache is of another flipchart, destination or options"
	case err == nil:
		c.why = "there is no build cache yet"
	default:
		c.why = "the build cache is damaged"
	}
	return c
}

// build builds from the cache into *out and publishes, when it can; else it
// leaves *out a fresh build towards the destination, for a build of
// everything.
func (c *cacheRun) build(src fs.FS, out **publish.Dir, opt Options, start time.Time) (*Result, bool) {
	if c.last == nil {
		return nil, false
	}
	res, next, why := cachedBuild(src, *out, c.last, c.scan, c.scanErr, c.destOK, opt, start)
	if why != "" {
		c.why = why
		(*out).Abort()
		fresh, err := publish.NewDir(c.dest)
		if err != nil {
			return nil, false // the caller's build of everything fails as it should
		}
		*out = fresh
		return nil, false
	}
	if next == nil {
		(*out).Abort() // nothing changed, not even a file's time
		res.Again = true
		res.Duration = time.Since(start)
		return res, true
	}
	if next.pending != nil {
		dropUnchanged(*out, next.pending)
	}
	if next.pending == nil || len(next.pending.written)+len(next.pending.removed) == 0 {
		(*out).Abort() // nothing changed: nothing to publish
	} else if err := (*out).CommitFiles(next.pending.removed); err != nil {
		res.Diags.Add("publish", diag.Errorf("", 0, 0, "publishing: %v", err))
		res.Duration = time.Since(start)
		return res, true
	} else {
		updateOutputs(c.dest, next)
	}
	next.Written = c.scanAt
	res.Again = true
	if next.pending != nil {
		res.Written = len(next.pending.written) + len(next.pending.removed)
	}
	c.next = next
	c.save(res)

	res.Duration = time.Since(start)
	return res, true
}

// updateOutputs records the files and folders a build in part changed.
func updateOutputs(dest string, st *cacheState) {
	outs := make(map[string]fileStat, len(st.Outputs))
	for k, v := range st.Outputs {
		outs[k] = v
	}
	dirs := make(map[string]int64, len(st.Dirs))
	for k, v := range st.Dirs {
		dirs[k] = v
	}
	touched := map[string]bool{".": true}
	for name := range st.pending.written {
		if info, err := os.Lstat(filepath.Join(dest, filepath.FromSlash(name))); err == nil {
			outs[name] = fileStat{Size: info.Size(), MTime: info.ModTime().UnixNano()}
		}
		for d := filepath.ToSlash(filepath.Dir(name)); d != "."; d = filepath.ToSlash(filepath.Dir(d)) {
			touched[d] = true
		}
	}
	for _, name := range st.pending.removed {
		delete(outs, name)
		for d := filepath.ToSlash(filepath.Dir(name)); d != "."; d = filepath.ToSlash(filepath.Dir(d)) {
			touched[d] = true
		}
	}
	for d := range touched {
		if info, err := os.Lstat(filepath.Join(dest, filepath.FromSlash(d))); err == nil && info.IsDir() {
			dirs[d] = info.ModTime().UnixNano()
		} else {
			delete(dirs, d)
		}
	}
	st.Outputs, st.Dirs = outs, dirs
}

// record keeps what a build of everything made, to save once published.
func (c *cacheRun) record(src fs.FS, out *publish.Dir, st *stages, res *Result) {
	if st.r == nil {
		return
	}
	next := &cacheState{Format: cacheFormat, Key: c.key, Exe: c.exe, Assets: st.content.Assets, Stats: res.Stats, Written: c.scanAt}
	if c.scanErr != nil {
		return
	}
	inputs := c.scan
	// The content stage hashed the Markdown as it read it, and the other
	// files were hashed before the build read them, all after the listing:
	// a file changed since has a later time than listed, and the next
	// build hashes it again and finds what changed.
	for _, s := range st.content.Sources {
		if f, ok := inputs[s.File]; ok && s.Hash != ([32]byte{}) {
			f.Hash = s.Hash
			inputs[s.File] = f
		}
	}
	hashInputs(src, inputs)
	next.Inputs = inputs
	sources := map[string]*content.Source{}
	for _, s := range st.content.Sources {
		sources[s.Path] = s
	}
	for _, s := range sortedSources(sources) {
		next.Sources = append(next.Sources, s.State())
	}
	next.Special = specialSources(src, sources, inputs)
	next.Render = st.r.State()
	for _, d := range res.Diags.Items() {
		next.Diags = append(next.Diags, *d)
	}
	c.next = next
}

// save writes the cache after a build was published; a problem is a
// warning.
func (c *cacheRun) save(res *Result) {
	if c == nil {
		return
	}
	if c.warn != nil {
		res.Diags.Add("cache", c.warn)
		c.warn = nil
	}
	next := c.next
	if next == nil {
		return
	}
	c.next = nil
	if next.Outputs == nil {
		var err error
		if next.Outputs, next.Dirs, err = statOutputs(c.dest); err != nil {
			return
		}
	}
	next.pending = nil
	if err := writeCache(c.dir, next); err != nil {
		res.Diags.Add("cache", diag.Warnf("", 0, 0, "the build cache could not be written: %v", err).
			WithHint("the next build renders everything again; check that %s can be written", CacheDir))
	}
}

// specialSources reads the files of the special pages of sources (see
// cacheState.Special).
// One whose file is no longer what the build hashed (saved again during
// the build) is left out: the next build, lacking it, builds everything.
func specialSources(src fs.FS, sources map[string]*content.Source, inputs map[string]inputFile) map[string][]byte {
	out := map[string][]byte{}
	for _, s := range sources {
		if s.Front.Type == "" {
			continue
		}
		if data, err := fs.ReadFile(src, s.File); err == nil && sha256.Sum256(data) == inputs[s.File].Hash {
			out[s.Path] = data
		}
	}
	return out
}

// sameStats reports whether two listings of the site's files hold the same
// files with the same sizes and times.
func sameStats(a, b map[string]inputFile) bool {
	if len(a) != len(b) {
		return false
	}
	for name, f := range a {
		if g, ok := b[name]; !ok || g.Size != f.Size || g.MTime != f.MTime {
			return false
		}
	}
	return true
}

// dropUnchanged leaves out of the files to publish those written the same
// as the destination holds them (a page rendered again that shows nothing
// new), so they keep their time; files larger than a few megabytes are
// published as they are, rather than read twice.
func dropUnchanged(out *publish.Dir, p *pendingOutputs) {
	for name := range p.written {
		tmp := filepath.Join(out.Path(), filepath.FromSlash(name))
		old := filepath.Join(out.Dest(), filepath.FromSlash(name))
		a, err := os.Stat(tmp)
		if err != nil || a.Size() > 4<<20 {
			continue
		}
		if b, err := os.Stat(old); err != nil || b.Size() != a.Size() {
			continue
		}
		x, err1 := os.ReadFile(tmp)
		y, err2 := os.ReadFile(old)
		if err1 == nil && err2 == nil && bytes.Equal(x, y) && os.Remove(tmp) == nil {
			delete(p.written, name)
		}
	}
}

// reuseHashes gives the files of now that are as the last build listed
// them, by size and time, the hash it made. A file changed within a moment
// of that listing may have kept its time (times are as coarse as 2 s on
// some disks): it is hashed again.
func reuseHashes(now map[string]inputFile, last *cacheState) {
	racy := last.Written - int64(2*time.Second)
	for name, f := range now {
		if old, ok := last.Inputs[name]; ok && old.Size == f.Size && old.MTime == f.MTime && old.MTime < racy && old.MTime >= 0 && f.Hash == ([32]byte{}) {
			f.Hash = old.Hash
			now[name] = f
		}
	}
}
