package render

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMarkWriter: the last writer of an edition drops the marks and records
// each section's place; a build from the cache that keeps sections gets the
// same bytes as one that writes them all, and the places again.
func TestMarkWriter(t *testing.T) {
	sections := []string{"<section>one</section>", "<section>two, longer</section>", "<section>three</section>"}
	write := func(w *markWriter, parts []string) {
		for _, p := range parts {
			// In small writes, so marks fall across them.
			for len(p) > 0 {
				n := min(len(p), 5)
				if _, err := w.Write([]byte(p[:n])); err != nil {
					t.Fatal(err)
				}
				p = p[n:]
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	whole := func(secs []string) []string {
		parts := []string{"<head>"}
		for i, s := range secs {
			parts = append(parts, "\n  ", markStart+"p"+string(rune('a'+i))+markClose, s, markEnd)
		}
		return append(parts, "\n</body> <!--fc:trainers--> kept as it is")
	}
	var first bytes.Buffer
	mw := newMarkWriter(&first, nil, nil, nil)
	write(mw, whole(sections))
	want := "<head>\n  " + strings.Join(sections, "\n  ") + "\n</body> <!--fc:trainers--> kept as it is"
	if first.String() != want {
		t.Fatalf("written:\n%s\nwant:\n%s", first.String(), want)
	}
	for i, s := range sections {
		sp := mw.state.Spans["p"+string(rune('a'+i))]
		if got := first.String()[sp.Start:sp.End]; got != s {
			t.Errorf("section %d is recorded at %v: %q", i, sp, got)
		}
	}
	// The second build keeps the first and last sections and writes the
	// second anew, longer.
	name := filepath.Join(t.TempDir(), "old.html")
	if err := os.WriteFile(name, first.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	old, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	keep := map[string]Span{"pa": mw.state.Spans["pa"], "pc": mw.state.Spans["pc"]}
	if g := mw.state.Glue["pa"]; g != "\n  " {
		t.Errorf("the glue after pa is recorded as %q", g)
	}
	changed := "<section>two, now much longer</section>"
	again := func(glue map[string]string, between string) (*markWriter, string) {
		var second bytes.Buffer
		mw2 := newMarkWriter(&second, old, keep, glue)
		write(mw2, []string{"<head>", "\n  ", markKeep + "pa" + markClose, between, markStart + "pb" + markClose, changed, markEnd,
			"\n  ", markKeep + "pc" + markClose, "\n</body> <!--fc:trainers--> kept as it is"})
		return mw2, second.String()
	}
	want2 := strings.Replace(want, sections[1], changed, 1)
	// With the glue recorded, without it (read from the old file), and
	// with other glue written after a kept piece than the old file holds.
	mw2, got := again(mw.state.Glue, "\n  ")
	if got != want2 {
		t.Fatalf("written again:\n%s\nwant:\n%s", got, want2)
	}
	if _, got := again(nil, "\n  "); got != want2 {
		t.Fatalf("written again without the glue:\n%s\nwant:\n%s", got, want2)
	}
	if _, got := again(mw.state.Glue, "\n<hr>\n  "); got != strings.Replace(want2, "\n  <section>two", "\n<hr>\n  <section>two", 1) {
		t.Fatalf("written again with other glue:\n%s", got)
	}
	second := bytes.NewBufferString(got)
	for _, k := range []string{"pa", "pb", "pc"} {
		sp := mw2.state.Spans[k]
		got := second.String()[sp.Start:sp.End]
		if !strings.HasPrefix(got, "<section>") || !strings.HasSuffix(got, "</section>") {
			t.Errorf("section %s is recorded at %v: %q", k, sp, got)
		}
	}
}
