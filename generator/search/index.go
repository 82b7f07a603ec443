// Package search builds the site's search index at build time, from the
// site graph and the text each page's render took of its body (see
// TextOf). The index is a set of script files, loaded by the browser with
// <script src> rather than fetch, so it works from a web server and from a
// folder opened in the browser (file://) alike:
//
//   - search/meta.js: the shards there are, where each part of the
//     document table starts, and the folding table the browser applies to
//     a query (the one Fold applies here);
//   - search/idx-HEX.js: the terms of one shard, those whose first two
//     runes (folded) are the prefix HEX spells, each with its postings;
//   - search/docs-N.js: part N of the document table: each page's URL,
//     session, title, time, kind, and its text, for the passages shown.
//
// A query loads meta.js, the shards of its terms, and the document parts of
// the results it shows.
package search

import (
	"bytes"
	"encoding/json"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"flipchart/generator/site"
)

// Kinds of a match, by rank: a match in a title ranks above one in a
// session's number, an objective, and so on down to the body's text.
const (
	KindBody = iota + 1
	KindMaterial
	KindSummary
	KindHeading
	KindObjective
	KindSession
	KindTitle
)

// Dir is the folder of the index in the site.
const Dir = "search/"

// chunkBytes is about how much text one part of the document table holds:
// a query shows ten results, so it loads at most ten parts, and fewer,
// larger parts cost a build fewer files.
const chunkBytes = 32 << 10

// maxBody is the most of a page's body text kept for passages; matches
// further on are found, and shown with the page's summary.
const maxBody = 24 << 10

// File is one file of the index.
type File struct {
	Name string // in the site: "search/idx-7072.js"
	Data []byte
}

// Doc is one page in the index.
type Doc struct {
	Page   *site.Page
	fields []field
	dict   *dict    // the dictionary of the worker that read the page
	terms  []uint32 // each term once, by its number in dict
	kinds  []uint8  // the best kind each of terms is found as
}

// dict is one worker's dictionary of the terms it met, numbered in the
// order met, shared by the pages it reads: a page keeps four bytes for
// each of its terms.
type dict struct {
	ids   map[string]*seenTerm
	terms []string
}

type field struct {
	Kind uint8
	Text string
}

// Indexed reports whether page p is searched: the pages authors write,
// drafts left out; handouts, worksheets and pages flipchart makes are parts
// or copies of those.
func Indexed(p *site.Page) bool {
	switch p.Kind {
	case site.Home, site.Module, site.Session, site.Plain, site.AgendaPage:
	default:
		return false
	}
	return p.Source == nil || !p.Source.Front.Draft
}

// seenTerm is a term a worker has met: its number, and where it is in the
// terms of the page it last met it in.
type seenTerm struct {
	id  uint32
	doc *Doc
	at  int
}

// newDoc collects the fields of a page and the terms in them, numbered in
// the worker's dictionary dt: one lookup for each word, one string for
// each term the worker meets.
func newDoc(p *site.Page, dt *dict) *Doc {
	d := &Doc{Page: p, dict: dt}
	add := func(kind uint8, text string, keep bool) {
		if text == "" {
			return
		}
		Terms(text, func(t []byte) {
			st := dt.ids[string(t)]
			switch {
			case st == nil:
				term := string(t)
				st = &seenTerm{id: uint32(len(dt.terms))}
				dt.ids[term] = st
				dt.terms = append(dt.terms, term)
			case st.doc == d:
				d.kinds[st.at] = max(d.kinds[st.at], kind)
				return
			}
			st.doc, st.at = d, len(d.terms)
			d.terms = append(d.terms, st.id)
			d.kinds = append(d.kinds, kind)
		})
		if keep {
			d.fields = append(d.fields, field{kind, text})
		}
	}
	add(KindTitle, p.Title, false) // shown as the result's title
	if p.Kind == site.Session {
		add(KindSession, strconv.Itoa(p.Session), false)
	}
	add(KindSummary, p.Summary, true)
	for _, o := range p.Objectives {
		add(KindObjective, o, true)
	}
	var t *site.PageText
	if p.Derived != nil {
		t = p.Derived.Text
	}
	mats := p.Materials
	if p.Derived != nil && p.Derived.Materials != nil {
		mats = p.Derived.Materials
	}
	for _, m := range slices.Concat(mats, p.Activities) {
		add(KindMaterial, m, true)
	}
	if t != nil {
		for _, h := range slices.Concat(t.Headings, t.Containers) {
			add(KindHeading, h, true)
		}
		body := t.Body
		if len(body) > maxBody {
			cut := maxBody
			for cut > 0 && body[cut]&0xC0 == 0x80 {
				cut-- // not within a rune
			}
			add(KindBody, body[cut:], false)
			body = body[:cut]
		}
		add(KindBody, body, true)
	}
	return d
}

// Build makes the index of the site's pages, in reading order, and hands
// each file to write as it is made, from several goroutines at once (write
// must not keep data).
func Build(s *site.Site, write func(name string, data []byte)) {
	var pages []*site.Page
	for _, p := range s.Pages {
		if Indexed(p) {
			pages = append(pages, p)
		}
	}
	docs := make([]*Doc, len(pages))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			dt := &dict{ids: make(map[string]*seenTerm, 1<<14)}
			for i := range next {
				docs[i] = newDoc(pages[i], dt)
			}
			dt.ids = nil // the numbers are all that is left to look up
		})
	}
	for i := range pages {
		next <- i
	}
	close(next)
	wg.Wait()
	writeIndex(docs, write)
}

// Files is Build's files, for tests.
func Files(s *site.Site) []File {
	var files []File
	var mu sync.Mutex
	Build(s, func(name string, data []byte) {
		mu.Lock()
		defer mu.Unlock()
		files = append(files, File{name, slices.Clone(data)})
	})
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	return files
}

// posting is one document a term is in, and as what.
type posting struct {
	doc  int32
	kind uint8
}

// writeIndex makes the index's files of docs: the workers' dictionaries
// merged into one, each term's postings in order of document, then on
// every core the document table on one and the shards, split by prefix,
// on the others. write is called from several goroutines at once.
func writeIndex(docs []*Doc, write func(string, []byte)) {
	// Number every term once, and map each worker's numbers to those.
	var terms []string
	global := map[string]uint32{}
	remap := map[*dict][]uint32{}
	for _, d := range docs {
		if _, ok := remap[d.dict]; ok {
			continue
		}
		ids := make([]uint32, len(d.dict.terms))
		for i, t := range d.dict.terms {
			g, ok := global[t]
			if !ok {
				g = uint32(len(terms))
				global[t] = g
				terms = append(terms, t)
			}
			ids[i] = g
		}
		remap[d.dict] = ids
	}
	postings := make([][]posting, len(terms))
	for i, d := range docs {
		ids := remap[d.dict]
		for j, id := range d.terms {
			g := ids[id]
			postings[g] = append(postings[g], posting{int32(i), d.kinds[j]})
		}
		d.terms, d.kinds = nil, nil
	}
	order := make([]uint32, len(terms))
	for i := range order {
		order[i] = uint32(i)
	}
	slices.SortFunc(order, func(a, b uint32) int { return strings.Compare(terms[a], terms[b]) })
	workers := runtime.GOMAXPROCS(0)
	var chunks []int
	var wg sync.WaitGroup
	wg.Go(func() { chunks = docFiles(docs, write) })
	prefixes := make([][]string, workers)
	for w := range workers {
		wg.Go(func() { prefixes[w] = writeShards(terms, order, postings, w, workers, write) })
	}
	wg.Wait()
	all := slices.Concat(prefixes...)
	sort.Strings(all)
	var b bytes.Buffer
	metaFile(&b, all, chunks, len(docs))
	write(Dir+"meta.js", b.Bytes())
}

// writeShards writes the shards whose prefix's hash is w among n, and
// returns their prefixes; order is the terms' numbers sorted by term, so
// a prefix's terms are together.
func writeShards(terms []string, order []uint32, postings [][]posting, w, n int, write func(string, []byte)) []string {
	var prefixes []string
	var b bytes.Buffer
	for i := 0; i < len(order); {
		t := terms[order[i]]
		pre := Prefix(t)
		j := i + 1
		for j < len(order) && strings.HasPrefix(terms[order[j]], pre) && Prefix(terms[order[j]]) == pre {
			j++
		}
		if prefixHash(t)%uint32(n) == uint32(w) {
			prefixes = append(prefixes, pre)
			b.Reset()
			shardFile(&b, pre, terms, order[i:j], postings)
			write(Dir+ShardFile(pre), b.Bytes())
		}
		i = j
	}
	return prefixes
}

// prefixHash is an FNV-1a hash of a term's prefix (see Prefix), without
// making the prefix.
func prefixHash(t string) uint32 {
	h := uint32(2166136261)
	runes := 0
	for i := 0; i < len(t); i++ {
		if t[i]&0xC0 != 0x80 {
			if runes == 2 {
				break
			}
			runes++
		}
		h = (h ^ uint32(t[i])) * 16777619
	}
	return h
}

// shardFile writes the terms of one shard, sorted, each with its postings
// in order of document (see appendPostings).
func shardFile(b *bytes.Buffer, pre string, terms []string, keys []uint32, postings [][]posting) {
	// A term is letters, numbers and marks only: nothing to escape.
	b.WriteString(`flipchartSearch.add("`)
	b.WriteString(pre)
	b.WriteString(`",{`)
	var enc []byte
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.WriteString(terms[k])
		b.WriteString(`":"`)
		enc = appendPostings(enc[:0], postings[k])
		b.Write(enc)
		b.WriteByte('"')
	}
	b.WriteString("});\n")
}

// Digits of the postings' numbers, five bits each: a last digit from
// last, one with more after it from more. A term's postings are, for each
// document in order, the number (gap << 3 | kind), gap the distance from
// the document before (from -1 for the first): a term in every document
// takes one character for each.
const (
	lastDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef"
	moreDigits = "ghijklmnopqrstuvwxyz0123456789-_"
)

// appendPostings appends the encoding of ps to b.
func appendPostings(b []byte, ps []posting) []byte {
	prev := int32(-1)
	for _, p := range ps {
		b = appendNumber(b, uint64(p.doc-prev)<<3|uint64(p.kind))
		prev = p.doc
	}
	return b
}

// appendNumber appends v in the digits of the postings, most significant
// first.
func appendNumber(b []byte, v uint64) []byte {
	var tmp [13]byte
	n := len(tmp)
	n--
	tmp[n] = lastDigits[v&31]
	for v >>= 5; v > 0; v >>= 5 {
		n--
		tmp[n] = moreDigits[v&31]
	}
	return append(b, tmp[n:]...)
}

// DecodePostings reads the postings of one term back, for tests and
// checks: the documents and the kinds.
func DecodePostings(s string) (docs []int, kinds []uint8, ok bool) {
	prev, v := -1, uint64(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if j := bytes.IndexByte([]byte(moreDigits), c); j >= 0 {
			v = v<<5 | uint64(j)
			continue
		}
		j := bytes.IndexByte([]byte(lastDigits), c)
		if j < 0 {
			return nil, nil, false
		}
		v = v<<5 | uint64(j)
		prev += int(v >> 3)
		docs = append(docs, prev)
		kinds = append(kinds, uint8(v&7))
		v = 0
	}
	return docs, kinds, v == 0
}

// writeDoc writes a document as the document table has it, and returns
// the length of its text: {"u": its file, "s": session, "t": title, "m":
// time, "k": kind, "f": [[kind, text], …]}, "s", "m" and "f" only when
// there are.
func writeDoc(b *bytes.Buffer, d *Doc) int {
	p := d.Page
	b.WriteString(`{"u":`)
	writeString(b, p.Out)
	if p.Session != 0 {
		b.WriteString(`,"s":`)
		b.WriteString(strconv.Itoa(p.Session))
	}
	b.WriteString(`,"t":`)
	writeString(b, p.Title)
	if t := p.Time.String(); t != "" {
		b.WriteString(`,"m":`)
		writeString(b, t)
	}
	b.WriteString(`,"k":`)
	writeString(b, p.Kind.String())
	size := 0
	for i, f := range d.fields {
		if i == 0 {
			b.WriteString(`,"f":[`)
		} else {
			b.WriteByte(',')
		}
		b.WriteByte('[')
		b.WriteByte('0' + f.Kind)
		b.WriteByte(',')
		writeString(b, f.Text)
		b.WriteByte(']')
		size += len(f.Text)
	}
	if len(d.fields) > 0 {
		b.WriteByte(']')
	}
	b.WriteByte('}')
	return size
}

// writeString writes s as a JSON string: quotes, backslashes and control
// characters escaped, the rest as it is (UTF-8; U+2028 and U+2029 are
// valid in a script's strings since ES2019, escaped all the same).
func writeString(b *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		var esc string
		switch {
		case c == '"':
			esc = `\"`
		case c == '\\':
			esc = `\\`
		case c == '\n':
			esc = `\n`
		case c < 0x20:
			esc = `\u00` + string(hex[c>>4]) + string(hex[c&15])
		case c == 0xE2 && i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xA8 || s[i+2] == 0xA9):
			esc = `\u202` + string(hex[s[i+2]&15])
			b.WriteString(s[start:i])
			b.WriteString(esc)
			i += 2
			start = i + 1
			continue
		default:
			continue
		}
		b.WriteString(s[start:i])
		b.WriteString(esc)
		start = i + 1
	}
	b.WriteString(s[start:])
	b.WriteByte('"')
}

// docFiles splits the document table into parts of about chunkBytes of
// text, consecutive documents together, and returns where each part
// starts.
func docFiles(docs []*Doc, write func(string, []byte)) []int {
	var starts []int
	var b bytes.Buffer
	size := 0
	flush := func() {
		if b.Len() == 0 {
			return
		}
		b.WriteString("]);\n")
		write(Dir+"docs-"+strconv.Itoa(len(starts)-1)+".js", b.Bytes())
		b.Reset()
	}
	for i, d := range docs {
		if b.Len() == 0 || size >= chunkBytes {
			flush()
			starts = append(starts, i)
			b.WriteString("flipchartSearch.docs(" + strconv.Itoa(len(starts)-1) + ",[")
			size = 0
		} else {
			b.WriteByte(',')
		}
		size += writeDoc(&b, d)
	}
	flush()
	return starts
}

// foldSpec is the folding table as the browser's half reads it.
type foldSpec struct {
	Map   map[string]string `json:"map"`
	Strip [][2]rune         `json:"strip"`
}

// metaFile writes search/meta.js.
func metaFile(b *bytes.Buffer, prefixes []string, chunks []int, n int) {
	spec := foldSpec{Map: make(map[string]string, len(folds)), Strip: strips}
	for r, s := range folds {
		spec.Map[string(r)] = s
	}
	b.WriteString("flipchartSearch.meta(")
	writeJSON(b, map[string]any{"v": 1, "n": n, "shards": prefixes, "chunks": chunks, "fold": spec})
	b.WriteString(");\n")
}

// writeJSON writes v as JSON without escaping HTML characters (a script
// file is not HTML), and without a newline; map keys are sorted, so the
// files are the same for the same site.
func writeJSON(b *bytes.Buffer, v any) {
	e := json.NewEncoder(b)
	e.SetEscapeHTML(false)
	_ = e.Encode(v) // strings, numbers and maps of them: never fails
	if n := b.Len(); n > 0 && b.Bytes()[n-1] == '\n' {
		b.Truncate(n - 1)
	}
}
