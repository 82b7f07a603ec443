package author

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

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
}

// Import converts the plain-text session guides in files into session
// Markdown, each written as NN-slug.md from its session number and title.
// Problems go to diags, with the text file and line: an unusable file or one
// that exists already (without Force) is an error, text the import could not
// place a warning. It returns the files written, in order.
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
	for _, given := range files {
		// Messages name files relative to the site, with forward slashes;
		// a file outside the site as it was given.
		file := diag.Display(src, given)
		data, err := readText(given)
		if err != nil {
			diags.Add("import", diag.Errorf(file, 0, 0, "cannot read: %v", err))
			continue
		}
		g, d := ParseGuide(file, data, diags)
		if d != nil {
			diags.Add("import", d)
			continue
		}
		md := g.Markdown()
		out := filepath.Join(dest, fileName(g.Session, g.Title))
		shown := diag.Display(src, out)
		// The Markdown must load as content; when it does not, that is a bug
		// here, and the author is better told than handed a broken file.
		check := &diag.List{}
		if content.Parse(shown, md, check); check.HasErrors() {
			for _, c := range check.Items() {
				diags.Add("import", diag.Errorf(file, 0, 0, "flipchart made Markdown it cannot read, please report this: %s", c.Error()))
			}
			continue
		}
		if err := os.MkdirAll(dest, 0o755); err != nil {
			diags.Add("import", diag.Errorf(file, 0, 0, "cannot create %s: %v", diag.Display(src, dest), err))
			continue
		}
		if opt.Force {
			err = writeReplace(out, md)
		} else {
			err = writeNew(out, md)
		}
		var exists *ExistsError
		switch {
		case errors.As(err, &exists):
			diags.Add("import", diag.Errorf(shown, 0, 0, "the file exists already; flipchart import does not replace it").
				WithHint("run again with --force to replace it, or with --dest to write elsewhere"))
			continue
		case err != nil:
			diags.Add("import", diag.Errorf(shown, 0, 0, "cannot write: %v", err))
			continue
		}
		written = append(written, out)
		for _, s := range existing {
			if s.Number == g.Session && !samePath(s.Path, out) {
				diags.Add("import", diag.Warnf(shown, 0, 0, "session %d is also the number of %s; the site will not build with both", g.Session, diag.Display(src, s.Path)).
					WithHint("renumber one of them, or import over the other with --dest and --force"))
			}
		}
		existing = append(existing, sessionFile{Number: g.Session, Path: out})
	}
	return written
}

// readText reads a file of at most content.MaxFileSize bytes.
func readText(name string) ([]byte, error) {
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
		return nil, errors.New("it is a folder; give the text files inside it")
	}
	data, err := io.ReadAll(io.LimitReader(f, content.MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > content.MaxFileSize {
		return nil, fmt.Errorf("the file is larger than %d MB; is it a session guide?", content.MaxFileSize>>20)
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
