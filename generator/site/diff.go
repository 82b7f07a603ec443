package site

import (
	"reflect"
	"slices"
)

// Changes is what differs between two assemblies of a site, as the pages
// show it: see Diff.
type Changes struct {
	// Changed maps the content path of each page of the reading order
	// whose data differ to the names of the fields that differ, sorted;
	// a page only one site has is "added" or "removed" (a draft left out
	// or taken in too). "" is the home page flipchart makes, without a
	// content file.
	Changed map[string][]string
	// Render are the content paths of the pages of the new site that show
	// something changed: the changed pages, and the pages that show them
	// (see Diff). "" is the home page flipchart makes.
	Render map[string]bool
	// Lists names the fields of Site holding pages (Home, Pages, Modules,
	// Sessions, Agendas, Prints...) that hold other pages than before, by
	// identity or order, or a page whose data changed: a template that
	// lists one of them shows the change, on whatever page it runs.
	Lists map[string]bool
}

// Field names Changes.Changed gives a page that only one site has.
const (
	Added   = "added"
	Removed = "removed"
)

// Diff compares two assemblies of a site, old and new, and says which
// pages' shown data changed, and which pages show them.
//
// Every exported field of Page is compared, but Source and Derived (the
// file as read and what rendering learnt: what a page shows of them is
// in the other fields, or is rendering's to compare). Fields are found by
// reflection, so a field added to Page is compared without editing a
// list here. Pages a field holds (Parent, Prev, Next, Pages, Handout, an
// agenda's sessions) are compared by identity: their content path, or
// their kind and file for the pages flipchart makes; what changed of
// those pages is theirs to report.
//
// The fields holding pages are a page's place in the graph; the others
// are its data. A page shows of another page (a link, a pager, a
// breadcrumb, an agenda's row) its data only, so the pages shown are:
//   - the changed pages themselves;
//   - their ancestors, in either site, whatever changed: a home or module
//     page lists everything under it, with its own lists;
//   - and, when a page's data changed (or it came or went): its
//     neighbours (Prev, Next) in either site, the pages under it (their
//     breadcrumbs), the agendas listing it, and the pages whose
//     Derived.Refs (in either site) name it;
//   - pages whose breadcrumbs lead through other pages than before;
//   - pages whose Derived.Refs hold a session reference (SessionRefKey)
//     that finds another page now, or none;
//   - the pages whose contents (Site.Nav) list a page whose data changed.
//
// Diff changes neither site.
func Diff(old, new *Site) Changes {
	c := Changes{Changed: map[string][]string{}, Render: map[string]bool{}}
	oldBy, newBy := readingOrder(old), readingOrder(new)
	data := map[string]bool{} // the pages whose data changed, or that came or went
	for k, p := range newBy {
		q := oldBy[k]
		if q == nil {
			c.Changed[k] = []string{Added}
			data[k] = true
			continue
		}
		fields, ofData := comparePages(q, p)
		if len(fields) > 0 {
			c.Changed[k] = fields
		}
		if ofData {
			data[k] = true
		}
	}
	for k := range oldBy {
		if newBy[k] == nil {
			c.Changed[k] = []string{Removed}
			data[k] = true
		}
	}
	mark := func(p *Page) {
		if p == nil {
			return
		}
		if k := identity(p); newBy[k] != nil {
			c.Render[k] = true
		}
	}
	for k := range c.Changed {
		for _, by := range []map[string]*Page{oldBy, newBy} {
			p := by[k]
			if p == nil {
				continue
			}
			mark(p)
			for a := p.Parent; a != nil; a = a.Parent {
				mark(a)
			}
			if data[k] {
				mark(p.Prev)
				mark(p.Next)
			}
		}
	}
	for k, p := range newBy {
		q := oldBy[k]
		if q == nil {
			continue
		}
		if !sameAncestors(p, q) {
			mark(p)
		}
		for a := p.Parent; a != nil; a = a.Parent {
			if data[identity(a)] {
				mark(p)
			}
		}
	}
	for _, st := range []*Site{old, new} {
		for _, p := range st.Pages {
			if p.Derived == nil {
				continue
			}
			for _, ref := range p.Derived.Refs {
				if data[ref] {
					mark(p)
				}
				if n, to, ok := ParseSessionRefKey(ref); ok && pathOf(new.Session(n)) != to {
					mark(p)
				}
			}
		}
		for _, a := range st.Agendas {
			if a.Schedule == nil {
				continue
			}
			for _, s := range a.Schedule.Sessions() {
				if data[identity(s)] {
					mark(a)
				}
			}
		}
	}
	homeNav := markNav(old, new, oldBy, newBy, c.Changed, mark)
	c.Lists = map[string]bool{}
	if homeNav {
		c.Lists[NavList] = true
	}
	for _, f := range siteLists {
		if a, b := f.pages(old), f.pages(new); !samePages(a, b, data) {
			c.Lists[f.name] = true
		}
	}
	return c
}

// navFields are the fields of a page the contents beside every page show
// (see Site.Nav): its entry, and its place.
var navFields = map[string]bool{"Title": true, "Session": true, "Time": true, "Kind": true, "URL": true, "Out": true,
	"Parent": true, Added: true, Removed: true}

// NavList is the name Changes.Lists gives the contents (see Site.Nav) of
// the pages made of others (materials, objectives…), whose contents are
// the home page's branch: a template showing the contents (render's .Nav)
// shows their change as one naming a list of the site's pages does.
const NavList = "Nav"

// markNav marks the pages whose contents (see Site.Nav) show a change: a
// page's entry changed, or the list of a module's pages; what each page's
// contents list is Site.NavLists's to say. It reports whether the contents
// of the home page's branch changed.
func markNav(old, new *Site, oldBy, newBy map[string]*Page, changed map[string][]string, mark func(*Page)) bool {
	modules := map[*Page]bool{} // the new site's modules whose listed pages changed
	for k, fields := range changed {
		entry, list := false, false
		for _, f := range fields {
			entry = entry || navFields[f]
			list = list || f == "Pages"
		}
		for _, by := range []map[string]*Page{oldBy, newBy} {
			p := by[k]
			if p == nil {
				continue
			}
			if list {
				modules[newBy[k]] = true
			}
			if entry && p.Kind != Home && p.Parent != nil {
				modules[newBy[identity(p.Parent)]] = true
			}
		}
	}
	delete(modules, nil) // a module only the old site has: its parent's list changed too
	// A manual that grew past NavAll, or shrank under it, lists other pages
	// on every page.
	all := len(modules) > 0 && old.navAll() != new.navAll()
	for _, q := range newBy {
		if all {
			mark(q)
			continue
		}
		for m := range modules {
			if new.NavLists(q, m) {
				mark(q)
				break
			}
		}
	}
	return all || modules[new.Home] || len(modules) > 0 && new.navAll()
}

// samePages reports whether two lists hold the same pages in the same
// order, none of whose data changed.
func samePages(a, b []*Page, data map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for i, p := range b {
		if k := identity(p); k != identity(a[i]) || data[k] {
			return false
		}
	}
	return true
}

// siteList is a field of Site holding pages, a *Page or a []*Page.
type siteList struct {
	index int
	name  string
}

var siteLists = listsOfSite()

// PageLists names every exported field of Site that holds pages.
func PageLists() []string {
	var out []string
	for _, f := range pageFieldsOfSite() {
		out = append(out, f.name)
	}
	return out
}

// listsOfSite finds the exported fields of Site that hold pages, but
// WorksheetPages, which rendering fills and compares (like Derived), and
// Extra, the pages made of others, whose data Diff does not compare.
func listsOfSite() []siteList {
	return slices.DeleteFunc(pageFieldsOfSite(), func(f siteList) bool { return f.name == "WorksheetPages" || f.name == "Extra" })
}

// pageFieldsOfSite finds the exported fields of Site that hold pages.
func pageFieldsOfSite() []siteList {
	t := reflect.TypeFor[Site]()
	var out []siteList
	for i := range t.NumField() {
		f := t.Field(i)
		if f.IsExported() && (f.Type == pagePtr || f.Type == reflect.SliceOf(pagePtr)) {
			out = append(out, siteList{index: i, name: f.Name})
		}
	}
	return out
}

// pages returns the pages the field holds in s.
func (f siteList) pages(s *Site) []*Page {
	v := reflect.ValueOf(s).Elem().Field(f.index)
	if p, ok := v.Interface().(*Page); ok {
		if p == nil {
			return nil
		}
		return []*Page{p}
	}
	return v.Interface().([]*Page)
}

// readingOrder maps the pages of the reading order by identity.
func readingOrder(s *Site) map[string]*Page {
	m := make(map[string]*Page, len(s.Pages))
	for _, p := range s.Pages {
		m[identity(p)] = p
	}
	return m
}

// identity names a page across two assemblies: its content path, or for
// a page flipchart makes its kind and file ("" for the home page).
func identity(p *Page) string {
	switch {
	case p == nil:
		return "\x00none"
	case p.Kind == Home && p.Source == nil:
		return ""
	case p.Source != nil && p.Kind != Handout:
		return p.Source.Path
	}
	return p.Kind.String() + ":" + p.Out
}

// sameAncestors reports whether two versions of a page have the same
// ancestors (their breadcrumbs).
func sameAncestors(p, q *Page) bool {
	a, b := p.Parent, q.Parent
	for ; a != nil && b != nil; a, b = a.Parent, b.Parent {
		if identity(a) != identity(b) {
			return false
		}
	}
	return a == nil && b == nil
}

// pathOf is a page's content path, "" for none.
func pathOf(p *Page) string {
	if p == nil || p.Source == nil {
		return ""
	}
	return p.Source.Path
}

// pageField is a field of Page that Diff compares.
type pageField struct {
	index int
	name  string
	graph bool // it holds pages: the page's place, not its data
}

var (
	pagePtr    = reflect.TypeFor[*Page]()
	pageFields = fieldsOfPage()
)

// fieldsOfPage lists the exported fields of Page but Source and Derived.
func fieldsOfPage() []pageField {
	t := reflect.TypeFor[Page]()
	var out []pageField
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || f.Name == "Source" || f.Name == "Derived" {
			continue
		}
		out = append(out, pageField{index: i, name: f.Name, graph: holdsPages(f.Type, map[reflect.Type]bool{})})
	}
	return out
}

// holdsPages reports whether a value of type t may hold a *Page.
func holdsPages(t reflect.Type, seen map[reflect.Type]bool) bool {
	if t == pagePtr {
		return true
	}
	if seen[t] {
		return false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return holdsPages(t.Elem(), seen)
	case reflect.Map:
		return holdsPages(t.Key(), seen) || holdsPages(t.Elem(), seen)
	case reflect.Struct:
		for i := range t.NumField() {
			if holdsPages(t.Field(i).Type, seen) {
				return true
			}
		}
	}
	return false
}

// comparePages returns the names of the fields that differ between two
// versions of a page, and whether one of them is of the page's data.
func comparePages(a, b *Page) (fields []string, data bool) {
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	for _, f := range pageFields {
		if !equal(va.Field(f.index), vb.Field(f.index)) {
			fields = append(fields, f.name)
			data = data || !f.graph
		}
	}
	slices.Sort(fields)
	return fields, data
}

// equal compares two values of one type deeply, pages by identity. A nil
// slice or map equals an empty one: templates show them alike.
func equal(a, b reflect.Value) bool {
	if a.Type() == pagePtr {
		// UnsafePointer, not Interface: a field may be unexported.
		return identity((*Page)(a.UnsafePointer())) == identity((*Page)(b.UnsafePointer()))
	}
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return a.Pointer() == b.Pointer() || equal(a.Elem(), b.Elem())
	case reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return a.Elem().Type() == b.Elem().Type() && equal(a.Elem(), b.Elem())
	case reflect.Slice, reflect.Array:
		if a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !equal(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.Len() != b.Len() {
			return false
		}
		it := a.MapRange()
		for it.Next() {
			v := b.MapIndex(it.Key())
			if !v.IsValid() || !equal(it.Value(), v) {
				return false
			}
		}
		return true
	case reflect.Struct:
		for i := range a.NumField() {
			if !equal(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Bool:
		return a.Bool() == b.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return a.Int() == b.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return a.Uint() == b.Uint()
	case reflect.Float32, reflect.Float64:
		return a.Float() == b.Float()
	case reflect.Complex64, reflect.Complex128:
		return a.Complex() == b.Complex()
	case reflect.String:
		return a.String() == b.String()
	}
	// Funcs, channels: by identity.
	return a.IsNil() == b.IsNil() && (a.IsNil() || a.Pointer() == b.Pointer())
}
