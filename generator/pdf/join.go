package pdf

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// This file joins PDFs that Chromium printed from the parts of one page into
// one PDF. It reads the parts as info.go does (classic xref tables, no object
// streams) and copies their objects into a new file, each object under a new
// number: the references in dictionaries and arrays are rewritten, and all
// other bytes (strings, comments, stream data) are copied as they are. A few
// objects are written anew: the catalog, the root of the page tree, the root
// of the structure tree with its parent tree, the named destinations and the
// outline.

// OutlineItem is one entry of a PDF's bookmarks.
type OutlineItem struct {
	Title string // as shown, plain text (any Unicode, also right-to-left scripts)
	Dest  string // the id of the element it goes to: one of the PDF's named destinations
	Kids  []OutlineItem
}

// CrossPartURL starts the address of a link whose target is in another part: before
// printing a part, the printer points each such link at CrossPartURL + id (the id
// percent-encoded as in a URL fragment), which Chromium writes as a URI link;
// Join makes it a link to the named destination.
const CrossPartURL = "https://flipchart.invalid/dest#"

// Join joins the PDFs Chromium printed from the parts of one page, in order,
// into one PDF with the given outline.
//
// The pages of all parts are in one page tree, in order; the named
// destinations of all parts are one /Dests dictionary (where two parts have
// the same name, the first part's wins); a link to CrossPartURL + id goes to
// the named destination of that id, and a link to a destination that no part
// has loses its target, so no link of the PDF leads nowhere. The parts'
// structure trees (tagged PDF) become one, their outlines are dropped, and
// outline becomes the PDF's bookmarks, showing its first level; an item whose
// Dest is no named destination is left out, its kids taking its place. The
// catalog's /Lang and /ViewerPreferences are the first part's, and so is its
// /Info dictionary (its title, producer and dates): withInfo adds to it.
//
// Join builds the PDF in one buffer, sized up front to the parts' length, so
// it needs the memory of the parts and the result, and some bytes per object
// of the parts. One part is valid input: its objects are copied under new
// numbers with the outline given. An input that is not a PDF as Chromium
// writes it (a cross-reference stream, an encrypted file, a missing page tree)
// is an error that names the part.
func Join(parts [][]byte, outline []OutlineItem) ([]byte, error) {
	if len(parts) == 0 {
		return nil, errors.New("joining PDFs: there are no parts to join (pass at least one PDF)")
	}
	read := make([]*part, len(parts))
	for i, data := range parts {
		p, err := readPart(data)
		if err != nil {
			return nil, fmt.Errorf("joining PDFs: part %d of %d: %w", i+1, len(parts), err)
		}
		read[i] = p
	}
	return join(read, outline)
}

// join is Join of parts already read (by readPart, as Destinations reads
// them), each joined once.
func join(parts []*part, outline []OutlineItem) ([]byte, error) {
	j := &joiner{}
	total := 0
	for i, p := range parts {
		p.index = i
		if i > 0 && p.info != 0 {
			p.drop[p.info] = true // the first part's title, producer and dates are the PDF's
		}
		j.parts = append(j.parts, p)
		total += len(p.data)
	}
	j.mergeDests()
	j.outline = j.resolveOutline(outline)
	j.number()
	if err := j.edit(); err != nil {
		return nil, fmt.Errorf("joining PDFs: %w", err)
	}
	j.out.Grow(total + total/50 + 4096)
	if err := j.write(); err != nil {
		return nil, fmt.Errorf("joining PDFs: %w", err)
	}
	return j.out.Bytes(), nil
}

// maxDepth limits how deeply Join follows nested arrays and dictionaries, and
// trees of pages, outline items and the like, so that a damaged file is an
// error rather than a stack overflow.
const maxDepth = 200

// span is a value of a part: the bytes from s to e of its data.
type span struct{ s, e int }

// entry is one key and value of a dictionary.
type entry struct {
	key   string // the name without its slash, #-escapes as written
	start int    // where the key's slash is
	val   span
}

// object is where an indirect object is in a part's data.
type object struct {
	val span // its value: for a stream, the dictionary
	end int  // the end of "endstream" for a stream, else val.e
}

// edit changes entries of a dictionary object as it is copied. A value is
// final PDF text (its references already in the joined file's numbers); ""
// removes the entry.
type edit map[string]string

// part is one PDF to join, with what Join needs of it.
type part struct {
	index int
	data  []byte
	doc   *document

	info      int   // object number of its document information dictionary, or 0
	pagesRoot int   // object number of the root of its page tree
	pages     []int // object numbers of its pages, in order
	count     int   // len(pages)

	pageStructParents map[int]int // page → its /StructParents
	annots            []annot

	structRoot bool
	structKids []int             // top-level structure elements
	parentTree []numEntry        // the parent tree's entries
	nextKey    int               // the first key the part does not use
	idTree     []nameEntry       // the ID tree's entries
	roleMap    []entry           // /RoleMap
	classMap   []entry           // /ClassMap
	renameIDs  map[string]string // structure element ID → the ID it gets
	keyOffset  int               // added to the part's parent tree keys

	dests []entry // the /Dests dictionary's entries
	lang  span    // the catalog's /Lang, or {0, 0}
	prefs span    // the catalog's /ViewerPreferences, or {0, 0}

	drop  map[int]bool // objects not to copy
	edits map[int]edit
	nums  []int // old object number → new one; 0 when not copied
}

// annot is an annotation of a page.
type annot struct {
	num          int
	structParent int    // -1 when it has none
	dest         []byte // the name of a /Dest /name, decoded; nil when none
	uri          []byte // the /URI of a /A /URI action, decoded; nil when none
	action       int    // the object number of an indirect /A, or 0
}

type numEntry struct {
	key int
	val span
}

type nameEntry struct {
	key string // decoded
	val span
}

// readPart reads what Join needs of one part.
func readPart(data []byte) (*part, error) {
	doc, err := parse(data)
	if err != nil {
		return nil, err
	}
	p := &part{data: data, doc: doc, pageStructParents: map[int]int{}, drop: map[int]bool{}, edits: map[int]edit{}}
	maxNum := 0
	for n := range doc.offsets {
		maxNum = max(maxNum, n)
	}
	if maxNum >= len(data) {
		return nil, fmt.Errorf("the xref table lists object %d, more objects than the file has bytes: this is not a PDF as Chromium writes it", maxNum)
	}
	rootNum, ok := refText(doc.trailer["Root"])
	if !ok {
		return nil, fmt.Errorf("the trailer's /Root %q is not a reference to the catalog", doc.trailer["Root"])
	}
	p.drop[rootNum] = true
	if n, ok := refText(doc.trailer["Info"]); ok {
		p.info = n // kept for the first part only (see Join)
	}
	catalog, err := p.dictObject(rootNum)
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	pages, ok := get(catalog, "Pages")
	if !ok {
		return nil, fmt.Errorf("the catalog (object %d) has no /Pages: the PDF has no page tree", rootNum)
	}
	if p.pagesRoot, ok = p.ref(pages); !ok {
		return nil, fmt.Errorf("the catalog's /Pages is not a reference to the page tree")
	}
	if err := p.walkPages(p.pagesRoot, 0, map[int]bool{}); err != nil {
		return nil, fmt.Errorf("page tree: %w", err)
	}
	p.count = len(p.pages)
	if err := p.readAnnots(); err != nil {
		return nil, err
	}
	if v, ok := get(catalog, "StructTreeRoot"); ok {
		if err := p.readStructTree(v); err != nil {
			return nil, fmt.Errorf("structure tree: %w", err)
		}
	}
	// Keys of the parent tree that a page or annotation uses but the tree
	// lacks are kept free all the same.
	for _, n := range p.pageStructParents {
		p.nextKey = max(p.nextKey, n+1)
	}
	for _, a := range p.annots {
		p.nextKey = max(p.nextKey, a.structParent+1)
	}
	if v, ok := get(catalog, "Dests"); ok {
		d, err := p.dictValue(v)
		if err != nil {
			return nil, fmt.Errorf("catalog /Dests: %w", err)
		}
		p.dests = d
	}
	if v, ok := get(catalog, "Outlines"); ok {
		if n, ok := p.ref(v); ok {
			if err := p.dropOutline(n, 0); err != nil {
				return nil, fmt.Errorf("outline: %w", err)
			}
		}
	}
	if v, ok := get(catalog, "Lang"); ok {
		p.lang = v
	}
	if v, ok := get(catalog, "ViewerPreferences"); ok {
		p.prefs = v
	}
	return p, nil
}

// walkPages adds the pages under the page tree node num to p.pages.
func (p *part) walkPages(num, depth int, seen map[int]bool) error {
	if depth > maxDepth {
		return fmt.Errorf("the page tree is more than %d levels deep", maxDepth)
	}
	if seen[num] {
		return fmt.Errorf("the page tree reaches object %d twice", num)
	}
	seen[num] = true
	d, err := p.dictObject(num)
	if err != nil {
		return err
	}
	typ, _ := get(d, "Type")
	kids, hasKids := get(d, "Kids")
	switch t := string(p.text(typ)); {
	case t == "/Page":
		p.pages = append(p.pages, num)
		if v, ok := get(d, "StructParents"); ok {
			n, err := strconv.Atoi(string(p.text(v)))
			if err != nil || n < 0 {
				return fmt.Errorf("page object %d has /StructParents %q, which is not a key", num, p.text(v))
			}
			p.pageStructParents[num] = n
		}
		return nil
	case t == "/Pages" || (t == "" && hasKids):
		if !hasKids {
			return fmt.Errorf("page tree node %d has no /Kids", num)
		}
		refs, err := p.refArray(kids)
		if err != nil {
			return fmt.Errorf("/Kids of page tree node %d: %w", num, err)
		}
		for _, k := range refs {
			if err := p.walkPages(k, depth+1, seen); err != nil {
				return err
			}
		}
		return nil
	default:
		return fmt.Errorf("object %d in the page tree is neither a /Page nor a /Pages node", num)
	}
}

// readAnnots reads the annotations of the part's pages.
func (p *part) readAnnots() error {
	seen := map[int]bool{}
	for _, page := range p.pages {
		d, err := p.dictObject(page)
		if err != nil {
			return err
		}
		v, ok := get(d, "Annots")
		if !ok {
			continue
		}
		refs, err := p.refArray(v)
		if err != nil {
			return fmt.Errorf("/Annots of page object %d: %w (Join renumbers only annotations that are indirect objects)", page, err)
		}
		for _, n := range refs {
			if seen[n] {
				continue
			}
			seen[n] = true
			a, err := p.readAnnot(n)
			if err != nil {
				return fmt.Errorf("annotation %d of page object %d: %w", n, page, err)
			}
			p.annots = append(p.annots, a)
		}
	}
	return nil
}

func (p *part) readAnnot(num int) (annot, error) {
	a := annot{num: num, structParent: -1}
	d, err := p.dictObject(num)
	if err != nil {
		return a, err
	}
	if v, ok := get(d, "StructParent"); ok {
		if a.structParent, err = strconv.Atoi(string(p.text(v))); err != nil || a.structParent < 0 {
			return a, fmt.Errorf("/StructParent %q is not a key", p.text(v))
		}
	}
	if sub, _ := get(d, "Subtype"); string(p.text(sub)) != "/Link" {
		return a, nil
	}
	if v, ok := get(d, "Dest"); ok {
		a.dest = p.nameOrString(v)
	}
	if v, ok := get(d, "A"); ok {
		if n, ok := p.ref(v); ok {
			a.action = n
		}
		act, err := p.dictValue(v)
		if err != nil {
			return a, fmt.Errorf("its action: %w", err)
		}
		if s, _ := get(act, "S"); string(p.text(s)) == "/URI" {
			if u, ok := get(act, "URI"); ok {
				a.uri = p.nameOrString(u)
			}
		}
	}
	return a, nil
}

// readStructTree reads the root of the structure tree, v.
func (p *part) readStructTree(v span) error {
	p.structRoot = true
	if n, ok := p.ref(v); ok {
		p.drop[n] = true
	}
	d, err := p.dictValue(v)
	if err != nil {
		return err
	}
	if k, ok := get(d, "K"); ok {
		// One element, or an array of them (which may be an object).
		var err error
		if n, ok := p.ref(k); ok {
			if v, _, err := p.value(n); err == nil && v.e > v.s && p.data[v.s] != '[' {
				p.structKids = []int{n}
			}
		}
		if p.structKids == nil {
			p.structKids, err = p.refArray(k)
		}
		if err != nil {
			return fmt.Errorf("/K of the structure tree root: %w (Join needs its elements to be indirect objects)", err)
		}
	}
	if v, ok := get(d, "ParentTree"); ok {
		err := p.walkTree(v, "Nums", 0, map[int]bool{}, func(key, val span) error {
			n, err := strconv.Atoi(string(p.text(key)))
			if err != nil || n < 0 {
				return fmt.Errorf("parent tree key %q is not a number", p.text(key))
			}
			p.parentTree = append(p.parentTree, numEntry{n, val})
			p.nextKey = max(p.nextKey, n+1)
			return nil
		})
		if err != nil {
			return fmt.Errorf("/ParentTree: %w", err)
		}
	}
	if v, ok := get(d, "ParentTreeNextKey"); ok {
		if n, err := strconv.Atoi(string(p.text(v))); err == nil && n > 0 {
			p.nextKey = max(p.nextKey, n)
		}
	}
	if v, ok := get(d, "IDTree"); ok {
		err := p.walkTree(v, "Names", 0, map[int]bool{}, func(key, val span) error {
			s, ok := p.stringValue(key)
			if !ok {
				return fmt.Errorf("ID tree key %q is not a string", p.text(key))
			}
			p.idTree = append(p.idTree, nameEntry{string(s), val})
			return nil
		})
		if err != nil {
			return fmt.Errorf("/IDTree: %w", err)
		}
	}
	for key, dst := range map[string]*[]entry{"RoleMap": &p.roleMap, "ClassMap": &p.classMap} {
		if v, ok := get(d, key); ok {
			if n, ok := p.ref(v); ok {
				p.drop[n] = true
			}
			if *dst, err = p.dictValue(v); err != nil {
				return fmt.Errorf("/%s: %w", key, err)
			}
		}
	}
	return nil
}

// walkTree calls leaf for each key and value of the number tree (leaves
// "Nums") or name tree (leaves "Names") at v, and marks its nodes to drop.
func (p *part) walkTree(v span, leaves string, depth int, seen map[int]bool, leaf func(key, val span) error) error {
	if depth > maxDepth {
		return fmt.Errorf("the tree is more than %d levels deep", maxDepth)
	}
	if n, ok := p.ref(v); ok {
		if seen[n] {
			return fmt.Errorf("the tree reaches object %d twice", n)
		}
		seen[n] = true
		p.drop[n] = true
	}
	d, err := p.dictValue(v)
	if err != nil {
		return err
	}
	if kids, ok := get(d, "Kids"); ok {
		refs, err := p.refArray(kids)
		if err != nil {
			return fmt.Errorf("/Kids: %w", err)
		}
		for _, k := range refs {
			if err := p.walkTreeRef(k, leaves, depth+1, seen, leaf); err != nil {
				return err
			}
		}
	}
	if arr, ok := get(d, leaves); ok {
		arr, err := p.resolve(arr)
		if err != nil {
			return err
		}
		items, err := p.array(arr)
		if err != nil {
			return fmt.Errorf("/%s: %w", leaves, err)
		}
		if len(items)%2 != 0 {
			return fmt.Errorf("/%s has an odd number of items", leaves)
		}
		for i := 0; i < len(items); i += 2 {
			if err := leaf(items[i], items[i+1]); err != nil {
				return err
			}
		}
	}
	return nil
}

// walkTreeRef walks the tree node that is object num.
func (p *part) walkTreeRef(num int, leaves string, depth int, seen map[int]bool, leaf func(key, val span) error) error {
	o, err := p.object(num)
	if err != nil {
		return err
	}
	if seen[num] {
		return fmt.Errorf("the tree reaches object %d twice", num)
	}
	seen[num] = true
	p.drop[num] = true
	return p.walkTree(o.val, leaves, depth, seen, leaf)
}

// dropOutline marks the outline item num, its kids and the items after it
// to drop.
func (p *part) dropOutline(num, depth int) error {
	for n := num; n != 0 && !p.drop[n]; {
		if depth > maxDepth {
			return fmt.Errorf("the outline is more than %d levels deep", maxDepth)
		}
		d, err := p.dictObject(n)
		if err != nil {
			return err
		}
		p.drop[n] = true
		if v, ok := get(d, "First"); ok {
			if k, ok := p.ref(v); ok {
				if err := p.dropOutline(k, depth+1); err != nil {
					return err
				}
			}
		}
		n = 0
		if v, ok := get(d, "Next"); ok {
			n, _ = p.ref(v)
		}
	}
	return nil
}

// joiner holds the parts and the joined file as it is written.
type joiner struct {
	parts []*part
	out   bytes.Buffer

	dests   []dest         // the named destinations of the joined file
	byID    map[string]int // decoded id → index in dests
	byName  map[string]int // decoded name → index in dests
	outline []*outlineNode

	// Numbers of the objects written anew.
	catalog, pagesRoot, structRoot, parentTree, idTree, destsObj, outlineRoot int
	size                                                                      int // the next free object number
	offsets                                                                   []int
}

type dest struct {
	part *part
	name span // the name, slash included, as written
	val  span
}

type outlineNode struct {
	title string
	dest  int // index in joiner.dests
	kids  []*outlineNode
	num   int
}

// mergeDests merges the parts' named destinations; a name already taken by
// an earlier part keeps its first destination.
func (j *joiner) mergeDests() {
	j.byID, j.byName = map[string]int{}, map[string]int{}
	for _, p := range j.parts {
		for _, e := range p.dests {
			name := string(decodeName([]byte(e.key)))
			if _, ok := j.byName[name]; ok {
				continue
			}
			j.byName[name] = len(j.dests)
			id := percentDecode(name)
			if _, ok := j.byID[id]; !ok {
				j.byID[id] = len(j.dests)
			}
			j.dests = append(j.dests, dest{part: p, name: span{e.start, e.start + 1 + len(e.key)}, val: e.val})
		}
	}
}

// lookup returns the destination of an id, or of a name, or -1.
func (j *joiner) lookup(id string) int {
	if i, ok := j.byID[percentDecode(id)]; ok {
		return i
	}
	if i, ok := j.byName[id]; ok {
		return i
	}
	return -1
}

// resolveOutline keeps the items whose Dest is a named destination, and
// lifts the kids of the others into their place.
func (j *joiner) resolveOutline(items []OutlineItem) []*outlineNode {
	var add func(items []OutlineItem, depth int) []*outlineNode
	add = func(items []OutlineItem, depth int) []*outlineNode {
		var nodes []*outlineNode
		for _, it := range items {
			var kids []*outlineNode
			if depth < maxDepth {
				kids = add(it.Kids, depth+1)
			}
			if d := j.lookup(it.Dest); d >= 0 {
				nodes = append(nodes, &outlineNode{title: it.Title, dest: d, kids: kids})
			} else {
				nodes = append(nodes, kids...)
			}
		}
		return nodes
	}
	return add(items, 0)
}

// number gives each object of the joined file its number: first those
// written anew, then the parts' objects in the order of the parts and of
// their place in each part's file.
func (j *joiner) number() {
	j.size = 1
	next := func() int { j.size++; return j.size - 1 }
	j.catalog, j.pagesRoot = next(), next()
	for _, p := range j.parts {
		if p.structRoot && j.structRoot == 0 {
			j.structRoot, j.parentTree = next(), next()
		}
		if len(p.idTree) > 0 && j.idTree == 0 {
			j.idTree = next()
		}
	}
	if len(j.dests) > 0 {
		j.destsObj = next()
	}
	if len(j.outline) > 0 {
		j.outlineRoot = next()
		var walk func([]*outlineNode)
		walk = func(nodes []*outlineNode) {
			for _, n := range nodes {
				n.num = next()
				walk(n.kids)
			}
		}
		walk(j.outline)
	}
	// The URI actions that Join removes are not copied, so that no
	// CrossPartURL is left in the file.
	for _, p := range j.parts {
		for _, a := range p.annots {
			if a.action != 0 && bytes.HasPrefix(a.uri, []byte(CrossPartURL)) {
				p.drop[a.action] = true
			}
		}
	}
	for _, p := range j.parts {
		maxNum := 0
		for n := range p.doc.offsets {
			maxNum = max(maxNum, n)
		}
		p.nums = make([]int, maxNum+1)
		for _, n := range p.order() {
			if !p.drop[n] {
				p.nums[n] = next()
			}
		}
	}
}

// order returns the part's objects in the order they are in its file.
func (p *part) order() []int {
	nums := make([]int, 0, len(p.doc.offsets))
	for n := range p.doc.offsets {
		if n > 0 {
			nums = append(nums, n)
		}
	}
	slices.SortFunc(nums, func(a, b int) int {
		return cmp.Or(cmp.Compare(p.doc.offsets[a], p.doc.offsets[b]), cmp.Compare(a, b))
	})
	return nums
}

// edit decides the changes to the parts' objects: each part's page tree
// under the new root, keys of the parent tree moved past the earlier parts',
// links to other parts made links to their destinations, structure element
// IDs that an earlier part has renamed.
func (j *joiner) edit() error {
	offset := 0
	usedIDs := map[string]bool{}
	for _, p := range j.parts {
		own := map[string]bool{}
		for _, e := range p.idTree {
			own[e.key] = true
		}
		set := func(num int, key, val string) {
			if p.edits[num] == nil {
				p.edits[num] = edit{}
			}
			p.edits[num][key] = val
		}
		set(p.pagesRoot, "Parent", ref(j.pagesRoot))
		p.keyOffset = offset
		for page, n := range p.pageStructParents {
			set(page, "StructParents", strconv.Itoa(n+offset))
		}
		for _, a := range p.annots {
			if a.structParent >= 0 {
				set(a.num, "StructParent", strconv.Itoa(a.structParent+offset))
			}
			if _, ok := j.byName[string(a.dest)]; a.dest != nil && !ok {
				// Chromium links to an element it printed no destination
				// for, such as one that is not displayed.
				set(a.num, "Dest", "")
			}
			if id, ok := bytes.CutPrefix(a.uri, []byte(CrossPartURL)); ok {
				set(a.num, "A", "")
				if d := j.lookup(string(id)); d >= 0 {
					set(a.num, "Dest", string(j.dests[d].part.text(j.dests[d].name)))
				}
			}
		}
		for _, k := range p.structKids {
			set(k, "P", ref(j.structRoot))
		}
		offset += p.nextKey
		for _, e := range p.idTree {
			if !usedIDs[e.key] {
				continue
			}
			if p.renameIDs == nil {
				p.renameIDs = map[string]string{}
			}
			for i := p.index + 1; ; i++ {
				id := e.key + "-" + strconv.Itoa(i)
				if !usedIDs[id] && !own[id] {
					p.renameIDs[e.key] = id
					break
				}
			}
		}
		for _, e := range p.idTree {
			usedIDs[e.key] = true
			if id, ok := p.renameIDs[e.key]; ok {
				usedIDs[id] = true
			}
		}
	}
	return nil
}

// write writes the joined file.
func (j *joiner) write() error {
	w := &j.out
	j.offsets = make([]int, j.size)
	w.Write(header(j.parts[0].data))
	for _, p := range j.parts {
		for _, n := range p.order() {
			if p.nums[n] == 0 {
				continue
			}
			if err := j.copyObject(p, n); err != nil {
				return fmt.Errorf("part %d of %d: %w", p.index+1, len(j.parts), err)
			}
		}
	}

	// The page tree.
	j.begin(j.pagesRoot)
	w.WriteString("<</Type /Pages\n/Kids [")
	count := 0
	for i, p := range j.parts {
		if i > 0 {
			w.WriteByte(' ')
		}
		w.WriteString(ref(p.nums[p.pagesRoot]))
		count += p.count
	}
	fmt.Fprintf(w, "]\n/Count %d>>", count)
	j.end()

	// The structure tree.
	if j.structRoot != 0 {
		j.begin(j.structRoot)
		w.WriteString("<</Type /StructTreeRoot\n/K [")
		first := true
		for _, p := range j.parts {
			for _, k := range p.structKids {
				if !first {
					w.WriteByte(' ')
				}
				first = false
				w.WriteString(j.refIn(p, k))
			}
		}
		next := 0
		for _, p := range j.parts {
			next = p.keyOffset + p.nextKey
		}
		fmt.Fprintf(w, "]\n/ParentTree %s\n/ParentTreeNextKey %d", ref(j.parentTree), next)
		if j.idTree != 0 {
			fmt.Fprintf(w, "\n/IDTree %s", ref(j.idTree))
		}
		for _, key := range []string{"RoleMap", "ClassMap"} {
			seen := map[string]bool{}
			started := false
			for _, p := range j.parts {
				m := p.roleMap
				if key == "ClassMap" {
					m = p.classMap
				}
				for _, e := range m {
					name := string(decodeName([]byte(e.key)))
					if seen[name] {
						continue
					}
					seen[name] = true
					if !started {
						fmt.Fprintf(w, "\n/%s <<", key)
						started = true
					}
					fmt.Fprintf(w, "/%s ", e.key)
					j.copyValue(p, e.val, nil)
					w.WriteByte('\n')
				}
			}
			if started {
				w.WriteString(">>")
			}
		}
		w.WriteString(">>")
		j.end()

		j.begin(j.parentTree)
		w.WriteString("<</Nums [")
		for _, p := range j.parts {
			entries := slices.Clone(p.parentTree)
			slices.SortStableFunc(entries, func(a, b numEntry) int { return cmp.Compare(a.key, b.key) })
			for _, e := range entries {
				fmt.Fprintf(w, "%d ", e.key+p.keyOffset)
				j.copyValue(p, e.val, nil)
				w.WriteByte('\n')
			}
		}
		w.WriteString("]>>")
		j.end()

		if j.idTree != 0 {
			type id struct {
				key string
				p   *part
				val span
			}
			var ids []id
			for _, p := range j.parts {
				for _, e := range p.idTree {
					key := e.key
					if k, ok := p.renameIDs[key]; ok {
						key = k
					}
					ids = append(ids, id{key, p, e.val})
				}
			}
			slices.SortStableFunc(ids, func(a, b id) int { return strings.Compare(a.key, b.key) })
			j.begin(j.idTree)
			w.WriteString("<</Names [")
			for i, e := range ids {
				if i > 0 && ids[i-1].key == e.key {
					continue
				}
				w.WriteString(literal(e.key))
				w.WriteByte(' ')
				j.copyValue(e.p, e.val, nil)
				w.WriteByte('\n')
			}
			w.WriteString("]>>")
			j.end()
		}
	}

	// The named destinations.
	if j.destsObj != 0 {
		j.begin(j.destsObj)
		w.WriteString("<<")
		for _, d := range j.dests {
			w.Write(d.part.text(d.name))
			w.WriteByte(' ')
			j.copyValue(d.part, d.val, nil)
			w.WriteByte('\n')
		}
		w.WriteString(">>")
		j.end()
	}

	// The outline.
	if j.outlineRoot != 0 {
		j.begin(j.outlineRoot)
		fmt.Fprintf(w, "<</Type /Outlines\n/First %s\n/Last %s\n/Count %d>>",
			ref(j.outline[0].num), ref(j.outline[len(j.outline)-1].num), len(j.outline))
		j.end()
		if err := j.writeOutline(j.outline, j.outlineRoot); err != nil {
			return err
		}
	}

	// The catalog.
	first := j.parts[0]
	j.begin(j.catalog)
	fmt.Fprintf(w, "<</Type /Catalog\n/Pages %s", ref(j.pagesRoot))
	if j.destsObj != 0 {
		fmt.Fprintf(w, "\n/Dests %s", ref(j.destsObj))
	}
	if j.structRoot != 0 {
		fmt.Fprintf(w, "\n/MarkInfo <</Type /MarkInfo\n/Marked true>>\n/StructTreeRoot %s", ref(j.structRoot))
	}
	if j.outlineRoot != 0 {
		fmt.Fprintf(w, "\n/Outlines %s\n/PageMode /UseOutlines", ref(j.outlineRoot))
	}
	if first.prefs.e > 0 {
		w.WriteString("\n/ViewerPreferences ")
		j.copyValue(first, first.prefs, nil)
	}
	if first.lang.e > 0 {
		w.WriteString("\n/Lang ")
		j.copyValue(first, first.lang, nil)
	}
	w.WriteString(">>")
	j.end()

	xref := w.Len()
	fmt.Fprintf(w, "xref\n0 %d\n0000000000 65535 f \n", j.size)
	for n := 1; n < j.size; n++ {
		if j.offsets[n] == 0 {
			return fmt.Errorf("object %d of the joined file was not written (report this as a bug)", n)
		}
		fmt.Fprintf(w, "%010d 00000 n \n", j.offsets[n])
	}
	info := ""
	if p := j.parts[0]; p.info != 0 && p.nums[p.info] != 0 {
		info = "\n/Info " + ref(p.nums[p.info])
	}
	fmt.Fprintf(w, "trailer\n<</Size %d\n/Root %s%s>>\nstartxref\n%d\n%%%%EOF\n", j.size, ref(j.catalog), info, xref)
	return nil
}

// writeOutline writes the outline items nodes, the kids of parent.
func (j *joiner) writeOutline(nodes []*outlineNode, parent int) error {
	w := &j.out
	for i, n := range nodes {
		j.begin(n.num)
		fmt.Fprintf(w, "<</Title %s\n/Parent %s", textString(n.title), ref(parent))
		if i > 0 {
			fmt.Fprintf(w, "\n/Prev %s", ref(nodes[i-1].num))
		}
		if i+1 < len(nodes) {
			fmt.Fprintf(w, "\n/Next %s", ref(nodes[i+1].num))
		}
		if len(n.kids) > 0 {
			// Closed: opening it shows its kids, each closed.
			fmt.Fprintf(w, "\n/First %s\n/Last %s\n/Count %d", ref(n.kids[0].num), ref(n.kids[len(n.kids)-1].num), -len(n.kids))
		}
		d := j.dests[n.dest]
		arr, err := d.part.explicitDest(d.val)
		if err != nil {
			return fmt.Errorf("part %d, destination %s: %w", d.part.index+1, d.part.text(d.name), err)
		}
		w.WriteString("\n/Dest ")
		j.copyValue(d.part, arr, nil)
		w.WriteString(">>")
		j.end()
		if err := j.writeOutline(n.kids, n.num); err != nil {
			return err
		}
	}
	return nil
}

// explicitDest returns the destination array of a named destination's
// value: the array itself, an indirect one, or the /D of a dictionary.
func (p *part) explicitDest(v span) (span, error) {
	v, err := p.resolve(v)
	if err != nil {
		return v, err
	}
	if v.e > v.s && p.data[v.s] == '<' {
		d, err := p.dict(v)
		if err != nil {
			return v, err
		}
		dv, ok := get(d, "D")
		if !ok {
			return v, errors.New("the destination dictionary has no /D")
		}
		if v, err = p.resolve(dv); err != nil {
			return v, err
		}
	}
	if v.e <= v.s || p.data[v.s] != '[' {
		return v, fmt.Errorf("the destination %q is not an array", p.text(v))
	}
	return v, nil
}

func (j *joiner) begin(num int) {
	j.offsets[num] = j.out.Len()
	fmt.Fprintf(&j.out, "%d 0 obj\n", num)
}

func (j *joiner) end() { j.out.WriteString("\nendobj\n") }

// copyObject copies object num of part p under its new number.
func (j *joiner) copyObject(p *part, num int) error {
	o, err := p.object(num)
	if err != nil {
		return err
	}
	j.begin(p.nums[num])
	var rename map[string]string
	if p.renameIDs != nil && p.isStructElem(o.val) {
		rename = p.renameIDs
	}
	if e, ok := p.edits[num]; ok {
		if err := j.copyEdited(p, o.val, e, rename); err != nil {
			return fmt.Errorf("object %d: %w", num, err)
		}
	} else {
		j.copyValue(p, o.val, rename)
	}
	j.out.Write(p.data[o.val.e:o.end])
	j.end()
	return nil
}

// copyEdited copies the dictionary v with the changes of e.
func (j *joiner) copyEdited(p *part, v span, e edit, rename map[string]string) error {
	entries, err := p.dict(v)
	if err != nil {
		return err
	}
	w := &j.out
	w.WriteString("<<")
	at := v.s + 2
	done := map[string]bool{}
	for _, en := range entries {
		val, ok := e[en.key]
		switch {
		case !ok:
			j.copyRange(p, at, en.val.e, rename)
		case val != "" && !done[en.key]:
			fmt.Fprintf(w, "\n/%s %s", en.key, val)
		}
		done[en.key] = true
		at = en.val.e
	}
	j.copyRange(p, at, v.e-2, rename)
	for _, k := range slices.Sorted(maps.Keys(e)) {
		if !done[k] && e[k] != "" {
			fmt.Fprintf(w, "\n/%s %s", k, e[k])
		}
	}
	w.WriteString(">>")
	return nil
}

// copyValue copies the value v of part p, its references renumbered.
func (j *joiner) copyValue(p *part, v span, rename map[string]string) {
	j.copyRange(p, v.s, v.e, rename)
}

// copyRange copies the bytes from s to e of part p, a whole number of
// tokens, with each reference "N G R" changed to the object's new number
// ("null" for an object not copied). Strings, names and comments are copied
// as they are; a string that is a key of rename (a structure element ID) is
// changed to its value.
func (j *joiner) copyRange(p *part, s, e int, rename map[string]string) {
	b, w := p.data[:e], &j.out
	last := s
	for i := s; i < e; {
		c := b[i]
		switch {
		case c == '%':
			for i < e && b[i] != '\n' && b[i] != '\r' {
				i++
			}
		case c == '(' || (c == '<' && (i+1 >= e || b[i+1] != '<')):
			end := skipString(b, i)
			if end < 0 {
				end = e
			}
			if rename != nil {
				if str, ok := decodeString(b[i:end]); ok {
					if to, ok := rename[string(str)]; ok {
						w.Write(b[last:i])
						w.WriteString(literal(to))
						last = end
					}
				}
			}
			i = end
		case c == '<':
			i += 2
		case c == '/':
			i++
			for i < e && isRegular(b[i]) {
				i++
			}
		case isRegular(c):
			start := i
			for i < e && isRegular(b[i]) {
				i++
			}
			if num, end, ok := refAt(b, start); ok {
				w.Write(b[last:start])
				w.WriteString(j.refIn(p, num))
				last, i = end, end
			}
		default:
			i++
		}
	}
	w.Write(b[last:e])
}

// refIn returns the new reference to object num of part p.
func (j *joiner) refIn(p *part, num int) string {
	if num < len(p.nums) && p.nums[num] != 0 {
		return ref(p.nums[num])
	}
	return "null"
}

func ref(num int) string { return strconv.Itoa(num) + " 0 R" }

// header returns the first part's header: the %PDF line and the comment
// with binary bytes after it.
func header(data []byte) []byte {
	i := 0
	for line := 0; line < 2 && i < len(data) && data[i] == '%'; line++ {
		for i < len(data) && data[i] != '\n' && data[i] != '\r' {
			i++
		}
		for i < len(data) && (data[i] == '\n' || data[i] == '\r') {
			i++
		}
	}
	if i == 0 || !bytes.HasPrefix(data, []byte("%PDF-")) {
		return []byte("%PDF-1.4\n%\xd3\xeb\xe9\xe1\n")
	}
	return data[:i]
}

// Reading a part's objects.

// value returns where the value of object num is in the part, and whether
// a stream follows it.
func (p *part) value(num int) (span, bool, error) {
	off, ok := p.doc.offsets[num]
	if !ok || off >= len(p.data) {
		return span{}, false, fmt.Errorf("object %d is not in the xref table", num)
	}
	s := &scanner{b: p.data, p: off}
	n, err1 := s.int()
	_, err2 := s.int()
	kw, err3 := s.token()
	if errors.Join(err1, err2, err3) != nil || n != num || kw != "obj" {
		return span{}, false, fmt.Errorf("the xref table points object %d at offset %d, which does not start it", num, off)
	}
	start := skipSpace(p.data, s.p)
	end, err := skipValue(p.data, start, 0)
	if err != nil {
		return span{}, false, fmt.Errorf("object %d: %w", num, err)
	}
	k := skipSpace(p.data, end)
	return span{start, end}, bytes.HasPrefix(p.data[k:], []byte("stream")), nil
}

// object returns where object num is in the part.
func (p *part) object(num int) (object, error) {
	v, stream, err := p.value(num)
	if err != nil {
		return object{}, err
	}
	o := object{val: v, end: v.e}
	if !stream {
		return o, nil
	}
	k := skipSpace(p.data, v.e)
	d, err := p.dict(o.val)
	if err != nil {
		return o, fmt.Errorf("object %d has a stream without a dictionary", num)
	}
	lv, ok := get(d, "Length")
	if !ok {
		return o, fmt.Errorf("the stream of object %d has no /Length", num)
	}
	if n, ok := p.ref(lv); ok {
		v, stream, err := p.value(n)
		if err != nil || stream {
			return o, fmt.Errorf("the /Length of object %d's stream, object %d, is not a number", num, n)
		}
		lv = v
	}
	length, err := strconv.Atoi(string(p.text(lv)))
	if err != nil || length < 0 {
		return o, fmt.Errorf("the /Length of object %d's stream, %q, is not a number", num, p.text(lv))
	}
	k += len("stream")
	if bytes.HasPrefix(p.data[k:], []byte("\r\n")) {
		k += 2
	} else if k < len(p.data) && (p.data[k] == '\n' || p.data[k] == '\r') {
		k++
	}
	if length > len(p.data)-k {
		return o, fmt.Errorf("the stream of object %d is %d bytes long (/Length), past the end of the file", num, length)
	}
	k += length
	for k < len(p.data) && isSpace(p.data[k]) {
		k++
	}
	if !bytes.HasPrefix(p.data[k:], []byte("endstream")) {
		return o, fmt.Errorf("the stream of object %d does not end with endstream after its %d bytes (/Length)", num, length)
	}
	o.end = k + len("endstream")
	return o, nil
}

// text returns the bytes of v.
func (p *part) text(v span) []byte { return p.data[v.s:v.e] }

// ref returns the object number of the reference v.
func (p *part) ref(v span) (int, bool) {
	num, end, ok := refAt(p.data[:v.e], v.s)
	return num, ok && end == v.e
}

// resolve returns the value of the object v refers to, or v itself.
func (p *part) resolve(v span) (span, error) {
	if n, ok := p.ref(v); ok {
		o, err := p.object(n)
		if err != nil {
			return v, err
		}
		if o.end != o.val.e {
			return v, fmt.Errorf("object %d is a stream, where a dictionary or array was expected", n)
		}
		return o.val, nil
	}
	return v, nil
}

// dictObject returns the entries of object num, a dictionary.
func (p *part) dictObject(num int) ([]entry, error) {
	o, err := p.object(num)
	if err != nil {
		return nil, err
	}
	d, err := p.dict(o.val)
	if err != nil {
		return nil, fmt.Errorf("object %d: %w", num, err)
	}
	return d, nil
}

// dictValue returns the entries of the dictionary v, or of the one that v
// refers to.
func (p *part) dictValue(v span) ([]entry, error) {
	v, err := p.resolve(v)
	if err != nil {
		return nil, err
	}
	return p.dict(v)
}

// dict returns the entries of the dictionary v.
func (p *part) dict(v span) ([]entry, error) {
	b := p.data[:v.e]
	if !bytes.HasPrefix(b[v.s:], []byte("<<")) {
		return nil, fmt.Errorf("expected a dictionary at offset %d", v.s)
	}
	var entries []entry
	for i := v.s + 2; ; {
		i = skipSpace(b, i)
		if bytes.HasPrefix(b[i:], []byte(">>")) {
			return entries, nil
		}
		if i >= len(b) || b[i] != '/' {
			return nil, fmt.Errorf("expected a name in the dictionary at offset %d", i)
		}
		start := i
		i++
		for i < len(b) && isRegular(b[i]) {
			i++
		}
		key := string(b[start+1 : i])
		vs := skipSpace(b, i)
		ve, err := skipValue(b, vs, 1)
		if err != nil {
			return nil, err
		}
		entries = append(entries, entry{key: key, start: start, val: span{vs, ve}})
		i = ve
	}
}

// array returns the items of the array v.
func (p *part) array(v span) ([]span, error) {
	b := p.data[:v.e]
	if v.s >= v.e || b[v.s] != '[' {
		return nil, fmt.Errorf("expected an array at offset %d", v.s)
	}
	var items []span
	for i := v.s + 1; ; {
		i = skipSpace(b, i)
		if i < len(b) && b[i] == ']' {
			return items, nil
		}
		e, err := skipValue(b, i, 1)
		if err != nil {
			return nil, err
		}
		items = append(items, span{i, e})
		i = e
	}
}

// refArray returns the object numbers in the array of references v (or that
// v refers to).
func (p *part) refArray(v span) ([]int, error) {
	v, err := p.resolve(v)
	if err != nil {
		return nil, err
	}
	items, err := p.array(v)
	if err != nil {
		return nil, err
	}
	nums := make([]int, len(items))
	for i, it := range items {
		n, ok := p.ref(it)
		if !ok {
			return nil, fmt.Errorf("%q is not a reference", p.text(it))
		}
		nums[i] = n
	}
	return nums, nil
}

// nameOrString returns the decoded bytes of a name or string v, or nil.
func (p *part) nameOrString(v span) []byte {
	t := p.text(v)
	if len(t) > 0 && t[0] == '/' {
		return decodeName(t[1:])
	}
	if s, ok := p.stringValue(v); ok {
		return s
	}
	return nil
}

func (p *part) stringValue(v span) ([]byte, bool) { return decodeString(p.text(v)) }

// isStructElem reports whether the value v is a structure element.
func (p *part) isStructElem(v span) bool {
	d, err := p.dict(v)
	if err != nil {
		return false
	}
	t, _ := get(d, "Type")
	return string(p.text(t)) == "/StructElem"
}

// get returns the value of key in the entries; the last one wins.
func get(entries []entry, key string) (span, bool) {
	for i := len(entries) - 1; i >= 0; i-- {
		if entries[i].key == key {
			return entries[i].val, true
		}
	}
	return span{}, false
}

// Lexing.

func isRegular(c byte) bool { return !isSpace(c) && !isDelim(c) }

// skipSpace returns the position after the white space and comments at i.
func skipSpace(b []byte, i int) int {
	for i < len(b) {
		switch c := b[i]; {
		case isSpace(c):
			i++
		case c == '%':
			for i < len(b) && b[i] != '\n' && b[i] != '\r' {
				i++
			}
		default:
			return i
		}
	}
	return i
}

// skipString returns the end of the literal or hex string at i, or -1.
func skipString(b []byte, i int) int {
	if b[i] == '<' {
		end := bytes.IndexByte(b[i:], '>')
		if end < 0 {
			return -1
		}
		return i + end + 1
	}
	depth := 0
	for k := i; k < len(b); k++ {
		switch b[k] {
		case '\\':
			k++
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return k + 1
			}
		}
	}
	return -1
}

// skipValue returns the end of the object (number, name, string, array,
// dictionary, reference, keyword) that starts at i.
func skipValue(b []byte, i, depth int) (int, error) {
	if depth > maxDepth {
		return 0, fmt.Errorf("arrays or dictionaries nested more than %d deep at offset %d", maxDepth, i)
	}
	i = skipSpace(b, i)
	if i >= len(b) {
		return 0, errors.New("unexpected end of the PDF")
	}
	switch c := b[i]; {
	case c == '<' && i+1 < len(b) && b[i+1] == '<':
		for i += 2; ; {
			i = skipSpace(b, i)
			if bytes.HasPrefix(b[i:], []byte(">>")) {
				return i + 2, nil
			}
			if i >= len(b) || b[i] != '/' {
				return 0, fmt.Errorf("expected a name in the dictionary at offset %d", i)
			}
			var err error
			if i, err = skipValue(b, i, depth+1); err != nil {
				return 0, err
			}
			if i, err = skipValue(b, i, depth+1); err != nil {
				return 0, err
			}
		}
	case c == '<' || c == '(':
		end := skipString(b, i)
		if end < 0 {
			return 0, fmt.Errorf("unterminated string at offset %d", i)
		}
		return end, nil
	case c == '[':
		for i++; ; {
			i = skipSpace(b, i)
			if i >= len(b) {
				return 0, errors.New("unterminated array")
			}
			if b[i] == ']' {
				return i + 1, nil
			}
			var err error
			if i, err = skipValue(b, i, depth+1); err != nil {
				return 0, err
			}
		}
	case c == '/':
		for i++; i < len(b) && isRegular(b[i]); i++ {
		}
		return i, nil
	case isDelim(c):
		return 0, fmt.Errorf("unexpected %q at offset %d", c, i)
	default:
		if _, end, ok := refAt(b, i); ok {
			return end, nil
		}
		for ; i < len(b) && isRegular(b[i]); i++ {
		}
		return i, nil
	}
}

// refAt reads a reference "N G R" at i, returning N and its end.
func refAt(b []byte, i int) (num, end int, ok bool) {
	digits := func(i int) (int, int, bool) {
		start := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == start || i-start > 10 || (i < len(b) && isRegular(b[i])) {
			return 0, i, false
		}
		n, err := strconv.Atoi(string(b[start:i]))
		return n, i, err == nil
	}
	num, i, ok = digits(i)
	if !ok {
		return 0, 0, false
	}
	k := skipSpace(b, i)
	if k == i {
		return 0, 0, false
	}
	if _, k, ok = digits(k); !ok {
		return 0, 0, false
	}
	r := skipSpace(b, k)
	if r == k || r >= len(b) || b[r] != 'R' || (r+1 < len(b) && isRegular(b[r+1])) {
		return 0, 0, false
	}
	return num, r + 1, true
}

// decodeName undoes the #XX escapes of a name (without its slash).
func decodeName(b []byte) []byte {
	if bytes.IndexByte(b, '#') < 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == '#' && i+2 < len(b) {
			if v, err := strconv.ParseUint(string(b[i+1:i+3]), 16, 8); err == nil {
				out = append(out, byte(v))
				i += 2
				continue
			}
		}
		out = append(out, b[i])
	}
	return out
}

// percentDecode undoes the %XX escapes of a URL's fragment; a % not followed
// by two hex digits stays as it is.
func percentDecode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// decodeString returns the bytes of a literal or hex string.
func decodeString(t []byte) ([]byte, bool) {
	if len(t) >= 2 && t[0] == '<' && t[len(t)-1] == '>' {
		var hex []byte
		for _, c := range t[1 : len(t)-1] {
			if !isSpace(c) {
				hex = append(hex, c)
			}
		}
		if len(hex)%2 == 1 {
			hex = append(hex, '0')
		}
		out := make([]byte, len(hex)/2)
		for i := range out {
			v, err := strconv.ParseUint(string(hex[2*i:2*i+2]), 16, 8)
			if err != nil {
				return nil, false
			}
			out[i] = byte(v)
		}
		return out, true
	}
	if len(t) < 2 || t[0] != '(' || t[len(t)-1] != ')' {
		return nil, false
	}
	t = t[1 : len(t)-1]
	out := make([]byte, 0, len(t))
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c == '\r' { // an end of line in a string is a line feed
			if i+1 < len(t) && t[i+1] == '\n' {
				i++
			}
			out = append(out, '\n')
			continue
		}
		if c != '\\' || i+1 >= len(t) {
			out = append(out, c)
			continue
		}
		i++
		switch c = t[i]; c {
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case '\r':
			if i+1 < len(t) && t[i+1] == '\n' {
				i++
			}
		case '\n':
		default:
			if c >= '0' && c <= '7' {
				v := 0
				for k := 0; k < 3 && i < len(t) && t[i] >= '0' && t[i] <= '7'; k++ {
					v = v*8 + int(t[i]-'0')
					i++
				}
				i--
				out = append(out, byte(v))
			} else {
				out = append(out, c)
			}
		}
	}
	return out, true
}

// literal returns s as a PDF literal string.
func literal(s string) string {
	var b strings.Builder
	b.WriteByte('(')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '(' || c == ')' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&b, "\\%03o", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte(')')
	return b.String()
}

// refText returns the object number of a reference written as text.
func refText(s string) (int, bool) {
	num, end, ok := refAt([]byte(s), 0)
	return num, ok && end == len(s)
}
