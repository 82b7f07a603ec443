package search

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// Finish writes what is left of the index once every page to add is added:
// the parts of the document table not written yet, the shards that change
// and meta.js, through w; old reads the last index's files (nil for a
// build of all). A file that comes out as it was is not written again. It
// returns the new index's State.
func (ix *Index) Finish(w Writer, old Reader) (*State, error) {
	if ix.last != nil && old == nil {
		return nil, errors.New("search: an index in part without the last index's files")
	}
	var errs []error
	var mu sync.Mutex
	write := func(name string, data []byte) {
		if old != nil {
			if b, ok := old.Get(name); ok && bytes.Equal(b, data) {
				return
			}
		}
		if err := w.WriteFile(name, data); err != nil {
			mu.Lock()
			errs = append(errs, fmt.Errorf("cannot write %s: %w", name, err))
			mu.Unlock()
		}
	}
	if err := ix.finishParts(write, old); err != nil {
		return nil, err
	}
	terms := ix.merge()
	shards, err := ix.writeShards(terms, write, old)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	metaFile(&b, shards, len(ix.pages))
	write(ix.dir()+"meta.js", b.Bytes())
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	st := &State{Docs: make([]string, len(ix.pages)), Shards: shards, Prefix: ix.prefix}
	for i, p := range ix.pages {
		st.Docs[i] = p.Out
	}
	return st, nil
}

// finishParts writes the parts of the document table that are not written
// and change: those with a page added, all of them when pages moved. The
// lines of the pages not added are the last index's.
func (ix *Index) finishParts(write func(string, []byte), old Reader) error {
	for part := range ix.fill {
		ix.unfill(part)
	}
	// moved says pages went to other parts: no part was written yet, and
	// a last part may give lines to several.
	moved := ix.last != nil && !ix.same
	lastPos := map[string]int{}
	if moved {
		for i, out := range ix.last.Docs {
			lastPos[out] = i
		}
	}
	// The last parts read, each until the pages taken from it are.
	type oldPart struct {
		lines [][]byte
		left  int
	}
	held := map[int]*oldPart{}
	uses := map[int]int{}
	from := func(doc int) int { // the last index's number of doc, or -1
		if ix.same {
			return doc
		}
		if i, ok := lastPos[ix.pages[doc].Out]; ok {
			return i
		}
		return -1
	}
	todo := make([]bool, len(ix.written))
	for part := range todo {
		switch {
		case ix.written[part] && !ix.dirty[part]:
		case ix.last == nil || !ix.same || ix.added[part] > 0:
			todo[part] = true
		}
		if !todo[part] || !moved {
			continue
		}
		for d := part * PerPart; d < part*PerPart+ix.partLen(part); d++ {
			if i := from(d); i >= 0 && ix.latest[d] == 0 {
				uses[i/PerPart]++
			}
		}
	}
	read := func(n int) (*oldPart, error) {
		if p := held[n]; p != nil {
			return p, nil
		}
		if old == nil {
			return nil, fmt.Errorf("search: %s is made again without the files written", ix.partFile(n))
		}
		data, ok := old.Get(ix.partFile(n))
		lines, err := parsePart(n, data)
		if !ok || err != nil {
			return nil, fmt.Errorf("search: the last index's %s cannot be read: %v", ix.partFile(n), err)
		}
		p := &oldPart{lines: lines, left: uses[n]}
		if moved {
			held[n] = p // it may be read for several parts
		}
		return p, nil
	}
	for part, do := range todo {
		if !do {
			continue
		}
		// A part written over a last one: read the last first, when
		// pages of it go elsewhere.
		if moved && uses[part] > 0 {
			if _, err := read(part); err != nil {
				return err
			}
		}
		var lines [][]byte
		var here *oldPart // this part as written, in order (same)
		for d := part * PerPart; d < part*PerPart+ix.partLen(part); d++ {
			if line, ok := ix.lines[int32(d)]; ok {
				lines = append(lines, line)
				continue
			}
			i := from(d)
			if ix.latest[d] != 0 {
				i = d // written with its part, which was added to again
			}
			if i < 0 {
				// Never added nor in the last index: a page whose render
				// failed. The build reports it; its title still leads
				// to it.
				var b bytes.Buffer
				writeDoc(&b, ix.pages[d], nil, ix.words)
				lines = append(lines, b.Bytes())
				continue
			}
			p := here
			if p == nil || moved {
				var err error
				if p, err = read(i / PerPart); err != nil {
					return err
				}
				here = p
			}
			if i%PerPart >= len(p.lines) {
				return fmt.Errorf("search: the last index's %s lacks a document", ix.partFile(i/PerPart))
			}
			lines = append(lines, p.lines[i%PerPart])
			if moved {
				if p.left--; p.left == 0 {
					delete(held, i/PerPart)
				}
			}
		}
		write(ix.partFile(part), partData(part, lines))
	}
	ix.lines = nil
	return nil
}

// newTerm is one term of the pages added, with its postings (see posting).
type newTerm struct {
	term string
	ps   []uint32
}

// merge numbers every term the workers met once, and gives each its
// postings from the pages added, in order of document; a page added twice
// counts as added last. The terms come sorted.
func (ix *Index) merge() []newTerm {
	global := map[string]uint32{}
	var terms []string
	remap := make([][]uint32, len(ix.workers))
	var counts []int
	for k, w := range ix.workers {
		ids := make([]uint32, len(w.terms))
		for i, t := range w.terms {
			g, ok := global[t]
			if !ok {
				g = uint32(len(terms))
				global[t] = g
				terms = append(terms, t)
				counts = append(counts, 0)
			}
			ids[i] = g
		}
		remap[k] = ids
		w.ids, w.seen, w.at = termTable{}, nil, nil
	}
	global = nil
	live := func(a added) bool { return ix.latest[a.doc] == a.ticket }
	for k, w := range ix.workers {
		start := int32(0)
		for _, a := range w.pages {
			if live(a) {
				for j := start; j < a.end; j++ {
					counts[remap[k][*w.marks.at(int(j))>>3]]++
				}
			}
			start = a.end
		}
	}
	offs := make([]int, len(terms)+1)
	for i, c := range counts {
		offs[i+1] = offs[i] + c
	}
	flat := make([]uint32, offs[len(terms)])
	fill := slices.Clone(offs[:len(terms)])
	for k, w := range ix.workers {
		start := int32(0)
		for _, a := range w.pages {
			if live(a) {
				for j := start; j < a.end; j++ {
					m := *w.marks.at(int(j))
					g := remap[k][m>>3]
					flat[fill[g]] = posting(a.doc, uint8(m&7))
					fill[g]++
				}
			}
			start = a.end
		}
		w.pages, w.marks = nil, marks{}
	}
	out := make([]newTerm, 0, len(terms))
	for i, t := range terms {
		ps := flat[offs[i]:offs[i+1]:offs[i+1]]
		if len(ps) == 0 {
			continue // only in pages added again since
		}
		slices.Sort(ps)
		out = append(out, newTerm{t, ps})
	}
	slices.SortFunc(out, func(a, b newTerm) int { return strings.Compare(a.term, b.term) })
	return out
}

// posting is a term's mark that document doc has it, as kind: the
// document's number and the kind, in one number ordered by document.
func posting(doc int32, kind uint8) uint32 { return uint32(doc)<<3 | uint32(kind) }

// writeShards writes the shards, on every core: each the terms of the
// pages added with its prefix, and those of the last index's shard of
// that prefix, their documents renumbered, those added left out. It
// returns the prefixes of the shards there are, sorted.
func (ix *Index) writeShards(terms []newTerm, write func(string, []byte), old Reader) ([]string, error) {
	groups := map[string][2]int{}
	var prefixes []string
	for i := 0; i < len(terms); {
		pre := Prefix(terms[i].term)
		j := i + 1
		for j < len(terms) && Prefix(terms[j].term) == pre {
			j++
		}
		groups[pre] = [2]int{i, j}
		prefixes = append(prefixes, pre)
		i = j
	}
	// The last index's documents, numbered as now; -1 for those added or
	// gone.
	var renumber []int32
	if ix.last != nil {
		if ix.same && ix.tickets.Load() == 0 {
			return ix.last.Shards, nil // nothing changed
		}
		renumber = make([]int32, len(ix.last.Docs))
		for i, out := range ix.last.Docs {
			renumber[i] = -1
			if d, ok := ix.pos[out]; ok && ix.latest[d] == 0 {
				renumber[i] = d
			}
		}
		for _, pre := range ix.last.Shards {
			if _, ok := groups[pre]; !ok {
				prefixes = append(prefixes, pre)
			}
		}
		slices.Sort(prefixes)
	}
	// With the pages in the same order, a shard with no term of the pages
	// added and none of their postings stays as it is.
	var dropped []bool
	if ix.last != nil && ix.same {
		dropped = make([]bool, len(ix.pages))
		for d, t := range ix.latest {
			dropped[d] = t != 0
		}
	}
	inLast := map[string]bool{}
	if ix.last != nil {
		for _, pre := range ix.last.Shards {
			inLast[pre] = true
		}
	}
	n := runtime.GOMAXPROCS(0)
	kept := make([]bool, len(prefixes))
	errs := make([]error, n)
	var wg sync.WaitGroup
	for w := range n {
		wg.Go(func() {
			var b bytes.Buffer
			for i := w; i < len(prefixes); i += n {
				pre := prefixes[i]
				var fresh []newTerm
				if g, ok := groups[pre]; ok {
					fresh = terms[g[0]:g[1]]
				}
				if len(fresh) == 0 && dropped != nil {
					// Kept as it is unless it has a page added again.
					data, _ := old.Get(ix.dir() + ShardFile(pre))
					has, err := shardHolds(data, dropped)
					if err == nil && !has {
						kept[i] = true
						continue
					}
				}
				var last []newTerm
				if inLast[pre] {
					data, _ := old.Get(ix.dir() + ShardFile(pre))
					l, err := parseShard(data, renumber)
					if err != nil {
						errs[w] = fmt.Errorf("search: the last index's %s cannot be read: %v", ix.dir()+ShardFile(pre), err)
						return
					}
					last = l
				}
				all := mergeTerms(last, fresh)
				if len(all) == 0 {
					continue // a shard no page has any more
				}
				kept[i] = true
				b.Reset()
				shardData(&b, pre, all)
				write(ix.dir()+ShardFile(pre), b.Bytes())
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	out := prefixes[:0]
	for i, pre := range prefixes {
		if kept[i] {
			out = append(out, pre)
		}
	}
	return out, nil
}

// mergeTerms merges two lists of terms sorted by term, joining the
// postings of a term in both.
func mergeTerms(a, b []newTerm) []newTerm {
	if len(a) == 0 {
		return b
	}
	out := make([]newTerm, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || i < len(a) && a[i].term < b[j].term:
			out = append(out, a[i])
			i++
		case i == len(a) || b[j].term < a[i].term:
			out = append(out, b[j])
			j++
		default:
			ps := slices.Concat(a[i].ps, b[j].ps)
			slices.Sort(ps)
			out = append(out, newTerm{a[i].term, ps})
			i++
			j++
		}
	}
	return out
}
