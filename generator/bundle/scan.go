package bundle

import "bytes"

// scanner is a writer that looks for the strings of forbid in what is
// written through it, across the chunks it comes in.
type scanner struct {
	forbid [][]byte
	keep   int    // the longest string, less one: what a chunk may end with
	tail   []byte // the end of what was written, keep bytes at most
	found  string // the first string found
}

// newScanner looks for the strings of forbid; those shorter than two bytes
// are left out (they would be found anywhere).
func newScanner(forbid []string) *scanner {
	s := &scanner{}
	for _, f := range forbid {
		if len(f) >= 2 {
			s.forbid = append(s.forbid, []byte(f))
			s.keep = max(s.keep, len(f)-1)
		}
	}
	return s
}

func (s *scanner) Write(p []byte) (int, error) {
	if s.found != "" || len(s.forbid) == 0 {
		return len(p), nil
	}
	buf := make([]byte, 0, len(s.tail)+len(p))
	buf = append(append(buf, s.tail...), p...)
	for _, f := range s.forbid {
		if bytes.Contains(buf, f) {
			s.found = string(f)
			break
		}
	}
	s.tail = append(s.tail[:0], buf[max(0, len(buf)-s.keep):]...)
	return len(p), nil
}
