package render

import (
	"html/template"
	"maps"
	"slices"
	"strings"
	"text/template/parse"

	"flipchart/generator/site"
)

// setUses is what a page kind's template set is made of: the files (as the
// theme chain resolved them, "layouts/x.html", "themes/t/layouts/x.html")
// whose templates rendering it may run, found in the parse trees from
// baseof.html through {{ template }} and .Cached. Dynamic, when not "",
// says why the files cannot be known: every change may reach the kind.
type setUses struct {
	files   map[string]bool
	dynamic string
	// site are the fields of .Site its templates name (.Site.Sessions
	// names Sessions); "*" when .Site is taken whole, to be read elsewhere.
	site map[string]bool
}

// templateUses finds the files the template set t (of the page kind
// template name) runs, from baseof.html. The kind's own file is always one:
// its definitions replace others'.
func templateUses(t *template.Template, name string, shown map[string]string) *setUses {
	return templateUsesFrom(t, name, shown, "baseof.html")
}

// templateUsesFrom is templateUses from the named templates of the set.
func templateUsesFrom(t *template.Template, name string, shown map[string]string, roots ...string) *setUses {
	u := &setUses{files: map[string]bool{}, site: map[string]bool{}}
	// siteField notes the field of .Site that a chain of fields from the
	// page data names.
	siteField := func(idents []string) {
		if len(idents) == 1 && siteHelpers[idents[0]] != "" {
			u.site[siteHelpers[idents[0]]] = true
			return
		}
		switch {
		case len(idents) == 0 || idents[0] != "Site":
		case len(idents) == 1:
			u.site["*"] = true
		default:
			u.site[idents[1]] = true
		}
	}
	if f := shown[name]; f != "" {
		u.files[f] = true
	}
	seen := map[string]bool{}
	var visit func(string)
	var walk func(parse.Node)
	visit = func(n string) {
		if seen[n] {
			return
		}
		seen[n] = true
		tt := t.Lookup(n)
		if tt == nil || tt.Tree == nil {
			return // an error when it runs
		}
		if f := shown[tt.Tree.ParseName]; f != "" {
			u.files[f] = true
		} else if u.dynamic == "" {
			u.dynamic = "template " + n + " comes from no file flipchart knows"
		}
		walk(tt.Tree.Root)
	}
	walk = func(node parse.Node) {
		switch n := node.(type) {
		case nil:
		case *parse.ListNode:
			if n == nil {
				return
			}
			for _, c := range n.Nodes {
				walk(c)
			}
		case *parse.ActionNode:
			walk(n.Pipe)
		case *parse.IfNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.TemplateNode:
			walk(n.Pipe)
			visit(n.Name)
		case *parse.PipeNode:
			if n == nil {
				return
			}
			for _, c := range n.Cmds {
				walk(c)
			}
		case *parse.CommandNode:
			for i, a := range n.Args {
				walk(a)
				if !callsCached(a) {
					continue
				}
				if i+1 < len(n.Args) {
					if s, ok := n.Args[i+1].(*parse.StringNode); ok {
						visit(s.Text)
						continue
					}
				}
				if u.dynamic == "" {
					u.dynamic = ".Cached is given a name that is not written out"
				}
			}
		case *parse.ChainNode:
			walk(n.Node)
		case *parse.FieldNode:
			siteField(n.Ident)
		case *parse.VariableNode:
			siteField(n.Ident[1:]) // $.Site.Sessions
		}
	}
	for _, root := range roots {
		visit(root)
	}
	return u
}

// callsCached reports whether a command's argument names the method Cached.
func callsCached(n parse.Node) bool {
	var idents []string
	switch a := n.(type) {
	case *parse.FieldNode:
		idents = a.Ident
	case *parse.VariableNode:
		idents = a.Ident
	case *parse.ChainNode:
		idents = a.Field
	case *parse.IdentifierNode:
		return a.Ident == "Cached"
	}
	return len(idents) > 0 && idents[len(idents)-1] == "Cached"
}

// Shows reports whether page p's templates may show what changed of the
// site's lists of pages, given as the names of the fields of site.Site that
// hold other pages or pages whose data changed (site.Changes.Lists): its
// template set names one of those fields of .Site, or cannot be known.
func (r *Renderer) Shows(p *site.Page, lists map[string]bool) bool {
	if len(lists) == 0 {
		return false
	}
	set := r.tmpl.uses[templateFor(p)]
	if set == nil || set.dynamic != "" || set.site["*"] {
		return true
	}
	for f := range set.site {
		if lists[f] {
			return true
		}
	}
	return false
}

// Uses is what rendering one output file used: the files of its template
// set and the UI strings it asked for.
type uses struct {
	tmpl   string // the page template
	set    *setUses
	keys   map[string]bool
	joined string // keys sorted, joined by NUL
}

// record keeps what rendering the page p's file used.
func (r *Renderer) record(p *site.Page, d *pageData) {
	if d.used == nil {
		return
	}
	// The links stage may put it in any page: see linkPolicy.
	d.used[NoteKey] = true
	// Most pages ask for the same strings: they share one set, read only,
	// so a large manual's records cost little.
	keys := slices.Sorted(maps.Keys(d.used))
	joined := strings.Join(keys, "\x00")
	r.usesMu.Lock()
	defer r.usesMu.Unlock()
	if r.uses == nil {
		r.uses = map[string]*uses{}
	}
	if r.keySets == nil {
		r.keySets = map[string]keySet{}
	}
	set, ok := r.keySets[joined]
	if !ok {
		set = keySet{joined, d.used}
		r.keySets[joined] = set
	}
	r.uses[p.Out] = &uses{tmpl: templateFor(p), set: r.tmpl.uses[templateFor(p)], keys: set.keys, joined: set.joined}
}

// keySet is one set of UI strings' keys files asked for, and the keys
// sorted and joined by NUL.
type keySet struct {
	joined string
	keys   map[string]bool
}

// KeepUses makes the renderer start from what prev recorded of the files it
// rendered, for a site this one renders again in part: what each used, the
// static files written (which .Asset and links check against) and the PDFs.
func (r *Renderer) KeepUses(prev *Renderer) {
	if r.files == nil {
		r.files, r.pdfs = prev.files, prev.pdfs
	}
	prev.usesMu.Lock()
	m := maps.Clone(prev.uses)
	prev.usesMu.Unlock()
	r.usesMu.Lock()
	r.uses = m
	r.usesMu.Unlock()
}

// Stale says which output files a change of templates or UI strings may
// change.
type Stale struct {
	// All is set when the change reaches every file in a way flipchart
	// does not follow; Why says how.
	All  bool
	Why  string
	outs map[string]bool
}

// Has reports whether the output file out may have changed.
func (s *Stale) Has(out string) bool { return s.All || s.outs[out] }

// StaleAfter tells which output files of the site may differ when rendered
// by r, whose templates and UI strings were loaded again after the files at
// paths (relative to the site's folder, files or folders) changed, from
// what prev rendered: those whose template set held a changed file, before
// or now, and those that used a UI string whose text changed. A file prev
// did not record is stale.
func (r *Renderer) StaleAfter(prev *Renderer, paths []string) *Stale {
	st := &Stale{outs: map[string]bool{}}
	changed := func(set *setUses) bool {
		if set == nil {
			return true
		}
		for _, p := range paths {
			p = strings.TrimSuffix(p, "/")
			if set.files[p] {
				return true
			}
			for f := range set.files {
				if strings.HasPrefix(f, p+"/") {
					return true
				}
			}
		}
		return false
	}
	all := func(why string) *Stale {
		st.All, st.Why = true, why
		return st
	}
	keys := map[string]bool{}
	for k, v := range prev.strings {
		if w, ok := r.strings[k]; !ok || w != v {
			keys[k] = true
		}
	}
	for k := range r.strings {
		if _, ok := prev.strings[k]; !ok {
			keys[k] = true
		}
	}
	prev.usesMu.Lock()
	defer prev.usesMu.Unlock()
	for out, u := range prev.uses {
		if u.set != nil && u.set.dynamic != "" {
			return all(u.set.dynamic)
		}
		if changed(u.set) {
			st.outs[out] = true
			continue
		}
		for k := range u.keys {
			if keys[k] {
				st.outs[out] = true
				break
			}
		}
	}
	pages := append(r.site.All(), r.site.WorksheetPages...)
	for _, p := range pages {
		set := r.tmpl.uses[templateFor(p)]
		if set != nil && set.dynamic != "" {
			return all(set.dynamic)
		}
		if _, ok := prev.uses[p.Out]; !ok || changed(set) {
			st.outs[p.Out] = true
		}
	}
	return st
}
