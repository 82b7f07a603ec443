// Package meta reads TOML documents (config.toml and front matter) into typed
// fields, reporting every problem at the line and column of the value in the
// file it came from. BurntSushi/toml parses; meta adds positions and messages
// a writer can act on, such as `session: expected an integer, got "eleven"`.
package meta

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"flipchart/generator/diag"
)

// Doc is a parsed TOML document and the text it came from.
type Doc struct {
	File string
	// Offset is the number of lines in File before the TOML text starts.
	Offset int
	Data   map[string]any
	lines  []string
}

// Parse decodes text. A syntax error is returned as a diagnostic at its
// position in File.
func Parse(file string, offset int, text string) (*Doc, *diag.Diagnostic) {
	d := &Doc{File: file, Offset: offset, Data: map[string]any{}, lines: strings.Split(text, "\n")}
	if _, err := toml.Decode(text, &d.Data); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			msg := pe.Message
			if pe.LastKey != "" {
				msg = pe.LastKey + ": " + msg
			}
			return nil, diag.Errorf(file, offset+pe.Position.Line, pe.Position.Col, "invalid TOML: %s", msg).
				WithHint("check quotes, commas and brackets near this position; strings need double quotes")
		}
		return nil, diag.Errorf(file, offset+1, 0, "invalid TOML: %v", err)
	}
	return d, nil
}

// Pos returns the position of the value of the key at path, or of the
// table header for a table, or (0, 0) when it cannot be found. An element of
// an array of tables is named with its index: Pos("days[1]", "start") is the
// start key under the second [[days]] header.
func (d *Doc) Pos(path ...string) (line, col int) {
	if len(path) == 0 {
		return 0, 0
	}
	table := ""
	full := strings.Join(path, ".")
	count := map[string]int{}
	for i, raw := range d.lines {
		s := strings.TrimSpace(raw)
		if strings.HasPrefix(s, "[") {
			if j := strings.Index(s, "#"); j >= 0 {
				s = strings.TrimSpace(s[:j])
			}
			name := normKey(strings.Trim(s, "[] \t"))
			if strings.HasPrefix(s, "[[") {
				n := count[name]
				count[name]++
				name = fmt.Sprintf("%s[%d]", name, n)
			}
			table = name
			if table == full {
				return d.Offset + i + 1, strings.Index(raw, "[") + 1
			}
			continue
		}
		eq := strings.Index(raw, "=")
		if eq < 0 {
			continue
		}
		k := normKey(strings.TrimSpace(raw[:eq]))
		if table != "" {
			k = table + "." + k
		}
		if k == full {
			c := eq + 1
			for c < len(raw) && (raw[c] == ' ' || raw[c] == '\t') {
				c++
			}
			return d.Offset + i + 1, c + 1
		}
	}
	return 0, 0
}

// Find returns the position of the first occurrence of needle on or after
// line (a line of File), or that line when there is none: it points at one
// value inside an array that spans lines.
func (d *Doc) Find(line int, needle string) (int, int) {
	for i := max(line-d.Offset-1, 0); i < len(d.lines); i++ {
		if c := strings.Index(d.lines[i], needle); c >= 0 {
			return d.Offset + i + 1, len([]rune(d.lines[i][:c])) + 1
		}
	}
	return line, 0
}

func normKey(k string) string {
	parts := strings.Split(k, ".")
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if uq, err := strconv.Unquote(p); err == nil {
			p = uq
		} else {
			p = strings.Trim(p, "'")
		}
		parts[i] = p
	}
	return strings.Join(parts, ".")
}

// Table reads the fields of one TOML table of a Doc.
type Table struct {
	doc   *Doc
	path  []string
	data  map[string]any
	seen  map[string]bool
	stage string
	diags *diag.List
}

// Root returns a reader of the top-level table, reporting into diags.
func (d *Doc) Root(stage string, diags *diag.List) *Table {
	return &Table{doc: d, data: d.Data, seen: map[string]bool{}, stage: stage, diags: diags}
}

func (t *Table) keyPath(key string) []string {
	return append(append([]string(nil), t.path...), key)
}

// Errorf records an error at the value of key.
func (t *Table) Errorf(key, format string, args ...any) *diag.Diagnostic {
	p := t.keyPath(key)
	line, col := t.doc.Pos(p...)
	d := diag.Errorf(t.doc.File, line, col, "%s: %s", strings.Join(p, "."), fmt.Sprintf(format, args...))
	t.diags.Add(t.stage, d)
	return d
}

// Warnf records a warning at the value of key.
func (t *Table) Warnf(key, format string, args ...any) *diag.Diagnostic {
	p := t.keyPath(key)
	line, col := t.doc.Pos(p...)
	d := diag.Warnf(t.doc.File, line, col, "%s: %s", strings.Join(p, "."), fmt.Sprintf(format, args...))
	t.diags.Add(t.stage, d)
	return d
}

func (t *Table) get(key string) (any, bool) {
	t.seen[key] = true
	v, ok := t.data[key]
	return v, ok
}

// Ignore marks keys as known without reading them.
func (t *Table) Ignore(keys ...string) {
	for _, k := range keys {
		t.seen[k] = true
	}
}

// Has reports whether key is set.
func (t *Table) Has(key string) bool { _, ok := t.data[key]; return ok }

func describe(v any) string {
	switch v := v.(type) {
	case string:
		return strconv.Quote(v)
	case int64:
		return "the integer " + strconv.FormatInt(v, 10)
	case float64:
		return "the number " + strconv.FormatFloat(v, 'g', -1, 64)
	case bool:
		return "the boolean " + strconv.FormatBool(v)
	case []any, []map[string]any:
		return "an array"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("a %T", v)
}

// String reads a string field; it returns false when the key is absent or
// has the wrong type (which is reported).
func (t *Table) String(key string, dst *string) bool {
	v, ok := t.get(key)
	if !ok {
		return false
	}
	s, ok := v.(string)
	if !ok {
		t.Errorf(key, "expected a string, got %s", describe(v)).WithHint(`put the value in double quotes, e.g. %s = "..."`, key)
		return false
	}
	*dst = s
	return true
}

// Int reads an integer field.
func (t *Table) Int(key string, dst *int) bool {
	v, ok := t.get(key)
	if !ok {
		return false
	}
	n, ok := v.(int64)
	if !ok {
		t.Errorf(key, "expected an integer, got %s", describe(v)).WithHint("write a whole number without quotes, e.g. %s = 11", key)
		return false
	}
	*dst = int(n)
	return true
}

// Bool reads a boolean field.
func (t *Table) Bool(key string, dst *bool) bool {
	v, ok := t.get(key)
	if !ok {
		return false
	}
	b, ok := v.(bool)
	if !ok {
		t.Errorf(key, "expected true or false, got %s", describe(v)).WithHint("write %s = true or %s = false, without quotes", key, key)
		return false
	}
	*dst = b
	return true
}

// Strings reads an array of strings; a single string is taken as a list of
// one.
func (t *Table) Strings(key string, dst *[]string) bool {
	v, ok := t.get(key)
	if !ok {
		return false
	}
	switch v := v.(type) {
	case string:
		*dst = []string{v}
		return true
	case []any:
		out := make([]string, 0, len(v))
		for i, e := range v {
			s, ok := e.(string)
			if !ok {
				t.Errorf(key, "item %d: expected a string, got %s", i+1, describe(e)).WithHint(`write a list of quoted strings, e.g. %s = ["one", "two"]`, key)
				return false
			}
			out = append(out, s)
		}
		*dst = out
		return true
	}
	t.Errorf(key, "expected a list of strings, got %s", describe(v)).WithHint(`write %s = ["one", "two"]`, key)
	return false
}

// Map reads a table as plain data, for free-form fields such as params.
func (t *Table) Map(key string, dst *map[string]any) bool {
	v, ok := t.get(key)
	if !ok {
		return false
	}
	m, ok := v.(map[string]any)
	if !ok {
		t.Errorf(key, "expected a table, got %s", describe(v)).WithHint("write it as a [%s] section", key)
		return false
	}
	*dst = m
	return true
}

// Sub returns a reader of the table at key, or nil when it is absent or not a
// table (which is reported).
func (t *Table) Sub(key string) *Table {
	var m map[string]any
	if !t.Map(key, &m) {
		return nil
	}
	return &Table{doc: t.doc, path: t.keyPath(key), data: m, seen: map[string]bool{}, stage: t.stage, diags: t.diags}
}

// Tables reads an array of tables, such as the [[days]] of an agenda.
func (t *Table) Tables(key string) []*Table {
	v, ok := t.get(key)
	if !ok {
		return nil
	}
	list, ok := v.([]map[string]any)
	if !ok {
		t.Errorf(key, "expected an array of tables, got %s", describe(v)).WithHint("write each one under its own [[%s]] header", key)
		return nil
	}
	out := make([]*Table, len(list))
	for i, m := range list {
		p := append(append([]string(nil), t.path...), fmt.Sprintf("%s[%d]", key, i))
		out[i] = &Table{doc: t.doc, path: p, data: m, seen: map[string]bool{}, stage: t.stage, diags: t.diags}
	}
	return out
}

// Keys returns the table's keys, sorted, without marking them as read.
func (t *Table) Keys() []string {
	out := make([]string, 0, len(t.data))
	for k := range t.data {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Raw returns a value as decoded, marking the key as read.
func (t *Table) Raw(key string) (any, bool) { return t.get(key) }

// Doc returns the document the table belongs to.
func (t *Table) Doc() *Doc { return t.doc }

// Path returns the table's path, for Doc.Pos.
func (t *Table) Path(key string) []string { return t.keyPath(key) }

// Unknown returns the keys that no reader asked for, sorted.
func (t *Table) Unknown() []string {
	var out []string
	for k := range t.data {
		if !t.seen[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// ReportUnknown records each key nobody read, as an error or a warning,
// naming the closest known key when one is near.
func (t *Table) ReportUnknown(sev diag.Severity, hint string) {
	var known []string
	for k := range t.seen {
		known = append(known, k)
	}
	sort.Strings(known)
	for _, k := range t.Unknown() {
		var d *diag.Diagnostic
		if sev == diag.Error {
			d = t.Errorf(k, "unknown key")
		} else {
			d = t.Warnf(k, "unknown key")
		}
		if s := Suggest(k, known); s != "" {
			d.Msg += fmt.Sprintf("; did you mean %q?", s)
		}
		d.Hint = hint
	}
}

// Suggest returns the candidate closest to s, or "" when none is close.
func Suggest(s string, candidates []string) string {
	best, bestD := "", 3
	if len(s) <= 4 {
		bestD = 2
	}
	ls := strings.ToLower(s)
	for _, c := range candidates {
		d := distance(ls, strings.ToLower(c))
		if d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
