package build_test

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

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
	r.run(steps)
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
				r.step(i+1, e)
			}
			if r.printsLazy {
				r.compare(len(tt.edits), "the live site", files(r.good), r.goodFull)
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
}

// s is the session that the starting site numbers n, wherever it is now.
func (m *model) s(n int) *rsession { return m.session(n + 2) }

// deleteSession deletes s; links to it not dropped stay as they were
// written, and break the build.
func (m *model) deleteSession(s *rsession) {
	m.gone[s.id] = &rsession{id: s.id, num: s.num, file: s.file, mod: s.mod}
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
	level      string // [params] level
	draft      bool
	body       int    // the body's variant
	heading    bool   // the body has "## Notes", which links may reach by #notes
	plain      int    // the body says "Session N" in plain text (autolinked), 0 for none
	exercise   string // an exercise's materials, "" for no exercise
	worksheet  string // a worksheet's title, "" for none
	byNum      []int  // sessions linked by [](session:N)
	byMD       []link // sessions linked by .md links
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
}

// model is the site, from which every file is written.
type model struct {
	rng       *rand.Rand
	nextID    int
	title     string // config.toml
	modules   []*rmodule
	sessions  []*rsession
	agenda    []int // session ids of the agenda's day
	agendaT   string
	moduleTpl int               // layouts/module.html variant; 0: none
	partial   int               // layouts/partials/extra.html variant; 0: none (the theme's)
	themePart int               // themes/course/layouts/partials/extra.html variant
	themeAg   int               // themes/course/layouts/agenda.html variant; 0: none
	i18n      int               // i18n/en.toml variant; 0: none
	css       int               // static/css/extra.css variant
	broken    string            // a file written broken once, put right next step
	gone      map[int]*rsession // deleted sessions, as links still name them
}

func (m *model) id() int { m.nextID++; return m.nextID }

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
	return "content/" + m.module(s.mod).dir + "/" + s.file + ".md"
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

// newModel is the starting site: two modules of sessions linking each
// other, an agenda, a site template, a partial and the theme's.
func newModel(rng *rand.Rand) *model {
	m := &model{rng: rng, gone: map[int]*rsession{}, title: "Random manual", agendaT: "Workshop", moduleTpl: 1, partial: 0, themePart: 1, css: 1}
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
	return m
}

// files writes the model: every file of the site, by slash path.
func (m *model) files() map[string]string {
	f := map[string]string{}
	f["config.toml"] = fmt.Sprintf("title = %q\ntheme = \"course\"\n", m.title)
	f["content/_index.md"] = "+++\ntitle = \"Home\"\n+++\nWelcome.\n"
	for _, x := range m.modules {
		var b strings.Builder
		fmt.Fprintf(&b, "+++\ntitle = %q\nweight = %d\n", x.title, x.weight)
		if x.summary != "" {
			fmt.Fprintf(&b, "summary = %q\n", x.summary)
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
			nums = append(nums, strconv.Itoa(s.num))
		}
	}
	f["content/agenda.md"] = fmt.Sprintf("+++\ntitle = %q\ntype = \"agenda\"\nweight = 9\n[[days]]\nstart = \"09:00\"\nsessions = [%s]\n+++\nThe plan.\n", m.agendaT, strings.Join(nums, ", "))
	if m.moduleTpl > 0 {
		broken := ""
		if m.moduleTpl == 9 {
			broken = `<a href="/missing/index.html">a file the site lacks</a>`
		}
		f["layouts/module.html"] = fmt.Sprintf(`{{ define "main" }}<h1>{{ .Page.Title }} v%d</h1>`+broken+`{{ template "extra" . }}<ul>{{ range .Page.Pages }}<li>{{ .Title }}: {{ .Params.level }} {{ .Summary }} {{ .Time }}</li>{{ end }}</ul>{{ .Content }}{{ end }}`, m.moduleTpl)
	}
	if m.partial > 0 {
		f["layouts/partials/extra.html"] = fmt.Sprintf(`{{ define "extra" }}<p class="site-extra v%d">{{ .Page.TotalTime }}</p>{{ end }}`, m.partial)
	}
	f["themes/course/layouts/partials/extra.html"] = fmt.Sprintf(`{{ define "extra" }}<p class="theme-extra v%d">{{ len .Page.Pages }}</p>{{ end }}`, m.themePart)
	if m.themeAg > 0 {
		f["themes/course/layouts/agenda.html"] = fmt.Sprintf(`{{ define "main" }}<h1>{{ .Page.Title }} v%d</h1>{{ range .Page.Schedule.Sessions }}<p>{{ .Label }} {{ .Time }}</p>{{ end }}{{ range .AgendaMaterials }}<p>{{ .Item }}</p>{{ end }}{{ end }}`, m.themeAg)
	}
	if m.i18n > 0 {
		f["i18n/en.toml"] = fmt.Sprintf("contents = \"Contents v%d\"\nnext = \"Onwards v%d\"\n", m.i18n, m.i18n)
	}
	f["static/css/extra.css"] = fmt.Sprintf("p { margin: %dpx }\n", m.css)
	return f
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
		if t.mod == s.mod {
			target = t.file + ".md"
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
// what it did.
var edits = []struct {
	weight int
	do     func(m *model) string
}{
	{8, func(m *model) string { // body
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
	{4, func(m *model) string {
		s := m.pick()
		s.title = m.word()
		return fmt.Sprintf("title of %s: %q", m.path(s), s.title)
	}},
	{3, func(m *model) string {
		s := m.pick()
		s.num = m.freeNumber()
		return fmt.Sprintf("number of %s: %d", m.path(s), s.num)
	}},
	{3, func(m *model) string {
		s := m.pick()
		s.time = times[m.rng.IntN(len(times))]
		return fmt.Sprintf("time of %s: %s", m.path(s), s.time)
	}},
	{3, func(m *model) string {
		s := m.pick()
		s.materials = m.some(materials)
		return fmt.Sprintf("materials of %s: %v", m.path(s), s.materials)
	}},
	{2, func(m *model) string {
		s := m.pick()
		s.objectives = m.some([]string{"Know the risks", "Use a password manager", "Plan next steps"})
		return fmt.Sprintf("objectives of %s: %v", m.path(s), s.objectives)
	}},
	{3, func(m *model) string {
		s := m.pick()
		s.level = []string{"", "basic", "advanced"}[m.rng.IntN(3)]
		return fmt.Sprintf("[params] level of %s: %q", m.path(s), s.level)
	}},
	{2, func(m *model) string {
		s := m.pick()
		s.summary = []string{"", "In short.", "What it's about."}[m.rng.IntN(3)]
		return fmt.Sprintf("summary of %s: %q", m.path(s), s.summary)
	}},
	{2, func(m *model) string {
		s := m.pick()
		s.draft = !s.draft
		if s.draft && m.rng.IntN(4) > 0 {
			m.dropLinks(s.id)
		}
		return fmt.Sprintf("draft of %s: %v", m.path(s), s.draft)
	}},
	{2, func(m *model) string {
		s := m.pick()
		old := m.path(s)
		s.file = fmt.Sprintf("%02d-%s", s.num, strings.ToLower(strings.ReplaceAll(m.word(), " ", "-")))
		return fmt.Sprintf("rename %s to %s", old, m.path(s))
	}},
	{2, func(m *model) string {
		s := m.pick()
		old := m.path(s)
		s.mod = m.modules[m.rng.IntN(len(m.modules))].id
		return fmt.Sprintf("move %s to %s", old, m.path(s))
	}},
	{2, func(m *model) string {
		if len(m.sessions) < 3 {
			return ""
		}
		s := m.pick()
		m.deleteSession(s)
		if m.rng.IntN(5) > 0 {
			m.dropLinks(s.id)
		}
		return fmt.Sprintf("delete %s", m.path(s))
	}},
	{2, func(m *model) string {
		if len(m.sessions) > 14 {
			return ""
		}
		s := &rsession{id: m.id(), mod: m.modules[m.rng.IntN(len(m.modules))].id, title: m.word(), num: m.freeNumber(),
			time: times[m.rng.IntN(len(times))], heading: m.rng.IntN(2) == 0}
		s.file = fmt.Sprintf("%02d-new-%d", s.num, s.id)
		if t := m.pick(); t != nil && m.rng.IntN(2) == 0 {
			s.byNum = []int{t.id}
		}
		m.sessions = append(m.sessions, s)
		return fmt.Sprintf("new session %s", m.path(s))
	}},
	{1, func(m *model) string {
		if len(m.modules) > 4 {
			return ""
		}
		x := &rmodule{id: m.id(), title: m.word(), weight: m.rng.IntN(5)}
		x.dir = fmt.Sprintf("m%d", x.id)
		if m.rng.IntN(3) == 0 {
			x.dir = m.modules[m.rng.IntN(len(m.modules))].dir + "/" + x.dir // nested
		}
		m.modules = append(m.modules, x)
		return fmt.Sprintf("new module %s", x.dir)
	}},
	{3, func(m *model) string {
		x := m.modules[m.rng.IntN(len(m.modules))]
		switch m.rng.IntN(3) {
		case 0:
			x.title = m.word()
		case 1:
			x.weight = m.rng.IntN(5)
		default:
			x.summary = []string{"", "A module.", "Day two."}[m.rng.IntN(3)]
		}
		return fmt.Sprintf("module %s: title %q, weight %d, summary %q", x.dir, x.title, x.weight, x.summary)
	}},
	{2, func(m *model) string {
		m.moduleTpl = m.rng.IntN(4)
		return fmt.Sprintf("layouts/module.html variant %d", m.moduleTpl)
	}},
	{2, func(m *model) string {
		m.partial = m.rng.IntN(3)
		return fmt.Sprintf("layouts/partials/extra.html variant %d", m.partial)
	}},
	{2, func(m *model) string {
		if m.rng.IntN(2) == 0 {
			m.themePart++
			return fmt.Sprintf("themes/course/layouts/partials/extra.html variant %d", m.themePart)
		}
		m.themeAg = m.rng.IntN(3)
		return fmt.Sprintf("themes/course/layouts/agenda.html variant %d", m.themeAg)
	}},
	{1, func(m *model) string {
		m.i18n = m.rng.IntN(3)
		return fmt.Sprintf("i18n/en.toml variant %d", m.i18n)
	}},
	{1, func(m *model) string {
		m.css++
		return fmt.Sprintf("static/css/extra.css variant %d", m.css)
	}},
	{1, func(m *model) string {
		m.title = m.word() + " manual"
		return fmt.Sprintf("config.toml title %q", m.title)
	}},
	{2, func(m *model) string {
		m.agenda = nil
		for _, s := range m.sessions {
			if !s.draft && m.rng.IntN(2) == 0 {
				m.agenda = append(m.agenda, s.id)
			}
		}
		m.rng.Shuffle(len(m.agenda), func(i, j int) { m.agenda[i], m.agenda[j] = m.agenda[j], m.agenda[i] })
		if m.rng.IntN(4) == 0 {
			m.agendaT = m.word()
		}
		return fmt.Sprintf("agenda %q: sessions %v", m.agendaT, m.agenda)
	}},
	{1, func(m *model) string { // a broken save, put right by the next step
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
// links to sessions without the heading.
func (m *model) repair() {
	for id := range m.gone {
		m.dropLinks(id)
	}
	for _, s := range m.sessions {
		if s.draft {
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
					return d
				}
				break
			}
			n -= e.weight
		}
	}
}

// randomRun is one run: the folder, the model, the live site and what
// happened so far.
type randomRun struct {
	t       *testing.T
	seed    uint64
	m       *model
	dir     string
	live    *build.Live
	written map[string]string // what is on disk
	log     []string
	// The last good live site and the full build it equalled, and whether
	// its print editions are still unasked.
	good        *publish.Memory
	goodFull    map[string][]byte
	printsLazy  bool
	deferPrints bool // always leave the print editions unasked
	failed      int  // updates that failed, as the full builds did
	lastFailed  bool
}

func newRandomRun(t *testing.T, seed uint64) *randomRun {
	return &randomRun{t: t, seed: seed, m: newModel(rand.New(rand.NewPCG(seed, seed^0x5eed))), written: map[string]string{}}
}

func (r *randomRun) start() {
	r.dir = r.t.TempDir()
	r.sync()
	src, closeSrc, err := build.OpenSource(r.dir)
	if err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(closeSrc)
	r.live = build.NewLive(src, build.Options{})
	u := r.live.Build()
	if u.Site == nil {
		r.t.Fatalf("the first build failed: %v", u.Result.Err())
	}
	full := r.fullBuild()
	if full == nil {
		r.t.Fatal("the first full build failed")
	}
	// The oracle is itself a Live's first build: check it against a plain
	// build once.
	mem := publish.NewMemory()
	if res := build.Render(os.DirFS(r.dir), mem, build.Options{}); res.Diags.HasErrors() {
		r.t.Fatalf("build.Render failed: %v", res.Err())
	}
	r.compare(0, "build.Render", files(mem), full)
	r.compare(0, "the first live build", files(u.Site), full)
	r.good, r.goodFull = u.Site, full
}

func (r *randomRun) run(steps int) {
	r.start()
	for i := 1; i <= steps; i++ {
		r.step(i, func(m *model) string {
			d := m.randomEdit()
			if r.lastFailed && m.rng.IntN(2) == 0 {
				m.repair() // the author mends the links the build named
				d = "mend broken links; " + d
			}
			if m.rng.IntN(6) == 0 { // two edits saved in one batch
				d += "; " + m.randomEdit()
			}
			return d
		})
	}
	r.t.Logf("%d steps, %d of them failed builds", steps, r.failed)
}

// step makes one edit, applies it and compares.
func (r *randomRun) step(i int, edit func(*model) string) {
	r.t.Helper()
	desc := edit(r.m)
	changes := r.sync()
	r.log = append(r.log, fmt.Sprintf("%d. %s  [%s]", i, desc, describeChanges(changes)))
	if len(changes) == 0 {
		return
	}
	u := r.live.Apply(changes)
	full := r.fullBuild()
	r.lastFailed = full == nil
	switch {
	case full == nil && u.Site != nil:
		r.fail(i, "the full build failed but the live update succeeded")
	case full != nil && u.Site == nil:
		r.fail(i, fmt.Sprintf("the live update failed but the full build succeeded: %v", u.Result.Err()))
	case full == nil:
		r.failed++
		// The server keeps the last good site: it must still be what it
		// was, print editions (made on request) included.
		if r.printsLazy {
			r.compare(i, "the last good site after a failed update", files(r.good), r.goodFull)
			r.printsLazy = false
		}
		return
	}
	// Print editions are made on request: ask for them now, or leave them
	// to be checked after the next update, should it fail.
	r.printsLazy = r.deferPrints || r.m.rng.IntN(3) == 0
	if r.printsLazy {
		r.compare(i, "the live site", filesBut(u.Site, "print/"), filesBut(publishOf(full), "print/"))
	} else {
		r.compare(i, "the live site", files(u.Site), full)
	}
	r.good, r.goodFull = u.Site, full
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

// sync writes the model to disk and returns the changed paths, in a random
// order, as the watcher would hand them over.
func (r *randomRun) sync() []build.Change {
	want := r.m.files()
	if b := r.m.broken; b != "" {
		r.m.broken = ""
		if strings.HasSuffix(b, ".html") {
			want[b] += "{{ end }}"
		} else {
			want[b] = strings.Replace(want[b], "+++\n", "+++\nsession = \"x\n", 1)
		}
	}
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
	r.written = want
	sort.Slice(changes, func(i, j int) bool { return changes[i].Path < changes[j].Path })
	r.m.rng.Shuffle(len(changes), func(i, j int) { changes[i], changes[j] = changes[j], changes[i] })
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

func (r *randomRun) compare(i int, what string, got, want map[string][]byte) {
	r.t.Helper()
	names := map[string]bool{}
	for n := range got {
		names[n] = true
	}
	for n := range want {
		names[n] = true
	}
	sorted := make([]string, 0, len(names))
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	for _, n := range sorted {
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

// liveDiff shows the first line where got and want differ.
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
			return fmt.Sprintf("  line %d\n  live: %s\n  full: %s", k+1, clip(gl), clip(wl))
		}
	}
	return "  (same lines)"
}

func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

func (r *randomRun) fail(i int, msg string) {
	r.t.Helper()
	r.t.Fatalf("seed %d, step %d: %s\nedits so far:\n%s", r.seed, i, msg, strings.Join(r.log, "\n"))
}
