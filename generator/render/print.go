package render

import (
	"bytes"
	"fmt"
	"html/template"
	"net/url"
	"path"
	"strings"

	"flipchart/generator/diag"
	"flipchart/generator/markup"
	"flipchart/generator/site"
)

// PrintItem is one page of a print edition: the page, the anchor its
// section starts at, and its body with IDs made unique and links to other
// pages of the edition turned into links within it.
type PrintItem struct {
	Page   *site.Page
	Anchor string
	Body   template.HTML
}

// anchorOf names a page's section in a print edition: "p-day-3-11-next-steps".
func anchorOf(p *site.Page) string {
	s := strings.Trim(strings.ReplaceAll(p.URL, "/", "-"), "-")
	if s == "" {
		s = "home"
	}
	return "p-" + s
}

// printItems gathers the pages of an edition, in reading order.
func (r *Renderer) printItems(ed site.Edition, diags *diag.List) []PrintItem {
	var pages []*site.Page
	if ed == site.WorksheetEdition {
		pages = r.site.WorksheetPages
	} else {
		for _, p := range r.site.Pages {
			if p.Derived != nil || p.Kind == site.Home {
				pages = append(pages, p)
			}
		}
	}
	anchors := make(map[string]string, len(pages))
	for _, p := range pages {
		anchors[p.URL] = anchorOf(p)
	}
	printPage := r.site.Prints[ed]
	items := make([]PrintItem, 0, len(pages))
	for _, p := range pages {
		var body []byte
		switch {
		case p.Derived == nil:
		case ed == site.WorksheetEdition:
			res, err := r.md.Render(p.Derived.WorksheetSource, &markup.Options{Linker: linker{r, p, nil}, WorksheetFields: r.site.Config.WorksheetFields})
			if err != nil {
				diags.Add("render", diag.Errorf(p.File(), 0, 0, "cannot render worksheet %q: %v", p.Title, err))
				continue
			}
			body = res.HTML
		case ed == site.ParticipantEdition:
			body = markup.StripTrainers(p.Derived.Body)
		default:
			body = p.Derived.Body
		}
		a := anchors[p.URL]
		items = append(items, PrintItem{Page: p, Anchor: a, Body: template.HTML(rewriteForPrint(body, p, printPage, a, anchors))})
	}
	return items
}

// rewriteForPrint prefixes every ID of a page's body with its section's
// anchor, so IDs stay unique on the one page of the edition, and rewrites
// links: to the page itself or another page of the edition into in-page
// anchors, anything else relative to the edition's own URL.
func rewriteForPrint(body []byte, p, printPage *site.Page, anchor string, anchors map[string]string) []byte {
	var out bytes.Buffer
	out.Grow(len(body) + len(body)/8)
	for {
		i, attr := nextAttr(body)
		if i < 0 {
			out.Write(body)
			return out.Bytes()
		}
		start := i + len(attr)
		end := bytes.IndexByte(body[start:], '"')
		if end < 0 {
			out.Write(body)
			return out.Bytes()
		}
		val := string(body[start : start+end])
		out.Write(body[:start])
		switch attr {
		case ` id="`:
			out.WriteString(anchor + "--" + val)
		default:
			out.WriteString(printLink(val, p, printPage, anchor, anchors))
		}
		body = body[start+end:]
	}
}

// nextAttr finds the next id, href or src attribute.
func nextAttr(b []byte) (int, string) {
	best, attr := -1, ""
	for _, a := range []string{` id="`, ` href="`, ` src="`} {
		if i := bytes.Index(b, []byte(a)); i >= 0 && (best < 0 || i < best) {
			best, attr = i, a
		}
	}
	return best, attr
}

// printLink rewrites one link of page p for the print edition.
func printLink(val string, p, printPage *site.Page, anchor string, anchors map[string]string) string {
	raw := strings.ReplaceAll(val, "&amp;", "&")
	if strings.HasPrefix(raw, "#") {
		return "#" + anchor + "--" + raw[1:]
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(raw, "/") {
		return val
	}
	target := path.Join(p.URL, u.Path)
	dir := strings.TrimSuffix(strings.TrimSuffix(target, "index.html"), "/")
	if dir != "" {
		dir += "/"
	}
	if strings.HasSuffix(target, "index.html") || target == "." {
		if dir == "./" {
			dir = ""
		}
		if a, ok := anchors[dir]; ok {
			if u.Fragment != "" {
				return "#" + a + "--" + template.HTMLEscapeString(u.Fragment)
			}
			return "#" + a
		}
	}
	link := printPage.Root() + target
	if u.Fragment != "" {
		link += "#" + template.HTMLEscapeString(u.Fragment)
	}
	return link
}

// printCSS is the stylesheet of printed pages, made from config.toml: the
// paper and margins, the manual's title and "Page N of M" in the margins,
// and for each session a named page whose header shows the session.
func (r *Renderer) printCSS() []byte {
	cfg := r.site.Config
	var b strings.Builder
	fmt.Fprintf(&b, "/* Printed pages, generated from config.toml: paper %s, margins %s. */\n", cfg.Paper, cfg.Margins)
	fmt.Fprintf(&b, "@page {\n  size: %s;\n  margin: %s;\n", cfg.Paper, cfg.Margins)
	fmt.Fprintf(&b, "  @top-left { content: %s; }\n", cssString(cfg.Title))
	b.WriteString("  @bottom-center { content: \"Page \" counter(page) \" of \" counter(pages); }\n}\n")
	b.WriteString("@page cover {\n  @top-left { content: none; }\n  @bottom-center { content: none; }\n}\n")
	b.WriteString("@media print {\n  .print-cover { page: cover; }\n")
	for _, s := range r.site.Sessions {
		fmt.Fprintf(&b, "  .print-s%d { page: s%d; }\n", s.Session, s.Session)
	}
	b.WriteString("}\n")
	for _, s := range r.site.Sessions {
		fmt.Fprintf(&b, "@page s%d { @top-right { content: %s; } }\n", s.Session, cssString(s.Label()))
	}
	return []byte(b.String())
}

// cssString quotes s as a CSS string.
func cssString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range s {
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteRune(c)
		case c < ' ' || c == 0x7f:
			fmt.Fprintf(&b, "\\%x ", c)
		default:
			b.WriteRune(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
