package pdf

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
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
	d, err := parse(data)
	if err != nil {
		return nil, 0, err
	}
	return d.destinations()
}

func (d *document) destinations() (map[string]Dest, int, error) {
	root, err := d.object(d.trailer["Root"])
	if err != nil {
		return nil, 0, fmt.Errorf("catalog: %w", err)
	}
	pages := map[string]int{} // "12 0 R" -> page number
	n, err := d.pageNode(root["Pages"], pages, 0, 0)
	if err != nil {
		return nil, 0, fmt.Errorf("page tree: %w", err)
	}
	out := map[string]Dest{}
	ref, ok := root["Dests"]
	if !ok {
		return out, n, nil
	}
	var dests map[string]string
	if strings.HasPrefix(ref, "<<") {
		dests, err = (&scanner{b: []byte(ref)}).dict()
	} else {
		dests, err = d.object(ref)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("named destinations: %w", err)
	}
	for name, raw := range dests {
		// [ 12 0 R /XYZ x y zoom ]
		f := strings.Fields(strings.Trim(raw, "[] \n\r\t"))
		if len(f) < 6 || f[2] != "R" || f[3] != "/XYZ" {
			continue // a destination flipchart did not ask for
		}
		page, ok := pages[f[0]+" "+f[1]+" R"]
		if !ok {
			return nil, 0, fmt.Errorf("named destination /%s points at %s %s R, which is not a page", name, f[0], f[1])
		}
		y, _ := strconv.ParseFloat(f[5], 64)
		out[destID(name)] = Dest{Page: page, Y: y}
	}
	return out, n, nil
}

// pageNode numbers the pages of the page tree node ref, the first being
// done+1, into pages, and returns the number of pages done after it.
func (d *document) pageNode(ref string, pages map[string]int, done, depth int) (int, error) {
	if depth > 64 {
		return 0, errors.New("the page tree is too deep (a loop?)")
	}
	node, err := d.object(ref)
	if err != nil {
		return 0, err
	}
	if node["Type"] != "/Pages" {
		done++
		pages[normRef(ref)] = done
		return done, nil
	}
	kids := strings.Fields(strings.Trim(node["Kids"], "[] \n\r\t"))
	if len(kids)%3 != 0 {
		return 0, fmt.Errorf("page tree node %s has /Kids %q, not a list of references", ref, node["Kids"])
	}
	for i := 0; i < len(kids); i += 3 {
		if done, err = d.pageNode(kids[i]+" "+kids[i+1]+" "+kids[i+2], pages, done, depth+1); err != nil {
			return 0, err
		}
	}
	return done, nil
}

// normRef writes a reference as "12 0 R".
func normRef(ref string) string { return strings.Join(strings.Fields(ref), " ") }

// destID is the element id a named destination's name stands for. The
// name is written with #XX escapes for bytes outside the regular
// characters, and Chromium percent-encodes the id as in a URL's fragment
// before that: "fn:1" becomes /fn#253A1.
func destID(name string) string { return percentDecode(string(decodeName([]byte(name)))) }
