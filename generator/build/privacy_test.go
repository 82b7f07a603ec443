package build_test

// A published site loads nothing from another host: a Markdown image, a
// site template or a stylesheet that would fails the build at its place,
// public/ untouched, unless config.toml's [privacy] allow_hosts lists the
// host; links to other sites stay, marked as leaving the manual. Checked
// here with an HTML parser of its own (golang.org/x/net/html), not with
// the links stage the build uses.

import (
	"bytes"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"flipchart/generator/build"
	"flipchart/generator/diag"
	"flipchart/generator/internal/sitetest"
)

// privacyCase is one way of loading a file from another host: the file of
// the site that does it, its text, and the error's start.
type privacyCase struct {
	name, file, text, want string
}

var privacyCases = []privacyCase{
	{"markdown image", "content/day-1/part-a/01-risk.md",
		"+++\ntitle = \"Risk\"\nsession = 1\nslug = \"risk\"\ntime = \"30 min\"\n+++\n\nSee ![the map](https://cdn.example.com/img/map.png \"Map\").\n\n## Risk work\n",
		"content/day-1/part-a/01-risk.md:8:5: error: <img src> loads https://cdn.example.com/img/map.png from another host, cdn.example.com"},
	{"template stylesheet", "layouts/partials/footer.html",
		"{{ define \"footer\" }}\n<footer>\n  <link rel=\"stylesheet\" href=\"https://cdn.example.com/x.css\">\n</footer>\n{{ end }}\n",
		`layouts/partials/footer.html:3:32: error: <link rel="stylesheet" href> loads https://cdn.example.com/x.css from another host, cdn.example.com`},
	{"stylesheet import", "static/css/extra.css",
		"/* fonts */\n@import url(https://cdn.example.com/css2?family=Inter);\np { color: red }\n",
		"static/css/extra.css:2:13: error: @import in the stylesheet loads https://cdn.example.com/css2?family=Inter from another host, cdn.example.com"},
}

// Each way of loading a file from another host fails the build with one
// error at its place, with a hint, and leaves public/ as it was; with the
// host in [privacy] allow_hosts the site builds, and the default theme's
// Content-Security-Policy lets the host in.
// With the build cache, the second build renders only the page edited, or
// everything after a template edit: the same.
func TestPrivacyExternalFailsBuild(t *testing.T) {
	for _, c := range privacyCases {
		for _, cached := range []bool{false, true} {
			name := c.name
			if cached {
				name += " cached"
			}
			t.Run(name, func(t *testing.T) { testPrivacyFails(t, c, cached) })
		}
	}
}

// testPrivacyFails builds linkSite, makes it load a file from another host
// as c says, and builds it again, failing, then with the host allowed.
func testPrivacyFails(t *testing.T, c privacyCase, cached bool) {
	dir := t.TempDir()
	for name, f := range parseTxtar(linkSite) {
		sitetest.WriteFile(t, dir, name, string(f.Data))
	}
	var opt build.Options
	if cached {
		opt.Cache = filepath.Join(dir, build.CacheDir)
	}
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := build.ToDir(dir, dest, opt); err != nil {
		t.Fatalf("first build: %v", err)
	}
	before := readTree(t, dest)
	sitetest.WriteFile(t, dir, c.file, c.text)
	res, err := build.ToDir(dir, dest, opt)
	if err == nil {
		t.Fatal("the build succeeded")
	}
	var errs []*diag.Diagnostic
	for _, d := range res.Diags.Items() {
		if d.Severity == diag.Error {
			errs = append(errs, d)
		}
	}
	if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), c.want) {
		var all []string
		for _, d := range errs {
			all = append(all, d.Error())
		}
		t.Fatalf("want one error starting %q, got:\n%s", c.want, strings.Join(all, "\n"))
	}
	if h := errs[0].Hint; !strings.Contains(h, "download the file into static/") || !strings.Contains(h, `[privacy] allow_hosts = ["cdn.example.com"]`) {
		t.Errorf("hint %q says neither how to keep the file nor how to allow the host", h)
	}
	after := readTree(t, dest)
	if len(after) != len(before) {
		t.Errorf("public/ changed: %d files, was %d", len(after), len(before))
	}
	for name, data := range before {
		if !bytes.Equal(after[name], data) {
			t.Errorf("public/%s changed", name)
		}
	}

	sitetest.WriteFile(t, dir, "config.toml", "title = \"Links\"\n\n[privacy]\nallow_hosts = [\"cdn.example.com\"]\n")
	if res, err := build.ToDir(dir, dest, opt); err != nil {
		t.Fatalf("with the host allowed: %v\n%v", err, res.Diags.Items())
	}
	page := string(readTree(t, dest)["index.html"])
	if !strings.Contains(page, `img-src 'self' data: https://cdn.example.com http://cdn.example.com;`) ||
		!strings.Contains(page, `style-src 'self' https://cdn.example.com http://cdn.example.com;`) {
		t.Errorf("the Content-Security-Policy does not let the host in:\n%s", cspOf(page))
	}
}

// cspOf is a page's Content-Security-Policy meta tag.
func cspOf(page string) string {
	return regexp.MustCompile(`<meta http-equiv="Content-Security-Policy"[^>]*>`).FindString(page)
}

// planFile is a session of linkSite.
const planFile = "content/day-1/part-a/02-plan.md"

// A file of another host in a session's Markdown is in its page, its
// handout and both print editions, and is reported once; so is a template's,
// which every page holds.
func TestPrivacyReportedOnce(t *testing.T) {
	s := newSite(t, linkSite+`
-- layouts/partials/footer.html --
{{ define "footer" }}<script src="https://cdn.example.com/x.js"></script>{{ end }}
`)
	s = s.with(planFile, append(s.fs[planFile].Data, "\n![m](https://cdn.example.com/m.png)\n"...)).build(build.Options{})
	errs := s.diags(diag.Error)
	if len(errs) != 2 || !strings.HasPrefix(errs[0], "content/day-1/part-a/02-plan.md:18:1: error: <img src> loads https://cdn.example.com/m.png") ||
		!strings.HasPrefix(errs[1], "layouts/partials/footer.html:1:35: error: <script src> loads https://cdn.example.com/x.js") {
		t.Errorf("want the image and the script, once each; got:\n%s", strings.Join(errs, "\n"))
	}
}

// A link to another site builds, and gets rel="external noopener
// noreferrer", the class external and the hidden note, in the page, its
// handout and both print editions.
func TestPrivacyExternalLinkMarked(t *testing.T) {
	s := newSite(t, linkSite)
	s = s.with(planFile, append(s.fs[planFile].Data, "\nRead [the guide](https://example.org/guide?a=1&b=2).\n"...)).
		build(build.Options{Unlinked: true}).ok()
	const want = `<a href="https://example.org/guide?a=1&amp;b=2" rel="external noopener noreferrer" class="external">the guide<span class="vh"> (another site)</span></a>`
	for _, f := range []string{"day-1/part-a/02-plan/index.html", "day-1/part-a/02-plan/handout/index.html", "print/index.html", "print/participants/index.html"} {
		page := s.file(f)
		if !strings.Contains(page, want) {
			t.Errorf("%s lacks %s", f, want)
		}
		if strings.Count(page, "(another site)") != 1 {
			t.Errorf("%s has the note %d times, want once", f, strings.Count(page, "(another site)"))
		}
		if !strings.Contains(page, `default-src 'none';`) {
			t.Errorf("%s: the Content-Security-Policy lets another host in: %s", f, cspOf(page))
		}
	}
	if css := s.file("css/flipchart.css"); !strings.Contains(css, "a.external::after") {
		t.Error("the theme does not mark links of the class external")
	}
}

// What a page or stylesheet makes the browser fetch as it is shown,
// found with an HTML parser: the URLs of img, source, script, iframe,
// frame, video, audio, track, embed, object, input, a <link> of a rel
// that loads, a <meta> refresh, and CSS url() and @import in <style>,
// style attributes and stylesheets.
func fetched(name string, data []byte) []string {
	var out []string
	cssURLs := func(css string) {
		for _, m := range cssURL.FindAllStringSubmatch(css, -1) {
			out = append(out, m[1]+m[2])
		}
	}
	if strings.HasSuffix(name, ".css") {
		cssURLs(string(data))
		return out
	}
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return []string{"unparsable"}
	}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		attr := map[string]string{}
		for _, a := range n.Attr {
			attr[a.Key] = a.Val
		}
		if n.Data == "style" && n.FirstChild != nil {
			cssURLs(n.FirstChild.Data)
		}
		cssURLs(attr["style"])
		for _, k := range []string{"src", "poster", "data"} {
			if v, ok := attr[k]; ok && n.Data != "a" {
				out = append(out, v)
			}
		}
		for _, k := range []string{"srcset", "imagesrcset"} {
			for _, part := range strings.Split(attr[k], ",") {
				if f := strings.Fields(part); len(f) > 0 {
					out = append(out, f[0])
				}
			}
		}
		switch n.Data {
		case "link":
			for _, rel := range strings.Fields(strings.ToLower(attr["rel"])) {
				switch rel {
				case "canonical", "alternate", "author", "license", "next", "prev", "help", "search":
				default:
					out = append(out, attr["href"])
				}
			}
		case "base":
			out = append(out, attr["href"])
		case "meta":
			if strings.EqualFold(attr["http-equiv"], "refresh") {
				if _, u, ok := strings.Cut(strings.ToLower(attr["content"]), "url="); ok {
					out = append(out, strings.Trim(u, `'" `))
				}
			}
		}
	}
	return out
}

var cssURL = regexp.MustCompile(`(?i)url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)`)

// fromElsewhere reports whether a URL a page fetches leaves the site.
func fromElsewhere(u string) bool {
	u = strings.TrimSpace(u)
	if strings.HasPrefix(u, "//") {
		return true
	}
	p, err := url.Parse(u)
	return err != nil || p.Scheme != "" && p.Scheme != "data"
}

// assertNothingElsewhere fails the test for each file of a built site that
// fetches anything from another host, and for each link to another site
// not marked as leaving the manual. It returns how many links to other
// sites it saw.
func assertNothingElsewhere(t *testing.T, files map[string][]byte) (external int) {
	t.Helper()
	marked := regexp.MustCompile(`<a href="(?:https?:)?//[^"]*" rel="external noopener noreferrer" class="external">`)
	anyExternal := regexp.MustCompile(`<a [^>]*href="(?:https?:)?//`)
	bad := 0
	for name, data := range files {
		if !strings.HasSuffix(name, ".html") && !strings.HasSuffix(name, ".css") {
			continue
		}
		for _, u := range fetched(name, data) {
			if fromElsewhere(u) && bad < 20 {
				t.Errorf("%s fetches %s", name, u)
				bad++
			}
		}
		all, ok := len(anyExternal.FindAll(data, -1)), len(marked.FindAll(data, -1))
		if all != ok && bad < 20 {
			t.Errorf("%s: %d links to other sites, %d marked", name, all, ok)
			bad++
		}
		external += all
	}
	return external
}

// The demo as published, with the default theme, fetches nothing from
// another host, in any file.
func TestPrivacyDemoLoadsNothingElsewhere(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := build.ToDir(filepath.Join("..", ".."), dest, build.Options{}); err != nil {
		t.Fatalf("build: %v", err)
	}
	files := readTree(t, dest)
	if len(files) < 30 {
		t.Fatalf("only %d files", len(files))
	}
	assertNothingElsewhere(t, files)
}

// The checker above sees every place a page fetches from, so that the
// tests using it can fail.
func TestPrivacyCheckerSees(t *testing.T) {
	page := `<html><head><link rel="stylesheet" href="//h/1.css"><link rel="icon" href="//h/2.png"><link rel="canonical" href="//h/no">` +
		`<meta http-equiv="refresh" content="0; url=//h/3"><base href="//h/4/"><style>@import "//h/5.css"; p { background: url(//h/6.png) }</style></head>` +
		`<body><img src="//h/7.png" srcset="//h/8.png 2x"><picture><source srcset="//h/9.webp"></picture><script src="//h/10.js"></script>` +
		`<iframe src="//h/11"></iframe><video src="//h/12.mp4" poster="//h/13.jpg"><track src="//h/14.vtt"></video><audio src="//h/15.ogg"></audio>` +
		`<object data="//h/16.pdf"></object><embed src="//h/17.swf"><input type="image" src="//h/18.png"><p style="background:url('//h/19.png')">` +
		`<a href="//h/no">a</a><img src="data:image/png;base64,AA"><img src="x.png"></p></body></html>`
	var far []string
	for _, u := range fetched("a/index.html", []byte(page)) {
		if fromElsewhere(u) {
			far = append(far, u)
		}
	}
	if len(far) != 19 || slicesContain(far, "//h/no") {
		t.Errorf("the checker sees %d of 19: %q", len(far), far)
	}
	if got := fetched("css/x.css", []byte(`@import url("//h/a.css"); @font-face { src: url(//h/b.woff2) }`)); len(got) != 2 {
		t.Errorf("in a stylesheet the checker sees %q", got)
	}
}

func slicesContain(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// In the dev server, an edit that makes a page or a stylesheet load a file
// from another host fails that update (the last good site stays) at its
// place, like a build; the fix brings the site back.
func TestPrivacyLive(t *testing.T) {
	l, dir := liveStart(t)
	edit := func(name, text string) *build.Update {
		sitetest.WriteFile(t, dir, name, text)
		return l.Apply([]build.Change{{Path: name}})
	}
	for _, c := range []struct{ file, bad, good, want string }{
		{"content/a/01-one.md", "+++\ntitle = \"One\"\nsession = 1\ntime = \"30 min\"\n+++\n![x](https://cdn.example.com/x.png)\n",
			"+++\ntitle = \"One\"\nsession = 1\ntime = \"30 min\"\n+++\nSee [the guide](https://example.org/).\n",
			"content/a/01-one.md:6:1: error: <img src> loads https://cdn.example.com/x.png"},
		{"static/css/extra.css", "p { }\n@import \"https://cdn.example.com/x.css\";\n", "p { }\n",
			"static/css/extra.css:2:10: error: @import in the stylesheet loads https://cdn.example.com/x.css"},
		{"layouts/module.html", "{{ define \"main\" }}\n<iframe src=\"https://maps.example.com/embed\"></iframe>{{ end }}\n", "{{ define \"main\" }}{{ .Content }}{{ end }}\n",
			"layouts/module.html:2:14: error: <iframe src> loads https://maps.example.com/embed"},
	} {
		u := edit(c.file, c.bad)
		if u.Site != nil {
			t.Fatalf("%s: the update was served; diags: %v", c.file, u.Result.Diags.Items())
		}
		if err := u.Result.Err().Error(); !strings.Contains(err, c.want) || strings.Count(err, "error:") != 1 {
			t.Errorf("%s: want one error %q, got:\n%s", c.file, c.want, err)
		}
		if u = edit(c.file, c.good); u.Site == nil {
			t.Fatalf("%s: the fix failed: %v", c.file, u.Result.Err())
		}
		if c.file == "content/a/01-one.md" {
			page := livePage(t, u, "a/01-one/index.html")
			if !strings.Contains(page, `rel="external noopener noreferrer" class="external">the guide<span class="vh"> (another site)</span></a>`) {
				t.Error("the link to another site is not marked")
			}
		}
	}
	// The note is a UI string: a site's own text for it reaches the page.
	u := edit("i18n/en.toml", "external_link = \"(leaves the manual)\"\n")
	if u.Site == nil {
		t.Fatalf("the strings' update failed: %v", u.Result.Err())
	}
	if page := livePage(t, u, "a/01-one/index.html"); !strings.Contains(page, `the guide<span class="vh"> (leaves the manual)</span></a>`) {
		t.Error("the link to another site does not get the site's note")
	}
}
