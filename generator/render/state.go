package render

import (
	"maps"
	"slices"
	"strings"

	"flipchart/generator/links"
	"flipchart/generator/search"
	"flipchart/generator/site"
)

// State is what a build cache keeps of a render, so that a later build can
// render again only the files a change reaches, as the dev server does: the
// UI strings and what each output file used, the static files written, the
// index of the files' IDs, and what rendering learnt of each page's Markdown.
type State struct {
	Strings map[string]string
	Sets    map[string]SetState // by page template: the files its set runs
	Uses    map[string]UseState // by output file
	Files   []string            // static files written
	Links   *links.Snapshot
	// Derived is what rendering learnt of each page written from Markdown,
	// by its content path and kind ("day-1/x.md" and "session").
	Derived map[string]DerivedState
	// Prints are where each print edition's sections are, by file.
	Prints map[string]*PrintState
	// Search is the search index's, nil before one is made.
	Search *search.State
}

// SetState is a template set's files, as setUses.
type SetState struct {
	Files   []string
	Dynamic string
}

// UseState is what rendering one output file used: its page template's set
// and the UI strings it asked for, their keys sorted and joined by NUL
// (most files ask for the same: one string, kept once).
type UseState struct {
	Template string
	Keys     string
}

// DerivedState is a site.Derived without the rendered body.
type DerivedState struct {
	Refs       []string
	Materials  []string
	Worksheets []WorksheetState
}

// WorksheetState is one worksheet found in a page.
type WorksheetState struct {
	ID, Title string
	Source    []byte
}

// DerivedKey is the key of a page in State.Derived: its language's folder
// too for a page of a language after the first, which may be shown from
// the same file as the page of the first (an untranslated page).
func DerivedKey(p *site.Page) string {
	k := p.Source.Path + "\x00" + p.Kind.String()
	if s := p.Site(); s != nil && s.Prefix != "" {
		k = s.Prefix + k
	}
	return k
}

// State returns what a build cache keeps of the render so far.
func (r *Renderer) State() *State {
	st := &State{Strings: r.strings, Sets: map[string]SetState{}, Uses: map[string]UseState{},
		Links: r.links.Snapshot(), Derived: map[string]DerivedState{}}
	for name, set := range r.tmpl.uses {
		st.Sets[name] = setState(set)
	}
	r.usesMu.Lock()
	for out, u := range r.uses {
		st.Uses[out] = UseState{Template: u.tmpl, Keys: u.joined}
	}
	r.usesMu.Unlock()
	st.Files = slices.Sorted(maps.Keys(r.files))
	r.marks.mu.Lock()
	st.Prints = maps.Clone(r.marks.last)
	if st.Prints == nil {
		st.Prints = map[string]*PrintState{}
	}
	maps.Copy(st.Prints, r.marks.state)
	r.marks.mu.Unlock()
	st.Search = r.indexes[r.own.code].state()
	for _, p := range r.site.Pages {
		if p.Source == nil || p.Derived == nil {
			continue
		}
		d := DerivedState{Materials: p.Derived.Materials}
		d.Refs = p.Derived.Refs
		for _, w := range p.Derived.Worksheets {
			d.Worksheets = append(d.Worksheets, WorksheetState{ID: w.Derived.WorksheetID, Title: w.Title, Source: w.Derived.WorksheetSource})
		}
		st.Derived[DerivedKey(p)] = d
	}
	return st
}

func setState(set *setUses) SetState {
	if set == nil {
		return SetState{}
	}
	return SetState{Files: slices.Sorted(maps.Keys(set.files)), Dynamic: set.dynamic}
}

// Restore makes r, a renderer of the site as the last build rendered it,
// start from what that build's render kept: its strings (so a change of
// them is found, see StaleAfter), what each file used, the static files,
// the links' IDs, and what it learnt of each page's Markdown, which it
// gives back to the site's pages and their worksheets. It reports false
// when a page the site renders is not in st: st is of another site.
func (r *Renderer) Restore(st *State) bool {
	sets := map[string]*setUses{}
	for name, s := range st.Sets {
		u := &setUses{files: map[string]bool{}, dynamic: s.Dynamic}
		for _, f := range s.Files {
			u.files[f] = true
		}
		sets[name] = u
	}
	r.strings = st.Strings
	r.initLangs()
	r.usesMu.Lock()
	r.uses = make(map[string]*uses, len(st.Uses))
	// Outputs that asked for the same strings share one set, read only.
	r.keySets = map[string]keySet{}
	for out, u := range st.Uses {
		set, ok := r.keySets[u.Keys]
		if !ok {
			set = keySet{u.Keys, map[string]bool{}}
			if u.Keys != "" {
				for k := range strings.SplitSeq(u.Keys, "\x00") {
					set.keys[k] = true
				}
			}
			r.keySets[u.Keys] = set
		}
		r.uses[out] = &uses{tmpl: u.Template, set: sets[u.Template], keys: set.keys, joined: set.joined}
	}
	r.usesMu.Unlock()
	r.files = make(map[string]bool, len(st.Files))
	for _, f := range st.Files {
		r.files[f] = true
	}
	r.setLinks(links.Restore(st.Links))
	r.marks.last = st.Prints
	r.indexes[r.own.code].last = st.Search
	for _, p := range r.site.Pages {
		if p.Source == nil || p.Kind == site.Handout {
			continue
		}
		ds, ok := st.Derived[DerivedKey(p)]
		if !ok {
			if r.failed[p.Source.Path] {
				continue
			}
			return false
		}
		d := &site.Derived{Materials: ds.Materials, Refs: ds.Refs}
		for _, w := range ds.Worksheets {
			d.Worksheets = append(d.Worksheets, site.NewWorksheet(p, w.ID, w.Title, w.Source))
		}
		p.Derived = d
		if p.Handout != nil {
			p.Handout.Derived = d
		}
	}
	return true
}
