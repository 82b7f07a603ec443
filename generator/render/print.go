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

// PrintItem is one page of a print edition: the page and the anchor its
// section starts at. Its body is made when the template asks for it, so a
// large manual's edition is never held in memory whole.
type PrintItem struct {
	Page    *site.Page
	Anchor  string
	r       *Renderer
	edition *site.Page
	anchors map[string]string
	diags   *diag.List
}

// anchorOf names a page's section in a print edition: "p-day-3-11-next-steps".
func anchorOf(p *site.Page) string {
	s := strings.Trim(strings.ReplaceAll(p.URL, "/", "-"), "-")
	if s == "" {
		s = "home"
	}
	return "p-" + s
}

// printItems lists the pages of an edition, in reading order.
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
	items := make([]PrintItem, len(pages))
	for i, p := range pages {
		items[i] = PrintItem{Page: p, Anchor: anchors[p.URL], r: r, edition: r.site.Prints[ed], anchors: anchors, diags: diags}
	}
	return items
}

// Body is the page's body for the edition: IDs made unique, links to pages
// of the edition made links within it, facilitator content left out of the
// participants' edition.
func (it PrintItem) Body() template.HTML {
	p, r := it.Page, it.r
	var body []byte
	switch {
	case p.Derived == nil:
	case it.edition.Edition == site.WorksheetEdition:
		res, err := r.md.Render(p.Derived.WorksheetSource, &markup.Options{Linker: linker{r, p, nil}, WorksheetFields: r.site.Config.WorksheetFields})
		if err != nil {
			it.diags.Add("render", diag.Errorf(p.File(), 0, 0, "cannot render worksheet %q for print: %v", p.Title, err))
			return ""
		}
		body = res.HTML
	default:
		body = r.bodyOf(p)
		if it.edition.Edition == site.ParticipantEdition {
			body = markup.StripTrainers(body)
		}
	}
	return template.HTML(rewriteForPrint(body, p, it.edition, it.Anchor, it.anchors))
}

// rewriteForPrint prefixes every ID of a page's body with its section's
// anchor, so IDs stay unique on the one page of the edition, and rewrites
// links: to the page itself or another page of the edition into in-page
// anchors, anything else relative to the edition's own URL. The body is
// flipchart's own HTML (raw HTML is off), so attributes are always written
// as name="value" with the value escaped.
func rewriteForPrint(body []byte, p, printPage *site.Page, anchor string, anchors map[string]string) []byte {
	var out bytes.Buffer
	out.Grow(len(body) + len(body)/8)
	for {
		i := bytes.Index(body, []byte(`="`))
		if i < 0 {
			out.Write(body)
			return out.Bytes()
		}
		start := i + 2
		var attr string
		switch {
		case bytes.HasSuffix(body[:i], []byte(" id")):
			attr = "id"
		case bytes.HasSuffix(body[:i], []byte(" href")), bytes.HasSuffix(body[:i], []byte(" src")):
			attr = "link"
		}
		end := bytes.IndexByte(body[start:], '"')
		if attr == "" || end < 0 {
			out.Write(body[:start])
			body = body[start:]
			continue
		}
		val := string(body[start : start+end])
		out.Write(body[:start])
		if attr == "id" {
			out.WriteString(anchor + "--" + val)
		} else {
			out.WriteString(printLink(val, p, printPage, anchor, anchors))
		}
		body = body[start+end:]
	}
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
