package render

import "bytes"

// MinifyJS returns a script without its comment lines, its indentation and
// its blank lines, as the site publishes it: the default theme's scripts
// are read with their comments, and a page loads them without. It changes
// nothing else: a line with code keeps all of it, a comment after the code
// included, and the line break after it, so that automatic semicolons fall
// where they did. A line whose first characters are // is a comment
// whatever comes before it (a string or a regular expression cannot span
// lines), or a line inside a /* */ comment, which it may leave but for
// the one that ends the comment. A script that may hold a line break
// inside a literal (a template literal, a string continued on the next
// line) is published as it is.
func MinifyJS(src []byte) []byte {
	if bytes.IndexByte(src, '`') >= 0 {
		return src
	}
	lines := bytes.Split(src, []byte("\n"))
	for _, l := range lines {
		if bytes.HasSuffix(bytes.TrimRight(l, " \t\r"), []byte(`\`)) {
			return src
		}
	}
	out := make([]byte, 0, len(src))
	for _, l := range lines {
		l = bytes.Trim(l, " \t\r\f\v")
		if len(l) == 0 || bytes.HasPrefix(l, []byte("//")) && !bytes.Contains(l, []byte("*/")) {
			continue
		}
		out = append(out, l...)
		out = append(out, '\n')
	}
	return out
}
