package author

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"flipchart/generator/content"
	"flipchart/generator/diag"
)

// TestSetSourceHash: the hash goes in place of the line there is, or at
// the end of the top-level keys, before any table and the blank lines
// before it, keeping the file's line endings and byte order mark.
func TestSetSourceHash(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"new", "+++\ntitle = \"Uno\"\n+++\nBody.\n", "+++\ntitle = \"Uno\"\nsource_hash = \"abc\"\n+++\nBody.\n"},
		{"replaced", "+++\nsource_hash = \"old\"\ntitle = \"Uno\"\n+++\nBody.\n", "+++\nsource_hash = \"abc\"\ntitle = \"Uno\"\n+++\nBody.\n"},
		{"before a table", "+++\ntitle = \"Uno\"\n\n[[days]]\nstart = \"09:00\"\n+++\n", "+++\ntitle = \"Uno\"\nsource_hash = \"abc\"\n\n[[days]]\nstart = \"09:00\"\n+++\n"},
		{"CRLF", "+++\r\ntitle = \"Uno\"\r\n+++\r\nBody.\r\n", "+++\r\ntitle = \"Uno\"\r\nsource_hash = \"abc\"\r\n+++\r\nBody.\r\n"},
		{"BOM", "\xEF\xBB\xBF+++\ntitle = \"Uno\"\n+++\n", "\xEF\xBB\xBF+++\ntitle = \"Uno\"\nsource_hash = \"abc\"\n+++\n"},
	} {
		got, err := setSourceHash([]byte(c.in), "abc")
		if err != nil || string(got) != c.want {
			t.Errorf("%s: got %q, %v; want %q", c.name, got, err, c.want)
		}
	}
	for _, in := range []string{"title = \"no front matter\"\n", "+++\ntitle = \"unclosed\"\n"} {
		if _, err := setSourceHash([]byte(in), "abc"); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
}

// TestMarkCurrent: a translation is marked with its page's text hash, as
// the content stage computes it, and marking it again changes nothing; a
// file that is no translation, or of no page, is a usage error.
func TestMarkCurrent(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, "content", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	page := "+++\ntitle = \"Next Steps\"\nsession = 11\n+++\nThe body.\n"
	write("day-3/11-next-steps.md", page)
	tr := write("day-3/11-next-steps.es.md", "+++\ntitle = \"Próximos pasos\"\n+++\nEl cuerpo.\n")
	sum, err := MarkCurrent(tr)
	if err != nil {
		t.Fatal(err)
	}
	src := content.Parse("content/day-3/11-next-steps.md", []byte(page), &diag.List{})
	want, _ := src.TextHash(nil)
	if sum != want {
		t.Errorf("marked %q, the page's text hash is %q", sum, want)
	}
	data, _ := os.ReadFile(tr)
	if !strings.Contains(string(data), "source_hash = \""+want+"\"\n+++\nEl cuerpo.") {
		t.Errorf("the translation reads:\n%s", data)
	}
	if again, err := MarkCurrent(tr); err != nil || again != sum {
		t.Errorf("marked again: %q, %v", again, err)
	}
	if after, _ := os.ReadFile(tr); string(after) != string(data) {
		t.Errorf("marking again changed the file:\n%s", after)
	}
	for _, f := range []string{
		write("day-3/12-none.es.md", "+++\ntitle = \"Nada\"\n+++\n"),
		filepath.Join(dir, "content", "day-3", "11-next-steps.md"),
		filepath.Join(dir, "elsewhere.es.md"),
	} {
		if _, err := MarkCurrent(f); !errors.Is(err, ErrUsage) {
			t.Errorf("%s: %v, want a usage error", f, err)
		}
	}
}
