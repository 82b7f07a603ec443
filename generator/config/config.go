// Package config reads a site's config.toml into a typed Config.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"unicode/utf8"

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
	Language    string // BCP 47 tag, e.g. "en", "es", "ar"
	Theme       string // folder name under themes/, or "default"
	Paper       string // "A4" or "Letter"
	BaseURL     string // where the site is published; links stay relative

	// Code highlighting: chroma style names for light and dark mode.
	HighlightStyle     string
	HighlightStyleDark string

	// AutoLinkSessions turns plain "Session 9" in the text into a link.
	AutoLinkSessions bool

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
	return &Config{
		Title:              "Untitled manual",
		Language:           "en",
		Theme:              "default",
		Paper:              "A4",
		HighlightStyle:     "github",
		HighlightStyleDark: "github-dark",
		AutoLinkSessions:   true,
		Params:             map[string]any{},
	}
}

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
	t.String("author", &c.Author)
	t.String("language", &c.Language)
	t.String("theme", &c.Theme)
	if t.String("paper", &c.Paper) {
		ok := false
		for _, p := range Papers {
			if strings.EqualFold(p, c.Paper) {
				c.Paper, ok = p, true
			}
		}
		if !ok {
			t.Errorf("paper", "unknown paper size %q", c.Paper).WithHint(`use "A4" or "Letter"`)
			c.Paper = "A4"
		}
	}
	if !t.String("base_url", &c.BaseURL) {
		t.String("baseURL", &c.BaseURL) // Hugo's spelling
	}
	t.Ignore("baseURL")
	t.Bool("autolink_sessions", &c.AutoLinkSessions)
	if h := t.Sub("highlight"); h != nil {
		h.String("style", &c.HighlightStyle)
		h.String("dark_style", &c.HighlightStyleDark)
		h.ReportUnknown(diag.Error, "[highlight] knows style and dark_style")
	}
	t.Map("params", &c.Params)
	t.ReportUnknown(diag.Error, "see the README's config reference; put your own fields under [params]")
	return c
}
