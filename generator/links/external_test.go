package links

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"flipchart/generator/diag"
)

// loadingPlaces are the places a file fetches a URL from as it is shown,
// each with the file it is written in, and what the error calls it. %s is
// the URL.
var loadingPlaces = []struct{ file, markup, what string }{
	{"a/index.html", `<img src="%s" alt="">`, "<img src>"},
	{"a/index.html", `<IMG SRC='%s'>`, "<img src>"},
	{"a/index.html", `<img src=%s>`, "<img src>"},
	{"a/index.html", `<img src="p.png" srcset="%s 2x">`, "<img srcset>"},
	{"a/index.html", `<img srcset="p.png 1x, %s 2x">`, "<img srcset>"},
	{"a/index.html", `<picture><source srcset="%s" type="image/webp"><img src="p.png"></picture>`, "<source srcset>"},
	{"a/index.html", `<link rel="stylesheet" href="%s">`, `<link rel="stylesheet" href>`},
	{"a/index.html", `<link href="%s" rel="stylesheet">`, `<link rel="stylesheet" href>`},
	{"a/index.html", `<link rel="alternate stylesheet" href="%s" title="x">`, `<link rel="alternate stylesheet" href>`},
	{"a/index.html", `<link rel=icon href=%s>`, `<link rel="icon" href>`},
	{"a/index.html", `<link rel="shortcut icon" href="%s">`, `<link rel="shortcut icon" href>`},
	{"a/index.html", `<link rel="apple-touch-icon" href="%s">`, `<link rel="apple-touch-icon" href>`},
	{"a/index.html", `<link rel="preload" as="font" href="%s" crossorigin>`, `<link rel="preload" href>`},
	{"a/index.html", `<link rel="prefetch" href="%s">`, `<link rel="prefetch" href>`},
	{"a/index.html", `<link rel="modulepreload" href="%s">`, `<link rel="modulepreload" href>`},
	{"a/index.html", `<link rel="manifest" href="%s">`, `<link rel="manifest" href>`},
	{"a/index.html", `<link rel="preconnect" href="%s">`, `<link rel="preconnect" href>`},
	{"a/index.html", `<link rel="dns-prefetch" href="%s">`, `<link rel="dns-prefetch" href>`},
	{"a/index.html", `<script src="%s"></script>`, "<script src>"},
	{"a/index.html", `<script type="module" src="%s" defer></script>`, "<script src>"},
	{"a/index.html", `<iframe src="%s" title="map"></iframe>`, "<iframe src>"},
	{"a/index.html", `<frameset><frame src="%s"></frameset>`, "<frame src>"},
	{"a/index.html", `<video src="%s" controls></video>`, "<video src>"},
	{"a/index.html", `<video poster="%s"><source src="v.mp4"></video>`, "<video poster>"},
	{"a/index.html", `<audio src="%s"></audio>`, "<audio src>"},
	{"a/index.html", `<video><source src="%s" type="video/mp4"></video>`, "<source src>"},
	{"a/index.html", `<video src="v.mp4"><track kind="captions" src="%s"></video>`, "<track src>"},
	{"a/index.html", `<object data="%s" type="application/pdf"></object>`, "<object data>"},
	{"a/index.html", `<embed src="%s">`, "<embed src>"},
	{"a/index.html", `<input type="image" src="%s" alt="Go">`, "<input src>"},
	{"a/index.html", `<svg><image href="%s" width="10"/></svg>`, "<image href>"},
	{"a/index.html", `<svg><image xlink:href="%s"/></svg>`, "<image xlink:href>"},
	{"a/index.html", `<base href="%s">`, "<base href>"},
	{"a/index.html", `<meta http-equiv="refresh" content="0; url=%s">`, `<meta http-equiv="refresh">`},
	{"a/index.html", `<meta content="5;URL='%s'" http-equiv="Refresh">`, `<meta http-equiv="refresh">`},
	{"a/index.html", `<div style="background: url(%s) no-repeat">x</div>`, "url() in <div style>"},
	{"a/index.html", `<p style='background-image:url("%s")'>x</p>`, "url() in <p style>"},
	{"a/index.html", `<style>p { background: url('%s') }</style>`, "url() in <style>"},
	{"a/index.html", `<style>@import "%s"; p {}</style>`, "@import in <style>"},
	{"a/index.html", `<style>@import url(%s) screen;</style>`, "@import in <style>"},
	{"a/index.html", `<style>@font-face { font-family: X; src: local(X), url(%s) format("woff2") }</style>`, "url() in <style>"},
	{"css/site.css", `p { background: url(%s) }`, "url() in the stylesheet"},
	{"css/site.css", "@charset \"utf-8\";\n@import url(\"%s\");\np {}", "@import in the stylesheet"},
	{"css/site.css", `@import '%s' print;`, "@import in the stylesheet"},
	{"css/site.css", `@import "base.css"; @import url(more.css); p { background: url(%s) }`, "url() in the stylesheet"},
	{"css/site.css", `@font-face { font-family: "X"; src: url('%s') format("woff2"); }`, "url() in the stylesheet"},
}

// followedPlaces are links the reader follows, or that load nothing: a
// URL of another host is fine there.
var followedPlaces = []string{
	`<a href="%s">x</a>`,
	`<a title="t" href='%s'>x</a>`,
	`<map name="m"><area href="%s" alt="x"></map>`,
	`<link rel="canonical" href="%s">`,
	`<link href="%s" rel="alternate" hreflang="fr">`,
	`<link rel="author license" href="%s">`,
	`<link rel="next" href="%s">`,
	`<form action="%s"><button formaction="%s">go</button></form>`,
	`<blockquote cite="%s">q</blockquote>`,
	`<p data-href="%s">text about %s</p>`,
	`<meta property="og:image" content="%s">`,
	`<meta http-equiv="content-type" content="text/html; url=%s">`,
}

// Each URL of another host: what error names as the host.
var otherHosts = []struct{ url, host string }{
	{"https://cdn.example.com/lib/x.css?v=2", "cdn.example.com"},
	{"http://cdn.example.com/a.png", "cdn.example.com"},
	{"HTTPS://CDN.Example.COM:8443/a.png", "cdn.example.com"},
	{"//cdn.example.com/a.png", "cdn.example.com"},
	{"ftp://files.example.net/a.png", "files.example.net"},
	{"https://a.b.example.org/x.woff2", "a.b.example.org"},
	{"https://example.org/x.js", "example.org"},
}

// fill puts u in each %s of markup.
func fill(markup, u string) string {
	return strings.ReplaceAll(markup, "%s", u)
}

// externals returns the files of other hosts Check finds, as
// "URL what host".
func externalsOf(ix *Index) []string {
	var out []string
	for _, b := range ix.Check(nil) {
		if b.Loads != "" {
			out = append(out, b.Target+" "+b.Loads+" "+b.Host)
		}
	}
	return out
}

// Every place a browser loads a file from is checked: a URL of another
// host is reported there, with what loads it and the host, with or
// without a scheme; data:, relative and root-absolute URLs, and hosts the
// site allows, are not.
func TestExternalLoads(t *testing.T) {
	for _, p := range loadingPlaces {
		for _, h := range otherHosts {
			ix := NewIndex()
			ix.Rewrite(p.file, []byte(fill(p.markup, h.url)), nil)
			want := h.url + " " + p.what + " " + h.host
			if got := externalsOf(ix); len(got) != 1 || got[0] != want {
				t.Errorf("%s in %s: got %q, want [%s]", h.url, fill(p.markup, h.url), got, want)
			}
		}
		for _, fine := range []string{"data:image/png;base64,iVBORw0KGgo=", "DATA:font/woff2;base64,d09G", "p.png", "../img/p.png", "/img/p.png", "about:blank"} {
			ix := NewIndex()
			ix.Rewrite(p.file, []byte(fill(p.markup, fine)), nil)
			if got := externalsOf(ix); len(got) != 0 {
				t.Errorf("%s: reported %q", fill(p.markup, fine), got)
			}
		}
		for _, allow := range [][]string{{"cdn.example.com", "files.example.net", "example.org", "*.example.org"}, {"CDN.example.com ", "*.example.net", "*.b.example.org", "example.org"}} {
			ix := NewIndex()
			ix.SetPolicy(Policy{AllowHosts: allow})
			for _, h := range otherHosts {
				ix.Rewrite(p.file, []byte(fill(p.markup, h.url)), nil)
				if got := externalsOf(ix); len(got) != 0 {
					t.Errorf("%s with %q allowed: reported %q", fill(p.markup, h.url), allow, got)
				}
			}
		}
	}
}

// A wildcard allows the subdomains of a domain, not the domain, nor a
// name that only ends the same; an exact host allows that host only.
func TestAllowHosts(t *testing.T) {
	ix := NewIndex()
	ix.SetPolicy(Policy{AllowHosts: []string{"*.example.org", "cdn.example.com"}})
	for host, want := range map[string]bool{
		"a.example.org": true, "a.b.example.org": true, "example.org": false, "badexample.org": false,
		"cdn.example.com": true, "CDN.EXAMPLE.COM": true, "x.cdn.example.com": false, "example.com": false, "": false,
	} {
		if got := ix.policy().allows(strings.ToLower(host)); got != want {
			t.Errorf("allows(%q) = %v, want %v", host, got, want)
		}
	}
}

// Links the reader follows may lead to any host.
func TestExternalLinksFollowed(t *testing.T) {
	for _, p := range followedPlaces {
		for _, h := range otherHosts {
			ix := NewIndex()
			ix.Rewrite("a/index.html", []byte(fill(p, h.url)), nil)
			if got := externalsOf(ix); len(got) != 0 {
				t.Errorf("%s: reported %q", fill(p, h.url), got)
			}
		}
	}
}

// A file of another host is reported once per file, whichever way it is
// written there; a URL that names no host is still one that leaves the
// site.
func TestExternalOncePerFile(t *testing.T) {
	ix := NewIndex()
	ix.Rewrite("a/index.html", []byte(`<a href="https://e.org/p.png">link</a><img src="https://e.org/p.png"><img src="https://e.org/p.png">`+
		`<img src="https://e.org/p.png" srcset="https://e.org/p.png 2x"><script src="javascript:void(0)"></script>`), nil)
	want := []string{"https://e.org/p.png <img src> e.org", "https://e.org/p.png <img srcset> e.org", "javascript:void(0) <script src> "}
	if got := externalsOf(ix); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A file of the machine (file:) is a broken link, as it was, and not a
// second error.
func TestFileURLIsBrokenLinkOnly(t *testing.T) {
	ix := NewIndex()
	ix.Rewrite("a/index.html", []byte(`<img src="file:///home/me/p.png">`), nil)
	got := ix.Check(nil)
	if len(got) != 1 || got[0].Loads != "" || got[0].Target != "file:///home/me/p.png" {
		t.Errorf("got %+v, want one broken link to the file", got)
	}
}

// Where a file of another host is reported: at the Markdown line the
// image came from, once for the page, its handout and the print edition;
// where Locate finds a template wrote it, once for every page; else at the
// template without a line, the static file's source at its line, or the
// file written.
func TestExternalReport(t *testing.T) {
	img := "https://cdn.example.com/img/map.png"
	ix := NewIndex()
	ix.SetPolicy(Policy{Locate: func(origin, tmpl, u string) (string, int, int, bool) {
		if strings.Contains(u, "fonts") {
			return "layouts/baseof.html", 7, 3, true
		}
		return "", 0, 0, false
	}})
	md := &Origin{File: "content/a.md", Template: "layouts/session.html", Links: []Link{{URL: img, Line: 9, Col: 1}}}
	head := `<link rel="stylesheet" href="https://fonts.example.net/css?family=X">`
	ix.Rewrite("a/index.html", []byte(head+`<p><img src="`+img+`" alt="Map"></p>`), md)
	ix.Rewrite("a/handout/index.html", []byte(head+`<p><img src="`+img+`" alt="Map"></p>`), &Origin{File: "content/a.md", Template: "layouts/handout.html", Links: md.Links})
	var out bytes.Buffer
	w := ix.Stream("print/index.html", &out, &Origin{Template: "layouts/print.html"})
	fmt.Fprintf(w, `%s<section id="p-a"><img src="%s" alt="Map"></section>`, head, img)
	w.Close()
	ix.Rewrite("b/index.html", []byte("<p>\n<script src=\"https://js.example.com/x.js\"></script>"), &Origin{File: "content/b.md", Template: "layouts/page.html"})
	ix.Rewrite("css/x.css", []byte("p {}\n\np { background: url(//bg.example.com/b.png) }"), &Origin{File: "static/css/x.css"})
	ix.Rewrite("feed.html", []byte(`<img src="https://e.org/x.png">`), nil)
	var diags diag.List
	ix.Report(nil, &diags)
	var got []string
	for _, d := range diags.Items() {
		got = append(got, d.Pos()+": "+d.Msg)
	}
	want := []string{
		"content/a.md:9:1: <img src> loads https://cdn.example.com/img/map.png from another host, cdn.example.com: the manual must work offline and load nothing from elsewhere",
		"feed.html:1:11: <img src> loads https://e.org/x.png from another host, e.org: the manual must work offline and load nothing from elsewhere",
		`layouts/baseof.html:7:3: <link rel="stylesheet" href> loads https://fonts.example.net/css?family=X from another host, fonts.example.net: the manual must work offline and load nothing from elsewhere`,
		"layouts/page.html: <script src> loads https://js.example.com/x.js from another host, js.example.com: the manual must work offline and load nothing from elsewhere (in b/index.html:2)",
		"static/css/x.css:3:21: url() in the stylesheet loads //bg.example.com/b.png from another host, bg.example.com: the manual must work offline and load nothing from elsewhere",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, d := range diags.Items() {
		if d.Severity != diag.Error || !strings.Contains(d.Hint, "[privacy] allow_hosts = [") {
			t.Errorf("%s: not an error with a hint naming allow_hosts: %q", d.Pos(), d.Hint)
		}
	}
	if h := diags.Items()[0].Hint; !strings.Contains(h, "static/map.png") || !strings.Contains(h, "(/map.png)") {
		t.Errorf("the hint does not say where to put the image: %s", h)
	}
}

// A live index checks a file's loads again when it is written again, and
// forgets them when they are gone.
func TestExternalLive(t *testing.T) {
	ix := NewLiveIndex()
	ix.Rewrite("a/index.html", []byte(`<p>ok</p>`), &Origin{File: "content/a.md"})
	if got := ix.CheckChanged([]string{"a/index.html"}, nil); len(got) != 0 {
		t.Fatalf("got %+v", got)
	}
	ix.Rewrite("a/index.html", []byte(`<img src="https://e.org/x.png">`), &Origin{File: "content/a.md"})
	if got := ix.CheckChanged([]string{"a/index.html"}, nil); len(got) != 1 || got[0].Loads != "<img src>" {
		t.Fatalf("got %+v, want the image", got)
	}
	ix.Rewrite("a/index.html", []byte(`<img src="x.png">`), &Origin{File: "content/a.md"})
	for _, b := range ix.Check(nil) {
		if b.Loads != "" {
			t.Errorf("still reported: %+v", b)
		}
	}
	ix.Rewrite("b/index.html", []byte(`<img src="https://e.org/x.png">`), nil)
	ix.Remove("b/index.html")
	if got := ix.Check(nil); len(got) != 1 || got[0].Loads != "" {
		t.Errorf("after Remove: %+v, want only a/'s broken link to x.png", got)
	}
}

// A link to another site gets rel="external noopener noreferrer" and the
// class external, merged with its own, and the note before its end; a
// link within the site, or to an address, gets nothing. Marking twice
// changes nothing.
func TestMarkExternal(t *testing.T) {
	const note = `<span class="vh"> (another site)</span>`
	const mark = ` rel="external noopener noreferrer" class="external"`
	for _, c := range []struct{ in, want string }{
		{`<a href="https://e.org/">E</a>`, `<a href="https://e.org/"` + mark + `>E` + note + `</a>`},
		{`<a href="//e.org/x">E</a>`, `<a href="//e.org/x"` + mark + `>E` + note + `</a>`},
		{`<A HREF="HTTP://E.ORG/">E</A>`, `<A HREF="HTTP://E.ORG/"` + mark + `>E` + note + `</A>`},
		{`<a class="btn" href="https://e.org/" rel="nofollow">E</a>`, `<a class="btn external" href="https://e.org/" rel="nofollow external noopener noreferrer">E` + note + `</a>`},
		{`<a rel=noopener href=https://e.org/ class=c>E</a>`, `<a rel="noopener external noreferrer" href=https://e.org/ class="c external">E` + note + `</a>`},
		{`<a href="https://e.org/" rel="" class="">E</a>`, `<a href="https://e.org/" rel="external noopener noreferrer" class="external">E` + note + `</a>`},
		{`<a href="https://e.org/" rel="NoOpener External noreferrer" class='External x'>E</a>`, `<a href="https://e.org/" rel="NoOpener External noreferrer" class='External x'>E` + note + `</a>`},
		{`<a href="https://e.org/"><img src="i.png" alt="E"></a><p>after</p>`, `<a href="https://e.org/"` + mark + `><img src="i.png" alt="E">` + note + `</a><p>after</p>`},
		{`<a href="https://e.org/">E <span class="nt">b</span></a > then`, `<a href="https://e.org/"` + mark + `>E <span class="nt">b</span>` + note + `</a > then`},
		{`<a href="https://e.org/" />`, `<a href="https://e.org/"` + mark + ` />`},
		{`<a href="/day-1/">in</a><a href="mailto:a@e.org">m</a><a href="#x">x</a><a href="file:///x">f</a><abbr title="x">a</abbr>`,
			`<a href="day-1/index.html">in</a><a href="mailto:a@e.org">m</a><a href="#x">x</a><a href="file:///x">f</a><abbr title="x">a</abbr>`},
		{`<area href="https://e.org/" alt="x"><p>x</p>`, `<area href="https://e.org/" alt="x"><p>x</p>`},
	} {
		ix := NewIndex()
		ix.SetPolicy(Policy{Note: note})
		got := string(ix.Rewrite("index.html", []byte(c.in), nil))
		if got != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.in, got, c.want)
		}
		if again := string(ix.Rewrite("index.html", []byte(got), nil)); again != got {
			t.Errorf("marked twice: %s\n got %s", got, again)
		}
		var out bytes.Buffer
		s := ix.Stream("index.html", &out, nil)
		for i := range len(c.in) {
			s.Write([]byte{c.in[i]}) // a byte at a time
		}
		s.Close()
		if out.String() != c.want {
			t.Errorf("streamed %s\n got %s\nwant %s", c.in, out.String(), c.want)
		}
	}
}
