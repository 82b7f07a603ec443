package build

// What a PDF was printed from, so that a build can keep the PDFs still
// current and flipchart pdf print only the others. flipchart pdf prints each
// page as the site's first render writes it (before the pages link their
// PDFs), and records in pdf/manifest.json a hash of what went into that
// print: the page's HTML, every file of the site it loads (stylesheets,
// scripts, images, and what the stylesheets load), the PDF's metadata, the
// base_url its links lead to and flipchart's version. A later build renders
// its pages the same way, hashes the same inputs, and keeps a PDF only when
// the hash is the one recorded and the PDF is the file printed: a PDF is
// never older than its page.

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"flipchart/generator/config"
	"flipchart/generator/links"
	"flipchart/generator/pdf"
	"flipchart/generator/publish"
)

// ManifestPath is where a site records what its PDFs were printed from.
const ManifestPath = "pdf/manifest.json"

// manifestFormat is the manifest's version: a manifest of another format is
// not read, and its PDFs are printed again.
const manifestFormat = 1

// PDFCount says how many of a site's PDFs are current.
type PDFCount struct {
	Total   int // the PDFs the site has (PDFFiles)
	Current int // kept from the previous site: their pages are unchanged
	Printed int // printed in this run (flipchart pdf)
	// Pages are the pages of the PDFs printed, PrintTime how long printing
	// them took.
	Pages     int
	PrintTime time.Duration

	printRun bool // counted by flipchart pdf, which prints the rest
}

// manifest is pdf/manifest.json. It holds paths in the site and hashes
// only, nothing of the machine.
type manifest struct {
	Format    int                  `json:"format"`
	Flipchart string               `json:"flipchart"` // the version that printed them
	PDFs      map[string]pdfRecord `json:"pdfs"`      // by the PDF's path in the site
}

// pdfRecord is what one PDF was printed from.
type pdfRecord struct {
	Page   string `json:"page"`   // the page printed, "day-3/11-next-steps/handout/index.html"
	Source string `json:"source"` // printKey of what it was printed from
	SHA256 string `json:"sha256"` // of the PDF file
}

// toolVersion is flipchart's version as PDFs record it: the version given,
// with the commit it was built from when the binary knows one.
func toolVersion(v string) string {
	if v == "" {
		v = "dev"
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		var rev, modified string
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					modified = "+modified"
				}
			}
		}
		if rev != "" {
			v += " (" + rev + modified + ")"
		}
	}
	return v
}

// previousPDFs is what the site at the destination had of PDFs.
type previousPDFs struct {
	manifest *manifest // nil when it has none that can be read
	had      bool      // it has PDFs, recorded or not
}

// readPrevious reads the manifest of the site at dest. A missing,
// unreadable or foreign manifest is no manifest: its PDFs are not kept.
func readPrevious(dest string) previousPDFs {
	var prev previousPDFs
	if m, _ := filepath.Glob(filepath.Join(dest, "pdf", "*.pdf")); len(m) > 0 {
		prev.had = true
	}
	data, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(ManifestPath)))
	if err != nil {
		return prev
	}
	var m manifest
	if err := json.Unmarshal(data, &m); err != nil || m.Format != manifestFormat || len(m.PDFs) == 0 {
		return prev
	}
	prev.manifest = &m
	return prev
}

// printJob is the metadata of a PDF, as it is printed.
func printJob(f PDFFile, cfg *config.Config) pdf.Job {
	j := f.Job
	j.BaseURL = cfg.BaseURL
	return j
}

// printKey hashes what the PDF f is printed from in the built site in dir:
// its page, every file of the site the page loads, its metadata, where its
// links lead, and the version of flipchart.
func printKey(dir string, f PDFFile, j pdf.Job, version string) (string, error) {
	h := sha256.New()
	field := func(s string) { fmt.Fprintf(h, "%d:%s\n", len(s), s) }
	field("flipchart pdf")
	field(version)
	field(pdf.Creator)
	for _, s := range []string{j.Title, j.Author, j.Subject, j.BaseURL} {
		field(s)
	}
	inputs, err := printInputs(dir, f.Page.Out)
	if err != nil {
		return "", err
	}
	for _, name := range inputs {
		field(name)
		if err := hashFile(h, filepath.Join(dir, filepath.FromSlash(name))); errors.Is(err, fs.ErrNotExist) {
			field("missing")
		} else if err != nil {
			return "", err
		}
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}

// hashFile writes a file's length and bytes to h.
func hashFile(h hash.Hash, name string) error {
	file, err := os.Open(name)
	if err != nil {
		return err
	}
	defer file.Close()
	info, err := file.Stat()
	if err != nil {
		return err
	}
	fmt.Fprintf(h, "%d:", info.Size())
	if _, err := io.Copy(h, file); err != nil {
		return err
	}
	h.Write([]byte{'\n'})
	return nil
}

// fileSHA256 is the hash of a file, in hex.
func fileSHA256(name string) (string, error) {
	file, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer file.Close()
	h := sha256.New()
	if _, err := io.Copy(h, file); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// printInputs lists the files of the built site in dir that a print of page
// reads: the page, then in order of name the stylesheets (css/*.css, all of
// them) and every file of the site the page or a stylesheet loads, as
// package links reads them (links.Loads). Links to other pages are not
// read by a print: their targets are not in it.
func printInputs(dir, page string) ([]string, error) {
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(page)))
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{page: true}
	var todo, found []string
	add := func(names ...string) {
		for _, name := range names {
			if !seen[name] && fs.ValidPath(name) {
				seen[name] = true
				found = append(found, name)
				if strings.HasSuffix(name, ".css") {
					todo = append(todo, name)
				}
			}
		}
	}
	css, _ := filepath.Glob(filepath.Join(dir, "css", "*.css"))
	for _, c := range css {
		add("css/" + filepath.Base(c))
	}
	add(links.Loads(page, data)...)
	for len(todo) > 0 {
		name := todo[0]
		todo = todo[1:]
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			continue // hashed as missing
		}
		add(links.Loads(name, data)...)
	}
	slices.Sort(found)
	return append([]string{page}, found...), nil
}

// pdfKeys hashes what each PDF of the site built in dir is printed from.
func pdfKeys(dir string, files []PDFFile, cfg *config.Config, version string) ([]string, error) {
	keys := make([]string, len(files))
	for i, f := range files {
		k, err := printKey(dir, f, printJob(f, cfg), version)
		if err != nil {
			return nil, fmt.Errorf("reading what %s is printed from: %w", f.Path, err)
		}
		keys[i] = k
	}
	return keys, nil
}

// keepCurrent copies into the build out the PDFs of the previous site at
// dest that are current: printed from what the new build's page is (keys,
// by files' index), and still the file that was printed. It returns their
// records, by PDF path.
func keepCurrent(prev *manifest, dest string, out *publish.Dir, files []PDFFile, keys []string) (map[string]pdfRecord, error) {
	kept := map[string]pdfRecord{}
	if prev == nil {
		return kept, nil
	}
	for i, f := range files {
		rec, ok := prev.PDFs[f.Path]
		if !ok || rec.Source != keys[i] || rec.Page != f.Page.Out {
			continue
		}
		old := filepath.Join(dest, filepath.FromSlash(f.Path))
		if sum, err := fileSHA256(old); err != nil || sum != rec.SHA256 {
			continue // gone, or not the file printed
		}
		if err := copyInto(out, f.Path, old); err != nil {
			return nil, fmt.Errorf("keeping %s: %w", f.Path, err)
		}
		kept[f.Path] = rec
	}
	return kept, nil
}

// copyInto copies the file src into the build as name.
func copyInto(out *publish.Dir, name, src string) error {
	file, err := os.Open(src)
	if err != nil {
		return err
	}
	defer file.Close()
	return out.Stream(name, func(w io.Writer) error {
		_, err := io.Copy(w, file)
		return err
	})
}

// writeManifest records the PDFs of the build out.
func writeManifest(out *publish.Dir, version string, recs map[string]pdfRecord) error {
	data, err := json.MarshalIndent(manifest{Format: manifestFormat, Flipchart: version, PDFs: recs}, "", "  ")
	if err != nil {
		return err
	}
	return out.WriteFile(ManifestPath, append(data, '\n'))
}

// pdfLinks maps the page each PDF is printed from to the PDF, for
// render.SetPDFs.
func pdfLinks(files []PDFFile, recs map[string]pdfRecord) map[string]string {
	links := make(map[string]string, len(recs))
	for _, f := range files {
		if _, ok := recs[f.Path]; ok {
			links[f.Page.Out] = f.Path
		}
	}
	return links
}
