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
	"path"
	"slices"
	"sort"
	"strings"
	"sync"

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
}

// Link is one link of a Markdown file and its place there.
type Link struct {
	URL       string
	Line, Col int
}

// Index records the files of one site: which exist, their IDs and their
// links. It is safe for concurrent use.
type Index struct {
	mu      sync.Mutex
	seed    maphash.Seed
	files   map[string]*file
	targets []string          // interned link targets, "path#id"
	byKey   map[string]uint32 // target -> index in targets
}

// file is what the index knows of one file.
type file struct {
	ids    []uint64 // hashes of its IDs, sorted
	links  []ref
	origin string // Origin.File
	tmpl   string // Origin.Template
	page   bool   // an HTML page
	anyID  bool   // its IDs are not known
}

// ref is one link of a file: its target and, when it came from Markdown,
// its place there.
type ref struct {
	target    uint32
	line, col int32
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{seed: maphash.MakeSeed(), files: map[string]*file{}, byKey: map[string]uint32{}}
}

// Add records a file that is part of the site but is not written through
// the index (a PDF printed beside the pages, a page made on request): a
// link to any ID of it is taken as right.
func (ix *Index) Add(name string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.files[name] == nil {
		ix.files[name] = &file{anyID: true}
	}
}

// Remove forgets a file gone from the site.
func (ix *Index) Remove(name string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	delete(ix.files, name)
}

// Has reports whether the site holds the file.
func (ix *Index) Has(name string) bool {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.files[name] != nil
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
	isHTML, isCSS := rewrites(name)
	rec := newRecord(ix, name, org)
	w := newRewriter(name, rec)
	out := data
	switch {
	case isHTML:
		out, _ = w.html(make([]byte, 0, len(data)+len(data)/16), data, true)
	case isCSS:
		out = w.css(make([]byte, 0, len(data)+64), data)
	}
	ix.commit(name, rec, isHTML)
	return out
}

// Stream returns a writer that rewrites the file's links on the way to w,
// for a file too large to hold; Close records it.
func (ix *Index) Stream(name string, w io.Writer, org *Origin) io.WriteCloser {
	rec := newRecord(ix, name, org)
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
	s.ix.commit(s.name, s.rec, true)
	return nil
}

// record gathers one file's IDs and links while it is rewritten.
type record struct {
	ix    *Index
	name  string
	org   *Origin
	pos   map[string]Link // the Markdown's links by target
	ids   []uint64
	links []string
	at    []Link
	seen  map[string]bool
}

func newRecord(ix *Index, name string, org *Origin) *record {
	r := &record{ix: ix, name: name, org: org}
	if org != nil && len(org.Links) > 0 {
		r.pos = make(map[string]Link, len(org.Links))
		for _, l := range org.Links {
			if key, ok := targetOf(name, l.URL); ok {
				if _, dup := r.pos[key]; !dup {
					r.pos[key] = l
				}
			}
		}
	}
	return r
}

func (r *record) id(id string) {
	r.ids = append(r.ids, maphash.String(r.ix.seed, id))
}

// link records a link to key, "path#id" (see targetOf).
func (r *record) link(key string) {
	if r.seen == nil {
		r.seen = map[string]bool{}
	}
	if r.seen[key] {
		return
	}
	r.seen[key] = true
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
	if p != "" {
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

func join(target, frag string) string {
	if frag == "" {
		return target
	}
	return target + "#" + frag
}

// commit puts a rewritten file's record in the index.
func (ix *Index) commit(name string, r *record, page bool) {
	slices.Sort(r.ids)
	f := &file{ids: slices.Compact(r.ids), page: page}
	if r.org != nil {
		f.origin, f.tmpl = r.org.File, r.org.Template
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	f.links = make([]ref, len(r.links))
	for i, key := range r.links {
		t, ok := ix.byKey[key]
		if !ok {
			t = uint32(len(ix.targets))
			ix.targets = append(ix.targets, key)
			ix.byKey[key] = t
		}
		f.links[i] = ref{target: t, line: int32(r.at[i].Line), col: int32(r.at[i].Col)}
	}
	ix.files[name] = f
}

// Broken is a link that leads nowhere.
type Broken struct {
	File   string // the file the link is in
	Target string // what it leads to: "day-3/09-recommendations/index.html#x"
	// Where it came from: the Markdown file and line, or the template.
	Origin, Template string
	Line, Col        int
	MissingID        bool // the file exists but holds no such ID
}

// Check returns the broken links of the files named (every file when
// names is nil), in a stable order.
func (ix *Index) Check(names []string) []Broken {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if names == nil {
		for n := range ix.files {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var out []Broken
	for _, name := range names {
		f := ix.files[name]
		if f == nil {
			continue
		}
		for _, l := range f.links {
			key := ix.targets[l.target]
			target, frag, _ := strings.Cut(key, "#")
			to := ix.files[target]
			if to != nil && (frag == "" || to.anyID || hasID(to.ids, maphash.String(ix.seed, frag))) {
				continue
			}
			out = append(out, Broken{File: name, Target: key, Origin: f.origin, Template: f.tmpl,
				Line: int(l.line), Col: int(l.col), MissingID: to != nil})
		}
	}
	return out
}

func hasID(ids []uint64, h uint64) bool {
	_, ok := slices.BinarySearch(ids, h)
	return ok
}

// Linking returns the files whose links lead into one of the files named,
// for a rebuild that changed or removed those.
func (ix *Index) Linking(names []string) []string {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	var out []string
	for name, f := range ix.files {
		for _, l := range f.links {
			target, _, _ := strings.Cut(ix.targets[l.target], "#")
			if want[target] {
				out = append(out, name)
				break
			}
		}
	}
	return out
}

// Unlinked returns the HTML pages no other file links to, but the home
// page, sorted, with the Markdown file each is made from.
func (ix *Index) Unlinked() (pages, origins []string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	linked := map[string]bool{"index.html": true}
	for name, f := range ix.files {
		for _, l := range f.links {
			target, _, _ := strings.Cut(ix.targets[l.target], "#")
			if target != name {
				linked[target] = true
			}
		}
	}
	for name, f := range ix.files {
		if f.page && !linked[name] {
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
// handout and the print editions, and is reported at its line, once.
func (ix *Index) Report(names []string, diags *diag.List) {
	broken := ix.Check(names)
	// The shortest file first: the page before its handout.
	sort.SliceStable(broken, func(i, j int) bool { return len(broken[i].File) < len(broken[j].File) })
	at := map[string]bool{}      // places reported
	frags := map[string]bool{}   // missing IDs reported at a place
	targets := map[string]bool{} // targets reported at a place
	for _, b := range broken {
		if b.Line > 0 {
			_, frag, _ := strings.Cut(b.Target, "#")
			frags[frag] = true
			targets[b.Target] = true
		}
	}
	for _, b := range broken {
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
