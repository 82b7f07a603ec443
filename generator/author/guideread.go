package author

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"flipchart/generator/content"
	"flipchart/generator/diag"
	"flipchart/generator/markup"
)

// A Manual is what import found in one document: its sessions, in modules
// when the document has "Day 1", "Module 2" or "Part 3" headings.
type Manual struct {
	File    string
	Modules []*Module // the first is the document's own when it has no module heading
	// Unplaced lists the text import kept for trainers only, not knowing
	// where it belongs.
	Unplaced []Unplaced
}

// Module is one module of a Manual: Title is "" for the sessions before any
// module heading.
type Module struct {
	Title  string
	Number int
	Intro  []string // Markdown under the module's heading, before its first session
	Guides []*Guide
}

// Unplaced is text import could not place: where it starts in the source,
// its first words and why.
type Unplaced struct {
	Src   int
	Words string
	Why   string
}

// Guides returns the manual's sessions, in order.
func (m *Manual) Guides() []*Guide {
	var out []*Guide
	for _, mod := range m.Modules {
		out = append(out, mod.Guides...)
	}
	return out
}

// labels maps the labels of a guide (upper case, spaces collapsed, a
// trailing number dropped) to what they hold: container kinds hold
// Markdown; the others are fields. A label is a line of its own, with or
// without a colon, in any case, or a name and a colon before its value.
var labels = map[string]string{
	"TIME":                   "time",
	"DURATION":               "time",
	"ACTIVITIES":             "activities",
	"ACTIVITY":               "activities",
	"SESSION OBJECTIVES":     "objectives",
	"OBJECTIVES":             "objectives",
	"LEARNING OBJECTIVES":    "objectives",
	"AIMS":                   "objectives",
	"EXERCISE":               "exercise",
	"ACTIVITY NAME":          "exercise",
	"FORMAT":                 "format",
	"REQUIRED MATERIALS":     "materials",
	"MATERIALS REQUIRED":     "materials",
	"MATERIALS NEEDED":       "materials",
	"MATERIALS":              "materials",
	"ADAPTATION NOTES":       "adaptation",
	"ADAPTATION":             "adaptation",
	"ALTERNATIVE OPTION":     "adaptation:Alternative option",
	"ALTERNATIVE OPTIONS":    "adaptation:Alternative options",
	"ALTERNATIVE OPTION(S)":  "adaptation:Alternative option(s)",
	"EXAMPLE STRUCTURE":      "facilitation:Example structure",
	"WORKSHOP EXAMPLE":       "facilitation:Workshop example",
	"SUMMARY":                "summary",
	"KEY EXPLANATION POINTS": "keypoints",
	"KEY POINTS":             "keypoints",
	"FACILITATION NOTES":     "facilitation",
	"FACILITATOR NOTES":      "facilitation",
	"FACILITATOR'S NOTES":    "facilitation",
	"FACILITATORS' NOTES":    "facilitation",
	"NOTES FOR FACILITATORS": "facilitation",
	"TRAINER NOTES":          "facilitation",
	"PREPARATION":            "preparation",
	"TRAINER PREPARATION":    "preparation",
	"PREPARATION NOTES":      "preparation",
	"SOLUTION":               "solution",
	"DISCUSSION":             "discussion",
	"DISCUSSION QUESTIONS":   "discussion",
	"HANDOUT":                "handout",
	"WORKSHEET":              "worksheet",
	"NOTE":                   "note",
	"TIP":                    "tip",
	"WARNING":                "warning",
}

// Label is a label as import knows it, for messages and tests.
type label struct {
	kind  string // "time", "exercise", a container kind
	title string // a titled container's title ("Alternative option")
	name  string // as written, without its colon ("Sessions objectives")
	known string // the label it was taken for, when name is a near miss
	value string // the text after the colon
}

// readLabel reads a line as a label: "Time: 15 min", "**Session
// objectives**", "FACILITATION NOTES:", "Sessions objectives" (taken for
// "Session objectives"). A label without a colon is the whole line.
func readLabel(text string) (label, bool) {
	plain := stripEmphasis(text)
	name, value, colon := strings.Cut(plain, ":")
	if !colon {
		name = plain
	}
	name = strings.TrimSpace(stripEmphasis(name))
	value = strings.TrimSpace(stripEmphasis(value))
	if name == "" || len(strings.Fields(name)) > 5 || strings.ContainsAny(name, ".!?") {
		return label{}, false
	}
	key := labelKey(name)
	found, ok := labels[key]
	known := ""
	if !ok {
		if k := nearLabel(key); k != "" {
			found, ok, known = labels[k], true, k
		}
	}
	if !ok && colon && shoutedName(name) {
		// "BACKGROUND:": a label, of a part import does not know.
		return label{kind: "?", name: name, value: value}, true
	}
	if !ok {
		return label{}, false
	}
	l := label{name: name, value: value, known: known}
	l.kind, l.title, _ = strings.Cut(found, ":")
	return l, true
}

// shoutedName reports whether a label's name is written in capitals, as
// the labels of a plain-text manual are: two letters at least, none lower
// case, no more than four words.
func shoutedName(name string) bool {
	r, _ := utf8.DecodeRuneInString(name)
	return unicode.IsLetter(r) && Shouting(name) && len(strings.Fields(name)) <= 4 &&
		!strings.ContainsFunc(name, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune(" &/-'’()", r)
		})
}

// labelKey normalises a label's name: "Exercise 2" is "EXERCISE",
// "Facilitator’s  notes" is "FACILITATOR'S NOTES".
func labelKey(name string) string {
	k := strings.ToUpper(strings.Join(strings.Fields(strings.NewReplacer("’", "'", "‘", "'").Replace(name)), " "))
	k = strings.TrimRightFunc(k, func(r rune) bool { return unicode.IsDigit(r) || r == ' ' || r == '#' })
	return k
}

// nearLabel returns the known label key is a near miss of: one with a
// word's plural "s" added or dropped, or a letter or two wrong in a long
// label; "" when none.
func nearLabel(key string) string {
	if len(key) < 4 {
		return ""
	}
	best, bestD := "", 3
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		if (len(k) >= 8 || strings.Contains(k, " ")) && sameButPlurals(k, key) {
			return k
		}
		limit := 0
		switch {
		case len(k) >= 12:
			limit = 2
		case len(k) >= 7:
			limit = 1
		}
		if d := editDistance(k, key, limit); d <= limit && d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// sameButPlurals reports whether two labels differ only in words' final s.
func sameButPlurals(a, b string) bool {
	wa, wb := strings.Fields(a), strings.Fields(b)
	if len(wa) != len(wb) || a == b {
		return false
	}
	for i := range wa {
		if strings.TrimSuffix(wa[i], "S") != strings.TrimSuffix(wb[i], "S") {
			return false
		}
	}
	return true
}

// editDistance is the Levenshtein distance of a and b, or limit+1 once it
// is known to be more.
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		low := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			low = min(low, cur[j])
		}
		if low > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// stripEmphasis drops emphasis around text: "**Time:**" is "Time:".
func stripEmphasis(s string) string {
	s = strings.TrimSpace(s)
	for changed := true; changed; {
		changed = false
		for _, m := range []string{"**", "__", "*", "_"} {
			if len(s) > 2*len(m) && strings.HasPrefix(s, m) && strings.HasSuffix(s, m) {
				s, changed = strings.TrimSpace(s[len(m):len(s)-len(m)]), true
			}
		}
		// "**Time:** 15 min": the emphasis closes inside.
		for _, m := range []string{"**", "__"} {
			if strings.HasPrefix(s, m) {
				if i := strings.Index(s[len(m):], m); i >= 0 {
					s, changed = s[len(m):len(m)+i]+s[len(m)+i+len(m):], true
				}
			}
		}
	}
	return s
}

var (
	sessionRe = regexp.MustCompile(`(?i)^(?:session|sesión|séance|сессия|занятие)\s+(\d{1,3})\s*(?:[:.–—-]\s*(.*))?$`)
	moduleRe  = regexp.MustCompile(`(?i)^(day|module|part|unit|chapter)\s+(\d{1,2}|[ivx]{1,5}|one|two|three|four|five|six|seven|eight|nine|ten)\b\s*(?:[:.–—-]\s*(.*))?$`)
)

var numberWords = map[string]int{"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}

// shortLine reports whether text could be a title: a few words, not a
// sentence.
func shortLine(text string) bool {
	t := strings.TrimSpace(stripEmphasis(text))
	return t != "" && len(strings.Fields(t)) <= 14 && !strings.HasSuffix(t, ".") && !strings.HasSuffix(t, ",")
}

// sessionTitle reads "Session 8: Reflections/workshop summary"; title is
// "" for "Session 8:" alone.
func sessionTitle(text string) (n int, title string, ok bool) {
	t := stripEmphasis(text)
	m := sessionRe.FindStringSubmatch(t)
	if m == nil || !shortLine(t) {
		return 0, "", false
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || n <= 0 {
		return 0, "", false
	}
	return n, cleanTitle(m[2]), true
}

// moduleHeading reads "Day 2: Planning", "Module II", "Part three".
func moduleHeading(text string) (n int, title string, ok bool) {
	t := stripEmphasis(text)
	m := moduleRe.FindStringSubmatch(t)
	if m == nil || !shortLine(t) {
		return 0, "", false
	}
	word := strings.ToLower(m[2])
	if v, err := strconv.Atoi(word); err == nil {
		n = v
	} else if v, ok := numberWords[word]; ok {
		n = v
	} else {
		n = romanValue(word)
	}
	return n, cleanTitle(t), n > 0
}

func romanValue(s string) int {
	vals := map[rune]int{'i': 1, 'v': 5, 'x': 10}
	n, prev := 0, 0
	for i := len(s) - 1; i >= 0; i-- {
		v := vals[rune(s[i])]
		if v < prev {
			n -= v
		} else {
			n += v
			prev = v
		}
	}
	return n
}

// furniture reports whether a line is page furniture: a skip link, a menu
// word, a breadcrumb trail, a page number.
var furnitureRe = regexp.MustCompile(`(?i)^(skip to (main )?content|skip navigation|jump to navigation|menu|main menu|toggle navigation|search|search for:|back to top|print this page|share( this)?:?|page \d+( of \d+)?|\d{1,4}|-\s*\d{1,4}\s*-|home\s*[»>›/|].*)$`)

func furniture(text string) bool {
	return furnitureRe.MatchString(strings.TrimSpace(stripEmphasis(text)))
}

// formatWords are what the format of an exercise names, when a website
// shows it without its label.
var formatWords = []string{"exercise", "discussion", "brainstorm", "presentation", "role play", "role-play", "roleplay",
	"group work", "small group", "small-group", "plenary", "energiser", "energizer", "game", "input", "lecture",
	"case study", "quiz", "reflection", "debate", "simulation", "scenario", "pairs", "activity", "demonstration", "practical"}

// bareFormat reports whether text is a format standing alone: a few words
// naming one.
func bareFormat(text string) bool {
	t := strings.ToLower(stripEmphasis(text))
	if len(strings.Fields(t)) > 5 || strings.ContainsAny(t, ".:!?") {
		return false
	}
	for _, w := range formatWords {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}

// bareTime reads a time standing alone: "15min", "30-60min", "1 h 30 min";
// a bare number is not one.
func bareTime(text string) (string, bool) {
	t := stripEmphasis(text)
	if len(strings.Fields(t)) > 6 || !strings.ContainsFunc(t, unicode.IsLetter) || !strings.ContainsFunc(t, unicode.IsDigit) {
		return "", false
	}
	r, err := content.ParseTimeRange(t)
	if err != nil {
		return "", false
	}
	return r.String(), true
}

// ReadGuides finds the sessions of a document. Problems go to diags with
// the document's file and line: near-miss labels and text it could not
// place are warnings (the text is kept for trainers only, see Unplaced).
// A document in which no session is found is an error.
func ReadGuides(doc *Doc, diags *diag.List) (*Manual, *diag.Diagnostic) {
	r := &guideReader{doc: doc, diags: diags, m: &Manual{File: doc.File}}
	for _, w := range doc.Warnings {
		diags.Add("import", diag.Warnf(doc.File, w.Src, 0, "%s", w.Msg).WithHint("%s", w.Hint))
	}
	r.mod = &Module{}
	r.m.Modules = []*Module{r.mod}
	for r.i = 0; r.i < len(doc.Lines); r.i++ {
		r.line(doc.Lines[r.i])
	}
	r.closeSection()
	r.closeGuide()
	r.flushBefore()
	// A document without its own module heading keeps one module.
	r.m.Modules = slices.DeleteFunc(r.m.Modules, func(m *Module) bool { return m.Title == "" && len(m.Guides) == 0 && len(m.Intro) == 0 })
	if len(r.m.Guides()) == 0 {
		return nil, r.nothingFound()
	}
	return r.m, nil
}

// guideReader holds the state of one document's reading.
type guideReader struct {
	doc   *Doc
	diags *diag.List
	m     *Manual
	i     int // the line being read
	mod   *Module
	g     *Guide // the session being read, nil before the first
	ex    *Block // the exercise being read
	sec   *openSection
	// header is true right after a session's or exercise's title, while
	// its time, format and summary may stand without their labels.
	header bool
	// before holds the lines before the first session of a module;
	// pending, those before the document's first session, which the
	// session takes for trainers.
	before, pending []Line
	// lead is true while an exercise's first paragraph may be its summary.
	lead bool
}

// openSection is a label and the lines under it, up to the next.
type openSection struct {
	lab   label
	src   int
	lines []Line
	into  *[]*Block // where its container goes
	ex    *Block    // the exercise it belongs to
}

func (r *guideReader) line(l Line) {
	if l.Kind == Break {
		return
	}
	text := lineText(l)
	if l.Kind != Row && furniture(text) {
		return // page furniture: a menu word, a page number
	}
	if l.Kind == Para || l.Kind == Heading {
		if n, title, ok := moduleHeading(text); ok && (l.Kind == Heading || l.Bold || l.Gap) {
			r.closeSection()
			r.closeGuide()
			r.flushBefore()
			r.mod = &Module{Title: title, Number: n}
			r.m.Modules = append(r.m.Modules, r.mod)
			return
		}
		if n, title, ok := sessionTitle(text); ok && (r.g == nil || n != r.g.Session) {
			r.closeSection()
			r.closeGuide()
			r.flushBefore()
			if title == "" {
				title = r.titleBelow()
			}
			r.g = &Guide{File: r.doc.File, Session: n, Title: title, Src: l.Src}
			r.header, r.ex, r.lead = true, nil, false
			if len(r.pending) > 0 {
				p := r.pending
				r.pending = nil
				r.unplaced(&r.g.Body, p[0].Src, lineText(p[0]), "text before the session’s title", markdownLines(p))
			}
			return
		}
		if _, ok := readLabel(text); ok && r.g == nil && len(r.mod.Guides) == 0 {
			r.untitled(l)
		}
		if lab, ok := readLabel(text); ok && l.Kind != Row && r.g != nil && !r.wrappedValue(l, lab) && !r.formatAlone(lab, text) {
			if lab.known != "" {
				r.diags.Add("import", diag.Warnf(r.doc.File, l.Src, 0, "read “%s” as the label “%s”", lab.name, sentenceLabel(lab.known)).
					WithHint("check that this part of the session is where it should be"))
			}
			r.label(lab, l)
			return
		}
	}
	if r.g == nil {
		r.before = append(r.before, l)
		return
	}
	if r.header && r.sec == nil && (l.Kind == Para || l.Kind == Heading) {
		if r.bareValue(l, text) {
			return
		}
	}
	if r.sec == nil && r.ex == nil && l.Kind == Heading && r.exerciseTitleAhead() {
		r.startExercise(cleanTitle(text), l.Src)
		return
	}
	if (l.Kind == Para || l.Kind == Heading) && shortLine(text) && r.mayEndSection() && r.exerciseTitleAhead() {
		r.startExercise(cleanTitle(text), l.Src)
		return
	}
	r.header = false
	if r.sec == nil && r.lead && r.ex != nil && l.Kind == Para && sentences(text) <= 2 {
		r.lead = false
		r.ex.Children = append(r.ex.Children, &Block{Kind: "summary", Lines: []string{text}})
		return
	}
	r.lead = false
	if r.sec != nil && r.sec.list() && l.Kind == Para && hasItems(r.sec.lines) {
		// A paragraph after the items of a list of objectives is not one.
		r.closeSection()
		r.line(l)
		return
	}
	if r.sec != nil && r.sec.oneLine() && len(r.sec.lines) > 0 && !continues(r.sec.lines[len(r.sec.lines)-1], l) {
		// A time or a format is one line (or a value in capitals wrapped
		// over two): what follows is not part of it.
		r.closeSection()
		r.line(l)
		return
	}
	if r.sec != nil {
		r.sec.lines = append(r.sec.lines, l)
		return
	}
	r.unplacedLine(l, text)
}

// wrappedValue reports whether a line that reads as a label is the second
// line of a value in capitals ("FORMAT:", "BRAINSTORM", "EXERCISE"): a
// label without a colon, right under a line in capitals of a one-line
// value.
func (r *guideReader) wrappedValue(l Line, lab label) bool {
	if r.sec == nil || strings.Contains(l.Text, ":") || len(r.sec.lines) == 0 {
		return false
	}
	switch r.sec.lab.kind {
	case "format", "time", "materials", "activities":
	default:
		return false
	}
	return continues(r.sec.lines[len(r.sec.lines)-1], l)
}

// mayEndSection reports whether the open label's part may end at a line
// that is not a label (an exercise's title standing alone): there is none,
// or it is a list or a container with something in it already; a value
// (a format, a time, materials, activities) is short lines itself.
func (r *guideReader) mayEndSection() bool {
	if r.sec == nil {
		return true
	}
	switch r.sec.lab.kind {
	case "activities", "format", "time", "materials":
		return false
	}
	return len(r.sec.lines) > 0
}

// formatAlone reports whether a label without a colon right after a
// title is rather the format standing alone that a website shows under an
// icon ("Discussion").
func (r *guideReader) formatAlone(lab label, text string) bool {
	return r.header && r.sec == nil && lab.value == "" && !strings.Contains(text, ":") && lab.kind == "discussion" && bareFormat(text)
}

// list reports whether the section's value is a list: objectives,
// activities.
func (sec *openSection) list() bool {
	return sec.lab.kind == "objectives" || sec.lab.kind == "activities"
}

// oneLine reports whether the section's value is one line: a time, a
// format.
func (sec *openSection) oneLine() bool { return sec.lab.kind == "time" || sec.lab.kind == "format" }

// continues reports whether l goes on with prev: a value in capitals
// wrapped over two lines.
func continues(prev, l Line) bool {
	return !l.Gap && prev.Kind == Para && l.Kind == Para && Shouting(prev.Text) && Shouting(l.Text)
}

// lineText is a line's text; a row's cells joined.
func lineText(l Line) string {
	if l.Kind == Row {
		return strings.Join(l.Cells, " | ")
	}
	return l.Text
}

// untitled starts a session that has no "Session N" line, at its first
// label: its title is the first heading before the label, or else the last
// line that could be a title; it is numbered on import.
func (r *guideReader) untitled(at Line) {
	k := -1
	for j, b := range r.before {
		if b.Kind == Heading {
			k = j
			break
		}
	}
	if k < 0 {
		for j := len(r.before) - 1; j >= 0; j-- {
			if b := r.before[j]; (b.Kind == Para) && shortLine(b.Text) {
				k = j
				break
			}
		}
	}
	if k < 0 {
		return
	}
	title := r.before[k]
	rest := append(slices.Clone(r.before[:k]), r.before[k+1:]...)
	r.before = nil
	r.g = &Guide{File: r.doc.File, Title: cleanTitle(title.Text), Src: title.Src}
	r.header = true
	if r.mod.Title != "" {
		r.mod.Intro = append(r.mod.Intro, markdownLines(rest)...)
	} else if len(rest) > 0 {
		r.unplaced(&r.g.Body, rest[0].Src, lineText(rest[0]), "text before the session’s title", markdownLines(rest))
	}
}

// titleBelow takes the next line as the session's title ("Session 8:"
// then "Reflections/workshop summary"), or "" when it is not one.
func (r *guideReader) titleBelow() string {
	if r.i+1 >= len(r.doc.Lines) {
		return ""
	}
	next := r.doc.Lines[r.i+1]
	if (next.Kind == Para || next.Kind == Heading) && shortLine(next.Text) {
		if _, ok := readLabel(next.Text); !ok {
			r.i++
			return cleanTitle(next.Text)
		}
	}
	return ""
}

// bareValue takes a line right after a title as its time, format or
// summary standing without a label, as a website shows them under icons.
func (r *guideReader) bareValue(l Line, text string) bool {
	if t, ok := bareTime(text); ok {
		switch {
		case r.ex != nil && r.ex.Time == "":
			r.ex.Time = t
			return true
		case r.ex == nil && r.g.Time == "":
			r.g.Time = t
			return true
		}
		return false
	}
	if bareFormat(text) {
		v := capFirst(SentenceCase(plainText(text)))
		switch {
		case r.ex != nil && r.ex.Format == "":
			r.ex.Format = v
			return true
		case r.ex == nil && len(r.g.Activities) == 0:
			r.g.Activities = []string{v}
			return true
		}
		return false
	}
	if l.Kind == Para && sentences(text) == 1 && !shortLine(text) {
		if r.ex != nil {
			r.ex.Children = append(r.ex.Children, &Block{Kind: "summary", Lines: []string{text}})
			r.lead = false
			return true
		}
		if r.g.Summary == "" {
			r.g.Summary = plainText(text)
			return true
		}
	}
	return false
}

// exerciseTitleAhead reports whether the line being read is an exercise's
// title without its label: what follows within a few lines is an
// exercise's format or time, bare or labelled.
func (r *guideReader) exerciseTitleAhead() bool {
	if _, ok := readLabel(r.doc.Lines[r.i].Text); ok {
		return false
	}
	for j := r.i + 1; j < len(r.doc.Lines) && j <= r.i+2; j++ {
		next := r.doc.Lines[j]
		t := next.Text
		if lab, ok := readLabel(t); ok {
			return lab.kind == "format" || lab.kind == "time" && r.g.Time != ""
		}
		if bareFormat(t) {
			return true
		}
		if _, ok := bareTime(t); ok && r.g.Time != "" {
			return true
		}
		if next.Kind != Para {
			return false
		}
	}
	return false
}

func (r *guideReader) startExercise(title string, src int) {
	r.closeSection()
	r.ex = &Block{Kind: "exercise", Title: title}
	r.g.Body = append(r.g.Body, r.ex)
	r.header, r.lead = true, true
}

// sentences counts the sentences of a paragraph, roughly.
func sentences(text string) int {
	n := 0
	fields := strings.Fields(text)
	for i, w := range fields {
		if strings.HasSuffix(w, ".") || strings.HasSuffix(w, "?") || strings.HasSuffix(w, "!") || i == len(fields)-1 {
			n++
		}
	}
	return n
}

// label starts the part a label names.
func (r *guideReader) label(lab label, l Line) {
	r.closeSection()
	if lab.kind == "exercise" {
		title := cleanTitle(lab.value)
		if title == "" {
			// "Exercise" then the title on the next line, or the label's
			// own number ("Exercise 2").
			if t := r.titleBelow(); t != "" {
				title = t
			}
		}
		r.startExercise(title, l.Src)
		return
	}
	r.header = false
	r.lead = false
	r.sec = &openSection{lab: lab, src: l.Src, into: r.target(), ex: r.ex}
	if lab.value != "" {
		r.sec.lines = append(r.sec.lines, Line{Kind: Para, Text: lab.value, Src: l.Src})
	}
	// A session-level label after an exercise's parts ends the exercise.
	if r.ex != nil && sessionLevel(lab.kind) {
		r.ex = nil
		r.sec.into, r.sec.ex = &r.g.Body, nil
	}
}

// sessionLevel says the session's own fields: after an exercise, their
// label ends it.
func sessionLevel(kind string) bool {
	return kind == "activities" || kind == "objectives"
}

// target is where blocks go: the current exercise, or the session's body.
func (r *guideReader) target() *[]*Block {
	if r.ex != nil {
		return &r.ex.Children
	}
	return &r.g.Body
}

// closeSection places the lines of the open label.
func (r *guideReader) closeSection() {
	sec := r.sec
	if sec == nil {
		return
	}
	r.sec = nil
	g := r.g
	values := func() []string {
		var out []string
		for _, l := range sec.lines {
			if t := strings.TrimSpace(lineText(l)); t != "" {
				out = append(out, t)
			}
		}
		return out
	}
	name := sentenceLabel(labelKey(sec.lab.name))
	switch k := sec.lab.kind; k {
	case "?":
		words := sec.lab.name + ":"
		if len(sec.lines) > 0 {
			words = lineText(sec.lines[0])
		}
		r.unplaced(sec.into, sec.src, words, fmt.Sprintf("unknown label “%s:”", sec.lab.name), r.withLabel(sec))
	case "time":
		v := strings.Join(values(), " ")
		if v == "" {
			return
		}
		tr, err := content.ParseTimeRange(stripEmphasis(v))
		if err != nil {
			r.unplaced(sec.into, sec.src, v, fmt.Sprintf("%s: cannot read %q as a time", name, v), r.withLabel(sec))
			return
		}
		switch {
		case sec.ex != nil && sec.ex.Time == "":
			sec.ex.Time = tr.String()
		case sec.ex == nil && g.Time == "":
			g.Time = tr.String()
		default:
			r.unplaced(sec.into, sec.src, v, "a second time", r.withLabel(sec))
		}
	case "activities":
		items := itemsOf(sec.lines)
		if len(items) == 1 && !hasItems(sec.lines) {
			items = splitMaterials(items[0]) // "Small group work, plenary discussion"
		}
		for _, it := range items {
			g.Activities = append(g.Activities, capFirst(SentenceCase(plainText(it))))
		}
	case "objectives":
		for _, it := range itemsOf(sec.lines) {
			g.Objectives = append(g.Objectives, plainText(it))
		}
	case "format":
		v := strings.Join(values(), " ")
		if sec.ex == nil {
			if v != "" && len(g.Activities) == 0 {
				g.Activities = []string{capFirst(SentenceCase(v))}
				return
			}
			r.unplaced(sec.into, sec.src, v, name+" outside an exercise", r.withLabel(sec))
			return
		}
		sec.ex.Format = capFirst(SentenceCase(plainText(v)))
	case "materials":
		var items []string
		if hasItems(sec.lines) {
			items = itemsOf(sec.lines)
		} else {
			items = splitMaterials(strings.Join(values(), " "))
		}
		for i, it := range items {
			items[i] = plainText(it)
		}
		if sec.ex != nil && len(items) > 0 {
			sec.ex.Materials = capFirst(SentenceCase(strings.Join(items, ", ")))
		}
		for _, it := range items {
			g.Materials = mergeMaterials(g.Materials, capFirst(SentenceCase(it)))
		}
	default: // a container
		lines := markdownLines(sec.lines)
		if len(lines) == 0 {
			return // "Summary:" with nothing under it
		}
		title := sec.lab.title
		if title == "" {
			title = name
			if kd, ok := markup.Kinds[k]; ok && strings.EqualFold(title, kd.Label) {
				title = ""
			}
		}
		if k == "summary" && sec.ex == nil && g.Summary == "" && len(sec.lines) == 1 && sec.lines[0].Kind == Para {
			g.Summary = plainText(lines[0])
			return
		}
		*sec.into = append(*sec.into, &Block{Kind: k, Title: title, Lines: lines})
	}
}

// withLabel is an open section as Markdown, its label included.
func (r *guideReader) withLabel(sec *openSection) []string {
	head := sec.lab.name + ":"
	rest := sec.lines
	if len(rest) > 0 && rest[0].Src == sec.src && sec.lab.value != "" {
		head += " " + rest[0].Text
		rest = rest[1:]
	}
	return append([]string{head}, markdownLines(rest)...)
}

// closeGuide ends the session being read.
func (r *guideReader) closeGuide() {
	if r.g == nil {
		return
	}
	r.mod.Guides = append(r.mod.Guides, r.g)
	r.g, r.ex, r.header, r.lead = nil, nil, false, false
}

// flushBefore places the text before a module's first session: under a
// module heading it is the module's introduction; before any heading it
// is kept for trainers in the first session.
func (r *guideReader) flushBefore() {
	if len(r.before) == 0 {
		return
	}
	lines := r.before
	r.before = nil
	if r.mod.Title != "" && len(r.mod.Guides) == 0 {
		r.mod.Intro = append(r.mod.Intro, markdownLines(lines)...)
		return
	}
	r.pending = append(r.pending, lines...)
}

// unplaced keeps text the reader could not place for trainers only, and
// lists it in the manual's report.
func (r *guideReader) unplaced(to *[]*Block, src int, text, why string, lines []string) {
	if len(lines) == 0 {
		return
	}
	// Text under no label right after the last unplaced text joins it.
	if n := len(*to); n > 0 && (*to)[n-1].unplaced && (*to)[n-1].why == why {
		(*to)[n-1].Lines = append((*to)[n-1].Lines, lines...)
		return
	}
	*to = append(*to, &Block{Kind: "note", Title: "Imported text", Trainers: true, Lines: lines, unplaced: true, why: why})
	r.m.Unplaced = append(r.m.Unplaced, Unplaced{Src: src, Words: firstWords(text, 8), Why: why})
}

// unplacedLine keeps a line under no label for trainers only: the lines
// that follow one another make one note, written whole so that its lists
// nest as in the source.
func (r *guideReader) unplacedLine(l Line, text string) {
	const why = "text under no label"
	to := r.target()
	if n := len(*to); n > 0 && (*to)[n-1].unplaced && (*to)[n-1].why == why && (*to)[n-1].raw != nil {
		b := (*to)[n-1]
		b.raw = append(b.raw, l)
		b.Lines = markdownLines(b.raw)
		return
	}
	r.unplaced(to, l.Src, text, why, markdownLines([]Line{l}))
	(*to)[len(*to)-1].raw = []Line{l}
}

var (
	mdLink  = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	mdAuto  = regexp.MustCompile(`<((?:https?://|mailto:)[^>]+)>`)
	mdCode  = regexp.MustCompile("`+([^`]*)`+")
	mdEmph  = regexp.MustCompile(`(\*\*|__)(.+?)(\*\*|__)|\*([^*\s][^*]*)\*`)
	mdEscap = regexp.MustCompile(`\\([\\` + "`" + `*_\[\]{}()#+\-.!|<>~:])`)
)

// plainText turns inline Markdown into the plain text a front matter field
// holds: "Review what was **learned**" is "Review what was learned", a
// link its text.
func plainText(md string) string {
	s := mdLink.ReplaceAllString(md, "$1")
	s = mdAuto.ReplaceAllString(s, "$1")
	s = mdCode.ReplaceAllString(s, "$1")
	s = mdEmph.ReplaceAllString(s, "$2$4")
	s = mdEscap.ReplaceAllString(s, "$1")
	return strings.Join(strings.Fields(s), " ")
}

// firstWords returns the first n words of text.
func firstWords(text string, n int) string {
	f := strings.Fields(stripEmphasis(text))
	if len(f) > n {
		return strings.Join(f[:n], " ") + " …"
	}
	return strings.Join(f, " ")
}

// sentenceLabel writes a label key in sentence case: "Session objectives".
func sentenceLabel(key string) string {
	return capFirst(strings.ToLower(key))
}

// nothingFound is the error of a document without a session.
func (r *guideReader) nothingFound() *diag.Diagnostic {
	if len(r.doc.Lines) == 0 {
		return diag.Errorf(r.doc.File, 0, 0, "no text was found to import").
			WithHint("check that the file holds the session's text (a scanned PDF has none)")
	}
	return diag.Errorf(r.doc.File, r.doc.Lines[0].Src, 0, "no session was found: flipchart import looks for a title line “Session N: Title”, then labels such as %s", labelList()).
		WithHint("add a first line such as: Session 11: Next steps")
}

// labelList names the labels import knows, for the error above.
func labelList() string {
	var out []string
	for _, k := range []string{"TIME", "ACTIVITIES", "SESSION OBJECTIVES", "ADAPTATION NOTES", "EXERCISE", "FORMAT", "REQUIRED MATERIALS",
		"SUMMARY", "KEY EXPLANATION POINTS", "FACILITATION NOTES", "PREPARATION", "ALTERNATIVE OPTION(S)", "EXAMPLE STRUCTURE", "WORKSHOP EXAMPLE"} {
		out = append(out, "“"+sentenceLabel(k)+"”")
	}
	return strings.Join(out, ", ")
}

// hasItems reports whether any line is a list item.
func hasItems(lines []Line) bool {
	return slices.ContainsFunc(lines, func(l Line) bool { return l.Kind == Item })
}

// itemsOf reads a list: each item, and each line that is not one, an entry;
// nested items stay with their parent.
func itemsOf(lines []Line) []string {
	var out []string
	for _, l := range lines {
		t := strings.TrimSpace(lineText(l))
		if t == "" {
			continue
		}
		if l.Kind == Item && l.Level > 0 && len(out) > 0 {
			sep := "; "
			if strings.HasSuffix(out[len(out)-1], ":") {
				sep = " "
			}
			out[len(out)-1] += sep + t
			continue
		}
		out = append(out, t)
	}
	return out
}

// markdownLines writes lines as Markdown: paragraphs apart, list items
// together and nested under their parent's marker, table rows as a table.
func markdownLines(lines []Line) []string {
	var out []string
	prev := LineKind(-1)
	var widths []int // the marker widths of the open list levels
	for _, l := range lines {
		switch l.Kind {
		case Break:
			continue
		case Item:
			if prev != Item {
				widths = widths[:0]
				if len(out) > 0 {
					out = append(out, "")
				}
			}
			level := min(l.Level, len(widths))
			widths = widths[:level]
			indent := 0
			for _, w := range widths {
				indent += w
			}
			marker := "- "
			if l.Ordered {
				marker = "1. "
			}
			widths = append(widths, len(marker))
			out = append(out, strings.Repeat(" ", indent)+marker+l.Text)
		case Row:
			if prev != Row && len(out) > 0 {
				out = append(out, "")
			}
			out = append(out, "| "+strings.Join(escapeCells(l.Cells), " | ")+" |")
			if prev != Row {
				out = append(out, "|"+strings.Repeat(" --- |", len(l.Cells)))
			}
		case Heading:
			if len(out) > 0 {
				out = append(out, "")
			}
			out = append(out, "**"+stripEmphasis(l.Text)+"**")
		default:
			if len(out) > 0 {
				out = append(out, "")
			}
			out = append(out, l.Text)
		}
		prev = l.Kind
	}
	return out
}

// escapeCells keeps a cell's pipes from splitting it.
func escapeCells(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = strings.ReplaceAll(c, "|", `\|`)
	}
	return out
}

// Report adds to diags a warning for each text kept for trainers only
// (an error when strict).
func (m *Manual) Report(diags *diag.List, strict bool) {
	sev := diag.Warnf
	if strict {
		sev = diag.Errorf
	}
	for _, u := range m.Unplaced {
		diags.Add("import", sev(m.File, u.Src, 0, "%s: “%s” is kept for trainers only, in a “::: note Imported text” container", u.Why, u.Words).
			WithHint("move the text where it belongs in the Markdown, then remove the container"))
	}
}

// readError is the diagnostic of a reader's error.
func readError(file string, err error) *diag.Diagnostic {
	var le *lineError
	if errors.As(err, &le) {
		return diag.Errorf(file, le.line, 0, "%v", le.err).WithHint("%s", le.hint)
	}
	d := diag.Errorf(file, 0, 0, "%v", err)
	var h interface{ Hint() string }
	if errors.As(err, &h) && h.Hint() != "" {
		d = d.WithHint("%s", h.Hint())
	}
	return d
}
