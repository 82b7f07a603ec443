package render

import "testing"

func TestMinifyJS(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"comment lines, indentation and blank lines go",
			"// a script\n(function () {\n  \"use strict\";\n\n  // why\n  var a = 1;   // kept after code\n\t\tf(a);\r\n})();\n",
			"(function () {\n\"use strict\";\nvar a = 1;   // kept after code\nf(a);\n})();\n"},
		{"a line break between two lines of code stays",
			"var a = b\n  // a comment between\n(c)\nreturn\n\n  x\n",
			"var a = b\n(c)\nreturn\nx\n"},
		{"inside a block comment, the line that ends it stays",
			"/* a\n  // b */ var c = 1;\n",
			"/* a\n// b */ var c = 1;\n"},
		{"strings and regular expressions are code",
			"var s = \"// not a comment\";\n  /\\/\\/ x/.test(s);\n",
			"var s = \"// not a comment\";\n/\\/\\/ x/.test(s);\n"},
		{"no final line break",
			"f()\n  // end", "f()\n"},
		{"a template literal: as it is",
			"var s = `a\n  // b`;\n", "var s = `a\n  // b`;\n"},
		{"a string continued on the next line: as it is",
			"var s = \"a\\\n  // b\";\n", "var s = \"a\\\n  // b\";\n"},
	} {
		if got := string(MinifyJS([]byte(c.in))); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}
