package author

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Slug turns a title into the part of a file name after the session number:
// lower-case ASCII letters and digits joined by dashes. Accented Latin and
// Cyrillic letters are transliterated ("Café" → "cafe", "Безопасность" →
// "bezopasnost"), apostrophes vanish ("Participants’ Needs" →
// "participants-needs"), "&" reads "and", and letters flipchart cannot
// transliterate are dropped. The result is at most 60 characters long, cut
// at a dash, and may be empty.
func Slug(title string) string {
	var b strings.Builder
	dash := false // a separator is pending
	put := func(s string) {
		if dash && b.Len() > 0 {
			b.WriteByte('-')
		}
		dash = false
		b.WriteString(s)
	}
	for _, r := range strings.ToLower(title) {
		switch {
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9'):
			put(string(r))
		case r == '\'' || r == '’' || r == '‘' || r == 'ʼ' || unicode.Is(unicode.Mn, r):
			// "don't" is "dont"; combining accents belong to their letter.
		case r == '&':
			dash = true
			put("and")
			dash = true
		case translit[r] != "":
			put(translit[r])
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			// A letter with no ASCII spelling here is dropped.
		default:
			dash = true
		}
	}
	s := b.String()
	const maxLen = 60
	if len(s) > maxLen {
		s = s[:maxLen]
		if i := strings.LastIndexByte(s, '-'); i > 0 {
			s = s[:i]
		}
		s = strings.TrimRight(s, "-")
	}
	return s
}

// translit spells lower-case accented Latin and Cyrillic letters in ASCII.
var translit = map[rune]string{}

func init() {
	groups := map[string]string{
		"a": "àáâãäåāăą", "ae": "æ", "c": "çćĉċč", "d": "ďđð", "e": "èéêëēĕėęě",
		"g": "ĝğġģ", "h": "ĥħ", "i": "ìíîïĩīĭįı", "ij": "ĳ", "j": "ĵ", "k": "ķ",
		"l": "ĺļľŀł", "n": "ñńņň", "o": "òóôõöøōŏő", "oe": "œ", "r": "ŕŗř",
		"s": "śŝşšș", "ss": "ß", "t": "ţťŧț", "th": "þ", "u": "ùúûüũūŭůűų",
		"w": "ŵ", "y": "ýÿŷ", "z": "źżž",
	}
	for ascii, letters := range groups {
		for _, r := range letters {
			translit[r] = ascii
		}
	}
	// Russian and Ukrainian, after the common passport spelling.
	cyr := []string{
		"а", "a", "б", "b", "в", "v", "г", "g", "д", "d", "е", "e", "ё", "e",
		"ж", "zh", "з", "z", "и", "i", "й", "y", "к", "k", "л", "l", "м", "m",
		"н", "n", "о", "o", "п", "p", "р", "r", "с", "s", "т", "t", "у", "u",
		"ф", "f", "х", "kh", "ц", "ts", "ч", "ch", "ш", "sh", "щ", "shch",
		"ы", "y", "э", "e", "ю", "yu", "я", "ya", "і", "i", "ї", "yi", "є", "ye",
		"ґ", "g",
	}
	for i := 0; i < len(cyr); i += 2 {
		r, _ := utf8.DecodeRuneInString(cyr[i])
		translit[r] = cyr[i+1]
	}
}

// acronyms keep their capitals when a shouted value is put in sentence case.
var acronyms = map[string]bool{
	"I": true, "A3": true, "A4": true, "CD": true, "DVD": true, "EU": true,
	"GPG": true, "HRD": true, "HRDS": true, "ID": true, "LGBT": true,
	"LGBTI": true, "LGBTQ": true, "LGBTQI": true, "NGO": true, "NGOS": true,
	"OK": true, "PC": true, "PDF": true, "PGP": true, "SIM": true, "SMS": true,
	"TV": true, "UN": true, "USB": true, "VPN": true, "WIFI": true,
}

// smallWords stay lower case inside a title.
var smallWords = map[string]bool{
	"a": true, "an": true, "and": true, "as": true, "at": true, "by": true,
	"for": true, "from": true, "in": true, "of": true, "on": true, "or": true,
	"the": true, "to": true, "with": true,
}

// Shouting reports whether s is written in capitals: it has at least two
// letters and none of them is lower case.
func Shouting(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsUpper(r) {
			letters++
		}
	}
	return letters >= 2
}

// SentenceCase turns a value written in capitals into a sentence:
// "BRAINSTORM EXERCISE" → "Brainstorm exercise", "FLIPCHART PAPER, MARKERS"
// → "Flipchart paper, markers". Known acronyms (USB, NGO, A4, ...) keep their
// capitals. A value that is not all capitals is returned as it is.
func SentenceCase(s string) string {
	if !Shouting(s) {
		return s
	}
	return recase(s, func(word string, first bool) string {
		if first {
			return capFirst(strings.ToLower(word))
		}
		return strings.ToLower(word)
	})
}

// TitleCase turns a title written in capitals into title case: "NEXT STEPS
// FOR THE GROUP" → "Next Steps for the Group". Other titles are returned as
// they are.
func TitleCase(s string) string {
	if !Shouting(s) {
		return s
	}
	return recase(s, func(word string, first bool) string {
		w := strings.ToLower(word)
		if !first && smallWords[w] {
			return w
		}
		return capFirst(w)
	})
}

// recase rewrites each word (a run of letters and digits) of s with fn,
// keeping acronyms. first is true for the first word of each sentence.
func recase(s string, fn func(word string, first bool) string) string {
	var b strings.Builder
	first := true
	for len(s) > 0 {
		i := strings.IndexFunc(s, isWordRune)
		if i < 0 {
			b.WriteString(s)
			break
		}
		gap := s[:i]
		b.WriteString(gap)
		if strings.ContainsAny(gap, ".!?") {
			first = true
		}
		s = s[i:]
		j := strings.IndexFunc(s, func(r rune) bool { return !isWordRune(r) })
		if j < 0 {
			j = len(s)
		}
		word := s[:j]
		if acronyms[strings.ToUpper(word)] {
			b.WriteString(strings.ToUpper(word))
		} else {
			b.WriteString(fn(word, first))
		}
		first = false
		s = s[j:]
	}
	return b.String()
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// capFirst upper-cases the first letter of s.
func capFirst(s string) string {
	for i, r := range s {
		if unicode.IsLetter(r) {
			return s[:i] + string(unicode.ToUpper(r)) + s[i+utf8.RuneLen(r):]
		}
		if unicode.IsDigit(r) {
			return s
		}
	}
	return s
}

// tomlString quotes s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\u00`)
			b.WriteByte("0123456789abcdef"[r>>4])
			b.WriteByte("0123456789abcdef"[r&0xf])
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// tomlList writes `key = [...]` on one line when it is short, else one item a
// line.
func tomlList(b *strings.Builder, key string, items []string) {
	quoted := make([]string, len(items))
	n := len(key) + 5
	for i, it := range items {
		quoted[i] = tomlString(it)
		n += utf8.RuneCountInString(quoted[i]) + 2
	}
	if n <= 80 {
		b.WriteString(key + " = [" + strings.Join(quoted, ", ") + "]\n")
		return
	}
	b.WriteString(key + " = [\n")
	for _, q := range quoted {
		b.WriteString("  " + q + ",\n")
	}
	b.WriteString("]\n")
}
