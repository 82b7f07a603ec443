package links

import (
	"slices"
)

// Snapshot is what an index knows of each file that a later build, which
// writes only some files again, needs to check the links of those it
// writes: the IDs of every file. Where the links of the files it does not
// write lead is not kept; see Unsure.
type Snapshot struct {
	Files []SnapshotFile
}

// SnapshotFile is one file of a Snapshot.
type SnapshotFile struct {
	Name         string
	IDs          []uint32 // sorted hashes
	Origin, Tmpl string
	Page, AnyID  bool
	Linked       bool // another file links it
}

// Snapshot returns what the index knows of its files' IDs, in no order.
func (ix *Index) Snapshot() *Snapshot {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	s := &Snapshot{Files: make([]SnapshotFile, 0, len(ix.files))}
	for name, f := range ix.files {
		s.Files = append(s.Files, SnapshotFile{Name: name, IDs: f.ids, Origin: f.origin, Tmpl: f.tmpl,
			Page: f.page, AnyID: f.anyID, Linked: ix.linked[name]})
	}
	return s
}

// Restore returns an index of a site rebuilt in part (as NewLiveIndex) that
// starts from the files of s. The links of those files are not known: a
// file written again that lost one of its IDs, or a file removed, may break
// a link of a file not written again, which Unsure reports.
func Restore(s *Snapshot) *Index {
	ix := NewLiveIndex()
	ix.restored = make(map[string][]uint32, len(s.Files))
	for _, sf := range s.Files {
		ix.files[sf.Name] = &file{ids: sf.IDs, origin: sf.Origin, tmpl: sf.Tmpl, page: sf.Page, anyID: sf.AnyID}
		ix.restored[sf.Name] = sf.IDs
		if sf.Linked {
			ix.linked[sf.Name] = true
		}
	}
	return ix
}

// Unsure reports whether the links of files restored (see Restore) and not
// written since may be broken: a file written since lacks an ID it had, or
// a restored file was removed. Only a check of every file can tell then.
func (ix *Index) Unsure(removed []string) bool {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.restored == nil {
		return false
	}
	for _, name := range removed {
		if _, ok := ix.restored[name]; ok {
			return true
		}
	}
	for name, old := range ix.restored {
		f := ix.files[name]
		if f == nil {
			return true
		}
		if f.anyID || slices.Equal(f.ids, old) {
			continue
		}
		for _, h := range old {
			if !hasID(f.ids, h) {
				return true
			}
		}
	}
	return false
}

// KeepIDs adds to file name, written again in part, the IDs it was restored
// with: a print edition whose unchanged sections were copied from the
// edition before.
func (ix *Index) KeepIDs(name string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	f, old := ix.files[name], ix.restored[name]
	if f == nil || len(old) == 0 {
		return
	}
	ids := slices.Concat(f.ids, old)
	slices.Sort(ids)
	f.ids = slices.Clip(slices.Compact(ids))
}
