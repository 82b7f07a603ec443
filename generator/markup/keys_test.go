package markup

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/yuin/goldmark/testutil"
)

// TestWorksheetCases runs the worksheet case file through the configuration
// of a worksheet's own page, where blanks are fields with storage keys.
func TestWorksheetCases(t *testing.T) {
	testutil.DoTestCaseFile(New().ws, "testdata/worksheets.txt", t, testutil.ParseCliCaseArg()...)
}

var keyRE = regexp.MustCompile(`<(?:input|textarea)[^>]*? data-key="([^"]*)"`)

// worksheetKeys renders a worksheet for its own page and returns its fields'
// storage keys in the page's order.
func worksheetKeys(t *testing.T, src string) []string {
	t.Helper()
	res, err := New().RenderWorksheet([]byte(src), &Options{WorksheetFields: []string{"name", "date"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res.Problems {
		t.Errorf("%d:%d: %s", p.Line, p.Col, p.Msg)
	}
	fields := regexp.MustCompile(`<(?:input|textarea)[^>]*>`).FindAllString(string(res.HTML), -1)
	var keys []string
	for _, f := range fields {
		m := keyRE.FindStringSubmatch(f)
		if m == nil {
			t.Errorf("a field without a storage key: %s", f)
			continue
		}
		keys = append(keys, m[1])
	}
	if dup := duplicates(keys); len(dup) > 0 {
		t.Errorf("keys used twice: %q", dup)
	}
	return keys
}

func duplicates(keys []string) []string {
	seen := map[string]bool{}
	var dup []string
	for _, k := range keys {
		if seen[k] {
			dup = append(dup, k)
		}
		seen[k] = true
	}
	return dup
}

// wsBase is a worksheet with a field of every kind, twice where two can
// share a label.
const wsBase = `::::: worksheet Plan
Write down what you will do.

### Before you leave

Name: ____ and role: ____

Name: ____

What you will do first:

___
___

::: table {rows=2}
| Action | Who | By when |
|--------|-----|---------|
| Back up the laptop | | |
:::

::: table {rows=1}
| Action | Who | Support |
|--------|-----|---------|
:::

:::: columns
::: column Inside
The first thing I will do:
___
:::
::: column Outside
::: lines {count=3}
Who I will ask for help
:::
:::
::::

- [ ] I told someone.
- [ ] I told someone.
:::::
`

// TestWorksheetKeysKeepTheirPlace inserts text, fields and table rows above
// the fields of a worksheet: every field already there keeps its key, so
// answers typed before the edit stay in their boxes.
func TestWorksheetKeysKeepTheirPlace(t *testing.T) {
	base := worksheetKeys(t, wsBase)
	want := []string{
		"name", "date",
		"before-you-leave/name", "before-you-leave/and-role", "before-you-leave/name-2",
		"before-you-leave/what-you-will-do-first", "before-you-leave/what-you-will-do-first/line-2",
		"before-you-leave/action/who/back-up-the-laptop", "before-you-leave/action/by-when/back-up-the-laptop",
		"before-you-leave/action/action/row-1", "before-you-leave/action/who/row-1", "before-you-leave/action/by-when/row-1",
		"before-you-leave/action/action/row-2", "before-you-leave/action/who/row-2", "before-you-leave/action/by-when/row-2",
		// A second table with the same first heading: its keys that would
		// be the first's take a suffix.
		"before-you-leave/action/action/row-1-2", "before-you-leave/action/who/row-1-2", "before-you-leave/action/support/row-1",
		"inside/the-first-thing-i-will-do",
		"outside/who-i-will-ask-for-help",
		"before-you-leave/i-told-someone", "before-you-leave/i-told-someone-2",
	}
	if !slices.Equal(base, want) {
		t.Fatalf("keys\n%q\nwant\n%q", base, want)
	}

	edits := []struct {
		name, old, new string
		added          int // fields the edit adds
	}{
		{"a paragraph at the top", "Write down what you will do.\n", "Write down what you will do.\n\nTake your time.\n", 0},
		{"a paragraph in a section", "### Before you leave\n", "### Before you leave\n\nBe specific.\n", 0},
		{"a blank above the others", "### Before you leave\n", "### Before you leave\n\nGroup: ____\n", 1},
		{"a blank in the same sentence", "Name: ____ and role: ____", "Team: ____ name: ____ and role: ____", 1},
		{"a writing line with its prompt above", "### Before you leave\n", "### Before you leave\n\nWhat worries you most?\n\n___\n", 1},
		{"a writing line without a prompt above", "### Before you leave\n", "### Before you leave\n\n___\n", 1},
		{"a row of text at the top of a table", "|--------|-----|---------|\n| Back up", "|--------|-----|---------|\n| Change passwords | me | |\n| Back up", 1},
		{"a row of text under the blank rows' table", "|--------|-----|---------|\n:::", "|--------|-----|---------|\n| Encrypt the phone | | today |\n:::", 1},
		{"a blank row more", "::: table {rows=2}", "::: table {rows=3}", 3},
		{"a checkbox above", "- [ ] I told someone.\n- [ ] I told", "- [ ] I asked someone.\n- [ ] I told someone.\n- [ ] I told", 1},
		{"a table above", "### Before you leave\n", "### Before you leave\n\n::: table {rows=1}\n| Risk | Plan |\n|---|---|\n:::\n", 2},
	}
	for _, e := range edits {
		t.Run(e.name, func(t *testing.T) {
			if !strings.Contains(wsBase, e.old) {
				t.Fatalf("the worksheet has no %q", e.old)
			}
			got := worksheetKeys(t, strings.Replace(wsBase, e.old, e.new, 1))
			var kept, added []string
			for _, k := range got {
				if slices.Contains(base, k) {
					kept = append(kept, k)
				} else {
					added = append(added, k)
				}
			}
			if !slices.Equal(kept, base) {
				t.Errorf("the fields there before have keys\n%q\nwant\n%q", kept, base)
			}
			if len(added) != e.added {
				t.Errorf("the edit added fields with keys %q, want %d new fields", added, e.added)
			}
		})
	}
}

// TestWorksheetKeys checks the keys a worksheet's fields get.
func TestWorksheetKeys(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"header fields and a blank", "::: worksheet W\nName: ____\n:::\n", []string{"name", "date", "name-2"}},
		{"explicit ids win",
			"::::: worksheet W {fields=\"\"}\nName: ____{#participant}\n\n::: lines {count=3 #next-steps}\nAnything else?\n:::\n\n::: table {rows=1 #plan}\n| Action | Who |\n|---|---|\n:::\n:::::\n",
			[]string{"participant", "next-steps", "plan/action/row-1", "plan/who/row-1"}},
		{"an id steps a label's key aside", "::: worksheet W {fields=\"\"}\nName: ____\nSigned: ____{#name}\n:::\n", []string{"name-2", "name"}},
		{"same labels get suffixes in order", "::: worksheet W {fields=\"\"}\nName: ____\n\nName: ____\n\nOther: ____\n\nName: ____\n:::\n",
			[]string{"name", "name-2", "other", "name-3"}},
		{"a suffix steps over a label that has it", "::: worksheet W {fields=\"\"}\nStep 2: ____\n\nStep: ____\n\nStep: ____\n:::\n",
			[]string{"step-2", "step", "step-3"}},
		{"a blank without text before it", "::: worksheet W {fields=\"\"}\n____ will help me.\n:::\n", []string{"will-help-me"}},
		{"headings and column titles give the context",
			":::: worksheet W {fields=\"\"}\n## Today\n\nGoal: ____\n\n::: column Later\nGoal: ____\n:::\nWho: ____\n::::\n",
			[]string{"today/goal", "later/goal", "today/who"}},
		{"any script", "::: worksheet W {fields=\"\"}\n### الخطوات\n\nالاسم: ____\n:::\n", []string{"الخطوات/الاسم"}},
		{"a long label is cut after a word", "::: worksheet W {fields=\"\"}\nThe one thing that I would most like to change about how we keep ourselves safe: ____\n:::\n",
			[]string{"the-one-thing-that-i-would-most-like-to-change-about-how-we-keep"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := worksheetKeys(t, tt.src); !slices.Equal(got, tt.want) {
				t.Errorf("keys %q, want %q", got, tt.want)
			}
		})
	}
}

// TestWorksheetDuplicateIDs: two fields of one worksheet with the same id
// are a problem at the second id, in the guide's rendering too (the one
// whose problems a build reports).
func TestWorksheetDuplicateIDs(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"two blanks", "::: worksheet W\nA: ____{#x}\n\nB: ____{#x}\n:::\n", []string{`4:9: two fields of this worksheet have the id "x"`}},
		{"a blank and lines", "::: worksheet W\nA: ____{#x}\n\n::: lines {count=2 #x}\nMore\n:::\n:::\n", []string{`4:20: two fields of this worksheet have the id "x"`}},
		{"a table and a blank", "Intro.\n\n::: worksheet W\n::: table {#plan rows=1}\n| A |\n|---|\n:::\n\nPlan: ______{#plan}\n:::\n", []string{`9:14: two fields of this worksheet have the id "plan"`}},
		{"the same id in two worksheets", "::: worksheet A\nA: ____{#x}\n:::\n\n::: worksheet B\nB: ____{#x}\n:::\n", nil},
		{"not an id", "::: worksheet A\nA: ____{#x y}\n\nB: ____{x}\n:::\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, fillable := range []bool{false, true} {
				render := New().Render
				if fillable {
					render = New().RenderWorksheet
				}
				res, err := render([]byte(tt.src), nil)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, p := range res.Problems {
					got = append(got, fmt.Sprintf("%d:%d: %s", p.Line, p.Col, p.Msg))
					if p.Hint == "" {
						t.Errorf("problem %q has no hint", p.Msg)
					}
				}
				if !slices.Equal(got, tt.want) {
					t.Errorf("fillable %v: problems %q, want %q", fillable, got, tt.want)
				}
			}
		})
	}
}
