package build

import (
	"encoding/binary"
	"errors"
	"math"
	"slices"
	"strings"

	"flipchart/generator/content"
	"flipchart/generator/diag"
	"flipchart/generator/links"
	"flipchart/generator/render"
)

// The build cache's file is written in a compact form of its own rather
// than with encoding/gob, whose reflection costs a large manual's build
// from the cache more than the rest of it: integers as varints, and each
// string once, then by number (a manual's paths and keys repeat). The front
// matter of the content files, whose [params] may hold any TOML value, is
// kept with gob in a file of its own (see cacheState.sourcesFile), written
// only when some front matter changed.

var errCorrupt = errors.New("the file is cut short or damaged")

type encoder struct {
	b    []byte
	strs map[string]uint64
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
	e.hash(st.SourcesHash)
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
	st.SourcesHash = d.hash()
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

// body writes what a build in part starts from: the renderer's state, the
// assets and the special pages' files.
func (e *encoder) body(st *cacheState) {
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
	e.uint(uint64(len(rs.Uses)))
	for k, u := range rs.Uses {
		e.str(k)
		e.str(u.Template)
		// Most pages ask for the same strings: one string each, kept once.
		keys := slices.Clone(u.Keys)
		slices.Sort(keys)
		e.str(strings.Join(keys, "\x00"))
	}
	e.strs_(rs.Files)
	e.uint(uint64(len(rs.Links.Files)))
	for _, f := range rs.Links.Files {
		e.str(f.Name)
		e.str(f.Origin)
		e.str(f.Tmpl)
		e.uint(uint64(b2i(f.Page) | b2i(f.AnyID)<<1 | b2i(f.Linked)<<2))
		e.uint(uint64(len(f.IDs)))
		for _, id := range f.IDs {
			e.uint(uint64(id))
		}
	}
	e.uint(uint64(len(rs.Derived)))
	for k, dv := range rs.Derived {
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
	e.uint(uint64(len(rs.Prints)))
	for k, ps := range rs.Prints {
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
	}
}

func (d *decoder) body(st *cacheState) {
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
	rs := &render.State{}
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
	n = d.count()
	rs.Uses = make(map[string]render.UseState, n)
	sets := map[string][]string{}
	for range n {
		k, tmpl, joined := d.str(), d.str(), d.str()
		keys, ok := sets[joined]
		if !ok && joined != "" {
			keys = strings.Split(joined, "\x00")
			sets[joined] = keys
		}
		rs.Uses[k] = render.UseState{Template: tmpl, Keys: keys}
	}
	rs.Files = d.strList()
	n = d.count()
	rs.Links = &links.Snapshot{Files: make([]links.SnapshotFile, 0, n)}
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
		rs.Links.Files = append(rs.Links.Files, f)
	}
	n = d.count()
	rs.Derived = make(map[string]render.DerivedState, n)
	for range n {
		k := d.str()
		dv := render.DerivedState{Refs: d.strList(), Materials: d.strList()}
		w := d.count()
		for range w {
			dv.Worksheets = append(dv.Worksheets, render.WorksheetState{ID: d.str(), Title: d.str(), Source: d.bytes()})
		}
		rs.Derived[k] = dv
	}
	n = d.count()
	rs.Prints = make(map[string]*render.PrintState, n)
	for range n {
		k := d.str()
		ps := &render.PrintState{Spans: map[string]render.Span{}, Cuts: map[string][]string{}}
		m := d.count()
		for range m {
			a := d.str()
			ps.Spans[a] = render.Span{Start: d.int(), End: d.int()}
		}
		m = d.count()
		for range m {
			a := d.str()
			ps.Cuts[a] = d.strList()
		}
		rs.Prints[k] = ps
	}
	st.Render = rs
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
