package pdf

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// TestSplit cuts a page into parts: each has the page's beginning and end
// and a run of the elements that may start a part, all of them once, in
// order; a short page is not cut; the links' targets are listed once.
func TestSplit(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<!doctype html><html><head><title>T</title></head><body><main><article>` + "\n")
	b.WriteString(`<nav data-fc-part><a href="#s1">1</a> <a href="#s1">again</a></nav>` + "\n")
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&b, `<section id="s%d" data-fc-part><h2>Section %d</h2><section class="ex"><p>%s</p></section><a href="#s%d--fn:1">x</a></section>`+"\n", i, i, strings.Repeat("text ", 40), i)
		if i%7 == 0 {
			fmt.Fprintf(&b, "<section id=\"t%d\"><p>flows on from section %d</p></section>\n", i, i)
		}
	}
	b.WriteString("</article></main><script src=\"a.js\"></script></body></html>\n")
	page := b.String()

	parts, linked, places := split([]byte(page), 2000)
	if len(parts) < 4 {
		t.Fatalf("%d parts of a page of %d bytes, want 4 or more", len(parts), len(page))
	}
	head, tail := page[:strings.Index(page, "<nav")], page[strings.LastIndex(page, "</section>")+len("</section>"):]
	var joined strings.Builder
	for i, p := range parts {
		s := string(p)
		if !strings.HasPrefix(s, head) || !strings.HasSuffix(s, tail) {
			t.Errorf("part %d lacks the page's beginning or end", i)
			continue
		}
		joined.WriteString(s[len(head) : len(s)-len(tail)])
		if i > 0 && !strings.HasPrefix(s[len(head):], "<section id=\"s") {
			t.Errorf("part %d starts with %.40q, not an element that starts a part", i, s[len(head):])
		}
	}
	if want := page[len(head) : len(page)-len(tail)]; joined.String() != want {
		t.Errorf("the parts do not hold the page's elements once each, in order: %d bytes, want %d", joined.Len(), len(want))
	}
	if want := []string{"s1"}; !reflect.DeepEqual(linked[:1], want) || len(linked) != 31 {
		t.Errorf("linked = %v, want s1 and each section's footnote once", linked)
	}

	if f := places["s16"]; f < 0.45 || f > 0.55 {
		t.Errorf("section 16 of 30 is at %.2f of the page, want about half way", f)
	}
	if parts, _, _ := split([]byte(page), 1<<20); parts != nil {
		t.Errorf("a page of %d bytes is cut into %d parts of 1 MB", len(page), len(parts))
	}
	if parts, _, _ := split([]byte("<p>no parts</p>"), 10); parts != nil {
		t.Errorf("a page without data-fc-part is cut")
	}
	if parts, _, _ := split([]byte(`<div data-fc-part><p>unclosed`+strings.Repeat("x", 100)), 10); parts != nil {
		t.Errorf("a page whose part is not closed is cut")
	}
}

func TestOutlineOf(t *testing.T) {
	got := outlineOf([][3]any{
		{1.0, "Contents", "toc"}, {1.0, "Day 1", "d1"}, {2.0, "Session 1", "s1"}, {3.0, "Exercise", "e1"},
		{2.0, "Session 2", "s2"}, {1.0, "About", "about"}, {3.0, "Deep", "deep"},
	})
	want := []OutlineItem{
		{Title: "Contents", Dest: "toc"},
		{Title: "Day 1", Dest: "d1", Kids: []OutlineItem{
			{Title: "Session 1", Dest: "s1", Kids: []OutlineItem{{Title: "Exercise", Dest: "e1"}}},
			{Title: "Session 2", Dest: "s2"},
		}},
		{Title: "About", Dest: "about", Kids: []OutlineItem{{Title: "Deep", Dest: "deep"}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("outlineOf:\n got %+v\nwant %+v", got, want)
	}
}

func TestDestID(t *testing.T) {
	for name, id := range map[string]string{
		"p-day-1": "p-day-1", "p-x--fn#253A1": "p-x--fn:1", "caf#C3#A9": "café", "a#2": "a#2",
	} {
		if got := destID(name); got != id {
			t.Errorf("destID(%q) = %q, want %q", name, got, id)
		}
	}
}
