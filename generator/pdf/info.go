package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"unicode/utf16"
)

// This file reads just enough of a PDF to add metadata to it: the classic
// cross-reference table and trailer that Chromium (Skia) writes, and plain
// dictionaries. It changes a PDF only by appending an incremental update (a
// new document information dictionary, an xref section for it and a new
// trailer), so the bytes that Chromium wrote stay as they were. Anything else,
// such as a cross-reference stream, an encrypted file or a damaged tail, is an
// error rather than a guess.

// document is a parsed PDF: its bytes, its newest trailer and where each
// object that is in use starts.
type document struct {
	data      []byte
	startxref int
	trailer   map[string]string // key (without the slash) → raw value
	offsets   map[int]int       // object number → byte offset
}

// parse reads the trailers and xref tables of a PDF, following /Prev.
func parse(data []byte) (*document, error) {
	i := bytes.LastIndex(data, []byte("startxref"))
	if i < 0 {
		return nil, errors.New("no startxref: not a complete PDF")
	}
	s := &scanner{b: data, p: i + len("startxref")}
	start, err := s.int()
	if err != nil {
		return nil, fmt.Errorf("startxref: %w", err)
	}
	d := &document{data: data, startxref: start, offsets: map[int]int{}}
	seen := map[int]bool{}
	for off := start; ; {
		if seen[off] {
			return nil, fmt.Errorf("xref sections loop at offset %d", off)
		}
		seen[off] = true
		trailer, err := d.section(off)
		if err != nil {
			return nil, err
		}
		if d.trailer == nil {
			d.trailer = trailer
		}
		prev, ok := trailer["Prev"]
		if !ok {
			break
		}
		if off, err = strconv.Atoi(prev); err != nil {
			return nil, fmt.Errorf("trailer /Prev %q is not an offset", prev)
		}
	}
	for _, key := range []string{"Encrypt", "XRefStm"} {
		if _, ok := d.trailer[key]; ok {
			return nil, fmt.Errorf("the PDF's trailer has /%s, which flipchart cannot update", key)
		}
	}
	return d, nil
}

// section reads the classic xref section at off and the trailer after it. An
// entry already known from a newer section wins.
func (d *document) section(off int) (map[string]string, error) {
	if off < 0 || off >= len(d.data) {
		return nil, fmt.Errorf("xref offset %d is outside the file", off)
	}
	if !bytes.HasPrefix(d.data[off:], []byte("xref")) {
		s := &scanner{b: d.data, p: off}
		_, err1 := s.int()
		_, err2 := s.int()
		kw, err3 := s.token()
		if errors.Join(err1, err2, err3) == nil && kw == "obj" {
			if dict, err := s.dict(); err == nil && dict["Type"] == "/XRef" {
				return nil, errors.New("the PDF has a cross-reference stream (PDF 1.5), which flipchart cannot update")
			}
		}
		return nil, fmt.Errorf("no xref table at offset %d", off)
	}
	s := &scanner{b: d.data, p: off + len("xref")}
	for {
		s.space()
		if bytes.HasPrefix(s.rest(), []byte("trailer")) {
			s.p += len("trailer")
			return s.dict()
		}
		first, err1 := s.int()
		count, err2 := s.int()
		if err := errors.Join(err1, err2); err != nil {
			return nil, fmt.Errorf("xref subsection at offset %d: %w", s.p, err)
		}
		for n := first; n < first+count; n++ {
			pos, err1 := s.int()
			_, err2 := s.int()
			kind, err3 := s.token()
			if err := errors.Join(err1, err2, err3); err != nil || (kind != "n" && kind != "f") {
				return nil, fmt.Errorf("xref entry for object %d is damaged", n)
			}
			if _, ok := d.offsets[n]; !ok && kind == "n" {
				d.offsets[n] = pos
			}
		}
	}
}

// object returns the dictionary of the indirect object that ref ("12 0 R")
// points at.
func (d *document) object(ref string) (map[string]string, error) {
	r := &scanner{b: []byte(ref)}
	num, err1 := r.int()
	gen, err2 := r.int()
	kw, err3 := r.token()
	if errors.Join(err1, err2, err3) != nil || kw != "R" || r.p != len(r.b) {
		return nil, fmt.Errorf("%q is not a reference", ref)
	}
	off, ok := d.offsets[num]
	if !ok || off >= len(d.data) {
		return nil, fmt.Errorf("object %d is not in the xref table", num)
	}
	s := &scanner{b: d.data, p: off}
	n, err1 := s.int()
	g, err2 := s.int()
	kw, err3 = s.token()
	if errors.Join(err1, err2, err3) != nil || n != num || g != gen || kw != "obj" {
		return nil, fmt.Errorf("the xref table points object %d at offset %d, which does not start it", num, off)
	}
	return s.dict()
}

// pages returns the page count of the document's page tree.
func (d *document) pages() (int, error) {
	root, err := d.object(d.trailer["Root"])
	if err != nil {
		return 0, fmt.Errorf("catalog: %w", err)
	}
	tree, err := d.object(root["Pages"])
	if err != nil {
		return 0, fmt.Errorf("page tree: %w", err)
	}
	return strconv.Atoi(tree["Count"])
}

// withInfo returns the PDF with an incremental update appended that makes a
// new document information dictionary its /Info: the entries of the old one
// (Producer, CreationDate and so on) with those of set laid over them. A value
// in set is a Go string, which withInfo encodes as a PDF text string.
func (d *document) withInfo(set map[string]string) ([]byte, error) {
	size, err := strconv.Atoi(d.trailer["Size"])
	if err != nil || size <= 0 {
		return nil, fmt.Errorf("trailer /Size %q is not a count", d.trailer["Size"])
	}
	if _, ok := d.trailer["Root"]; !ok {
		return nil, errors.New("trailer has no /Root")
	}
	info := map[string]string{}
	if ref, ok := d.trailer["Info"]; ok {
		if info, err = d.object(ref); err != nil {
			return nil, fmt.Errorf("old /Info: %w", err)
		}
	}
	for k, v := range set {
		info[k] = textString(v)
	}

	var b bytes.Buffer
	b.Write(d.data)
	if !bytes.HasSuffix(d.data, []byte("\n")) {
		b.WriteByte('\n')
	}
	obj := b.Len()
	fmt.Fprintf(&b, "%d 0 obj\n<<", size)
	for _, k := range slices.Sorted(maps.Keys(info)) {
		fmt.Fprintf(&b, "/%s %s\n", k, info[k])
	}
	b.WriteString(">>\nendobj\n")
	xref := b.Len()
	// Each xref entry is exactly 20 bytes, its end of line being " \n".
	fmt.Fprintf(&b, "xref\n%d 1\n%010d 00000 n \n", size, obj)
	fmt.Fprintf(&b, "trailer\n<</Size %d /Root %s /Info %d 0 R /Prev %d", size+1, d.trailer["Root"], size, d.startxref)
	if id, ok := d.trailer["ID"]; ok {
		fmt.Fprintf(&b, " /ID %s", id)
	}
	fmt.Fprintf(&b, ">>\nstartxref\n%d\n%%%%EOF\n", xref)
	return b.Bytes(), nil
}

// textString encodes s as a PDF text string: a literal string when it is
// printable ASCII, else UTF-16BE with a byte order mark, in hex.
func textString(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		ascii = ascii && s[i] >= 0x20 && s[i] < 0x7f
	}
	if ascii {
		var b bytes.Buffer
		b.WriteByte('(')
		for i := 0; i < len(s); i++ {
			if s[i] == '(' || s[i] == ')' || s[i] == '\\' {
				b.WriteByte('\\')
			}
			b.WriteByte(s[i])
		}
		b.WriteByte(')')
		return b.String()
	}
	b := []byte("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		b = fmt.Appendf(b, "%04X", u)
	}
	return string(append(b, '>'))
}

// scanner reads PDF tokens and objects from b at p.
type scanner struct {
	b []byte
	p int
}

func (s *scanner) rest() []byte { return s.b[s.p:] }

func isSpace(c byte) bool { return bytes.IndexByte([]byte("\x00\t\n\f\r "), c) >= 0 }

func isDelim(c byte) bool { return bytes.IndexByte([]byte("()<>[]{}/%"), c) >= 0 }

// space skips white space and comments.
func (s *scanner) space() {
	for s.p < len(s.b) {
		switch c := s.b[s.p]; {
		case isSpace(c):
			s.p++
		case c == '%':
			for s.p < len(s.b) && s.b[s.p] != '\n' && s.b[s.p] != '\r' {
				s.p++
			}
		default:
			return
		}
	}
}

// token reads a regular token: a number, keyword or the like.
func (s *scanner) token() (string, error) {
	s.space()
	start := s.p
	for s.p < len(s.b) && !isSpace(s.b[s.p]) && !isDelim(s.b[s.p]) {
		s.p++
	}
	if s.p == start {
		return "", fmt.Errorf("expected a token at offset %d", start)
	}
	return string(s.b[start:s.p]), nil
}

// int reads a non-negative integer.
func (s *scanner) int() (int, error) {
	t, err := s.token()
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(t)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("expected a number, found %q", t)
	}
	return n, nil
}

// dict reads a dictionary and returns its entries as raw PDF text.
func (s *scanner) dict() (map[string]string, error) {
	s.space()
	if !bytes.HasPrefix(s.rest(), []byte("<<")) {
		return nil, fmt.Errorf("expected a dictionary at offset %d", s.p)
	}
	s.p += 2
	m := map[string]string{}
	for {
		s.space()
		if bytes.HasPrefix(s.rest(), []byte(">>")) {
			s.p += 2
			return m, nil
		}
		if s.p >= len(s.b) || s.b[s.p] != '/' {
			return nil, fmt.Errorf("expected a name in the dictionary at offset %d", s.p)
		}
		s.p++
		key, err := s.token()
		if err != nil {
			return nil, err
		}
		s.space()
		start := s.p
		if err := s.skip(); err != nil {
			return nil, err
		}
		m[key] = string(s.b[start:s.p])
	}
}

// skip moves past one object: a string, name, array, dictionary, number,
// keyword or reference ("12 0 R").
func (s *scanner) skip() error {
	s.space()
	if s.p >= len(s.b) {
		return errors.New("unexpected end of the PDF")
	}
	switch r := s.rest(); {
	case bytes.HasPrefix(r, []byte("<<")):
		_, err := s.dict()
		return err
	case r[0] == '<':
		end := bytes.IndexByte(r, '>')
		if end < 0 {
			return errors.New("unterminated hex string")
		}
		s.p += end + 1
	case r[0] == '(':
		depth := 0
		for i := 0; i < len(r); i++ {
			switch r[i] {
			case '\\':
				i++
			case '(':
				depth++
			case ')':
				if depth--; depth == 0 {
					s.p += i + 1
					return nil
				}
			}
		}
		return errors.New("unterminated string")
	case r[0] == '[':
		s.p++
		for s.space(); s.p < len(s.b) && s.b[s.p] != ']'; s.space() {
			if err := s.skip(); err != nil {
				return err
			}
		}
		if s.p >= len(s.b) {
			return errors.New("unterminated array")
		}
		s.p++
	case r[0] == '/':
		s.p++
		for s.p < len(s.b) && !isSpace(s.b[s.p]) && !isDelim(s.b[s.p]) {
			s.p++
		}
	default:
		t, err := s.token()
		if err != nil {
			return err
		}
		// A reference is two numbers and R; anything else is one token.
		if _, err := strconv.Atoi(t); err == nil {
			save := s.p
			if _, err := s.int(); err == nil {
				if r, err := s.token(); err == nil && r == "R" {
					return nil
				}
			}
			s.p = save
		}
	}
	return nil
}
