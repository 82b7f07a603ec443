package render

import (
	"os"
	"path/filepath"
	"testing"
)

func TestMinifyCSS(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"a {\n  color: red;\n  margin: 0 auto;\n}\n", "a{color:red;margin:0 auto}"},
		{"/* note */\n.a, .b > .c {\n  x: 1 }", ".a, .b > .c{x:1}"},
		{`a::after { content: "  /* kept */  ; } " }`, `a::after{content:"  /* kept */  ; } "}`},
		{"a { background: url( data:image/svg+xml;utf8,<svg  a='1'> ) }", "a{background:url( data:image/svg+xml;utf8,<svg  a='1'> )}"},
		{"@media (min-width: 64rem) and (max-width: 80rem) {\n  a { b: c }\n}", "@media (min-width:64rem) and (max-width:80rem){a{b:c}}"},
		{"a { width: calc(100% - 2rem) }", "a{width:calc(100% - 2rem)}"},
		{"a/**/b", "a b"},
		{".a/**/.b", ".a.b"},
		{`a { content: "\"" }`, `a{content:"\""}`},
		{`.x\:y { a: b }`, `.x\:y{a:b}`},
		// A space before a colon is a descendant in a selector; after an
		// escaped colon, it is one too.
		{`div :first-child, .x\: .y { a: rgb(0, 0, 0) }`, `div :first-child, .x\: .y{a:rgb(0, 0, 0)}`},
		{"a { b: c !important; }", "a{b:c !important}"},
		{"/* unclosed", ""},
		{"a { content: 'open", "a{content:'open"},
	} {
		if got := string(MinifyCSS([]byte(c.in))); got != c.want {
			t.Errorf("MinifyCSS(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// The theme's stylesheet minified once is minified: nothing is left to
// take out, and nothing a second pass would change.
func TestMinifyThemeCSS(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "themes", "default", "static", "css", "flipchart.css"))
	if err != nil {
		t.Fatal(err)
	}
	once := MinifyCSS(src)
	if twice := MinifyCSS(once); string(twice) != string(once) {
		t.Error("minifying the minified stylesheet changes it")
	}
	if len(once) > len(src)*3/4 {
		t.Errorf("flipchart.css: %d bytes minified of %d", len(once), len(src))
	}
	t.Logf("flipchart.css: %d bytes, %d minified", len(src), len(once))
}
