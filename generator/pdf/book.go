package pdf

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
)

// A page printed like a book. What a page asks of its print, with
// attributes (the default theme's print editions use them all):
//
//   - data-fc-page="ID" on an empty element: the printer writes in it the
//     number of the page the element with that ID starts on, in the digits
//     of the closest data-fc-digits ("٠١٢٣٤٥٦٧٨٩"; 0123456789 without).
//     Empty, the theme hides it: printed from a browser, the page has no
//     numbers to show.
//   - data-fc-outline="SELECTOR" on an element: the PDF's bookmarks are the
//     elements in it that match, titled by what their aria-labelledby names,
//     or else their first heading, or their aria-label; nested by
//     data-fc-level="N", or else by where they are. A page without it gets
//     its headings (h1 to h3) as bookmarks.
//   - data-fc-recto: the element starts a right-hand (odd) page, as in a
//     print for both sides of the paper; the printer puts a blank page
//     before it when it would not.
//   - data-fc-part: where a long page may be cut into parts (see split).
//
// Chromium cannot compute page numbers (it has no target-counter()), so the
// printer finds them out: it prints the page with placeholders as wide as
// the numbers, reads back from the PDF's named destinations where each
// element starts, writes in the numbers (and the blank pages) and prints
// again. A number in a box of its own (the contents' column of pages) keeps
// the placeholder's width, padded with figure spaces; one in a line of text
// is written as it is, which may move the text after it. The printer checks
// that nothing moved, and prints again if something did: only the parts
// whose numbers, first page or blank pages changed.

//go:embed book.js
var bookScript string

// maxPrints is how many times a page is printed at most before its page
// numbers settle.
const maxPrints = 5

// bookOptions are what one print of a part asks of book.js.
type bookOptions struct {
	Part      int            `json:"part"`
	Width     int            `json:"width"`             // digits of a page number
	Numbers   map[string]int `json:"numbers,omitempty"` // page numbers by ID; none in the first print
	Guess     map[string]int `json:"guess,omitempty"`   // digits of a page number in a line of text, by ID
	Blanks    []string       `json:"blanks,omitempty"`  // IDs of elements to put a blank page before
	BlankEnd  bool           `json:"blankEnd,omitempty"`
	Parted    bool           `json:"parted,omitempty"`
	Offset    int            `json:"offset"` // pages of the parts before
	Total     int            `json:"total"`  // pages of all parts
	Linked    []string       `json:"linked,omitempty"`
	CrossPart string         `json:"crossPart,omitempty"`
}

// bookPage is what book.js tells of a part.
type bookPage struct {
	Outline [][3]any `json:"outline"` // level, title, ID
	Recto   []string `json:"recto"`
	Refs    []string `json:"refs"` // the IDs whose pages it shows
}

// printedPart is one print of a part.
type printedPart struct {
	part  *part // the PDF, read
	dests map[string]Dest
	pages int
	page  bookPage
	opts  string // the options it was printed with, as JSON
}

// printPart prints part i with the options; the book calls it again for
// each print. It is given by the caller: a page in one part stays loaded
// in its tab between prints, a part of a long page is loaded again.
type printPart func(i int, o bookOptions) (*printedPart, error)

// book prints a page of n parts until its page numbers are right, and
// returns the parts' last prints and the page's outline.
//
// width is how many digits the page numbers are guessed to have: the
// placeholders of the first print are as wide, or, for a number in a line
// of text, as guess says for its target.
func book(n, width int, linked []string, guess map[string]int, print printPart) ([]*printedPart, []OutlineItem, error) {
	last := make([]*printedPart, n)
	var (
		numbers map[string]int // what the last print showed
		blanks  = map[string]bool{}
		atEnd   = make([]bool, n) // a blank page ends part i
	)
	for round := 1; ; round++ {
		opts := make([]bookOptions, n)
		offset, total := 0, 0
		for i := range n {
			if last[i] != nil {
				total += last[i].pages
			}
		}
		for i := range n {
			o := bookOptions{Part: i, Width: width, Parted: n > 1,
				Offset: offset, Total: total, BlankEnd: atEnd[i]}
			if last[i] == nil {
				o.Guess = guess
			} else {
				o.Guess = map[string]int{}
				for _, id := range last[i].page.Refs {
					if g, ok := guess[id]; ok {
						o.Guess[id] = g
					}
				}
			}
			if numbers != nil && last[i] != nil {
				// The numbers the part shows, so that a part whose
				// numbers, offset and blank pages are as they were is
				// not printed again.
				o.Numbers = map[string]int{}
				for _, id := range last[i].page.Refs {
					if page, ok := numbers[id]; ok {
						o.Numbers[id] = page
					}
				}
			}
			if n > 1 {
				o.Linked, o.CrossPart = linked, CrossPartURL
			}
			for id := range blanks {
				if last[i] != nil {
					if _, ok := last[i].dests[id]; ok {
						o.Blanks = append(o.Blanks, id)
					}
				}
			}
			slices.Sort(o.Blanks)
			opts[i] = o
			if last[i] != nil {
				offset += last[i].pages
			}
		}
		if err := printAll(n, opts, last, print); err != nil {
			return nil, nil, err
		}

		// Where everything is now, over all the parts.
		where := map[string]int{}
		offset = 0
		refs := 0
		for _, p := range last {
			for id, d := range p.dests {
				if _, ok := where[id]; !ok {
					where[id] = offset + d.Page
				}
			}
			offset += p.pages
			refs += len(p.page.Refs)
		}
		total = offset
		settled := numbers != nil || refs == 0 && n == 1
		for id, page := range numbers {
			if where[id] != page {
				settled = false
				break
			}
		}
		if prev := 0; settled && n > 1 {
			// The parts were numbered on from the pages before them as
			// the last round counted them.
			for i, p := range last {
				if opts[i].Offset != prev || opts[i].Total != total {
					settled = false
				}
				prev += p.pages
			}
		}

		// On both sides of the paper, what starts a right-hand page and
		// does not gets a blank page before it. Such an element starts its
		// page, so a blank page moves it and all after it on by one page
		// and changes nothing else: the blank pages are found in one go.
		var moved []int // the pages that get a blank page before them
		{
			type recto struct {
				page, part int
				id         string
			}
			var all []recto
			for i, p := range last {
				for _, id := range p.page.Recto {
					if page, ok := where[id]; ok {
						all = append(all, recto{page, i, id})
					}
				}
			}
			sort.Slice(all, func(a, b int) bool { return all[a].page < all[b].page })
			for _, r := range all {
				if (r.page+len(moved))%2 == 1 {
					continue
				}
				if last[r.part].dests[r.id].Page == 1 && r.part > 0 {
					atEnd[r.part-1] = true // the blank page ends the part before
				} else {
					blanks[r.id] = true
				}
				moved = append(moved, r.page)
				settled = false
			}
		}
		if settled {
			break
		}
		if round == maxPrints {
			return nil, nil, errors.New("its page numbers do not settle: each print moves what the numbers point at (report this as a bug)")
		}
		numbers = make(map[string]int, len(where))
		for id, page := range where {
			shift := 0
			for _, m := range moved {
				if page >= m {
					shift++
				}
			}
			numbers[id] = page + shift
		}
		total += len(moved)
		width = max(width, len(strconv.Itoa(total)))
	}

	var flat [][3]any
	for _, p := range last {
		flat = append(flat, p.page.Outline...)
	}
	return last, outlineOf(flat), nil
}

// printAll prints the parts whose options changed since their last print,
// on as many tabs as the caller gives.
func printAll(n int, opts []bookOptions, last []*printedPart, print printPart) error {
	errs := make([]error, n)
	done := make(chan struct{}, n)
	started := 0
	for i := range n {
		key, _ := json.Marshal(opts[i])
		if last[i] != nil && last[i].opts == string(key) {
			continue
		}
		started++
		go func() {
			defer func() { done <- struct{}{} }()
			p, err := print(i, opts[i])
			if err != nil {
				errs[i] = err
				return
			}
			p.opts = string(key)
			last[i] = p
		}()
	}
	for range started {
		<-done
	}
	return errors.Join(errs...)
}

// outlineOf nests the bookmarks of a page, each with its level.
func outlineOf(flat [][3]any) []OutlineItem {
	type open struct {
		level int
		item  *OutlineItem
	}
	var root OutlineItem
	stack := []open{{0, &root}}
	for _, e := range flat {
		level, _ := e[0].(float64)
		title, _ := e[1].(string)
		id, _ := e[2].(string)
		l := int(level)
		for len(stack) > 1 && stack[len(stack)-1].level >= l {
			stack = stack[:len(stack)-1]
		}
		parent := stack[len(stack)-1].item
		parent.Kids = append(parent.Kids, OutlineItem{Title: title, Dest: id})
		stack = append(stack, open{l, &parent.Kids[len(parent.Kids)-1]})
	}
	return root.Kids
}

// parseBookPage reads what book.js returned.
func parseBookPage(s string) (bookPage, error) {
	var p bookPage
	if err := json.Unmarshal([]byte(s), &p); err != nil {
		return p, fmt.Errorf("reading what the page said of itself: %w", err)
	}
	return p, nil
}
