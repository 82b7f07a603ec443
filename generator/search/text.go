package search

import (
	"html"
	"strings"

	"flipchart/generator/markup"
	"flipchart/generator/site"
)

// blockTags are the elements whose start or end separates words: a space
// goes where their tags were, where an inline element's tags go without.
var blockTags = map[string]bool{
	"p": true, "li": true, "ul": true, "ol": true, "h1": true, "h2": true, "h3": true, "h4": true,
	"h5": true, "h6": true, "div": true, "td": true, "th": true, "tr": true, "table": true, "br": true,
	"pre": true, "blockquote": true, "section": true, "aside": true, "figure": true, "figcaption": true,
	"details": true, "summary": true, "dt": true, "dd": true, "dl": true, "hr": true, "header": true,
	"footer": true, "label": true, "input": true, "textarea": true, "caption": true, "code": false,
}

// PlainText is the text of an HTML fragment (a page's rendered body): its
// tags dropped, a space for each block's, entities decoded, runs of white
// space made one space.
func PlainText(body []byte) string {
	var b strings.Builder
	b.Grow(len(body) / 2)
	space := true // at the start, or after a space written
	for i := 0; i < len(body); {
		c := body[i]
		if c == '<' {
			end := indexFrom(body, i, '>')
			if end < 0 {
				break // a tag never closed: the rest is not text
			}
			if !space && blockTags[string(tagName(body[i+1:end]))] {
				b.WriteByte(' ')
				space = true
			}
			i = end + 1
			continue
		}
		if c == ' ' || c == '\n' || c == '\t' || c == '\r' {
			if !space {
				b.WriteByte(' ')
				space = true
			}
			i++
			continue
		}
		b.WriteByte(c)
		space = false
		i++
	}
	s := strings.TrimRight(b.String(), " ")
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	return s
}

// indexFrom is the index of c in b at or after i, or -1.
func indexFrom(b []byte, i int, c byte) int {
	for j := i; j < len(b); j++ {
		if b[j] == c {
			return j
		}
	}
	return -1
}

// tagName is the name of a tag's inside ("/p", "li class=x"), as goldmark
// writes it, in lowercase.
func tagName(t []byte) []byte {
	if len(t) > 0 && t[0] == '/' {
		t = t[1:]
	}
	n := 0
	for n < len(t) && (t[n] >= 'a' && t[n] <= 'z' || t[n] >= 'A' && t[n] <= 'Z' || t[n] >= '0' && t[n] <= '9') {
		n++
	}
	return t[:n]
}

// TextOf is what the index takes of a page rendered to body, with its
// headings and containers: called once per page as it renders.
func TextOf(body []byte, headings []markup.Heading, containers []markup.ContainerInfo) *site.PageText {
	t := &site.PageText{Body: PlainText(body)}
	for _, h := range headings {
		t.Headings = append(t.Headings, h.Text)
	}
	for _, c := range containers {
		if c.Title != "" {
			t.Containers = append(t.Containers, c.Title)
		}
	}
	return t
}
