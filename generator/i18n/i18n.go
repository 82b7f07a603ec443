// Package i18n formats what pages show in the reader's language: UI
// strings with {placeholders}, plural forms, numbers in the language's
// digits, durations such as "15–30 min" and clock times. Its functions
// take the language's strings as a Lookup, so that whoever asks for a
// string (a page being rendered) can record which strings it used.
package i18n

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Lookup returns the UI string of a key in one language: the language's
// own, else the manual's language's, else the theme's English; the key
// itself when none has it.
type Lookup func(key string) string

// Fill replaces each {name} in s by the value after name in kv: Fill("{n}
// pages", "n", "3").
func Fill(s string, kv ...string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	for i := 0; i+1 < len(kv); i += 2 {
		s = strings.ReplaceAll(s, "{"+kv[i]+"}", kv[i+1])
	}
	return s
}

// Digits writes the ASCII digits of s in the language's digits (its
// "digits" string: ten characters), or leaves s as it is.
func Digits(t Lookup, s string) string {
	d := []rune(t("digits"))
	if len(d) != 10 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(d[r-'0'])
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Number is n in the language's digits.
func Number(t Lookup, n int) string { return Digits(t, strconv.Itoa(n)) }

// Duration shows a time range the one way flipchart writes times (see
// content.TimeRange.String) in the language: a fixed time as "45 min" or
// "1 h 30 min"; a range up to an hour and a half in minutes, "15–30 min";
// whole hours as "1–2 h"; others as "45 min – 2 h 30 min". min and max
// are minutes; "" when max is 0 (no time given).
func Duration(t Lookup, min, max int) string {
	switch {
	case max == 0:
		return ""
	case min == max:
		return minutes(t, max)
	case max <= 90:
		return Fill(t("duration_range_min"), "from", Number(t, min), "to", Number(t, max))
	case min%60 == 0 && max%60 == 0:
		return Fill(t("duration_range_h"), "from", Number(t, min/60), "to", Number(t, max/60))
	}
	return Fill(t("duration_range"), "from", minutes(t, min), "to", minutes(t, max))
}

func minutes(t Lookup, m int) string {
	switch {
	case m < 60:
		return count(t, "duration_min", m)
	case m%60 == 0:
		return count(t, "duration_h", m/60)
	}
	return Fill(t("duration_h_min"), "h", Number(t, m/60), "m", Number(t, m%60),
		"hours", count(t, "duration_h", m/60), "minutes", count(t, "duration_min", m%60))
}

// count is the string key for the number n: its plural form for n when
// the language gives it forms ("ساعتان"), else the string, {n} filled in.
func count(t Lookup, key string, n int) string {
	if lang := t(LangKey); lang != LangKey {
		return Plural(t, lang, key, n)
	}
	return Fill(t(key), "n", Number(t, n))
}

// LangKey is the key under which a language's strings hold its code, for
// its plural rules: no file writes it.
const LangKey = "_lang"

// Clock shows a time of day, minutes after midnight, as the language's
// "clock" layout says (Go's: "15:04", "3:04 PM"), in its digits.
func Clock(t Lookup, m int) string {
	layout := t("clock")
	if layout == "clock" || layout == "" {
		layout = "15:04"
	}
	at := time.Date(2000, 1, 1, (m/60)%24, m%60, 0, 0, time.UTC)
	return Digits(t, at.Format(layout))
}

// SessionLabel is how a session is named in lists and links: "Session 11:
// Next Steps", with no break between the word and its number.
func SessionLabel(t Lookup, n int, title string) string {
	num := Number(t, n)
	s := t("session_label")
	if s == "session_label" {
		return "Session\u00a0" + num + ": " + title
	}
	// The number stays with the word before it.
	if i := strings.Index(s, " {n}"); i >= 0 {
		s = s[:i] + "\u00a0{n}" + s[i+4:]
	}
	return Fill(s, "n", num, "title", title)
}

// Plural returns the form of the string key for the count n: the key's
// form for n's plural category in the language (key.one, key.few...), else
// its "other" form, else key itself as a plain string; {n} is filled in.
func Plural(t Lookup, lang string, key string, n int) string {
	s := t(key + "." + PluralCategory(lang, n))
	if s == key+"."+PluralCategory(lang, n) {
		s = t(key + ".other")
		if s == key+".other" {
			s = t(key)
		}
	}
	return Fill(s, "n", Number(t, n))
}

// PluralCategories are CLDR's plural categories, in its order.
var PluralCategories = []string{"zero", "one", "two", "few", "many", "other"}

// PluralCategory is CLDR's plural category of the whole number n in the
// language (its cardinal rules, for the languages manuals are most often
// written in; "other" or "one"/"other" for the rest).
func PluralCategory(lang string, n int) string {
	base, _, _ := strings.Cut(strings.ToLower(lang), "-")
	if n < 0 {
		n = -n
	}
	switch base {
	case "ar":
		switch m := n % 100; {
		case n == 0:
			return "zero"
		case n == 1:
			return "one"
		case n == 2:
			return "two"
		case m >= 3 && m <= 10:
			return "few"
		case m >= 11 && m <= 99:
			return "many"
		}
		return "other"
	case "ru", "uk", "be", "sr", "hr", "bs":
		m10, m100 := n%10, n%100
		switch {
		case m10 == 1 && m100 != 11:
			return "one"
		case m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14):
			return "few"
		}
		return "many"
	case "pl":
		m10, m100 := n%10, n%100
		switch {
		case n == 1:
			return "one"
		case m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14):
			return "few"
		}
		return "many"
	case "cs", "sk":
		switch {
		case n == 1:
			return "one"
		case n >= 2 && n <= 4:
			return "few"
		}
		return "other"
	case "he":
		switch {
		case n == 1:
			return "one"
		case n == 2:
			return "two"
		}
		return "other"
	case "fr", "pt":
		if n == 0 || n == 1 {
			return "one"
		}
		if n != 0 && n%1000000 == 0 {
			return "many"
		}
		return "other"
	case "es", "it", "ca":
		if n == 1 {
			return "one"
		}
		if n != 0 && n%1000000 == 0 {
			return "many"
		}
		return "other"
	case "zh", "ja", "ko", "th", "vi", "id", "ms", "my", "km", "lo":
		return "other"
	case "hi", "bn", "fa", "am":
		if n == 0 || n == 1 {
			return "one"
		}
		return "other"
	}
	if n == 1 {
		return "one"
	}
	return "other"
}

// Categories lists the plural categories a language uses, for the check
// that a translation has every form.
func Categories(lang string) []string {
	seen := map[string]bool{}
	for _, n := range []int{0, 1, 2, 3, 5, 11, 21, 100, 101, 1000000} {
		seen[PluralCategory(lang, n)] = true
	}
	var out []string
	for _, c := range PluralCategories {
		if seen[c] {
			out = append(out, c)
		}
	}
	return out
}

// Flatten adds the UI strings of a decoded i18n file to into: a string
// under its key, a string's plural forms (a table of one, few, other...)
// as key.one, key.few... It stops at the first value that is neither, and
// returns its key, and its form when it is a table's ("" else); "" when
// every value is right.
func Flatten(data map[string]any, into map[string]string) (badKey, badForm string) {
	for k, v := range data {
		switch v := v.(type) {
		case string:
			into[k] = v
		case map[string]any:
			for form, fv := range v {
				s, ok := fv.(string)
				if !ok || !slices.Contains(PluralCategories, form) {
					return k, form
				}
				into[k+"."+form] = s
			}
		default:
			return k, ""
		}
	}
	return "", ""
}
