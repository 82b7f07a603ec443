package content

import (
	"strings"

	"flipchart/generator/diag"
	"flipchart/generator/meta"
)

// FrontMatter is the decoded front matter of a content file.
type FrontMatter struct {
	Title      string
	Session    int  // the session's number; 0 when HasSession is false
	HasSession bool // a page with a session number is a session guide
	Time       TimeRange
	TimeText   string // Time as written, for messages
	Activities []string
	Objectives []string
	Materials  []string
	Weight     int
	Draft      bool
	Summary    string
	Slug       string // replaces the file name in the URL
	Type       string // a special page, e.g. "agenda"
	// SourceHash is, in a translation, the TextHash of the page it was
	// translated from when it was last marked current (flipchart
	// translation current).
	SourceHash string
	Params     map[string]any
}

// knownHugo are Hugo front matter keys that flipchart accepts and ignores, so
// existing Hugo content loads without warnings.
var knownHugo = []string{"date", "lastmod", "publishDate", "tags", "categories", "aliases", "author", "keywords", "layout", "url"}

// typeKeys are the front matter keys of special pages, read by the stage
// that builds them (agendas: the site stage).
var typeKeys = map[string][]string{"agenda": {"days"}}

func decodeFront(doc *meta.Doc, diags *diag.List) FrontMatter {
	var f FrontMatter
	t := doc.Root("content", diags)
	t.String("title", &f.Title)
	f.HasSession = t.Int("session", &f.Session)
	if f.HasSession && f.Session <= 0 {
		t.Errorf("session", "a session number must be 1 or more, got %d", f.Session)
		f.HasSession = false
	}
	if t.String("time", &f.TimeText) {
		r, err := ParseTimeRange(f.TimeText)
		if err != nil {
			t.Errorf("time", "%v", err).WithHint(`write a time such as "15–30 min", "45 min" or "1 h 30 min"`)
		}
		f.Time = r
	}
	t.Strings("activities", &f.Activities)
	t.Strings("objectives", &f.Objectives)
	t.Strings("materials", &f.Materials)
	t.Int("weight", &f.Weight)
	t.Bool("draft", &f.Draft)
	if !t.String("summary", &f.Summary) {
		t.String("description", &f.Summary) // Hugo's name for it
	}
	t.Ignore("description")
	if t.String("slug", &f.Slug) && !validSlug(f.Slug) {
		t.Errorf("slug", "%q cannot be part of a URL", f.Slug).WithHint("use letters, digits, dashes and underscores, e.g. slug = \"next-steps\"")
	}
	t.String("type", &f.Type)
	t.String("source_hash", &f.SourceHash)
	t.Map("params", &f.Params)
	t.Ignore(knownHugo...)
	t.Ignore(typeKeys[f.Type]...)
	if _, ok := typeKeys[f.Type]; !ok && f.Type != "" {
		t.Warnf("type", "unknown page type %q; flipchart knows: agenda", f.Type).WithHint(`remove the line, or write type = "agenda"`)
	}
	t.ReportUnknown(diag.Warning, "flipchart ignores this key; put your own fields under [params]")
	return f
}

// validSlug reports whether s can be one segment of a URL path.
func validSlug(s string) bool {
	if s == "" || s == "." || s == ".." || strings.HasPrefix(s, ".") {
		return false
	}
	for _, r := range s {
		if r == '/' || r == '\\' || r == '?' || r == '#' || r == '%' || r < ' ' {
			return false
		}
	}
	return true
}
