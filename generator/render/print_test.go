package render

import (
	"testing"

	"flipchart/generator/site"
)

func TestHasScheme(t *testing.T) {
	for link, want := range map[string]bool{
		"https://example.org/": true, "mailto:a@b.c": true, "a+b-c.d:x": true,
		"../x/index.html": false, "#top": false, "x.html#a:b": false, "1http:": false, ":x": false, "": false,
	} {
		if got := hasScheme([]byte(link)); got != want {
			t.Errorf("hasScheme(%q) = %v, want %v", link, got, want)
		}
	}
}

// One rewrite serves both editions: IDs and links within the edition are
// the same in both, and links out of it get each edition's root.
func TestRewriteForPrintBothEditions(t *testing.T) {
	p := &site.Page{URL: "day-1/02-two/"}
	anchors := map[string]string{"day-1/02-two/": "p-day-1-02-two", "day-1/01-one/": "p-day-1-01-one"}
	body := []byte(`<h2 id="steps">Steps</h2><p><a href="#steps">up</a> <a href="../01-one/index.html#goal">one</a> ` +
		`<a href="https://example.org/?a=1&amp;b=2">out</a> <img src="../../img/x.png" alt=""> <a href="../../worksheets/2-plan/index.html">sheet</a></p>`)
	rw := rewriteForPrint(body, p, rootMark, "p-day-1-02-two", anchors)
	sec := []byte(`<section>` + bodyMark + `</section>`)
	for root, want := range map[string]string{
		"../": `<section><h2 id="p-day-1-02-two--steps">Steps</h2><p><a href="#p-day-1-02-two--steps">up</a> <a href="#p-day-1-01-one--goal">one</a> ` +
			`<a href="https://example.org/?a=1&amp;b=2">out</a> <img src="../img/x.png" alt=""> <a href="../worksheets/2-plan/index.html">sheet</a></p></section>`,
		"../../": `<section><h2 id="p-day-1-02-two--steps">Steps</h2><p><a href="#p-day-1-02-two--steps">up</a> <a href="#p-day-1-01-one--goal">one</a> ` +
			`<a href="https://example.org/?a=1&amp;b=2">out</a> <img src="../../img/x.png" alt=""> <a href="../../worksheets/2-plan/index.html">sheet</a></p></section>`,
	} {
		if got := splice(sec, rw, root); got != want {
			t.Errorf("root %q:\n got %s\nwant %s", root, got, want)
		}
	}
	if got := splice([]byte("<p>no body</p>"), rw, "../"); got != "<p>no body</p>" {
		t.Errorf("a section without the body mark changed: %s", got)
	}
}
