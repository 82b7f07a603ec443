package pdf

import (
	"bytes"
	"html"
	"io"
	"slices"

	xhtml "golang.org/x/net/html"
)

// A long page is printed in parts: Chromium's time and memory to print a
// page grow faster than its length (a 1,000-session guide of 4,500 pages
// takes it 7 GB), so the page is cut into pages of a few hundred printed
// pages each, printed one by one and joined.
//
// The page says where it may be cut: each element with the attribute
// data-fc-part starts a part, and these elements are siblings, each
// starting a printed page. A part is the page with only some of them: the
// page's beginning up to the first, a run of them, and the page's end from
// the last one's end tag.
//
// Chromium counts a part's pages from 1, so what depends on a page's place
// in the whole is set for each part: its page numbers (see book.js) and, for
// a print on both sides of the paper, its first page is a right-hand one
// (data-fc-recto on the element that starts it). A page whose left-hand
// pages differ from its right-hand ones (@page :left) must therefore mark
// the elements that start its parts data-fc-recto too.

// DefaultPartBytes is about how much HTML one part holds: some 150 printed
// pages of a manual. At 1,000 sessions, parts of 512 KB print faster than
// parts of 1 MB (61 against 58 pages a second) in less memory (1.3 against
// 1.8 GB for Chromium at its peak).
const DefaultPartBytes = 1 << 19

// split cuts a page's HTML into parts of about size bytes. It returns nil
// when the page is not long enough to cut, the IDs that the page's links
// point at ("#p-day-1"), whichever part they are in, and where in the page
// each element with an ID starts, as a fraction of its length.
func split(page []byte, size int) (parts [][]byte, linked []string, places map[string]float64) {
	type elem struct{ start, end int }
	var (
		elems []elem
		open  = -1 // the element being read, in elems
		name  []byte
		depth int
		off   int
		seen  = map[string]bool{}
	)
	places = map[string]float64{}
	z := xhtml.NewTokenizer(bytes.NewReader(page))
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			if z.Err() != io.EOF {
				return nil, nil, nil
			}
			break
		}
		raw := len(z.Raw())
		switch tt {
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			tag, more := z.TagName()
			isPart := false
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				switch string(k) {
				case "data-fc-part":
					isPart = true
				case "id":
					places[html.UnescapeString(string(v))] = float64(off) / float64(len(page))
				case "href":
					if len(v) > 1 && v[0] == '#' {
						if id := html.UnescapeString(string(v[1:])); !seen[id] {
							seen[id] = true
							linked = append(linked, id)
						}
					}
				}
			}
			switch {
			case open >= 0 && tt == xhtml.StartTagToken && bytes.Equal(tag, name):
				depth++
			case open < 0 && isPart && tt == xhtml.StartTagToken:
				elems = append(elems, elem{start: off})
				open, name, depth = len(elems)-1, slices.Clone(tag), 1
			}
		case xhtml.EndTagToken:
			if tag, _ := z.TagName(); open >= 0 && bytes.Equal(tag, name) {
				if depth--; depth == 0 {
					elems[open].end = off + raw
					open = -1
				}
			}
		}
		off += raw
	}
	if open >= 0 || len(elems) < 2 || elems[len(elems)-1].end-elems[0].start < 2*size {
		return nil, linked, places
	}
	head, tail := page[:elems[0].start], page[elems[len(elems)-1].end:]
	for i := 0; i < len(elems); {
		j := i + 1
		for j < len(elems) && elems[j].start-elems[i].start < size {
			j++
		}
		end := elems[len(elems)-1].end
		if j < len(elems) {
			end = elems[j].start
		}
		if len(elems)-j == 1 && elems[len(elems)-1].end-elems[j].start < size/4 {
			j, end = len(elems), elems[len(elems)-1].end // a last part of a few pages joins the one before
		}
		part := make([]byte, 0, len(head)+end-elems[i].start+len(tail))
		part = append(append(append(part, head...), page[elems[i].start:end]...), tail...)
		parts = append(parts, part)
		i = j
	}
	return parts, linked, places
}
