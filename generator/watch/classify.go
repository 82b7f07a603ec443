package watch

import (
	"flipchart/generator/content"
	"path"
	"strconv"
	"strings"
)

// Kind says what a changed file is, and so what a rebuild must redo.
type Kind int

// The kinds of a changed path. The zero Kind is Ignored.
const (
	// Ignored is anything the build does not read: editor temporary and
	// swap files, hidden files, output folders such as public/, and every
	// file outside the watched folders.
	Ignored Kind = iota
	// Content is a Markdown file under content/.
	Content
	// Asset is any other file under content/, copied next to its page.
	Asset
	// Layout is a template under layouts/, or UI strings under i18n/
	// (the site's own layer of the theme: every page must be rendered again).
	Layout
	// Theme is any file under themes/ that is not a static file.
	Theme
	// StyleSheet is a .css file under static/ or themes/<name>/static/: the
	// browser can swap it without reloading the page.
	StyleSheet
	// Static is any other file under static/ or themes/<name>/static/.
	Static
	// Config is config.toml at the top of the site.
	Config
)

var kindNames = [...]string{
	Ignored:    "ignored",
	Content:    "content",
	Asset:      "asset",
	Layout:     "layout",
	Theme:      "theme",
	StyleSheet: "stylesheet",
	Static:     "static",
	Config:     "config",
}

// String returns the kind's name in lower case, as in "stylesheet".
func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Classify says what kind of file rel is. rel is a slash-separated path
// relative to the site's folder, such as "content/day-1/02-intro.md".
// It looks at the name only and touches no file, so it also answers for
// files that no longer exist.
//
// Any segment that is hidden (starts with ".") or an editor's backup
// folder (Notepad++'s nppBackup), and a last segment that is an editor's
// temporary file (see content.Ignored), make the path Ignored;
// so do paths outside the site and paths outside the watched folders
// content/, layouts/, i18n/, static/, themes/ and the file config.toml.
// ".md" is matched case-sensitively, as the content loader does;
// ".css" in any case.
func Classify(rel string) Kind {
	if rel == "" || strings.HasPrefix(rel, "/") {
		return Ignored
	}
	rel = path.Clean(rel)
	if rel == "." || rel == ".." || strings.HasPrefix(rel, "../") {
		return Ignored
	}
	segs := strings.Split(rel, "/")
	for _, s := range segs[:len(segs)-1] {
		if strings.HasPrefix(s, ".") || content.IgnoredFolder(s) {
			return Ignored
		}
	}
	base := segs[len(segs)-1]
	if content.Ignored(base) {
		return Ignored
	}
	if len(segs) == 1 {
		if rel == "config.toml" {
			return Config
		}
		return Ignored
	}
	switch segs[0] {
	case "content":
		if strings.HasSuffix(base, ".md") {
			return Content
		}
		return Asset
	case "layouts", "i18n":
		return Layout
	case "static":
		return staticKind(base)
	case "themes":
		// themes/<name>/static/... ; themes/<name>/layouts, i18n and
		// anything else in a theme is Theme.
		if len(segs) >= 4 && segs[2] == "static" {
			return staticKind(base)
		}
		return Theme
	}
	return Ignored
}

func staticKind(base string) Kind {
	if strings.EqualFold(path.Ext(base), ".css") {
		return StyleSheet
	}
	return Static
}
