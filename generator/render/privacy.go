package render

import (
	"html"
	"io/fs"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"flipchart/generator/links"
)

// NoteKey is the UI string read aloud after a link to another site, which
// the links stage puts in every such link: "(another site)".
const NoteKey = "external_link"

// linkPolicy is what the site allows of other hosts ([privacy] allow_hosts
// in config.toml), the note its links to other sites get, and where to
// look for a URL of another host that a page loads, for the message.
func (r *Renderer) linkPolicy() links.Policy {
	note := ""
	if t := r.strings[NoteKey]; t != "" { // the manual's language's; a page's origin gives its own
		note = externalNote(t)
	}
	return links.Policy{AllowHosts: r.site.Config.AllowHosts, Note: note, Locate: r.locate}
}

// setLinks makes ix the index the renderer records into, with the site's
// policy.
func (r *Renderer) setLinks(ix *links.Index) {
	ix.SetPolicy(r.linkPolicy())
	r.links = ix
}

// locate finds where the sources of a file wrote a URL of another host
// that the file loads: in its Markdown file, else in its page template or
// a file that template runs (baseof.html, partials/), the page template
// first; else, for a URL a template puts together, where a template names
// its host. ok is false when none does. Only messages use it, so it reads
// the Markdown again.
func (r *Renderer) locate(origin, template, raw string) (file string, line, col int, ok bool) {
	exact := []string{raw}
	if esc := html.EscapeString(raw); esc != raw {
		exact = append(exact, esc)
	}
	if strings.HasSuffix(origin, ".md") {
		if data, err := fs.ReadFile(r.src, origin); err == nil {
			if line, col, ok := findIn(string(data), exact); ok {
				return origin, line, col, true
			}
		}
	}
	files := r.tmpl.setFiles(template)
	for _, f := range files {
		if line, col, ok := findIn(r.tmpl.text[f], exact); ok {
			return f, line, col, true
		}
	}
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		for _, f := range files {
			if line, col, ok := findIn(r.tmpl.text[f], []string{"//" + u.Host}); ok {
				return f, line, col, true
			}
		}
	}
	return "", 0, 0, false
}

// findIn returns the line and column (in characters) of the first needle
// found in text, trying them in turn.
func findIn(text string, needles []string) (line, col int, ok bool) {
	for _, n := range needles {
		if i := strings.Index(text, n); i >= 0 {
			before := text[:i]
			start := strings.LastIndexByte(before, '\n') + 1
			return strings.Count(before, "\n") + 1, utf8.RuneCountInString(before[start:]) + 1, true
		}
	}
	return 0, 0, false
}

// setFiles lists the template files a page template, named by its file as
// shown in messages, runs: itself first, then the others sorted.
func (ts *Templates) setFiles(shown string) []string {
	for name, f := range ts.shown {
		if f != shown || ts.uses[name] == nil {
			continue
		}
		var rest []string
		for g := range ts.uses[name].files {
			if g != shown {
				rest = append(rest, g)
			}
		}
		slices.Sort(rest)
		return append([]string{shown}, rest...)
	}
	return nil
}

// externalNote is the HTML the links stage puts at the end of a link to
// another site: the note read aloud.
func externalNote(t string) string { return `<span class="vh"> ` + html.EscapeString(t) + `</span>` }
