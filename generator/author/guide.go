package author

import (
	"strings"
	"unicode"
	"unicode/utf8"
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
// and in many other shapes (see ReadGuides): a label is a line of its own,
// in any case, with or without a colon, or a name and a colon before its
// value; its part runs to the next label. Labels after an exercise's
// belong to that exercise, until the next exercise or a session's own
// label.

// Guide is a plain-text session guide, read.
type Guide struct {
	File       string // the document, for messages
	Src        int    // the title's line in it
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
	// Trainers marks a container for trainers only (audience="trainers"),
	// as what import could not place is.
	Trainers bool
	unplaced bool   // text import could not place
	why      string // why, for the report
	raw      []Line // its lines as read, for text under no label
}

// splitLines normalises the text: CRLF and CR line ends, non-breaking and
// other odd spaces turned into plain spaces, zero-width characters removed,
// trailing blanks trimmed (so a line of spaces is blank).
func splitLines(text string) []srcLine {
	text = strings.TrimPrefix(text, "\uFEFF")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	text = strings.Map(func(r rune) rune {
		switch {
		case oddSpace(r):
			return ' '
		case invisible(r) && r != '\t':
			return -1
		}
		return r
	}, text)
	raw := strings.Split(text, "\n")
	out := make([]srcLine, len(raw))
	for i, l := range raw {
		out[i] = srcLine{n: i + 1, s: strings.TrimRightFunc(l, unicode.IsSpace)}
	}
	return out
}

// srcLine is a line of a text with its number.
type srcLine struct {
	n int
	s string
}

// cleanTitle drops the emphasis around a title ("*Next Steps*") and puts a
// title in capitals in title case.
func cleanTitle(s string) string {
	return capFirst(TitleCase(plainText(stripEmphasis(s))))
}

// cutBullet reads a bulleted line: "- text", "* text", "• text" and the
// like.
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

// splitMaterials splits "FLIPCHART PAPER, MARKERS; TAPE" where it is a
// list: at the commas and semicolons outside parentheses and quotes, and
// at "and" before the last item ("; and", ", and"). A comma between two
// quoted words ("‘capacity’, ‘risk’ and ‘threat’") is a list inside an
// item, and a sentence (one that ends in a full stop, with no comma or
// semicolon outside quotes) is one item.
func splitMaterials(s string) []string {
	s = strings.TrimSpace(s)
	var parts []string
	depth, quote, start := 0, 0, 0
	rs := []rune(s)
	flush := func(end int) {
		parts = append(parts, string(rs[start:end]))
	}
	for i, r := range rs {
		switch {
		case r == '(' || r == '[':
			depth++
		case r == ')' || r == ']':
			depth = max(depth-1, 0)
		case r == '‘' || r == '“':
			quote++
		case r == '’' || r == '”':
			// An apostrophe inside a word is not a closing quote.
			if !(r == '’' && i+1 < len(rs) && unicode.IsLetter(rs[i+1])) {
				quote = max(quote-1, 0)
			}
		case (r == ',' || r == ';') && depth == 0 && quote == 0:
			if r == ',' && quotedAround(rs, i) {
				continue
			}
			flush(i)
			start = i + 1
		}
	}
	flush(len(rs))
	var out []string
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if i > 0 {
			p = strings.TrimSpace(strings.TrimPrefix(p, "and "))
		}
		if i == len(parts)-1 && len(parts) > 1 {
			// "markers and tape" at the end of a list of several.
			if a, b, ok := strings.Cut(p, " and "); ok && !strings.ContainsAny(a+b, "‘“") && len(strings.Fields(a)) <= 3 && len(strings.Fields(b)) <= 3 {
				out = appendItem(out, a)
				p = b
			}
		}
		out = appendItem(out, p)
	}
	return out
}

// quotedAround reports whether the comma at i sits between two quoted
// words: ‘risk’, ‘threat’.
func quotedAround(rs []rune, i int) bool {
	j := i - 1
	for j >= 0 && rs[j] == ' ' {
		j--
	}
	k := i + 1
	for k < len(rs) && rs[k] == ' ' {
		k++
	}
	return j >= 0 && k < len(rs) && strings.ContainsRune("’”'\"", rs[j]) && strings.ContainsRune("‘“'\"", rs[k])
}

func appendItem(out []string, it string) []string {
	it = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(it), "."))
	if it == "" {
		return out
	}
	return append(out, it)
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
