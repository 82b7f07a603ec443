package build_test

import (
	"strings"
	"testing"

	"flipchart/generator/build"
	"flipchart/generator/diag"
)

// multilingual is a manual in English with Spanish and Arabic: Session 1
// and the home page translated into both, Session 2 into neither, a
// worksheet in Session 1.
const multilingual = `
-- config.toml --
title = "Field Manual"
[languages.es]
title = "Manual de campo"
[languages.ar]
title = "دليل ميداني"
-- content/_index.md --
+++
title = "Welcome"
+++
Start with Session 1.
-- content/_index.es.md --
+++
title = "Bienvenida"
+++
Empieza por la Sesión 1.
-- content/_index.ar.md --
+++
title = "أهلًا"
+++
ابدأ من الجلسة 1 ثم الجلسة 2، لا بالجلسة 3.
-- content/day-1/_index.md --
+++
title = "Day One"
+++
-- content/day-1/01-start.md --
+++
title = "Getting Started"
session = 1
time = "15-30 min"
materials = ["Markers"]
+++
See Session 2 next.

::: worksheet Plan {#plan}
Name: ______
:::
-- content/day-1/01-start.es.md --
+++
title = "Primeros pasos"
materials = ["Marcadores"]
+++
Luego, la Sesión 2. Más en [la red](https://example.org/).

::: worksheet Plan {#plan}
Nombre: ______
:::

::: note
Una nota.
:::
-- content/day-1/01-start.ar.md --
+++
title = "البداية"
+++
ثم الجلسة 2.

::: worksheet الخطة {#plan}
الاسم: ______
:::
-- content/day-1/02-next.md --
+++
title = "Next Steps"
session = 2
time = "90"
+++
The second session.
-- content/agenda.md --
+++
title = "Agenda"
type = "agenda"
[[days]]
start = "09:00"
sessions = [1, 2]
+++
`

// TestLanguages: a manual in three languages is three sites, the manual's
// own at the root and each other under its code, each whole: its pages,
// with a translation's session number, time and materials inherited;
// UI words, numbers and durations in the language; a page with no
// translation shown in English with a notice and its language marked;
// every page linking its translations; a search index, print editions and
// worksheets of its own.
func TestLanguages(t *testing.T) {
	s := newSite(t, multilingual).build(build.Options{})
	s.ok()
	s.assertNoWarnings()
	s.assertFile("index.html", `
		<html lang="en" dir="ltr">
		<link rel="alternate" hreflang="es" href="es/index.html">
		<link rel="alternate" hreflang="ar" href="ar/index.html">
		<a href="es/index.html" hreflang="es" lang="es" dir="ltr">Español</a>
		<span aria-current="true" lang="en" dir="ltr">English</span>
	`)
	s.assertFile("es/day-1/01-start/index.html", `
		<html lang="es" dir="ltr">
		<title>Sesión 1: Primeros pasos · Manual de campo</title>
		Sesión 1
		15–30 min
		Marcadores
		re:<a href="../../../es/day-1/02-next/index.html" class="session-ref">Sesión 2</a>
		<link rel="stylesheet" href="../../../es/css/print.css">
		<a href="../../../day-1/01-start/index.html" hreflang="en"
		<a href="../../../ar/day-1/01-start/index.html" hreflang="ar"
		<span class="title" lang="en">Next Steps</span>
		la red<span class="vh"> (otro sitio)</span>
		! untranslated
	`)
	// Arabic: its digits, its words, right to left.
	s.assertFile("ar/day-1/01-start/index.html", `
		<html lang="ar" dir="rtl">
		<title>الجلسة ١: البداية · دليل ميداني</title>
		re:الجلسة&nbsp;١<span class="vh">
		re:<dd class="time">١٥–٣٠ دقيقة</dd>
		re:<a href="../../../ar/day-1/02-next/index.html" class="session-ref">الجلسة 2</a>
	`)
	// Session 2 has no translation: shown in English, said so, in the
	// language's site.
	s.assertFile("es/day-1/02-next/index.html", `
		<html lang="es" dir="ltr">
		<main id="main" tabindex="-1" lang="en" dir="ltr">
		<p class="untranslated" role="note" lang="es" dir="ltr">Esta página aún no se ha traducido al español: se muestra en inglés.</p>
		The second session.
		! hreflang="es" href
	`)
	s.assertFile("ar/day-1/02-next/index.html", `
		<main id="main" tabindex="-1" lang="en" dir="ltr">
		<p class="untranslated" role="note" lang="ar" dir="rtl">
	`)
	// The Arabic home page links sessions by the Arabic word.
	s.assertFile("ar/index.html", `
		re:<a href="../ar/day-1/01-start/index.html" class="session-ref">الجلسة 1</a>
		re:<a href="../ar/day-1/02-next/index.html" class="session-ref">الجلسة 2</a>
	`)
	// Each language's worksheets, search index, print editions.
	s.assertFile("es/worksheets/01-plan/index.html", `Nombre`, `<html lang="es"`)
	s.assertFile("ar/worksheets/01-plan/index.html", `الاسم`, `<html lang="ar" dir="rtl"`)
	s.assertFile("worksheets/01-plan/index.html", `Name`)
	for _, f := range []string{"search/meta.js", "es/search/meta.js", "ar/search/meta.js"} {
		s.file(f)
	}
	if docs := s.file("es/search/docs-0.js"); !strings.Contains(docs, "Primeros pasos") || strings.Contains(docs, `"u":"day-1/`) {
		t.Errorf("the Spanish index lacks its pages, or holds English ones:\n%s", docs)
	}
	s.assertFile("es/print/index.html", `Primeros pasos`, `Una nota.`, `! Getting Started`)
	s.assertFile("ar/print/worksheets/index.html", `الاسم`, `! Name:`)
	s.assertFile("ar/css/print.css", `@top-right{content:"دليل ميداني"}`, `counter(page, arabic-indic)`)
	// Two languages of one manual are one site: no page of one links into
	// another's but its translations.
	s.assertFile("es/materials/index.html", `Marcadores`, `! Markers`)
	// An agenda's words and times in the page's language.
	s.assertFile("agenda/index.html", `Day 1`, `09:00`, `Session 1: Getting Started`)
	s.assertFile("es/agenda/index.html", `Día 1`, `09:00`, `Sesión 1: Primeros pasos`)
	s.assertFile("ar/agenda/index.html", `اليوم ١`, `٠٩:٠٠`, `الجلسة ١: البداية`, `ساعة واحدة و٣٠ دقيقة`)
}

// TestLanguagesOmit: a language with untranslated = "omit" leaves out the
// pages it has no translation of, but the modules its translations are in.
func TestLanguagesOmit(t *testing.T) {
	s := newSite(t, strings.Replace(multilingual, `[languages.es]`, "[languages.es]\nuntranslated = \"omit\"", 1)).build(build.Options{})
	s.ok()
	s.assertNoFile("es/day-1/02-next/index.html")
	s.file("es/day-1/index.html")
	s.file("ar/day-1/02-next/index.html")
	// The switcher of the page Spanish leaves out goes to the Spanish home.
	s.assertFile("day-1/02-next/index.html", `<a href="../../es/index.html" hreflang="es"`, `! hreflang="es" href`)
}

// TestLanguagesBadInput: what cannot be a translation, or a language, is a
// message at its file and line, an error or a warning as it hurts.
func TestLanguagesBadInput(t *testing.T) {
	for _, c := range []struct {
		name  string
		files string
		sev   diag.Severity
		want  []string
	}{
		{"undeclared language", "-- content/day-1/02-next.fr.md --\n+++\ntitle = \"Suite\"\n+++\n", diag.Error,
			[]string{"content/day-1/02-next.fr.md:1:", `translation into "fr", a language config.toml does not declare (it declares en, ar, es)`, "[languages.fr]"}},
		{"translation of no page", "-- content/day-1/03-gone.es.md --\n+++\ntitle = \"Nada\"\n+++\n", diag.Error,
			[]string{"content/day-1/03-gone.es.md:1:", "a translation of content/day-1/03-gone.md, which does not exist"}},
		{"two translations", "-- content/day-1/02-next.ES.md --\n+++\ntitle = \"Uno\"\n+++\n-- content/day-1/02-next.es.md --\n+++\ntitle = \"Dos\"\n+++\n", diag.Error,
			[]string{"content/day-1/02-next.es.md:1:", "content/day-1/02-next.md has two translations into es", "content/day-1/02-next.ES.md"}},
		{"the manual's own language", "-- content/day-1/02-next.en.md --\n+++\ntitle = \"Next\"\n+++\n", diag.Error,
			[]string{"content/day-1/02-next.en.md:1:", "the manual's own language", "name the page 02-next.md"}},
		{"unknown direction", "-- config.toml --\ntitle = \"Field Manual\"\n[languages.es]\n[languages.ar]\ndirection = \"up\"\n", diag.Error,
			[]string{"config.toml:4:", `languages.ar.direction: unknown direction "up"`, `"rtl"`}},
		{"not a language code", "-- config.toml --\ntitle = \"Field Manual\"\n[languages.es]\n[languages.ar]\n[languages.Arabic_1]\n", diag.Error,
			[]string{"config.toml:4:", `"Arabic_1" is not a language code`}},
		{"unknown key", "-- config.toml --\ntitle = \"Field Manual\"\n[languages.es]\nnmae = \"Castellano\"\n[languages.ar]\n", diag.Error,
			[]string{"config.toml:3:", "languages.es.nmae: unknown key", "[languages.es] knows name, direction"}},
		{"unknown choice for the untranslated", "-- config.toml --\ntitle = \"Field Manual\"\n[languages.es]\nuntranslated = \"hide\"\n[languages.ar]\n", diag.Error,
			[]string{"config.toml:3:", `unknown choice "hide"`, `"omit"`}},
		{"a missing UI string", "-- i18n/fr.toml --\nsession = \"Séance\"\n-- config.toml --\ntitle = \"Field Manual\"\n[languages.es]\n[languages.ar]\n[languages.fr]\n", diag.Warning,
			[]string{"i18n/fr.toml", `the UI string "contents" is missing in fr`, `add contents = "…" to i18n/fr.toml`}},
		{"a missing plural form", "-- i18n/ru.toml --\nsearch_count = { one = \"{n} страница\", other = \"{n} страницы\" }\n-- config.toml --\ntitle = \"Field Manual\"\n[languages.es]\n[languages.ar]\n[languages.ru]\n", diag.Warning,
			[]string{"i18n/ru.toml", `"search_count" lacks its "few" form, which ru's plural rules need`, "the forms one, few, many"}},
		{"a language without strings", "-- config.toml --\ntitle = \"Field Manual\"\n[languages.es]\n[languages.ar]\n[languages.sw]\n", diag.Warning,
			[]string{"i18n/sw.toml", "there are no UI strings in sw (Kiswahili)"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			files := multilingual + c.files
			if strings.Contains(c.files, "-- config.toml --") {
				// The case's config replaces the manual's.
				files = c.files + multilingual[strings.Index(multilingual, "-- content/_index.md --"):]
			}
			s := newSite(t, files).build(build.Options{})
			s.assertDiag(c.sev, c.want...)
			if c.sev == diag.Warning {
				s.ok()
			}
		})
	}
}

// TestTranslationsCurrent: flipchart check lists each language's sessions
// with no translation, and the translations whose page changed since they
// were marked current, or that never were, at the line to change.
func TestTranslationsCurrent(t *testing.T) {
	s := newSite(t, multilingual).build(build.Options{Translations: true})
	s.ok()
	s.assertDiag(diag.Warning, "config.toml:2:1:", "1 of 2 sessions have no translation into es (Español), and are shown in English: Session 2 (content/day-1/02-next.md)")
	s.assertDiag(diag.Warning, "config.toml:4:1:", "1 of 2 sessions have no translation into ar")
	s.assertDiag(diag.Warning, "content/day-1/01-start.es.md:1:", "does not record which version of content/day-1/01-start.md it was made from", "flipchart translation current content/day-1/01-start.es.md")

	// Marked current with the page's text as it is: no warning.
	current := newSite(t, multilingual).build(build.Options{Translations: true})
	sum, err := current.res.Site.Langs[0].Session("1").Source.TextHash(current.fs)
	if err != nil {
		t.Fatal(err)
	}
	marked := strings.Replace(multilingual, "title = \"Primeros pasos\"\n", "title = \"Primeros pasos\"\nsource_hash = \""+sum+"\"\n", 1)
	s = newSite(t, marked).build(build.Options{Translations: true})
	for _, w := range s.diags(diag.Warning) {
		if strings.Contains(w, "01-start.es.md") {
			t.Errorf("a translation marked current is reported: %s", w)
		}
	}
	// The page changed after: the translation is stale, at its hash.
	changed := strings.Replace(marked, "See Session 2 next.", "See Session 2 next, and bring a pen.", 1)
	s = newSite(t, changed).build(build.Options{Translations: true})
	s.assertDiag(diag.Warning, "content/day-1/01-start.es.md:3:15:", "content/day-1/01-start.md changed since this translation was marked current", "made from "+sum)
	// Its session number, time and weight are the translation's to
	// inherit: a change of them leaves it current.
	retimed := strings.Replace(marked, "time = \"15-30 min\"", "time = \"20-40 min\"", 1)
	s = newSite(t, retimed).build(build.Options{Translations: true})
	for _, w := range s.diags(diag.Warning) {
		if strings.Contains(w, "01-start.es.md") {
			t.Errorf("a new time makes the translation stale: %s", w)
		}
	}
}

// TestLanguagesDraft: a draft is left out of every language, translated or
// not, and a translation of it is no error.
func TestLanguagesDraft(t *testing.T) {
	files := multilingual + `-- content/day-1/03-draft.md --
+++
title = "Draft"
session = 3
draft = true
+++
Not yet.
-- content/day-1/03-draft.es.md --
+++
title = "Borrador"
+++
Todavía no.
`
	s := newSite(t, files).build(build.Options{})
	s.ok()
	for _, f := range []string{"day-1/03-draft/index.html", "es/day-1/03-draft/index.html", "ar/day-1/03-draft/index.html"} {
		s.assertNoFile(f)
	}
	s = newSite(t, files).build(build.Options{Drafts: true})
	s.ok()
	s.assertFile("es/day-1/03-draft/index.html", "Borrador")
	s.assertFile("ar/day-1/03-draft/index.html", "Not yet.")
}
