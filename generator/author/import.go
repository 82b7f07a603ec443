package author

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"flipchart/generator/content"
	"flipchart/generator/diag"
)

// ImportOptions say where `flipchart import` writes.
type ImportOptions struct {
	// Source is the site's folder; "" is the current one. Its content/ is
	// where files go by default, and its sessions are checked for numbers
	// the imported guides would take twice.
	Source string
	// Dest is the folder to write to, as given (relative to the current
	// folder); "" is Source's content/.
	Dest string
	// Force replaces files that exist.
	Force bool
	// Strict makes text import cannot place an error: nothing of that
	// document is written.
	Strict bool
}

// Import converts the session guides in files (plain text, web pages, Word
// and PDF files, or folders of them) into session Markdown, each written as
// NN-slug.md from its session number and title; a document with "Day N",
// "Module N" or "Part N" headings is split into a folder for each, with its
// _index.md. Problems go to diags, with the document and line: an unusable
// file or one whose Markdown exists already (without Force) is an error,
// and nothing of that document is written; text the import could not place
// is kept for trainers only and reported as a warning (an error with
// Strict). It returns the files written, in order.
func Import(files []string, opt ImportOptions, diags *diag.List) []string {
	src := opt.Source
	if src == "" {
		src = "."
	}
	dest := opt.Dest
	if dest == "" {
		dest = filepath.Join(src, content.Dir)
	}
	existing, _ := scanSessions(filepath.Join(src, content.Dir))
	var written []string
	for _, given := range expandInputs(files, src, diags) {
		// Messages name files relative to the site, with forward slashes;
		// a file outside the site as it was given.
		file := diag.Display(src, given)
		m := readManual(given, file, diags)
		if m == nil {
			continue
		}
		m.Report(diags, opt.Strict)
		if opt.Strict && len(m.Unplaced) > 0 {
			continue
		}
		numberSessions(m, existing, file, diags)
		plan, ok := planFiles(m, dest, src, file, diags)
		if !ok {
			continue
		}
		if !writePlan(plan, opt.Force, src, diags) {
			continue
		}
		for _, f := range plan {
			written = append(written, f.path)
			if f.session == 0 {
				continue
			}
			shown := diag.Display(src, f.path)
			for _, s := range existing {
				if s.Number == f.session && !samePath(s.Path, f.path) {
					diags.Add("import", diag.Warnf(shown, 0, 0, "session %d is also the number of %s; the site will not build with both", f.session, diag.Display(src, s.Path)).
						WithHint("renumber one of them, or import over the other with --dest and --force"))
				}
			}
			existing = append(existing, sessionFile{Number: f.session, Path: f.path})
		}
	}
	return written
}

// expandInputs lists the files to import: each file given, and the files
// of each folder given that import reads, in name order (a saved page's
// NAME_files folder and hidden files left out).
func expandInputs(given []string, src string, diags *diag.List) []string {
	var out []string
	for _, g := range given {
		info, err := os.Stat(g)
		if err != nil || !info.IsDir() {
			out = append(out, g)
			continue
		}
		var found []string
		filepath.WalkDir(g, func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			name := e.Name()
			if p != g && (strings.HasPrefix(name, ".") || e.IsDir() && strings.HasSuffix(name, "_files")) {
				if e.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if !e.IsDir() {
				if _, err := readerFor(name); err == nil {
					found = append(found, p)
				}
			}
			return nil
		})
		if len(found) == 0 {
			diags.Add("import", diag.Errorf(diag.Display(src, g), 0, 0, "the folder holds no file import reads").
				WithHint("give the guides themselves: .txt, .html, .docx or .pdf files"))
		}
		out = append(out, found...)
	}
	return out
}

// readManual reads one document and finds its sessions, or reports why it
// cannot and returns nil.
func readManual(given, file string, diags *diag.List) *Manual {
	read, err := readerFor(given)
	if err != nil {
		diags.Add("import", diag.Errorf(file, 0, 0, "%v", err).WithHint("save the guide as .txt, .html, .docx or .pdf"))
		return nil
	}
	data, err := readInput(given)
	if err != nil {
		diags.Add("import", diag.Errorf(file, 0, 0, "cannot read: %v", err))
		return nil
	}
	doc, err := read(file, data)
	if err != nil {
		diags.Add("import", readError(file, err))
		return nil
	}
	doc.File = file
	m, d := ReadGuides(doc, diags)
	if d != nil {
		diags.Add("import", d)
		return nil
	}
	return m
}

// numberSessions numbers the sessions found without a number: each the
// next after the highest of the site's and the manual's.
func numberSessions(m *Manual, existing []sessionFile, file string, diags *diag.List) {
	high := 0
	for _, s := range existing {
		high = max(high, s.Number)
	}
	for _, g := range m.Guides() {
		high = max(high, g.Session)
	}
	for _, g := range m.Guides() {
		if g.Session == 0 {
			high++
			g.Session = high
			diags.Add("import", diag.Warnf(file, g.Src, 0, "“%s” has no session number: numbered %d", g.Title, g.Session).
				WithHint("change session = %d in the Markdown (and its file name) if it has another place", g.Session))
		}
	}
}

// A plannedFile is one file import writes.
type plannedFile struct {
	path    string
	data    []byte
	session int // 0 for a module's _index.md
}

// planFiles lays out the manual's files under dest: its sessions, and for
// each module with a heading a folder with its _index.md. Each file's
// Markdown must load as content; when it does not, that is a bug here,
// and the author is better told than handed a broken file.
func planFiles(m *Manual, dest, src, file string, diags *diag.List) ([]plannedFile, bool) {
	var plan []plannedFile
	ok := true
	add := func(path string, data []byte, session int) {
		check := &diag.List{}
		if content.Parse(diag.Display(src, path), data, check); check.HasErrors() {
			for _, c := range check.Items() {
				diags.Add("import", diag.Errorf(file, 0, 0, "flipchart made Markdown it cannot read, please report this: %s", c.Error()))
			}
			ok = false
			return
		}
		plan = append(plan, plannedFile{path, data, session})
	}
	for i, mod := range m.Modules {
		dir := dest
		if mod.Title != "" {
			name := Slug(mod.Title)
			if name == "" {
				name = fmt.Sprintf("module-%d", i+1)
			}
			dir = filepath.Join(dest, name)
			add(filepath.Join(dir, "_index.md"), mod.Markdown(i+1), 0)
		}
		for _, g := range mod.Guides {
			add(filepath.Join(dir, fileName(g.Session, g.Title)), g.Markdown(), g.Session)
		}
	}
	return plan, ok
}

// writePlan writes the planned files, or none when one exists already and
// force is false.
func writePlan(plan []plannedFile, force bool, src string, diags *diag.List) bool {
	if !force {
		clash := false
		for _, f := range plan {
			if _, err := os.Lstat(f.path); err == nil {
				diags.Add("import", diag.Errorf(diag.Display(src, f.path), 0, 0, "the file exists already; flipchart import does not replace it").
					WithHint("run again with --force to replace it, or with --dest to write elsewhere"))
				clash = true
			}
		}
		if clash {
			return false
		}
	}
	for _, f := range plan {
		shown := diag.Display(src, f.path)
		if err := os.MkdirAll(filepath.Dir(f.path), 0o755); err != nil {
			diags.Add("import", diag.Errorf(shown, 0, 0, "cannot create its folder: %v", err))
			return false
		}
		var err error
		if force {
			err = writeReplace(f.path, f.data)
		} else {
			err = writeNew(f.path, f.data)
		}
		var exists *ExistsError
		switch {
		case errors.As(err, &exists):
			diags.Add("import", diag.Errorf(shown, 0, 0, "the file exists already; flipchart import does not replace it").
				WithHint("run again with --force to replace it, or with --dest to write elsewhere"))
			return false
		case err != nil:
			diags.Add("import", diag.Errorf(shown, 0, 0, "cannot write: %v", err))
			return false
		}
	}
	return true
}

// maxInput is the largest document import reads: Word and PDF files hold
// images; text is much smaller (see content.MaxFileSize).
const maxInput = 64 << 20

// readInput reads a file to import, of at most maxInput bytes (text and
// web pages: content.MaxFileSize).
func readInput(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return nil, pe.Err
		}
		return nil, err
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && info.IsDir() {
		return nil, errors.New("it is a folder; give the files inside it")
	}
	limit := int64(maxInput)
	switch strings.ToLower(filepath.Ext(name)) {
	case ".txt", ".text", ".html", ".htm":
		limit = content.MaxFileSize
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("the file is larger than %d MB; is it a session guide?", limit>>20)
	}
	return data, nil
}

// samePath reports whether two paths name the same file.
func samePath(a, b string) bool {
	if ia, err := os.Stat(a); err == nil {
		if ib, err := os.Stat(b); err == nil {
			return os.SameFile(ia, ib)
		}
	}
	aa, _ := filepath.Abs(a)
	bb, _ := filepath.Abs(b)
	return aa == bb
}
