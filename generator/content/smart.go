package content

import (
	"strings"
	"unicode"
)

// Smart sets the typographer's punctuation in a line of plain text written
// in front matter or config, as Markdown text gets it: quotes and
// apostrophes curled ("Trainers' Manual" reads "Trainers’ Manual"), "--"
// and "---" as dashes, "..." as an ellipsis.
func Smart(s string) string {
	if !strings.ContainsAny(s, `'"-.`) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		prev, next := ' ', ' '
		if i > 0 {
			prev = rs[i-1]
		}
		if i+1 < len(rs) {
			next = rs[i+1]
		}
		opens := unicode.IsSpace(prev) || strings.ContainsRune("([{“‘—–-/", prev)
		switch {
		case r == '\'' && unicode.IsLetter(prev) || r == '\'' && unicode.IsDigit(prev) && !opens:
			b.WriteRune('’')
		case r == '\'' && opens && !unicode.IsSpace(next):
			b.WriteRune('‘')
		case r == '\'':
			b.WriteRune('’')
		case r == '"' && opens && !unicode.IsSpace(next):
			b.WriteRune('“')
		case r == '"':
			b.WriteRune('”')
		case r == '-' && next == '-':
			if i+2 < len(rs) && rs[i+2] == '-' {
				b.WriteRune('—')
				i += 2
			} else {
				b.WriteRune('–')
				i++
			}
		case r == '.' && next == '.' && i+2 < len(rs) && rs[i+2] == '.':
			b.WriteRune('…')
			i += 2
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Plain undoes Smart's quotes, for comparing what an author typed with a
// title as shown.
func Plain(s string) string {
	return strings.NewReplacer("’", "'", "‘", "'", "“", `"`, "”", `"`).Replace(s)
}
