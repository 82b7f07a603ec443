package config

import (
	"regexp"
	"slices"
	"strings"

	"flipchart/generator/content"
	"flipchart/generator/diag"
	"flipchart/generator/meta"
)

// Language is one language a manual is published in. The first of
// Config.Languages is the manual's own (Config.Language), published at the
// site's root; each other is published under its code: /es/, /ar/.
type Language struct {
	Code string // a BCP 47 tag in lower case: "es", "ar", "pt-br"
	Name string // its name in itself, for the language switcher: "Español"
	Dir  string // "ltr" or "rtl"
	// Title, Description and Paper are the site's, for this language's
	// pages: its own where [languages.xx] sets them.
	Title, Description, Paper string
	// Untranslated is what the language's pages are for a page with no
	// translation in it: UntranslatedSource shows the page in the
	// manual's language, with a notice; UntranslatedOmit leaves it out.
	Untranslated string
	Weight       int // order in the language switcher, after the manual's own
}

// What a language shows of a page that has no translation into it.
const (
	UntranslatedSource = "source"
	UntranslatedOmit   = "omit"
)

// Prefix is where the language's pages are published, relative to the
// site's root: "" for the manual's own language, else "es/".
func (l *Language) Prefix(c *Config) string {
	if l.Code == c.Languages[0].Code {
		return ""
	}
	return l.Code + "/"
}

// Lang returns the language with the code (any case), or nil.
func (c *Config) Lang(code string) *Language {
	code = strings.ToLower(code)
	for i := range c.Languages {
		if c.Languages[i].Code == code {
			return &c.Languages[i]
		}
	}
	return nil
}

// Multilingual reports whether the manual is published in more than one
// language.
func (c *Config) Multilingual() bool { return len(c.Languages) > 1 }

// langTag is the shape of a language code flipchart takes: a language of
// two or three letters, then any subtags ("pt-br", "sr-latn").
var langTag = regexp.MustCompile(`^[a-z]{2,3}(-[a-z0-9]{2,8})*$`)

// ValidTag reports whether s (in lower case) is a language code.
func ValidTag(s string) bool { return langTag.MatchString(s) }

// rtl lists the languages written right to left.
var rtl = map[string]bool{"ar": true, "he": true, "fa": true, "ur": true, "ps": true, "sd": true, "ug": true, "yi": true, "dv": true, "ckb": true, "ku-arab": true}

// Direction returns "rtl" for a language written right to left, else "ltr".
func Direction(lang string) string {
	lang = strings.ToLower(lang)
	base, _, _ := strings.Cut(lang, "-")
	if rtl[base] || rtl[lang] || strings.Contains(lang, "-arab") || strings.Contains(lang, "-hebr") {
		return "rtl"
	}
	return "ltr"
}

// names are languages' names in themselves, for the switcher of a manual
// whose [languages.xx] gives no name.
var names = map[string]string{
	"ar": "العربية", "bn": "বাংলা", "de": "Deutsch", "el": "Ελληνικά", "en": "English",
	"es": "Español", "fa": "فارسی", "fr": "Français", "he": "עברית", "hi": "हिन्दी",
	"id": "Bahasa Indonesia", "it": "Italiano", "ja": "日本語", "km": "ខ្មែរ", "ko": "한국어",
	"ku": "Kurdî", "my": "မြန်မာ", "ne": "नेपाली", "nl": "Nederlands", "pl": "Polski",
	"ps": "پښتو", "pt": "Português", "ru": "Русский", "sw": "Kiswahili", "th": "ไทย",
	"tl": "Tagalog", "tr": "Türkçe", "uk": "Українська", "ur": "اردو", "vi": "Tiếng Việt",
	"zh": "中文", "am": "አማርኛ", "hy": "Հայերեն", "ka": "ქართული", "az": "Azərbaycanca",
	"kk": "Қазақша", "ky": "Кыргызча", "tg": "Тоҷикӣ", "uz": "Oʻzbekcha", "be": "Беларуская",
	"sr": "Српски", "hr": "Hrvatski", "bs": "Bosanski", "sq": "Shqip", "ro": "Română",
	"hu": "Magyar", "cs": "Čeština", "sk": "Slovenčina", "bg": "Български", "mk": "Македонски",
	"ha": "Hausa", "yo": "Yorùbá", "ig": "Igbo", "so": "Soomaali", "ti": "ትግርኛ", "ckb": "کوردی",
}

// languageName is a language's name in itself, or its code.
func languageName(code string) string {
	if n := names[code]; n != "" {
		return n
	}
	base, _, _ := strings.Cut(code, "-")
	if n := names[base]; n != "" {
		return n
	}
	return code
}

// languageKeys are the keys [languages.xx] knows.
const languageKeys = "name, direction, title, description, paper, untranslated and weight"

// loadLanguages reads [languages]: a table per language. The manual's own
// language comes first, whether or not it has a table there.
func (c *Config) loadLanguages(t *meta.Table) {
	c.Language = strings.ToLower(strings.TrimSpace(c.Language))
	if !ValidTag(c.Language) {
		t.Errorf("language", "%q is not a language code", c.Language).WithHint(`write a code such as "en", "es", "ar" or "pt-br"`)
		c.Language = "en"
	}
	own := c.newLanguage(c.Language)
	c.Languages = []Language{own}
	ls := t.Sub("languages")
	if ls == nil {
		return
	}
	var others []Language
	for _, key := range ls.Keys() {
		code := strings.ToLower(key)
		if !ValidTag(code) {
			ls.Errorf(key, "%q is not a language code", key).WithHint(`name each language by its code: [languages.es], [languages.ar], [languages.pt-br]`)
			ls.Ignore(key)
			continue
		}
		lt := ls.Sub(key)
		if lt == nil {
			continue
		}
		l := c.newLanguage(code)
		if code == c.Language {
			l = c.Languages[0]
		} else if slices.ContainsFunc(others, func(o Language) bool { return o.Code == code }) {
			ls.Errorf(key, "language %s is declared twice", code).WithHint("keep one [languages.%s] table", code)
			continue
		}
		lt.String("name", &l.Name)
		if lt.String("direction", &l.Dir) {
			d := strings.ToLower(strings.TrimSpace(l.Dir))
			if d != "ltr" && d != "rtl" {
				lt.Errorf("direction", "unknown direction %q", l.Dir).WithHint(`use "rtl" (right to left, as Arabic) or "ltr" (left to right), or leave it out: it follows from the language`)
				d = Direction(code)
			}
			l.Dir = d
		}
		if lt.String("title", &l.Title) {
			l.Title = content.Smart(l.Title)
		}
		if lt.String("description", &l.Description) {
			l.Description = content.Smart(l.Description)
		}
		if lt.String("paper", &l.Paper) {
			l.Paper = c.paper(lt, "paper", l.Paper)
		}
		if lt.String("untranslated", &l.Untranslated) {
			u := strings.ToLower(strings.TrimSpace(l.Untranslated))
			if u != UntranslatedSource && u != UntranslatedOmit {
				lt.Errorf("untranslated", "unknown choice %q", l.Untranslated).WithHint(`use "source" (show the page in the manual's language, with a notice) or "omit" (leave it out)`)
				u = UntranslatedSource
			}
			l.Untranslated = u
		}
		lt.Int("weight", &l.Weight)
		lt.ReportUnknown(diag.Error, "[languages."+key+"] knows "+languageKeys)
		if code == c.Language {
			c.Languages[0] = l
			continue
		}
		others = append(others, l)
	}
	slices.SortStableFunc(others, func(a, b Language) int {
		if a.Weight != b.Weight {
			if a.Weight == 0 || b.Weight == 0 {
				return b.Weight - a.Weight // unset last
			}
			return a.Weight - b.Weight
		}
		return strings.Compare(a.Code, b.Code)
	})
	c.Languages = append(c.Languages, others...)
}

// newLanguage is a language with the site's settings.
func (c *Config) newLanguage(code string) Language {
	return Language{Code: code, Name: languageName(code), Dir: Direction(code), Title: c.Title,
		Description: c.Description, Paper: c.Paper, Untranslated: UntranslatedSource}
}
