package search

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strconv"

	"flipchart/generator/i18n"
	"flipchart/generator/site"
)

// The files' forms. Each is a script that hands its data to
// flipchartSearch (see search-engine.js in the default theme):
//
//	flipchartSearch.meta({"v":2,"n":…,"per":…,"shards":[…],"fold":{…}});
//	flipchartSearch.add("pr",{"process":"…","program":"…"});
//	flipchartSearch.docs(3,[
//	{…},
//	{…}
//	]);
//
// A shard's terms are letters, numbers and marks only; a document's line
// has no line break in it (writeString escapes them), so the files are
// read back a line or a term at a time.

// shardData writes the terms of one shard, sorted, each with its postings
// in order of document (see appendPostings).
func shardData(b *bytes.Buffer, pre string, terms []newTerm) {
	b.WriteString(`flipchartSearch.add("`)
	b.WriteString(pre)
	b.WriteString(`",{`)
	var enc []byte
	for i, t := range terms {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.WriteString(t.term)
		b.WriteString(`":"`)
		enc = appendPostings(enc[:0], t.ps)
		b.Write(enc)
		b.WriteByte('"')
	}
	b.WriteString("});\n")
}

var errFormat = errors.New("not in the index's form")

// parseShard reads a shard shardData wrote, its documents renumbered by
// renumber (-1: left out); terms left with no document are dropped.
func parseShard(data []byte, renumber []int32) ([]newTerm, error) {
	var out []newTerm
	var ps []uint32
	err := scanShard(data, func(term []byte, postings []byte) error {
		ps = ps[:0]
		if !decodePostings(postings, func(doc int, kind uint8) bool {
			if doc >= len(renumber) {
				return false
			}
			if n := renumber[doc]; n >= 0 {
				ps = append(ps, posting(n, kind))
			}
			return true
		}) {
			return errFormat
		}
		if len(ps) > 0 {
			ps := slices.Clone(ps)
			if !slices.IsSorted(ps) {
				slices.Sort(ps) // pages moved
			}
			out = append(out, newTerm{string(term), ps})
		}
		return nil
	})
	return out, err
}

// shardHolds reports whether a shard shardData wrote has a posting of a
// document of docs, without making its terms.
func shardHolds(data []byte, docs []bool) (bool, error) {
	found := false
	err := scanShard(data, func(_, postings []byte) error {
		if found {
			return nil
		}
		if !decodePostings(postings, func(doc int, _ uint8) bool {
			if doc >= len(docs) {
				return false
			}
			found = found || docs[doc]
			return true
		}) {
			return errFormat
		}
		return nil
	})
	return found, err
}

// scanShard calls fn with each term of a shard and its postings.
func scanShard(data []byte, fn func(term, postings []byte) error) error {
	i := bytes.IndexByte(data, '{')
	if !bytes.HasPrefix(data, []byte(`flipchartSearch.add("`)) || i < 0 || !bytes.HasSuffix(data, []byte("});\n")) || i > len(data)-len("});\n") {
		return errFormat
	}
	body := data[i+1 : len(data)-len("});\n")]
	for len(body) > 0 {
		// "term":"postings", and a comma before the next
		if body[0] != '"' {
			return errFormat
		}
		end := bytes.IndexByte(body[1:], '"') + 1
		if end <= 0 || !bytes.HasPrefix(body[end:], []byte(`":"`)) {
			return errFormat
		}
		term := body[1:end]
		body = body[end+3:]
		end = bytes.IndexByte(body, '"')
		if end < 0 {
			return errFormat
		}
		if err := fn(term, body[:end]); err != nil {
			return err
		}
		body = body[end+1:]
		if len(body) > 0 {
			if body[0] != ',' {
				return errFormat
			}
			body = body[1:]
		}
	}
	return nil
}

// Digits of the postings' numbers, five bits each: a last digit from
// last, one with more after it from more. A term's postings are, for each
// document in order, the number (gap << 3 | kind), gap the distance from
// the document before (from -1 for the first): a term in every document
// takes one character for each.
const (
	lastDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef"
	moreDigits = "ghijklmnopqrstuvwxyz0123456789-_"
)

// appendPostings appends the encoding of ps (see posting) to b.
func appendPostings(b []byte, ps []uint32) []byte {
	prev := int64(-1)
	for _, p := range ps {
		doc := int64(p >> 3)
		b = appendNumber(b, uint64(doc-prev)<<3|uint64(p&7))
		prev = doc
	}
	return b
}

// appendNumber appends v in the digits of the postings, most significant
// first.
func appendNumber(b []byte, v uint64) []byte {
	var tmp [13]byte
	n := len(tmp)
	n--
	tmp[n] = lastDigits[v&31]
	for v >>= 5; v > 0; v >>= 5 {
		n--
		tmp[n] = moreDigits[v&31]
	}
	return append(b, tmp[n:]...)
}

// digit is the value of each postings' digit, with 32 added for a last
// one; 0 for a byte that is none.
var digit = func() (t [256]uint8) {
	for i := range 32 {
		t[moreDigits[i]] = uint8(i) + 64
		t[lastDigits[i]] = uint8(i) + 32
	}
	return t
}()

// DecodePostings reads the postings of one term back: the documents and
// the kinds.
func DecodePostings(s string) (docs []int, kinds []uint8, ok bool) {
	ok = decodePostings([]byte(s), func(doc int, kind uint8) bool {
		docs = append(docs, doc)
		kinds = append(kinds, kind)
		return true
	})
	return docs, kinds, ok
}

// decodePostings calls fn with each posting of s, in order, until fn
// returns false; it reports whether s was read whole and right.
func decodePostings(s []byte, fn func(doc int, kind uint8) bool) bool {
	prev, v, more := -1, uint64(0), false
	for _, c := range s {
		d := digit[c]
		switch {
		case d >= 64:
			v, more = v<<5|uint64(d-64), true
			continue
		case d >= 32:
			v = v<<5 | uint64(d-32)
		default:
			return false
		}
		gap := int(v >> 3)
		if gap == 0 || v>>40 != 0 {
			return false // documents come in order, and are fewer
		}
		prev += gap
		if !fn(prev, uint8(v&7)) {
			return false
		}
		v, more = 0, false
	}
	return !more
}

// writeDoc writes a document's line of the document table: {"u": its
// file, "s": session, "t": title, "m": time, "k": kind, "f": [[kind,
// text], …]}, "s", "m" and "f" only when there are.
func writeDoc(b *bytes.Buffer, p *site.Page, fields []field, words i18n.Lookup) {
	b.WriteString(`{"u":`)
	writeString(b, p.Out)
	if p.Session != 0 {
		b.WriteString(`,"s":`)
		b.WriteString(strconv.Itoa(p.Session))
	}
	b.WriteString(`,"t":`)
	writeString(b, p.Title)
	if t := i18n.Duration(words, p.Time.Min, p.Time.Max); t != "" {
		b.WriteString(`,"m":`)
		writeString(b, t)
	}
	b.WriteString(`,"k":`)
	writeString(b, p.Kind.String())
	for i, f := range fields {
		if i == 0 {
			b.WriteString(`,"f":[`)
		} else {
			b.WriteByte(',')
		}
		b.WriteByte('[')
		b.WriteByte('0' + f.Kind)
		b.WriteByte(',')
		writeString(b, f.Text)
		b.WriteByte(']')
	}
	if len(fields) > 0 {
		b.WriteByte(']')
	}
	b.WriteByte('}')
}

// partData is the file of part n of the document table, of its lines.
func partData(n int, lines [][]byte) []byte {
	size := 32
	for _, l := range lines {
		size += len(l) + 2
	}
	b := appendPartHead(make([]byte, 0, size), n)
	for i, l := range lines {
		if i > 0 {
			b = append(b, ",\n"...)
		}
		b = append(b, l...)
	}
	return append(b, partTail...)
}

// appendPartHead appends the start of part n's file to b.
func appendPartHead(b []byte, n int) []byte {
	b = append(b, "flipchartSearch.docs("...)
	b = strconv.AppendInt(b, int64(n), 10)
	return append(b, ",[\n"...)
}

// partTail ends a part's file.
const partTail = "\n]);\n"

// parsePart reads the lines of part n back from its file.
func parsePart(n int, data []byte) ([][]byte, error) {
	head := appendPartHead(nil, n)
	if !bytes.HasPrefix(data, head) || !bytes.HasSuffix(data, []byte(partTail)) || len(data) < len(head)+len(partTail) {
		return nil, errFormat
	}
	body := data[len(head) : len(data)-len(partTail)]
	lines := bytes.Split(body, []byte(",\n"))
	for _, l := range lines {
		if len(l) == 0 || l[0] != '{' || l[len(l)-1] != '}' {
			return nil, errFormat
		}
	}
	return lines, nil
}

// writeString writes s as a JSON string: quotes, backslashes and control
// characters escaped, the rest as it is (UTF-8; U+2028 and U+2029 are
// valid in a script's strings since ES2019, escaped all the same).
func writeString(b *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		var esc string
		switch {
		case c == '"':
			esc = `\"`
		case c == '\\':
			esc = `\\`
		case c == '\n':
			esc = `\n`
		case c < 0x20:
			esc = `\u00` + string(hex[c>>4]) + string(hex[c&15])
		case c == 0xE2 && i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xA8 || s[i+2] == 0xA9):
			esc = `\u202` + string(hex[s[i+2]&15])
			b.WriteString(s[start:i])
			b.WriteString(esc)
			i += 2
			start = i + 1
			continue
		default:
			continue
		}
		b.WriteString(s[start:i])
		b.WriteString(esc)
		start = i + 1
	}
	b.WriteString(s[start:])
	b.WriteByte('"')
}

// foldSpec is the folding table as the browser's half reads it.
type foldSpec struct {
	Map   map[string]string `json:"map"`
	Strip [][2]rune         `json:"strip"`
}

// metaFile writes search/meta.js.
func metaFile(b *bytes.Buffer, prefixes []string, n int) {
	spec := foldSpec{Map: make(map[string]string, len(folds)), Strip: strips}
	for r, s := range folds {
		spec.Map[string(r)] = s
	}
	b.WriteString("flipchartSearch.meta(")
	writeJSON(b, map[string]any{"v": 2, "n": n, "per": PerPart, "shards": prefixes, "fold": spec})
	b.WriteString(");\n")
}

// writeJSON writes v as JSON without escaping HTML characters (a script
// file is not HTML), and without a newline; map keys are sorted, so the
// files are the same for the same site.
func writeJSON(b *bytes.Buffer, v any) {
	e := json.NewEncoder(b)
	e.SetEscapeHTML(false)
	_ = e.Encode(v) // strings, numbers and maps of them: never fails
	if n := b.Len(); n > 0 && b.Bytes()[n-1] == '\n' {
		b.Truncate(n - 1)
	}
}
