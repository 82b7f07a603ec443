package build_test

// Who gets what: a site with a marker word in every kind of container and
// with each audience value, nested both ways, built with the default theme.
// Every page for trainers (the session, the guide's print edition) holds
// every marker; every file participants get (handouts, the participants'
// edition, worksheet pages, the worksheets edition, and their PDFs) holds
// the participants' markers and no trainer's one, anywhere in the file.

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"flipchart/generator/browser"
	"flipchart/generator/build"
	"flipchart/generator/diag"
	"flipchart/generator/internal/sitetest"
	"flipchart/generator/markup"
)

// audMarker is a word that must reach trainers and, unless trainers is set,
// participants; worksheet is set for the participants' worksheet's words.
type audMarker struct {
	word      string
	trainers  bool
	worksheet bool
	home      bool // on the home page, not the session
}

// audSite returns the fixture's files and its markers.
func audSite() (map[string]string, []audMarker) {
	var marks []audMarker
	mark := func(trainers bool, id string) string {
		aud := "P"
		if trainers {
			aud = "T"
		}
		w := "zz" + aud + id + "zz"
		marks = append(marks, audMarker{word: w, trainers: trainers})
		return w
	}
	var b strings.Builder
	b.WriteString("+++\ntitle = \"Audience\"\nsession = 1\ntime = \"60 min\"\n")
	fmt.Fprintf(&b, "materials = [%q]\nsummary = \"Summary %s.\"\nobjectives = [\"to see %s\"]\n+++\n\n",
		mark(true, "fmmaterials"), mark(false, "fmsummary"), mark(false, "objective"))
	fmt.Fprintf(&b, "Text outside any container: %s.\n\n## Heading %s\n\n", mark(false, "body"), mark(false, "heading"))

	// Every kind, as the kinds table says it is for.
	var kinds []string
	for name, k := range markup.Kinds {
		if k.Element != "div" && name != "column" && name != "worksheet" {
			kinds = append(kinds, name)
		}
	}
	sort.Strings(kinds)
	for _, name := range kinds {
		fmt.Fprintf(&b, "::: %s\nThe kind %s says %s.\n:::\n\n", name, name, mark(markup.Kinds[name].Trainers, "kind"+name))
	}
	// Aliases resolve to their kinds' audience.
	for _, alias := range []string{"instructor", "prep", "key-points", "callout"} {
		k, _ := markup.LookupKind(alias)
		fmt.Fprintf(&b, "::: %s\nThe alias %s says %s.\n:::\n\n", alias, alias, mark(k.Trainers, "alias"+strings.ReplaceAll(alias, "-", "")))
	}
	// Titles, an exercise's facts, overrides and nesting.
	fmt.Fprintf(&b, "::: exercise Exercise %s {format=%q time=\"10 min\" materials=%q}\nDo it: %s.\n:::\n\n",
		mark(false, "extitle"), mark(false, "exformat"), mark(true, "exmaterials"), mark(false, "exbody"))
	fmt.Fprintf(&b, "::: exercise Materials only {materials=%q}\nAgain.\n:::\n\n", mark(true, "exonlymaterials"))
	fmt.Fprintf(&b, "::: keypoints Points %s\nPoints say %s.\n:::\n\n", mark(true, "kptitle"), mark(true, "kpbody"))
	fmt.Fprintf(&b, "::: solution Answer %s\nThe answer is %s.\n:::\n\n", mark(true, "soltitle"), mark(true, "solbody"))
	fmt.Fprintf(&b, "::: keypoints Shared %s {audience=\"participants\"}\nShared points say %s.\n:::\n\n", mark(false, "kpsharedtitle"), mark(false, "kpshared"))
	fmt.Fprintf(&b, "::: facilitation {audience=\"participants\"}\nAn open note says %s.\n:::\n\n", mark(false, "openfacilitation"))
	fmt.Fprintf(&b, "::: note {audience=\"trainers\"}\nA private note says %s.\n:::\n\n", mark(true, "privatenote"))
	fmt.Fprintf(&b, "::: summary {audience=\"trainers\"}\nA private summary says %s.\n:::\n\n", mark(true, "privatesummary"))
	fmt.Fprintf(&b, ":::: facilitation\nOuter trainers say %s.\n\n::: note {audience=\"participants\"}\nInside them, %s.\n:::\n\nThen %s.\n::::\n\n",
		mark(true, "outer"), mark(true, "innerparticipants"), mark(true, "outerafter"))
	fmt.Fprintf(&b, ":::: keypoints {audience=\"participants\"}\nOuter participants say %s.\n\n::: tip {audience=\"trainers\"}\nInside them, %s.\n:::\n\nThen %s.\n::::\n\n",
		mark(false, "outerp"), mark(true, "innertrainers"), mark(false, "outerpafter"))
	fmt.Fprintf(&b, "::::: exercise Deep\nAll say %s.\n\n:::: solution\nThe solution says %s.\n\n::: facilitation\nDeeper, %s.\n:::\n::::\n:::::\n\n",
		mark(false, "deepall"), mark(true, "deepsolution"), mark(true, "deepfacilitation"))

	// The participants' worksheet, with parts for trainers.
	ws := len(marks)
	fmt.Fprintf(&b, "::::: worksheet Sheet %s {#sheet}\nFill in %s.\n\n", mark(false, "wstitle"), mark(false, "wsbody"))
	fmt.Fprintf(&b, ":::: columns\n::: column Column %s\nIn the column, %s.\n:::\n::::\n\n", mark(false, "columntitle"), mark(false, "column"))
	fmt.Fprintf(&b, "::: lines {count=2}\nLines for %s\n:::\n\n", mark(false, "lines"))
	fmt.Fprintf(&b, "::: lines {count=2 audience=\"trainers\"}\nA model answer: %s\n:::\n\n", mark(true, "modellines"))
	fmt.Fprintf(&b, "::: table {rows=2}\n| Action %s | Who |\n|---|---|\n:::\n\n", mark(false, "table"))
	fmt.Fprintf(&b, "::: facilitation\nHand it out after %s.\n:::\n:::::\n\n", mark(true, "wsfacilitation"))
	for i := ws; i < len(marks); i++ {
		marks[i].worksheet = true
	}
	// A worksheet for trainers only: in the guide, with no page of its own.
	fmt.Fprintf(&b, ":::: facilitation\n::: worksheet Observer %s\nWatch for %s.\n:::\n::::\n", mark(true, "wstrainertitle"), mark(true, "wstrainer"))

	home := "+++\ntitle = \"Home\"\n+++\nWelcome, " + mark(false, "home") + ".\n\n::: facilitation\nTrainers only: " + mark(true, "home") + ".\n:::\n"
	marks[len(marks)-1].home, marks[len(marks)-2].home = true, true

	files := map[string]string{
		"config.toml":                  "title = \"Audience Manual\"\nauthor = \"Tester\"\n",
		"content/_index.md":            home,
		"content/day-1/_index.md":      "+++\ntitle = \"Day 1\"\n+++\n",
		"content/day-1/01-audience.md": b.String(),
	}
	return files, marks
}

// audParticipants reports whether participants get the output file at p.
func audParticipants(p string) bool {
	return strings.Contains(p, "/handout/") || strings.HasPrefix(p, "print/participants/") ||
		strings.HasPrefix(p, "print/worksheets/") || strings.HasPrefix(p, "worksheets/") ||
		strings.HasPrefix(p, "pdf/") && !strings.HasPrefix(p, "pdf/guide")
}

func TestAudienceSite(t *testing.T) {
	files, marks := audSite()
	var archive strings.Builder
	for name, data := range files {
		archive.WriteString("-- " + name + " --\n" + data)
	}
	s := newSite(t, archive.String()).build(build.Options{}).ok()
	s.assertNoWarnings()
	if n := len(s.res.Site.WorksheetPages); n != 1 {
		t.Fatalf("%d worksheet pages, want 1 (the trainers' worksheet has none)", n)
	}
	sheet := s.res.Site.WorksheetPages[0].Out

	// What each file must show: every marker, or the participants' ones.
	type want struct {
		trainers bool // every marker, not only the participants'
		session  bool // the session's markers
		home     bool // the home page's
		sheet    bool // the worksheet's only
	}
	wants := map[string]want{
		"day-1/01-audience/index.html":         {trainers: true, session: true},
		"print/index.html":                     {trainers: true, session: true, home: true},
		"day-1/01-audience/handout/index.html": {session: true},
		"print/participants/index.html":        {session: true, home: true},
		sheet:                                  {sheet: true},
		"print/worksheets/index.html":          {sheet: true},
	}
	for name, w := range wants {
		raw := s.file(name)
		text := plainText(raw)
		for _, m := range marks {
			expected := (m.home && w.home || !m.home && w.session || m.worksheet && w.sheet) && (w.trainers || !m.trainers)
			if w.sheet && !m.worksheet {
				expected = false
			}
			switch {
			case expected && !strings.Contains(text, m.word):
				t.Errorf("%s does not show %s", name, m.word)
			case !expected && strings.Contains(raw, m.word):
				t.Errorf("%s holds %s", name, m.word)
			}
		}
	}

	// The property, over the build in memory (as flipchart serve makes it)
	// and the one on disk (as flipchart build writes it, the editions
	// streamed as the pages render).
	audProperty(t, "in memory", s.out.Names(), s.file, marks)
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := build.ToDir(sitetest.New(t, files), dest, build.Options{}); err != nil {
		t.Fatal(err)
	}
	var names []string
	err := filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dest, p)
			names = append(names, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	audProperty(t, "on disk", names, func(name string) string {
		b, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}, marks)
}

// audProperty checks that no file participants get holds anything for
// trainers, in its text, attributes or comments.
func audProperty(t *testing.T, build string, names []string, read func(string) string, marks []audMarker) {
	t.Helper()
	var participantFiles int
	for _, name := range names {
		if !audParticipants(name) {
			continue
		}
		participantFiles++
		raw := read(name)
		for _, m := range marks {
			if m.trainers && strings.Contains(raw, m.word) {
				t.Errorf("%s: %s, for participants, holds the trainers' %s", build, name, m.word)
			}
		}
		if strings.Contains(raw, "fc:trainers") {
			t.Errorf("%s: %s, for participants, holds a trainers' marker comment", build, name)
		}
	}
	if participantFiles < 5 {
		t.Errorf("%s: only %d files for participants among %v", build, participantFiles, names)
	}
}

// TestAudienceHandoutMaterials: with [handouts] materials = true the
// materials reach participants, the rest for trainers still does not.
func TestAudienceHandoutMaterials(t *testing.T) {
	files, marks := audSite()
	files["config.toml"] += "\n[handouts]\nmaterials = true\n"
	var archive strings.Builder
	for name, data := range files {
		archive.WriteString("-- " + name + " --\n" + data)
	}
	s := newSite(t, archive.String()).build(build.Options{}).ok()
	for _, name := range []string{"day-1/01-audience/handout/index.html", "print/participants/index.html"} {
		text := plainText(s.file(name))
		for _, m := range marks {
			materials := strings.Contains(m.word, "materials")
			if got := strings.Contains(text, m.word); m.trainers && got != materials {
				t.Errorf("%s shows %s: %v, want %v", name, m.word, got, materials)
			}
		}
	}
	s = newSite(t, "-- config.toml --\n[handouts]\nmaterals = true\n").build(build.Options{})
	s.assertDiag(diag.Error, "config.toml:2", "materals")
}

// TestPDFAudience prints the fixture and reads the PDFs participants get
// with pdftotext: none holds a trainers' marker, and the guide holds them
// all. It skips without Chromium or poppler-utils, unless REQUIRE_BROWSER=1.
func TestPDFAudience(t *testing.T) {
	ctx := browser.ForTest(t)
	pdfNeedTools(t)
	files, marks := audSite()
	dir := sitetest.New(t, files)
	dest := filepath.Join(t.TempDir(), "public")
	res, n, err := build.PDF(ctx, dir, dest, build.PDFOptions{})
	if err != nil {
		t.Fatalf("flipchart pdf on the fixture: %v", err)
	}
	if n < 5 {
		t.Fatalf("%d PDFs, want the three editions, a handout and a worksheet", n)
	}
	for _, f := range build.PDFFiles(res.Site) {
		text := pdfTool(t, "pdftotext", "-enc", "UTF-8", filepath.Join(dest, filepath.FromSlash(f.Path)), "-")
		// A marker wrapped at a line's end, hyphenated or set in capitals
		// is still one.
		text = strings.ToLower(strings.ReplaceAll(strings.Join(strings.Fields(text), ""), "-", ""))
		participants := audParticipants(f.Path)
		if !participants && f.Path != "pdf/guide.pdf" {
			t.Errorf("%s is neither the guide nor for participants", f.Path)
		}
		for _, m := range marks {
			got := strings.Contains(text, strings.ToLower(m.word))
			switch {
			case participants && m.trainers && got:
				t.Errorf("%s holds the trainers' %s", f.Path, m.word)
			case !participants && !got:
				t.Errorf("%s lacks %s", f.Path, m.word)
			case participants && !m.trainers && !m.home && got != true &&
				(f.Path == "pdf/session-01-handout.pdf" || f.Path == "pdf/participants.pdf" || m.worksheet):
				t.Errorf("%s lacks the participants' %s", f.Path, m.word)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dest, "pdf", "participants.pdf")); err != nil {
		t.Error(err)
	}
}
