package author

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSiteTitle(t *testing.T) {
	for in, want := range map[string]string{
		"my-manual":         "My manual",
		"security_training": "Security training",
		"manual v2.1":       "Manual v2 1",
		"écoles":            "Écoles",
		"---":               "My manual",
		"/":                 "My manual",
	} {
		if got := siteTitle(in); got != want {
			t.Errorf("siteTitle(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNewSite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), `the "best" manual`)
	res, err := NewSite(dir)
	if err != nil {
		t.Fatal(err)
	}
	if res.Title != `The "best" manual` || len(res.Files) != 6 {
		t.Errorf("title %q, files %v", res.Title, res.Files)
	}
	cfg, err := os.ReadFile(filepath.Join(dir, "config.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(cfg), `title = "The \"best\" manual"`) || strings.Contains(string(cfg), "@TITLE@") {
		t.Errorf("config.toml's title:\n%s", cfg)
	}
	// Every key of config.toml is there, with a comment above it.
	for _, key := range []string{"title", "description", "author", "language", "theme", "paper", "base_url", "autolink_sessions",
		"[highlight]", "style", "dark_style", "[worksheets]", "fields", "storage", "[print]", "margins", "[handouts]", "materials", "[privacy]", "allow_hosts", "[params]"} {
		lines := strings.Split(string(cfg), "\n")
		found := false
		for i, l := range lines {
			if (strings.HasPrefix(l, key+" = ") || l == key) && i > 0 && strings.HasPrefix(lines[i-1], "#") {
				found = true
			}
		}
		if !found {
			t.Errorf("config.toml has no commented %s", key)
		}
	}
	if _, err := NewSite(dir); !errors.Is(err, ErrUsage) || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("again: %v; want a usage error saying the folder is not empty", err)
	}
}
