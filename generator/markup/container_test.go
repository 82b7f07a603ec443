package markup

import (
	"fmt"
	"strings"
	"testing"

	"github.com/yuin/goldmark/testutil"
)

// TestContainerCases runs the case files: Markdown in, HTML out, through
// flipchart's whole configuration.
func TestContainerCases(t *testing.T) {
	testutil.DoTestCaseFile(New().md, "testdata/containers.txt", t, testutil.ParseCliCaseArg()...)
}

func TestContainerProblems(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // "line:col: message part", in order
	}{
		{"unknown kind", "::: exercize Oops\nx\n:::\n", []string{`1:5: unknown container kind "exercize"`}},
		{"missing kind", "::: {format=\"x\"}\nx\n:::\n", []string{"1:5: a container needs a kind"}},
		{"unclosed fence", "Intro.\n\n::: note\ntext\n", []string{"3:1: the ::: note container opened here is never closed"}},
		{"a longer fence closes the inner container first", ":::: exercise A\n::: tip\nx\n::::\n", []string{"1:1: the ::: exercise container opened here is never closed"}},
		{"stray closing fence", "text\n\n:::\n", []string{"3:1: a closing ::: fence with no open container"}},
		{"attribute without value", "::: exercise A {format}\nx\n:::\n", []string{`1:17: attribute "format" has no value`}},
		{"unclosed quote", "::: exercise A {format=\"Brainstorm}\nx\n:::\n", []string{`1:24: the quoted value of "format" is never closed`}},
		{"unclosed brace", "::: exercise A {format=\"x\"\nx\n:::\n", []string{"1:16: the attributes opened with { are never closed"}},
		{"unknown attribute", "::: note A {time=\"5 min\"}\nx\n:::\n", []string{`1:13: note containers have no attribute "time"`}},
		{"bad time", "::: exercise A {time=\"soon\"}\nx\n:::\n", []string{"1:17: time:"}},
		{"column counts characters", "::: exercise Café {formt=\"x\"}\nx\n:::\n", []string{`1:20: exercise containers have no attribute "formt"`}},
		{"clean", "::: exercise A {format=\"Pairs\" time=\"10 min\" materials=\"Pens\"}\n::: facilitation\nx\n:::\n:::\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := New().Render([]byte(tt.src), nil)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range res.Problems {
				got = append(got, fmt.Sprintf("%d:%d: %s", p.Line, p.Col, p.Msg))
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got problems %q, want %q", got, tt.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("problem %d = %q, want prefix %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestStripTrainers(t *testing.T) {
	src := ":::: exercise A\nFor all.\n\n::: facilitation\nTrainers.\n\n::: note\nNested.\n:::\n:::\n\nAgain for all.\n::::\n\n::: adaptation\nAdapt.\n:::\n"
	res, err := New().Render([]byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	out := string(StripTrainers(res.HTML))
	for _, gone := range []string{"Trainers.", "Nested.", "Adapt.", "fc:trainers"} {
		if strings.Contains(out, gone) {
			t.Errorf("handout still holds %q:\n%s", gone, out)
		}
	}
	for _, kept := range []string{"For all.", "Again for all.", "</section>"} {
		if !strings.Contains(out, kept) {
			t.Errorf("handout lost %q:\n%s", kept, out)
		}
	}
}

// A link within the page to what went with the trainers' content is left
// as text in the handout; a link to what stays is kept.
func TestStripTrainersUnlinksWhatWent(t *testing.T) {
	src := "See [the notes](#hidden) and [the steps](#steps).\n\n## Steps\n\nDo.\n\n::: facilitation Prep notes\n### Hidden {#hidden}\n:::\n\n::: exercise Prep notes\nFor all.\n:::\n"
	res, err := New().Render([]byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	out := string(StripTrainers(res.HTML))
	if !strings.Contains(out, `<a href="#steps">the steps</a>`) {
		t.Errorf("the link to a heading that stays is gone:\n%s", out)
	}
	if strings.Contains(out, `href="#hidden"`) || strings.Contains(out, "Hidden") || !strings.Contains(out, "<a>the notes</a>") {
		t.Errorf("the link to the trainers' heading was not left as text:\n%s", out)
	}
	if full := string(res.HTML); !strings.Contains(full, `<a href="#hidden">the notes</a>`) {
		t.Fatalf("the guide lacks the link to #hidden:\n%s", full)
	}
}

func TestSplitList(t *testing.T) {
	tests := map[string][]string{
		"Flipchart paper, markers":   {"Flipchart paper", "markers"},
		"Paper (A4, A3), Pens":       {"Paper (A4, A3)", "Pens"},
		" , a,, b ,":                 {"a", "b"},
		"":                           nil,
		"Cards (red, (blue)), tape)": {"Cards (red, (blue))", "tape)"},
		"Sticky notes":               {"Sticky notes"},
	}
	for in, want := range tests {
		if got := SplitList(in); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("SplitList(%q) = %q, want %q", in, got, want)
		}
	}
}
