// Package diag holds flipchart's one error type: a problem found in a file,
// with its position, the pipeline stage that found it, and a hint on how to
// fix it. A build collects diagnostics in a List and reports them together.
package diag

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
)

// Severity tells whether a diagnostic stops the build.
type Severity int

const (
	Error Severity = iota
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Diagnostic is a problem with a position. File is relative to the site's
// source folder and uses forward slashes; Line and Col start at 1, and 0
// means unknown.
type Diagnostic struct {
	File     string
	Line     int
	Col      int
	Stage    string // config, content, markup, site, render, publish
	Severity Severity
	Msg      string
	Hint     string // how to fix it, may be empty
}

// Pos formats the position as file:line:col, leaving out unknown parts.
func (d *Diagnostic) Pos() string {
	var b strings.Builder
	b.WriteString(d.File)
	if d.Line > 0 {
		fmt.Fprintf(&b, ":%d", d.Line)
		if d.Col > 0 {
			fmt.Fprintf(&b, ":%d", d.Col)
		}
	}
	return b.String()
}

// Error formats the diagnostic as "file:line:col: error: message", with the
// hint on the next line.
func (d *Diagnostic) Error() string {
	var b strings.Builder
	if p := d.Pos(); p != "" {
		b.WriteString(p)
		b.WriteString(": ")
	}
	b.WriteString(d.Severity.String())
	b.WriteString(": ")
	b.WriteString(d.Msg)
	if d.Hint != "" {
		b.WriteString("\n\thint: ")
		b.WriteString(d.Hint)
	}
	return b.String()
}

// Errorf returns an error diagnostic. A file named with this system's
// separator (a backslash on Windows) gets forward slashes.
func Errorf(file string, line, col int, format string, args ...any) *Diagnostic {
	return &Diagnostic{File: filepath.ToSlash(file), Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

// Warnf returns a warning diagnostic.
func Warnf(file string, line, col int, format string, args ...any) *Diagnostic {
	return &Diagnostic{File: filepath.ToSlash(file), Line: line, Col: col, Severity: Warning, Msg: fmt.Sprintf(format, args...)}
}

// WithHint sets the hint and returns d.
func (d *Diagnostic) WithHint(format string, args ...any) *Diagnostic {
	d.Hint = fmt.Sprintf(format, args...)
	return d
}

// MaxErrors is how many errors a List keeps before it only counts them.
const MaxErrors = 50

// List collects the diagnostics of one build. It is not safe for concurrent
// use; stages that work in parallel give each worker its own List and Merge.
type List struct {
	items   []*Diagnostic
	errors  int
	dropped int
	// seen holds the problems recorded, so that one found again (in a
	// page each language of a manual shows untranslated) is reported once.
	seen map[seenKey]bool
}

type seenKey struct {
	file, msg string
	line, col int
	sev       Severity
}

// Add records d, stamping stage when d has none. Errors past MaxErrors are
// counted but not kept.
func (l *List) Add(stage string, d *Diagnostic) {
	if d == nil {
		return
	}
	if d.Stage == "" {
		d.Stage = stage
	}
	k := seenKey{d.File, d.Msg, d.Line, d.Col, d.Severity}
	if l.seen[k] {
		return
	}
	if l.seen == nil {
		l.seen = map[seenKey]bool{}
	}
	l.seen[k] = true
	if d.Severity == Error {
		l.errors++
		if l.errors > MaxErrors {
			l.dropped++
			return
		}
	}
	l.items = append(l.items, d)
}

// AddErr records any error: a *Diagnostic as it is, anything else as an error
// about file.
func (l *List) AddErr(stage, file string, err error) {
	if err == nil {
		return
	}
	var d *Diagnostic
	if errors.As(err, &d) {
		l.Add(stage, d)
		return
	}
	l.Add(stage, &Diagnostic{File: filepath.ToSlash(file), Msg: err.Error()})
}

// Merge appends the diagnostics of o.
func (l *List) Merge(o *List) {
	for _, d := range o.items {
		l.Add(d.Stage, d)
	}
	l.errors += o.dropped
	l.dropped += o.dropped
}

// HasErrors reports whether any error was recorded.
func (l *List) HasErrors() bool { return l.errors > 0 }

// Errors and Warnings count what was recorded, dropped errors included.
func (l *List) Errors() int { return l.errors }

// Warnings counts the warnings recorded.
func (l *List) Warnings() int {
	n := 0
	for _, d := range l.items {
		if d.Severity == Warning {
			n++
		}
	}
	return n
}

// Items returns the kept diagnostics sorted by file, line and column.
func (l *List) Items() []*Diagnostic {
	sort.SliceStable(l.items, func(i, j int) bool {
		a, b := l.items[i], l.items[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	return l.items
}

// Dropped is how many errors were counted past MaxErrors.
func (l *List) Dropped() int { return l.dropped }

// Err returns nil when there is no error, or a *Failed carrying the list.
func (l *List) Err() error {
	if !l.HasErrors() {
		return nil
	}
	return &Failed{List: l}
}

// Failed is the error of a build that found errors in its input.
type Failed struct{ List *List }

func (f *Failed) Error() string {
	var b strings.Builder
	for _, d := range f.List.Items() {
		if d.Severity == Error {
			b.WriteString(d.Error())
			b.WriteByte('\n')
		}
	}
	if n := f.List.Dropped(); n > 0 {
		fmt.Fprintf(&b, "... and %d more errors\n", n)
	}
	fmt.Fprintf(&b, "%d error(s)", f.List.Errors())
	return b.String()
}
