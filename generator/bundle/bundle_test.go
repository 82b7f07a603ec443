package bundle

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"flipchart/generator/internal/sitetest"
)

// testSite is a small built site: pages in folders, a stylesheet, a PDF
// and an empty folder.
var testSite = map[string]string{
	"index.html":                    "<!doctype html><title>Home</title><a href=\"day-1/01-intro/\">Intro</a>\n",
	"day-1/index.html":              "<!doctype html><title>Day 1</title>\n",
	"day-1/01-intro/index.html":     "<!doctype html><title>Intro</title>\n",
	"day-1/01-intro/handout/a.html": "<!doctype html><title>Handout</title>\n",
	"css/flipchart.css":             "body { margin: 0 }\n",
	"pdf/guide.pdf":                 "%PDF-1.7\n%fake\n",
	"a.html":                        "a\n",
	"a-b/x.html":                    "x\n",
}

// writeSite writes testSite into a new folder, with an empty folder too.
func writeSite(t *testing.T) string {
	t.Helper()
	dir := sitetest.New(t, testSite)
	if err := os.Mkdir(filepath.Join(dir, "empty"), 0o700); err != nil {
		t.Fatal(err)
	}
	return dir
}

// bundleOf writes the bundle of dir to a new folder and returns the zip's
// path and bytes.
func bundleOf(t *testing.T, dir string, opt Options) (string, []byte) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "manual.zip")
	if opt.Folder == "" {
		opt.Folder = "manual"
	}
	if _, err := Write(dir, out, opt); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return out, data
}

// openZip reads a zip from its bytes.
func openZip(t *testing.T, data []byte) *zip.Reader {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("reading the zip: %v", err)
	}
	return zr
}

// readEntry returns the content of one entry.
func readEntry(t *testing.T, f *zip.File) string {
	t.Helper()
	rc, err := f.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("reading %s: %v", f.Name, err)
	}
	return string(b)
}

func TestBundleEntries(t *testing.T) {
	dir := writeSite(t)
	_, data := bundleOf(t, dir, Options{Folder: "test-manual"})
	zr := openZip(t, data)
	if zr.Comment != "" {
		t.Errorf("the zip has a comment: %q", zr.Comment)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		want := fileMode
		if strings.HasSuffix(f.Name, "/") {
			want = dirMode
			if f.Method != zip.Store || f.UncompressedSize64 != 0 {
				t.Errorf("%s: a folder is stored empty, got method %d, %d bytes", f.Name, f.Method, f.UncompressedSize64)
			}
		} else if f.Method != zip.Deflate {
			t.Errorf("%s: method %d, want Deflate", f.Name, f.Method)
		}
		if f.Mode() != want {
			t.Errorf("%s: mode %v, want %v", f.Name, f.Mode(), want)
		}
		if !f.Modified.Equal(DefaultTime) {
			t.Errorf("%s: modified %v, want %v", f.Name, f.Modified, DefaultTime)
		}
		if len(f.Extra) != 0 {
			t.Errorf("%s: extra fields %x", f.Name, f.Extra)
		}
		if f.Comment != "" {
			t.Errorf("%s: a comment %q", f.Name, f.Comment)
		}
	}
	want := []string{
		"test-manual/",
		"test-manual/SHA256SUMS",
		"test-manual/a-b/",
		"test-manual/a-b/x.html",
		"test-manual/a.html",
		"test-manual/css/",
		"test-manual/css/flipchart.css",
		"test-manual/day-1/",
		"test-manual/day-1/01-intro/",
		"test-manual/day-1/01-intro/handout/",
		"test-manual/day-1/01-intro/handout/a.html",
		"test-manual/day-1/01-intro/index.html",
		"test-manual/day-1/index.html",
		"test-manual/empty/",
		"test-manual/index.html",
		"test-manual/pdf/",
		"test-manual/pdf/guide.pdf",
	}
	if !slices.Equal(names, want) {
		t.Errorf("entries:\n%s\nwant:\n%s", strings.Join(names, "\n"), strings.Join(want, "\n"))
	}
	// SHA256SUMS: a line per file, sorted, as sha256sum writes it.
	var sums strings.Builder
	var files []string
	for name := range testSite {
		files = append(files, name)
	}
	slices.Sort(files)
	for _, name := range files {
		fmt.Fprintf(&sums, "%x  %s\n", sha256.Sum256([]byte(testSite[name])), name)
	}
	for _, f := range zr.File {
		if f.Name == "test-manual/SHA256SUMS" {
			if got := readEntry(t, f); got != sums.String() {
				t.Errorf("SHA256SUMS:\n%s\nwant:\n%s", got, sums.String())
			}
		} else if name := strings.TrimPrefix(f.Name, "test-manual/"); testSite[name] != "" {
			if got := readEntry(t, f); got != testSite[name] {
				t.Errorf("%s holds %q, want %q", f.Name, got, testSite[name])
			}
		}
	}
}

// TestBundleReproducible: the same site gives the same bytes, wherever it
// is and whatever its files' times and modes; a changed byte gives other
// bytes.
func TestBundleReproducible(t *testing.T) {
	dir := writeSite(t)
	_, first := bundleOf(t, dir, Options{})
	_, again := bundleOf(t, dir, Options{})
	if !bytes.Equal(first, again) {
		t.Fatal("two bundles of the same folder differ")
	}
	other := writeSite(t)
	old := time.Date(2011, 3, 4, 5, 6, 7, 0, time.Local)
	filepath.WalkDir(other, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			os.Chmod(p, 0o600)
			os.Chtimes(p, old, old)
		}
		return err
	})
	if _, copied := bundleOf(t, other, Options{}); !bytes.Equal(first, copied) {
		t.Error("the bundle of a copy of the site, elsewhere, with other times and modes, differs")
	}
	sitetest.WriteFile(t, other, "day-1/index.html", strings.Replace(testSite["day-1/index.html"], "Day 1", "Day 2", 1))
	if _, changed := bundleOf(t, other, Options{}); bytes.Equal(first, changed) {
		t.Error("a changed file gives the same bundle")
	}
	if _, named := bundleOf(t, dir, Options{Folder: "other"}); bytes.Equal(first, named) {
		t.Error("another folder name gives the same bundle")
	}
}

func TestBundleTime(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == EnvEpoch {
				return v
			}
			return ""
		}
	}
	for _, tc := range []struct {
		env  string
		want time.Time // as the zip keeps it
	}{
		{"", DefaultTime},
		{"1700000001", time.Date(2023, 11, 14, 22, 13, 20, 0, time.UTC)},
		{" 1700000000\n", time.Date(2023, 11, 14, 22, 13, 20, 0, time.UTC)},
		{"0", time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"9999999999", time.Date(2107, 12, 31, 23, 59, 58, 0, time.UTC)},
	} {
		when, err := EntryTime(env(tc.env))
		if err != nil {
			t.Errorf("%s=%q: %v", EnvEpoch, tc.env, err)
			continue
		}
		_, data := bundleOf(t, writeSite(t), Options{Time: when})
		for _, f := range openZip(t, data).File {
			if !f.Modified.Equal(tc.want) {
				t.Errorf("%s=%q: %s is of %v, want %v", EnvEpoch, tc.env, f.Name, f.Modified, tc.want)
				break
			}
		}
	}
	for _, bad := range []string{"yesterday", "-5", "1.5"} {
		if _, err := EntryTime(env(bad)); err == nil || !strings.Contains(err.Error(), EnvEpoch) {
			t.Errorf("%s=%q: error %v, want one naming %s", EnvEpoch, bad, err, EnvEpoch)
		}
	}
}

// TestBundleSumsBeside: SHA256SUMS beside the zip holds its SHA-256; the
// lines of other files stay; a file that is not a list of sums is an error
// and nothing is written.
func TestBundleSumsBeside(t *testing.T) {
	dir := writeSite(t)
	where := t.TempDir()
	out := filepath.Join(where, "manual.zip")
	other := strings.Repeat("ab", 32) + "  flipchart-v1.0.0-linux-amd64\n"
	stale := strings.Repeat("0", 64) + " *manual.zip\r\n"
	sitetest.WriteFile(t, where, SumsName, other+stale)
	res, err := Write(dir, out, Options{Folder: "manual"})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	line := fmt.Sprintf("%x  manual.zip\n", sha256.Sum256(data))
	if got := readFile(t, filepath.Join(where, SumsName)); got != other+line {
		t.Errorf("SHA256SUMS beside the zip:\n%s\nwant:\n%s", got, other+line)
	}
	if res.SHA256+"  manual.zip\n" != line || res.Size != int64(len(data)) || res.Files != len(testSite) {
		t.Errorf("result %+v, want the zip's hash, its size and %d files", res, len(testSite))
	}

	// Not a list of sums: an error naming the file and line; no zip.
	where = t.TempDir()
	sitetest.WriteFile(t, where, SumsName, "my notes\n")
	_, err = Write(dir, filepath.Join(where, "manual.zip"), Options{Folder: "manual"})
	if err == nil || !strings.Contains(err.Error(), SumsName+":1:") {
		t.Errorf("error %v, want one naming %s:1", err, SumsName)
	}
	expectOnly(t, where, SumsName)
	if got := readFile(t, filepath.Join(where, SumsName)); got != "my notes\n" {
		t.Errorf("SHA256SUMS was changed to %q", got)
	}
}

// TestBundleFailures: what cannot go in a bundle is an error naming the
// file, and leaves no zip, no SHA256SUMS and no temporary file.
func TestBundleFailures(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, dir string) Options
		want  string
	}{
		{"a machine's folder in a page", func(t *testing.T, dir string) Options {
			sitetest.WriteFile(t, dir, "day-1/index.html", "<p>/home/alice/manual/content</p>")
			return Options{Forbid: []string{"/home/alice/manual"}}
		}, "day-1/index.html holds \"/home/alice/manual\""},
		{"a machine's folder across two reads", func(t *testing.T, dir string) Options {
			sitetest.WriteFile(t, dir, "pdf/guide.pdf", strings.Repeat("x", 32*1024-5)+"/home/alice/manual")
			return Options{Forbid: []string{"/home/alice/manual"}}
		}, "guide.pdf holds"},
		{"a SHA256SUMS of the site", func(t *testing.T, dir string) Options {
			sitetest.WriteFile(t, dir, SumsName, "x")
			return Options{}
		}, "the bundle writes its own SHA256SUMS"},
		{"a link", func(t *testing.T, dir string) Options {
			if err := os.Symlink("index.html", filepath.Join(dir, "link.html")); err != nil {
				t.Skip(err)
			}
			return Options{}
		}, "link.html is a symbolic link"},
		{"a bad folder name", func(t *testing.T, dir string) Options {
			return Options{Folder: "a/b"}
		}, "cannot be the zip's folder"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeSite(t)
			opt := tc.setup(t, dir)
			if opt.Folder == "" {
				opt.Folder = "manual"
			}
			where := t.TempDir()
			_, err := Write(dir, filepath.Join(where, "manual.zip"), opt)
			if err == nil || !strings.Contains(filepath.ToSlash(err.Error()), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
			expectOnly(t, where)
		})
	}
	// A folder that is not there.
	if _, err := Write(filepath.Join(t.TempDir(), "public"), filepath.Join(t.TempDir(), "m.zip"), Options{Folder: "m"}); err == nil || !strings.Contains(err.Error(), "flipchart build") {
		t.Errorf("bundling a folder that is not there: %v, want an error saying to build first", err)
	}
}

func TestBundleWithin(t *testing.T) {
	dir := t.TempDir()
	sitetest.WriteFile(t, dir, "public/index.html", "x")
	public := filepath.Join(dir, "public")
	link := filepath.Join(dir, "link")
	haveLink := os.Symlink(public, link) == nil
	for _, tc := range []struct {
		path string
		want bool
	}{
		{filepath.Join(public, "m.zip"), true},
		{filepath.Join(public, "new", "m.zip"), true},
		{public, true},
		{filepath.Join(public, "..", "public", "m.zip"), true},
		{filepath.Join(dir, "m.zip"), false},
		{filepath.Join(dir, "public2", "m.zip"), false},
		{filepath.Join(public, "..m.zip"), true},
		{filepath.Join(link, "m.zip"), haveLink},
	} {
		if got := Within(tc.path, public); got != tc.want {
			t.Errorf("Within(%s, %s) = %v, want %v", tc.path, public, got, tc.want)
		}
	}
}

// expectOnly fails the test unless dir holds exactly the files names.
func expectOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range ents {
		got = append(got, e.Name())
	}
	if !slices.Equal(got, names) {
		t.Errorf("%s holds %v, want %v", dir, got, names)
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
