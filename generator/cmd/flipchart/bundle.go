package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"flipchart/generator/author"
	"flipchart/generator/build"
	"flipchart/generator/bundle"
	"flipchart/generator/config"
	"flipchart/generator/content"
	"flipchart/generator/diag"
)

// cmdBundle is flipchart bundle: flipchart build, then one zip of the built
// site to carry on a USB stick, with its SHA-256 in SHA256SUMS beside it.
func cmdBundle(args []string, stdout, stderr io.Writer) int {
	fl, src, drafts := newFlags("bundle", stderr)
	dest, noCache := buildFlags(fl)
	out := fl.String("out", "", "the zip file to write (default: the manual's title as a file name, .zip, in the site's folder)")
	if fl.Parse(args) != nil {
		return 2
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "flipchart: bundle takes no arguments, got %q; name the zip with --out FILE.zip\n", fl.Arg(0))
		return 2
	}
	if *out != "" && !checkOut(*out, *src, *dest, stderr) {
		return 2
	}
	when, err := bundle.EntryTime(os.Getenv)
	if err != nil {
		fmt.Fprintf(stderr, "flipchart: %v\n", err)
		return 1
	}
	res, code := buildSite(*src, *dest, *drafts, *noCache, stdout, stderr)
	if code != 0 {
		return code
	}
	folder := bundleFolder(manualTitle(*src, res))
	zipPath := *out
	if zipPath == "" {
		zipPath = filepath.Join(*src, folder+".zip")
	}
	// Again, now that the destination exists (a link to it counts).
	if !checkOut(zipPath, *src, *dest, stderr) {
		return 2
	}
	r, err := bundle.Write(*dest, zipPath, bundle.Options{Folder: folder, Time: when, Forbid: build.MachineTraces(*src, *dest)})
	if err != nil {
		fmt.Fprintf(stderr, "flipchart: %v\n", err)
		fmt.Fprintf(stderr, "flipchart: bundle failed; no zip written (%s is built)\n", *dest)
		return 1
	}
	fmt.Fprintf(stdout, "flipchart: bundled %s into %s: %d files in %s/, %s; its SHA-256 is in %s\n",
		*dest, r.Zip, r.Files, folder, byteSize(r.Size), r.Sums)
	return 0
}

// checkOut checks the zip's path: a .zip file outside the destination and
// outside the folders of the site whose files are published (a zip there
// would go into the next bundle). It prints what is wrong.
func checkOut(out, src, dest string, stderr io.Writer) bool {
	if !strings.EqualFold(filepath.Ext(out), ".zip") {
		fmt.Fprintf(stderr, "flipchart: --out %s: name a .zip file, such as %s.zip\n", out, strings.TrimSuffix(out, string(filepath.Separator)))
		return false
	}
	if info, err := os.Stat(out); err == nil && info.IsDir() {
		fmt.Fprintf(stderr, "flipchart: --out %s is a folder; name the zip file to write in it, such as %s\n", out, filepath.Join(out, "manual.zip"))
		return false
	}
	for _, dir := range []struct{ path, what string }{
		{dest, "the built site (--dest), which the zip is made of"},
		{filepath.Join(src, content.Dir), "the site's content, whose files are published"},
		{filepath.Join(src, "static"), "the site's static files, which are published"},
	} {
		if bundle.Within(out, dir.path) {
			fmt.Fprintf(stderr, "flipchart: --out %s is inside %s, %s; write the zip elsewhere, such as beside config.toml (the default)\n", out, dir.path, dir.what)
			return false
		}
	}
	return true
}

// manualTitle is the title of the manual in src, just built: the site's,
// or config.toml's when a build from the cache assembled no site.
func manualTitle(src string, res *build.Result) string {
	if res.Site != nil {
		return res.Site.Config.Title
	}
	fsys, closeSrc, err := build.OpenSource(src)
	if err != nil {
		return config.Default().Title
	}
	defer closeSrc()
	return config.Load(fsys, &diag.List{}).Title
}

// bundleFolder is the name of the zip's folder, and of the zip by default:
// the manual's title as a file name ("Integrated Security: A Trainers'
// Manual" → "integrated-security-a-trainers-manual"), or "manual" when the
// title has no letter that can be spelt in ASCII.
func bundleFolder(title string) string {
	if s := author.Slug(title); s != "" {
		return s
	}
	return "manual"
}

// byteSize is n bytes for people: "840 KB", "12.3 MB".
func byteSize(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d bytes", n)
	case n < 1000*1000:
		return fmt.Sprintf("%d KB", (n+500)/1000)
	default:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
}
