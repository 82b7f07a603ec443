package author

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"flipchart/generator/build"
	"flipchart/generator/diag"
	"flipchart/generator/publish"

	"flipchart/generator/internal/sitetest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func TestSlug(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Next Steps", "next-steps"},
		{"  Next   Steps  ", "next-steps"},
		{"Threat Mapping: Part 2", "threat-mapping-part-2"},
		{"Participants’ Needs", "participants-needs"},
		{"Don't Panic!", "dont-panic"},
		{"Safety & Well-being", "safety-and-well-being"},
		{"Évaluation et clôture", "evaluation-et-cloture"},
		{"Straße über Łódź", "strasse-uber-lodz"},
		{"Æsir Œuvre", "aesir-oeuvre"},
		{"Cafe\u0301", "cafe"}, // e + combining acute
		{"Безопасность", "bezopasnost"},
		{"Цифровая безопасность", "tsifrovaya-bezopasnost"},
		{"الأمن الرقمي", ""},
		{"会议 Notes", "notes"},
		{"--Already-Dashed--", "already-dashed"},
		{"2024 Review", "2024-review"},
		{strings.Repeat("word ", 20), "word-word-word-word-word-word-word-word-word-word-word-word"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Slug(tt.in); got != tt.want {
			t.Errorf("Slug(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFileName(t *testing.T) {
	tests := []struct {
		n     int
		title string
		want  string
	}{
		{11, "Next Steps", "11-next-steps.md"},
		{3, "Threat Mapping", "03-threat-mapping.md"},
		{120, "Late", "120-late.md"},
		{4, "الأمن الرقمي", "04-session.md"},
	}
	for _, tt := range tests {
		if got := fileName(tt.n, tt.title); got != tt.want {
			t.Errorf("fileName(%d, %q) = %q, want %q", tt.n, tt.title, got, tt.want)
		}
	}
}

func TestSentenceCase(t *testing.T) {
	tests := []struct{ in, want string }{
		{"BRAINSTORM EXERCISE", "Brainstorm exercise"},
		{"FLIPCHART PAPER, MARKERS", "Flipchart paper, markers"},
		{"FLIPCHART PAPER", "Flipchart paper"},
		{"MARKERS", "Markers"},
		{"USB STICKS AND A4 PAPER", "USB sticks and A4 paper"},
		{"LAPTOPS WITH VPN. ONE PER GROUP", "Laptops with VPN. One per group"},
		{"WHAT I KNOW", "What I know"},
		{"ÉTUDE DE CAS", "Étude de cas"},
		{"SMALL-GROUP WORK", "Small-group work"},
		{"Brainstorm exercise", "Brainstorm exercise"}, // not shouting: as it is
		{"Flipchart paper, markers", "Flipchart paper, markers"},
		{"iPads", "iPads"},
		{"A", "A"},
		{"", ""},
		{"15–30 MIN", "15–30 min"},
	}
	for _, tt := range tests {
		if got := SentenceCase(tt.in); got != tt.want {
			t.Errorf("SentenceCase(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTitleCase(t *testing.T) {
	tests := []struct{ in, want string }{
		{"NEXT STEPS", "Next Steps"},
		{"THE NEXT STEPS FOR THE GROUP", "The Next Steps for the Group"},
		{"DIGITAL SECURITY: USB AND SIM CARDS", "Digital Security: USB and SIM Cards"},
		{"Next Steps", "Next Steps"},
	}
	for _, tt := range tests {
		if got := TitleCase(tt.in); got != tt.want {
			t.Errorf("TitleCase(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestReadLabel(t *testing.T) {
	tests := []struct {
		in                       string
		kind, title, value, near string
		ok                       bool
	}{
		{"TIME: 15–30 MINUTES", "time", "", "15–30 MINUTES", "", true},
		{"ACTIVITIES:", "activities", "", "", "", true},
		{"Session objectives", "objectives", "", "", "", true},
		{"Session Objectives:", "objectives", "", "", "", true},
		{"**Time:** 15 min", "time", "", "15 min", "", true},
		{"**Adaptation notes**", "adaptation", "", "", "", true},
		{"Adaptation notes:", "adaptation", "", "", "", true},
		{"Key explanation points", "keypoints", "", "", "", true},
		{"Facilitation notes", "facilitation", "", "", "", true},
		{"REQUIRED MATERIALS: FLIPCHART PAPER, MARKERS", "materials", "", "FLIPCHART PAPER, MARKERS", "", true},
		{"EXERCISE 2: Role Play", "exercise", "", "Role Play", "", true},
		{"FACILITATOR’S NOTES:", "facilitation", "", "", "", true},
		{"Alternative option(s)", "adaptation", "Alternative option(s)", "", "", true},
		{"Example structure:", "facilitation", "Example structure", "", "", true},
		{"Workshop example", "facilitation", "Workshop example", "", "", true},
		{"Sessions objectives", "objectives", "", "", "SESSION OBJECTIVES", true},
		{"Facilitaton notes", "facilitation", "", "", "FACILITATION NOTES", true},
		{"Adaptaion notes:", "adaptation", "", "", "ADAPTATION NOTES", true},
		{"TIME: 10:00", "time", "", "10:00", "", true},
		{"Session 11: *Next Steps*", "", "", "", "", false},
		{"Timing is everything.", "", "", "", "", false},
		{"- TIP: a bullet", "", "", "", "", false},
		{"https://example.org", "", "", "", "", false},
		{"Times", "", "", "", "", false},
		{"This is a whole sentence: with a colon", "", "", "", "", false},
	}
	for _, tt := range tests {
		l, ok := readLabel(tt.in)
		if ok != tt.ok || l.kind != tt.kind || l.title != tt.title || l.value != tt.value || l.known != tt.near {
			t.Errorf("readLabel(%q) = %+v, %v; want kind %q title %q value %q near %q, %v", tt.in, l, ok, tt.kind, tt.title, tt.value, tt.near, tt.ok)
		}
	}
}

func TestSessionTitle(t *testing.T) {
	tests := []struct {
		in    string
		n     int
		title string
		ok    bool
	}{
		{"Session 11: *Next Steps*", 11, "Next Steps", true},
		{"Session 11: Next Steps", 11, "Next Steps", true},
		{"SESSION 4 – THREAT MAPPING", 4, "Threat Mapping", true},
		{"Session 2. **Understanding Risk**", 2, "Understanding Risk", true},
		{"  session 7: _Responding to Incidents_", 7, "Responding to Incidents", true},
		{"**Session 8:**", 8, "", true},
		{"Session 8", 8, "", true},
		{"Session 0: Nothing", 0, "", false},
		{"Session eleven: Next Steps", 0, "", false},
		{"In Session 9: Recommendations", 0, "", false},
		{"Session 9: Recommendations is replaced with an alternate session, which takes longer than most.", 0, "", false},
	}
	for _, tt := range tests {
		n, title, ok := sessionTitle(tt.in)
		if n != tt.n || title != tt.title || ok != tt.ok {
			t.Errorf("sessionTitle(%q) = %d, %q, %v; want %d, %q, %v", tt.in, n, title, ok, tt.n, tt.title, tt.ok)
		}
	}
}

func TestModuleHeading(t *testing.T) {
	tests := []struct {
		in    string
		n     int
		title string
		ok    bool
	}{
		{"Day 1", 1, "Day 1", true},
		{"DAY 2: PLANNING AND COMMITMENT", 2, "Day 2: Planning and Commitment", true},
		{"Module II – Digital security", 2, "Module II – Digital security", true},
		{"Part three", 3, "Part three", true},
		{"Day 1 begins with a round of introductions.", 0, "", false},
		{"Daylight", 0, "", false},
	}
	for _, tt := range tests {
		n, title, ok := moduleHeading(tt.in)
		if n != tt.n || title != tt.title || ok != tt.ok {
			t.Errorf("moduleHeading(%q) = %d, %q, %v; want %d, %q, %v", tt.in, n, title, ok, tt.n, tt.title, tt.ok)
		}
	}
}

func TestCutBullet(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"- to discuss", "to discuss", true},
		{"* item", "item", true},
		{"• item", "item", true},
		{"  – item", "item", true},
		{"-not a bullet", "", false},
		{"-", "", false},
		{"plain", "", false},
	}
	for _, tt := range tests {
		got, ok := cutBullet(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("cutBullet(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSplitMaterials(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"FLIPCHART PAPER, MARKERS", []string{"FLIPCHART PAPER", "MARKERS"}},
		{"Paper; pens; tape.", []string{"Paper", "pens", "tape"}},
		{"Paper (A4, A3), markers", []string{"Paper (A4, A3)", "markers"}},
		{" , ", nil},
		{"flipchart paper, markers and tape", []string{"flipchart paper", "markers", "tape"}},
		{"pens; and sticky notes", []string{"pens", "sticky notes"}},
		{"definitions of ‘capacity’, ‘risk’, ‘threat’ and ‘vulnerability’ on flipchart paper, markers",
			[]string{"definitions of ‘capacity’, ‘risk’, ‘threat’ and ‘vulnerability’ on flipchart paper", "markers"}},
		{"Copies of the participants’ agenda, pens", []string{"Copies of the participants’ agenda", "pens"}},
		{"A projector and a laptop with the slides.", []string{"A projector and a laptop with the slides"}},
	}
	for _, tt := range tests {
		if got := splitMaterials(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("splitMaterials(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSplitLines(t *testing.T) {
	got := splitLines("\uFEFFA\u00a0B\r\n \u00a0 \r\nC\u200b\rD  ")
	want := []srcLine{{1, "A B"}, {2, ""}, {3, "C"}, {4, "D"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("splitLines = %v, want %v", got, want)
	}
}

func TestTomlString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Next Steps", `"Next Steps"`},
		{`Say "hi" \ bye`, `"Say \"hi\" \\ bye"`},
		{"tab\there\x01", `"tab\there\u0001"`},
		{"‘curly’", `"‘curly’"`},
	}
	for _, tt := range tests {
		if got := tomlString(tt.in); got != tt.want {
			t.Errorf("tomlString(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestModulePath(t *testing.T) {
	tests := []struct {
		in, want string
		usage    bool
	}{
		{"day-3", "day-3", false},
		{"content/day-3", "day-3", false},
		{"./content/day-3/", "day-3", false},
		{"content", ".", false},
		{"part-1/day-2", "part-1/day-2", false},
		{"../elsewhere", "", true},
		{"content/../../x", "", true},
		{"/etc", "", true},
	}
	for _, tt := range tests {
		got, err := modulePath(tt.in)
		if got != tt.want || (err != nil) != tt.usage || (err != nil && !errors.Is(err, ErrUsage)) {
			t.Errorf("modulePath(%q) = %q, %v; want %q, usage error %v", tt.in, got, err, tt.want, tt.usage)
		}
	}
}

// TestImportGolden converts the seed, Session 11, and compares the Markdown
// byte for byte with testdata/import/11-next-steps.md. Regenerate it with
// go test ./generator/author -run Golden -update.
func TestImportGolden(t *testing.T) {
	dir := filepath.Join("testdata", "import")
	data, err := os.ReadFile(filepath.Join(dir, "session-11-next-steps.txt"))
	if err != nil {
		t.Fatal(err)
	}
	diags := &diag.List{}
	g, d := ParseGuide("session-11-next-steps.txt", data, diags)
	if d != nil {
		t.Fatal(d)
	}
	for _, d := range diags.Items() {
		t.Errorf("unexpected: %v", d)
	}
	if name := fileName(g.Session, g.Title); name != "11-next-steps.md" {
		t.Errorf("file name %q, want 11-next-steps.md", name)
	}
	got := g.Markdown()
	golden := filepath.Join(dir, "11-next-steps.md")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the import differs from %s (run with -update if the change is right):\n%s", golden, firstDiff(string(want), string(got)))
	}
}

func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + a + "\n  got:  " + b
		}
	}
	return "(same lines, different bytes)"
}

// smallSite is a manual with a Session 9, which Session 11 mentions by number
// and title ("Session 9: Recommendations").
var smallSite = map[string]string{
	"config.toml": "title = \"Test Manual\"\n",
	"content/_index.md": `+++
title = "Home"
+++
Welcome.
`,
	"content/day-3/_index.md": `+++
title = "Day 3: Planning and Commitment"
weight = 3
+++
`,
	"content/day-3/09-recommendations.md": `+++
title = "Recommendations"
session = 9
time = "45–60 min"
weight = 9
+++
Participants write recommendations.
`,
}

// buildClean builds the site in dir and fails on any error or warning.
func buildClean(t *testing.T, dir string) *publish.Memory {
	t.Helper()
	out := publish.NewMemory()
	res := build.Render(os.DirFS(dir), out, build.Options{})
	for _, d := range res.Diags.Items() {
		t.Errorf("build: %v", d)
	}
	if res.Diags.Dropped() > 0 {
		t.Errorf("build: %d more errors", res.Diags.Dropped())
	}
	return out
}

func TestImportedSeedBuilds(t *testing.T) {
	dir := sitetest.New(t, smallSite)
	diags := &diag.List{}
	dest := filepath.Join(dir, "content", "day-3")
	written := Import([]string{filepath.Join("testdata", "import", "session-11-next-steps.txt")},
		ImportOptions{Source: dir, Dest: dest}, diags)
	for _, d := range diags.Items() {
		t.Errorf("import: %v", d)
	}
	if want := []string{filepath.Join(dest, "11-next-steps.md")}; !reflect.DeepEqual(written, want) {
		t.Fatalf("written %q, want %q", written, want)
	}
	out := buildClean(t, dir)
	page, ok := out.Get("day-3/11-next-steps/index.html")
	if !ok {
		t.Fatalf("no page for Session 11; pages: %q", out.Names())
	}
	html := string(page)
	for _, want := range []string{
		`class="fc fc-exercise"`,
		`<dd>Brainstorm exercise</dd>`,
		`<dd>15–30 min</dd>`,
		`<dd>Flipchart paper, markers</dd>`,
		`fc-keypoints`,
		`data-audience="trainers"`,
		"09-recommendations/index.html\" class=\"session-ref\">Session\u00a09: Recommendations</a>",
		`to consolidate, and commit to, acting on next steps`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the Session 11 page lacks %q", want)
		}
	}
}

// messyGuide has what real exports hold: CRLF line ends, non-breaking
// spaces, lines of spaces, text before the first heading, an unknown
// heading, two exercises, bulleted materials in capitals, an unreadable time
// and a line that would close a container.
var messyGuide = "Draft 3, do not circulate\r\n" +
	"SESSION 4 – THREAT MAPPING\r\n" +
	"\r\n" +
	"TIME:\u00a090\u00a0MINUTES\r\n" +
	"   \r\n" +
	"ACTIVITIES:\r\n" +
	"SMALL-GROUP WORK\r\n" +
	"Plenary discussion\r\n" +
	"\u00a0\r\n" +
	"OBJECTIVES:\r\n" +
	"• to map the threats a group faces,\r\n" +
	"  and who is behind them\r\n" +
	"• to rank them\r\n" +
	"\r\n" +
	"BACKGROUND:\r\n" +
	"Threat mapping comes from risk analysis.\r\n" +
	"\r\n" +
	"EXERCISE 1: MAPPING THREATS\r\n" +
	"FORMAT: SMALL GROUPS\r\n" +
	"TIME: 45 MIN\r\n" +
	"REQUIRED MATERIALS:\r\n" +
	"- FLIPCHART PAPER\r\n" +
	"- MARKERS\r\n" +
	"SUMMARY:\r\n" +
	"Groups draw a map of the actors around them.\r\n" +
	"\r\n" +
	"FACILITATION NOTES:\r\n" +
	":::\r\n" +
	"Watch the time.\r\n" +
	"EXERCISE 2:\r\n" +
	"Ranking\r\n" +
	"TIME: about an hour\r\n" +
	"REQUIRED MATERIALS: MARKERS, STICKY DOTS\r\n" +
	"REMEMBER: bring spare markers\r\n"

func TestImportMessyGuide(t *testing.T) {
	diags := &diag.List{}
	g, d := ParseGuide("threats.txt", []byte(messyGuide), diags)
	if d != nil {
		t.Fatal(d)
	}
	var warnings []string
	for _, d := range diags.Items() {
		if d.Severity != diag.Warning {
			t.Errorf("an error: %v", d)
		}
		warnings = append(warnings, d.Pos()+" "+d.Msg)
	}
	wantWarnings := []string{
		"threats.txt:1 text before the session’s title: “Draft 3, do not circulate” is kept for trainers only, in a “::: note Imported text” container",
		"threats.txt:15 unknown label “BACKGROUND:”: “Threat mapping comes from risk analysis.” is kept for trainers only, in a “::: note Imported text” container",
		"threats.txt:32 Time: cannot read \"about an hour\" as a time: “about an hour” is kept for trainers only, in a “::: note Imported text” container",
		"threats.txt:34 unknown label “REMEMBER:”: “bring spare markers” is kept for trainers only, in a “::: note Imported text” container",
	}
	if !reflect.DeepEqual(warnings, wantWarnings) {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(warnings, "\n"), strings.Join(wantWarnings, "\n"))
	}
	if g.Session != 4 || g.Title != "Threat Mapping" || g.Time != "1 h 30 min" {
		t.Errorf("session %d %q %q", g.Session, g.Title, g.Time)
	}
	if want := []string{"Small-group work", "Plenary discussion"}; !reflect.DeepEqual(g.Activities, want) {
		t.Errorf("activities %q, want %q", g.Activities, want)
	}
	if want := []string{"to map the threats a group faces, and who is behind them", "to rank them"}; !reflect.DeepEqual(g.Objectives, want) {
		t.Errorf("objectives %q, want %q", g.Objectives, want)
	}
	if want := []string{"Flipchart paper", "Markers", "Sticky dots"}; !reflect.DeepEqual(g.Materials, want) {
		t.Errorf("materials %q, want %q", g.Materials, want)
	}
	// An exercise's summary is its own, not the session's.
	if g.Summary != "" {
		t.Errorf("summary %q", g.Summary)
	}
	md := string(g.Markdown())
	for _, want := range []string{
		"::: note Imported text {audience=\"trainers\"}\nDraft 3, do not circulate\n:::\n",
		"::: note Imported text {audience=\"trainers\"}\nBACKGROUND:\nThreat mapping comes from risk analysis.\n:::\n",
		`:::: exercise Mapping Threats {format="Small groups" time="45 min" materials="Flipchart paper, markers"}`,
		"\n::: summary\nGroups draw a map of the actors around them.\n:::\n",
		"::: facilitation\n\\:::\n\nWatch the time.\n:::\n",
		":::: exercise Ranking {materials=\"Markers, sticky dots\"}\n\n::: note Imported text {audience=\"trainers\"}\nTIME: about an hour\n:::\n\n" +
			"::: note Imported text {audience=\"trainers\"}\nREMEMBER: bring spare markers\n:::\n\n::::\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the Markdown lacks %q:\n%s", want, md)
		}
	}
	// It builds, with its notes, without a problem.
	files := map[string]string{"content/day-1/04-threat-mapping.md": md}
	for k, v := range smallSite {
		files[k] = v
	}
	buildClean(t, sitetest.New(t, files))
}

func TestImportErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name, data, want string
	}{
		{"untitled.txt", "TIME: 15 MIN\n", "untitled.txt:1: error: no session was found: flipchart import looks for a title line “Session N: Title”, then labels such as “Time”"},
		{"binary.txt", "Session 1: X\n\x00\x01", "binary.txt:2: error: this is a binary file"},
		{"empty.txt", " \n\n", "empty.txt: error: the file is empty"},
		{"notes.rtf", "{\\rtf1 Session 1}", "notes.rtf: error: flipchart import cannot read .rtf files; it reads "},
		{"prose.txt", "We met on Tuesday.\nIt rained.\n", "prose.txt:1: error: no session was found"},
		{"huge.txt", "Session 1: X\n" + strings.Repeat("Text. ", 9<<20/6), "huge.txt: error: cannot read: the file is larger than 8 MB"},
	}
	for _, tt := range tests {
		p := write(tt.name, tt.data)
		diags := &diag.List{}
		written := Import([]string{p}, ImportOptions{Dest: filepath.Join(dir, "out")}, diags)
		if len(written) != 0 || !diags.HasErrors() {
			t.Errorf("%s: written %q, errors %d", tt.name, written, diags.Errors())
			continue
		}
		if got := diags.Items()[0].Error(); !strings.Contains(got, tt.want) {
			t.Errorf("%s: %q, want it to contain %q", tt.name, got, tt.want)
		}
	}
	// A missing file, and a folder with nothing import reads.
	empty := filepath.Join(dir, "empty-folder")
	os.Mkdir(empty, 0o755)
	os.WriteFile(filepath.Join(empty, "notes.rtf"), []byte("x"), 0o644)
	diags := &diag.List{}
	Import([]string{filepath.Join(dir, "missing.txt"), empty}, ImportOptions{Dest: filepath.Join(dir, "out")}, diags)
	if diags.Errors() != 2 || !strings.Contains(diags.Items()[0].Error()+diags.Items()[1].Error(), "the folder holds no file import reads") {
		t.Errorf("a missing file and an empty folder: %d errors, want 2: %v", diags.Errors(), diags.Items())
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
		t.Error("a failed import wrote files")
	}
}

// TestImportLatin1: text saved on Windows (Windows-1252) is read, with a
// warning that says so.
func TestImportLatin1(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "latin1.txt")
	os.WriteFile(p, []byte("Session 1: Caf\xe9 \x93talk\x94\n\nTime: 15 min\n"), 0o644)
	diags := &diag.List{}
	written := Import([]string{p}, ImportOptions{Dest: dir}, diags)
	if len(written) != 1 || diags.HasErrors() || diags.Warnings() != 1 || !strings.Contains(diags.Items()[0].Msg, "read as Windows-1252") {
		t.Fatalf("written %q: %v", written, diags.Items())
	}
	md, _ := os.ReadFile(written[0])
	if !strings.Contains(string(md), `title = "Café “talk”"`) {
		t.Errorf("the title was not read right:\n%s", md)
	}
}

func TestImportNeverOverwrites(t *testing.T) {
	dir := sitetest.New(t, smallSite)
	seed := filepath.Join("testdata", "import", "session-11-next-steps.txt")
	target := filepath.Join(dir, "content", "day-3", "11-next-steps.md")
	if err := os.WriteFile(target, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	opt := ImportOptions{Source: dir, Dest: filepath.Dir(target)}
	diags := &diag.List{}
	if written := Import([]string{seed}, opt, diags); len(written) != 0 {
		t.Errorf("written %q over an existing file", written)
	}
	// Named relative to the site, with forward slashes, on every system.
	if items := diags.Items(); len(items) != 1 || items[0].File != "content/day-3/11-next-steps.md" || !strings.Contains(items[0].Msg, "exists already") {
		t.Errorf("diagnostics %v, want one naming content/day-3/11-next-steps.md", items)
	}
	if data, _ := os.ReadFile(target); string(data) != "mine" {
		t.Errorf("the file was changed: %q", data)
	}
	opt.Force = true
	diags = &diag.List{}
	if written := Import([]string{seed}, opt, diags); len(written) != 1 || diags.HasErrors() {
		t.Errorf("with Force: written %q, %v", written, diags.Items())
	}
	if data, _ := os.ReadFile(target); !bytes.HasPrefix(data, []byte("+++\ntitle = \"Next Steps\"")) {
		t.Errorf("with Force the file was not replaced: %q", data)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(target), ".flipchart-*")); len(left) > 0 {
		t.Errorf("temporary files left: %q", left)
	}
	buildClean(t, dir)
}

func TestImportWarnsOfTakenNumber(t *testing.T) {
	files := map[string]string{"content/day-2/11-other.md": "+++\ntitle = \"Other\"\nsession = 11\n+++\n"}
	for k, v := range smallSite {
		files[k] = v
	}
	dir := sitetest.New(t, files)
	diags := &diag.List{}
	Import([]string{filepath.Join("testdata", "import", "session-11-next-steps.txt")}, ImportOptions{Source: dir}, diags)
	items := diags.Items()
	if len(items) != 1 || items[0].Severity != diag.Warning || !strings.Contains(items[0].Msg, "session 11 is also the number of") {
		t.Errorf("diagnostics %v, want a warning about session 11", items)
	}
}

func TestNewSession(t *testing.T) {
	files := map[string]string{
		"content/day-1/_index.md":   "+++\ntitle = \"Day 1\"\nweight = 1\n+++\n",
		"content/day-1/01-intro.md": "+++\ntitle = \"Intro\"\nsession = 1\ntime = \"30 min\"\n+++\n",
	}
	for k, v := range smallSite {
		files[k] = v
	}
	dir := sitetest.New(t, files)

	res, err := NewSession("Evaluation & Closing", NewOptions{Source: dir})
	if err != nil {
		t.Fatal(err)
	}
	// After Session 9, in Session 9's folder.
	want := filepath.Join(dir, "content", "day-3", "10-evaluation-and-closing.md")
	if res.Path != want || res.Session != 10 || len(res.Notes) != 0 {
		t.Errorf("NewSession = %+v, want %s, session 10", res, want)
	}
	data, err := os.ReadFile(res.Path)
	if err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{"title = \"Evaluation & Closing\"", "session = 10", "time = \"30–45 min\"", "weight = 10",
		"activities = []", "objectives = []", "materials = []", "summary = \"\"", "draft = false",
		"::: adaptation\n", ":::: exercise Evaluation & Closing {format=\"\" time=\"30–45 min\" materials=\"\"}\n",
		"::: summary\n", "::: keypoints Key explanation points\n", "::: facilitation\n"} {
		if !bytes.Contains(data, []byte(field)) {
			t.Errorf("the new session lacks %q:\n%s", field, data)
		}
	}
	out := buildClean(t, dir)
	if _, ok := out.Get("day-3/10-evaluation-and-closing/index.html"); !ok {
		t.Errorf("no page for the new session; pages: %q", out.Names())
	}

	// The next one takes 11, in the module asked for.
	res, err = NewSession("  Warm-up  ", NewOptions{Source: dir, Module: "content/day-1"})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "content", "day-1", "11-warm-up.md"); res.Path != want {
		t.Errorf("path %s, want %s", res.Path, want)
	}
	buildClean(t, dir)

	// A number is taken even by a file whose front matter has an error
	// (content.Load leaves such a file out).
	if err := os.WriteFile(filepath.Join(dir, "content", "day-3", "12-broken.md"), []byte("+++\ntitle = \"Broken\"\nsession = 12\ntime = \"soon\"\n+++\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err = NewSession("After", NewOptions{Source: dir})
	if err != nil {
		t.Fatal(err)
	}
	if res.Session != 13 {
		t.Errorf("session %d, want 13 (12 is taken by a file with a bad time)", res.Session)
	}
}

func TestNewSessionRefusesToOverwrite(t *testing.T) {
	dir := sitetest.New(t, smallSite)
	// A file with the name the next session would take, but no session
	// number of its own.
	taken := filepath.Join(dir, "content", "day-3", "10-wrap-up.md")
	if err := os.WriteFile(taken, []byte("notes"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := NewSession("Wrap-up", NewOptions{Source: dir})
	var exists *ExistsError
	if !errors.As(err, &exists) || exists.Path != taken || !strings.Contains(err.Error(), taken) {
		t.Errorf("err = %v, want an ExistsError naming %s", err, taken)
	}
	if errors.Is(err, ErrUsage) {
		t.Error("an existing file is not a usage error")
	}
	if data, _ := os.ReadFile(taken); string(data) != "notes" {
		t.Errorf("the file was changed: %q", data)
	}
}

func TestNewSessionErrors(t *testing.T) {
	dir := sitetest.New(t, smallSite)
	for _, title := range []string{"", "   ", "\t\n"} {
		if _, err := NewSession(title, NewOptions{Source: dir}); !errors.Is(err, ErrUsage) {
			t.Errorf("title %q: err = %v, want a usage error", title, err)
		}
	}
	if _, err := NewSession("X", NewOptions{Source: dir, Module: "../outside"}); !errors.Is(err, ErrUsage) {
		t.Errorf("module outside content/: err = %v, want a usage error", err)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "content", "day-3")); len(entries) != 2 {
		t.Errorf("files were written: %v", entries)
	}
}

func TestNewSessionInEmptySite(t *testing.T) {
	dir := t.TempDir()
	res, err := NewSession("Opening Circle", NewOptions{Source: dir})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "content", "01-opening-circle.md"); res.Path != want {
		t.Errorf("path %s, want %s", res.Path, want)
	}
	buildClean(t, dir)

	// A new module folder is made, and the author told it needs an _index.md.
	res, err = NewSession("Day Two Start", NewOptions{Source: dir, Module: "day-2"})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "content", "day-2", "02-day-two-start.md"); res.Path != want || len(res.Notes) != 1 {
		t.Errorf("NewSession = %+v, want %s and a note", res, want)
	}
	buildClean(t, dir)
}
