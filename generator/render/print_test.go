package render

import (
	"strings"
	"testing"

	"flipchart/generator/links"
)

// One rewrite serves both editions: IDs and links within the edition become
// in-page anchors, and links out of it stay from the site's root until the
// links stage makes them relative to each edition's file.
func TestRewriteForPrintBothEditions(t *testing.T) {
	anchors := map[string]string{"day-1/02-two/": "p-day-1-02-two", "day-1/01-one/": "p-day-1-01-one"}
	body := []byte(`<h2 id="steps">Steps</h2><p><a href="#steps">up</a> <a href="/day-1/01-one/index.html#goal">one</a> ` +
		`<a href="https://example.org/?a=1&amp;b=2">out</a> <img src="/img/x.png" alt=""> <a href="/worksheets/2-plan/index.html">sheet</a></p>`)
	rw := rewriteForPrint(body, "p-day-1-02-two", anchors)
	sec := splice([]byte(`<section>`+bodyMark+`</section>`), rw)
	want := `<section><h2 id="p-day-1-02-two--steps">Steps</h2><p><a href="#p-day-1-02-two--steps">up</a> <a href="#p-day-1-01-one--goal">one</a> ` +
		`<a href="https://example.org/?a=1&amp;b=2">out</a> <img src="/img/x.png" alt=""> <a href="/worksheets/2-plan/index.html">sheet</a></p></section>`
	if sec != want {
		t.Errorf("section:\n got %s\nwant %s", sec, want)
	}
	for file, want := range map[string]string{
		"print/index.html":              `<img src="../img/x.png" alt=""> <a href="../worksheets/2-plan/index.html">sheet</a>`,
		"print/participants/index.html": `<img src="../../img/x.png" alt=""> <a href="../../worksheets/2-plan/index.html">sheet</a>`,
	} {
		got := string(links.NewIndex().Rewrite(file, []byte(sec), nil))
		if !strings.Contains(got, want) {
			t.Errorf("%s:\n got %s\nwant it to hold %s", file, got, want)
		}
	}
	if got := splice([]byte("<p>no body</p>"), rw); got != "<p>no body</p>" {
		t.Errorf("a section without the body mark changed: %s", got)
	}
}
