package site

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"flipchart/generator/config"
	"flipchart/generator/content"
	"flipchart/generator/diag"
)

// translations are a manual's translated pages: for each language after
// the first, the translation of each page by the page's content path.
type translations map[string]map[string]*content.Source

// sortTranslations sorts the translations out of c.Sources ("x.es.md"
// beside "x.md"): it returns the pages, and the translations, or nil ones
// when the manual has none and is in one language. c is left as it is. What cannot be a translation is an error at its file:
// a language config.toml does not declare, a page that does not exist,
// two translations into one language.
func sortTranslations(cfg *config.Config, c *content.Content, diags *diag.List) ([]*content.Source, translations) {
	if !cfg.Multilingual() && !slices.ContainsFunc(c.Sources, func(s *content.Source) bool { return isTranslation(cfg, s) }) {
		return c.Sources, nil
	}
	tr := translations{}
	bases := map[string]bool{}
	var kept []*content.Source
	for _, src := range c.Sources {
		if !isTranslation(cfg, src) {
			kept = append(kept, src)
			bases[src.Path] = true
		}
	}
	for _, src := range c.Sources {
		if !isTranslation(cfg, src) {
			continue
		}
		base, code := content.SplitLang(src.Path)
		lang := cfg.Lang(code)
		switch {
		case lang == nil:
			declared := make([]string, len(cfg.Languages))
			for i, l := range cfg.Languages {
				declared[i] = l.Code
			}
			diags.Add("site", diag.Errorf(src.File, 1, 0, "this is a translation into %q, a language config.toml does not declare (it declares %s)", code, strings.Join(declared, ", ")).
				WithHint("add a [languages.%s] table to config.toml, or rename the file if it is not a translation", code))
			continue
		case lang.Code == cfg.Languages[0].Code:
			diags.Add("site", diag.Errorf(src.File, 1, 0, "this is a translation into %s, the manual's own language", code).
				WithHint("the manual's pages are in %s already: name the page %s, without .%s", code, path.Base(base), code))
			continue
		case !bases[base] && !c.Failed[base]:
			diags.Add("site", diag.Errorf(src.File, 1, 0, "this is a translation of %s, which does not exist", content.Dir+"/"+base).
				WithHint("name a translation after the page it translates, beside it: %s for %s", path.Base(src.Path), path.Base(base)))
			continue
		}
		if tr[lang.Code] == nil {
			tr[lang.Code] = map[string]*content.Source{}
		}
		if q := tr[lang.Code][base]; q != nil {
			diags.Add("site", diag.Errorf(src.File, 1, 0, "%s has two translations into %s: this file and %s", content.Dir+"/"+base, lang.Code, q.File).
				WithHint("keep one of them"))
			continue
		}
		tr[lang.Code][base] = src
	}
	return kept, tr
}

// isTranslation reports whether a content file is named as a translation:
// a language code before .md. A two-letter code is taken as a language
// whether or not config.toml declares it (it says which are missing); a
// longer one only when declared, so "notes.old.md" is a page.
func isTranslation(cfg *config.Config, src *content.Source) bool {
	_, code := content.SplitLang(src.Path)
	return code != "" && (len(code) == 2 || cfg.Lang(code) != nil)
}

// assembleLangs builds the graph of each language and the Site over them.
func assembleLangs(cfg *config.Config, c *content.Content, pages []*content.Source, tr translations, opt Options, diags *diag.List, byURL map[string]*Page) *Site {
	own := assemble(cfg, &cfg.Languages[0], c, entriesOf(pages), opt, diags, byURL)
	all := &Site{Config: cfg, Lang: own.Lang, Assets: c.Assets, byURL: byURL, byRef: own.byRef,
		Home: own.Home, Materials: own.Materials, Objectives: own.Objectives, Worksheets: own.Worksheets, Search: own.Search,
		Langs: []*Site{own}}
	for i := 1; i < len(cfg.Languages); i++ {
		lang := &cfg.Languages[i]
		var entries []entry
		for _, src := range pages {
			switch t := tr[lang.Code][src.Path]; {
			case src.Front.Draft && !opt.Drafts:
				// A draft is left out of every language, and a draft
				// module with everything under it, translated or not.
				entries = append(entries, entry{src: src, path: src.Path, fallback: true})
			case t != nil && !(t.Front.Draft && !opt.Drafts):
				entries = append(entries, entry{src: t, path: src.Path, base: src})
			case lang.Untranslated == config.UntranslatedSource || src.IsIndex():
				// A module stays, in the manual's language, for the
				// translated pages under it.
				entries = append(entries, entry{src: src, path: src.Path, fallback: true})
			}
		}
		all.Langs = append(all.Langs, assemble(cfg, lang, c, entries, opt, diags, byURL))
	}
	all.byBase = map[string][]*Page{}
	for i, l := range all.Langs {
		all.Pages = append(all.Pages, l.Pages...)
		all.Modules = append(all.Modules, l.Modules...)
		all.Sessions = append(all.Sessions, l.Sessions...)
		all.Agendas = append(all.Agendas, l.Agendas...)
		all.Extra = append(all.Extra, l.Extra...)
		all.Prints = append(all.Prints, l.Prints...)
		for _, p := range l.Pages {
			if b := p.BasePath(); b != "" || p.Kind == Home {
				if all.byBase[b] == nil {
					all.byBase[b] = make([]*Page, len(all.Langs))
				}
				all.byBase[b][i] = p
			}
		}
	}
	for _, l := range all.Langs {
		l.all = all
	}
	own.all = all
	return all
}

// inherit fills what a translation leaves out from the page it
// translates: the session's number, its time, weight, activities,
// objectives and materials, and the title and summary.
func (p *Page) inherit(base *content.Source) {
	f, b := p.Source.Front, base.Front
	if !f.HasSession && b.HasSession {
		p.Kind, p.Session = Session, b.Session
	}
	if f.Time.IsZero() {
		p.Time = b.Time
	}
	if f.Weight == 0 {
		p.Weight = b.Weight
	}
	if f.Type == "" && b.Type != "" {
		p.Type = b.Type
		if b.Type == "agenda" {
			p.Kind = AgendaPage
		}
	}
	if f.Title == "" {
		p.Title = content.Smart(b.Title)
		if p.Title == "" {
			p.Title = titleFromFile(base.Path)
		}
	}
	if f.Summary == "" {
		p.Summary = content.Smart(b.Summary)
	}
	if len(f.Activities) == 0 {
		p.Activities = smartAll(b.Activities)
	}
	if len(f.Objectives) == 0 {
		p.Objectives = smartAll(b.Objectives)
	}
	if len(f.Materials) == 0 {
		p.Materials = b.Materials
	}
	if p.Params == nil {
		p.Params = b.Params
	}
}

// Translations are the page in each language of the manual, in the order
// of Langs (the manual's own first): nil where the language leaves the
// page out, and for a manual in one language.
func (p *Page) Translations() []*Page {
	if p.site == nil || p.site.all == nil {
		return nil
	}
	all := p.site.all
	var out []*Page
	for _, l := range all.Langs {
		out = append(out, l.counterpart(p))
	}
	return out
}

// counterpart is the page of l that is p in l's language, or nil.
func (l *Site) counterpart(p *Page) *Page {
	if p.site == l {
		return p
	}
	i := slices.Index(l.all.Langs, l)
	switch p.Kind {
	case Home:
		return l.Home
	case Handout:
		if q := l.counterpart(p.Of); q != nil {
			return q.Handout
		}
		return nil
	case Worksheet:
		q := l.counterpart(p.Of)
		if q == nil || q.Derived == nil || p.Of.Derived == nil {
			return nil
		}
		for _, w := range q.Derived.Worksheets {
			if w.Derived.WorksheetID == p.Derived.WorksheetID {
				return w
			}
		}
		if j := slices.Index(p.Of.Derived.Worksheets, p); j >= 0 && j < len(q.Derived.Worksheets) {
			return q.Derived.Worksheets[j]
		}
		return nil
	case Materials:
		return l.Materials
	case Objectives:
		return l.Objectives
	case Worksheets:
		return l.Worksheets
	case Search:
		return l.Search
	case Print:
		for _, q := range l.Prints {
			if q.Edition == p.Edition {
				return q
			}
		}
		return nil
	}
	if ps := l.all.byBase[p.BasePath()]; ps != nil {
		return ps[i]
	}
	return nil
}

// In is the page in the language of l (a graph of Langs): p itself when
// it is of l, nil when l leaves it out.
func (p *Page) In(l *Site) *Page {
	if p.site == l {
		return p
	}
	if l == nil || l.all == nil {
		return nil
	}
	return l.counterpart(p)
}

// CheckTranslations reports, for each language after the manual's own,
// the sessions that have no translation into it (one warning per
// language, at its [languages] table), and each translation whose page
// changed since it was last marked current (its source_hash, see
// content.TextHash), or that was never marked. fsys is the site's folder,
// to read the pages' bodies.
func (s *Site) CheckTranslations(fsys fs.FS, diags *diag.List) {
	if len(s.Langs) < 2 {
		return
	}
	own := s.Langs[0]
	for _, l := range s.Langs[1:] {
		var missing []string
		for _, p := range own.Sessions {
			if q := p.In(l); q == nil || q.Fallback {
				missing = append(missing, fmt.Sprintf("Session %d (%s)", p.Session, p.File()))
			}
		}
		if len(missing) > 0 {
			shown := missing
			if len(shown) > maxListed {
				shown = append(slices.Clone(shown[:maxListed]), fmt.Sprintf("and %d more", len(missing)-maxListed))
			}
			line, col := s.Config.Pos("languages", l.Lang.Code)
			what := "shown in " + own.Lang.Name
			if l.Lang.Untranslated == config.UntranslatedOmit {
				what = "left out"
			}
			diags.Add("site", diag.Warnf(config.File, line, col, "%d of %d sessions have no translation into %s (%s), and are %s: %s",
				len(missing), len(own.Sessions), l.Lang.Code, l.Lang.Name, what, strings.Join(shown, "; ")).
				WithHint("translate a session beside it: 11-next-steps.md into 11-next-steps.%s.md", l.Lang.Code))
		}
		for _, p := range l.Pages {
			if p.Source == nil || p.Fallback {
				continue
			}
			ps := s.byBase[p.BasePath()]
			if len(ps) == 0 || ps[0] == nil || ps[0].Source == nil {
				continue
			}
			base := ps[0]
			sum, err := base.Source.TextHash(fsys)
			if err != nil {
				continue // reported where the page is read
			}
			recorded := p.Source.Front.SourceHash
			switch {
			case recorded == "":
				diags.Add("site", diag.Warnf(p.File(), 1, 0, "this translation does not record which version of %s it was made from", base.File()).
					WithHint("once it is up to date, run: flipchart translation current %s", p.File()))
			case recorded != sum:
				line, col := 1, 0
				if p.Source.Doc != nil {
					line, col = p.Source.Doc.Pos("source_hash")
				}
				diags.Add("site", diag.Warnf(p.File(), line, col, "%s changed since this translation was marked current (its text is %s now, the translation was made from %s)", base.File(), sum, recorded).
					WithHint("bring the translation up to date, then run: flipchart translation current %s", p.File()))
			}
		}
	}
}

// maxListed is how many pages a message lists before "and N more".
const maxListed = 20
