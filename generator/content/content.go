// Package content loads a site's content/ folder: it finds the Markdown files,
// checks that they are text, splits the TOML front matter from the body and
// decodes it. Every problem is reported with the file and line it is on.
package content

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"unicode/utf8"

	"flipchart/generator/diag"
	"flipchart/generator/meta"
)

// Dir is the content folder of a site.
const Dir = "content"

// MaxFileSize is the largest content file flipchart reads.
const MaxFileSize = 8 << 20

// Source is one Markdown file of content/.
type Source struct {
	// Path is relative to content/, with forward slashes: "day-2/11-next-steps.md".
	Path string
	// File is the path relative to the site, for messages: "content/day-2/...".
	File string
	// BodyLine is the line of File on which Body starts.
	BodyLine int
	Front    FrontMatter
	Body     []byte
	// Doc is the decoded front matter, for readers of type-specific fields;
	// nil once dropped by Lean.
	Doc *meta.Doc
	// timePos is where the time is written, kept by Lean.
	timePos [2]int

	// bodyAt is where the body starts in the file's text, once a BOM is
	// dropped and line endings are made \n, for ReadBody.
	bodyAt int
	// Hash is the SHA-256 of the file's bytes as read, when the content
	// stage read it (see LoadWith), for a build cache.
	Hash [32]byte
}

// Lean drops the decoded front matter, which a large manual holds much of
// its memory in, once the site is assembled and rendered once: only the
// position of the time is kept, for TimePos.
func (s *Source) Lean() {
	if s.Doc != nil {
		s.timePos[0], s.timePos[1] = s.Doc.Pos("time")
		s.Doc = nil
	}
}

// TimePos returns the line and column of the front matter's time.
func (s *Source) TimePos() (line, col int) {
	if s.Doc != nil {
		return s.Doc.Pos("time")
	}
	return s.timePos[0], s.timePos[1]
}

// ReadBody returns the body: Body when it is kept, else read again from the
// file (see Options.DropBodies).
func (s *Source) ReadBody(fsys fs.FS) ([]byte, error) {
	if s.Body != nil {
		return s.Body, nil
	}
	data, err := fs.ReadFile(fsys, s.File)
	if err != nil {
		return nil, err
	}
	data = normalize(data)
	if s.bodyAt > len(data) {
		return nil, fmt.Errorf("%s changed while it was being built", s.File)
	}
	return data[s.bodyAt:], nil
}

// normalize drops a byte order mark and makes line endings \n.
func normalize(data []byte) []byte {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if bytes.IndexByte(data, '\r') >= 0 {
		data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
		data = bytes.ReplaceAll(data, []byte("\r"), []byte("\n"))
	}
	return data
}

// Options change how content is loaded.
type Options struct {
	// DropBodies keeps the bodies of a large manual out of memory: past the
	// first keptBodies bytes of them, only the front matter is kept and the
	// body is read again when it is rendered (ReadBody). A build of a large
	// manual then holds a few bodies rather than all of them, and a small
	// one reads each file once.
	DropBodies bool
}

// keptBodies is how much of the bodies DropBodies keeps, in bytes.
const keptBodies = 16 << 20

// IsIndex reports whether the file is a folder's _index.md (or index.md).
func (s *Source) IsIndex() bool {
	b := path.Base(s.Path)
	return b == "_index.md" || b == "index.md"
}

// Asset is a file in content/ that is not Markdown, such as an image beside a
// session; it is copied to the site as it is.
type Asset struct {
	Path string // relative to content/
}

// Content is everything found under content/.
type Content struct {
	Sources []*Source
	Assets  []Asset
	// Failed holds the paths (relative to content/) of Markdown files that
	// could not be loaded, so links to them are not reported twice.
	Failed map[string]bool
}

// Load reads content/ from fsys (the site's folder). Problems go to diags;
// files with errors are left out of the result.
func Load(fsys fs.FS, diags *diag.List) *Content {
	return LoadWith(fsys, Options{}, diags)
}

// LoadWith is Load with options.
func LoadWith(fsys fs.FS, opt Options, diags *diag.List) *Content {
	c := &Content{Failed: map[string]bool{}}
	info, err := fs.Stat(fsys, Dir)
	if err != nil || !info.IsDir() {
		diags.Add("content", diag.Errorf(Dir, 0, 0, "there is no content folder").
			WithHint("create content/ with a Markdown file, or run `flipchart new session \"Title\"`"))
		return c
	}
	w := walker{fsys: fsys, diags: diags, c: c, opt: opt}
	w.dir(Dir)
	w.parseFiles()
	sort.Slice(c.Sources, func(i, j int) bool { return c.Sources[i].Path < c.Sources[j].Path })
	if len(c.Sources) == 0 && !diags.HasErrors() {
		diags.Add("content", diag.Errorf(Dir, 0, 0, "no Markdown files in content/").
			WithHint("add a session with `flipchart new session \"Title\"`"))
	}
	return c
}

type walker struct {
	fsys  fs.FS
	diags *diag.List
	c     *Content
	path  []fs.FileInfo // the folders on the current path, to catch symlink loops
	opt   Options
	files []string // the Markdown files found, for parseFiles
}

// parseFiles reads and parses the Markdown files found, on every core.
// Problems are merged in the order of the files, as if read one by one.
func (w *walker) parseFiles() {
	type result struct {
		src   *Source
		diags diag.List
	}
	results := make([]result, len(w.files))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(w.files)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(results) {
					return
				}
				results[i].src = w.file(w.files[i], &results[i].diags)
			}
		})
	}
	wg.Wait()
	kept := 0
	for i := range results {
		w.diags.Merge(&results[i].diags)
		if s := results[i].src; s != nil {
			if w.opt.DropBodies {
				if kept += len(s.Body); kept > keptBodies {
					s.Body = nil
				}
			}
			w.c.Sources = append(w.c.Sources, s)
		} else {
			w.c.Failed[strings.TrimPrefix(w.files[i], Dir+"/")] = true
		}
	}
}

// onPath reports whether info is the same folder as one on the current
// path. os.SameFile compares device and inode on Unix and volume and file
// index on Windows; for a FileInfo that does not come from the os package
// (an in-memory file system, which has no symlinks) it is always false.
func (w *walker) onPath(info fs.FileInfo) bool {
	for _, a := range w.path {
		if os.SameFile(a, info) {
			return true
		}
	}
	return false
}

func (w *walker) dir(name string) {
	if info, err := fs.Stat(w.fsys, name); err == nil {
		if w.onPath(info) {
			w.diags.Add("content", diag.Errorf(name, 0, 0, "symlink loop: this folder links back to a folder that contains it").
				WithHint("remove the symlink or point it outside content/"))
			return
		}
		w.path = append(w.path, info)
		defer func() { w.path = w.path[:len(w.path)-1] }()
	}
	entries, err := fs.ReadDir(w.fsys, name)
	if err != nil {
		w.diags.Add("content", diag.Errorf(name, 0, 0, "cannot read folder: %v", err))
		return
	}
	for _, e := range entries {
		if Ignored(e.Name()) {
			continue
		}
		p := name + "/" + e.Name()
		mode := e.Type()
		if mode&fs.ModeSymlink != 0 {
			info, err := fs.Stat(w.fsys, p)
			if err != nil {
				if escapes(err) {
					w.diags.Add("content", diag.Warnf(p, 0, 0, "not published: the link points outside the site").
						WithHint("copy what it links to into the site"))
					continue
				}
				msg := fmt.Sprintf("broken symlink: %v", unwrapPathErr(err))
				if errors.Is(err, syscall.ELOOP) {
					msg = "symlink loop: the link points back to itself"
				}
				w.diags.Add("content", diag.Errorf(p, 0, 0, "%s", msg).WithHint("fix or remove the symlink"))
				continue
			}
			mode = info.Mode().Type()
		}
		isDir := mode.IsDir()
		if !isDir && !mode.IsRegular() {
			// A named pipe or a device would block or never end.
			w.diags.Add("content", diag.Errorf(p, 0, 0, "not a regular file (%v)", mode).
				WithHint("content/ may hold only folders and files; move it out"))
			continue
		}
		switch {
		case isDir:
			w.dir(p)
		case strings.HasSuffix(e.Name(), ".md"):
			w.files = append(w.files, p)
		default:
			w.c.Assets = append(w.c.Assets, Asset{Path: strings.TrimPrefix(p, Dir+"/")})
		}
	}
}

// escapes reports whether err is os.Root refusing a path that leads out of
// the site.
func escapes(err error) bool {
	return strings.Contains(err.Error(), "path escapes from parent")
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// file reads and parses one Markdown file; it may run on any goroutine, so
// it reports into diags, not w.diags.
func (w *walker) file(p string, diags *diag.List) *Source {
	f, err := w.fsys.Open(p)
	if err != nil {
		diags.Add("content", diag.Errorf(p, 0, 0, "cannot open: %v", unwrapPathErr(err)))
		return nil
	}
	defer f.Close()
	var size int64
	if info, err := f.Stat(); err == nil {
		size = info.Size()
		if size > MaxFileSize {
			diags.Add("content", diag.Errorf(p, 0, 0, "file is too large (%d MB; the limit is %d MB)", size>>20, MaxFileSize>>20).
				WithHint("split it into several sessions"))
			return nil
		}
	}
	data, err := readAll(f, size)
	if err != nil {
		diags.Add("content", diag.Errorf(p, 0, 0, "cannot read: %v", unwrapPathErr(err)))
		return nil
	}
	src := Parse(p, data, diags)
	if src != nil {
		src.Hash = sha256.Sum256(data) // the file's bytes, as a build cache keys them
	}
	return src
}

// readAll reads f, whose size is probably size, in one allocation of that
// size (io.ReadAll would grow its buffer from 512 bytes, allocating twice
// the file).
func readAll(f fs.File, size int64) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(int(size) + bytes.MinRead)
	_, err := b.ReadFrom(io.LimitReader(f, MaxFileSize+1))
	data := b.Bytes()
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("file is larger than %d MB", MaxFileSize>>20)
	}
	return data, err
}

// Parse checks one content file's bytes and splits and decodes its front
// matter. file is relative to the site ("content/x.md"). Problems go to
// diags; when one makes the file unusable, Parse returns nil.
func Parse(file string, data []byte, diags *diag.List) *Source {
	s, d := parse(file, data, diags)
	if d != nil {
		diags.Add("content", d)
		return nil
	}
	return s
}

func parse(file string, data []byte, diags *diag.List) (*Source, *diag.Diagnostic) {
	if bytes.HasPrefix(data, []byte("\xFF\xFE")) || bytes.HasPrefix(data, []byte("\xFE\xFF")) {
		return nil, diag.Errorf(file, 1, 1, "this file is in UTF-16, not UTF-8").
			WithHint("save the file as UTF-8 in your editor")
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		line := bytes.Count(data[:i], []byte("\n")) + 1
		return nil, diag.Errorf(file, line, 0, "this is a binary file, not Markdown text").
			WithHint("remove it from content/ or rename it so it does not end in .md")
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if !utf8.Valid(data) {
		line, col := invalidUTF8(data)
		return nil, diag.Errorf(file, line, col, "not valid UTF-8 text").
			WithHint("save the file as UTF-8 in your editor (it may be in Latin-1 or Windows-1252)")
	}
	data = normalize(data)
	s := &Source{Path: strings.TrimPrefix(file, Dir+"/"), File: file}
	text := string(data)
	first, rest, _ := strings.Cut(text, "\n")
	switch strings.TrimRight(first, " \t") {
	case "+++":
	case "---":
		return nil, diag.Errorf(file, 1, 1, "YAML front matter (---) is not supported").
			WithHint("write the front matter in TOML between +++ lines, e.g. title = \"Next Steps\"")
	default:
		return nil, diag.Errorf(file, 1, 1, "no front matter").
			WithHint("start the file with a +++ line, then title = \"...\" and the other fields, then another +++ line")
	}
	// Find the closing line, one line at a time: the body is not split.
	end, off, closing := -1, 0, ""
	for i, l := 0, rest; l != ""; i++ {
		line := l
		if n := strings.IndexByte(l, '\n'); n >= 0 {
			line = l[:n+1]
		}
		if strings.TrimRight(line, " \t\n") == "+++" {
			end, closing = i, line
			break
		}
		off += len(line)
		l = l[len(line):]
	}
	if end < 0 {
		return nil, diag.Errorf(file, 1, 1, "the front matter opened here is never closed").
			WithHint("add a line with only +++ after the last front matter field")
	}
	// A copy, not a substring: meta.Doc keeps fm for positions, and a
	// substring would keep the whole file's text alive with it.
	fm := strings.Clone(rest[:off])
	body := rest[off+len(closing):]
	s.bodyAt = len(text) - len(body)
	s.BodyLine = end + 3
	s.Body = []byte(body)
	doc, d := meta.Parse(file, 1, fm)
	if d != nil {
		return nil, d
	}
	s.Doc = doc
	before := diags.Errors()
	s.Front = decodeFront(doc, diags)
	if diags.Errors() > before {
		return nil, nil // reported by decodeFront
	}
	return s, nil
}

func invalidUTF8(data []byte) (line, col int) {
	line, col = 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return line, col
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += size
	}
	return line, col
}

// SourceState is a Source as a build cache keeps it: everything but the
// body and the decoded front matter, which Restore's Source reads again
// from its file when needed (see ReadBody).
type SourceState struct {
	Path, File string
	BodyLine   int
	Front      FrontMatter
	BodyAt     int
	TimePos    [2]int
}

// State returns what a build cache keeps of s.
func (s *Source) State() SourceState {
	line, col := s.TimePos()
	return SourceState{Path: s.Path, File: s.File, BodyLine: s.BodyLine, Front: s.Front, BodyAt: s.bodyAt, TimePos: [2]int{line, col}}
}

// Source returns the source a build cache kept, without its body and
// decoded front matter.
func (st SourceState) Source() *Source {
	return &Source{Path: st.Path, File: st.File, BodyLine: st.BodyLine, Front: st.Front, bodyAt: st.BodyAt, timePos: st.TimePos}
}

// SplitLang reads a translation's name: "day-3/11-next-steps.es.md" is
// ("day-3/11-next-steps.md", "es"), a translation into es of the page
// beside it. A name whose last dot does not come before a language code
// ("v1.2.md", "notes.md") gives (p, ""). Whether a code is one of the
// manual's languages is the site stage's to say.
func SplitLang(p string) (base, lang string) {
	stem, ok := strings.CutSuffix(p, ".md")
	if !ok {
		return p, ""
	}
	i := strings.LastIndexByte(stem, '.')
	if i < 0 || strings.LastIndexByte(stem, '/') > i {
		return p, ""
	}
	tag := strings.ToLower(stem[i+1:])
	if !isLangTag(tag) {
		return p, ""
	}
	return stem[:i] + ".md", tag
}

// isLangTag reports whether s looks like a language code: two or three
// letters, then any subtags of two to eight letters or digits ("pt-br").
func isLangTag(s string) bool {
	for i, part := range strings.Split(s, "-") {
		if i == 0 && (len(part) < 2 || len(part) > 3) || len(part) < 2 || len(part) > 8 {
			return false
		}
		for _, c := range part {
			if !(c >= 'a' && c <= 'z' || i > 0 && c >= '0' && c <= '9') {
				return false
			}
		}
	}
	return true
}

// TextHash is what a translation records of the page it was made from
// (its front matter's source_hash), to tell when the page changed since:
// the first 12 hex digits of the SHA-256 of what a translator translates,
// the page's title, summary, activities, objectives, materials and body.
// Its other front matter (session number, time, weight) is inherited by
// the translation, so a change of it leaves the translation current.
func (s *Source) TextHash(fsys fs.FS) (string, error) {
	body := s.Body
	if body == nil && fsys != nil {
		var err error
		if body, err = s.ReadBody(fsys); err != nil {
			return "", err
		}
	}
	h := sha256.New()
	f := s.Front
	for _, part := range [][]string{{f.Title}, {f.Summary}, f.Activities, f.Objectives, f.Materials} {
		for _, v := range part {
			io.WriteString(h, strings.TrimSpace(v))
			h.Write([]byte{0})
		}
		h.Write([]byte{1})
	}
	h.Write(bytes.TrimSpace(body))
	return fmt.Sprintf("%x", h.Sum(nil))[:12], nil
}
