package author

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"flipchart/generator/diag"
	"flipchart/generator/internal/sitetest"
)

// importCase is a guide in one of the shapes real manuals come in, and the
// fields import must place. A field's wanted value starting with "~" is a
// part of the text it must hold.
type importCase struct {
	file     string
	sessions []map[string]string
	warnings []string // parts of the warnings, in order
	unplaced int      // texts import may keep for trainers, not knowing where they go
}

var importCases = []importCase{
	{"web-copy.txt", []map[string]string{{
		"title": "Reflections/workshop summary", "session": "8", "time": "30–60 min", "activities": "Discussion",
		"summary":    "Participants look back on the workshop and name what they will take home.",
		"objectives": "to reflect on the strategies discussed during the workshop; to identify the next steps for each participant",
		"adaptation": "~If the group is tired",
		"ex1.title":  "Looking back", "ex1.time": "15 min", "ex1.format": "Brainstorm exercise",
		"ex1.summary":      "~Participants list the moments",
		"ex1.keypoints":    "~Group similar answers together",
		"ex1.facilitation": "~Keep the tone light",
	}}, nil, 0},
	{"title-case.txt", []map[string]string{{
		"title": "Understanding Risk", "session": "3", "time": "1 h 30 min", "activities": "Small group work; Plenary discussion",
		"objectives": "to understand the terms used in risk analysis; to apply them to the participants’ own work",
		"adaptation": "~With a group new to risk analysis",
		"materials":  "Definitions of ‘capacity’, ‘risk’, ‘threat’ and ‘vulnerability’ on flipchart paper; Markers; Sticky notes",
		"ex1.title":  "Risk Matrix", "ex1.format": "Small group work", "ex1.time": "45 min",
		"ex1.materials":                        "Definitions of ‘capacity’, ‘risk’, ‘threat’ and ‘vulnerability’ on flipchart paper, markers, sticky notes",
		"ex1.summary":                          "~Groups place the threats",
		"ex1.keypoints":                        "~A threat is a declared",
		"ex1.adaptation:Alternative option(s)": "~Instead of a matrix",
		"ex1.facilitation:Example structure":   "~Start with one example",
		"ex1.facilitation":                     "~Walk between the groups",
		"ex1.facilitation:Workshop example":    "~In one workshop",
	}}, []string{"read “Sessions objectives” as the label “Session objectives”"}, 0},
	{"no-number.txt", []map[string]string{{
		"title": "Closing circle", "session": "1", "time": "20 min", "activities": "Reflection",
		"objectives": "to close the workshop together", "facilitation": "~Stand in a circle",
	}}, []string{"“Closing circle” has no session number: numbered 1"}, 0},
	{"exercise-titles.txt", []map[string]string{{
		"title": "Mapping Allies", "session": "5", "time": "2 h",
		"objectives": "to name the people and groups who can support the participants; to plan how to reach them",
		"materials":  "Cards; Pens; A box",
		"ex1.title":  "Who Stands With Us", "ex1.time": "30 min", "ex1.format": "Group exercise",
		"ex1.summary": "~Each group draws the people", "ex1.keypoints": "~Allies can be close friends",
		"ex2.title": "Reaching Out", "ex2.format": "Pairs", "ex2.time": "45 min", "ex2.materials": "Cards, pens, a box",
		"ex2.summary": "~Pairs write to one ally", "ex2.facilitation": "~Remind the pairs",
	}}, nil, 0},
	{"../html/wordpress-session.html", []map[string]string{{
		"title": "Reflections/workshop summary", "session": "8", "time": "15 min", "activities": "Brainstorm exercise",
		"summary":    "A closing round in which participants look back on the workshop.",
		"objectives": "Review what was learned during the workshop; Plan next steps: one for each participant; one for the group; Collect feedback on the feedback form",
		"adaptation": "~With a large group, split into pairs", "materials": "Flipchart; Markers; Sticky notes",
		"ex1.time": "15 min",
	}}, nil, 1},
	{"manual.txt", []map[string]string{
		{"module": "Day 1: Foundations", "title": "Welcome and Introductions", "session": "1", "time": "45 min",
			"objectives": "to meet one another; to agree on how the group works together", "facilitation": "~Learn every participant’s name"},
		{"module": "Day 1: Foundations", "title": "What Is Security?", "session": "2", "time": "1 h",
			"objectives": "to share what security means to each participant",
			"ex1.title":  "Security Is", "ex1.format": "Plenary discussion", "ex1.time": "30 min", "ex1.materials": "Flipchart paper, markers",
			"ex1.summary": "~Participants complete the sentence", "ex1.keypoints": "~Security means different things"},
		{"module": "Day 2: Planning", "title": "Next Steps", "session": "3", "time": "15–30 min", "adaptation": "~The next steps may also cover"},
	}, nil, 0},
}

// fieldsOf lists what import placed of a guide, as importCase names them.
func fieldsOf(g *Guide, module string) map[string]string {
	f := map[string]string{"title": g.Title, "session": strconv.Itoa(g.Session), "time": g.Time, "module": module,
		"activities": strings.Join(g.Activities, "; "), "objectives": strings.Join(g.Objectives, "; "),
		"materials": strings.Join(g.Materials, "; "), "summary": g.Summary}
	containers := func(prefix string, blocks []*Block) {
		for _, b := range blocks {
			if b.Kind == "exercise" {
				continue
			}
			keys := []string{prefix + b.Kind}
			if b.Title != "" {
				keys = append(keys, prefix+b.Kind+":"+b.Title)
			}
			for _, key := range keys {
				f[key] = strings.TrimSpace(f[key] + "\n" + strings.Join(b.Lines, "\n"))
			}
		}
	}
	containers("", g.Body)
	n := 0
	for _, b := range g.Body {
		if b.Kind != "exercise" {
			continue
		}
		n++
		p := fmt.Sprintf("ex%d.", n)
		f[p+"title"], f[p+"format"], f[p+"time"], f[p+"materials"] = b.Title, b.Format, b.Time, b.Materials
		containers(p, b.Children)
	}
	return f
}

// TestImportShapes imports a guide in each shape real manuals come in and
// scores the fields placed right; every field must be.
func TestImportShapes(t *testing.T) {
	right, total := 0, 0
	for _, tc := range allCases(t) {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			m, diags := readCase(t, tc.file)
			guides := m.Guides()
			if len(guides) != len(tc.sessions) {
				t.Fatalf("%d sessions, want %d", len(guides), len(tc.sessions))
			}
			i := 0
			for _, mod := range m.Modules {
				for _, g := range mod.Guides {
					got := fieldsOf(g, mod.Title)
					for _, k := range slices.Sorted(mapsKeys(tc.sessions[i])) {
						want := tc.sessions[i][k]
						total++
						ok := got[k] == want
						if part, contains := strings.CutPrefix(want, "~"); contains {
							ok = strings.Contains(got[k], part)
						}
						if ok {
							right++
						} else {
							t.Errorf("session %d: %s = %q, want %q", i+1, k, got[k], want)
						}
					}
					i++
				}
			}
			var warnings []string
			for _, d := range diags.Items() {
				warnings = append(warnings, d.Msg)
			}
			for _, w := range tc.warnings {
				if !slices.ContainsFunc(warnings, func(s string) bool { return strings.Contains(s, w) }) {
					t.Errorf("no warning %q in %q", w, warnings)
				}
			}
			if len(m.Unplaced) > tc.unplaced {
				t.Errorf("text not placed: %+v", m.Unplaced)
			}
		})
	}
	t.Logf("fields placed right: %d of %d (%.1f%%)", right, total, 100*float64(right)/float64(total))
}

// casePath is where a case's file is: under testdata/import/shapes, or
// made by the test.
func casePath(file string) string {
	if filepath.IsAbs(file) {
		return file
	}
	return filepath.Join("testdata", "import", "shapes", file)
}

// allCases are importCases and the cases of formats whose files the tests
// make (Word), in a folder of t's.
func allCases(t *testing.T) []importCase {
	dir := t.TempDir()
	word := filepath.Join(dir, "session-8.docx")
	if err := os.WriteFile(word, docxZip(t, docxParts(docxGuide, map[string]string{"styles": docxTestStyles, "numbering": docxTestNumbering})), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := slices.Clone(importCases)
	if _, err := exec.LookPath("pdftotext"); err == nil || os.Getenv("REQUIRE_BROWSER") == "1" {
		printed := filepath.Join(dir, "manual.pdf")
		if err := os.WriteFile(printed, manualPDF(), 0o644); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, importCase{printed, []map[string]string{{
			"title": "Reflections/workshop summary", "session": "8", "time": "30 min",
			"objectives": "to reflect on what participants have learned over the whole workshop and what they want to practise at home; " +
				"to agree on next steps for the group; who will share the notes, and when; to say goodbye",
			"adaptation": "~For groups that have met over several days", "ex1.title": "Closing circle",
			"ex1.facilitation": "~Participants often need encouragement", "ex1.keypoints": "~share one thing they learned",
		}}, nil, 2})
	}
	return append(cases, importCase{word, []map[string]string{{
		"title": "Reflections/workshop summary", "session": "8", "time": "45 min", "activities": "Group discussion; Individual reflection",
		"objectives": "to review what participants learned; to agree on next steps; for each participant",
		"materials":  "Flipchart paper; Markers; Sticky notes", "adaptation": "~Shorten the round",
		"ex1.title": "Looking back", "ex1.format": "Group discussion", "ex1.time": "20 min",
		"ex1.facilitation": "~one thing they will do differently",
	}}, nil, 0})
}

// docxGuide is the body of a Word session guide, in the manual's shape.
var docxGuide = func() string {
	bold, label := docxBold, docxLabel
	return docxP("Heading1", "Session 8: Reflections/workshop summary") +
		label("Time:", "45 min") +
		label("Activities:", "Group discussion, individual reflection") +
		docxP("Heading2", "Session objectives") +
		docxLi(1, 0, "to review what participants learned") +
		docxLi(1, 0, "to agree on next steps") +
		docxLi(1, 1, "for each participant") +
		bold("Required materials:") +
		docxP("", "Flipchart paper, markers, sticky notes") +
		docxP("Heading2", "Adaptation notes") +
		docxP("", "Shorten the round when the group is large (for trainers).") +
		`<w:p><w:r><w:br w:type="page"/></w:r></w:p>` +
		docxP("Heading2", "Exercise: Looking back") +
		label("Format:", "Group discussion") +
		label("Time:", "20 min") +
		docxP("Heading2", "Facilitation notes") +
		docxP("", "Ask participants to ", `</w:t></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>write down</w:t></w:r><w:r><w:t xml:space="preserve"> one thing they will do differently (for trainers).`) +
		docxP("", "Keep the round short, one minute each (for trainers).") +
		`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>`
}()

func mapsKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// readCase reads and numbers a case's guides as Import does.
func readCase(t *testing.T, name string) (*Manual, *diag.List) {
	t.Helper()
	file := casePath(name)
	diags := &diag.List{}
	m := readManual(file, filepath.Base(name), diags)
	if m == nil {
		t.Fatalf("not read: %v", diags.Items())
	}
	numberSessions(m, nil, name, diags)
	return m, diags
}

var sentenceEnd = regexp.MustCompile(`([.!?])(\s+|$)`)

// sentencesOf splits text into its sentences of four words or more,
// normalised for comparing: lower case, spaces collapsed, emphasis and
// bullets dropped. Labels, titles and page furniture are not sentences:
// their values are fields, checked by TestImportShapes.
func sentencesOf(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimLeft(strings.TrimSpace(line), "-•◦▪*0123456789. ")
		_, label := readLabel(line)
		_, _, title := sessionTitle(line)
		_, _, module := moduleHeading(line)
		if label || title || module || furniture(line) || valueList(line) {
			continue
		}
		for _, s := range strings.SplitAfter(sentenceEnd.ReplaceAllString(line, "$1\n"), "\n") {
			s = normSentence(s)
			if len(strings.Fields(s)) >= 4 {
				out = append(out, s)
			}
		}
	}
	return out
}

// valueList reports whether a line is a list of short values
// ("Flipchart, markers, sticky notes"): materials, not a sentence.
func valueList(line string) bool {
	parts := strings.Split(line, ",")
	for _, p := range parts {
		if len(strings.Fields(p)) > 3 {
			return false
		}
	}
	return len(parts) > 1
}

func normSentence(s string) string {
	s = strings.NewReplacer("**", "", "*", "", "\\", "").Replace(plainText(s))
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// TestImportKeepsEverySentence: every sentence of every case's source is in
// the Markdown import writes exactly once, and nothing written under a
// trainers' label (marked "(for trainers)" in the cases) reaches what
// participants get: the handouts and the participants' edition of the
// built site.
func TestImportKeepsEverySentence(t *testing.T) {
	for _, tc := range allCases(t) {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			file := casePath(tc.file)
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			read, _ := readerFor(file)
			doc, err := read(file, data)
			if err != nil {
				t.Fatal(err)
			}
			src := strings.Join(doc.Texts(), "\n")
			dir := sitetest.New(t, map[string]string{"config.toml": "title = \"Imported\"\n", "content/_index.md": "+++\ntitle = \"Home\"\n+++\n"})
			diags := &diag.List{}
			written := Import([]string{file}, ImportOptions{Source: dir}, diags)
			if diags.HasErrors() || len(written) == 0 {
				t.Fatalf("import: %v", diags.Items())
			}
			var out strings.Builder
			for _, w := range written {
				data, _ := os.ReadFile(w)
				out.Write(data)
			}
			md := normSentence(strings.ReplaceAll(out.String(), "\n", " "))
			for _, s := range sentencesOf(src) {
				if n := strings.Count(md, s); n != 1 {
					t.Errorf("%q is in the Markdown %d times, want once", s, n)
				}
			}
			site := buildClean(t, dir)
			checked := 0
			for _, name := range site.Names() {
				if !participants(name) {
					continue
				}
				checked++
				data, _ := site.Get(name)
				if strings.Contains(string(data), "(for trainers)") {
					t.Errorf("%s holds text for trainers", name)
				}
			}
			if checked < 1+len(tc.sessions) {
				t.Errorf("only %d files for participants were checked", checked)
			}
			guide, _ := site.Get("print/index.html")
			if want := strings.Count(src, "(for trainers)"); strings.Count(string(guide), "(for trainers)") != want {
				t.Errorf("the trainers' edition holds %d texts for trainers, want %d", strings.Count(string(guide), "(for trainers)"), want)
			}
		})
	}
}

// participants reports whether a built file is for participants.
func participants(name string) bool {
	return strings.Contains(name, "/handout/") || strings.HasPrefix(name, "print/participants/") || strings.HasPrefix(name, "print/worksheets/")
}

// FuzzReadGuides: no text makes the reader of guides panic, and what it
// writes loads as content (go test -fuzz FuzzReadGuides to search longer).
func FuzzReadGuides(f *testing.F) {
	for _, tc := range importCases {
		data, err := os.ReadFile(filepath.Join("testdata", "import", "shapes", tc.file))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("Session 1:\n\nExercise\n\nFormat:\n"))
	f.Add([]byte("DAY 1\nSession 1: A\nDay 2\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := readPlain("fuzz.txt", data)
		if err != nil {
			return
		}
		m, d := ReadGuides(doc, &diag.List{})
		if d != nil {
			return
		}
		numberSessions(m, nil, "fuzz.txt", &diag.List{})
		if _, ok := planFiles(m, "content", ".", "fuzz.txt", &diag.List{}); !ok {
			t.Errorf("the Markdown made of %q does not load", data)
		}
	})
}

// TestImportFolder: a folder given is imported file by file, in name
// order, what import does not read and a saved page's NAME_files folder
// left out; a manual with module headings comes out as folders with their
// _index.md.
func TestImportFolder(t *testing.T) {
	in := t.TempDir()
	copyCase := func(name, as string) {
		data, err := os.ReadFile(casePath(name))
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Dir(filepath.Join(in, as)), 0o755)
		if err := os.WriteFile(filepath.Join(in, as), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	copyCase("manual.txt", "a-manual.txt")
	copyCase("../html/wordpress-session.html", "b-session.html")
	copyCase("../html/mdbook-session.html", "b-session_files/inner.html")
	copyCase("title-case.txt", "notes.rtf")
	dest := filepath.Join(t.TempDir(), "content")
	diags := &diag.List{}
	written := Import([]string{in}, ImportOptions{Dest: dest}, diags)
	if diags.HasErrors() {
		t.Fatalf("errors: %v", diags.Items())
	}
	var got []string
	for _, w := range written {
		rel, _ := filepath.Rel(dest, w)
		got = append(got, filepath.ToSlash(rel))
	}
	want := []string{"day-1-foundations/_index.md", "day-1-foundations/01-welcome-and-introductions.md",
		"day-1-foundations/02-what-is-security.md", "day-2-planning/_index.md", "day-2-planning/03-next-steps.md",
		"08-reflections-workshop-summary.md"}
	if !slices.Equal(got, want) {
		t.Errorf("written %q, want %q", got, want)
	}
	intro, _ := os.ReadFile(filepath.Join(dest, "day-1-foundations", "_index.md"))
	if !strings.Contains(string(intro), "title = \"Day 1: Foundations\"\nweight = 1\n") ||
		!strings.Contains(string(intro), "The first day introduces the ideas") {
		t.Errorf("the module's _index.md:\n%s", intro)
	}
	// Again: every file exists, so nothing is written, each named.
	diags = &diag.List{}
	if again := Import([]string{in}, ImportOptions{Dest: dest}, diags); len(again) != 0 || diags.Errors() != len(want) {
		t.Errorf("imported again: written %q, %d errors: %v", again, diags.Errors(), diags.Items())
	}
}
