package render

// MinifyCSS returns a stylesheet without its comments and the white space
// it does not need, as the site publishes it: the default theme's
// stylesheets are read with their comments, and a page loads them without.
// It changes nothing else: strings and url(…) are copied as they are, one
// space stays wherever white space separated two tokens but around braces
// and semicolons, and a block's last semicolon goes.
func MinifyCSS(src []byte) []byte {
	out := make([]byte, 0, len(src))
	space := false // white space, or a comment, since the last byte written
	// No space is needed after these; after a colon none changes the
	// meaning (a space before one does, in a selector, and so does one
	// after an escaped colon).
	tight := func() bool {
		n := len(out)
		return n == 0 || isCSSPunct(out[n-1]) || out[n-1] == ':' && (n < 2 || out[n-2] != '\\')
	}
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := indexAt(src, i+2, "*/")
			if end < 0 {
				i = len(src)
			} else {
				i = end + 2
			}
			// A comment between two words keeps them apart.
			if len(out) > 0 && i < len(src) && isCSSWord(out[len(out)-1]) && isCSSWord(src[i]) {
				space = true
			}
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			space = true
			i++
		case c == '"' || c == '\'':
			if space && !tight() {
				out = append(out, ' ')
			}
			space = false
			end := stringEnd(src, i)
			out = append(out, src[i:end]...)
			i = end
		case (c == 'u' || c == 'U') && i+4 <= len(src) && equalFold(src[i:i+4], "url(") && (i == 0 || !isCSSWord(src[i-1])):
			if space && !tight() {
				out = append(out, ' ')
			}
			space = false
			end := i + 4
			for end < len(src) && src[end] != ')' {
				if src[end] == '"' || src[end] == '\'' {
					end = stringEnd(src, end)
					continue
				}
				if src[end] == '\\' {
					end++
				}
				end++
			}
			end = min(end+1, len(src))
			out = append(out, src[i:end]...)
			i = end
		case isCSSPunct(c):
			if c == '}' && len(out) > 0 && out[len(out)-1] == ';' {
				out = out[:len(out)-1]
			}
			out = append(out, c)
			space = false
			i++
		default:
			if space && !tight() {
				out = append(out, ' ')
			}
			space = false
			if c == '\\' && i+1 < len(src) {
				out = append(out, c)
				i++
				c = src[i]
			}
			out = append(out, c)
			i++
		}
	}
	return out
}

// isCSSPunct reports whether c needs no space on either side. (Not a
// comma: a custom property keeps the spaces of its value, and a value
// read from it keeps them too.)
func isCSSPunct(c byte) bool { return c == '{' || c == '}' || c == ';' }

// isCSSWord reports whether c may be part of a name or number.
func isCSSWord(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c >= 0x80
}

// stringEnd is the index after the string that starts at i (its quote),
// escapes included; the end of src for one not closed.
func stringEnd(src []byte, i int) int {
	q := src[i]
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			j++
		case q, '\n':
			return j + 1
		}
	}
	return len(src)
}

// indexAt is the index of s in b at or after i, or -1.
func indexAt(b []byte, i int, s string) int {
	for j := i; j+len(s) <= len(b); j++ {
		if string(b[j:j+len(s)]) == s {
			return j
		}
	}
	return -1
}

// equalFold reports whether b is s, ASCII case aside (s in lower case).
func equalFold(b []byte, s string) bool {
	for i := range len(s) {
		c := b[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}
