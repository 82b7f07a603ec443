package build_test

import (
	"bytes"
	"flag"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"flipchart/generator/build"
	"flipchart/generator/internal/sitetest"
	"flipchart/generator/publish"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden from this build")

// TestGoldenSession11 builds the repository's demo curriculum in memory and
// compares its Session 11 page with testdata/golden/session-11.html. After a
// deliberate change to the output (a theme restyle, say), regenerate it with
//
//	go test ./generator/build -run Golden -update
//
// and read the diff before committing it.
func TestGoldenSession11(t *testing.T) {
	out := publish.NewMemory()
	res := build.Render(os.DirFS("../.."), out, build.Options{})
	if err := res.Err(); err != nil {
		t.Fatalf("building the demo:\n%v", err)
	}
	// The page in each of the demo's languages.
	for _, c := range []struct{ page, golden string }{
		{"day-3/11-next-steps/index.html", "session-11.html"},
		{"es/day-3/11-next-steps/index.html", "session-11.es.html"},
		{"ar/day-3/11-next-steps/index.html", "session-11.ar.html"},
	} {
		checkGolden(t, out, c.page, filepath.Join("testdata", "golden", c.golden))
	}
	got, _ := out.Get("day-3/11-next-steps/index.html")

	// Whatever the markup, the page must carry the whole session guide: every
	// sentence of the source's objectives, adaptation notes, key explanation
	// points and facilitation notes (shared/seeds/session-11-next-steps.txt).
	text := plainText(string(got))
	for _, sentence := range session11Sentences {
		if !strings.Contains(text, normQuotes(sentence)) {
			t.Errorf("the Session 11 page lacks %q", sentence)
		}
	}
}

// checkGolden compares the page of the site in out with its golden file,
// or writes the file with -update.
func checkGolden(t *testing.T, out *publish.Memory, page, golden string) {
	t.Helper()
	got, ok := out.Get(page)
	if !ok {
		t.Fatalf("the demo has no %s; pages: %v", page, out.Names())
	}
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", golden)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run `go test ./generator/build -run Golden -update` to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s:\n%s\nIf the change is intended, run `go test ./generator/build -run Golden -update`.",
			page, golden, firstDiff(string(want), string(got)))
	}
}

var session11Sentences = []string{
	// Session objectives.
	"to discuss specific ‘next steps’ that individuals and/or organisations will take to implement their integrated security strategies",
	"to consolidate, and commit to, acting on next steps",
	// Adaptation notes.
	"For some groups, the ‘next steps’ discussion may be focused specifically on their individual and organisational strategies.",
	"However, in some cases, a group of human rights defenders may want to use part of this brainstorming process to also develop key ‘advocacy’ points to take to international and regional actors (for example, at conferences or in individual advocacy meetings).",
	"In addition, this can also be used as a tool to discuss how to increase solidarity between human rights movements as a key integrated security strategy.",
	"If Session 9: Recommendations is replaced with an alternate session, this Session can instead be used as a forum for a shorter discussion of recommendations.",
	// Key explanation points.
	"Facilitators ask participants to brainstorm concrete ‘next steps’ that they will take, individually and organisationally, to implement key integrated security strategies.",
	"These next steps can be divided up into ‘internal’ actions (i.e. what individuals and organisations will do themselves) and ‘external’ actions (i.e. what international human rights organisations and donors can do to support participants’ security and well-being).",
	"This is also a consolidation of the Session 9: Recommendations process, where some key points from this discussion can be drawn into the brainstorm.",
	// Facilitation notes.
	"This is an important process to begin closing the workshop, and to leave participants with a sense of clear commitment and focus on their security and well-being.",
	"Keep the ‘next steps’ actions specific and achievable.",
	"The brainstorm notes can be written up and sent out (securely) to participants if appropriate.",
}

var (
	tagRE   = regexp.MustCompile(`(?s)<!--.*?-->|<[^>]*>`)
	spaceRE = regexp.MustCompile(`[\s\x{00a0}]+`) // a no-break space reads as one
)

// plainText is the text a reader sees: tags dropped, entities decoded,
// typographer quotes made straight and white space collapsed.
func plainText(page string) string {
	if i := strings.Index(page, "<body"); i >= 0 {
		page = page[i:]
	}
	page = tagRE.ReplaceAllString(page, "") // "<a>Session 9</a>:" reads "Session 9:"
	page = html.UnescapeString(page)
	page = spaceRE.ReplaceAllString(page, " ")
	return normQuotes(page)
}

func normQuotes(s string) string {
	return strings.NewReplacer("‘", "'", "’", "'", "“", `"`, "”", `"`).Replace(s)
}

// firstDiff shows the first line where want and got differ.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n  golden: %s\n  built:  %s", i+1, wl, gl)
		}
	}
	return "(the files differ only in their last newline)"
}

// TestOneBuildSameAsMemory builds the demo twice: into a folder, as
// `flipchart build` does (each page's Markdown dropped once rendered, the
// guide's and the participants' editions written while the pages render),
// and into memory, as the dev server does (bodies kept, editions made after
// the pages). The two sites must be the same file for file, byte for byte.
func TestOneBuildSameAsMemory(t *testing.T) {
	if n := sameBuilds(t, "../.."); n < 40 {
		t.Errorf("only %d files compared", n)
	}
	// An agenda first in reading order: its sections, made on their own in
	// the first round, come before every other page's.
	files := map[string]string{"content/agenda.md": "+++\ntitle = \"Plan\"\ntype = \"agenda\"\nweight = -1\n[[days]]\ntitle = \"Day\"\nstart = \"09:00\"\nsessions = [1]\n+++\nThe plan, with [a link](day-1/01-start.md).\n"}
	for n, f := range parseTxtar(minimal) {
		files[n] = string(f.Data)
	}
	dir := sitetest.New(t, files)
	sameBuilds(t, dir)
	if b, err := os.ReadFile(filepath.Join(dir, "public", "print", "index.html")); err != nil || !bytes.Contains(b, []byte(`href="#p-day-1-01-start"`)) {
		t.Errorf("the agenda's link is not an anchor in the edition (%v):\n%s", err, b)
	}
}

// A print template written before print-page, which writes each item's
// body itself, still gets the bodies in a build into a folder.
func TestOneBuildPrintWithoutSections(t *testing.T) {
	files := map[string]string{"layouts/print.html": `{{ define "main" }}{{ range .Print }}<section id="{{ .Anchor }}">{{ .Body }}</section>{{ end }}{{ end }}`}
	for n, f := range parseTxtar(minimal) {
		files[n] = string(f.Data)
	}
	dir := sitetest.New(t, files)
	sameBuilds(t, dir)
	b, err := os.ReadFile(filepath.Join(dir, "public", "print", "index.html"))
	if err != nil || !bytes.Contains(b, []byte("The body of the first session.")) {
		t.Errorf("the edition lacks the session's body (%v):\n%s", err, b)
	}
}

// sameBuilds builds the site in dir into memory and into dir/public, checks
// they are the same, and returns how many files it compared.
func sameBuilds(t *testing.T, dir string) int {
	t.Helper()
	mem := publish.NewMemory()
	if err := build.Render(os.DirFS(dir), mem, build.Options{}).Err(); err != nil {
		t.Fatalf("building %s in memory:\n%v", dir, err)
	}
	dest := filepath.Join(dir, "public")
	if dir == "../.." {
		dest = filepath.Join(t.TempDir(), "public")
	}
	if _, err := build.ToDir(dir, dest, build.Options{}); err != nil {
		t.Fatalf("building %s into a folder:\n%v", dir, err)
	}
	onDisk := map[string]bool{}
	err := filepath.WalkDir(dest, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dest, p)
		name := filepath.ToSlash(rel)
		onDisk[name] = true
		got, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		want, ok := mem.Get(name)
		if !ok {
			t.Errorf("%s is built into the folder only", name)
		} else if !bytes.Equal(got, want) {
			t.Errorf("%s differs between the two builds:\n%s", name, firstDiff(string(want), string(got)))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range mem.Names() {
		if !onDisk[name] {
			t.Errorf("%s is built into memory only", name)
		}
	}
	return len(onDisk)
}

// A one-shot build whose pages or editions fail to render reports it and
// ends: the editions written while the pages render never wait for a page
// that failed.
func TestOneBuildFailingTemplatesEnd(t *testing.T) {
	for name, layout := range map[string]string{
		"layouts/print.html": `{{ define "main" }}{{ range .Print }}{{ .Section }}{{ end }}{{ end }}
{{ define "print-page" }}{{ .Item.Page.Nope }}{{ end }}`,
		"layouts/session.html": `{{ define "main" }}{{ .Page.Nope }}{{ end }}`,
		"layouts/agenda.html":  `{{ define "main" }}{{ .Page.Nope }}{{ end }}`,
	} {
		t.Run(name, func(t *testing.T) {
			files := map[string]string{name: layout, "content/agenda.md": "+++\ntitle = \"Plan\"\ntype = \"agenda\"\n[[days]]\ntitle = \"Day\"\nstart = \"09:00\"\nsessions = [1]\n+++\nThe plan.\n"}
			for n, f := range parseTxtar(minimal) {
				files[n] = string(f.Data)
			}
			dir := sitetest.New(t, files)
			dest := filepath.Join(dir, "public")
			_, err := build.ToDir(dir, dest, build.Options{})
			if err == nil || !strings.Contains(err.Error(), "Nope") || strings.Contains(err.Error(), "content/") {
				t.Fatalf("want an error about .Nope alone, got %v", err)
			}
			if _, err := os.Stat(dest); !os.IsNotExist(err) {
				t.Errorf("a failed build left %s: %v", dest, err)
			}
		})
	}
}
