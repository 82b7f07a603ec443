package config

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"flipchart/generator/diag"
)

func load(t *testing.T, text string) (*Config, []string) {
	t.Helper()
	var diags diag.List
	c := Load(fstest.MapFS{File: {Data: []byte(text)}}, &diags)
	var msgs []string
	for _, d := range diags.Items() {
		msgs = append(msgs, d.Error())
	}
	return c, msgs
}

// No host is allowed by default; [privacy] allow_hosts lists hosts, in
// lower case, each once.
func TestAllowHosts(t *testing.T) {
	if c, msgs := load(t, "title = \"M\"\n"); len(c.AllowHosts) != 0 || len(msgs) != 0 {
		t.Errorf("default: %q, %q; want no host, no error", c.AllowHosts, msgs)
	}
	c, msgs := load(t, "[privacy]\nallow_hosts = [\"example.org\", \"*.Example.NET\", \" cdn.example.com \", \"example.org\", \"192.0.2.7\", \"xn--bcher-kva.example\"]\n")
	if want := []string{"example.org", "*.example.net", "cdn.example.com", "192.0.2.7", "xn--bcher-kva.example"}; !slices.Equal(c.AllowHosts, want) || len(msgs) != 0 {
		t.Errorf("got %q, %q; want %q", c.AllowHosts, msgs, want)
	}
	if c, msgs := load(t, "[privacy]\nallow_hosts = []\n"); len(c.AllowHosts) != 0 || len(msgs) != 0 {
		t.Errorf("empty: %q, %q", c.AllowHosts, msgs)
	}
}

// A malformed host is an error at its place in config.toml, saying what is
// wrong and how to write it; the others are kept.
func TestAllowHostsErrors(t *testing.T) {
	for _, c := range []struct{ value, want string }{
		{`"https://example.org/"`, `a URL, not a host`},
		{`"//example.org"`, `a URL, not a host`},
		{`"example.org/fonts"`, `a host has no path`},
		{`"example.org:8080"`, `a host has no port`},
		{`"*"`, `would allow every host`},
		{`"*.org"`, `every host of a top-level domain`},
		{`"a.*.example.org"`, `only a leading *. is a wildcard`},
		{`"exa mple.org"`, `not a host name`},
		{`"-x.example.org"`, `not a host name`},
		{`"bücher.example"`, `xn--`},
		{`""`, `an empty host`},
	} {
		cfg, msgs := load(t, "title = \"M\"\n\n[privacy]\nallow_hosts = [\n  \"ok.example.org\",\n  "+c.value+",\n]\n")
		if len(msgs) != 1 || !strings.HasPrefix(msgs[0], "config.toml:6:3: error: privacy.allow_hosts: item 2") ||
			!strings.Contains(msgs[0], c.want) || !strings.Contains(msgs[0], "hint: ") {
			t.Errorf("%s: got %q, want one error at config.toml:6:3 saying %q, with a hint", c.value, msgs, c.want)
		}
		if !slices.Equal(cfg.AllowHosts, []string{"ok.example.org"}) {
			t.Errorf("%s: kept %q, want the right host only", c.value, cfg.AllowHosts)
		}
	}
	for text, want := range map[string]string{
		"[privacy]\nallow_hosts = \"example.org\"\n": "",
		"[privacy]\nallow_hosts = 3\n":               "config.toml:2:15: error: privacy.allow_hosts: expected a list of strings",
		"[privacy]\nallow = [\"example.org\"]\n":     "config.toml:2:9: error: privacy.allow: unknown key",
	} {
		_, msgs := load(t, text)
		if want == "" && len(msgs) != 0 || want != "" && (len(msgs) != 1 || !strings.HasPrefix(msgs[0], want)) {
			t.Errorf("%q: got %q, want %q", text, msgs, want)
		}
	}
}

// Search is on unless [search] enabled = false; anything else there is an
// error.
func TestSearchEnabled(t *testing.T) {
	if c, msgs := load(t, "title = \"M\"\n"); !c.Search || len(msgs) != 0 {
		t.Errorf("default: %v, %q; want search on", c.Search, msgs)
	}
	if c, msgs := load(t, "[search]\nenabled = false\n"); c.Search || len(msgs) != 0 {
		t.Errorf("enabled = false: %v, %q", c.Search, msgs)
	}
	if _, msgs := load(t, "[search]\nenable = false\n"); len(msgs) != 1 || !strings.Contains(msgs[0], "search.enable: unknown key") {
		t.Errorf("a misspelt key: %q", msgs)
	}
}
