package site

// The contents beside every page (the default theme's navigation) list a
// small manual whole: its modules, each with its sessions and other pages.
// A large manual's list the page's own branch: the pages of each module
// from the home page down to the page's own, other modules left out (the
// home page lists them), so that a page stays small
// and a change of one page reaches the pages of its branch only. What the
// contents of a page list is the site's to say, so that Diff knows which
// pages show a change: see NavShows.

// NavAll is the most sessions a manual may have for the contents beside
// every page to list it whole; a larger one's list the page's branch.
var NavAll = 150

// NavItem is one entry of the contents: a page, and for a module the
// entries under it when they are listed.
type NavItem struct {
	Page *Page
	// Open says the module holds the page the contents are for: it is
	// shown unfolded.
	Open bool
	// Listed says the module's pages are listed (Items may still be
	// empty: a module with no pages); a large manual lists those of the
	// modules on the page's branch only.
	Listed bool
	Items  []*NavItem
}

// NavOpen is the module whose branch the contents of p show open: p's own
// when p is a module or the home page, else its parent's (a handout's, a
// worksheet's: its session's).
func NavOpen(p *Page) *Page {
	for p != nil && p.Of != nil {
		p = p.Of
	}
	if p == nil || p.Kind == Home || p.Kind == Module {
		return p
	}
	return p.Parent
}

// Nav returns the contents for a page whose open module is open (see
// NavOpen): the home page's pages, modules with theirs.
func (s *Site) Nav(open *Page) []*NavItem {
	if s.Home == nil {
		return nil
	}
	branch := map[*Page]bool{}
	for a := open; a != nil; a = a.Parent {
		branch[a] = true
	}
	all := s.navAll()
	var items func(parent *Page) []*NavItem
	items = func(parent *Page) []*NavItem {
		var out []*NavItem
		for _, p := range parent.Pages {
			if p.Kind == Module && !all && !branch[p] {
				continue // a large manual's other modules: see the home page
			}
			it := &NavItem{Page: p}
			if p.Kind == Module {
				it.Open = branch[p]
				it.Listed = all || branch[p]
				if it.Listed {
					it.Items = items(p)
				}
			}
			out = append(out, it)
		}
		return out
	}
	return items(s.Home)
}

// navAll reports whether the contents list every module's pages.
func (s *Site) navAll() bool { return len(s.Sessions) <= NavAll }

// NavLists reports whether the contents beside page q list the pages of
// module (or home page) m: all of a small manual's do; in a large one, the
// modules on q's branch.
func (s *Site) NavLists(q, m *Page) bool {
	if s.navAll() {
		return true
	}
	for a := NavOpen(q); a != nil; a = a.Parent {
		if a == m {
			return true
		}
	}
	return false
}

// NavShows reports whether the contents beside page q list page p.
func (s *Site) NavShows(q, p *Page) bool {
	return p != nil && q != nil && p.Kind != Home && s.NavLists(q, p.Parent)
}
