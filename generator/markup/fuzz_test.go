package markup

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzContainers feeds any text to the Markdown configuration: it must never
// panic or fail, every problem must point into the text, and facilitator-only
// markers must pair up so handouts can be cut.
func FuzzContainers(f *testing.F) {
	for _, s := range []string{
		"::: note\nx\n:::\n",
		":::: exercise A {format=\"x\" time=\"5-10 min\" materials=\"a, b\"}\n::: facilitation\ny\n:::\n::::\n",
		"> ::: tip\n> :::\n",
		"::: exercise {\n",
		"::: bogus {a=\"\n```\n:::\n```\n",
		"- ::: note\n  text\n  :::\n",
	} {
		f.Add(s)
	}
	md := New()
	f.Fuzz(func(t *testing.T, src string) {
		res, err := md.Render([]byte(src), nil)
		if err != nil {
			t.Fatalf("render failed: %v", err)
		}
		lines := strings.Count(src, "\n") + 1
		for _, p := range res.Problems {
			if p.Line < 1 || p.Line > lines {
				t.Errorf("problem %q at line %d of a %d-line text", p.Msg, p.Line, lines)
			}
		}
		if a, b := bytes.Count(res.HTML, []byte(TrainersStart)), bytes.Count(res.HTML, []byte(TrainersEnd)); a != b {
			t.Errorf("%d trainers markers open, %d close", a, b)
		}
		out := StripTrainers(res.HTML)
		if utf8.Valid([]byte(src)) && !utf8.Valid(out) {
			t.Errorf("handout HTML is not valid UTF-8")
		}
	})
}
