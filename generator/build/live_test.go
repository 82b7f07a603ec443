package build_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"flipchart/generator/build"

	"flipchart/generator/internal/sitetest"
)

// liveSite writes a small manual: two modules of sessions, one linking to
// another by number, and an agenda.
func liveSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"config.toml":             "title = \"Live\"\n",
		"content/_index.md":       "+++\ntitle = \"Live\"\n+++\nHome.\n",
		"content/a/_index.md":     "+++\ntitle = \"Day A\"\nweight = 1\n+++\n",
		"content/a/01-one.md":     "+++\ntitle = \"One\"\nsession = 1\ntime = \"30 min\"\n+++\nFirst.\n",
		"content/a/02-two.md":     "+++\ntitle = \"Two\"\nsession = 2\ntime = \"30 min\"\n+++\nSecond body.\n",
		"content/a/03-three.md":   "+++\ntitle = \"Three\"\nsession = 3\ntime = \"30 min\"\n+++\nThird.\n",
		"content/b/_index.md":     "+++\ntitle = \"Day B\"\nweight = 2\n+++\n",
		"content/b/04-four.md":    "+++\ntitle = \"Four\"\nsession = 4\ntime = \"30 min\"\n+++\nFourth.\n",
		"content/b/05-five.md":    "+++\ntitle = \"Five\"\nsession = 5\ntime = \"30 min\"\n+++\nSee [](session:2).\n",
		"content/b/06-six.md":     "+++\ntitle = \"Six\"\nsession = 6\ntime = \"30 min\"\n+++\nSixth.\n",
		"content/agenda.md":       "+++\ntitle = \"Agenda\"\ntype = \"agenda\"\nweight = 9\n[[days]]\nstart = \"09:00\"\nsessions = [1, 2]\n+++\n",
		"static/css/extra.css":    "p { }\n",
		"layouts/partials/x.html": "{{ define \"x\" }}{{ end }}\n",
	}
	for name, text := range files {
		sitetest.WriteFile(t, dir, name, text)
	}
	return dir
}

func liveStart(t *testing.T) (*build.Live, string) {
	t.Helper()
	dir := liveSite(t)
	src, closeSrc, err := build.OpenSource(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeSrc)
	l := build.NewLive(src, build.Options{})
	if u := l.Build(); u.Site == nil {
		t.Fatalf("first build failed: %v", u.Result.Err())
	}
	return l, dir
}

func livePage(t *testing.T, u *build.Update, name string) string {
	t.Helper()
	b, ok := u.Site.Get(name)
	if !ok {
		t.Fatalf("%s is not in the site", name)
	}
	return nbspAsSpace(b)
}

// TestLiveRebuildCounts asserts how many pages each kind of edit renders
// again.
func TestLiveRebuildCounts(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(dir string) []build.Change
		want  []string // the pages rendered again, exactly
		check func(t *testing.T, u *build.Update)
	}{
		{
			name: "a body edit renders the page and its handout",
			edit: func(dir string) []build.Change {
				sitetest.WriteFile(t, dir, "content/a/02-two.md", "+++\ntitle = \"Two\"\nsession = 2\ntime = \"30 min\"\n+++\nSecond body, edited.\n")
				return []build.Change{{Path: "content/a/02-two.md"}}
			},
			want: []string{"a/02-two/handout/index.html", "a/02-two/index.html"},
			check: func(t *testing.T, u *build.Update) {
				if !strings.Contains(livePage(t, u, "a/02-two/index.html"), "Second body, edited.") {
					t.Error("the page does not show the edit")
				}
			},
		},
		{
			name: "a body edit of a session no agenda lists",
			edit: func(dir string) []build.Change {
				sitetest.WriteFile(t, dir, "content/b/06-six.md", "+++\ntitle = \"Six\"\nsession = 6\ntime = \"30 min\"\n+++\nSixth, edited.\n")
				return []build.Change{{Path: "content/b/06-six.md"}}
			},
			want: []string{"b/06-six/handout/index.html", "b/06-six/index.html"},
		},
		{
			name: "a body edit that changes an exercise's materials renders the agenda listing it and the materials page too",
			edit: func(dir string) []build.Change {
				sitetest.WriteFile(t, dir, "content/a/02-two.md", "+++\ntitle = \"Two\"\nsession = 2\ntime = \"30 min\"\n+++\nSecond body.\n\n::: exercise Drawing {materials=\"Chalk\"}\nDraw.\n:::\n")
				return []build.Change{{Path: "content/a/02-two.md"}}
			},
			want: []string{"a/02-two/handout/index.html", "a/02-two/index.html", "agenda/index.html", "materials/index.html"},
			check: func(t *testing.T, u *build.Update) {
				if !strings.Contains(livePage(t, u, "materials/index.html"), "Chalk") {
					t.Error("the materials page does not list the new material")
				}
			},
		},
		{
			name: "a new title renders every page of a small manual (the contents beside each list it)",
			edit: func(dir string) []build.Change {
				sitetest.WriteFile(t, dir, "content/a/02-two.md", "+++\ntitle = \"Second\"\nsession = 2\ntime = \"30 min\"\n+++\nSecond body.\n")
				return []build.Change{{Path: "content/a/02-two.md"}}
			},
			want: []string{
				// The contents beside every page of a small manual list
				// every session: every page shows the new title.
				"a/01-one/handout/index.html", "a/01-one/index.html",
				"a/02-two/handout/index.html", "a/02-two/index.html",
				"a/03-three/handout/index.html", "a/03-three/index.html",
				"a/index.html",
				"agenda/index.html",
				"b/04-four/handout/index.html", "b/04-four/index.html",
				"b/05-five/handout/index.html", "b/05-five/index.html",
				"b/06-six/handout/index.html", "b/06-six/index.html",
				"b/index.html",
				"index.html",
				"materials/index.html", "objectives/index.html", "worksheets/index.html",
			},
			check: func(t *testing.T, u *build.Update) {
				if !strings.Contains(livePage(t, u, "b/05-five/index.html"), "Session 2: Second") {
					t.Error("the page linking session 2 does not show its new title")
				}
				if !strings.Contains(livePage(t, u, "a/03-three/index.html"), "Second") {
					t.Error("the next page's pager does not show the new title")
				}
			},
		},
		{
			name: "a deleted session is gone and its neighbours are rendered again",
			edit: func(dir string) []build.Change {
				os.Remove(filepath.Join(dir, "content/a/03-three.md"))
				return []build.Change{{Path: "content/a/03-three.md", Removed: true}}
			},
			want: []string{
				// Every page's contents list it: every page but the
				// handouts of sessions whose pages are not rendered again
				// for themselves.
				"a/01-one/handout/index.html", "a/01-one/index.html",
				"a/02-two/handout/index.html", "a/02-two/index.html",
				"a/index.html",
				"agenda/index.html",
				"b/04-four/handout/index.html", "b/04-four/index.html",
				"b/05-five/handout/index.html", "b/05-five/index.html",
				"b/06-six/handout/index.html", "b/06-six/index.html",
				"b/index.html",
				"index.html",
				"materials/index.html", "objectives/index.html", "worksheets/index.html",
			},
			check: func(t *testing.T, u *build.Update) {
				if _, ok := u.Site.Get("a/03-three/index.html"); ok {
					t.Error("the deleted page is still served")
				}
				if !slices.Contains(u.Removed, "a/03-three/index.html") || !slices.Contains(u.Removed, "a/03-three/handout/index.html") {
					t.Errorf("removed %v", u.Removed)
				}
			},
		},
		{
			name: "a session template renders the sessions only (handouts are rendered with them)",
			edit: func(dir string) []build.Change {
				tpl, _ := os.ReadFile("../../themes/default/layouts/session.html")
				sitetest.WriteFile(t, dir, "layouts/session.html", strings.Replace(string(tpl), "<article", "<!-- edited --><article", 1))
				return []build.Change{{Path: "layouts/session.html"}}
			},
			want: []string{
				"a/01-one/handout/index.html", "a/01-one/index.html", "a/02-two/handout/index.html", "a/02-two/index.html",
				"a/03-three/handout/index.html", "a/03-three/index.html", "b/04-four/handout/index.html", "b/04-four/index.html",
				"b/05-five/handout/index.html", "b/05-five/index.html", "b/06-six/handout/index.html", "b/06-six/index.html",
			},
		},
		{
			name: "a UI string only handouts show renders the handouts alone",
			edit: func(dir string) []build.Change {
				en, _ := os.ReadFile("../../themes/default/i18n/en.toml")
				text := strings.Replace(string(en), `print_handout = "Print this handout"`, `print_handout = "Print it"`, 1)
				if text == string(en) {
					t.Fatal("the theme's en.toml has no print_handout to edit")
				}
				sitetest.WriteFile(t, dir, "i18n/en.toml", text)
				return []build.Change{{Path: "i18n/en.toml"}}
			},
			want: []string{
				"a/01-one/handout/index.html", "a/02-two/handout/index.html", "a/03-three/handout/index.html",
				"b/04-four/handout/index.html", "b/05-five/handout/index.html", "b/06-six/handout/index.html",
			},
			check: func(t *testing.T, u *build.Update) {
				if !strings.Contains(livePage(t, u, "a/02-two/handout/index.html"), "Print it") {
					t.Error("the handout does not show the new string")
				}
			},
		},
		{
			name: "a partial no template uses renders nothing",
			edit: func(dir string) []build.Change {
				sitetest.WriteFile(t, dir, "layouts/partials/x.html", "{{ define \"x\" }}edited{{ end }}\n")
				return []build.Change{{Path: "layouts/partials/x.html"}}
			},
			want: nil,
		},
		{
			name: "a stylesheet is copied without rendering a page",
			edit: func(dir string) []build.Change {
				sitetest.WriteFile(t, dir, "static/css/extra.css", "p { color: red }\n")
				return []build.Change{{Path: "static/css/extra.css"}}
			},
			want: nil,
			check: func(t *testing.T, u *build.Update) {
				if !u.CSSOnly || livePage(t, u, "css/extra.css") != "p{color:red}" {
					t.Errorf("CSSOnly %v, css %q", u.CSSOnly, livePage(t, u, "css/extra.css"))
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, dir := liveStart(t)
			u := l.Apply(tt.edit(dir))
			if u.Site == nil {
				t.Fatalf("rebuild failed: %v", u.Result.Err())
			}
			if got := withoutSearchPage(u.Rendered); !slices.Equal(got, tt.want) {
				t.Errorf("rendered %d pages:\n%s\nwant %d:\n%s", len(got), strings.Join(got, "\n"), len(tt.want), strings.Join(tt.want, "\n"))
			}
			if tt.check != nil {
				tt.check(t, u)
			}
		})
	}
}

func TestLiveConfigRebuildsEverything(t *testing.T) {
	l, dir := liveStart(t)
	sitetest.WriteFile(t, dir, "config.toml", "title = \"Renamed\"\n")
	u := l.Apply([]build.Change{{Path: "config.toml"}})
	if u.Site == nil || !u.Full || len(u.Rendered) < 14 {
		t.Fatalf("full %v, %d pages rendered", u.Full, len(u.Rendered))
	}
}

// TestLiveKeepsLastGoodSite: a broken edit fails, the last good site stays;
// the fix rebuilds.
func TestLiveKeepsLastGoodSite(t *testing.T) {
	l, dir := liveStart(t)
	sitetest.WriteFile(t, dir, "content/a/02-two.md", "+++\ntitle = \"Two\"\nsession = \"two\"\n+++\nBroken.\n")
	u := l.Apply([]build.Change{{Path: "content/a/02-two.md"}})
	if u.Site != nil || !u.Result.Diags.HasErrors() {
		t.Fatal("a broken front matter did not fail the rebuild")
	}
	if !strings.Contains(u.Result.Err().Error(), "content/a/02-two.md:3:11") {
		t.Errorf("error %v lacks the position", u.Result.Err())
	}
	sitetest.WriteFile(t, dir, "content/a/02-two.md", "+++\ntitle = \"Two\"\nsession = 2\n+++\nFixed.\n")
	u = l.Apply([]build.Change{{Path: "content/a/02-two.md"}})
	if u.Site == nil {
		t.Fatalf("the fix did not rebuild: %v", u.Result.Err())
	}
	if !strings.Contains(livePage(t, u, "a/02-two/index.html"), "Fixed.") {
		t.Error("the fixed page is not served")
	}
}

// A live edit that breaks a link fails like a build (the last good site
// stays), whether the link is in the page edited or in a page linking the
// one edited; the fix brings the site back.
func TestLiveBrokenLinks(t *testing.T) {
	l, dir := liveStart(t)
	edit := func(name, text string) *build.Update {
		sitetest.WriteFile(t, dir, name, text)
		return l.Apply([]build.Change{{Path: name}})
	}
	one := "content/a/01-one.md"
	two := "content/a/02-two.md"
	if u := edit(one, "+++\ntitle = \"One\"\nsession = 1\ntime = \"30 min\"\n+++\nSee [two](02-two.md#second).\n"); u.Site != nil {
		t.Fatalf("a link to a missing ID was served; diags: %v", u.Result.Diags.Items())
	} else if !strings.Contains(u.Result.Err().Error(), "content/a/01-one.md:6:5") {
		t.Errorf("the error does not name the line: %v", u.Result.Err())
	}
	if u := edit(two, "+++\ntitle = \"Two\"\nsession = 2\ntime = \"30 min\"\n+++\n## Second\n\nSecond body.\n"); u.Site == nil {
		t.Fatalf("adding the heading did not mend the link: %v", u.Result.Err())
	}
	// The heading goes again: session 1, not edited, now links nowhere.
	if u := edit(two, "+++\ntitle = \"Two\"\nsession = 2\ntime = \"30 min\"\n+++\nSecond body.\n"); u.Site != nil {
		t.Fatal("removing the heading a page links was served")
	} else if !strings.Contains(u.Result.Err().Error(), "content/a/01-one.md:6:5") {
		t.Errorf("the error does not name the linking page's line: %v", u.Result.Err())
	}
	if u := edit(one, "+++\ntitle = \"One\"\nsession = 1\ntime = \"30 min\"\n+++\nSee [two](02-two.md).\n"); u.Site == nil {
		t.Fatalf("the fixed link still fails: %v", u.Result.Err())
	}
}

// A site's own i18n file, new or edited, re-renders every page with the new
// strings, as a full build shows them.
func TestLiveSiteStrings(t *testing.T) {
	l, dir := liveStart(t)
	sitetest.WriteFile(t, dir, "i18n/en.toml", "contents = \"Table of contents\"\n")
	u := l.Apply([]build.Change{{Path: "i18n/en.toml"}})
	if u.Site == nil {
		t.Fatalf("the update failed: %v", u.Result.Err())
	}
	if len(u.Rendered) < 10 {
		t.Errorf("%d pages re-rendered after a site i18n file appeared, want every page", len(u.Rendered))
	}
	if page := livePage(t, u, "a/02-two/index.html"); !strings.Contains(page, "Table of contents") {
		t.Error("a page does not show the site's own string")
	}
}

// A session's [params] edit re-renders its module, whose template may
// show them.
func TestLiveParamsReachTheModule(t *testing.T) {
	l, dir := liveStart(t)
	sitetest.WriteFile(t, dir, "layouts/module.html", `{{ define "main" }}{{ range .Page.Pages }}<p>{{ .Title }}: {{ .Params.level }}</p>{{ end }}{{ end }}`)
	if u := l.Apply([]build.Change{{Path: "layouts/module.html"}}); u.Site == nil {
		t.Fatalf("the template edit failed: %v", u.Result.Err())
	}
	sitetest.WriteFile(t, dir, "content/a/02-two.md", "+++\ntitle = \"Two\"\nsession = 2\ntime = \"30 min\"\n[params]\nlevel = \"advanced\"\n+++\nSecond body.\n")
	u := l.Apply([]build.Change{{Path: "content/a/02-two.md"}})
	if u.Site == nil {
		t.Fatalf("the params edit failed: %v", u.Result.Err())
	}
	if page := livePage(t, u, "a/index.html"); !strings.Contains(page, "Two: advanced") {
		t.Errorf("the module page does not show the new params:\n%s", page)
	}
}

// A partial only the session template uses re-renders the sessions (their
// handouts with them) when it is edited, and no other page.
func TestLivePartialOfSessions(t *testing.T) {
	l, dir := liveStart(t)
	tpl, _ := os.ReadFile("../../themes/default/layouts/session.html")
	sitetest.WriteFile(t, dir, "layouts/session.html", strings.Replace(string(tpl), "<article", `{{ template "note" . }}<article`, 1))
	sitetest.WriteFile(t, dir, "layouts/partials/note.html", `{{ define "note" }}<p>{{ .T "note" }}</p>{{ end }}`)
	if u := l.Apply([]build.Change{{Path: "layouts/session.html"}, {Path: "layouts/partials/note.html"}}); u.Site == nil {
		t.Fatalf("the template edit failed: %v", u.Result.Err())
	}
	sitetest.WriteFile(t, dir, "layouts/partials/note.html", `{{ define "note" }}<p class="note">{{ .T "note" }}</p>{{ end }}`)
	u := l.Apply([]build.Change{{Path: "layouts/partials/note.html"}})
	if u.Site == nil {
		t.Fatalf("the partial edit failed: %v", u.Result.Err())
	}
	want := []string{
		"a/01-one/handout/index.html", "a/01-one/index.html", "a/02-two/handout/index.html", "a/02-two/index.html",
		"a/03-three/handout/index.html", "a/03-three/index.html", "b/04-four/handout/index.html", "b/04-four/index.html",
		"b/05-five/handout/index.html", "b/05-five/index.html", "b/06-six/handout/index.html", "b/06-six/index.html",
	}
	if got := withoutSearchPage(u.Rendered); !slices.Equal(got, want) {
		t.Errorf("rendered %d pages:\n%s\nwant %d:\n%s", len(got), strings.Join(got, "\n"), len(want), strings.Join(want, "\n"))
	}
	if !strings.Contains(livePage(t, u, "a/02-two/index.html"), `<p class="note">note</p>`) {
		t.Error("a session does not show the edited partial")
	}
}

// A template flipchart cannot follow (a .Cached piece named at run time)
// renders every page again, and the terminal says why.
func TestLiveTemplatesNotFollowed(t *testing.T) {
	l, dir := liveStart(t)
	sitetest.WriteFile(t, dir, "layouts/module.html", `{{ define "main" }}{{ $n := "x" }}{{ .Cached $n }}{{ end }}`)
	u := l.Apply([]build.Change{{Path: "layouts/module.html"}})
	if u.Site == nil {
		t.Fatalf("the template edit failed: %v", u.Result.Err())
	}
	if len(u.Rendered) < 14 || !strings.HasPrefix(u.String(), "rebuilt everything (") {
		t.Errorf("%d pages rendered; %q", len(u.Rendered), u.String())
	}
}

// withoutSearchPage drops the search page from the pages a rebuild
// rendered: it is made again with the index whenever a page is (its
// index files are checked by the search tests), as the print editions are.
func withoutSearchPage(rendered []string) []string {
	return slices.DeleteFunc(slices.Clone(rendered), func(f string) bool { return f == "search/index.html" })
}
