package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"flipchart/generator/pdf"
)

// isTerminal reports whether w is a terminal (or a console on Windows).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// statusLine is flipchart pdf's line on a terminal: PDFs printed, pages,
// time spent and left, written over itself.
type statusLine struct {
	mu    sync.Mutex
	w     io.Writer
	shown bool
	last  time.Time
}

// show writes the status over the last one, at most ten times a second
// (and always once all is printed).
func (l *statusLine) show(s pdf.Status) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if time.Since(l.last) < 100*time.Millisecond && s.Done < s.Files {
		return
	}
	l.last = time.Now()
	line := fmt.Sprintf("printing PDFs: %d of %d done, %d pages, %s", s.Done, s.Files, s.Pages, s.Elapsed.Round(time.Second))
	if s.Left > 0 && s.Done < s.Files {
		line += fmt.Sprintf(", about %s left", s.Left.Round(time.Second))
	}
	fmt.Fprintf(l.w, "\r%s\x1b[K", line)
	l.shown = true
}

// clear removes the line, for what is written next; a nil line does nothing.
func (l *statusLine) clear() {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.shown {
		fmt.Fprint(l.w, "\r\x1b[K")
		l.shown = false
	}
}
