package pdf

import (
	"fmt"
	"strconv"
)

// Dest is where a named destination of a PDF is: its page, counted from 1,
// and its height on that page, in points from the bottom.
type Dest struct {
	Page int
	Y    float64
}

// Destinations reads a PDF's named destinations, by the id of the element
// each goes to, and its page count. Chromium makes a named destination of
// every element that a link of the page points at ("#p-day-1"), hidden
// links included.
func Destinations(data []byte) (map[string]Dest, int, error) {
	p, err := readPart(data)
	if err != nil {
		return nil, 0, err
	}
	dests, err := p.destinations()
	return dests, p.count, err
}

// destinations are the part's named destinations, by element id (see
// destID). A destination that is not "[page /XYZ x y zoom]" is left out:
// flipchart asks for none.
func (p *part) destinations() (map[string]Dest, error) {
	page := make(map[int]int, len(p.pages)) // object number -> page number
	for i, n := range p.pages {
		page[n] = i + 1
	}
	out := make(map[string]Dest, len(p.dests))
	for _, e := range p.dests {
		v, err := p.explicitDest(e.val)
		if err != nil {
			return nil, fmt.Errorf("named destination /%s: %w", e.key, err)
		}
		items, err := p.array(v)
		if err != nil || len(items) < 4 || string(p.text(items[1])) != "/XYZ" {
			continue
		}
		num, ok := p.ref(items[0])
		if !ok || page[num] == 0 {
			return nil, fmt.Errorf("named destination /%s points at object %s, which is not a page", e.key, p.text(items[0]))
		}
		y, _ := strconv.ParseFloat(string(p.text(items[3])), 64)
		out[destID(e.key)] = Dest{Page: page[num], Y: y}
	}
	return out, nil
}

// destID is the element id a named destination's name stands for. The
// name is written with #XX escapes for bytes outside the regular
// characters, and Chromium percent-encodes the id as in a URL's fragment
// before that: "fn:1" becomes /fn#253A1.
func destID(name string) string { return percentDecode(string(decodeName([]byte(name)))) }
