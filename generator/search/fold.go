package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// folds maps a lowercase letter with a diacritic to its letter without,
// as a decomposition (NFD) followed by dropping the marks would, for the
// Latin-1 Supplement, Latin Extended-A and B, Vietnamese, Greek with tonos and
// dialytika, Cyrillic ё, and the Arabic alef with hamza or madda. The
// browser's half applies the same table, which the index carries (see
// foldSpec), so a query is folded as the text was.
var folds = map[rune]string{}

// strips are the ranges of runes dropped: combining diacritical marks
// (text already decomposed), the Arabic harakat (U+064B–U+0652), the
// tatweel (U+0640) and the superscript alef (U+0670).
var strips = [][2]rune{{0x0300, 0x036F}, {0x064B, 0x0652}, {0x0640, 0x0640}, {0x0670, 0x0670}}

func init() {
	for _, g := range []struct{ to, from string }{
		// Latin-1 Supplement.
		{"a", "àáâãäå"}, {"ae", "æ"}, {"c", "ç"}, {"e", "èéêë"}, {"i", "ìíîï"},
		{"d", "ð"}, {"n", "ñ"}, {"o", "òóôõöø"}, {"u", "ùúûü"}, {"y", "ýÿ"},
		{"th", "þ"}, {"ss", "ß"},
		// Latin Extended-A.
		{"a", "āăą"}, {"c", "ćĉċč"}, {"d", "ďđ"}, {"e", "ēĕėęě"}, {"g", "ĝğġģ"},
		{"h", "ĥħ"}, {"i", "ĩīĭįı"}, {"ij", "ĳ"}, {"j", "ĵ"}, {"k", "ķĸ"},
		{"l", "ĺļľŀł"}, {"n", "ńņňŉŋ"}, {"o", "ōŏő"}, {"oe", "œ"}, {"r", "ŕŗř"},
		{"s", "śŝşšſ"}, {"t", "ţťŧ"}, {"u", "ũūŭůűų"}, {"w", "ŵ"}, {"y", "ŷ"},
		{"z", "źżž"},
		// Latin Extended-B: the letters with diacritics.
		{"b", "ƀƃ"}, {"c", "ƈ"}, {"d", "ƌ"}, {"f", "ƒ"}, {"k", "ƙ"}, {"l", "ƚ"},
		{"o", "ơǒǫǭǿȍȏȫȭȯȱ"}, {"u", "ưǔǖǘǚǜȕȗ"}, {"a", "ǎǟǡǻȁȃȧ"}, {"i", "ǐȉȋ"},
		{"g", "ǥǧǵ"}, {"k", "ǩ"}, {"n", "ǹ"}, {"ae", "ǣǽ"}, {"e", "ȅȇȩ"},
		{"r", "ȑȓ"}, {"s", "ș"}, {"t", "țƫƭ"}, {"h", "ȟ"}, {"y", "ȳƴ"}, {"z", "ƶȥ"},
		{"dz", "ǆǅǳǲ"}, {"lj", "ǉǈ"}, {"nj", "ǌǋ"}, {"j", "ǰ"},
		// Latin Extended Additional: Vietnamese.
		{"a", "ạảấầẩẫậắằẳẵặ"}, {"e", "ẹẻẽếềểễệ"}, {"i", "ỉị"}, {"o", "ọỏốồổỗộớờởỡợ"},
		{"u", "ụủứừửữự"}, {"y", "ỳỵỷỹ"},
		// Greek with tonos or dialytika, and the final sigma.
		{"α", "ά"}, {"ε", "έ"}, {"η", "ή"}, {"ι", "ίϊΐ"}, {"ο", "ό"}, {"υ", "ύϋΰ"},
		{"ω", "ώ"}, {"σ", "ς"},
		// Cyrillic.
		{"е", "ё"},
		// Arabic alef with hamza above or below, with madda, wasla.
		{"ا", "أإآٱ"},
	} {
		for _, r := range g.from {
			folds[r] = g.to
		}
	}
}

// stripped reports whether fold drops r.
func stripped(r rune) bool {
	for _, s := range strips {
		if r >= s[0] && r <= s[1] {
			return true
		}
	}
	return false
}

// foldRune appends to b the folded form of one rune: lowercased
// (unicode.ToLower, one rune at a time, as the browser's half does with
// toLowerCase of one code point), then without its diacritics.
func foldRune(b []byte, r rune) []byte {
	l := unicode.ToLower(r)
	if r == 'İ' {
		l = 'i' // the browser lowercases it to i and a combining dot, dropped
	}
	if stripped(l) {
		return b
	}
	if f, ok := folds[l]; ok {
		return append(b, f...)
	}
	return utf8.AppendRune(b, l)
}

// Fold lowercases s and drops its diacritics: "Sesión" becomes "sesion",
// "Ёлка" "елка", and Arabic loses its short vowels and tatweel.
func Fold(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		b = foldRune(b, r)
	}
	return string(b)
}

// wordRune reports whether r is part of a word: a letter, a number or a
// mark, by Unicode's categories (L, N, M), as the browser's \p{L}\p{N}\p{M}.
func wordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)
}

// maxTerm is the longest term indexed, in bytes: longer runs of letters
// (a pasted key, a URL's path) are left out.
const maxTerm = 60

// Terms calls fn with each word of s, folded, in order: the words of
// Fold(s), split where a rune is not wordRune, made without folding s
// whole first. term is reused after fn returns.
func Terms(s string, fn func(term []byte)) {
	b := make([]byte, 0, 64)
	flush := func() {
		if len(b) > 0 && len(b) <= maxTerm {
			fn(b)
		}
		b = b[:0]
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
				b = append(b, c)
			case 'A' <= c && c <= 'Z':
				b = append(b, c+'a'-'A')
			default:
				flush()
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		l := unicode.ToLower(r)
		if r == 'İ' {
			l = 'i'
		}
		switch f, ok := folds[l]; {
		case stripped(l): // dropped: the word goes on
		case ok:
			b = append(b, f...) // letters only
		case wordRune(l):
			b = utf8.AppendRune(b, l)
		default:
			flush()
		}
	}
	flush()
}

// Tokens returns the folded words of s.
func Tokens(s string) []string {
	var out []string
	Terms(s, func(t []byte) { out = append(out, string(t)) })
	return out
}

// Prefix is the shard a term is in: its first two runes.
func Prefix(term string) string {
	n := 0
	for i := range term {
		if n == 2 {
			return term[:i]
		}
		n++
	}
	return term
}

// ShardFile is the file of the shard of prefix, under search/: its name is
// the prefix's UTF-8 bytes in hex, safe on every file system.
func ShardFile(prefix string) string {
	var b strings.Builder
	b.WriteString("idx-")
	for i := 0; i < len(prefix); i++ {
		const hex = "0123456789abcdef"
		b.WriteByte(hex[prefix[i]>>4])
		b.WriteByte(hex[prefix[i]&15])
	}
	b.WriteString(".js")
	return b.String()
}
