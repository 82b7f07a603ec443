package build

import (
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"flipchart/generator/content"
	"flipchart/generator/diag"
	"flipchart/generator/links"
	"flipchart/generator/render"
	"flipchart/generator/search"
)

// The build cache's file is written in a compact form of its own rather
// than with encoding/gob, whose reflection costs a large manual's build
// from the cache more than the rest of it: integers as varints, and each
// string once, then by number (a manual's paths and keys repeat). The
// front matter's [params] are kept as the TOML values they were decoded
// to.

var errCorrupt = errors.New("the file is cut short or damaged")

type encoder struct {
	b    []byte
	strs map[string]uint64
	err  error // a value it cannot write
}

func newEncoder() *encoder { return &encoder{b: make([]byte, 0, 1<<20), strs: map[string]uint64{}} }

func (e *encoder) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) int(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *encoder) bool(v bool) {
	if v {
		e.uint(1)
	} else {
		e.uint(0)
	}
}

// str writes a string the first time as 0, its length and bytes, then as
// its number plus one.
func (e *encoder) str(s string) {
	if n, ok := e.strs[s]; ok {
		e.uint(n + 1)
		return
	}
	e.strs[s] = uint64(len(e.strs))
	e.uint(0)
	e.uint(uint64(len(s)))
	e.b = append(e.b, s...)
}

func (e *encoder) strs_(list []string) {
	e.uint(uint64(len(list)))
	for _, s := range list {
		e.str(s)
	}
}

func (e *encoder) bytes(b []byte) {
	e.uint(uint64(len(b)))
	e.b = append(e.b, b...)
}

func (e *encoder) hash(h [32]byte) { e.b = append(e.b, h[:]...) }

type decoder struct {
	b    []byte
	i    int
	strs []string
	err  error
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errCorrupt
	}
}

func (d *decoder) uint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b[d.i:])
	if n <= 0 {
		d.fail()
		return 0
	}
	d.i += n
	return v
}

func (d *decoder) int() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b[d.i:])
	if n <= 0 {
		d.fail()
		return 0
	}
	d.i += n
	return v
}

func (d *decoder) bool() bool { return d.uint() == 1 }

// count reads a length, no more than what is left of the file could hold.
func (d *decoder) count() int {
	n := d.uint()
	if n > uint64(len(d.b)-d.i) || n > math.MaxInt32 {
		d.fail()
		return 0
	}
	return int(n)
}

func (d *decoder) str() string {
	k := d.uint()
	if d.err != nil {
		return ""
	}
	if k > 0 {
		if k-1 >= uint64(len(d.strs)) {
			d.fail()
			return ""
		}
		return d.strs[k-1]
	}
	n := d.count()
	if d.err != nil {
		return ""
	}
	s := string(d.b[d.i : d.i+n])
	d.i += n
	d.strs = append(d.strs, s)
	return s
}

func (d *decoder) strList() []string {
	n := d.count()
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}

func (d *decoder) bytes() []byte {
	n := d.count()
	if d.err != nil {
		return nil
	}
	b := append([]byte(nil), d.b[d.i:d.i+n]...)
	d.i += n
	return b
}

func (d *decoder) hash() (h [32]byte) {
	if d.err != nil || len(d.b)-d.i < 32 {
		d.fail()
		return h
	}
	copy(h[:], d.b[d.i:])
	d.i += 32
	return h
}

// encodeHead writes what a build with nothing changed needs: the key, the
// files read and written, the warnings.
func (e *encoder) head(st *cacheState) {
	e.uint(cacheFormat)
	e.hash(st.Key)
	e.int(st.Written)
	e.int(st.Exe.Size)
	e.int(st.Exe.MTime)
	e.hash(st.Exe.Hash)
	e.uint(uint64(len(st.Inputs)))
	for name, f := range st.Inputs {
		e.str(name)
		e.int(f.Size)
		e.int(f.MTime)
		e.hash(f.Hash)
	}
	e.uint(uint64(len(st.Outputs)))
	for name, f := range st.Outputs {
		e.str(name)
		e.int(f.Size)
		e.int(f.MTime)
	}
	e.uint(uint64(len(st.Dirs)))
	for name, t := range st.Dirs {
		e.str(name)
		e.int(t)
	}
	e.uint(uint64(len(st.Diags)))
	for _, dg := range st.Diags {
		e.str(dg.File)
		e.int(int64(dg.Line))
		e.int(int64(dg.Col))
		e.str(dg.Stage)
		e.int(int64(dg.Severity))
		e.str(dg.Msg)
		e.str(dg.Hint)
	}
	e.int(int64(st.Stats.Pages))
	e.int(int64(st.Stats.Files))
}

func (d *decoder) head(st *cacheState) {
	if d.uint() != cacheFormat {
		d.fail()
		return
	}
	st.Format = cacheFormat
	st.Key = d.hash()
	st.Written = d.int()
	st.Exe.Size, st.Exe.MTime, st.Exe.Hash = d.int(), d.int(), d.hash()
	n := d.count()
	st.Inputs = make(map[string]inputFile, n)
	for range n {
		name := d.str()
		st.Inputs[name] = inputFile{Size: d.int(), MTime: d.int(), Hash: d.hash()}
	}
	n = d.count()
	st.Outputs = make(map[string]fileStat, n)
	for range n {
		name := d.str()
		st.Outputs[name] = fileStat{Size: d.int(), MTime: d.int()}
	}
	n = d.count()
	st.Dirs = make(map[string]int64, n)
	for range n {
		name := d.str()
		st.Dirs[name] = d.int()
	}
	n = d.count()
	for range n {
		dg := diag.Diagnostic{File: d.str(), Line: int(d.int()), Col: int(d.int()), Stage: d.str(), Severity: diag.Severity(d.int()), Msg: d.str(), Hint: d.str()}
		st.Diags = append(st.Diags, dg)
	}
	st.Stats.Pages, st.Stats.Files = int(d.int()), int(d.int())
}

// The body is what a build in part starts from: the renderer's state, the
// assets and the special pages' files. It is kept in parts, each with its
// strings of its own, so that the parts are written and read on every
// core at once.
//
// A part whose data is the same as in the cache the build started from is
// not made again: its bytes are those of that cache (a build in part
// changes few files' records).
type bodyPart struct {
	enc  func(e *encoder, st *cacheState)
	dec  func(d *decoder, st *cacheState)
	same func(st, prev *cacheState) bool // nil: made again
}

var bodyParts = []bodyPart{
	{encodeMisc, decodeMisc, nil},
	{encodeSources, decodeSources, func(st, _ *cacheState) bool { return st.sourcesSame }},
	{encodeUses, decodeUses, func(st, prev *cacheState) bool { return maps.Equal(st.Render.Uses, prev.Render.Uses) }},
	{encodeLinks, decodeLinks, func(st, prev *cacheState) bool { return sameLinks(st.Render.Links, prev.Render.Links) }},
	{encodeDerived, decodeDerived, func(st, prev *cacheState) bool {
		return maps.EqualFunc(st.Render.Derived, prev.Render.Derived, sameDerived)
	}},
	{encodePrints, decodePrints, nil},
	{encodeSearch, decodeSearch, func(st, prev *cacheState) bool { return sameSearch(st.Render.Search, prev.Render.Search) }},
}

// body makes the parts of the body, each on its own, and returns them as
// the file holds them: each after its length.
func encodeBody(st *cacheState) ([][]byte, error) {
	parts := make([][]byte, len(bodyParts))
	errs := make([]error, len(bodyParts))
	prev := st.prev
	parallelFor(len(bodyParts), func(i int) {
		if prev != nil && len(prev.parts) == len(bodyParts) && bodyParts[i].same != nil && bodyParts[i].same(st, prev) {
			parts[i] = prev.parts[i]
			return
		}
		pe := newEncoder()
		bodyParts[i].enc(pe, st)
		parts[i], errs[i] = pe.b, pe.err
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	out := [][]byte{binary.AppendUvarint(nil, uint64(len(parts)))}
	for _, b := range parts {
		out = append(out, binary.AppendUvarint(nil, uint64(len(b))), b)
	}
	return out, nil
}

// body reads the parts of the body, each on its own.
func (d *decoder) body(st *cacheState) {
	if d.count() != len(bodyParts) {
		d.fail()
		return
	}
	parts := make([]*decoder, len(bodyParts))
	for i := range parts {
		n := d.count()
		if d.err != nil {
			return
		}
		parts[i] = &decoder{b: d.b[d.i : d.i+n]}
		d.i += n
	}
	st.parts = make([][]byte, len(parts))
	for i, p := range parts {
		st.parts[i] = p.b
	}
	st.Render = &render.State{}
	parallelFor(len(parts), func(i int) { bodyParts[i].dec(parts[i], st) })
	for _, p := range parts {
		if p.err != nil {
			d.err = p.err
		}
	}
}

func encodeMisc(e *encoder, st *cacheState) {
	e.uint(uint64(len(st.Assets)))
	for _, a := range st.Assets {
		e.str(a.Path)
	}
	e.uint(uint64(len(st.Special)))
	for name, data := range st.Special {
		e.str(name)
		e.bytes(data)
	}
	rs := st.Render
	e.uint(uint64(len(rs.Strings)))
	for k, v := range rs.Strings {
		e.str(k)
		e.str(v)
	}
	e.uint(uint64(len(rs.Sets)))
	for k, set := range rs.Sets {
		e.str(k)
		e.strs_(set.Files)
		e.str(set.Dynamic)
	}
	e.strs_(rs.Files)
}

func decodeMisc(d *decoder, st *cacheState) {
	n := d.count()
	for range n {
		st.Assets = append(st.Assets, content.Asset{Path: d.str()})
	}
	n = d.count()
	st.Special = make(map[string][]byte, n)
	for range n {
		name := d.str()
		st.Special[name] = d.bytes()
	}
	rs := st.Render
	n = d.count()
	rs.Strings = make(map[string]string, n)
	for range n {
		k := d.str()
		rs.Strings[k] = d.str()
	}
	n = d.count()
	rs.Sets = make(map[string]render.SetState, n)
	for range n {
		k := d.str()
		rs.Sets[k] = render.SetState{Files: d.strList(), Dynamic: d.str()}
	}
	rs.Files = d.strList()
}

func encodeSources(e *encoder, st *cacheState) {
	e.uint(uint64(len(st.Sources)))
	for _, s := range st.Sources {
		e.str(s.Path)
		e.str(s.File)
		e.int(int64(s.BodyLine))
		e.int(int64(s.BodyAt))
		e.int(int64(s.TimePos[0]))
		e.int(int64(s.TimePos[1]))
		f := &s.Front
		e.str(f.Title)
		e.int(int64(f.Session))
		e.bool(f.HasSession)
		e.int(int64(f.Time.Min))
		e.int(int64(f.Time.Max))
		e.str(f.TimeText)
		e.strs_(f.Activities)
		e.strs_(f.Objectives)
		e.strs_(f.Materials)
		e.int(int64(f.Weight))
		e.bool(f.Draft)
		e.str(f.Summary)
		e.str(f.Slug)
		e.str(f.Type)
		e.str(f.SourceHash)
		e.bool(f.Params != nil)
		e.table(f.Params)
	}
}

func decodeSources(d *decoder, st *cacheState) {
	n := d.count()
	st.Sources = make([]content.SourceState, n)
	for i := range st.Sources {
		s := &st.Sources[i]
		s.Path, s.File = d.str(), d.str()
		s.BodyLine, s.BodyAt = int(d.int()), int(d.int())
		s.TimePos = [2]int{int(d.int()), int(d.int())}
		f := &s.Front
		f.Title = d.str()
		f.Session, f.HasSession = int(d.int()), d.bool()
		f.Time.Min, f.Time.Max = int(d.int()), int(d.int())
		f.TimeText = d.str()
		f.Activities, f.Objectives, f.Materials = d.strList(), d.strList(), d.strList()
		f.Weight, f.Draft = int(d.int()), d.bool()
		f.Summary, f.Slug, f.Type, f.SourceHash = d.str(), d.str(), d.str(), d.str()
		has := d.bool()
		f.Params = d.table()
		if !has {
			f.Params = nil
		}
	}
}

// The kinds of the values of [params], as the TOML decoder gives them.
const (
	tomlString = iota
	tomlInt
	tomlFloat
	tomlBool
	tomlTime
	tomlList
	tomlTable
	tomlTables
)

func (e *encoder) table(t map[string]any) {
	e.uint(uint64(len(t)))
	for k, v := range t {
		e.str(k)
		e.value(v)
	}
}

// value writes one TOML value; another kind of value is an error.
func (e *encoder) value(v any) {
	switch v := v.(type) {
	case string:
		e.uint(tomlString)
		e.str(v)
	case int64:
		e.uint(tomlInt)
		e.int(v)
	case float64:
		e.uint(tomlFloat)
		e.uint(math.Float64bits(v))
	case bool:
		e.uint(tomlBool)
		e.bool(v)
	case time.Time:
		b, err := v.MarshalBinary()
		if err != nil {
			e.err = err
			return
		}
		e.uint(tomlTime)
		e.bytes(b)
	case []any:
		e.uint(tomlList)
		e.uint(uint64(len(v)))
		for _, x := range v {
			e.value(x)
		}
	case map[string]any:
		e.uint(tomlTable)
		e.table(v)
	case []map[string]any:
		e.uint(tomlTables)
		e.uint(uint64(len(v)))
		for _, t := range v {
			e.table(t)
		}
	default:
		e.err = fmt.Errorf("a front matter value of type %T cannot be kept", v)
	}
}

func (d *decoder) table() map[string]any {
	n := d.count()
	t := make(map[string]any, n)
	for range n {
		k := d.str()
		t[k] = d.value()
	}
	return t
}

func (d *decoder) value() any {
	switch d.uint() {
	case tomlString:
		return d.str()
	case tomlInt:
		return d.int()
	case tomlFloat:
		return math.Float64frombits(d.uint())
	case tomlBool:
		return d.bool()
	case tomlTime:
		var t time.Time
		if err := t.UnmarshalBinary(d.bytes()); err != nil {
			d.fail()
		}
		return t
	case tomlList:
		n := d.count()
		list := make([]any, n)
		for i := range list {
			list[i] = d.value()
		}
		return list
	case tomlTable:
		return d.table()
	case tomlTables:
		n := d.count()
		list := make([]map[string]any, n)
		for i := range list {
			list[i] = d.table()
		}
		return list
	}
	d.fail()
	return nil
}

func encodeUses(e *encoder, st *cacheState) {
	uses := st.Render.Uses
	e.uint(uint64(len(uses)))
	for k, u := range uses {
		e.str(k)
		e.str(u.Template)
		e.str(u.Keys)
	}
}

func decodeUses(d *decoder, st *cacheState) {
	n := d.count()
	uses := make(map[string]render.UseState, n)
	for range n {
		k := d.str()
		uses[k] = render.UseState{Template: d.str(), Keys: d.str()}
	}
	st.Render.Uses = uses
}

func encodeLinks(e *encoder, st *cacheState) {
	files := st.Render.Links.Files
	e.uint(uint64(len(files)))
	for _, f := range files {
		e.str(f.Name)
		e.str(f.Origin)
		e.str(f.Tmpl)
		e.uint(uint64(b2i(f.Page) | b2i(f.AnyID)<<1 | b2i(f.Linked)<<2))
		e.uint(uint64(len(f.IDs)))
		for _, id := range f.IDs {
			e.uint(uint64(id))
		}
	}
}

func decodeLinks(d *decoder, st *cacheState) {
	n := d.count()
	snap := &links.Snapshot{Files: make([]links.SnapshotFile, 0, n)}
	for range n {
		f := links.SnapshotFile{Name: d.str(), Origin: d.str(), Tmpl: d.str()}
		flags := d.uint()
		f.Page, f.AnyID, f.Linked = flags&1 != 0, flags&2 != 0, flags&4 != 0
		k := d.count()
		if k > 0 {
			f.IDs = make([]uint32, k)
			for i := range f.IDs {
				f.IDs[i] = uint32(d.uint())
			}
		}
		snap.Files = append(snap.Files, f)
	}
	st.Render.Links = snap
}

func encodeDerived(e *encoder, st *cacheState) {
	derived := st.Render.Derived
	e.uint(uint64(len(derived)))
	for k, dv := range derived {
		e.str(k)
		e.strs_(dv.Refs)
		e.strs_(dv.Materials)
		e.uint(uint64(len(dv.Worksheets)))
		for _, w := range dv.Worksheets {
			e.str(w.ID)
			e.str(w.Title)
			e.bytes(w.Source)
		}
	}
}

func decodeDerived(d *decoder, st *cacheState) {
	n := d.count()
	derived := make(map[string]render.DerivedState, n)
	for range n {
		k := d.str()
		dv := render.DerivedState{Refs: d.strList(), Materials: d.strList()}
		w := d.count()
		for range w {
			dv.Worksheets = append(dv.Worksheets, render.WorksheetState{ID: d.str(), Title: d.str(), Source: d.bytes()})
		}
		derived[k] = dv
	}
	st.Render.Derived = derived
}

func encodePrints(e *encoder, st *cacheState) {
	prints := st.Render.Prints
	e.uint(uint64(len(prints)))
	for k, ps := range prints {
		e.str(k)
		e.uint(uint64(len(ps.Spans)))
		for a, sp := range ps.Spans {
			e.str(a)
			e.int(sp.Start)
			e.int(sp.End)
		}
		e.uint(uint64(len(ps.Cuts)))
		for a, cut := range ps.Cuts {
			e.str(a)
			e.strs_(cut)
		}
		e.uint(uint64(len(ps.Glue)))
		for a, g := range ps.Glue {
			e.str(a)
			e.str(g)
		}
	}
}

func decodePrints(d *decoder, st *cacheState) {
	n := d.count()
	prints := make(map[string]*render.PrintState, n)
	for range n {
		k := d.str()
		m := d.count()
		ps := &render.PrintState{Spans: make(map[string]render.Span, m)}
		for range m {
			a := d.str()
			ps.Spans[a] = render.Span{Start: d.int(), End: d.int()}
		}
		m = d.count()
		ps.Cuts = make(map[string][]string, m)
		for range m {
			a := d.str()
			ps.Cuts[a] = d.strList()
		}
		m = d.count()
		ps.Glue = make(map[string]string, m)
		for range m {
			a := d.str()
			ps.Glue[a] = d.str()
		}
		prints[k] = ps
	}
	st.Render.Prints = prints
}

func sameLinks(a, b *links.Snapshot) bool {
	if len(a.Files) != len(b.Files) {
		return false
	}
	byName := make(map[string]*links.SnapshotFile, len(a.Files))
	for i := range a.Files {
		byName[a.Files[i].Name] = &a.Files[i]
	}
	for i := range b.Files {
		f, g := byName[b.Files[i].Name], &b.Files[i]
		if f == nil || f.Origin != g.Origin || f.Tmpl != g.Tmpl || f.Page != g.Page || f.AnyID != g.AnyID || f.Linked != g.Linked || !slices.Equal(f.IDs, g.IDs) {
			return false
		}
	}
	return true
}

// encodeSearch writes the search index's state: its documents and
// shards (their data is in the destination's files).
func encodeSearch(e *encoder, st *cacheState) {
	ix := st.Render.Search
	e.bool(ix != nil)
	if ix != nil {
		e.strs_(ix.Docs)
		e.strs_(ix.Shards)
	}
}

func decodeSearch(d *decoder, st *cacheState) {
	if d.bool() {
		st.Render.Search = &search.State{Docs: d.strList(), Shards: d.strList()}
	}
}

func sameSearch(a, b *search.State) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a == b || slices.Equal(a.Docs, b.Docs) && slices.Equal(a.Shards, b.Shards)
}

func sameDerived(a, b render.DerivedState) bool {
	return slices.Equal(a.Refs, b.Refs) && slices.Equal(a.Materials, b.Materials) &&
		slices.EqualFunc(a.Worksheets, b.Worksheets, func(x, y render.WorksheetState) bool {
			return x.ID == y.ID && x.Title == y.Title && string(x.Source) == string(y.Source)
		})
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
