package markup

import "testing"

// TestHasFacts: what a page's HTML holds, for the stylesheets it needs,
// read from what the renderer writes, in a page and on a worksheet's own
// page (fillable).
func TestHasFacts(t *testing.T) {
	for _, c := range []struct {
		name, src                string
		code, blocks, worksheets bool
	}{
		{"plain text", "# Title\n\nA paragraph, a [link](https://example.org), `inline code`.\n\n- a list\n- [ ] a task\n\n| a | b |\n| - | - |\n| 1 | 2 |\n", false, false, false},
		{"text that names the markers", "class=\"fc fc-worksheet\" <pre> <blockquote> `<aside class=\"fc fc-note\">`\n", false, false, false},
		{"headed blocks", "::: summary\nIn short.\n:::\n\n::: objectives\nTo learn.\n:::\n\n::: handout\nA sheet to copy.\n:::\n", false, false, false},
		{"a fenced code block", "```go\nfunc main() {}\n```\n", true, true, false},
		{"a code block in no language", "```\nplain\n```\n", true, true, false},
		{"an indented code block", "Text.\n\n    indented\n", false, true, false},
		{"a quotation", "> Quoted.\n", false, true, false},
		{"a footnote", "Text.[^1]\n\n[^1]: The note.\n", false, true, false},
		{"an exercise", "::: exercise Mapping\nDo it.\n:::\n", false, true, false},
		{"a block with facts", "::: discussion Talk {time=\"10 min\"}\nTalk.\n:::\n", false, true, false},
		{"a note", "::: note\nMind this.\n:::\n", false, true, false},
		{"a solution", "::: solution\nThe answer.\n:::\n", false, true, false},
		{"a block for trainers", "::: keypoints\nKey.\n:::\n", false, true, false},
		{"a worksheet", "::: worksheet Plan\nName: ______\n:::\n", false, false, true},
		{"columns alone", "::: columns\n::: column Left\nL\n:::\n::: column Right\nR\n:::\n:::\n", false, false, true},
		{"a column alone", "::: column Left\nL\n:::\n", false, false, true},
		{"rows to fill alone", "::: table {rows=2}\n| a | b |\n| - | - |\n:::\n", false, false, true},
		{"lines alone", "::: lines {count=2}\nWrite.\n:::\n", false, false, true},
	} {
		for _, fill := range []bool{false, true} {
			render := New().Render
			if fill {
				render = New().RenderWorksheet
			}
			res, err := render([]byte(c.src), nil)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			html := string(res.HTML)
			if got := HasCode(html); got != c.code {
				t.Errorf("%s (fillable %v): HasCode = %v, want %v\n%s", c.name, fill, got, c.code, html)
			}
			if got := HasBlocks(html); got != c.blocks {
				t.Errorf("%s (fillable %v): HasBlocks = %v, want %v\n%s", c.name, fill, got, c.blocks, html)
			}
			if got := HasWorksheet(html); got != c.worksheets {
				t.Errorf("%s (fillable %v): HasWorksheet = %v, want %v\n%s", c.name, fill, got, c.worksheets, html)
			}
		}
	}
}
