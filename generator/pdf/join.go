package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// OutlineItem is one entry of a PDF's bookmarks.
type OutlineItem struct {
	Title string // as shown
	Dest  string // the id of the element it goes to: a named destination
	Kids  []OutlineItem
}

// CrossPartURL starts the address of a link whose target is in another part
// of a page printed in parts: before a part is printed, each such link is
// pointed at CrossPartURL and the target's id, which Chromium writes as a
// link to a web address, and Join makes a link within the PDF.
const CrossPartURL = "https://flipchart.invalid/dest#"

// Join joins the PDFs Chromium printed from the parts of one page, in order,
// into one PDF, with the outline as its bookmarks. It keeps what makes each
// a tagged PDF: the parts' structure trees become one, their numbers made
// not to collide. The objects of part k are renumbered by adding the
// number of objects of the parts before it; their bytes, and the streams'
// bytes above all, are copied as they are. The result is built in memory
// (about the size of the parts together); its document information
// dictionary is the first part's (see withInfo). One part is a page printed
// whole, given its bookmarks.
func Join(parts [][]byte, outline []OutlineItem) ([]byte, error) {
	if len(parts) == 0 {
		return nil, errors.New("no parts to join")
	}
	j := &joiner{dests: map[string]string{}, roleMap: map[string]string{}, classMap: map[string]string{}, next: firstPartObject}
	size := 0
	for _, p := range parts {
		size += len(p)
	}
	j.out.Grow(size + size/64 + 4096)
	for i, data := range parts {
		if err := j.add(i, data); err != nil {
			if len(parts) == 1 {
				return nil, err
			}
			return nil, fmt.Errorf("part %d of %d: %w", i+1, len(parts), err)
		}
	}
	if err := j.finish(outline); err != nil {
		return nil, err
	}
	return j.out.Bytes(), nil
}

// The joined PDF's own objects come first; the parts' after them.
const (
	pagesObject = 1 + iota
	structObject
	destsObject
	catalogObject
	firstPartObject
)

// joiner builds the joined PDF.
type joiner struct {
	out     bytes.Buffer
	offsets map[int]int // object number -> offset in out
	next    int         // the first object number of the next part
	header  bool

	pageRoots      []string          // each part's page tree root, renumbered
	pages          int               // pages so far
	dests          map[string]string // named destinations: raw name (no slash) -> raw destination
	structKids     []string          // top-level structure elements
	parentTree     []numEntry        // the parent tree's entries, renumbered
	nextKey        int               // the parent tree's next key
	idNames        []numEntry        // the IDTree's entries (key is the raw string)
	roleMap        map[string]string // raw
	classMap       map[string]string
	lang, markInfo string
	viewerPrefs    string
	info           string // the first part's document information dictionary
	// The links across parts, written once every part's named
	// destinations are known: object number and bytes.
	deferred []numEntry
}

type numEntry struct {
	key   int
	skey  string
	value string
}

// add copies one part's objects into the output, renumbered, and gathers
// what the catalog and the structure tree need.
func (j *joiner) add(part int, data []byte) error {
	d, err := parse(data)
	if err != nil {
		return err
	}
	size, err := strconv.Atoi(d.trailer["Size"])
	if err != nil || size <= 0 {
		return fmt.Errorf("trailer /Size %q is not a count", d.trailer["Size"])
	}
	if !j.header {
		// The first part's header: "%PDF-1.4" and its line of binary bytes.
		end := 0
		for range 2 {
			if k := bytes.IndexByte(data[end:], '\n'); k >= 0 {
				end += k + 1
			}
		}
		if !bytes.HasPrefix(data, []byte("%PDF-")) || end == 0 {
			return errors.New("the PDF has no %PDF- header")
		}
		j.out.Write(data[:end])
		j.offsets = map[int]int{}
		j.header = true
	}
	base := j.next
	j.next += size
	re := func(raw string) string { return string(renumber([]byte(raw), base, 0, part)) }

	root, err := d.object(d.trailer["Root"])
	if err != nil {
		return fmt.Errorf("catalog: %w", err)
	}
	rootNum, _ := refNum(d.trailer["Root"])
	skip := map[int]bool{rootNum: true} // objects not copied: replaced by new ones
	if info, ok := refNum(d.trailer["Info"]); ok {
		if part == 0 {
			j.info = fmt.Sprintf("%d 0 R", base+info) // the title, producer and dates Chromium wrote
		} else {
			skip[info] = true
		}
	}
	if part == 0 {
		j.lang, j.markInfo, j.viewerPrefs = root["Lang"], root["MarkInfo"], root["ViewerPreferences"]
	}
	if o, ok := refNum(root["Outlines"]); ok {
		skip[o] = true // Chromium's own bookmarks, if any: left unreferenced
	}

	// The page tree: its root gets a parent, the new root.
	pagesRef := root["Pages"]
	pagesNum, ok := refNum(pagesRef)
	if !ok {
		return fmt.Errorf("the catalog's /Pages %q is not a reference", pagesRef)
	}
	tree, err := d.object(pagesRef)
	if err != nil {
		return fmt.Errorf("page tree: %w", err)
	}
	count, err := strconv.Atoi(strings.TrimSpace(tree["Count"]))
	if err != nil {
		return fmt.Errorf("page tree /Count %q: %w", tree["Count"], err)
	}
	j.pageRoots = append(j.pageRoots, fmt.Sprintf("%d 0 R", base+pagesNum))
	j.pages += count

	// Named destinations.
	if raw, ok := root["Dests"]; ok {
		dests, err := d.dictAt(raw)
		if err != nil {
			return fmt.Errorf("named destinations: %w", err)
		}
		if n, ok := refNum(raw); ok {
			skip[n] = true
		}
		for name, v := range dests {
			if _, dup := j.dests[name]; !dup {
				j.dests[name] = re(v)
			}
		}
	}

	// The structure tree: its root's kids, parent tree, role and class
	// maps and IDs, merged into the new root's.
	keyBase := j.nextKey
	parentOf := map[int]bool{} // top-level elements, whose /P is the new root
	if raw, ok := root["StructTreeRoot"]; ok {
		tree, err := d.dictAt(raw)
		if err != nil {
			return fmt.Errorf("structure tree: %w", err)
		}
		if n, ok := refNum(raw); ok {
			skip[n] = true
		}
		for _, k := range refsOf(tree["K"]) {
			if n, ok := refNum(k); ok {
				parentOf[n] = true
			}
		}
		j.structKids = append(j.structKids, refsOf(re(tree["K"]))...)
		next, _ := strconv.Atoi(strings.TrimSpace(tree["ParentTreeNextKey"]))
		if pt, ok := tree["ParentTree"]; ok {
			if n, ok := refNum(pt); ok {
				skip[n] = true
			}
			var entries []numEntry
			if err := d.numberTree(pt, &entries, false, 0); err != nil {
				return fmt.Errorf("structure tree's parent tree: %w", err)
			}
			for _, e := range entries {
				j.parentTree = append(j.parentTree, numEntry{key: keyBase + e.key, value: re(e.value)})
				next = max(next, e.key+1)
			}
		}
		j.nextKey = keyBase + next
		if ids, ok := tree["IDTree"]; ok {
			if n, ok := refNum(ids); ok {
				skip[n] = true
			}
			var entries []numEntry
			if err := d.numberTree(ids, &entries, true, 0); err != nil {
				return fmt.Errorf("structure tree's IDs: %w", err)
			}
			for _, e := range entries {
				j.idNames = append(j.idNames, numEntry{skey: string(renumber([]byte(e.skey), base, keyBase, part)), value: re(e.value)})
			}
		}
		for _, m := range []struct {
			key string
			to  map[string]string
		}{{"RoleMap", j.roleMap}, {"ClassMap", j.classMap}} {
			if raw, ok := tree[m.key]; ok {
				entries, err := d.dictAt(raw)
				if err != nil {
					return fmt.Errorf("structure tree's %s: %w", m.key, err)
				}
				for k, v := range entries {
					if _, dup := m.to[k]; !dup {
						m.to[k] = re(v)
					}
				}
			}
		}
	}

	// Every object, renumbered, in number order.
	for num := range size {
		off, ok := d.offsets[num]
		if !ok || skip[num] {
			continue
		}
		body, err := d.rawObject(num, off)
		if err != nil {
			return err
		}
		out := renumber(body, base, keyBase, part)
		switch {
		case num == pagesNum:
			out = setKey(out, "Parent", fmt.Sprintf("%d 0 R", pagesObject))
		case parentOf[num]:
			out = setKey(out, "P", fmt.Sprintf("%d 0 R", structObject))
		}
		if bytes.Contains(out, []byte(CrossPartURL)) {
			j.deferred = append(j.deferred, numEntry{key: base + num, value: string(crossPart(out))})
			continue
		}
		j.offsets[base+num] = j.out.Len()
		fmt.Fprintf(&j.out, "%d 0 obj\n", base+num)
		j.out.Write(out)
		j.out.WriteString("\nendobj\n")
	}
	return nil
}

// crossPartRE finds a link's action to CrossPartURL.
var crossPartRE = regexp.MustCompile(`/A\s*<<[^<>]*?/URI\s*\(` + regexp.QuoteMeta(CrossPartURL) + `([^()\\]*)\)[^<>]*>>`)

// crossPart makes the links of an annotation to CrossPartURL#id links to
// the named destination, written as /Dest (name) and resolved when the
// catalog is written; a link whose target is nowhere loses its action.
func crossPart(obj []byte) []byte {
	return crossPartRE.ReplaceAllFunc(obj, func(m []byte) []byte {
		frag := string(crossPartRE.FindSubmatch(m)[1])
		id, err := url.PathUnescape(frag)
		if err != nil {
			id = frag
		}
		return []byte("@DEST(" + id + ")@")
	})
}

// finish writes the new page tree, structure tree, named destinations,
// outline and catalog, then the xref table and trailer.
func (j *joiner) finish(outline []OutlineItem) error {
	n := j.next
	obj := func() int { n++; return n - 1 }
	pagesRoot, structRoot, destsObj, catalog := pagesObject, structObject, destsObject, catalogObject
	byID := map[string]string{} // element id -> raw name
	for name := range j.dests {
		byID[destID(name)] = name
	}
	write := func(num int, s string) {
		j.offsets[num] = j.out.Len()
		fmt.Fprintf(&j.out, "%d 0 obj\n%s\nendobj\n", num, s)
	}
	for _, e := range j.deferred {
		j.offsets[e.key] = j.out.Len()
		fmt.Fprintf(&j.out, "%d 0 obj\n", e.key)
		j.out.Write(replaceDests([]byte(e.value), byID))
		j.out.WriteString("\nendobj\n")
	}
	write(pagesRoot, fmt.Sprintf("<< /Type /Pages /Kids [ %s ] /Count %d >>", strings.Join(j.pageRoots, " "), j.pages))

	// Named destinations, sorted for a byte-for-byte result.
	var b strings.Builder
	b.WriteString("<<")
	for _, name := range slices.Sorted(maps.Keys(j.dests)) {
		fmt.Fprintf(&b, " /%s %s", name, j.dests[name])
	}
	b.WriteString(" >>")
	write(destsObj, b.String())

	// The structure tree.
	haveStruct := len(j.structKids) > 0
	if haveStruct {
		pt, idt := obj(), 0
		sort.SliceStable(j.parentTree, func(a, b int) bool { return j.parentTree[a].key < j.parentTree[b].key })
		var nums strings.Builder
		for _, e := range j.parentTree {
			fmt.Fprintf(&nums, " %d %s", e.key, e.value)
		}
		write(pt, "<< /Nums ["+nums.String()+" ] >>")
		var s strings.Builder
		fmt.Fprintf(&s, "<< /Type /StructTreeRoot /K [ %s ] /ParentTree %d 0 R /ParentTreeNextKey %d", strings.Join(j.structKids, " "), pt, j.nextKey)
		if len(j.idNames) > 0 {
			idt = obj()
			sort.SliceStable(j.idNames, func(a, b int) bool { return j.idNames[a].skey < j.idNames[b].skey })
			var names strings.Builder
			for _, e := range j.idNames {
				fmt.Fprintf(&names, " %s %s", e.skey, e.value)
			}
			write(idt, "<< /Names ["+names.String()+" ] >>")
			fmt.Fprintf(&s, " /IDTree %d 0 R", idt)
		}
		for _, m := range []struct {
			key string
			m   map[string]string
		}{{"RoleMap", j.roleMap}, {"ClassMap", j.classMap}} {
			if len(m.m) > 0 {
				fmt.Fprintf(&s, " /%s <<", m.key)
				for _, k := range slices.Sorted(maps.Keys(m.m)) {
					fmt.Fprintf(&s, " /%s %s", k, m.m[k])
				}
				s.WriteString(" >>")
			}
		}
		s.WriteString(" >>")
		write(structRoot, s.String())
	}

	// The outline.
	outlines := 0
	if items := j.resolve(outline); len(items) > 0 {
		outlines = obj()
		first, last, count := j.writeOutline(items, outlines, 0, obj, write)
		write(outlines, fmt.Sprintf("<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>", first, last, count))
	}

	var c strings.Builder
	fmt.Fprintf(&c, "<< /Type /Catalog /Pages %d 0 R /Dests %d 0 R", pagesRoot, destsObj)
	if haveStruct {
		fmt.Fprintf(&c, " /StructTreeRoot %d 0 R", structRoot)
	}
	for _, kv := range [][2]string{{"Lang", j.lang}, {"MarkInfo", j.markInfo}, {"ViewerPreferences", j.viewerPrefs}} {
		if kv[1] != "" {
			fmt.Fprintf(&c, " /%s %s", kv[0], kv[1])
		}
	}
	if outlines > 0 {
		fmt.Fprintf(&c, " /Outlines %d 0 R /PageMode /UseOutlines", outlines)
	}
	c.WriteString(" >>")
	write(catalog, c.String())

	// The xref table: every number below n, free where nothing is.
	xref := j.out.Len()
	fmt.Fprintf(&j.out, "xref\n0 %d\n0000000000 65535 f \n", n)
	for num := 1; num < n; num++ {
		if off, ok := j.offsets[num]; ok {
			fmt.Fprintf(&j.out, "%010d 00000 n \n", off)
		} else {
			j.out.WriteString("0000000000 00000 f \n")
		}
	}
	info := ""
	if j.info != "" {
		info = " /Info " + j.info
	}
	fmt.Fprintf(&j.out, "trailer\n<< /Size %d /Root %d 0 R%s >>\nstartxref\n%d\n%%%%EOF\n", n, catalog, info, xref)
	return nil
}

// resolvedItem is an outline item with its destination found.
type resolvedItem struct {
	title, dest string // dest: the raw destination array
	kids        []resolvedItem
}

// resolve finds each item's destination; an item whose element has none
// is left out and its kids take its place.
func (j *joiner) resolve(items []OutlineItem) []resolvedItem {
	byID := map[string]string{}
	for name, v := range j.dests {
		byID[destID(name)] = v
	}
	var walk func([]OutlineItem) []resolvedItem
	walk = func(items []OutlineItem) []resolvedItem {
		var out []resolvedItem
		for _, it := range items {
			kids := walk(it.Kids)
			if d, ok := byID[it.Dest]; ok && strings.TrimSpace(it.Title) != "" {
				out = append(out, resolvedItem{title: it.Title, dest: d, kids: kids})
			} else {
				out = append(out, kids...)
			}
		}
		return out
	}
	return walk(items)
}

// writeOutline writes a level of the outline under parent, at depth 0
// for the first, and returns its first and last items' numbers and how
// many items it shows: the first level is open (a module shows its
// sessions), those under it folded (a session hides its exercises).
func (j *joiner) writeOutline(items []resolvedItem, parent, depth int, obj func() int, write func(int, string)) (first, last, shown int) {
	nums := make([]int, len(items))
	for i := range items {
		nums[i] = obj()
	}
	for i, it := range items {
		var s strings.Builder
		fmt.Fprintf(&s, "<< /Title %s /Parent %d 0 R /Dest %s", textString(it.title), parent, it.dest)
		if i > 0 {
			fmt.Fprintf(&s, " /Prev %d 0 R", nums[i-1])
		}
		if i+1 < len(items) {
			fmt.Fprintf(&s, " /Next %d 0 R", nums[i+1])
		}
		shown++
		if len(it.kids) > 0 {
			f, l, n := j.writeOutline(it.kids, nums[i], depth+1, obj, write)
			if depth == 0 {
				fmt.Fprintf(&s, " /First %d 0 R /Last %d 0 R /Count %d", f, l, n)
				shown += n
			} else {
				fmt.Fprintf(&s, " /First %d 0 R /Last %d 0 R /Count %d", f, l, -len(it.kids)) // folded
			}
		}
		s.WriteString(" >>")
		write(nums[i], s.String())
	}
	return nums[0], nums[len(nums)-1], shown
}

// rawObject is the body of object num at off: what lies between
// "num gen obj" and "endobj", its stream's bytes whole.
func (d *document) rawObject(num, off int) ([]byte, error) {
	s := &scanner{b: d.data, p: off}
	n, err1 := s.int()
	_, err2 := s.int()
	kw, err3 := s.token()
	if errors.Join(err1, err2, err3) != nil || n != num || kw != "obj" {
		return nil, fmt.Errorf("the xref table points object %d at offset %d, which does not start it", num, off)
	}
	start := s.p
	if err := s.skip(); err != nil {
		return nil, fmt.Errorf("object %d: %w", num, err)
	}
	s.space()
	if bytes.HasPrefix(s.rest(), []byte("stream")) {
		dict, err := (&scanner{b: d.data, p: start}).dict()
		if err != nil {
			return nil, fmt.Errorf("object %d: %w", num, err)
		}
		length, err := d.intValue(dict["Length"])
		if err != nil {
			return nil, fmt.Errorf("object %d's stream: %w", num, err)
		}
		p := s.p + len("stream")
		if bytes.HasPrefix(d.data[p:], []byte("\r\n")) {
			p += 2
		} else if p < len(d.data) && d.data[p] == '\n' {
			p++
		}
		end := p + length
		if length < 0 || end > len(d.data) {
			return nil, fmt.Errorf("object %d's stream runs past the end of the PDF", num)
		}
		s.p = end
		s.space()
		if !bytes.HasPrefix(s.rest(), []byte("endstream")) {
			return nil, fmt.Errorf("object %d's stream is not %d bytes long", num, length)
		}
		s.p += len("endstream")
	}
	body := d.data[start:s.p]
	s.space()
	if !bytes.HasPrefix(s.rest(), []byte("endobj")) {
		return nil, fmt.Errorf("object %d does not end with endobj", num)
	}
	return bytes.TrimSpace(body), nil
}

// intValue is a number written directly, or in an object of its own.
func (d *document) intValue(raw string) (int, error) {
	raw = strings.TrimSpace(raw)
	if n, err := strconv.Atoi(raw); err == nil {
		return n, nil
	}
	num, ok := refNum(raw)
	if !ok {
		return 0, fmt.Errorf("%q is not a length", raw)
	}
	off, ok := d.offsets[num]
	if !ok {
		return 0, fmt.Errorf("object %d is not in the xref table", num)
	}
	s := &scanner{b: d.data, p: off}
	s.int()
	s.int()
	s.token()
	return s.int()
}

// dictAt is a dictionary written in place or in an object of its own.
func (d *document) dictAt(raw string) (map[string]string, error) {
	raw = strings.TrimSpace(raw)
	if strings.HasPrefix(raw, "<<") {
		return (&scanner{b: []byte(raw)}).dict()
	}
	return d.object(raw)
}

// numberTree gathers the entries of a number tree (or, with names set, a
// name tree) at raw: its /Nums (or /Names) and its kids'.
func (d *document) numberTree(raw string, out *[]numEntry, names bool, depth int) error {
	if depth > 32 {
		return errors.New("the tree is too deep (a loop?)")
	}
	node, err := d.dictAt(raw)
	if err != nil {
		return err
	}
	for _, k := range refsOf(node["Kids"]) {
		if err := d.numberTree(k, out, names, depth+1); err != nil {
			return err
		}
	}
	key := "Nums"
	if names {
		key = "Names"
	}
	list := strings.TrimSpace(node[key])
	if list == "" {
		return nil
	}
	if !strings.HasPrefix(list, "[") {
		return fmt.Errorf("/%s is not an array", key)
	}
	s := &scanner{b: []byte(list), p: 1}
	for {
		s.space()
		if s.p >= len(s.b) || s.b[s.p] == ']' {
			return nil
		}
		ks := s.p
		if err := s.skip(); err != nil {
			return err
		}
		k := string(s.b[ks:s.p])
		s.space()
		vs := s.p
		if err := s.skip(); err != nil {
			return err
		}
		e := numEntry{value: string(s.b[vs:s.p])}
		if names {
			e.skey = k
		} else if e.key, err = strconv.Atoi(strings.TrimSpace(k)); err != nil {
			return fmt.Errorf("number tree key %q", k)
		}
		*out = append(*out, e)
	}
}

// refNum is the object number of a reference "12 0 R".
func refNum(ref string) (int, bool) {
	f := strings.Fields(ref)
	if len(f) != 3 || f[2] != "R" {
		return 0, false
	}
	n, err := strconv.Atoi(f[0])
	return n, err == nil
}

// refsOf lists the references in raw: one, or those of an array.
func refsOf(raw string) []string {
	f := strings.Fields(strings.NewReplacer("[", " ", "]", " ").Replace(raw))
	var out []string
	for i := 0; i+2 < len(f); i++ {
		if f[i+2] == "R" {
			if _, err := strconv.Atoi(f[i]); err == nil {
				out = append(out, f[i]+" "+f[i+1]+" R")
				i += 2
			}
		}
	}
	return out
}

// renumber copies an object's bytes with every reference "n g R" made
// "n+base g R", every /StructParent(s) key made key+keyBase, and, for a
// part after the first, every structure element ID "(node123)" made
// "(nodeP-123)", so that the parts' IDs do not collide. Strings, comments
// and a stream's bytes are copied as they are.
func renumber(b []byte, base, keyBase, part int) []byte {
	out := make([]byte, 0, len(b)+len(b)/32)
	type tok struct{ start, end int } // in out
	var nums []tok                    // the last two number tokens, while a reference may follow
	afterKey := false                 // the last token was /StructParent or /StructParents
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == '(':
			end := i + 1
			for depth := 1; end < len(b) && depth > 0; end++ {
				switch b[end] {
				case '\\':
					end++
				case '(':
					depth++
				case ')':
					depth--
				}
			}
			s := b[i:min(end, len(b))]
			if part > 0 && bytes.HasPrefix(s, []byte("(node")) && isDigits(s[5:len(s)-1]) {
				out = append(out, "(node"...)
				out = strconv.AppendInt(out, int64(part), 10)
				out = append(out, '-')
				out = append(out, s[5:]...)
			} else {
				out = append(out, s...)
			}
			i, nums, afterKey = end, nil, false
		case c == '<' && i+1 < len(b) && b[i+1] == '<', c == '>' && i+1 < len(b) && b[i+1] == '>':
			out = append(out, c, c)
			i, nums, afterKey = i+2, nil, false
		case c == '<':
			end := bytes.IndexByte(b[i:], '>')
			if end < 0 {
				end = len(b) - i - 1
			}
			out = append(out, b[i:i+end+1]...)
			i, nums, afterKey = i+end+1, nil, false
		case c == '%':
			end := bytes.IndexAny(b[i:], "\r\n")
			if end < 0 {
				end = len(b) - i
			}
			out = append(out, b[i:i+end]...)
			i += end
		case bytes.HasPrefix(b[i:], []byte("stream")) && (i == 0 || isSpace(b[i-1]) || b[i-1] == '>'):
			return append(out, b[i:]...) // the stream, as it is
		case c >= '0' && c <= '9':
			end := i
			for end < len(b) && b[end] >= '0' && b[end] <= '9' {
				end++
			}
			if end < len(b) && (b[end] == '.' || isWordByte(b[end])) || i > 0 && (b[i-1] == '.' || b[i-1] == '-' || b[i-1] == '+' || isWordByte(b[i-1])) {
				// part of a real number or of a word
				for end < len(b) && !isSpace(b[end]) && !isDelim(b[end]) {
					end++
				}
				out = append(out, b[i:end]...)
				i, nums, afterKey = end, nil, false
				continue
			}
			if afterKey {
				n, _ := strconv.Atoi(string(b[i:end]))
				out = strconv.AppendInt(out, int64(n+keyBase), 10)
				i, nums, afterKey = end, nil, false
				continue
			}
			nums = append(nums, tok{len(out), len(out) + end - i})
			if len(nums) > 2 {
				nums = nums[1:]
			}
			out = append(out, b[i:end]...)
			i = end
		case c == 'R' && (i+1 == len(b) || isSpace(b[i+1]) || isDelim(b[i+1])) && len(nums) == 2:
			// "n g R": the first number is the object's.
			n, _ := strconv.Atoi(string(out[nums[0].start:nums[0].end]))
			rest := slices.Clone(out[nums[0].end:])
			out = strconv.AppendInt(out[:nums[0].start], int64(n+base), 10)
			out = append(out, rest...)
			out = append(out, 'R')
			i, nums, afterKey = i+1, nil, false
		case isSpace(c):
			out = append(out, c)
			i++
		case c == '/':
			end := i + 1
			for end < len(b) && !isSpace(b[end]) && !isDelim(b[end]) {
				end++
			}
			name := string(b[i+1 : end])
			out = append(out, b[i:end]...)
			i, nums = end, nil
			afterKey = name == "StructParent" || name == "StructParents"
		default:
			out = append(out, c)
			i, nums, afterKey = i+1, nil, false
		}
	}
	return out
}

func isDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

// setKey sets a key of an object's dictionary: the object's bytes are
// "<< ... >>" with a stream or not after.
func setKey(obj []byte, key, value string) []byte {
	s := &scanner{b: obj}
	m, err := s.dict()
	if err != nil {
		return obj
	}
	m[key] = value
	var b bytes.Buffer
	b.WriteString("<<")
	for _, k := range slices.Sorted(maps.Keys(m)) {
		fmt.Fprintf(&b, " /%s %s", k, m[k])
	}
	b.WriteString(" >>")
	b.Write(obj[s.p:])
	return b.Bytes()
}

// destRE finds the placeholder of a link across parts: @DEST(id)@.
var destRE = regexp.MustCompile(`@DEST\(([^()@]*)\)@`)

// replaceDests writes the links across parts: a named destination where
// the target has one, else nothing (the link goes nowhere).
func replaceDests(body []byte, byID map[string]string) []byte {
	if !bytes.Contains(body, []byte("@DEST(")) {
		return body
	}
	return destRE.ReplaceAllFunc(body, func(m []byte) []byte {
		id := string(destRE.FindSubmatch(m)[1])
		if name, ok := byID[id]; ok {
			return []byte("/Dest /" + name)
		}
		return nil // a link that goes nowhere
	})
}
