// Package config reads a site's config.toml into a typed Config.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"flipchart/generator/content"
	"flipchart/generator/diag"
	"flipchart/generator/meta"
)

// File is the name of the configuration file at the top of a site.
const File = "config.toml"

// Config is a site's configuration. Every field has a working default, so a
// site without config.toml builds.
type Config struct {
	Title       string
	Description string
	Author      string
	Language    string // BCP 47 tag in lower case, e.g. "en", "es", "ar"
	// Languages are the languages the manual is published in, its own
	// (Language) first: see [languages] and Language.
	Languages []Language
	Theme     string // folder name under themes/, or "default"
	Paper     string // "A4" or "Letter"
	BaseURL   string // where the site is published; links stay relative

	// Code highlighting: chroma style names for light and dark mode.
	HighlightStyle     string
	HighlightStyleDark string

	// AutoLinkSessions turns plain "Session 9" in the text into a link.
	AutoLinkSessions bool

	// WorksheetFields are the header fields of a worksheet that does not
	// name its own: name, organisation, date.
	WorksheetFields []string

	// WorksheetStorage is where a worksheet's page keeps what a participant
	// types: "session", until the browser's tab is closed, or "device",
	// in the browser until the participant clears it.
	WorksheetStorage string

	// Margins of printed pages, as CSS lengths: top, right, bottom, left.
	Margins string
	// Duplex prints for both sides of the paper ([print] duplex): the
	// left and right margins of a left-hand page are swapped, so that the
	// wider one is always at the binding, and each page of the manual in
	// a print edition starts on a right-hand page.
	Duplex bool

	// HandoutMaterials shows the sessions' and exercises' materials in
	// what participants get (handouts, the participants' edition); by
	// default they are the trainer's list and left out.
	HandoutMaterials bool

	// AllowHosts are the hosts ([privacy] allow_hosts) whose files pages
	// may load all the same, in lower case: "example.org", or
	// "*.example.org" for any of its subdomains. By default none: a page
	// loads nothing from another host.
	AllowHosts []string

	// Search makes the search page and its index, and the search field
	// on every page ([search] enabled, on by default).
	Search bool

	// Params holds the site's own fields, for its templates.
	Params map[string]any

	doc *meta.Doc
}

// Pos returns the line and column of a key's value in config.toml, so later
// stages can point at it; (0, 0) when it is not set there.
func (c *Config) Pos(key ...string) (line, col int) {
	if c.doc == nil {
		return 0, 0
	}
	return c.doc.Pos(key...)
}

// Errorf returns an error diagnostic at a key of config.toml.
func (c *Config) Errorf(key []string, format string, args ...any) *diag.Diagnostic {
	line, col := c.Pos(key...)
	return diag.Errorf(File, line, col, "%s: %s", strings.Join(key, "."), fmt.Sprintf(format, args...))
}

// Default returns the configuration used for anything config.toml leaves out.
func Default() *Config {
	c := &Config{
		Title:              "Untitled manual",
		Language:           "en",
		Theme:              "default",
		Paper:              "A4",
		HighlightStyle:     "github",
		HighlightStyleDark: "github-dark",
		AutoLinkSessions:   true,
		WorksheetFields:    []string{"name", "organisation", "date"},
		WorksheetStorage:   "session",
		Margins:            "20mm 18mm 22mm 18mm",
		Search:             true,
		Params:             map[string]any{},
	}
	c.Languages = []Language{c.newLanguage(c.Language)}
	return c
}

// WorksheetStorages lists where a worksheet's answers can be kept.
var WorksheetStorages = []string{"session", "device"}

// Papers lists the paper sizes flipchart prints on.
var Papers = []string{"A4", "Letter"}

// Load reads config.toml from fsys. A missing file gives the defaults.
// Problems are added to diags; the returned Config is usable either way.
func Load(fsys fs.FS, diags *diag.List) *Config {
	c := Default()
	data, err := fs.ReadFile(fsys, File)
	if errors.Is(err, fs.ErrNotExist) {
		return c
	}
	if err != nil {
		diags.Add("config", diag.Errorf(File, 0, 0, "cannot read: %v", err))
		return c
	}
	if !utf8.Valid(data) {
		diags.Add("config", diag.Errorf(File, 0, 0, "not valid UTF-8 text").WithHint("save the file as UTF-8"))
		return c
	}
	text := strings.ReplaceAll(strings.TrimPrefix(string(data), "\uFEFF"), "\r\n", "\n")
	doc, d := meta.Parse(File, 0, text)
	if d != nil {
		diags.Add("config", d)
		return c
	}
	c.doc = doc
	t := doc.Root("config", diags)
	t.String("title", &c.Title)
	t.String("description", &c.Description)
	c.Title, c.Description = content.Smart(c.Title), content.Smart(c.Description)
	t.String("author", &c.Author)
	t.String("language", &c.Language)
	t.String("theme", &c.Theme)
	if t.String("paper", &c.Paper) {
		c.Paper = c.paper(t, "paper", c.Paper)
	}
	if !t.String("base_url", &c.BaseURL) {
		t.String("baseURL", &c.BaseURL) // Hugo's spelling
	}
	t.Ignore("baseURL")
	t.Bool("autolink_sessions", &c.AutoLinkSessions)
	if ws := t.Sub("worksheets"); ws != nil {
		ws.Strings("fields", &c.WorksheetFields)
		if ws.String("storage", &c.WorksheetStorage) {
			if v := strings.ToLower(strings.TrimSpace(c.WorksheetStorage)); slices.Contains(WorksheetStorages, v) {
				c.WorksheetStorage = v
			} else {
				ws.Errorf("storage", "unknown place to keep answers %q", c.WorksheetStorage).
					WithHint(`use "session" (kept until the browser's tab is closed) or "device" (kept in the browser until cleared)`)
				c.WorksheetStorage = Default().WorksheetStorage
			}
		}
		ws.ReportUnknown(diag.Error, "[worksheets] knows fields and storage")
	}
	if h := t.Sub("handouts"); h != nil {
		h.Bool("materials", &c.HandoutMaterials)
		h.ReportUnknown(diag.Error, "[handouts] knows materials")
	}
	if pr := t.Sub("print"); pr != nil {
		if pr.String("margins", &c.Margins) && !validMargins(c.Margins) {
			pr.Errorf("margins", "%q is not one to four CSS lengths", c.Margins).WithHint(`write e.g. margins = "20mm 18mm" (mm, cm, in or pt)`)
			c.Margins = Default().Margins
		}
		pr.Bool("duplex", &c.Duplex)
		pr.ReportUnknown(diag.Error, "[print] knows margins and duplex; the paper size is the top-level paper key")
	}
	if pv := t.Sub("privacy"); pv != nil {
		var hosts []string
		if pv.Strings("allow_hosts", &hosts) {
			c.AllowHosts = allowHosts(pv, hosts)
		}
		pv.ReportUnknown(diag.Error, "[privacy] knows allow_hosts")
	}
	if sr := t.Sub("search"); sr != nil {
		sr.Bool("enabled", &c.Search)
		sr.ReportUnknown(diag.Error, "[search] knows enabled")
	}
	if h := t.Sub("highlight"); h != nil {
		h.String("style", &c.HighlightStyle)
		h.String("dark_style", &c.HighlightStyleDark)
		h.ReportUnknown(diag.Error, "[highlight] knows style and dark_style")
	}
	t.Map("params", &c.Params)
	c.loadLanguages(t)
	t.ReportUnknown(diag.Error, "see the README's config reference; put your own fields under [params]")
	return c
}

// paper is the paper size at key, as flipchart spells it; an unknown one is
// reported, and gives A4.
func (c *Config) paper(t *meta.Table, key, v string) string {
	for _, p := range Papers {
		if strings.EqualFold(p, strings.TrimSpace(v)) {
			return p
		}
	}
	t.Errorf(key, "unknown paper size %q", v).WithHint(`use "A4" or "Letter"`)
	return "A4"
}

// allowHosts checks the hosts of [privacy] allow_hosts and returns those
// that are right, in lower case; each other is an error at its place.
func allowHosts(t *meta.Table, hosts []string) []string {
	var out []string
	for i, h := range hosts {
		host := strings.ToLower(strings.TrimSpace(h))
		why, hint := badHost(host)
		if why == "" {
			if !slices.Contains(out, host) {
				out = append(out, host)
			}
			continue
		}
		d := t.Errorf("allow_hosts", "item %d, %q: %s", i+1, h, why).WithHint("%s", hint)
		d.Line, d.Col = t.Doc().Find(d.Line, strconv.Quote(h))
	}
	return out
}

// badHost says what is wrong with a host of allow_hosts, and how to write
// it; "" when it is right: a host name or an IP address, or "*." and a
// domain for its subdomains.
func badHost(h string) (why, hint string) {
	const write = `write the host alone, e.g. "example.org", or "*.example.org" for its subdomains`
	name := strings.TrimPrefix(h, "*.")
	switch {
	case h == "":
		return "an empty host", write
	case h == "*" || h == "*.":
		return "that would allow every host", "list the hosts pages may load from, one by one"
	case strings.Contains(h, "://") || strings.HasPrefix(h, "//"):
		return "a URL, not a host", write + ": without https:// and without a path"
	case strings.ContainsAny(h, "/?#"):
		return "a host has no path", write
	case strings.Contains(h, ":"):
		return "a host has no port", write + "; every port of the host is allowed"
	case strings.Contains(name, "*"):
		return "only a leading *. is a wildcard", write
	case name != h && !strings.Contains(name, "."):
		return "that would allow every host of a top-level domain", write
	}
	for _, label := range strings.Split(name, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return "not a host name", write
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return "not a host name", write + "; a name in another script is written in its xn-- form"
			}
		}
	}
	return "", ""
}

// validMargins reports whether s is one to four lengths such as 20mm or 1in.
func validMargins(s string) bool {
	parts := strings.Fields(s)
	if len(parts) == 0 || len(parts) > 4 {
		return false
	}
	for _, p := range parts {
		num := strings.TrimRight(p, "abcdefghijklmnopqrstuvwxyz")
		unit := p[len(num):]
		if _, err := strconv.ParseFloat(num, 64); err != nil {
			return false
		}
		switch unit {
		case "mm", "cm", "in", "pt", "pc", "px", "q":
		default:
			if num != "0" || unit != "" {
				return false
			}
		}
	}
	return true
}
