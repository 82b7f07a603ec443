package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"flipchart/generator/browser"
	"flipchart/generator/build"
	"flipchart/generator/internal/sitetest"
)

// bundleSite writes goodSite, with a static file, into a new folder and
// returns it.
func bundleSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	sitetest.WriteFiles(t, dir, goodSite)
	sitetest.WriteFile(t, dir, "static/img/map.svg", `<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>`)
	return dir
}

// bundleTo runs flipchart bundle and returns the zip's bytes.
func bundleTo(t *testing.T, dir, out string, more ...string) []byte {
	t.Helper()
	args := append([]string{"bundle", "--source", dir, "--dest", filepath.Join(dir, "public")}, more...)
	if out != "" {
		args = append(args, "--out", out)
	} else {
		out = filepath.Join(dir, "test-manual.zip")
	}
	code, stdout, stderr := flipchart(t, args...)
	if code != 0 {
		t.Fatalf("flipchart %s: exit %d\n%s", strings.Join(args, " "), code, stderr)
	}
	if !strings.Contains(stdout, "bundled ") || !strings.Contains(stdout, out) {
		t.Errorf("flipchart bundle says:\n%s\nwant a line naming %s", stdout, out)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// checkSumsFile checks every line of a SHA256SUMS against the files of have.
func checkSumsFile(t *testing.T, what, sums string, have map[string][]byte) {
	t.Helper()
	n := 0
	sc := bufio.NewScanner(strings.NewReader(sums))
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		data, found := have[name]
		switch {
		case !ok || len(sum) != 64:
			t.Errorf("%s: %q is not a sha256sum line", what, sc.Text())
		case !found:
			t.Errorf("%s names %s, which is not there", what, name)
		case fmt.Sprintf("%x", sha256.Sum256(data)) != sum:
			t.Errorf("%s: the sum of %s does not verify", what, name)
		}
		n++
	}
	if n != len(have) {
		t.Errorf("%s has %d lines for %d files", what, n, len(have))
	}
}

// TestBundleCommand: flipchart bundle twice, into two places, gives the same
// bytes; the zip holds the built site in one folder, with SHA256SUMS that
// verify, and nothing of the machine; SHA256SUMS beside it verifies it.
func TestBundleCommand(t *testing.T) {
	dir := bundleSite(t)
	one := filepath.Join(t.TempDir(), "one", "manual.zip")
	two := filepath.Join(t.TempDir(), "two", "manual.zip")
	first := bundleTo(t, dir, one)
	if second := bundleTo(t, dir, two); !bytes.Equal(first, second) {
		t.Fatal("two bundles of the same site differ")
	}
	if def := bundleTo(t, dir, "", "--no-cache"); !bytes.Equal(first, def) {
		t.Error("the bundle written to the default place (without the cache) differs")
	}
	beside := readFile(t, filepath.Join(filepath.Dir(one), "SHA256SUMS"))
	checkSumsFile(t, "SHA256SUMS beside the zip", beside, map[string][]byte{"manual.zip": first})

	// What the zip holds: public/, in test-manual/, and SHA256SUMS.
	zr, err := zip.NewReader(bytes.NewReader(first), int64(len(first)))
	if err != nil {
		t.Fatal(err)
	}
	public := filepath.Join(dir, "public")
	files := map[string][]byte{}
	var sums string
	for _, f := range zr.File {
		name, ok := strings.CutPrefix(f.Name, "test-manual/")
		if !ok && f.Name != "test-manual/" {
			t.Errorf("%s is not in the zip's folder test-manual/", f.Name)
		}
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if name == "SHA256SUMS" {
			sums = string(data)
			continue
		}
		files[name] = data
	}
	for _, want := range []string{"index.html", "day-1/01-intro/index.html", "img/map.svg"} {
		if files[want] == nil {
			t.Errorf("the zip lacks test-manual/%s", want)
		}
	}
	onDisk := 0
	filepath.WalkDir(public, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			onDisk++
		}
		return err
	})
	if onDisk != len(files) {
		t.Errorf("the zip holds %d files of the site, public/ %d", len(files), onDisk)
	}
	checkSumsFile(t, "SHA256SUMS in the zip", sums, files)

	// Nothing of the machine: not in the names, the bytes or any file.
	traces := build.MachineTraces(dir, public, filepath.Dir(one), t.TempDir())
	for _, tr := range traces {
		if bytes.Contains(first, []byte(tr)) {
			t.Errorf("the zip's bytes hold %q", tr)
		}
		for _, f := range zr.File {
			if strings.Contains(f.Name, tr) {
				t.Errorf("the entry %s names %q", f.Name, tr)
			}
		}
		for name, data := range files {
			if bytes.Contains(data, []byte(tr)) {
				t.Errorf("test-manual/%s holds %q", name, tr)
			}
		}
	}
}

// TestBundleUsage: a zip inside the built site, or not a .zip, or an
// argument, is a usage error (exit 2) and writes nothing; a site that does
// not build is exit 1 and no zip.
func TestBundleUsage(t *testing.T) {
	dir := bundleSite(t)
	public := filepath.Join(dir, "public")
	if err := os.MkdirAll(filepath.Join(dir, "folder.zip"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--out", filepath.Join(public, "manual.zip")}, "is inside"},
		{[]string{"--out", filepath.Join(public, "pdf", "manual.zip")}, "is inside"},
		{[]string{"--out", filepath.Join(dir, "content", "manual.zip")}, "is inside"},
		{[]string{"--out", filepath.Join(dir, "manual.tar")}, "name a .zip file"},
		{[]string{"--out", filepath.Join(dir, "folder.zip")}, "is a folder"},
		{[]string{"manual.zip"}, "takes no arguments"},
		{[]string{"--zip", "manual.zip"}, "not defined"},
	} {
		args := append([]string{"bundle", "--source", dir, "--dest", public}, tc.args...)
		code, _, stderr := flipchart(t, args...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("flipchart %s: exit %d, want 2 and a message saying %q:\n%s", strings.Join(tc.args, " "), code, tc.want, stderr)
		}
	}
	if _, err := os.Stat(public); err == nil {
		t.Error("a usage error built the site")
	}
	zips, _ := filepath.Glob(filepath.Join(dir, "*.zip"))
	if len(zips) != 1 { // folder.zip
		t.Errorf("zips written: %v", zips)
	}

	// A build that fails writes no zip.
	sitetest.WriteFile(t, dir, "content/day-1/02-risk.md", goodSite["content/day-1/02-risk.md"]+"\n::: exercise Open\n")
	code, _, stderr := flipchart(t, "bundle", "--source", dir, "--dest", public)
	if code != 1 || !strings.Contains(stderr, "02-risk.md:") {
		t.Errorf("bundling a broken site: exit %d, want 1 and the file:line\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "test-manual.zip")); err == nil {
		t.Error("a failed build wrote the zip")
	}
}

// TestBundleBrowser unzips the bundle into a folder and reads it from
// file:// in a headless Chromium, as a trainer opening it from a USB stick:
// the home page has the manual's title, and its link to a session opens
// that session.
func TestBundleBrowser(t *testing.T) {
	ctx := browser.ForTest(t)
	dir := bundleSite(t)
	data := bundleTo(t, dir, filepath.Join(t.TempDir(), "manual.zip"))
	stick := t.TempDir()
	unzip(t, data, stick)
	home := filepath.Join(stick, "test-manual", "index.html")
	u := (&url.URL{Scheme: "file", Path: filepath.ToSlash(home)}).String()
	if !strings.HasPrefix(u, "file:///") {
		u = "file:///" + strings.TrimPrefix(u, "file://") // a Windows path
	}
	step := func(actions ...chromedp.Action[chromedp.Void]) error {
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		return chromedp.Do(ctx, actions...)
	}
	get := func(expr string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return v
	}
	if err := step(chromedp.Navigate(u)); err != nil {
		t.Fatalf("opening %s: %v", u, err)
	}
	if title := get(`document.title`); !strings.Contains(title, "Test Manual") {
		t.Errorf("the home page's title is %q, want it to hold Test Manual", title)
	}
	click, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if _, err := chromedp.Run(click, chromedp.WaitEvent(page.LoadEventFired, nil,
		chromedp.Click(chromedp.CSS(`main a[href="day-1/01-intro/index.html"]`)))); err != nil {
		t.Fatalf("clicking the home page's link to session 1: %v", err)
	}
	if loc := get(`location.href`); !strings.HasSuffix(loc, "/test-manual/day-1/01-intro/index.html") {
		t.Errorf("the link opened %s, want test-manual/day-1/01-intro/index.html", loc)
	}
	if h1 := get(`document.querySelector("main h1 .title")?.textContent || ""`); h1 != "Intro" {
		t.Errorf("the session's h1 is %q, want Intro", h1)
	}
	// Search works from the stick: a shared link, a prefix of a word of
	// the risk session's body.
	search := strings.TrimSuffix(u, "index.html") + "search/index.html?q=paragr"
	if err := step(chromedp.Navigate(search)); err != nil {
		t.Fatalf("opening %s: %v", search, err)
	}
	first := `document.querySelector("#fc\\:search-results li .search-title")`
	poll, cancel2 := context.WithTimeout(ctx, 30*time.Second)
	defer cancel2()
	got, err := chromedp.Run(poll, chromedp.Poll[string](first+` && `+first+`.textContent`, chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil || !strings.Contains(got, "Risk") {
		t.Errorf("searching the unzipped manual for paragr finds %q first (%v), want Risk", got, err)
	}
	if mark := get(`document.querySelector("#fc\\:search-results li mark")?.textContent || ""`); !strings.EqualFold(mark, "paragraph") {
		t.Errorf("the result marks %q, want paragraph", mark)
	}
	if other := get(`performance.getEntriesByType("resource").map(e => e.name).filter(n => !n.startsWith("file:///")).join(" ")`); other != "" {
		t.Errorf("the unzipped manual loaded %s", other)
	}
}

// unzip writes the files of a zip into dir, as a trainer's unzip would.
func unzip(t *testing.T, data []byte, dir string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		name := strings.TrimSuffix(f.Name, "/")
		if !fs.ValidPath(name) || path.IsAbs(name) {
			t.Fatalf("the zip holds %q, which unzips outside its folder", f.Name)
		}
		p := filepath.Join(dir, filepath.FromSlash(name))
		if f.Mode().IsDir() {
			if err := os.MkdirAll(p, f.Mode().Perm()); err != nil {
				t.Fatal(err)
			}
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, f.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
}
