package links

import (
	"bytes"
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"

	"flipchart/generator/diag"
)

// A published site works offline and from a folder, and loads nothing from
// another host: a reader of a manual on human-rights work must not be seen
// reading it by a server it loads a picture from. The rewriter reads every
// URL of every file written anyway; a URL that leaves the site ("//host/…",
// or a scheme: "https:", "ftp:"…) in a place where a browser fetches it as
// the page is shown (an image, a stylesheet, a script, a frame, media, a
// font, CSS url() and @import) is recorded as a problem of the file, which
// Check reports with the broken links; data: URIs are part of the file and
// fine. A plain link to another site (<a href>) is the reader's to follow:
// it stays, marked as leaving the manual (see markExternal).

// Policy is what a site allows of other hosts, and how its links to other
// sites are marked.
type Policy struct {
	// AllowHosts are the hosts pages may load files from all the same:
	// "example.org", or "*.example.org" for any of its subdomains.
	AllowHosts []string
	// Note is HTML put at the end of each link to another site, for
	// readers who do not see the mark after it: a visually hidden
	// "(another site)". "" puts none.
	Note string
	// Locate, when set, finds where the sources wrote a URL that a file of
	// the site loads from another host, for the message: origin is the
	// Markdown or static file the file is made from, template the page
	// template's file (both as in Origin). ok is false when it is in none.
	Locate func(origin, template, url string) (file string, line, col int, ok bool)
}

// policy is a Policy as the rewriter reads it.
type policy struct {
	exact    map[string]bool
	suffixes []string // ".example.org" for "*.example.org"
	note     []byte
	locate   func(origin, template, url string) (string, int, int, bool)
}

// noPolicy is the policy of an index given none: no host allowed, no note.
var noPolicy = &policy{}

// SetPolicy sets what the site allows of other hosts, for the files
// rewritten from now on.
func (ix *Index) SetPolicy(p Policy) {
	pol := &policy{exact: map[string]bool{}, note: []byte(p.Note), locate: p.Locate}
	for _, h := range p.AllowHosts {
		h = strings.ToLower(strings.TrimSpace(h))
		if rest, ok := strings.CutPrefix(h, "*."); ok {
			pol.suffixes = append(pol.suffixes, "."+rest)
		} else if h != "" {
			pol.exact[h] = true
		}
	}
	ix.pol.Store(pol)
}

// policy returns the index's policy.
func (ix *Index) policy() *policy {
	if p := ix.pol.Load(); p != nil {
		return p
	}
	return noPolicy
}

// allows reports whether pages may load files from host, lower case.
func (p *policy) allows(host string) bool {
	if host == "" {
		return false
	}
	if p.exact[host] {
		return true
	}
	for _, s := range p.suffixes {
		if strings.HasSuffix(host, s) {
			return true
		}
	}
	return false
}

// leaves reports whether a URL, trimmed, leaves the site: "//host/…" or a
// scheme. It reads no further than the scheme.
func leaves[T string | []byte](u T) bool {
	return len(u) > 1 && u[0] == '/' && u[1] == '/' || hasScheme(u)
}

// fetchesNothing reports whether a URL that leaves the site is one a
// browser fetches from no host: data: (the file is in the URL) and
// about:blank; and file:, which is a broken link of its own (a file of the
// machine that built the site).
func fetchesNothing(u []byte) bool {
	return hasPrefixFold(u, "data:") || hasPrefixFold(u, "about:") || hasPrefixFold(u, "file:")
}

// toSite reports whether a link leads to another site: "//host/…" or
// "scheme://host/…", but a file of the machine (file:).
func toSite(u []byte) bool {
	u = bytes.TrimSpace(u)
	if len(u) > 1 && u[0] == '/' && u[1] == '/' {
		return true
	}
	if !hasScheme(u) || hasPrefixFold(u, "file:") {
		return false
	}
	i := bytes.IndexByte(u, ':')
	return bytes.HasPrefix(u[i+1:], []byte("//"))
}

func hasPrefixFold(u []byte, prefix string) bool {
	if len(u) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if u[i]|0x20 != prefix[i]|0x20 {
			return false
		}
	}
	return true
}

// hostOf is the host a URL that leaves the site loads from, in lower case,
// or "" for a URL that names none (javascript:, mailto:).
func hostOf(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		// Malformed, but a browser may still fetch it: the host is what
		// follows "//", up to the path.
		_, rest, ok := strings.Cut(raw, "//")
		if !ok {
			return ""
		}
		host, _, _ := strings.Cut(rest, "/")
		return strings.ToLower(host)
	}
	return strings.ToLower(u.Hostname())
}

// external is a file of another host that a file of the site loads.
type external struct {
	url  string // as written, unescaped
	what string // what loads it: "<img src>", "url() in <style>"
	host string
	// Where: in the Markdown when md (from Origin.Links), else in the
	// file as written, when the file was rewritten whole; 0 when not known.
	line, col int
	md        bool
}

// external records that the file loads u, a URL that leaves the site, as
// what says, unless it fetches from no host or from one the site allows.
// dst is the file's output so far, which for a file rewritten whole gives
// the line.
func (w *rewriter) external(dst []byte, u, what string) {
	host := hostOf(u)
	if w.pol.allows(host) {
		return
	}
	r := w.rec
	for _, e := range r.ext {
		if e.url == u && e.what == what {
			return // once per file
		}
	}
	e := external{url: u, what: what, host: host}
	if l, ok := r.pos[u]; ok {
		e.line, e.col, e.md = l.Line, l.Col, true
	} else if w.whole {
		e.line, e.col = lineCol(dst)
	}
	r.ext = append(r.ext, e)
}

// lineCol is the line and column of the byte after out.
func lineCol(out []byte) (int, int) {
	return 1 + bytes.Count(out, []byte("\n")), len(out) - bytes.LastIndexByte(out, '\n')
}

// what names the attribute being read, for a message: "<img src>".
func (w *rewriter) what() string {
	return "<" + strings.ToLower(string(w.elem)) + " " + strings.ToLower(string(w.attr)) + ">"
}

// cssWhat names a url() or @import of the CSS being read: in a <style>,
// a style attribute or a stylesheet.
func (w *rewriter) cssWhat(how int) string {
	what := "url()"
	if how == inImport {
		what = "@import"
	}
	switch {
	case w.raw == "style":
		return what + " in <style>"
	case w.elem != nil:
		return what + " in <" + strings.ToLower(string(w.elem)) + " style>"
	}
	return what + " in the stylesheet"
}

// plainRels are the link types of a <link> that the browser does not
// fetch: the others (stylesheet, icon, preload, prefetch, modulepreload,
// manifest, preconnect, dns-prefetch, and any it does not know) reach
// the host.
var plainRels = map[string]bool{
	"alternate": true, "author": true, "bookmark": true, "canonical": true, "external": true,
	"help": true, "license": true, "me": true, "next": true, "prev": true, "previous": true,
	"search": true, "tag": true, "up": true, "index": true, "contents": true, "copyright": true,
	"first": true, "last": true, "nofollow": true, "noopener": true, "noreferrer": true,
	"privacy-policy": true, "terms-of-service": true, "shortlink": true, "webmention": true, "pingback": true,
}

// relLoads reports whether a <link> of the rel given (HTML as written)
// loads what its href leads to.
func relLoads(rel []byte) bool {
	for _, t := range strings.Fields(strings.ToLower(unescape(rel))) {
		if !plainRels[t] {
			return true
		}
	}
	return false
}

// refreshURL returns the URL of a <meta http-equiv="refresh"> content,
// "5; url=https://example.org/", or nil.
func refreshURL(content []byte) []byte {
	i := indexFold(content, "url")
	if i < 0 {
		return nil
	}
	c := bytes.TrimLeft(content[i+3:], " \t\n\r")
	if len(c) == 0 || c[0] != '=' {
		return nil
	}
	c = bytes.TrimSpace(c[1:])
	if len(c) > 0 && (c[0] == '\'' || c[0] == '"') {
		q := c[0]
		c = c[1:]
		if end := bytes.IndexByte(c, q); end >= 0 {
			c = c[:end]
		}
	}
	return bytes.TrimSpace(c)
}

// A value of an attribute in the output of a tag: where it is, and the
// quote around it (0 for none).
type valSpan struct {
	s, e int
	q    byte
	ok   bool
}

// externalRel and externalClass are what a link to another site gets.
var (
	externalRel   = []string{"external", "noopener", "noreferrer"}
	externalClass = []string{"external"}
)

// markExternal gives the <a> tag being written (out, its attributes read,
// the tag not closed yet) rel="external noopener noreferrer" and the class
// external, merged with its own rel and class: the browser sends the other
// site no referrer and gives it no hold on the page, and the theme marks
// the link as leaving the manual. A tag marked already stays as it is.
func markExternal(out []byte, rel, class valSpan) []byte {
	type edit struct {
		at   valSpan
		with []byte
	}
	var edits [2]edit
	n := 0
	for _, a := range []struct {
		name string
		at   valSpan
		want []string
	}{{"rel", rel, externalRel}, {"class", class, externalClass}} {
		if !a.at.ok {
			// At the end: the offsets of the values before stay right.
			out = append(out, ' ')
			out = append(out, a.name...)
			out = append(out, `="`...)
			for i, t := range a.want {
				if i > 0 {
					out = append(out, ' ')
				}
				out = append(out, t...)
			}
			out = append(out, '"')
			continue
		}
		if with, ok := mergeTokens(out[a.at.s:a.at.e], a.want, a.at.q == 0); ok {
			edits[n] = edit{a.at, with}
			n++
		}
	}
	// The later value first, so that the earlier one's offsets stay right.
	if n == 2 && edits[0].at.s < edits[1].at.s {
		edits[0], edits[1] = edits[1], edits[0]
	}
	for _, e := range edits[:n] {
		out = slices.Replace(out, e.at.s, e.at.e, e.with...)
	}
	return out
}

// mergeTokens returns the value v (HTML as written) with the tokens of
// want it lacks added, quoted when quote says it must be; ok is false when
// it has them all.
func mergeTokens(v []byte, want []string, quote bool) ([]byte, bool) {
	have := strings.Fields(strings.ToLower(unescape(v)))
	var merged []byte
	for _, t := range want {
		if slices.Contains(have, t) {
			continue
		}
		if merged == nil {
			merged = append(merged, bytes.TrimSpace(v)...)
		}
		if len(merged) > 0 {
			merged = append(merged, ' ')
		}
		merged = append(merged, t...)
	}
	if merged == nil {
		return nil, false
	}
	if quote {
		merged = append(append([]byte{'"'}, merged...), '"')
	}
	return merged, true
}

// isEndA reports whether tag, a whole tag, is </a>.
func isEndA(tag []byte) bool {
	return len(tag) >= 4 && tag[1] == '/' && tag[2]|0x20 == 'a' && (tag[3] == '>' || isSpace(tag[3]))
}

// place is where a file of another host is reported: the Markdown line it
// came from, else where the sources wrote it (see Policy.Locate), else the
// template that wrote the file, else the file's source or the file itself
// at its line. inSources says the place is in a file an author wrote.
func (b Broken) place(locate func(string, string, string) (string, int, int, bool)) (file string, line, col int, inSources bool) {
	if b.Line > 0 {
		return b.Origin, b.Line, b.Col, true
	}
	if locate != nil {
		if f, l, c, ok := locate(b.Origin, b.Template, b.Target); ok {
			return f, l, c, true
		}
	}
	switch {
	case b.Template != "":
		return b.Template, 0, 0, false
	case b.Origin != "":
		return b.Origin, b.FileLine, b.FileCol, true // a static file: its lines are its source's
	}
	return b.File, b.FileLine, b.FileCol, false
}

// externalDiagnostic turns a file loaded from another host into an error
// at file:line:col (see place).
func (b Broken) externalDiagnostic(file string, line, col int, inSources bool) *diag.Diagnostic {
	from := "another host"
	if b.Host != "" {
		from = "another host, " + b.Host
	}
	msg := fmt.Sprintf("%s loads %s from %s: the manual must work offline and load nothing from elsewhere", b.Loads, b.Target, from)
	if !inSources && file != b.File {
		where := b.File
		if b.FileLine > 0 {
			where = fmt.Sprintf("%s:%d", b.File, b.FileLine)
		}
		msg = fmt.Sprintf("%s (in %s)", msg, where)
	}
	allow := ""
	if b.Host != "" {
		allow = fmt.Sprintf(`, or, to load it from %s all the same, list the host in config.toml: [privacy] allow_hosts = [%q]`, b.Host, b.Host)
	}
	var hint string
	switch {
	case strings.HasPrefix(b.Loads, "<iframe") || strings.HasPrefix(b.Loads, "<frame") || strings.HasPrefix(b.Loads, "<meta") ||
		strings.HasPrefix(b.Loads, "<base"):
		hint = "link the page with <a href> instead, which the reader may follow" + allow
	default:
		name := "FILE"
		if u, err := url.Parse(b.Target); err == nil {
			if base := path.Base(u.Path); path.Ext(base) != "" {
				name = base
			}
		}
		hint = fmt.Sprintf("download the file into static/ (static/%s) and link it from the site's root (/%s)%s", name, name, allow)
	}
	return diag.Errorf(file, line, col, "%s", msg).WithHint("%s", hint)
}
