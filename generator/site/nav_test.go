package site

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

// navString writes the contents as an outline: "+" an open module, "="
// a listed one, "-" one whose pages are not listed.
func navString(items []*NavItem, depth int) string {
	var b strings.Builder
	for _, it := range items {
		mark := " "
		if it.Page.Kind == Module {
			mark = "-"
			if it.Listed {
				mark = "="
			}
			if it.Open {
				mark = "+"
			}
		}
		b.WriteString(strings.Repeat("  ", depth) + mark + it.Page.Title + "\n")
		b.WriteString(navString(it.Items, depth+1))
	}
	return b.String()
}

func TestNav(t *testing.T) {
	s := assembleFiles(t, diffBase())
	two := s.Session("2")
	small := "+Day A\n   One\n   Two\n   Three\n=Day B\n   Four\n   Five\n Agenda\n"
	if got := navString(s.Nav(NavOpen(two)), 0); got != small {
		t.Errorf("a small manual's contents:\n%s\nwant:\n%s", got, small)
	}
	if NavOpen(two.Handout) != two.Parent || NavOpen(s.Home) != s.Home || NavOpen(two.Parent) != two.Parent {
		t.Error("NavOpen: a handout opens its session's module, a module and the home page their own")
	}
	defer func(n int) { NavAll = n }(NavAll)
	NavAll = 1
	large := "+Day A\n   One\n   Two\n   Three\n Agenda\n"
	if got := navString(s.Nav(NavOpen(two)), 0); got != large {
		t.Errorf("a large manual's contents:\n%s\nwant:\n%s", got, large)
	}
	if !s.NavShows(two, s.Session("3")) || s.NavShows(two, s.Session("4")) || !s.NavShows(s.Session("4"), two.Parent) {
		t.Error("NavShows: a large manual's contents show the pages of the modules on the page's branch")
	}
}

// TestDiffNav: in a small manual, whose contents beside every page list
// every session, a session's title reaches every page; what the contents
// do not show ([params], a summary) does not.
func TestDiffNav(t *testing.T) {
	files := diffBase()
	old := assembleFiles(t, files)
	files["a/02-two.md"] = diffSession("Two, retitled", 2, "")
	all := slices.Sorted(maps.Keys(Diff(old, assembleFiles(t, files)).Render))
	if len(all) != len(files) {
		t.Errorf("a title: %q render, want every page", all)
	}
	files = diffBase()
	files["a/02-two.md"] = diffSession("Two", 2, "[params]\nx = 1\n")
	if got := Diff(old, assembleFiles(t, files)).Render; len(got) == len(files) {
		t.Errorf("[params]: every page renders")
	}
}
