package build_test

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"flipchart/generator/build"
	"flipchart/generator/internal/sitetest"
	"flipchart/generator/publish"
)

// The randomized test of the live site: a seeded sequence of edits, each
// written to disk and handed to Live.Apply as the changed paths, after each
// of which the live site must equal a full build of the same folder, file
// for file and byte for byte, or fail exactly when the full build fails.
//
//	go test ./generator/build/ -run TestLiveEqualsFullBuild -random.steps=5000
//	go test ./generator/build/ -run TestLiveEqualsFullBuild -random.seed=42
//
// FLIPCHART_RANDOM_STEPS sets the steps too (the flag wins).
var (
	randomSteps = flag.Int("random.steps", 0, "steps of TestLiveEqualsFullBuild (default 300, or $FLIPCHART_RANDOM_STEPS)")
	randomSeed  = flag.Uint64("random.seed", 0, "seed of TestLiveEqualsFullBuild (default: from the clock, printed)")
)

const defaultRandomSteps = 300

func TestLiveEqualsFullBuild(t *testing.T) {
	steps := defaultRandomSteps
	if v := os.Getenv("FLIPCHART_RANDOM_STEPS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			t.Fatalf("FLIPCHART_RANDOM_STEPS=%q: %v", v, err)
		}
		steps = n
	}
	if *randomSteps > 0 {
		steps = *randomSteps
	}
	if testing.Short() {
		steps = min(steps, 40)
	}
	seed := *randomSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d, %d steps (replay: -random.seed=%d -random.steps=%d)", seed, steps, seed, steps)
	r := newRandomRun(t, seed)
	if f := r.run(steps); f != nil {
		t.Fatal(r.report(f))
	}
	t.Logf("%d steps, %d of them failed builds; edits made: %s", steps, r.failed, r.m.doneSummary())
}

// TestLiveRegressions replays the edit sequences that found faults in the
// live site: each must end, step by step, equal to a full build.
func TestLiveRegressions(t *testing.T) {
	for _, tt := range liveRegressions {
		t.Run(tt.name, func(t *testing.T) {
			r := newRandomRun(t, 1)
			r.deferPrints = true
			r.start()
			for i, e := range tt.edits {
				if r.step(i+1, e); r.failure != nil {
					t.Fatal(r.report(r.failure))
				}
			}
			if r.printsLazy {
				r.compare(len(tt.edits), "the live site", files(r.good), r.goodFull)
			}
			if r.failure != nil {
				t.Fatal(r.report(r.failure))
			}
		})
	}
}

// liveRegressions are fixed edit sequences on the starting site (see
// newModel: sessions 1 to 6 are s(1) to s(6), modules a and b), one per
// fault found. Their print editions are asked for only after the last step,
// or after a failed update, from the site still served.
var liveRegressions = []struct {
	name  string
	edits []func(m *model) string
}{
	{"a module's new title is in the breadcrumbs of every page under it", []func(m *model) string{
		func(m *model) string { m.modules[1].title = "Risk"; return "module b titled Risk" },
	}},
	{"a module's new weight reorders the pages under it", []func(m *model) string{
		func(m *model) string { m.modules[1].weight = 0; return "module b weight 0" },
	}},
	{"the print stylesheet names each session by its number and title", []func(m *model) string{
		func(m *model) string { m.s(6).num = 17; return "session 6 numbered 17" },
		func(m *model) string { m.s(6).title = "Trust"; return "session 17 titled Trust" },
	}},
	{"an agenda's new title is in every page's header", []func(m *model) string{
		func(m *model) string { m.agendaT = "Networks"; return "agenda titled Networks" },
	}},
	{"an edit that renders nothing checks no link, stale ones included", []func(m *model) string{
		func(m *model) string { m.s(1).mod = m.modules[1].id; return "move session 1 to module b" },
		func(m *model) string { m.s(6).draft = true; return "draft session 6" },
		func(m *model) string { m.s(6).body++; return "body of draft session 6" },
	}},
	{"\"Session 20\" in plain text becomes a link once there is a session 20", []func(m *model) string{
		func(m *model) string { m.s(5).plain = 20; return "session 5 says Session 20" },
		func(m *model) string {
			m.sessions = append(m.sessions, &rsession{id: m.id(), mod: m.modules[0].id, file: "20-new", title: "New", num: 20, time: "30 min"})
			return "new session 20"
		},
	}},
	{"a worksheet's new title renders the list of worksheets", []func(m *model) string{
		func(m *model) string { m.s(4).worksheet = "Other"; return "session 4's worksheet titled Other" },
	}},
	{"a session deleted from a nested module renders every module above it", []func(m *model) string{
		func(m *model) string {
			m.modules = append(m.modules, &rmodule{id: m.id(), dir: "a/sub", title: "Sub", weight: 1})
			return "new module a/sub"
		},
		func(m *model) string { m.s(3).mod = m.modules[2].id; return "move session 3 to a/sub" },
		func(m *model) string { m.dropLinks(m.s(3).id); m.deleteSession(m.s(3)); return "delete session 3" },
	}},
	{"a failed body edit leaves the served site's print editions as they were", []func(m *model) string{
		func(m *model) string { m.s(2).body++; return "body of session 2" },
		func(m *model) string {
			m.s(2).body++
			m.s(3).heading = false
			return "body of session 2; session 3 loses the heading session 5 links"
		},
	}},
	{"a failed reassembly leaves the served site's print editions as they were", []func(m *model) string{
		func(m *model) string { m.s(2).time = "45 min"; return "session 2 takes 45 min" },
		func(m *model) string { m.deleteSession(m.s(3)); return "delete session 3, which session 5 still links" },
	}},
	{"a failed template edit leaves the served site's print editions as they were", []func(m *model) string{
		func(m *model) string { m.s(2).body++; return "body of session 2" },
		func(m *model) string {
			m.i18n, m.moduleTpl = 1, 9
			return "site strings; a module template linking a file the site lacks"
		},
	}},
	{"a static file deleted from the site is still published from its theme", []func(m *model) string{
		func(m *model) string { m.themeCSS = 2; return "the theme's css/extra.css" },
		func(m *model) string { m.css = 0; return "delete the site's static/css/extra.css" },
	}},
	{"a theme's stylesheet deleted brings back the built-in theme's", []func(m *model) string{
		func(m *model) string {
			m.mainCSS = 1
			return "the theme's css/flipchart.css, in place of the built-in one"
		},
		func(m *model) string { m.mainCSS = 0; return "delete it" },
	}},
	{"a footer listing every session shows a session's new title on every page", []func(m *model) string{
		func(m *model) string { m.footer = 3; return "layouts/partials/footer.html lists every session" },
		func(m *model) string { m.s(2).title = "Trust"; return "session 2 titled Trust" },
	}},
	{"a handout rendered alone after a reassembly lists its session's worksheets", []func(m *model) string{
		func(m *model) string { m.handout = 1; return "layouts/handout.html" },
		func(m *model) string { m.modules[0].noIndex = true; return "delete content/a/_index.md" },
		func(m *model) string { m.handout = 0; return "delete layouts/handout.html" },
	}},
}

// s is the session that the starting site numbers n, wherever it is now.
func (m *model) s(n int) *rsession { return m.session(n + 2) }

// deleteSession deletes s; links to it not dropped stay as they were
// written, and break the build.
func (m *model) deleteSession(s *rsession) {
	m.gone[s.id] = &rsession{id: s.id, num: s.num, file: s.file, mod: s.mod, gonePath: m.path(s)}
	m.sessions = slices.DeleteFunc(m.sessions, func(x *rsession) bool { return x == s })
}

// linked is the session a link names: one of the site, or the last of a
// deleted one, as the link still names it.
func (m *model) linked(id int) *rsession {
	if s := m.session(id); s != nil {
		return s
	}
	return m.gone[id]
}

// rsession is a session guide of the model.
type rsession struct {
	id         int // never changes: links and agendas name sessions by it
	mod        int // the id of its module
	file       string
	title      string
	num        int
	time       string
	summary    string
	materials  []string
	objectives []string
	activities []string
	weight     int    // 0 for none
	slug       string // "" for none
	level      string // [params] level
	draft      bool
	body       int    // the body's variant
	heading    bool   // the body has "## Notes", which links may reach by #notes
	plain      int    // the body says "Session N" in plain text (autolinked), 0 for none
	exercise   string // an exercise's materials, "" for no exercise
	worksheet  string // a worksheet's title, "" for none
	byNum      []int  // sessions linked by [](session:N)
	byMD       []link // sessions linked by .md links
	gonePath   string // of a deleted session: the file it was
}

type link struct {
	id     int
	anchor bool // #notes
}

// rmodule is a folder with an _index.md.
type rmodule struct {
	id      int
	dir     string
	title   string
	weight  int
	summary string
	draft   bool // its _index.md says draft: so is every page under it
	noIndex bool // its _index.md is deleted: its pages are the module's above
}

// rconfig is config.toml.
type rconfig struct {
	title       string
	theme       string // "course", or "default": themes/course is not read
	author      string
	description string
	language    string // "" or "es"
	baseURL     string
	paper       string
	noAutolink  bool   // autolink_sessions = false
	motto       string // [params] motto
}

// model is the site, from which every file is written.
type model struct {
	rng       *rand.Rand
	nextID    int
	variant   int // the last variant of a file handed out (see vary)
	cfg       rconfig
	homeT     string // content/_index.md's title
	noHome    bool   // content/_index.md deleted: flipchart makes the home page
	modules   []*rmodule
	sessions  []*rsession
	agenda    []int // session ids of the agenda's days
	agendaT   string
	agendaBrk int               // a break before the agenda's n-th session, 0 for none
	agenda2   bool              // the agenda's sessions over two days
	moduleTpl int               // layouts/module.html variant; 0: none (the built-in theme's)
	handout   int               // layouts/handout.html variant; 0: none (the built-in theme's)
	partial   int               // layouts/partials/extra.html variant; 0: none (the theme's)
	footer    int               // layouts/partials/footer.html variant; 0: none (the theme's or the built-in one)
	themePart int               // themes/course/layouts/partials/extra.html variant
	themeAg   int               // themes/course/layouts/agenda.html variant; 0: none (the built-in one)
	themeFoot int               // themes/course/layouts/partials/footer.html variant; 0: none (the built-in one)
	i18n      int               // i18n/en.toml variant; 0: none
	themeI18n int               // themes/course/i18n/en.toml variant; 0: none (the built-in one)
	themeEs   int               // themes/course/i18n/es.toml variant; 0: none
	css       int               // static/css/extra.css variant; 0: none (the theme's, if any)
	themeCSS  int               // themes/course/static/css/extra.css variant; 0: none
	mainCSS   int               // themes/course/static/css/flipchart.css variant; 0: none (the built-in one)
	image     int               // static/img/logo.png variant; 0: none
	notes     int               // static/files/notes.txt variant; 0: none
	asset     int               // content/diagram.png variant; 0: none
	broken    string            // a file written broken once, put right next step
	gone      map[int]*rsession // deleted sessions, as links still name them
	done      map[string]int    // the edits made, by kind
}

func (m *model) id() int { m.nextID++; return m.nextID }

// vary is the next variant of a file whose variant is cur: a new one, or
// none (the file deleted) one time in three.
func (m *model) vary(cur int) int {
	if cur > 0 && m.rng.IntN(3) == 0 {
		return 0
	}
	m.variant++
	return m.variant
}

func (m *model) module(id int) *rmodule {
	for _, x := range m.modules {
		if x.id == id {
			return x
		}
	}
	return nil
}

func (m *model) session(id int) *rsession {
	for _, s := range m.sessions {
		if s.id == id {
			return s
		}
	}
	return nil
}

func (m *model) path(s *rsession) string {
	if s.gonePath != "" {
		return s.gonePath
	}
	return "content/" + m.module(s.mod).dir + "/" + s.file + ".md"
}

// under reports whether the folder dir is x's or one inside it.
func under(dir string, x *rmodule) bool {
	return dir == x.dir || strings.HasPrefix(dir, x.dir+"/")
}

// isDraft reports whether s is left out of the site: a draft itself, or in
// a module that is one.
func (m *model) isDraft(s *rsession) bool {
	if s.draft {
		return true
	}
	dir := m.module(s.mod).dir
	for _, x := range m.modules {
		if x.draft && !x.noIndex && under(dir, x) {
			return true
		}
	}
	return false
}

func (m *model) freeNumber() int {
	used := map[int]bool{}
	for _, s := range m.sessions {
		used[s.num] = true
	}
	for {
		if n := 1 + m.rng.IntN(40); !used[n] {
			return n
		}
	}
}

func (m *model) pick() *rsession {
	if len(m.sessions) == 0 {
		return nil
	}
	return m.sessions[m.rng.IntN(len(m.sessions))]
}

func (m *model) pickModule() *rmodule { return m.modules[m.rng.IntN(len(m.modules))] }

var words = []string{"Threats", "Passwords", "Phones", "Backups", "Travel", "Networks", "Browsers", "Email", "Risk", "Allies", "Trust", "Next Steps"}
var times = []string{"30 min", "15–30 min", "45 min", "1 h", "20-40 minutes", "10 min"}
var materials = []string{"Flipchart paper", "Markers", "Sticky notes", "Projector", "markers", "Laptops"}

func (m *model) word() string { return words[m.rng.IntN(len(words))] }

func (m *model) some(list []string) []string {
	var out []string
	for _, x := range list {
		if m.rng.IntN(3) == 0 {
			out = append(out, x)
		}
	}
	return out
}

func (m *model) oneOf(list ...string) string { return list[m.rng.IntN(len(list))] }

// newModel is the starting site: two modules of sessions linking each
// other, an agenda, a site template, a partial and the theme's.
func newModel(rng *rand.Rand) *model {
	m := &model{rng: rng, gone: map[int]*rsession{}, done: map[string]int{}, cfg: rconfig{title: "Random manual", theme: "course"},
		homeT: "Home", agendaT: "Workshop", moduleTpl: 1, partial: 0, themePart: 1, css: 1}
	a := &rmodule{id: m.id(), dir: "a", title: "Day A", weight: 1}
	b := &rmodule{id: m.id(), dir: "b", title: "Day B", weight: 2, summary: "The second day."}
	m.modules = []*rmodule{a, b}
	for i, w := range []string{"one", "two", "three", "four", "five", "six"} {
		mod := a
		if i >= 3 {
			mod = b
		}
		s := &rsession{id: m.id(), mod: mod.id, file: fmt.Sprintf("%02d-%s", i+1, w), title: strings.ToUpper(w[:1]) + w[1:],
			num: i + 1, time: "30 min", heading: i%2 == 0}
		m.sessions = append(m.sessions, s)
	}
	ss := m.sessions
	ss[1].byNum = []int{ss[0].id}
	ss[4].byNum = []int{ss[1].id}
	ss[4].byMD = []link{{ss[2].id, true}, {ss[3].id, false}}
	ss[2].exercise = "Sticky notes"
	ss[3].worksheet = "Plan"
	ss[5].materials = []string{"Projector"}
	ss[5].objectives = []string{"Know the risks"}
	ss[0].plain = 3
	m.agenda = []int{ss[0].id, ss[1].id, ss[3].id}
	m.variant = 1
	return m
}

// files writes the model: every file of the site, by slash path.
func (m *model) files() map[string]string {
	f := map[string]string{}
	f["config.toml"] = m.cfg.file()
	if !m.noHome {
		f["content/_index.md"] = fmt.Sprintf("+++\ntitle = %q\n+++\nWelcome.\n", m.homeT)
	}
	for _, x := range m.modules {
		if x.noIndex {
			continue
		}
		var b strings.Builder
		fmt.Fprintf(&b, "+++\ntitle = %q\nweight = %d\n", x.title, x.weight)
		if x.summary != "" {
			fmt.Fprintf(&b, "summary = %q\n", x.summary)
		}
		if x.draft {
			b.WriteString("draft = true\n")
		}
		b.WriteString("+++\nThe module.\n")
		f["content/"+x.dir+"/_index.md"] = b.String()
	}
	for _, s := range m.sessions {
		f[m.path(s)] = m.sessionFile(s)
	}
	var nums []string
	for _, id := range m.agenda {
		if s := m.linked(id); s != nil {
			if len(nums) == m.agendaBrk-1 {
				nums = append(nums, `{ break = "Tea", time = "15 min" }`)
			}
			nums = append(nums, strconv.Itoa(s.num))
		}
	}
	days := [][]string{nums}
	if m.agenda2 && len(nums) > 1 {
		days = [][]string{nums[:len(nums)/2], nums[len(nums)/2:]}
	}
	var agenda strings.Builder
	fmt.Fprintf(&agenda, "+++\ntitle = %q\ntype = \"agenda\"\nweight = 9\n", m.agendaT)
	for i, d := range days {
		fmt.Fprintf(&agenda, "[[days]]\ntitle = \"Day %d\"\nstart = \"09:00\"\nsessions = [%s]\n", i+1, strings.Join(d, ", "))
	}
	agenda.WriteString("+++\nThe plan.\n")
	f["content/agenda.md"] = agenda.String()
	if m.asset > 0 {
		f["content/diagram.png"] = fmt.Sprintf("\x89PNG\r\n\x1a\ndiagram %d\x00", m.asset)
	}
	if m.moduleTpl > 0 {
		broken := ""
		if m.moduleTpl == 9 {
			broken = `<a href="/missing/index.html">a file the site lacks</a>`
		}
		f["layouts/module.html"] = fmt.Sprintf(`{{ define "main" }}<h1>{{ .Page.Title }} v%d</h1>`+broken+`{{ template "extra" . }}<p>{{ .Site.Params.motto }}</p><ul>{{ range .Page.Pages }}<li>{{ .Title }}: {{ .Params.level }} {{ .Summary }} {{ .Time }}</li>{{ end }}</ul>{{ .Content }}{{ end }}`, m.moduleTpl)
	}
	if m.handout > 0 {
		// Of two shapes: one lists the modules, the other takes .Site whole.
		lists := `{{ range .Site.Modules }}{{ .Title }} {{ end }}`
		if m.handout%2 == 0 {
			lists = `{{ with .Site }}{{ range .Agendas }}{{ .Title }} {{ .Weight }} {{ end }}{{ end }}`
		}
		f["layouts/handout.html"] = fmt.Sprintf(`{{ define "main" }}<h1>{{ .Page.Title }} v%d</h1><p>%s</p>{{ .Content }}{{ end }}`, m.handout, lists)
	}
	if m.partial > 0 {
		f["layouts/partials/extra.html"] = fmt.Sprintf(`{{ define "extra" }}<p class="site-extra v%d">{{ .Page.TotalTime }}</p>{{ end }}`, m.partial)
	}
	if m.footer > 0 {
		f["layouts/partials/footer.html"] = footerFile("site", m.footer)
	}
	f["themes/course/layouts/partials/extra.html"] = fmt.Sprintf(`{{ define "extra" }}<p class="theme-extra v%d">{{ len .Page.Pages }}</p>{{ end }}`, m.themePart)
	if m.themeAg > 0 {
		f["themes/course/layouts/agenda.html"] = fmt.Sprintf(`{{ define "main" }}<h1>{{ .Page.Title }} v%d</h1>{{ range .Page.Schedule.Sessions }}<p>{{ .Label }} {{ .Time }}</p>{{ end }}{{ range .AgendaMaterials }}<p>{{ .Item }}</p>{{ end }}{{ end }}`, m.themeAg)
	}
	if m.themeFoot > 0 {
		f["themes/course/layouts/partials/footer.html"] = footerFile("theme", m.themeFoot)
	}
	if m.i18n > 0 {
		f["i18n/en.toml"] = fmt.Sprintf("contents = \"Contents v%d\"\nnext = \"Onwards v%d\"\n", m.i18n, m.i18n)
	}
	if m.themeI18n > 0 {
		f["themes/course/i18n/en.toml"] = fmt.Sprintf("previous = \"Back v%d\"\nnext = \"Forward v%d\"\nsession = \"Meeting\"\nprint_handout = \"Print it v%d\"\n", m.themeI18n, m.themeI18n, m.themeI18n)
	}
	if m.themeEs > 0 {
		f["themes/course/i18n/es.toml"] = fmt.Sprintf("contents = \"Índice v%d\"\nnext = \"Siguiente v%d\"\n", m.themeEs, m.themeEs)
	}
	if m.css > 0 {
		f["static/css/extra.css"] = fmt.Sprintf("p { margin: %dpx }\n", m.css)
	}
	if m.themeCSS > 0 {
		f["themes/course/static/css/extra.css"] = fmt.Sprintf("p { padding: %dpx }\n", m.themeCSS)
	}
	if m.mainCSS > 0 {
		// In place of the built-in theme's; every other one reaches the image.
		css := fmt.Sprintf(":root { --v: %d }\n", m.mainCSS)
		if m.mainCSS%2 == 0 {
			css += "body { background: url(../img/logo.png) }\n"
		}
		f["themes/course/static/css/flipchart.css"] = css
	}
	if m.image > 0 {
		f["static/img/logo.png"] = fmt.Sprintf("\x89PNG\r\n\x1a\nlogo %d\x00", m.image)
	}
	if m.notes > 0 {
		f["static/files/notes.txt"] = fmt.Sprintf("Notes, version %d.\n", m.notes)
	}
	return f
}

// footerFile is layouts/partials/footer.html of a layer, in place of the
// built-in theme's: of four shapes, by variant, one with a .Cached piece of
// its own, one showing the image static/img/logo.png and one listing every
// session of the site.
func footerFile(layer string, v int) string {
	switch v % 4 {
	case 3:
		return fmt.Sprintf(`{{ define "footer" }}<footer class="%s-foot v%d"><ol>{{ range .Site.Sessions }}<li><a href="{{ $.Link . }}">{{ .Label }}</a></li>{{ end }}</ol></footer>{{ end }}`, layer, v)
	case 1:
		return fmt.Sprintf(`{{ define "footer" }}<footer class="%s-foot v%d">{{ .Site.Title }} · {{ .T "next" }}</footer>{{ end }}`, layer, v)
	case 2:
		return fmt.Sprintf(`{{ define "footer" }}{{ with .Page.Next }}<a href="{{ $.Link . }}">{{ .Label }}</a>{{ end }}{{ .Cached "sitefooter" }}{{ end }}`+
			`{{ define "sitefooter" }}<footer class="%s-foot v%d">{{ .Site.Author }} {{ .T "previous" }}</footer>{{ end }}`, layer, v)
	}
	return fmt.Sprintf(`{{ define "footer" }}<footer class="%s-foot v%d"><img src="{{ .Asset "img/logo.png" }}" alt=""> {{ .Site.Params.motto }}</footer>{{ end }}`, layer, v)
}

func (c rconfig) file() string {
	var b strings.Builder
	fmt.Fprintf(&b, "title = %q\ntheme = %q\n", c.title, c.theme)
	if c.author != "" {
		fmt.Fprintf(&b, "author = %q\n", c.author)
	}
	if c.description != "" {
		fmt.Fprintf(&b, "description = %q\n", c.description)
	}
	if c.language != "" {
		fmt.Fprintf(&b, "language = %q\n", c.language)
	}
	if c.baseURL != "" {
		fmt.Fprintf(&b, "base_url = %q\n", c.baseURL)
	}
	if c.paper != "" {
		fmt.Fprintf(&b, "paper = %q\n", c.paper)
	}
	if c.noAutolink {
		b.WriteString("autolink_sessions = false\n")
	}
	if c.motto != "" {
		fmt.Fprintf(&b, "[params]\nmotto = %q\n", c.motto)
	}
	return b.String()
}

func (m *model) sessionFile(s *rsession) string {
	var b strings.Builder
	fmt.Fprintf(&b, "+++\ntitle = %q\nsession = %d\ntime = %q\n", s.title, s.num, s.time)
	if s.summary != "" {
		fmt.Fprintf(&b, "summary = %q\n", s.summary)
	}
	if len(s.materials) > 0 {
		fmt.Fprintf(&b, "materials = %s\n", tomlList(s.materials))
	}
	if len(s.objectives) > 0 {
		fmt.Fprintf(&b, "objectives = %s\n", tomlList(s.objectives))
	}
	if len(s.activities) > 0 {
		fmt.Fprintf(&b, "activities = %s\n", tomlList(s.activities))
	}
	if s.weight != 0 {
		fmt.Fprintf(&b, "weight = %d\n", s.weight)
	}
	if s.slug != "" {
		fmt.Fprintf(&b, "slug = %q\n", s.slug)
	}
	if s.draft {
		b.WriteString("draft = true\n")
	}
	if s.level != "" {
		fmt.Fprintf(&b, "[params]\nlevel = %q\n", s.level)
	}
	fmt.Fprintf(&b, "+++\nThe body of %s, version %d.\n", s.title, s.body)
	for _, id := range s.byNum {
		if t := m.linked(id); t != nil {
			fmt.Fprintf(&b, "\nSee [](session:%d).\n", t.num)
		}
	}
	for _, l := range s.byMD {
		t := m.linked(l.id)
		if t == nil {
			continue
		}
		target := "/" + strings.TrimPrefix(m.path(t), "content/")
		if path.Dir(m.path(t)) == path.Dir(m.path(s)) {
			target = path.Base(m.path(t))
		}
		if l.anchor {
			target += "#notes"
		}
		fmt.Fprintf(&b, "\nRead [more](%s).\n", target)
	}
	if s.plain > 0 {
		fmt.Fprintf(&b, "\nAs in Session %d, we talk.\n", s.plain)
	}
	if s.heading {
		b.WriteString("\n## Notes\n\nSome notes.\n")
	}
	if s.exercise != "" {
		fmt.Fprintf(&b, "\n::: exercise Practice {time=\"10 min\" materials=%q}\nPractise.\n:::\n", s.exercise)
	}
	if s.worksheet != "" {
		fmt.Fprintf(&b, "\n::: worksheet %s\nYour answer: ______\n:::\n", s.worksheet)
	}
	return b.String()
}

func tomlList(list []string) string {
	q := make([]string, len(list))
	for i, x := range list {
		q[i] = strconv.Quote(x)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// edits are the kinds of random edit, each changing the model and saying
// what it did, or "" when it cannot be made now. The weights are such that
// a run of 300 steps makes every kind several times (see
// TestLiveEditsCoverEveryKind).
var edits = []struct {
	kind   string
	weight int
	do     func(m *model) string
}{
	{"body", 10, func(m *model) string {
		s := m.pick()
		s.body++
		switch m.rng.IntN(6) {
		case 0:
			s.heading = !s.heading
			if !s.heading && m.rng.IntN(4) > 0 {
				m.dropAnchors(s.id)
			}
		case 1:
			s.plain = m.rng.IntN(12)
		case 2:
			if s.exercise == "" {
				s.exercise = materials[m.rng.IntN(len(materials))]
			} else {
				s.exercise = ""
			}
		case 3:
			if s.worksheet == "" {
				s.worksheet = m.word()
			} else if m.rng.IntN(2) == 0 {
				s.worksheet = m.word() + " sheet"
			} else {
				s.worksheet = ""
			}
		case 4:
			if t := m.pick(); t != s {
				if m.rng.IntN(2) == 0 {
					s.byNum = append(s.byNum, t.id)
				} else {
					s.byMD = append(s.byMD, link{t.id, t.heading})
				}
			}
		}
		return fmt.Sprintf("body of %s (heading %v, plain %d, exercise %q, worksheet %q)", m.path(s), s.heading, s.plain, s.exercise, s.worksheet)
	}},
	{"title", 5, func(m *model) string {
		s := m.pick()
		s.title = m.word()
		return fmt.Sprintf("title of %s: %q", m.path(s), s.title)
	}},
	{"session number", 4, func(m *model) string {
		s := m.pick()
		s.num = m.freeNumber()
		return fmt.Sprintf("number of %s: %d", m.path(s), s.num)
	}},
	{"time", 4, func(m *model) string {
		s := m.pick()
		s.time = times[m.rng.IntN(len(times))]
		return fmt.Sprintf("time of %s: %s", m.path(s), s.time)
	}},
	{"materials", 4, func(m *model) string {
		s := m.pick()
		s.materials = m.some(materials)
		return fmt.Sprintf("materials of %s: %v", m.path(s), s.materials)
	}},
	{"objectives", 3, func(m *model) string {
		s := m.pick()
		s.objectives = m.some([]string{"Know the risks", "Use a password manager", "Plan next steps"})
		return fmt.Sprintf("objectives of %s: %v", m.path(s), s.objectives)
	}},
	{"activities", 2, func(m *model) string {
		s := m.pick()
		s.activities = m.some([]string{"Brainstorm", "Role play", "Discussion in pairs"})
		return fmt.Sprintf("activities of %s: %v", m.path(s), s.activities)
	}},
	{"weight", 2, func(m *model) string {
		s := m.pick()
		s.weight = m.rng.IntN(4)
		return fmt.Sprintf("weight of %s: %d", m.path(s), s.weight)
	}},
	{"slug", 2, func(m *model) string {
		s := m.pick()
		s.slug = m.oneOf("", fmt.Sprintf("%s-%d", strings.ToLower(strings.ReplaceAll(m.word(), " ", "-")), s.id))
		return fmt.Sprintf("slug of %s: %q", m.path(s), s.slug)
	}},
	{"[params]", 4, func(m *model) string {
		s := m.pick()
		s.level = m.oneOf("", "basic", "advanced")
		return fmt.Sprintf("[params] level of %s: %q", m.path(s), s.level)
	}},
	{"summary", 3, func(m *model) string {
		s := m.pick()
		s.summary = m.oneOf("", "In short.", "What it's about.")
		return fmt.Sprintf("summary of %s: %q", m.path(s), s.summary)
	}},
	{"draft", 3, func(m *model) string {
		s := m.pick()
		s.draft = !s.draft
		if s.draft && m.rng.IntN(4) > 0 {
			m.dropLinks(s.id)
		}
		return fmt.Sprintf("draft of %s: %v", m.path(s), s.draft)
	}},
	{"rename", 3, func(m *model) string {
		s := m.pick()
		old := m.path(s)
		s.file = fmt.Sprintf("%02d-%s", s.num, strings.ToLower(strings.ReplaceAll(m.word(), " ", "-")))
		return fmt.Sprintf("rename %s to %s", old, m.path(s))
	}},
	{"move", 3, func(m *model) string {
		s := m.pick()
		old := m.path(s)
		s.mod = m.pickModule().id
		return fmt.Sprintf("move %s to %s", old, m.path(s))
	}},
	{"delete session", 3, func(m *model) string {
		if len(m.sessions) < 5 {
			return ""
		}
		s := m.pick()
		m.deleteSession(s)
		if m.rng.IntN(5) > 0 {
			m.dropLinks(s.id)
		}
		return fmt.Sprintf("delete %s", m.path(s))
	}},
	{"new session", 6, func(m *model) string {
		if len(m.sessions) > 14 {
			return ""
		}
		s := &rsession{id: m.id(), mod: m.pickModule().id, title: m.word(), num: m.freeNumber(),
			time: times[m.rng.IntN(len(times))], heading: m.rng.IntN(2) == 0}
		s.file = fmt.Sprintf("%02d-new-%d", s.num, s.id)
		if t := m.pick(); t != nil && m.rng.IntN(2) == 0 {
			s.byNum = []int{t.id}
		}
		m.sessions = append(m.sessions, s)
		return fmt.Sprintf("new session %s", m.path(s))
	}},
	{"new module", 2, func(m *model) string {
		if len(m.modules) > 4 {
			return ""
		}
		x := &rmodule{id: m.id(), title: m.word(), weight: m.rng.IntN(5)}
		x.dir = fmt.Sprintf("m%d", x.id)
		if m.rng.IntN(3) == 0 {
			x.dir = m.pickModule().dir + "/" + x.dir // nested
		}
		m.modules = append(m.modules, x)
		return fmt.Sprintf("new module %s", x.dir)
	}},
	{"module front matter", 4, func(m *model) string {
		x := m.pickModule()
		switch m.rng.IntN(3) {
		case 0:
			x.title = m.word()
		case 1:
			x.weight = m.rng.IntN(5)
		default:
			x.summary = m.oneOf("", "A module.", "Day two.")
		}
		return fmt.Sprintf("module %s: title %q, weight %d, summary %q", x.dir, x.title, x.weight, x.summary)
	}},
	{"module draft", 2, func(m *model) string {
		x := m.pickModule()
		x.draft = !x.draft
		if x.draft && m.rng.IntN(4) > 0 {
			for _, s := range m.sessions {
				if m.isDraft(s) {
					m.dropLinks(s.id)
				}
			}
		}
		return fmt.Sprintf("draft of module %s: %v", x.dir, x.draft)
	}},
	{"module _index.md", 2, func(m *model) string {
		x := m.pickModule()
		x.noIndex = !x.noIndex
		if x.noIndex {
			return fmt.Sprintf("delete content/%s/_index.md", x.dir)
		}
		return fmt.Sprintf("write content/%s/_index.md again", x.dir)
	}},
	{"delete module", 3, func(m *model) string {
		x := m.pickModule()
		var gone []*rsession
		for _, s := range m.sessions {
			if under(m.module(s.mod).dir, x) {
				gone = append(gone, s)
			}
		}
		left := 0
		for _, y := range m.modules {
			if !under(y.dir, x) {
				left++
			}
		}
		if left == 0 || len(m.sessions)-len(gone) < 5 {
			return ""
		}
		for _, s := range gone {
			m.deleteSession(s)
			if m.rng.IntN(5) > 0 {
				m.dropLinks(s.id)
			}
		}
		m.modules = slices.DeleteFunc(m.modules, func(y *rmodule) bool { return under(y.dir, x) })
		return fmt.Sprintf("delete module %s with its %d sessions", x.dir, len(gone))
	}},
	{"home page", 2, func(m *model) string {
		if m.noHome || m.rng.IntN(2) == 0 {
			m.noHome = !m.noHome
			return fmt.Sprintf("content/_index.md deleted: %v", m.noHome)
		}
		m.homeT = m.word()
		return fmt.Sprintf("content/_index.md titled %q", m.homeT)
	}},
	{"site template", 3, func(m *model) string {
		if m.rng.IntN(3) == 0 {
			m.handout = m.vary(m.handout)
			return fmt.Sprintf("layouts/handout.html variant %d", m.handout)
		}
		m.moduleTpl = m.rng.IntN(4)
		return fmt.Sprintf("layouts/module.html variant %d", m.moduleTpl)
	}},
	{"site partial", 3, func(m *model) string {
		m.partial = m.rng.IntN(3)
		return fmt.Sprintf("layouts/partials/extra.html variant %d", m.partial)
	}},
	{"site override of a theme file", 3, func(m *model) string {
		m.footer = m.vary(m.footer)
		return fmt.Sprintf("layouts/partials/footer.html variant %d", m.footer)
	}},
	{"theme partial", 2, func(m *model) string {
		m.themePart++
		return fmt.Sprintf("themes/course/layouts/partials/extra.html variant %d", m.themePart)
	}},
	{"theme template", 2, func(m *model) string {
		m.themeAg = m.rng.IntN(3)
		return fmt.Sprintf("themes/course/layouts/agenda.html variant %d", m.themeAg)
	}},
	{"theme override of a built-in file", 2, func(m *model) string {
		m.themeFoot = m.vary(m.themeFoot)
		return fmt.Sprintf("themes/course/layouts/partials/footer.html variant %d", m.themeFoot)
	}},
	{"site strings", 2, func(m *model) string {
		m.i18n = m.rng.IntN(3)
		return fmt.Sprintf("i18n/en.toml variant %d", m.i18n)
	}},
	{"theme strings", 2, func(m *model) string {
		if m.rng.IntN(3) == 0 {
			m.themeEs = m.vary(m.themeEs)
			return fmt.Sprintf("themes/course/i18n/es.toml variant %d", m.themeEs)
		}
		m.themeI18n = m.vary(m.themeI18n)
		return fmt.Sprintf("themes/course/i18n/en.toml variant %d", m.themeI18n)
	}},
	{"site stylesheet", 2, func(m *model) string {
		m.css = m.vary(m.css)
		return fmt.Sprintf("static/css/extra.css variant %d", m.css)
	}},
	{"theme stylesheet", 2, func(m *model) string {
		if m.rng.IntN(2) == 0 {
			m.themeCSS = m.vary(m.themeCSS)
			return fmt.Sprintf("themes/course/static/css/extra.css variant %d", m.themeCSS)
		}
		m.mainCSS = m.vary(m.mainCSS)
		return fmt.Sprintf("themes/course/static/css/flipchart.css variant %d", m.mainCSS)
	}},
	{"static file", 2, func(m *model) string {
		if m.rng.IntN(2) == 0 {
			m.notes = m.vary(m.notes)
			return fmt.Sprintf("static/files/notes.txt variant %d", m.notes)
		}
		// Pages and stylesheets may show it: more often there than not.
		if m.image > 0 && m.rng.IntN(2) == 0 {
			m.image = 0
		} else {
			m.variant++
			m.image = m.variant
		}
		return fmt.Sprintf("static/img/logo.png variant %d", m.image)
	}},
	{"content asset", 2, func(m *model) string {
		m.asset = m.vary(m.asset)
		return fmt.Sprintf("content/diagram.png variant %d", m.asset)
	}},
	{"config.toml", 3, func(m *model) string {
		c := &m.cfg
		switch m.rng.IntN(10) {
		case 0, 1:
			c.title = m.word() + " manual"
		case 2:
			c.author = m.oneOf("", "Ana", "The trainers")
		case 3:
			c.description = m.oneOf("", "A manual.", "For trainers.")
		case 4:
			c.motto = m.oneOf("", "Stay safe", "Plan ahead")
		case 5:
			c.language = m.oneOf("", "es")
		case 6:
			c.baseURL = m.oneOf("", "https://example.org/manual/")
		case 7:
			c.paper = m.oneOf("", "Letter", "A4")
		case 8:
			c.noAutolink = !c.noAutolink
		case 9:
			c.theme = m.oneOf("course", "course", "default")
		}
		return fmt.Sprintf("config.toml %+v", *c)
	}},
	{"agenda", 3, func(m *model) string {
		m.agenda = nil
		for _, s := range m.sessions {
			if !m.isDraft(s) && m.rng.IntN(2) == 0 {
				m.agenda = append(m.agenda, s.id)
			}
		}
		m.rng.Shuffle(len(m.agenda), func(i, j int) { m.agenda[i], m.agenda[j] = m.agenda[j], m.agenda[i] })
		if m.rng.IntN(4) == 0 {
			m.agendaT = m.word()
		}
		m.agendaBrk = m.rng.IntN(4)
		m.agenda2 = m.rng.IntN(3) == 0
		return fmt.Sprintf("agenda %q: sessions %v, a break before the %d-th, two days %v", m.agendaT, m.agenda, m.agendaBrk, m.agenda2)
	}},
	{"broken save", 2, func(m *model) string { // put right by the next step
		s := m.pick()
		m.broken = m.path(s)
		return "broken save of " + m.broken
	}},
}

// dropLinks removes the links and agenda entries naming session id.
func (m *model) dropLinks(id int) {
	for _, s := range m.sessions {
		s.byNum = slices.DeleteFunc(s.byNum, func(x int) bool { return x == id })
		s.byMD = slices.DeleteFunc(s.byMD, func(l link) bool { return l.id == id })
	}
	m.agenda = slices.DeleteFunc(m.agenda, func(x int) bool { return x == id })
}

// repair drops the links to sessions deleted or drafts, and the #notes of
// links to sessions without the heading; puts back the image the footers
// and the theme's stylesheet may show; and writes the partial the site's
// module template needs when the theme that has one is not used.
func (m *model) repair() {
	if m.image == 0 {
		m.variant++
		m.image = m.variant
	}
	if m.cfg.theme != "course" && m.moduleTpl > 0 && m.partial == 0 {
		m.partial = 1
	}
	for id := range m.gone {
		m.dropLinks(id)
	}
	for _, s := range m.sessions {
		if m.isDraft(s) {
			m.dropLinks(s.id)
		} else if !s.heading {
			m.dropAnchors(s.id)
		}
	}
}

// dropAnchors removes the #notes of the links to session id.
func (m *model) dropAnchors(id int) {
	for _, s := range m.sessions {
		for i := range s.byMD {
			if s.byMD[i].id == id {
				s.byMD[i].anchor = false
			}
		}
	}
}

func (m *model) randomEdit() string {
	total := 0
	for _, e := range edits {
		total += e.weight
	}
	for {
		n := m.rng.IntN(total)
		for _, e := range edits {
			if n < e.weight {
				if d := e.do(m); d != "" {
					m.done[e.kind]++
					return d
				}
				break
			}
			n -= e.weight
		}
	}
}

// doneSummary lists how many edits of each kind were made.
func (m *model) doneSummary() string {
	var out []string
	for _, e := range edits {
		out = append(out, fmt.Sprintf("%s %d", e.kind, m.done[e.kind]))
	}
	return strings.Join(out, ", ")
}

// randomEdit is the edit of one step of a run: one or two random edits
// saved in one batch, after the author mended the links a failed build
// named, half the time.
func (r *randomRun) randomEdit(m *model) string {
	d := m.randomEdit()
	if r.lastFailed && m.rng.IntN(2) == 0 {
		m.repair()
		d = "mend broken links; " + d
	}
	if m.rng.IntN(6) == 0 {
		d += "; " + m.randomEdit()
	}
	return d
}

// TestLiveEditsCoverEveryKind checks the weights of the edits: a run of 300
// steps makes every kind of edit, and each several times on average. Only
// the model runs: nothing is built.
func TestLiveEditsCoverEveryKind(t *testing.T) {
	const runs, steps = 10, defaultRandomSteps
	total := map[string]int{}
	for seed := uint64(1); seed <= runs; seed++ {
		r := &randomRun{m: newModel(rand.New(rand.NewPCG(seed, seed^0x5eed)))}
		for i := 0; i < steps; i++ {
			r.lastFailed = i%20 == 0 // as failed builds would, now and then
			r.randomEdit(r.m)
			_ = r.m.files()
		}
		for _, e := range edits {
			if r.m.done[e.kind] == 0 {
				t.Errorf("seed %d: %d steps make no %s edit", seed, steps, e.kind)
			}
			total[e.kind] += r.m.done[e.kind]
		}
	}
	for _, e := range edits {
		if n := total[e.kind]; n < 3*runs {
			t.Errorf("%d runs of %d steps make %d %s edits: fewer than 3 a run", runs, steps, n, e.kind)
		}
	}
}

// randomRun is one run: the folder, the model, the live site and what
// happened so far.
type randomRun struct {
	t        *testing.T
	seed     uint64
	m        *model
	dir      string
	live     *build.Live
	closeSrc func()
	written  map[string]string // what is on disk
	before   map[string]string // what was, before the last step
	log      []string
	// records are the site's files after each step, the starting site
	// first, for shrinking a failure (see shrink).
	records []stepRecord
	// The last good live site and the full build it equalled, and whether
	// its print editions are still unasked.
	good        *publish.Memory
	goodFull    map[string][]byte
	printsLazy  bool
	deferPrints bool // always leave the print editions unasked
	failed      int  // updates that failed, as the full builds did
	lastFailed  bool
	// failure is the first difference found, which ends the run.
	failure *failure
	// fault, when set, is a fake fault, to test the shrinker: a message
	// for a step that is to fail, from the files before and after it.
	fault func(before, after map[string]string) string
}

// failure is what went wrong at a step.
type failure struct {
	step int
	msg  string
	more int // other differences found at the same step
}

// stepRecord is what a step left on disk, and the random choices it made
// that a replay must make again.
type stepRecord struct {
	desc  string
	files map[string]string
	order []string // the changed paths, in the order handed to Apply
	lazy  bool     // its print editions were left unasked
}

func newRandomRun(t *testing.T, seed uint64) *randomRun {
	return &randomRun{t: t, seed: seed, m: newModel(rand.New(rand.NewPCG(seed, seed^0x5eed))), written: map[string]string{}}
}

// start writes the model's starting site and builds it.
func (r *randomRun) start() {
	dir := r.t.TempDir()
	r.begin(dir, r.m.files(), true)
	r.t.Cleanup(r.closeSrc)
}

// begin writes the files of site into dir and makes a live site of them, checked
// against a full build, and against build.Render too when check is set.
func (r *randomRun) begin(dir string, site map[string]string, check bool) {
	r.dir = dir
	r.write(site)
	r.records = append(r.records, stepRecord{desc: "the starting site", files: site})
	src, closeSrc, err := build.OpenSource(r.dir)
	if err != nil {
		r.t.Fatal(err)
	}
	r.closeSrc = closeSrc
	r.live = build.NewLive(src, build.Options{})
	u := r.live.Build()
	if u.Site == nil {
		r.t.Fatalf("the first build failed: %v", u.Result.Err())
	}
	full := r.fullBuild()
	if full == nil {
		r.t.Fatal("the first full build failed")
	}
	if check {
		// The oracle is itself a Live's first build: check it against a
		// plain build once.
		mem := publish.NewMemory()
		if res := build.Render(os.DirFS(r.dir), mem, build.Options{}); res.Diags.HasErrors() {
			r.t.Fatalf("build.Render failed: %v", res.Err())
		}
		r.compare(0, "build.Render", files(mem), full)
	}
	r.compare(0, "the first live build", files(u.Site), full)
	r.good, r.goodFull = u.Site, full
}

// run makes steps random edits, or fewer when one fails, and returns the
// failure.
func (r *randomRun) run(steps int) *failure {
	r.start()
	for i := 1; i <= steps && r.failure == nil; i++ {
		r.step(i, r.randomEdit)
	}
	return r.failure
}

// step makes one edit, applies it and compares.
func (r *randomRun) step(i int, edit func(*model) string) {
	r.t.Helper()
	desc := edit(r.m)
	want := r.m.files()
	if b := r.m.broken; b != "" {
		r.m.broken = ""
		if strings.HasSuffix(b, ".html") {
			want[b] += "{{ end }}"
		} else {
			want[b] = strings.Replace(want[b], "+++\n", "+++\nsession = \"x\n", 1)
		}
	}
	changes := r.write(want)
	// In a random order, as the watcher would hand them over.
	r.m.rng.Shuffle(len(changes), func(i, j int) { changes[i], changes[j] = changes[j], changes[i] })
	r.log = append(r.log, fmt.Sprintf("%d. %s  [%s]", i, desc, describeChanges(changes)))
	rec := stepRecord{desc: desc, files: want}
	for _, c := range changes {
		rec.order = append(rec.order, c.Path)
	}
	rec.lazy = r.apply(i, changes, func() bool { return r.deferPrints || r.m.rng.IntN(3) == 0 })
	r.records = append(r.records, rec)
}

// apply hands the changes to the live site and compares it with a full
// build; lazy says whether to leave the print editions unasked, as it
// returns.
func (r *randomRun) apply(i int, changes []build.Change, lazy func() bool) bool {
	r.t.Helper()
	if len(changes) == 0 {
		return false
	}
	u := r.live.Apply(changes)
	full := r.fullBuild()
	r.lastFailed = full == nil
	if r.fault != nil {
		if msg := r.fault(r.before, r.written); msg != "" {
			r.fail(i, "a fake fault: "+msg)
			return false
		}
	}
	switch {
	case full == nil && u.Site != nil:
		r.fail(i, "the full build failed but the live update succeeded")
		return false
	case full != nil && u.Site == nil:
		r.fail(i, fmt.Sprintf("the live update failed but the full build succeeded: %v", u.Result.Err()))
		return false
	case full == nil:
		r.failed++
		// The server keeps the last good site: it must still be what it
		// was, print editions (made on request) included.
		if r.printsLazy {
			r.compare(i, "the last good site after a failed update", files(r.good), r.goodFull)
			r.printsLazy = false
		}
		return false
	}
	// Print editions are made on request: ask for them now, or leave them
	// to be checked after the next update, should it fail.
	r.printsLazy = lazy()
	if r.printsLazy {
		r.compare(i, "the live site", filesBut(u.Site, "print/"), filesBut(publishOf(full), "print/"))
	} else {
		r.compare(i, "the live site", files(u.Site), full)
	}
	r.good, r.goodFull = u.Site, full
	return r.printsLazy
}

func publishOf(m map[string][]byte) *publish.Memory {
	out := publish.NewMemory()
	for k, v := range m {
		out.WriteFile(k, v)
	}
	return out
}

func describeChanges(cs []build.Change) string {
	var out []string
	for _, c := range cs {
		if c.Removed {
			out = append(out, "-"+c.Path)
		} else {
			out = append(out, c.Path)
		}
	}
	return strings.Join(out, " ")
}

// write makes the folder hold the files want and returns the changed
// paths, sorted.
func (r *randomRun) write(want map[string]string) []build.Change {
	var changes []build.Change
	for name, text := range want {
		if old, ok := r.written[name]; !ok || old != text {
			sitetest.WriteFile(r.t, r.dir, name, text)
			changes = append(changes, build.Change{Path: name})
		}
	}
	for name := range r.written {
		if _, ok := want[name]; !ok {
			if err := os.Remove(filepath.Join(r.dir, filepath.FromSlash(name))); err != nil {
				r.t.Fatal(err)
			}
			changes = append(changes, build.Change{Path: name, Removed: true})
		}
	}
	r.before, r.written = r.written, want
	sort.Slice(changes, func(i, j int) bool { return changes[i].Path < changes[j].Path })
	return changes
}

// fullBuild builds the folder from scratch, print editions included; nil
// when the build fails.
func (r *randomRun) fullBuild() map[string][]byte {
	src, closeSrc, err := build.OpenSource(r.dir)
	if err != nil {
		r.t.Fatal(err)
	}
	defer closeSrc()
	u := build.NewLive(src, build.Options{}).Build()
	if u.Site == nil {
		return nil
	}
	return files(u.Site)
}

// files reads every file of a site, print editions made now.
func files(m *publish.Memory) map[string][]byte {
	out := map[string][]byte{}
	for _, name := range m.Names() {
		b, _ := m.Get(name)
		out[name] = b
	}
	return out
}

// filesBut is files without those under prefix, left unasked.
func filesBut(m *publish.Memory, prefix string) map[string][]byte {
	out := map[string][]byte{}
	for _, name := range m.Names() {
		if !strings.HasPrefix(name, prefix) {
			b, _ := m.Get(name)
			out[name] = b
		}
	}
	return out
}

// compare checks a site against a full build, and keeps the first
// difference as the run's failure.
func (r *randomRun) compare(i int, what string, got, want map[string][]byte) {
	r.t.Helper()
	for _, n := range unionNames(got, want) {
		g, gok := got[n]
		w, wok := want[n]
		switch {
		case !wok:
			r.fail(i, fmt.Sprintf("%s has %s, which a full build does not make", what, n))
		case !gok:
			r.fail(i, fmt.Sprintf("%s lacks %s, which a full build makes", what, n))
		case !bytes.Equal(g, w):
			r.fail(i, fmt.Sprintf("%s differs from a full build in %s:\n%s", what, n, liveDiff(g, w)))
		}
	}
}

// liveDiff shows the first line where got and want differ, around the
// first byte that does.
func liveDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for k := 0; k < max(len(g), len(w)); k++ {
		var gl, wl string
		if k < len(g) {
			gl = g[k]
		}
		if k < len(w) {
			wl = w[k]
		}
		if gl != wl || k >= len(g) || k >= len(w) {
			at := 0
			for at < len(gl) && at < len(wl) && gl[at] == wl[at] {
				at++
			}
			return fmt.Sprintf("  line %d, column %d\n  live: %s\n  full: %s", k+1, at+1, around(gl, at), around(wl, at))
		}
	}
	return "  (same lines)"
}

// around shows the part of a line about byte at.
func around(s string, at int) string {
	lo, hi := max(0, at-80), min(len(s), at+160)
	for lo > 0 && !utf8.RuneStart(s[lo]) {
		lo--
	}
	for hi < len(s) && !utf8.RuneStart(s[hi]) {
		hi++
	}
	out := s[lo:hi]
	if lo > 0 {
		out = "…" + out
	}
	if hi < len(s) {
		out += "…"
	}
	return out
}

func clip(s string) string {
	if len(s) <= 300 {
		return s
	}
	n := 300
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// fail keeps the first failure of the run, and says how many more files
// differ at its step.
func (r *randomRun) fail(i int, msg string) {
	switch {
	case r.failure == nil:
		r.failure = &failure{step: i, msg: msg}
	case r.failure.step == i:
		r.failure.more++
	}
}
