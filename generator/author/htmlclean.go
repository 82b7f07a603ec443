package author

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// What of a web page's main content the reader leaves out: scripts, forms,
// pictures and media, and the site's furniture, known by its element
// (nav), its role, or the words of its id and class (menu, sidebar,
// share...).

// drop reports whether the reader leaves element n, inside the main
// content, out; it counts the pictures and media it leaves.
func (r *htmlReader) drop(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return n.Type != html.TextNode
	}
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Head, atom.Title, atom.Meta,
		atom.Link, atom.Base, atom.Svg, atom.Math, atom.Canvas, atom.Input, atom.Select,
		atom.Textarea, atom.Button, atom.Option, atom.Optgroup, atom.Datalist, atom.Progress,
		atom.Meter, atom.Map, atom.Area, atom.Source, atom.Track, atom.Param, atom.Frameset,
		atom.Frame, atom.Dialog, atom.Rt, atom.Rp:
		return true
	case atom.Img, atom.Image, atom.Picture:
		r.count(n, &r.images, &r.imageSrc)
		return true
	case atom.Video, atom.Audio, atom.Iframe, atom.Object, atom.Embed:
		r.count(n, &r.media, &r.mediaSrc)
		return true
	case atom.Nav, atom.Footer:
		return true
	case atom.Header:
		if !r.within(n, atom.Article, atom.Main, atom.Section) && !htmlHoldsContent(n) {
			return true // the site's banner, not an article's title
		}
	case atom.Aside:
		if !r.within(n, atom.Article) {
			return true // a sidebar, not a note in the text
		}
	case atom.Form:
		if !htmlHoldsContent(n) { // some sites wrap the whole page in a form
			return true
		}
	}
	switch {
	case n.Namespace != "":
		return true
	case htmlHidden(n):
		return !htmlDisclosure(n)
	case htmlAttr(n, "aria-hidden") == "true":
		return !htmlDisclosure(n) && !htmlHoldsContent(n)
	case htmlIcon(n), htmlSkipLink(n), htmlPermalink(n):
		return true
	case htmlSROnly(n):
		// Text for screen readers: a heading or menu for them is
		// furniture, but a word in a line ("Time") is text.
		return htmlBlockTags[n.DataAtom]
	}
	if role := htmlRole(n); role == "complementary" {
		return !r.within(n, atom.Article)
	}
	if htmlFurnitureRole(n) || htmlFurnitureNamed(n) {
		return !htmlHoldsContent(n)
	}
	return false
}

// count counts a picture or medium once, keeping the line of the first.
func (r *htmlReader) count(n *html.Node, count, src *int) {
	if r.seen[n] {
		return
	}
	r.seen[n] = true
	*count++
	if *src == 0 {
		*src = r.src(n)
	}
}

// within reports whether n is inside one of the elements named (or one with
// their role), up to the main content itself.
func (r *htmlReader) within(n *html.Node, tags ...atom.Atom) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		for _, t := range tags {
			if p.DataAtom == t || htmlRole(p) == t.String() {
				return true
			}
		}
		if p == r.root {
			break
		}
	}
	return false
}

// htmlHoldsContent reports whether n holds the page's content, so that it
// is kept even when it looks like furniture: a main or article element, or
// a title (h1) that is not the site's name.
func htmlHoldsContent(n *html.Node) bool {
	return htmlFind(n, func(d *html.Node) bool {
		switch {
		case d.DataAtom == atom.Main || d.DataAtom == atom.Article || htmlRole(d) == "main":
			return d != n
		case d.DataAtom == atom.H1:
			return !htmlFurnitureNamed(d) && !htmlSiteBrand(d) && htmlTextLen(d) > 0
		}
		return false
	}) != nil
}

// htmlHidden reports whether an element is not shown: the hidden
// attribute, display:none or visibility:hidden, or a class that hides it
// ("hidden" when no class shows it again on some screens, "d-none").
func htmlHidden(n *html.Node) bool {
	if htmlHas(n, "hidden") {
		return true
	}
	if htmlStyle(n, "display") == "none" || htmlStyle(n, "visibility") == "hidden" {
		return true
	}
	hide, responsive := false, false
	for _, c := range htmlClasses(n) {
		switch c {
		case "hidden", "d-none", "is-hidden", "hide", "invisible":
			hide = true
		}
		responsive = responsive || strings.Contains(c, ":")
	}
	return hide && !responsive
}

// htmlDisclosure reports whether a hidden element is a tab's panel, an
// accordion's fold or the like: text the reader opens, which is content.
func htmlDisclosure(n *html.Node) bool {
	if role := htmlRole(n); role == "tabpanel" || role == "region" {
		return true
	}
	for _, w := range htmlWords(n) {
		switch w {
		case "tab", "tabs", "tabpanel", "pane", "accordion", "collapse", "collapsible", "panel",
			"spoiler", "toggle", "expandable", "answer", "solution", "reveal":
			return true
		}
	}
	return false
}

// htmlFurnitureRole reports whether an element's ARIA role is one of the
// site's furniture.
func htmlFurnitureRole(n *html.Node) bool {
	switch htmlRole(n) {
	case "navigation", "banner", "contentinfo", "search", "menu", "menubar", "toolbar",
		"dialog", "alertdialog", "tablist":
		return true
	}
	return false
}

// htmlFurnitureTokens are whole ids and classes of furniture.
var htmlFurnitureTokens = map[string]bool{
	"skip-link": true, "skip-links": true, "skiplink": true, "table-of-contents": true,
	"entry-meta": true, "post-meta": true, "entry-footer": true, "site-header": true,
	"site-footer": true, "page-footer": true, "global-footer": true, "on-this-page": true,
	"edit-link": true, "post-edit-link": true, "cat-links": true, "tags-links": true,
	"byline": true, "posted-on": true, "author-info": true, "author-bio": true,
	"nav-links": true, "post-navigation": true, "footer": true,
}

// htmlFurnitureIDs are ids of furniture only as ids (as classes they may
// mean something else).
var htmlFurnitureIDs = map[string]bool{
	"header": true, "masthead": true, "colophon": true, "secondary": true,
}

// htmlFurnitureWords are words of ids and classes of furniture, as split
// at dashes and underscores ("widget-area", "comments_area").
var htmlFurnitureWords = map[string]bool{
	"menu": true, "menus": true, "nav": true, "navbar": true, "navigation": true,
	"breadcrumb": true, "breadcrumbs": true, "crumbs": true, "sidebar": true, "widget": true,
	"widgets": true, "share": true, "sharing": true, "sharedaddy": true, "social": true,
	"related": true, "relatedposts": true, "comments": true, "comment": true,
	"commentlist": true, "respond": true, "pagination": true, "pager": true, "toc": true,
	"newsletter": true, "subscribe": true, "advert": true, "advertisement": true, "ads": true,
	"popup": true, "modal": true,
}

// htmlFurnitureNamed reports whether an element's id, class or custom tag
// name says it is furniture: menu, navigation, breadcrumbs, sidebar,
// widget, share, social, related, comments, cookie notice and the like.
func htmlFurnitureNamed(n *html.Node) bool {
	if htmlFurnitureIDs[strings.ToLower(htmlAttr(n, "id"))] {
		return true
	}
	for _, t := range htmlTokens(n) {
		if htmlFurnitureTokens[t] {
			return true
		}
	}
	for _, w := range htmlWords(n) {
		if htmlFurnitureWords[w] {
			return true
		}
		for _, s := range []string{"cookie", "gdpr", "consent"} {
			if strings.Contains(w, s) {
				return true
			}
		}
		for _, s := range []string{"sidebar", "widget", "breadcrumb", "navbar", "share", "social", "menu"} {
			if strings.HasPrefix(w, s) {
				return true
			}
		}
		for _, s := range []string{"nav", "menu", "sidebar", "breadcrumbs", "widget", "widgets"} {
			if strings.HasSuffix(w, s) {
				return true
			}
		}
	}
	return false
}

// htmlSiteBrand reports whether an element is the site's name or logo
// rather than the page's title.
func htmlSiteBrand(n *html.Node) bool {
	for _, t := range htmlTokens(n) {
		switch t {
		case "site-title", "site-name", "site-branding", "site-logo", "site-header",
			"site-description", "navbar-brand", "custom-logo-link":
			return true
		}
	}
	for _, w := range htmlWords(n) {
		switch w {
		case "logo", "brand", "branding", "masthead":
			return true
		}
	}
	return false
}

// htmlSROnly reports whether an element's class hides it from the eye but
// not from screen readers.
func htmlSROnly(n *html.Node) bool {
	for _, c := range htmlClasses(n) {
		switch c {
		case "screen-reader-text", "sr-only", "visually-hidden", "visuallyhidden",
			"screen-reader-only", "sr-text", "hidden-visually", "element-invisible",
			"assistive-text", "show-for-sr", "u-hidden-visually", "a11y-hidden":
			return true
		}
	}
	return false
}

// htmlIcon reports whether an element is an icon (Font Awesome, Glyphicons,
// Dashicons, Material icons...) standing in for a label: the value after it
// stands alone.
func htmlIcon(n *html.Node) bool {
	if n.DataAtom != atom.I && n.DataAtom != atom.Span {
		return false
	}
	for _, c := range htmlClasses(n) {
		switch {
		case c == "fa", c == "fas", c == "far", c == "fal", c == "fab", c == "fad", c == "fat",
			strings.HasPrefix(c, "fa-"), strings.HasPrefix(c, "icon"), strings.HasSuffix(c, "-icon"),
			strings.HasPrefix(c, "glyphicon"), strings.HasPrefix(c, "dashicons"),
			strings.HasPrefix(c, "material-icons"), strings.HasPrefix(c, "material-symbols"),
			c == "bi", strings.HasPrefix(c, "bi-"), strings.HasPrefix(c, "octicon"),
			strings.HasPrefix(c, "ion-"), strings.HasPrefix(c, "ti-"), strings.HasPrefix(c, "las"):
			return true
		}
	}
	return false
}

// htmlSkipLink reports whether n is a link to skip to the content ("Skip
// to content", "Skip navigation").
func htmlSkipLink(n *html.Node) bool {
	if n.DataAtom != atom.A {
		return false
	}
	t := strings.ToLower(strings.TrimSpace(htmlCollapse(htmlRawText(n))))
	for _, p := range []string{"skip to ", "skip navigation", "jump to content", "jump to main"} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}

// htmlPermalink reports whether n is a heading's permanent link ("¶"), as
// documentation sites put beside headings.
func htmlPermalink(n *html.Node) bool {
	if n.DataAtom != atom.A {
		return false
	}
	for _, c := range htmlClasses(n) {
		switch c {
		case "headerlink", "anchor", "anchorjs-link", "heading-anchor", "header-anchor",
			"permalink", "hash-link", "anchor-link", "direct-link":
			return true
		}
	}
	if !strings.HasPrefix(htmlAttr(n, "href"), "#") {
		return false
	}
	switch strings.TrimSpace(htmlCollapse(htmlRawText(n))) {
	case "¶", "§", "#", "🔗", "⚓":
		return true
	}
	return false
}

// htmlPageBreak reports whether an element's style puts a page break
// before it or after it (when is "before" or "after").
func htmlPageBreak(n *html.Node, when string) bool {
	for _, p := range []string{"page-break-" + when, "break-" + when} {
		switch htmlStyle(n, p) {
		case "always", "page", "left", "right", "recto", "verso":
			return true
		}
	}
	return false
}

// htmlAttrOK returns the value of an element's attribute and whether it
// has it.
func htmlAttrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// htmlAttr returns the value of an element's attribute, or "".
func htmlAttr(n *html.Node, key string) string {
	v, _ := htmlAttrOK(n, key)
	return v
}

// htmlHas reports whether an element has an attribute.
func htmlHas(n *html.Node, key string) bool {
	_, ok := htmlAttrOK(n, key)
	return ok
}

// htmlRole returns an element's ARIA role, lower case.
func htmlRole(n *html.Node) string {
	return strings.ToLower(strings.TrimSpace(htmlAttr(n, "role")))
}

// htmlClasses returns an element's classes, lower case.
func htmlClasses(n *html.Node) []string {
	return strings.Fields(strings.ToLower(htmlAttr(n, "class")))
}

// htmlTokens returns an element's classes, its id and, for a custom
// element ("cookie-banner"), its name, lower case.
func htmlTokens(n *html.Node) []string {
	t := htmlClasses(n)
	if id := strings.ToLower(strings.TrimSpace(htmlAttr(n, "id"))); id != "" {
		t = append(t, id)
	}
	if strings.Contains(n.Data, "-") {
		t = append(t, n.Data)
	}
	return t
}

// htmlWords returns the words of an element's tokens, split at anything
// but letters and digits ("md-sidebar--primary" is md, sidebar, primary).
func htmlWords(n *html.Node) []string {
	var words []string
	for _, t := range htmlTokens(n) {
		words = append(words, strings.FieldsFunc(t, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 0x7f)
		})...)
	}
	return words
}

// htmlStyle returns the value of a property in an element's style
// attribute, lower case, without !important; "" when it has none.
func htmlStyle(n *html.Node, prop string) string {
	style := htmlAttr(n, "style")
	if style == "" {
		return ""
	}
	v := ""
	for _, decl := range strings.Split(style, ";") {
		k, val, ok := strings.Cut(decl, ":")
		if ok && strings.EqualFold(strings.TrimSpace(k), prop) {
			val = strings.ToLower(strings.TrimSpace(val))
			v = strings.TrimSpace(strings.TrimSuffix(val, "!important")) // the last one counts
		}
	}
	return v
}

// htmlRawText returns all the text under n.
func htmlRawText(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return b.String()
}
