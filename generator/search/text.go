package search

import (
	"html"
	"slices"
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
func PlainText(body []byte) string { return string(appendPlainText(nil, body)) }

// appendPlainText appends the PlainText of body to b. It reads the body
// once, copying runs of text whole.
func appendPlainText(b, body []byte) []byte {
	b = slices.Grow(b, len(body)*2/3)
	start := len(b)
	space := true // at the start, or after a space written
	for i := 0; i < len(body); {
		switch c := body[i]; c {
		case '<':
			end := indexFrom(body, i, '>')
			if end < 0 {
				i = len(body) // a tag never closed: the rest is not text
				continue
			}
			if !space && blockTags[string(tagName(body[i+1:end]))] {
				b = append(b, ' ')
				space = true
			}
			i = end + 1
		case ' ', '\n', '\t', '\r':
			if !space {
				b = append(b, ' ')
				space = true
			}
			i++
		case '&':
			end := indexFrom(body[:min(len(body), i+12)], i, ';')
			if end < 0 {
				b = append(b, '&')
				i++
			} else {
				ent := body[i : end+1]
				if e, ok := entities[string(ent)]; ok {
					b = append(b, e...)
				} else {
					b = append(b, html.UnescapeString(string(ent))...)
				}
				i = end + 1
			}
			space = false
		default:
			j := i + 1
			for j < len(body) && !special[body[j]] {
				j++
			}
			b = append(b, body[i:j]...)
			i = j
			space = false
		}
	}
	for len(b) > start && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return b
}

// special are the bytes PlainText stops a run of text at.
var special = [256]bool{'<': true, '&': true, ' ': true, '\n': true, '\t': true, '\r': true}

// entities are the entities goldmark writes most (escapes and typography).
var entities = map[string]string{
	"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": `"`, "&#39;": "'",
	"&lsquo;": "‘", "&rsquo;": "’", "&ldquo;": "“", "&rdquo;": "”",
	"&ndash;": "–", "&mdash;": "—", "&hellip;": "…", "&laquo;": "«", "&raquo;": "»", "&nbsp;": "\u00a0",
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
