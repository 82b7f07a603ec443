// Package links is the stage between rendering and publishing that makes
// every link of every file right where it is written, and checks it. Each
// file the render stage writes passes through an Index: its root-absolute
// links are made relative to the file (see rewriter), and its IDs and links
// are recorded. Once every file is written, Check reports each link to a
// file the site does not have, or to an ID that file does not hold, at the
// Markdown line it came from when it came from Markdown, else at the
// template or the file.
package links

import (
	"fmt"
	"hash/maphash"
	"io"
	"maps"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"flipchart/generator/diag"
)

// Origin says where a file's links come from, for messages.
type Origin struct {
	// File is the Markdown file the page is made from, relative to the
	// site ("content/day-3/11-next-steps.md"), or "".
	File string
	// Template names the template that wrote the file ("session.html"), or "".
	Template string
	// Links are the links the Markdown wrote, as written in the HTML
	// (root-absolute or "#id"), and where they are in File.
	Links []Link
	// Note, when not "", is the note of the file's links to other sites,
	// in place of the policy's: in the file's language.
	Note string
}

// Link is one link of a Markdown file and its place there.
type Link struct {
	URL       string
	Line, Col int
}

// Index records the files of one site: which exist, their IDs and where
// their links lead. It is safe for concurrent use.
//
// A link is kept once per target, with the first places that link it, so a
// large manual, whose every page links the same few pages and files, costs
// little; an index of a site rebuilt in part (NewLiveIndex) also keeps each
// file's own links, so that they can be checked again and forgotten.
type Index struct {
	mu      sync.Mutex
	seed    maphash.Seed
	files   map[string]*file
	targets []target                    // interned link targets
	byKey   map[string]uint32           // target's key -> index in targets
	perFile bool                        // keep each file's links
	into    map[string]map[string][]ref // with perFile: file -> the files linking it -> their links to it
	// pending are the targets in files not written yet, by file: a site
	// built once keeps a link only until the file it leads to is written.
	pending map[string][]uint32
	linked  map[string]bool // files another file links, for Unlinked
	// restored are the IDs of the files an index was restored with, by
	// file: see Restore and Unsure.
	restored map[string][]uint32
	// external are the files of other hosts each file loads, by file
	// (rare: a site that loads none has none).
	external map[string][]external
	pol      atomic.Pointer[policy] // see SetPolicy
}

// file is what the index knows of one file.
type file struct {
	ids    []uint32 // hashes of its IDs, sorted
	links  []ref    // its links, when the index keeps them
	origin string   // Origin.File
	tmpl   string   // Origin.Template
	page   bool     // an HTML page
	anyID  bool     // its IDs are not known
}

// target is where links lead, "path#id", and the first places linking it.
type target struct {
	key   string
	first ref   // the first place linking it
	more  []ref // the next few
	ok    bool  // found right once the file it leads to was written
}

// from lists the places linking t that are kept.
func (t *target) from() []ref {
	return append([]ref{t.first}, t.more...)
}

// maxFrom is how many places linking one target are kept, for messages.
const maxFrom = 8

// ref is one link: the file it is in, its target and, when it came from
// Markdown, its place there.
type ref struct {
	file      string
	target    uint32
	line, col int32
}

// NewIndex returns an empty index for a site built once.
func NewIndex() *Index {
	return &Index{seed: maphash.MakeSeed(), files: map[string]*file{}, byKey: map[string]uint32{},
		pending: map[string][]uint32{}, linked: map[string]bool{}, external: map[string][]external{}}
}

// NewLiveIndex returns an empty index for a site rebuilt in part, which
// keeps each file's links: see Check and Linking.
func NewLiveIndex() *Index {
	ix := NewIndex()
	ix.perFile, ix.into = true, map[string]map[string][]ref{}
	return ix
}

// Add records a file that is part of the site but is not written through
// the index (a PDF printed beside the pages, a page made on request): a
// link to any ID of it is taken as right.
func (ix *Index) Add(name string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.files[name] == nil {
		ix.files[name] = &file{anyID: true}
		ix.settle(name)
	}
}

// Remove forgets a file gone from the site.
func (ix *Index) Remove(name string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.unlinkFrom(name)
	delete(ix.files, name)
	delete(ix.external, name)
}

// unlinkFrom forgets, in the index of what links into what, the links of
// file name as it was last written. The caller holds ix.mu.
func (ix *Index) unlinkFrom(name string) {
	old := ix.files[name]
	if old == nil || ix.into == nil {
		return
	}
	for _, l := range old.links {
		path, _, _ := strings.Cut(ix.targets[l.target].key, "#")
		if from := ix.into[path]; from != nil {
			delete(from, name)
			if len(from) == 0 {
				delete(ix.into, path)
			}
		}
	}
}

// rewrites reports whether a file's links are rewritten: HTML and CSS.
func rewrites(name string) (html, css bool) {
	switch path.Ext(name) {
	case ".html", ".htm":
		return true, false
	case ".css":
		return false, true
	}
	return false, false
}

// Rewrite returns the file's data with its links made relative to it, and
// records it. Files other than HTML and CSS are recorded as they are.
func (ix *Index) Rewrite(name string, data []byte, org *Origin) []byte {
	return ix.RewriteTo(nil, name, data, org)
}

// RewriteTo is Rewrite appending to dst, a buffer to use again, for a
// writer of many files. Data other than HTML and CSS comes back as it is.
func (ix *Index) RewriteTo(dst []byte, name string, data []byte, org *Origin) []byte {
	isHTML, isCSS := rewrites(name)
	rec := newRecord(ix, name, org)
	w := newRewriter(name, rec)
	w.whole = true
	out := data
	switch {
	case isHTML:
		out, _ = w.html(slices.Grow(dst[:0], len(data)+len(data)/16), data, true)
	case isCSS:
		out = w.css(slices.Grow(dst[:0], len(data)+64), data)
	}
	ix.commit(name, rec, isHTML)
	return out
}

// Stream returns a writer that rewrites the file's links on the way to w,
// for a file too large to hold; Close records it.
func (ix *Index) Stream(name string, w io.Writer, org *Origin) io.WriteCloser {
	rec := newRecord(ix, name, org)
	rec.self, rec.fresh = map[uint32]selfLink{}, map[uint32]struct{}{}
	return &stream{ix: ix, name: name, w: w, rec: rec, rw: newRewriter(name, rec)}
}

type stream struct {
	ix      *Index
	name    string
	w       io.Writer
	rec     *record
	rw      *rewriter
	pending []byte
	out     []byte
	err     error
}

func (s *stream) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	s.pending = append(s.pending, p...)
	if len(s.pending) < 64<<10 {
		return len(p), nil
	}
	return len(p), s.flush(false)
}

func (s *stream) flush(final bool) error {
	var n int
	s.out, n = s.rw.html(s.out[:0], s.pending, final)
	s.pending = append(s.pending[:0], s.pending[n:]...)
	if _, err := s.w.Write(s.out); err != nil {
		s.err = err
	}
	return s.err
}

func (s *stream) Close() error {
	if err := s.flush(true); err != nil {
		return err
	}
	// The links whose ID never came, in a stable order.
	left := slices.SortedFunc(maps.Values(s.rec.self), func(a, b selfLink) int { return strings.Compare(a.key, b.key) })
	for _, l := range left {
		s.rec.links, s.rec.at = append(s.rec.links, l.key), append(s.rec.at, l.at)
	}

	s.ix.commit(s.name, s.rec, true)
	return nil
}

// record gathers one file's IDs and links while it is rewritten.
type record struct {
	ix    *Index
	name  string
	org   *Origin
	pos   map[string]Link // the Markdown's links by target
	ids   []uint32
	links []string
	at    []Link
	seen  map[uint64]struct{} // hashes of links, for link
	raw   map[uint64]struct{} // hashes of the links as written, for again
	ext   []external          // files of other hosts it loads
	// A file written as a stream (a whole edition) checks its links within
	// itself as it goes, against the IDs it has shown so far, so it keeps
	// only those whose ID is still to come. The IDs shown so far are
	// ids[:sorted], sorted, and the few after it, which fresh holds too: a
	// map of a whole edition's IDs would take several times their room.
	self   map[uint32]selfLink // by the hash of the ID they wait for; nil but in a stream
	fresh  map[uint32]struct{}
	sorted int
	merge  []uint32 // room for sortIDs
}

// streamFresh is how many IDs a stream's record keeps in fresh before it
// sorts them in with the others.
const streamFresh = 4096

// selfLink is a link within a streamed file whose ID is not seen yet.
type selfLink struct {
	key string
	at  Link
}

// records are records to use again, their maps cleared.
var records = sync.Pool{New: func() any {
	return &record{seen: map[uint64]struct{}{}, raw: map[uint64]struct{}{}}
}}

func newRecord(ix *Index, name string, org *Origin) *record {
	r := records.Get().(*record)
	r.ix, r.name, r.org = ix, name, org
	if org != nil && len(org.Links) > 0 {
		if r.pos == nil {
			r.pos = make(map[string]Link, len(org.Links))
		}
		for _, l := range org.Links {
			key, ok := targetOf(name, l.URL)
			if !ok && leaves(l.URL) {
				key, ok = l.URL, true // for external: a URL of another host
			}
			if _, dup := r.pos[key]; ok && !dup {
				r.pos[key] = l
			}
		}
	}
	return r
}

func (r *record) id(id string) {
	h := r.ix.hash(id)
	r.ids = append(r.ids, h)
	if r.self != nil {
		delete(r.self, h) // what waited for it is right
		if r.fresh[h] = struct{}{}; len(r.fresh) >= streamFresh {
			r.sortIDs()
		}
	}
}

// sortIDs merges a stream's fresh IDs into those it sorted before.
func (r *record) sortIDs() {
	old, add := r.ids[:r.sorted], r.ids[r.sorted:]
	slices.Sort(add)
	r.merge = append(r.merge[:0], add...)
	// From the back, so that old is read before it is written over.
	i, j := len(old)-1, len(r.merge)-1
	for k := len(r.ids) - 1; j >= 0; k-- {
		if i >= 0 && old[i] > r.merge[j] {
			r.ids[k], i = old[i], i-1
		} else {
			r.ids[k], j = r.merge[j], j-1
		}
	}
	r.sorted = len(r.ids)
	clear(r.fresh)
}

// shown reports whether a stream has shown the ID with hash h.
func (r *record) shown(h uint32) bool {
	if _, ok := r.fresh[h]; ok {
		return true
	}
	_, ok := slices.BinarySearch(r.ids[:r.sorted], h)
	return ok
}

// hash is an ID's hash as the index keeps it: 32 bits, so a large manual's
// IDs cost little; two IDs of one file sharing one is so rare that a link to
// the one missing would at worst go unreported.
// The hash is FNV-1a, the same in every run, so that a build cache can keep
// the IDs of the files it did not write again (see Snapshot).
func (ix *Index) hash(id string) uint32 { return idHash(id) }

func idHash(id string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(id); i++ {
		h ^= uint32(id[i])
		h *= 16777619
	}
	return h
}

// again reports whether the file wrote the link val already, as written,
// and notes that it has.
func (r *record) again(val []byte) bool {
	h := maphash.Bytes(r.ix.seed, val)
	if _, ok := r.raw[h]; ok {
		return true
	}
	r.raw[h] = struct{}{}
	return false
}

// link records a link to key, "path#id" (see targetOf).
func (r *record) link(key string) {
	h := maphash.String(r.ix.seed, key)
	if _, ok := r.seen[h]; ok {
		return
	}
	r.seen[h] = struct{}{}
	if r.self != nil {
		if path, frag, ok := strings.Cut(key, "#"); ok && path == r.name {
			if id := r.ix.hash(frag); !r.shown(id) {
				r.self[id] = selfLink{key, r.pos[key]}
			}
			return
		}
	}
	r.links = append(r.links, key)
	r.at = append(r.at, r.pos[key])
}

// targetOf returns the target a link written in file name leads to, as
// recorded: "day-3/09-recommendations/index.html#exercise"; ok is false for
// a link that leaves the site (a scheme, "//host") or names nothing.
func targetOf(name, raw string) (string, bool) {
	raw = strings.TrimSpace(raw)
	switch {
	case raw == "" || strings.HasPrefix(raw, "//"):
		return "", false
	case raw[0] == '#':
		return join(name, decode(raw[1:])), true
	case raw[0] == '/':
		p, rest := splitPath(raw[1:])
		if p == "" || strings.HasSuffix(p, "/") {
			p += "index.html"
		}
		return join(path.Clean(decode(p)), fragment(rest)), true
	case hasScheme(raw):
		if strings.HasPrefix(strings.ToLower(raw), "file:") {
			return raw, true // a file of the machine: never a file of the site
		}
		return "", false
	}
	p, rest := splitPath(raw)
	target := name
	if root := rootOf(name); root != "" && strings.HasPrefix(p, root) && !strings.Contains(p[len(root):], "./") &&
		!strings.HasSuffix(p, "/") && !strings.HasSuffix(p, "/..") && !strings.HasSuffix(p, "/.") && p != root {
		// From the file up to the site's root, then down: the common case
		// of a template's links ("../../css/flipchart.css"), without
		// joining paths.
		target = decode(p[len(root):])
	} else if p != "" {
		target = path.Join(path.Dir(name), decode(p))
		if strings.HasSuffix(p, "/") {
			target += "/index.html"
		}
	}
	if target == ".." || strings.HasPrefix(target, "../") {
		target = "../" + p // outside the site: never a file of it
	}
	return join(target, fragment(rest)), true
}

// rootOf is the way up from file name to the site's root: "../../".
func rootOf(name string) string {
	n := strings.Count(name, "/")
	if n == 0 || 3*n > len(ups) {
		return "" // the slow way
	}
	return ups[:3*n]
}

// ups is rootOf's "../" written out for files up to 32 folders deep; a
// deeper file takes the slow way.
const ups = "../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../"

func join(target, frag string) string {
	if frag == "" {
		return target
	}
	return target + "#" + frag
}

// release gives the record back for another file.
func (r *record) release() {
	if len(r.raw) > 4096 || len(r.ids) > 1<<16 {
		return // a whole edition's: too large to keep for a page
	}
	if r.self != nil {
		return // a stream's: its own
	}
	clear(r.seen)
	clear(r.raw)
	clear(r.pos)
	clear(r.links)
	clear(r.ext)
	*r = record{seen: r.seen, raw: r.raw, pos: r.pos, ids: r.ids[:0], links: r.links[:0], at: r.at[:0], ext: r.ext[:0]}
	records.Put(r)
}

// commit puts a rewritten file's record in the index.
func (ix *Index) commit(name string, r *record, page bool) {
	slices.Sort(r.ids)
	f := &file{ids: slices.Clip(slices.Clone(slices.Compact(r.ids))), page: page} // r is used again
	if r.org != nil {
		f.origin, f.tmpl = r.org.File, r.org.Template
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.perFile {
		f.links = make([]ref, 0, len(r.links))
	}
	for i, key := range r.links {
		path, frag, _ := strings.Cut(key, "#")
		if path == name && hasID(f.ids, ix.hash(frag)) {
			continue // a link within the file, to an ID it has: right for good
		}
		if path != name {
			ix.linked[path] = true
		}
		if !ix.perFile && ix.resolves(key) {
			continue // it leads to a file written already: right for good
		}
		t, ok := ix.byKey[key]
		if !ok {
			t = uint32(len(ix.targets))
			ix.targets = append(ix.targets, target{key: key})
			ix.byKey[key] = t
			if ix.files[path] == nil && path != name {
				ix.pending[path] = append(ix.pending[path], t)
			}
		}
		l := ref{file: name, target: t, line: int32(r.at[i].Line), col: int32(r.at[i].Col)}
		tg := &ix.targets[t]
		if !ok {
			tg.first = l
		} else if len(tg.more) < maxFrom-1 {
			tg.more = append(tg.more, l)
		}
		if ix.perFile {
			f.links = append(f.links, l)
		}
	}
	if ix.perFile {
		ix.unlinkFrom(name)
		for _, l := range f.links {
			path, _, _ := strings.Cut(ix.targets[l.target].key, "#")
			if ix.into[path] == nil {
				ix.into[path] = map[string][]ref{}
			}
			ix.into[path][name] = append(ix.into[path][name], l)
		}
	}
	ix.files[name] = f
	if len(r.ext) > 0 {
		ix.external[name] = slices.Clone(r.ext)
	} else if len(ix.external) > 0 {
		delete(ix.external, name)
	}
	ix.settle(name)
	r.release()
}

// settle checks the links waiting for file name, now written, and lets go
// of the places of those that are right. The caller holds ix.mu.
func (ix *Index) settle(name string) {
	if ix.perFile {
		return // the links are checked again as the site changes
	}
	for _, t := range ix.pending[name] {
		if tg := &ix.targets[t]; ix.resolves(tg.key) {
			tg.ok, tg.more = true, nil
		}
	}
	delete(ix.pending, name)
}

// Broken is a link that leads nowhere, or a file of another host that a
// file loads.
type Broken struct {
	File   string // the file the link is in
	Target string // what it leads to: "day-3/09-recommendations/index.html#x", or the URL of another host
	// Where it came from: the Markdown file and line, or the template.
	Origin, Template string
	Line, Col        int
	MissingID        bool // the file exists but holds no such ID
	// Loads, for a file of another host, says what loads it: "<img src>",
	// "url() in the stylesheet"; "" for a broken link.
	Loads string
	Host  string // the other host, "" when the URL names none
	// FileLine and FileCol are where the URL is in File, for a file of
	// another host in a file rewritten whole; 0 when not known.
	FileLine, FileCol int
}

// Check returns the broken links of the files named, or of every file
// when names is nil, in a stable order. Only an index that keeps each
// file's links (NewLiveIndex) can check some files alone.
func (ix *Index) Check(names []string) []Broken {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	var out []Broken
	add := ix.collect(&out)
	if names == nil {
		for i := range ix.targets {
			if t := &ix.targets[i]; !t.ok && !ix.resolves(t.key) {
				for _, l := range t.from() {
					add(l, t)
				}
			}
		}
		for name := range ix.external {
			out = ix.externals(out, name)
		}
	} else {
		for _, name := range names {
			ix.checkFile(name, add, &out)
		}
	}
	return sortBroken(out)
}

// checkFile checks the links of a file the index keeps the links of, and
// adds the files of other hosts it loads to out.
func (ix *Index) checkFile(name string, add func(ref, *target), out *[]Broken) {
	f := ix.files[name]
	if f == nil {
		return
	}
	*out = ix.externals(*out, name)
	for _, l := range f.links {
		if t := &ix.targets[l.target]; !ix.resolves(t.key) {
			add(l, t)
		}
	}
}

// CheckChanged returns the broken links after a rebuild in part wrote and
// removed some files: every link of the files written, and the links of
// other files into the files written or removed. It needs an index that
// keeps each file's links (NewLiveIndex); the files removed must have been
// given to Remove.
func (ix *Index) CheckChanged(written, removed []string) []Broken {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	var out []Broken
	add := ix.collect(&out)
	isWritten := map[string]bool{}
	for _, n := range written {
		isWritten[n] = true
		ix.checkFile(n, add, &out)
	}
	done := map[string]bool{} // files written and removed may repeat
	for _, n := range slices.Concat(written, removed) {
		if done[n] {
			continue
		}
		done[n] = true
		for from, refs := range ix.into[n] {
			if isWritten[from] {
				continue // checked whole above
			}
			for _, l := range refs {
				if t := &ix.targets[l.target]; !ix.resolves(t.key) {
					add(l, t)
				}
			}
		}
	}
	return sortBroken(out)
}

// ReportChanged adds CheckChanged's broken links to diags as Report does.
func (ix *Index) ReportChanged(written, removed []string, diags *diag.List) {
	ix.report(ix.CheckChanged(written, removed), diags)
}

// sortBroken orders broken links by file and target.
func sortBroken(out []Broken) []Broken {
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].Target < out[j].Target
	})
	return out
}

// collect returns a function that adds a broken link to out. The caller
// holds ix.mu.
func (ix *Index) collect(out *[]Broken) func(ref, *target) {
	return func(l ref, t *target) {
		f := ix.files[l.file]
		if f == nil {
			return // gone since
		}
		path, _, _ := strings.Cut(t.key, "#")
		*out = append(*out, Broken{File: l.file, Target: t.key, Origin: f.origin, Template: f.tmpl,
			Line: int(l.line), Col: int(l.col), MissingID: ix.files[path] != nil})
	}
}

// externals appends the files of other hosts that file name loads to out.
// The caller holds ix.mu.
func (ix *Index) externals(out []Broken, name string) []Broken {
	f := ix.files[name]
	if f == nil {
		return out
	}
	for _, e := range ix.external[name] {
		b := Broken{File: name, Target: e.url, Origin: f.origin, Template: f.tmpl, Loads: e.what, Host: e.host}
		if e.md {
			b.Line, b.Col = e.line, e.col
		} else {
			b.FileLine, b.FileCol = e.line, e.col
		}
		out = append(out, b)
	}
	return out
}

// resolves reports whether the site has the target, "path#id".
func (ix *Index) resolves(key string) bool {
	path, frag, _ := strings.Cut(key, "#")
	to := ix.files[path]
	return to != nil && (frag == "" || to.anyID || hasID(to.ids, ix.hash(frag)))
}

func hasID(ids []uint32, h uint32) bool {
	_, ok := slices.BinarySearch(ids, h)
	return ok
}

// Unlinked returns the HTML pages no other file links to, but the home
// page, sorted, with the Markdown file each is made from.
func (ix *Index) Unlinked() (pages, origins []string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for name, f := range ix.files {
		if f.page && !ix.linked[name] && name != "index.html" {
			pages = append(pages, name)
		}
	}
	sort.Strings(pages)
	for _, p := range pages {
		origins = append(origins, ix.files[p].origin)
	}
	return pages, origins
}

// Report adds the broken links of the files named (every file when nil) to
// diags as errors, each once: a link of a Markdown file is in the page, its
// handout and the print editions, and is reported at its line, once. So are
// the files of other hosts they load: once for each place that wrote them.
func (ix *Index) Report(names []string, diags *diag.List) {
	ix.report(ix.Check(names), diags)
}

// report adds broken links to diags, each once (see Report).
func (ix *Index) report(broken []Broken, diags *diag.List) {
	// The shortest file first: the page before its handout.
	sort.SliceStable(broken, func(i, j int) bool { return len(broken[i].File) < len(broken[j].File) })
	at := map[string]bool{}      // places reported
	frags := map[string]bool{}   // missing IDs reported at a place
	targets := map[string]bool{} // targets reported at a place
	for _, b := range broken {
		if b.Line > 0 {
			if b.Loads == "" {
				_, frag, _ := strings.Cut(b.Target, "#")
				frags[frag] = true
			}
			targets[b.Target] = true
		}
	}
	locate := ix.policy().locate
	for _, b := range broken {
		if b.Loads != "" {
			if b.Line == 0 && targets[b.Target] {
				continue // an edition's copy of a file the Markdown loads, reported at its line
			}
			file, line, col, inSources := b.place(locate)
			key := fmt.Sprintf("%s:%d:%d %s %s", file, line, col, b.Loads, b.Target)
			if !at[key] {
				at[key] = true
				diags.Add("links", b.externalDiagnostic(file, line, col, inSources))
			}
			continue
		}
		if b.Line > 0 {
			place := fmt.Sprintf("%s:%d:%d", b.Origin, b.Line, b.Col)
			if at[place] {
				continue
			}
			at[place] = true
		} else if _, frag, _ := strings.Cut(b.Target, "#"); targets[b.Target] || b.MissingID && copied(frag, frags) {
			continue // an edition's copy of a link reported at its line
		}
		diags.Add("links", b.diagnostic())
	}
}

// copied reports whether frag is a missing ID reported already, prefixed as
// a print edition prefixes the IDs of its pages ("p-day-1-02--steps").
func copied(frag string, reported map[string]bool) bool {
	for i := strings.Index(frag, "--"); i >= 0; {
		if reported[frag[i+2:]] {
			return true
		}
		j := strings.Index(frag[i+2:], "--")
		if j < 0 {
			break
		}
		i += 2 + j
	}
	return false
}

// ReportUnlinked adds a warning for each page nothing links to.
func (ix *Index) ReportUnlinked(diags *diag.List) {
	pages, origins := ix.Unlinked()
	for i, p := range pages {
		file := origins[i]
		if file == "" {
			file = p
		}
		diags.Add("links", diag.Warnf(file, 0, 0, "no page links to %s, so readers cannot reach it", p).
			WithHint("link it from another page (e.g. [Title](file.md)) or from a template"))
	}
}

// diagnostic turns a broken link into an error at the place it came from.
func (b Broken) diagnostic() *diag.Diagnostic {
	target, frag, _ := strings.Cut(b.Target, "#")
	// From Markdown the line says where; else name the file.
	links := "link to "
	if b.Line == 0 {
		links = b.File + " links "
	}
	var msg, hint string
	switch {
	case strings.HasPrefix(strings.ToLower(b.Target), "file:"):
		msg = fmt.Sprintf("%s%q, a file of the machine that built the site", links, b.Target)
		hint = "link a file of the site instead: put it in static/ and link it from the site's root (/img/logo.png)"
	case b.MissingID:
		msg = fmt.Sprintf("%s%s#%s: %s has no element with the ID %q", links, target, frag, target, frag)
		hint = "link one of its headings' IDs (the heading text in lower case with dashes), or give the element {#" + frag + "}"
	case strings.HasPrefix(target, "../"):
		msg = fmt.Sprintf("%s%s: that is outside the site", links, strings.TrimPrefix(target, "../"))
		hint = "link a page by its .md file, or a file in static/ from the site's root (/img/logo.png)"
	default:
		msg = fmt.Sprintf("%s%s: the site has no such file", links, target)
		hint = "link a page by its .md file, or a file in static/ from the site's root (/img/logo.png)"
	}
	file := b.Origin
	switch {
	case b.Line > 0:
	case b.Template != "":
		file = b.Template
		msg = "the template writes a link: " + msg
	default:
		file = b.File
	}
	d := diag.Errorf(file, b.Line, b.Col, "%s", msg)
	d.Hint = hint
	return d
}
