// Package bundle is the last stage of flipchart bundle: it packs a built
// site into one zip file that trainers carry on a USB stick. The zip holds
// one folder, and in it every file and folder of the site and SHA256SUMS,
// the SHA-256 of each file; beside the zip, a SHA256SUMS file holds the
// SHA-256 of the zip itself. Both are in the format sha256sum writes, so
// `sha256sum -c SHA256SUMS` checks them.
//
// The same site gives the same zip, byte for byte, on any machine: the
// entries are sorted by path (each folder an entry of its own, before what
// it holds), every entry has the same time (DefaultTime, or
// SOURCE_DATE_EPOCH) and mode (0644 for files, 0755 for folders), there are
// no extra fields and no comment, and files are compressed with Deflate at
// a fixed level. Nothing of the machine goes in: entries are named by their
// path in the site, and the zip is checked against Options.Forbid (the
// machine's folders) before it takes its name.
//
// The zip and the SHA256SUMS beside it are written whole: each to a
// temporary file beside it, then renamed, so a failure leaves no half zip.
package bundle

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// SumsName is the name of the list of SHA-256 sums, inside the zip's folder
// (every file of the site) and beside the zip (the zip).
const SumsName = "SHA256SUMS"

// The modes of every entry.
const (
	fileMode = fs.FileMode(0o644)
	dirMode  = fs.ModeDir | 0o755
)

// level is the Deflate level of every file: fixed, so that the same files
// compress to the same bytes.
const level = flate.DefaultCompression

// Options control a bundle.
type Options struct {
	// Folder is the name of the one folder at the top of the zip, such as
	// "integrated-security": unzipping gives that folder.
	Folder string
	// Time is the modification time of every entry; zero means
	// DefaultTime. A zip keeps times to two seconds, from 1980 to 2107, in
	// no time zone: Time is taken in UTC and rounded down into that range.
	Time time.Time
	// Forbid are strings that name this machine (its folders, its name):
	// a file of the site, or the zip, that holds one is an error.
	Forbid []string
}

// Result is what Write wrote.
type Result struct {
	Zip    string // the zip, as named to Write
	Sums   string // the SHA256SUMS beside it
	SHA256 string // the zip's SHA-256, in hex
	Size   int64  // the zip's size in bytes
	Files  int    // the site's files in it, SHA256SUMS not counted
}

// entry is one file or folder of the site.
type entry struct {
	name string // its path in the site, with forward slashes; a folder's ends in "/"
	path string // its path on disk, for messages and reading
	sum  [sha256.Size]byte
	data []byte // the content of a file made here (SHA256SUMS), not read from disk
}

// Write packs the built site in the folder dir into the zip file out, and
// writes the zip's SHA-256 into SHA256SUMS beside it (replacing the line for
// a file of the same name, keeping the others). When it fails, out and that
// SHA256SUMS are as they were.
func Write(dir, out string, opt Options) (*Result, error) {
	if err := checkFolder(opt.Folder); err != nil {
		return nil, err
	}
	base := filepath.Base(out)
	if info, err := os.Stat(out); err == nil && info.IsDir() {
		return nil, fmt.Errorf("%s is a folder; name the zip file to write, such as %s", out, filepath.Join(out, opt.Folder+".zip"))
	}
	if err := checkListable(base, out); err != nil {
		return nil, err
	}
	entries, err := list(dir)
	if err != nil {
		return nil, err
	}
	files := 0
	for i := range entries {
		if !isDir(entries[i]) {
			files++
			if err := hashFile(&entries[i], opt.Forbid); err != nil {
				return nil, err
			}
		}
	}
	where := filepath.Dir(out)
	if err := os.MkdirAll(where, 0o755); err != nil {
		return nil, fmt.Errorf("cannot make the folder for %s: %w; choose another --out", out, err)
	}
	sumsPath := filepath.Join(where, SumsName)
	oldSums, err := readSums(sumsPath)
	if err != nil {
		return nil, err
	}
	zipTmp, sum, size, err := writeZip(entries, out, opt)
	if err != nil {
		return nil, err
	}
	sumsTmp, err := writeTemp(sumsPath, mergeSums(oldSums, base, sum))
	if err != nil {
		os.Remove(zipTmp)
		return nil, err
	}
	if err := os.Rename(zipTmp, out); err != nil {
		os.Remove(zipTmp)
		os.Remove(sumsTmp)
		return nil, fmt.Errorf("cannot put %s in place: %w; close any program that has it open and run again", out, err)
	}
	if err := os.Rename(sumsTmp, sumsPath); err != nil {
		os.Remove(sumsTmp)
		return nil, fmt.Errorf("wrote %s but cannot put %s in place: %w; close any program that has it open and run again", out, sumsPath, err)
	}
	return &Result{Zip: out, Sums: sumsPath, SHA256: hex.EncodeToString(sum[:]), Size: size, Files: files}, nil
}

// checkFolder checks that name can be the zip's one top-level folder.
func checkFolder(name string) error {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, `/\`) || !utf8.ValidString(name) {
		return fmt.Errorf("bundle: %q cannot be the zip's folder: give one folder name, such as \"manual\"", name)
	}
	return checkListable(name, name)
}

// checkListable checks that name can be written in a SHA256SUMS line as it
// is: sha256sum escapes names with a backslash or a line break, and other
// tools would not read them back.
func checkListable(name, what string) error {
	if strings.ContainsAny(name, "\\\n\r") {
		return fmt.Errorf("%s: a name with a backslash or a line break cannot be listed in %s; rename it", what, SumsName)
	}
	return nil
}

// isDir says whether e is a folder.
func isDir(e entry) bool { return strings.HasSuffix(e.name, "/") }

// list returns every file and folder under dir, sorted by name (byte
// order, so a folder comes before what it holds). Links and special files
// are errors: a bundle holds the site's own files only.
func list(dir string) ([]entry, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("cannot read the built site: %w; run flipchart build first", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("%s is a file, not a built site's folder; name the folder flipchart build writes (--dest)", dir)
	}
	var out []entry
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("cannot read %s: %w", p, err)
		}
		if p == dir {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		name := filepath.ToSlash(rel)
		switch {
		case !utf8.ValidString(name):
			return fmt.Errorf("%s: the name is not valid UTF-8; rename the file in the site's sources", p)
		case name == SumsName:
			return fmt.Errorf("%s: the bundle writes its own %s there; rename that file in the site's sources", p, SumsName)
		case d.Type()&fs.ModeSymlink != 0:
			return fmt.Errorf("%s is a symbolic link; a bundle holds files and folders only: build the site again (flipchart build writes no links)", p)
		case d.IsDir():
			name += "/"
		case !d.Type().IsRegular():
			return fmt.Errorf("%s is not a regular file; remove it from the built site and run again", p)
		}
		if err := checkListable(name, p); err != nil {
			return err
		}
		out = append(out, entry{name: name, path: p})
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b entry) int { return strings.Compare(a.name, b.name) })
	return out, nil
}

// hashFile computes the SHA-256 of the file of e, and checks that it holds
// none of the strings of forbid.
func hashFile(e *entry, forbid []string) error {
	f, err := os.Open(e.path)
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", e.path, err)
	}
	defer f.Close()
	h, sc := sha256.New(), newScanner(forbid)
	if _, err := io.Copy(io.MultiWriter(h, sc), f); err != nil {
		return fmt.Errorf("cannot read %s: %w", e.path, err)
	}
	if sc.found != "" {
		return fmt.Errorf("%s holds %q, which names this computer (a folder of it, or its name); the bundle must not say where it was made: remove it from the page's sources or templates and run again", e.path, sc.found)
	}
	h.Sum(e.sum[:0])
	return nil
}

// sumsOf is the SHA256SUMS of the zip's folder: a line per file, sorted by
// path, as sha256sum writes it ("<hex>  <path>").
func sumsOf(entries []entry) []byte {
	var b bytes.Buffer
	for _, e := range entries {
		if !isDir(e) {
			fmt.Fprintf(&b, "%x  %s\n", e.sum, e.name)
		}
	}
	return b.Bytes()
}

// writeZip writes the zip of entries to a temporary file beside out and
// returns its name, SHA-256 and size. The temporary file is removed when it
// fails.
func writeZip(entries []entry, out string, opt Options) (tmp string, sum [sha256.Size]byte, size int64, err error) {
	f, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".tmp-*")
	if err != nil {
		return "", sum, 0, fmt.Errorf("cannot write beside %s: %w; choose a folder you can write to with --out", out, err)
	}
	tmp = f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	h, sc := sha256.New(), newScanner(opt.Forbid)
	cw := &countWriter{w: io.MultiWriter(f, h, sc)}
	zw := zip.NewWriter(cw)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, level)
	})
	date, clock := dosTime(opt.Time)
	// The folder itself ("" sorts first), the site, and SHA256SUMS in its
	// place among the site's files.
	all := append([]entry{{name: ""}, {name: SumsName, data: sumsOf(entries)}}, entries...)
	slices.SortFunc(all, func(a, b entry) int { return strings.Compare(a.name, b.name) })
	for _, e := range all {
		if err := addEntry(zw, opt.Folder, e, date, clock); err != nil {
			return "", sum, 0, zipError(out, err)
		}
	}
	if err := zw.Close(); err != nil {
		return "", sum, 0, zipError(out, err)
	}
	if sc.found != "" {
		return "", sum, 0, fmt.Errorf("%s would hold %q, which names this computer; no zip written: report this as a flipchart bug", out, sc.found)
	}
	if err := f.Sync(); err != nil {
		return "", sum, 0, zipError(out, err)
	}
	if err := f.Close(); err != nil {
		return "", sum, 0, zipError(out, err)
	}
	if err := os.Chmod(tmp, fileMode); err != nil {
		return "", sum, 0, zipError(out, err)
	}
	h.Sum(sum[:0])
	return tmp, sum, cw.n, nil
}

// zipError says that writing the zip out failed, and what to do.
func zipError(out string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("cannot write %s: %w; free some space or choose another --out", out, err)
	}
	return fmt.Errorf("cannot write %s: %w", out, err)
}

// header is the zip header of the entry name: the fixed time and mode, and
// no extra field (the Modified field of archive/zip would add one, so the
// MS-DOS time is set instead).
func header(name string, mode fs.FileMode, method uint16, date, clock uint16) *zip.FileHeader {
	h := &zip.FileHeader{Name: name, Method: method}
	// The MS-DOS fields are deprecated in favour of Modified, which would
	// add an extended-time extra field.
	h.ModifiedDate, h.ModifiedTime = date, clock
	h.SetMode(mode)
	return h
}

// addEntry adds the file or folder e of the site, under folder, to zw. A
// file whose content is no longer the one hashed is an error.
func addEntry(zw *zip.Writer, folder string, e entry, date, clock uint16) error {
	if e.name == "" || isDir(e) {
		_, err := zw.CreateHeader(header(folder+"/"+e.name, dirMode, zip.Store, date, clock))
		return err
	}
	w, err := zw.CreateHeader(header(folder+"/"+e.name, fileMode, zip.Deflate, date, clock))
	if err != nil {
		return err
	}
	if e.path == "" {
		_, err = w.Write(e.data)
		return err
	}
	f, err := os.Open(e.path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(w, h), f); err != nil {
		return err
	}
	if !bytes.Equal(h.Sum(nil), e.sum[:]) {
		return fmt.Errorf("%s changed while it was being bundled; wait for the build that writes it to end and run again", e.path)
	}
	return nil
}

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
