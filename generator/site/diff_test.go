package site

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"flipchart/generator/config"
	"flipchart/generator/content"
	"flipchart/generator/diag"
)

// diffBase is a small manual: two modules of sessions, one linking two
// others by number, and an agenda of sessions 1 and 2.
func diffBase() map[string]string {
	s := diffSession
	return map[string]string{
		"_index.md":     "+++\ntitle = \"Home\"\n+++\n",
		"a/_index.md":   "+++\ntitle = \"Day A\"\nweight = 1\n+++\n",
		"a/01-one.md":   s("One", 1, ""),
		"a/02-two.md":   s("Two", 2, ""),
		"a/03-three.md": s("Three", 3, ""),
		"b/_index.md":   "+++\ntitle = \"Day B\"\nweight = 2\n+++\n",
		"b/04-four.md":  s("Four", 4, ""),
		"b/05-five.md":  s("Five", 5, ""),
		"agenda.md":     "+++\ntitle = \"Agenda\"\ntype = \"agenda\"\nweight = 9\n[[days]]\nstart = \"09:00\"\nsessions = [1, 2]\n+++\n",
	}
}

// diffSession is a session's file, with more front matter lines.
func diffSession(title string, n int, extra string) string {
	return fmt.Sprintf("+++\ntitle = %q\nsession = %d\ntime = \"30 min\"\n%s+++\nBody.\n", title, n, extra)
}

func assembleFiles(t testing.TB, files map[string]string) *Site {
	t.Helper()
	var c content.Content
	var diags diag.List
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if s := content.Parse("content/"+name, []byte(files[name]), &diags); s != nil {
			c.Sources = append(c.Sources, s)
		}
	}
	s := Assemble(config.Default(), &c, Options{}, &diags)
	if diags.HasErrors() {
		t.Fatalf("assembling: %v", diags.Items())
	}
	return s
}

// withRefs gives a page the references rendering would find:
// b/05-five.md links sessions 2 and 3 by number.
func withRefs(s *Site) {
	if p := s.PageOf("b/05-five.md"); p != nil {
		p.Derived = &Derived{Refs: []string{
			"a/02-two.md", SessionRefKey("2", "a/02-two.md"),
			"a/03-three.md", SessionRefKey("3", "a/03-three.md"),
		}}
	}
}

func TestDiff(t *testing.T) {
	// As in a large manual, whose contents list the sessions of a page's
	// own module only (see TestDiffNav for a small one).
	defer func(n int) { NavAll = n }(NavAll)
	NavAll = 0
	session := diffSession
	tests := []struct {
		name    string
		edit    func(f map[string]string)
		changed map[string][]string
		render  []string
		lists   []string // "" for none
	}{
		{
			name: "a body edit changes nothing",
			edit: func(f map[string]string) { f["a/02-two.md"] += "More.\n" },
		},
		{
			name: "a title: the page, its neighbours, module, home, agenda and pages linking it",
			edit: func(f map[string]string) { f["a/02-two.md"] = session("Second", 2, "") },
			changed: map[string][]string{
				"a/02-two.md": {"Title"},
				"agenda.md":   {"Schedule"}, // a row shows the session's title
			},
			render: []string{"_index.md", "a/01-one.md", "a/02-two.md", "a/03-three.md", "a/_index.md", "agenda.md", "b/05-five.md"},
			lists:  []string{"Pages", "Sessions"},
		},
		{
			name:    "a summary",
			edit:    func(f map[string]string) { f["a/03-three.md"] = session("Three", 3, "summary = \"Why\"\n") },
			changed: map[string][]string{"a/03-three.md": {"Summary"}},
			render:  []string{"_index.md", "a/02-two.md", "a/03-three.md", "a/_index.md", "b/05-five.md", "b/_index.md"},
			lists:   []string{"Pages", "Sessions"},
		},
		{
			name: "a time: the agenda's clock too",
			edit: func(f map[string]string) {
				f["a/01-one.md"] = strings.Replace(session("One", 1, ""), "30 min", "45 min", 1)
			},
			changed: map[string][]string{
				"a/01-one.md": {"Time"},
				"agenda.md":   {"Schedule"},
			},
			render: []string{"_index.md", "a/01-one.md", "a/02-two.md", "a/03-three.md", "a/_index.md", "agenda.md"},
			lists:  []string{"Pages", "Sessions"},
		},
		{
			name: "objectives, activities and materials",
			edit: func(f map[string]string) {
				f["b/04-four.md"] = session("Four", 4, "objectives = [\"Know\"]\nactivities = [\"Talk\"]\nmaterials = [\"Pens\"]\n")
			},
			changed: map[string][]string{"b/04-four.md": {"Activities", "Materials", "Objectives"}},
			render:  []string{"_index.md", "b/04-four.md", "b/05-five.md", "b/_index.md"},
			lists:   []string{"Pages", "Sessions"},
		},
		{
			name:    "a session number: references by number find another page",
			edit:    func(f map[string]string) { f["a/03-three.md"] = session("Three", 7, "") },
			changed: map[string][]string{"a/03-three.md": {"Session"}},
			// b/05-five.md's "session 3" finds nothing now.
			render: []string{"_index.md", "a/01-one.md", "a/02-two.md", "a/03-three.md", "a/_index.md", "b/05-five.md", "b/_index.md"},
			lists:  []string{"Pages", "Sessions"},
		},
		{
			name: "a slug moves the page's URL",
			edit: func(f map[string]string) { f["b/04-four.md"] = session("Four", 4, "slug = \"quatre\"\n") },
			changed: map[string][]string{
				"b/04-four.md": {"Handout", "Out", "URL"},
			},
			render: []string{"_index.md", "b/04-four.md", "b/05-five.md", "b/_index.md"},
			lists:  []string{"Pages", "Sessions"},
		},
		{
			name: "a module's weight reorders the site; its pages' breadcrumbs show it",
			edit: func(f map[string]string) { f["b/_index.md"] = "+++\ntitle = \"Day B\"\nweight = 10\n+++\n" },
			changed: map[string][]string{
				"_index.md":     {"Pages"},
				"a/03-three.md": {"Next"},
				"agenda.md":     {"Next", "Prev"},
				"b/_index.md":   {"Prev", "Weight"},
				"b/05-five.md":  {"Next"},
			},
			render: []string{"_index.md", "a/01-one.md", "a/02-two.md", "a/03-three.md", "a/_index.md", "agenda.md", "b/04-four.md", "b/05-five.md", "b/_index.md"},
			lists:  []string{"Modules", "Nav", "Pages"},
		},
		{
			name: "a module's title shows in the breadcrumbs under it",
			edit: func(f map[string]string) { f["a/_index.md"] = "+++\ntitle = \"First day\"\nweight = 1\n+++\n" },
			changed: map[string][]string{
				"a/_index.md": {"Title"},
			},
			render: []string{"_index.md", "a/01-one.md", "a/02-two.md", "a/03-three.md", "a/_index.md", "agenda.md", "b/04-four.md", "b/05-five.md", "b/_index.md"},
			lists:  []string{"Modules", "Nav", "Pages"},
		},
		{
			name: "a move to another module",
			edit: func(f map[string]string) {
				f["b/03-three.md"] = f["a/03-three.md"]
				delete(f, "a/03-three.md")
			},
			changed: map[string][]string{
				"a/03-three.md": {Removed},
				"b/03-three.md": {Added},
				"a/02-two.md":   {"Next"},
				"a/_index.md":   {"Pages"},
				"b/_index.md":   {"Next", "Pages", "Prev"},
				"b/04-four.md":  {"Prev"},
			},
			render: []string{"_index.md", "a/01-one.md", "a/02-two.md", "a/_index.md", "b/03-three.md", "b/04-four.md", "b/05-five.md", "b/_index.md"},
			lists:  []string{"Pages", "Sessions"},
		},
		{
			name: "a new page",
			edit: func(f map[string]string) { f["b/06-six.md"] = session("Six", 6, "") },
			changed: map[string][]string{
				"b/06-six.md":  {Added},
				"b/05-five.md": {"Next"},
				"b/_index.md":  {"Pages"},
				"agenda.md":    {"Prev"},
			},
			render: []string{"_index.md", "agenda.md", "b/04-four.md", "b/05-five.md", "b/06-six.md", "b/_index.md"},
			lists:  []string{"Pages", "Sessions"},
		},
		{
			name: "a deleted page",
			edit: func(f map[string]string) { delete(f, "a/03-three.md") },
			changed: map[string][]string{
				"a/03-three.md": {Removed},
				"a/02-two.md":   {"Next"},
				"a/_index.md":   {"Pages"},
				"b/_index.md":   {"Prev"},
			},
			render: []string{"_index.md", "a/01-one.md", "a/02-two.md", "a/_index.md", "b/05-five.md", "b/_index.md"},
			lists:  []string{"Pages", "Sessions"},
		},
		{
			name: "a draft is left out",
			edit: func(f map[string]string) { f["b/04-four.md"] = session("Four", 4, "draft = true\n") },
			changed: map[string][]string{
				"b/04-four.md": {Removed},
				"b/05-five.md": {"Prev"},
				"b/_index.md":  {"Next", "Pages"},
			},
			render: []string{"_index.md", "b/05-five.md", "b/_index.md"},
			lists:  []string{"Pages", "Sessions"},
		},
		{
			name:    "params",
			edit:    func(f map[string]string) { f["a/02-two.md"] = session("Two", 2, "[params]\nlevel = \"advanced\"\n") },
			changed: map[string][]string{"a/02-two.md": {"Params"}},
			render:  []string{"_index.md", "a/01-one.md", "a/02-two.md", "a/03-three.md", "a/_index.md", "agenda.md", "b/05-five.md"},
			lists:   []string{"Pages", "Sessions"},
		},
		{
			name: "an agenda's sessions",
			edit: func(f map[string]string) {
				f["agenda.md"] = strings.Replace(f["agenda.md"], "[1, 2]", "[1, { break = \"Tea\", time = \"15 min\" }, 3]", 1)
			},
			changed: map[string][]string{"agenda.md": {"Schedule"}},
			render:  []string{"_index.md", "agenda.md"},
		},
		{
			name: "an agenda's title is in every page's header",
			edit: func(f map[string]string) {
				f["agenda.md"] = strings.Replace(f["agenda.md"], "\"Agenda\"", "\"Plan\"", 1)
			},
			changed: map[string][]string{"agenda.md": {"Title"}},
			render:  []string{"_index.md", "a/01-one.md", "a/02-two.md", "a/03-three.md", "a/_index.md", "agenda.md", "b/04-four.md", "b/05-five.md", "b/_index.md"},
			lists:   []string{"Agendas", "Nav", "Pages"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := diffBase()
			old := assembleFiles(t, files)
			withRefs(old)
			tt.edit(files)
			cur := assembleFiles(t, files)
			got := Diff(old, cur)
			want := tt.changed
			if want == nil {
				want = map[string][]string{}
			}
			if !reflect.DeepEqual(got.Changed, want) {
				t.Errorf("changed\n%v\nwant\n%v", got.Changed, want)
			}
			render := slices.Sorted(maps.Keys(got.Render))
			sort.Strings(tt.render)
			if !slices.Equal(render, tt.render) {
				t.Errorf("render\n%q\nwant\n%q", render, tt.render)
			}
			if lists := slices.Sorted(maps.Keys(got.Lists)); !slices.Equal(lists, tt.lists) {
				t.Errorf("lists %q; want %q", lists, tt.lists)
			}
		})
	}
}

// A home page flipchart makes is "" in Changes.
func TestDiffMadeUpHome(t *testing.T) {
	files := diffBase()
	delete(files, "_index.md")
	old := assembleFiles(t, files)
	files["a/04-new.md"] = strings.Replace(files["b/04-four.md"], "session = 4", "session = 6", 1)
	got := Diff(old, assembleFiles(t, files))
	if !got.Render[""] {
		t.Errorf("the made-up home page is not rendered again: %v", got.Render)
	}
}

// Every exported field of Page but Source and Derived is compared, and the
// fields holding pages are told from the page's own data, without a list.
func TestDiffFields(t *testing.T) {
	var names, graph []string
	for _, f := range pageFields {
		names = append(names, f.name)
		if f.graph {
			graph = append(graph, f.name)
		}
	}
	if slices.Contains(names, "Source") || slices.Contains(names, "Derived") {
		t.Errorf("fields %v", names)
	}
	want := []string{"Parent", "Pages", "Prev", "Next", "Handout", "Of", "Schedule"}
	if !slices.Equal(graph, want) {
		t.Errorf("fields holding pages %v, want %v", graph, want)
	}
	unexported := 0
	for f := range reflect.TypeFor[Page]().Fields() {
		if !f.IsExported() {
			unexported++
		}
	}
	if n := reflect.TypeFor[Page]().NumField(); len(names) != n-2-unexported {
		t.Errorf("%d fields compared of %d", len(names), n)
	}
}

// BenchmarkDiff compares two assemblies of a manual of 10,000 sessions in
// 100 modules, one session's title changed.
func BenchmarkDiff(b *testing.B) {
	files := map[string]string{"_index.md": "+++\ntitle = \"Home\"\n+++\n"}
	for m := range 100 {
		dir := fmt.Sprintf("m%03d", m)
		files[dir+"/_index.md"] = fmt.Sprintf("+++\ntitle = \"Module %d\"\nweight = %d\n+++\n", m, m+1)
		for i := range 100 {
			n := m*100 + i + 1
			files[fmt.Sprintf("%s/%05d.md", dir, n)] = diffSession(fmt.Sprintf("S%d", n), n, "")
		}
	}
	old := assembleFiles(b, files)
	files["m050/05001.md"] = diffSession("Renamed", 5001, "")
	cur := assembleFiles(b, files)
	for b.Loop() {
		if c := Diff(old, cur); len(c.Changed) != 1 {
			b.Fatalf("changed %v", c.Changed)
		}
	}
}
