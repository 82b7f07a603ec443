package author

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"flipchart/generator/content"
	"flipchart/generator/diag"
	"flipchart/generator/markup"
)

// A plain-text session guide looks like this (the layout of the security
// trainers' manual flipchart was made for):
//
//	Session 11: *Next Steps*
//
//	TIME: 15–30 MINUTES
//
//	ACTIVITIES:
//
//	Brainstorm exercise
//
//	SESSION OBJECTIVES:
//
//	- to discuss specific ‘next steps’ ...
//
//	ADAPTATION NOTES:
//
//	For some groups, ...
//
//	EXERCISE:
//
//	Next Steps
//
//	FORMAT:
//
//	BRAINSTORM
//	EXERCISE
//
//	TIME: 15–30 MIN
//
//	REQUIRED MATERIALS: FLIPCHART PAPER, MARKERS
//
//	SUMMARY:
//
//	KEY EXPLANATION POINTS:
//
//	- Facilitators ask participants ...
//
//	FACILITATION NOTES:
//
//	This is an important process ...
//
// A heading is a line of capitals ending in a colon, with its value on the
// same line or on the lines after it, up to the next heading. Headings after
// an EXERCISE belong to that exercise, until the next EXERCISE.

// Guide is a plain-text session guide, read.
type Guide struct {
	File       string // the text file, for messages
	Session    int
	Title      string
	Time       string // as flipchart writes it: "15–30 min"; "" when unknown
	Activities []string
	Objectives []string
	Materials  []string // of the session and all its exercises, merged
	Summary    string   // the first summary's first paragraph, on one line
	Body       []*Block
}

// Block is one part of the session's body: a container, an exercise holding
// containers, or (Kind "") plain Markdown.
type Block struct {
	Kind  string // a container kind: "adaptation", "exercise", "note", ...
	Title string
	Lines []string // Markdown, for every kind but exercise
	// An exercise's attributes and the containers inside it.
	Format, Time, Materials string
	Children                []*Block
}

// headings maps a guide's headings (capitals, spaces collapsed, a trailing
// number dropped) to what they hold. Container kinds hold Markdown; the
// others are fields.
var headings = map[string]string{
	"TIME":                   "time",
	"DURATION":               "time",
	"ACTIVITIES":             "activities",
	"ACTIVITY":               "activities",
	"SESSION OBJECTIVES":     "objectives",
	"OBJECTIVES":             "objectives",
	"LEARNING OBJECTIVES":    "objectives",
	"EXERCISE":               "exercise",
	"FORMAT":                 "format",
	"REQUIRED MATERIALS":     "materials",
	"MATERIALS REQUIRED":     "materials",
	"MATERIALS":              "materials",
	"ADAPTATION NOTES":       "adaptation",
	"ADAPTATION":             "adaptation",
	"SUMMARY":                "summary",
	"KEY EXPLANATION POINTS": "keypoints",
	"KEY POINTS":             "keypoints",
	"FACILITATION NOTES":     "facilitation",
	"FACILITATOR NOTES":      "facilitation",
	"FACILITATOR'S NOTES":    "facilitation",
	"NOTES FOR FACILITATORS": "facilitation",
	"PREPARATION":            "preparation",
	"TRAINER PREPARATION":    "preparation",
	"PREPARATION NOTES":      "preparation",
	"SOLUTION":               "solution",
	"DISCUSSION":             "discussion",
	"HANDOUT":                "handout",
	"WORKSHEET":              "worksheet",
	"NOTE":                   "note",
	"TIP":                    "tip",
	"WARNING":                "warning",
}

// srcLine is a line of the text file with its number.
type srcLine struct {
	n int
	s string
}

// splitLines normalises the text: CRLF and CR line ends, non-breaking and
// other odd spaces turned into plain spaces, zero-width characters removed,
// trailing blanks trimmed (so a line of spaces is blank).
func splitLines(data []byte) []srcLine {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	text = spaces.Replace(text)
	raw := strings.Split(text, "\n")
	out := make([]srcLine, len(raw))
	for i, l := range raw {
		out[i] = srcLine{n: i + 1, s: strings.TrimRightFunc(l, unicode.IsSpace)}
	}
	return out
}

var spaces = strings.NewReplacer(
	"\u00a0", " ", "\u202f", " ", "\u2007", " ", "\u2009", " ", "\u2002", " ", "\u2003", " ",
	"\u200b", "", "\u200c", "", "\u200d", "", "\u2060", "", "\ufeff", "",
)

var titleRe = regexp.MustCompile(`(?i)^\s*session\s+(\d+)\s*[:.–—-]\s*(.+)$`)

// titleLine reads "Session 11: *Next Steps*".
func titleLine(s string) (int, string, bool) {
	m := titleRe.FindStringSubmatch(s)
	if m == nil {
		return 0, "", false
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || n <= 0 {
		return 0, "", false
	}
	t := cleanTitle(m[2])
	return n, t, t != ""
}

// cleanTitle drops the emphasis around a title ("*Next Steps*") and puts a
// title in capitals in title case.
func cleanTitle(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	for _, m := range []string{"**", "__", "*", "_"} {
		if len(s) > 2*len(m) && strings.HasPrefix(s, m) && strings.HasSuffix(s, m) {
			s = strings.TrimSpace(s[len(m) : len(s)-len(m)])
		}
	}
	return TitleCase(s)
}

// splitHeading reads a heading line, "REQUIRED MATERIALS: FLIPCHART PAPER":
// a name in capitals (at least two letters; spaces, digits, &, /, -, ',
// parentheses allowed) and a colon, then the value, which may be empty.
func splitHeading(s string) (name, value string, ok bool) {
	i := strings.IndexByte(s, ':')
	if i <= 0 {
		return "", "", false
	}
	name = strings.TrimSpace(s[:i])
	letters := 0
	for j, r := range name {
		switch {
		case unicode.IsLetter(r):
			if !unicode.IsUpper(r) {
				return "", "", false
			}
			letters++
		case j == 0:
			return "", "", false // a heading starts with a letter, a bullet does not
		case unicode.IsDigit(r), strings.ContainsRune(" &/-'’()", r):
		default:
			return "", "", false
		}
	}
	if letters < 2 {
		return "", "", false
	}
	return name, strings.TrimSpace(s[i+1:]), true
}

// headingKey normalises a heading's name for the headings table:
// "EXERCISE 2" is "EXERCISE", "FACILITATOR’S  NOTES" is "FACILITATOR'S NOTES".
func headingKey(name string) string {
	k := strings.Join(strings.Fields(strings.ReplaceAll(name, "’", "'")), " ")
	k = strings.TrimRightFunc(k, func(r rune) bool { return unicode.IsDigit(r) || r == ' ' })
	return k
}

// cutBullet reads a list item: "- text", "* text", "• text" and the like.
func cutBullet(s string) (string, bool) {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	r, size := utf8.DecodeRuneInString(s)
	if !strings.ContainsRune("-*•◦▪▫●○·–‣⁃", r) || len(s) <= size {
		return "", false
	}
	rest := s[size:]
	if rest[0] != ' ' && rest[0] != '\t' {
		return "", false
	}
	return strings.TrimSpace(rest), true
}

// firstPara splits lines into the first paragraph (the first run of
// non-blank lines) and what follows it.
func firstPara(lines []srcLine) (para, rest []srcLine) {
	i := 0
	for i < len(lines) && lines[i].s == "" {
		i++
	}
	j := i
	for j < len(lines) && lines[j].s != "" {
		j++
	}
	return lines[i:j], lines[j:]
}

// joinLines joins lines with single spaces.
func joinLines(lines []srcLine) string {
	parts := make([]string, 0, len(lines))
	for _, l := range lines {
		if s := strings.TrimSpace(l.s); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

// firstText returns the first non-blank line, or nil.
func firstText(lines []srcLine) *srcLine {
	for i := range lines {
		if lines[i].s != "" {
			return &lines[i]
		}
	}
	return nil
}

// listItems reads a list: each bulleted line starts an item and the lines
// right below it continue it; a line without a bullet is an item of its own.
func listItems(lines []srcLine) []string {
	var items []string
	bulleted, blank := false, true
	for _, l := range lines {
		s := strings.TrimSpace(l.s)
		switch b, ok := cutBullet(s); {
		case s == "":
			blank = true
			continue
		case ok:
			items = append(items, b)
			bulleted = true
		case bulleted && !blank:
			items[len(items)-1] += " " + s
		default:
			items = append(items, s)
			bulleted = false
		}
		blank = false
	}
	return items
}

// splitMaterials splits "FLIPCHART PAPER, MARKERS; TAPE" at the commas and
// semicolons outside parentheses.
func splitMaterials(s string) []string {
	var out []string
	depth, start := 0, 0
	flush := func(end int) {
		if it := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s[start:end]), ".")); it != "" {
			out = append(out, it)
		}
	}
	for i, r := range s {
		switch r {
		case '(', '[':
			depth++
		case ')', ']':
			depth = max(depth-1, 0)
		case ',', ';':
			if depth == 0 {
				flush(i)
				start = i + 1
			}
		}
	}
	flush(len(s))
	return out
}

// prose turns lines into Markdown, keeping the words as they are: blank lines
// at the ends dropped and runs of them made one, bullets ("•", "*", "–")
// written "- ", indentation dropped (it would make a code block) except one
// level for nested items, and a line that would open or close a container
// escaped.
func prose(lines []srcLine) []string {
	var out []string
	for _, l := range lines {
		s := l.s
		if strings.TrimSpace(s) == "" {
			if len(out) > 0 && out[len(out)-1] != "" {
				out = append(out, "")
			}
			continue
		}
		indent := len(s) - len(strings.TrimLeft(s, " \t"))
		s = strings.TrimSpace(s)
		if b, ok := cutBullet(s); ok {
			s = "- " + b
			if indent >= 2 {
				s = "  " + s
			}
		}
		if strings.HasPrefix(s, ":::") || strings.HasPrefix(s, "+++") {
			s = `\` + s
		}
		out = append(out, s)
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

// section is a heading and the lines up to the next one.
type section struct {
	line  int    // the heading's line
	raw   string // the heading line as written
	name  string // "REQUIRED MATERIALS"
	lines []srcLine
}

// guideParser holds the state of one file's reading.
type guideParser struct {
	g     *Guide
	ex    *Block // the exercise being read, nil before the first
	diags *diag.List
}

// ParseGuide reads a plain-text session guide. What it cannot place (text
// before the first heading, an unknown heading, text after a value) is kept
// in a `::: note Imported text` container and reported as a warning in
// diags. A file with no "Session N: Title" line before its first heading
// cannot be named and is an error.
func ParseGuide(file string, data []byte, diags *diag.List) (*Guide, *diag.Diagnostic) {
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return nil, diag.Errorf(file, bytes.Count(data[:i], []byte("\n"))+1, 0, "this is a binary file, not a text session guide").
			WithHint("save the guide as plain text (UTF-8) first")
	}
	if !utf8.Valid(data) {
		line := 1
		for i := 0; i < len(data); {
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			if r == '\n' {
				line++
			}
			i += size
		}
		return nil, diag.Errorf(file, line, 0, "not valid UTF-8 text").
			WithHint("save the guide as UTF-8 text in your editor (it may be in Latin-1 or Windows-1252)")
	}
	lines := splitLines(data)
	p := &guideParser{g: &Guide{File: file}, diags: diags}
	g := p.g
	i := 0
	var before []srcLine
	for ; i < len(lines); i++ {
		l := lines[i]
		if g.Session == 0 {
			if n, t, ok := titleLine(l.s); ok {
				g.Session, g.Title = n, t
				continue
			}
		}
		if _, _, ok := splitHeading(l.s); ok {
			break
		}
		before = append(before, l)
	}
	if g.Session == 0 {
		return nil, diag.Errorf(file, 1, 0, "no “Session N: Title” line before the first heading").
			WithHint("add a first line such as: Session 11: Next Steps")
	}
	if first := firstText(before); first != nil {
		p.unplaced(&g.Body, first.n, "text before the first heading", prose(before))
	}
	for i < len(lines) {
		name, value, _ := splitHeading(lines[i].s)
		sec := section{line: lines[i].n, raw: lines[i].s, name: name}
		if value != "" {
			sec.lines = append(sec.lines, srcLine{n: lines[i].n, s: value})
		}
		for i++; i < len(lines); i++ {
			if _, _, ok := splitHeading(lines[i].s); ok {
				break
			}
			sec.lines = append(sec.lines, lines[i])
		}
		p.section(sec)
	}
	return g, nil
}

// target is where blocks go: the current exercise, or the session's body.
func (p *guideParser) target() *[]*Block {
	if p.ex != nil {
		return &p.ex.Children
	}
	return &p.g.Body
}

// unplaced keeps lines the parser could not place in a note, and warns.
func (p *guideParser) unplaced(to *[]*Block, line int, what string, lines []string) {
	*to = append(*to, &Block{Kind: "note", Title: "Imported text", Lines: lines})
	p.diags.Add("import", diag.Warnf(p.g.File, line, 0, "%s: kept in a “::: note Imported text” container", what).
		WithHint("move the text where it belongs in the Markdown, then remove the container"))
}

// rest keeps what follows a one-paragraph value.
func (p *guideParser) rest(sec section, lines []srcLine) {
	if first := firstText(lines); first != nil {
		p.unplaced(p.target(), first.n, fmt.Sprintf("more text under %s: than its value", sec.name), prose(lines))
	}
}

// whole is a section as Markdown, its heading line included.
func (p *guideParser) whole(sec section) []string {
	rest := sec.lines
	if len(rest) > 0 && rest[0].n == sec.line {
		rest = rest[1:] // the value on the heading's line
	}
	return prose(append([]srcLine{{n: sec.line, s: sec.raw}}, rest...))
}

func (p *guideParser) section(sec section) {
	g := p.g
	kind, known := headings[headingKey(sec.name)]
	switch {
	case !known:
		p.unplaced(p.target(), sec.line, fmt.Sprintf("unknown heading “%s:”", sec.name), p.whole(sec))

	case kind == "time":
		para, rest := firstPara(sec.lines)
		v := joinLines(para)
		t := ""
		if v != "" {
			r, err := content.ParseTimeRange(v)
			if err != nil {
				p.unplaced(p.target(), para[0].n, fmt.Sprintf("%s: cannot read %q as a time", sec.name, v), p.whole(sec))
				return
			}
			t = r.String()
		}
		switch {
		case p.ex != nil && p.ex.Time == "":
			p.ex.Time = t
		case p.ex == nil && g.Time == "":
			g.Time = t
		default:
			p.unplaced(p.target(), sec.line, "a second TIME:", p.whole(sec))
			return
		}
		p.rest(sec, rest)

	case kind == "activities":
		for _, it := range listItems(sec.lines) {
			g.Activities = append(g.Activities, capFirst(SentenceCase(it)))
		}

	case kind == "objectives":
		g.Objectives = append(g.Objectives, listItems(sec.lines)...)

	case kind == "exercise":
		para, rest := firstPara(sec.lines)
		p.ex = &Block{Kind: "exercise", Title: cleanTitle(joinLines(para))}
		g.Body = append(g.Body, p.ex)
		p.rest(sec, rest)

	case kind == "format":
		para, rest := firstPara(sec.lines)
		if p.ex == nil {
			p.unplaced(p.target(), sec.line, "FORMAT: before any EXERCISE:", p.whole(sec))
			return
		}
		p.ex.Format = capFirst(SentenceCase(joinLines(para)))
		p.rest(sec, rest)

	case kind == "materials":
		var items []string
		lines, rest := sec.lines, []srcLine(nil)
		bulleted := false
		for _, l := range lines {
			if _, ok := cutBullet(l.s); ok {
				bulleted = true
			}
		}
		if bulleted {
			items = listItems(lines)
		} else {
			para, r := firstPara(lines)
			items, rest = splitMaterials(joinLines(para)), r
		}
		all := strings.Join(items, ", ")
		if p.ex != nil {
			p.ex.Materials = capFirst(SentenceCase(all))
		}
		for _, it := range items {
			it = capFirst(SentenceCase(it))
			g.Materials = mergeMaterials(g.Materials, it)
		}
		p.rest(sec, rest)

	default: // a container kind
		lines := prose(sec.lines)
		if len(lines) == 0 {
			return // SUMMARY: with nothing under it
		}
		title := SentenceCase(strings.Join(strings.Fields(sec.name), " "))
		if k, ok := markup.Kinds[kind]; ok && strings.EqualFold(title, k.Label) {
			title = ""
		}
		*p.target() = append(*p.target(), &Block{Kind: kind, Title: title, Lines: lines})
		if kind == "summary" && g.Summary == "" {
			para, _ := firstPara(sec.lines)
			if s := joinLines(para); s != "" {
				if _, bullet := cutBullet(para[0].s); !bullet {
					g.Summary = s
				}
			}
		}
	}
}

// mergeMaterials appends m to list unless list holds it already, compared
// without case, as the render stage merges them.
func mergeMaterials(list []string, m string) []string {
	for _, have := range list {
		if strings.EqualFold(have, m) {
			return list
		}
	}
	return append(list, m)
}
