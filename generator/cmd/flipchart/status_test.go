package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"flipchart/generator/pdf"
)

// TestStatusLine: on a terminal, flipchart pdf's line says the PDFs done,
// the pages and the time spent and left, each time over the last one; it
// is cleared at the end, for the summary.
func TestStatusLine(t *testing.T) {
	var b bytes.Buffer
	l := &statusLine{w: &b}
	l.show(pdf.Status{Files: 45, Done: 3, Pages: 30, Elapsed: 2 * time.Second, Left: 28 * time.Second})
	l.show(pdf.Status{Files: 45, Done: 4, Pages: 40, Elapsed: 2 * time.Second}) // too soon: not shown
	l.show(pdf.Status{Files: 45, Done: 45, Pages: 232, Elapsed: 7 * time.Second, Left: time.Second})
	l.clear()
	got := b.String()
	for _, want := range []string{
		"\rprinting PDFs: 3 of 45 done, 30 pages, 2s, about 28s left\x1b[K",
		"\rprinting PDFs: 45 of 45 done, 232 pages, 7s\x1b[K",
		"\r\x1b[K",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the status line lacks %q:\n%q", want, got)
		}
	}
	if strings.Contains(got, "4 of 45") {
		t.Errorf("the status line was written twice within 100 ms: %q", got)
	}
	var none *statusLine
	none.clear() // no line: nothing to do
	if isTerminal(&b) {
		t.Error("a buffer is taken for a terminal")
	}
	if f, err := os.CreateTemp(t.TempDir(), "out"); err == nil {
		defer f.Close()
		if isTerminal(f) {
			t.Error("a file is taken for a terminal")
		}
	}
}
