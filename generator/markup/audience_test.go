package markup

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// handoutOf renders src and returns the guide's HTML and the participants'.
func handoutOf(t *testing.T, src string, opt *Options) (guide, handout string, res *Result) {
	t.Helper()
	res, err := New().Render([]byte(src), opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res.Problems {
		if !p.Warning {
			t.Fatalf("unexpected problem %d:%d: %s", p.Line, p.Col, p.Msg)
		}
	}
	return string(res.HTML), string(StripTrainers(res.HTML)), res
}

func TestAudienceDefaults(t *testing.T) {
	trainers := map[string]bool{"facilitation": true, "adaptation": true, "keypoints": true, "solution": true, "preparation": true}
	var names []string
	for name, k := range Kinds {
		names = append(names, name)
		if k.Trainers != trainers[name] {
			t.Errorf("Kinds[%q].Trainers = %v, want %v", name, k.Trainers, trainers[name])
		}
	}
	sort.Strings(names)
	for alias, kind := range aliases {
		k, ok := LookupKind(alias)
		if !ok || k.Name != kind || k.Trainers != trainers[kind] {
			t.Errorf("alias %q: %+v, want kind %q", alias, k, kind)
		}
	}
	// Every kind, by name and by alias, is cut or kept as its table says.
	for _, written := range append(names, "instructor", "facilitator", "key-points", "prep", "callout", "challenge") {
		k, _ := LookupKind(written)
		marker := "Marker " + written + "."
		src := "::: " + written + "\n" + marker + "\n:::\n"
		if k.Name == "column" {
			src = "::: columns\n" + src + ":::\n"
		}
		guide, handout, _ := handoutOf(t, src, nil)
		if !strings.Contains(guide, marker) {
			t.Errorf("%s: the guide lacks its text:\n%s", written, guide)
		}
		if got := strings.Contains(handout, marker); got == k.Trainers {
			t.Errorf("%s: handout has its text = %v, want %v:\n%s", written, got, !k.Trainers, handout)
		}
	}
}

func TestAudienceAttribute(t *testing.T) {
	tests := []struct {
		name       string
		src        string
		kept, gone []string // in the participants' HTML
	}{
		{"keypoints for participants",
			"::: keypoints {audience=\"participants\"}\nShared point.\n:::\n",
			[]string{"Shared point."}, nil},
		{"a note for trainers",
			"::: note {audience=\"trainers\"}\nPrivate note.\n:::\n\nPublic text.\n",
			[]string{"Public text."}, []string{"Private note."}},
		{"facilitation for participants",
			"::: facilitation {audience=\"participants\"}\nOpen note.\n:::\n",
			[]string{"Open note."}, nil},
		{"the value's case does not matter",
			"::: tip {audience=\"Trainers\"}\nHidden tip.\n:::\n",
			nil, []string{"Hidden tip."}},
		{"participants inside trainers is cut with its parent",
			":::: facilitation\nOuter trainer.\n\n::: note {audience=\"participants\"}\nInner participant.\n:::\n\nOuter again.\n::::\n\nAfter.\n",
			[]string{"After."}, []string{"Outer trainer.", "Inner participant.", "Outer again."}},
		{"an overridden keypoints inside an exercise for trainers",
			":::: exercise Ex {audience=\"trainers\"}\nIntro.\n\n::: keypoints {audience=\"participants\"}\nPoint.\n:::\n::::\n",
			nil, []string{"Intro.", "Point.", "Ex"}},
		{"trainers inside participants is cut alone",
			":::: keypoints {audience=\"participants\"}\nShared.\n\n::: note {audience=\"trainers\"}\nPrivate.\n:::\n\nShared again.\n::::\n",
			[]string{"Shared.", "Shared again."}, []string{"Private."}},
		{"trainers inside trainers inside participants",
			"::::: exercise E\nAll.\n\n:::: solution\nAnswer.\n\n::: facilitation\nDeep.\n:::\n\nAnswer again.\n::::\n\nAll again.\n:::::\n",
			[]string{"All.", "All again."}, []string{"Answer.", "Deep.", "Answer again."}},
		{"a layout container for trainers",
			"::: worksheet W\nFill in.\n\n::: lines {count=2 audience=\"trainers\"}\nModel answer.\n:::\n:::\n",
			[]string{"Fill in."}, []string{"Model answer."}},
		{"single quotes and bare values",
			"::: note {audience='trainers'}\nA.\n:::\n\n::: solution {audience=participants}\nB.\n:::\n",
			[]string{"<p>B.</p>"}, []string{"<p>A.</p>"}},
		{"audience beside other attributes",
			"::: exercise E {format=\"Pairs\" audience=\"trainers\" time=\"10 min\"}\nX.\n:::\n",
			nil, []string{"X.", "Pairs"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			guide, handout, _ := handoutOf(t, tt.src, nil)
			for _, s := range append(append([]string(nil), tt.kept...), tt.gone...) {
				if !strings.Contains(guide, s) {
					t.Errorf("the guide lacks %q:\n%s", s, guide)
				}
			}
			for _, s := range tt.kept {
				if !strings.Contains(handout, s) {
					t.Errorf("the handout lacks %q:\n%s", s, handout)
				}
			}
			for _, s := range tt.gone {
				if strings.Contains(handout, s) {
					t.Errorf("the handout has %q:\n%s", s, handout)
				}
			}
			if strings.Contains(handout, "fc:trainers") {
				t.Errorf("the handout has a marker left:\n%s", handout)
			}
		})
	}
}

func TestAudienceMarksTrainerParts(t *testing.T) {
	src := "::: keypoints {audience=\"participants\"}\n## Shared heading\n:::\n\n" +
		":::: note {audience=\"trainers\"}\n## Private heading\n\n::: worksheet Inner {audience=\"participants\"}\nx\n:::\n::::\n"
	_, _, res := handoutOf(t, src, nil)
	got := map[string]bool{}
	for _, h := range res.Headings {
		got[h.Text] = h.Trainers
	}
	if got["Shared heading"] || !got["Private heading"] || !got["Inner"] {
		t.Errorf("heading Trainers flags: %v", got)
	}
	for _, c := range res.Containers {
		if want := c.Name != "keypoints"; c.Trainers != want {
			t.Errorf("container %s: Trainers = %v, want %v", c.Name, c.Trainers, want)
		}
	}
	guide, _, _ := handoutOf(t, src, nil)
	if !strings.Contains(guide, `<aside class="fc fc-note" data-audience="trainers"`) ||
		strings.Contains(guide, `fc-keypoints" data-audience`) {
		t.Errorf("data-audience is not as the containers say:\n%s", guide)
	}
}

func TestAudienceMaterials(t *testing.T) {
	src := "::: exercise E {format=\"Pairs\" materials=\"Sticky notes, pens\"}\nX.\n:::\n\n::: exercise F {materials=\"Chalk\"}\nY.\n:::\n"
	guide, handout, _ := handoutOf(t, src, nil)
	for _, s := range []string{"Sticky notes, pens", "Chalk", "Pairs"} {
		if !strings.Contains(guide, s) {
			t.Errorf("the guide lacks %q", s)
		}
	}
	if strings.Contains(handout, "Sticky notes") || strings.Contains(handout, "Chalk") || strings.Contains(handout, "Materials") {
		t.Errorf("the handout shows the materials:\n%s", handout)
	}
	if !strings.Contains(handout, "Pairs") {
		t.Errorf("the handout lost the format:\n%s", handout)
	}
	if strings.Contains(handout, `<dl class="fc-facts"></dl>`) {
		t.Errorf("the handout has an empty list of facts:\n%s", handout)
	}
	_, handout, _ = handoutOf(t, src, &Options{HandoutMaterials: true})
	if !strings.Contains(handout, "Sticky notes, pens") || !strings.Contains(handout, "Chalk") {
		t.Errorf("with HandoutMaterials the handout lacks the materials:\n%s", handout)
	}
}

func TestAudienceProblems(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string // "line:col: message part"
	}{
		{"everyone", "::: note {audience=\"everyone\"}\nx\n:::\n", `1:11: audience: "everyone" is not an audience`},
		{"empty", "Text.\n\n:::: exercise E {time=\"5 min\" audience=\"\"}\nx\n::::\n", `3:31: audience: "" is not an audience`},
		{"typo", "::: keypoints {audience=\"trainer\"}\nx\n:::\n", `1:16: audience: "trainer" is not an audience`},
		{"twice", "::: note {audience=\"trainers\" audience=\"participants\"}\nx\n:::\n", "1:31: audience is given twice"},
		{"no value", "::: note {audience}\nx\n:::\n", `1:11: attribute "audience" has no value`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := New().Render([]byte(tt.src), nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Problems) != 1 {
				t.Fatalf("got %d problems, want 1: %+v", len(res.Problems), res.Problems)
			}
			p := res.Problems[0]
			got := fmt.Sprintf("%d:%d: %s", p.Line, p.Col, p.Msg)
			if p.Warning || !strings.HasPrefix(got, tt.want) {
				t.Errorf("problem %q (warning %v), want an error starting %q", got, p.Warning, tt.want)
			}
			if tt.name != "twice" && tt.name != "no value" &&
				(!strings.Contains(p.Hint, `audience="trainers"`) || !strings.Contains(p.Hint, `audience="participants"`)) {
				t.Errorf("the hint does not name both audiences: %q", p.Hint)
			}
			if tt.name == "typo" && !strings.Contains(p.Hint, `did you mean "trainers"?`) {
				t.Errorf("the hint does not suggest the audience: %q", p.Hint)
			}
			// A bad value never shows participants more.
			if out := string(StripTrainers(res.HTML)); tt.name != "no value" && strings.Contains(out, "<p>x</p>") {
				t.Errorf("a container with a bad audience reaches participants:\n%s", out)
			}
		})
	}
	// Every kind takes the attribute, though none lists it.
	for name, k := range Kinds {
		if k.Element == "div" && name != "lines" {
			continue // columns and tables hold a column or a table
		}
		res, err := New().Render([]byte("::: "+name+" {audience=\"trainers\"}\nx\n:::\n"), nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range res.Problems {
			t.Errorf("%s {audience=\"trainers\"}: %d:%d: %s", name, p.Line, p.Col, p.Msg)
		}
	}
}

func TestTrainersWording(t *testing.T) {
	type warning struct {
		line, col int
		quote     string
	}
	tests := []struct {
		name string
		src  string
		want []warning
	}{
		{"the seed's key point, in a keypoints for participants",
			"::: keypoints Key explanation points {audience=\"participants\"}\n- Facilitators ask participants to brainstorm concrete ‘next steps’ that they will take.\n- These next steps can be divided up.\n:::\n",
			[]warning{{2, 3, "Facilitators ask participants to brainstorm concrete ‘next steps’…"}}},
		{"outside any container, second sentence, second line",
			"Intro.\n\nThis is the plan. The facilitator\nexplains the map.\n",
			[]warning{{3, 19, "The facilitator explains the map."}}},
		{"each trigger",
			"Facilitator reads the case.\n\nTrainers should check the room. Ask participants to stand. Ask the participants to sit.\n\nAsk the group to vote! Invite participants to share. The trainers hand out cards.\n\n*Facilitators* keep time.\n",
			[]warning{{1, 1, "Facilitator reads the case."}, {3, 1, "Trainers should check the room."},
				{3, 33, "Ask participants to stand."}, {3, 60, "Ask the participants to sit."},
				{5, 1, "Ask the group to vote!"}, {5, 24, "Invite participants to share."}, {5, 54, "The trainers hand out cards."},
				{7, 2, "Facilitators keep time."}}},
		{"in a worksheet and a note",
			"::: worksheet W\nAsk the group to read it.\n:::\n\n::: note\nThe facilitator collects the sheets.\n:::\n",
			[]warning{{2, 1, "Ask the group to read it."}, {6, 1, "The facilitator collects the sheets."}}},
		{"participant wording does not warn",
			"The facilitator will send you the notes after the workshop.\n\n" +
				"Trainers and participants agree the ground rules together.\n\n" +
				"Ask the group if you are stuck.\n\n" +
				"Your facilitator is there to help. Ask a trainer for the handout.\n\n" +
				"Facilitators: Amal and Jon.\n\n" +
				"Trainers’ contact details are on the back.\n\n" +
				"Participants ask each other questions. We invite participants from every region.\n\n" +
				"Ask questions at any time. Invite someone you trust.\n",
			nil},
		{"trainer containers do not warn, nor what is in them",
			"::: facilitation\nFacilitators ask participants to stand.\n:::\n\n" +
				"::: keypoints\n- Ask the group to vote.\n:::\n\n" +
				":::: note {audience=\"trainers\"}\n::: tip {audience=\"participants\"}\nThe trainer explains.\n:::\n::::\n\n" +
				"::: solution\nInvite participants to compare.\n:::\n",
			nil},
		{"headings and code do not count as sentences",
			"## Facilitators ask questions\n\n```\nFacilitators ask participants.\n```\n",
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := New().Render([]byte(tt.src), nil)
			if err != nil {
				t.Fatal(err)
			}
			var got []warning
			for _, p := range res.Problems {
				if !p.Warning {
					t.Errorf("unexpected error %d:%d: %s", p.Line, p.Col, p.Msg)
					continue
				}
				if !strings.Contains(p.Hint, `{audience="trainers"}`) || !strings.Contains(p.Hint, "::: facilitation") {
					t.Errorf("hint %q names neither the attribute nor ::: facilitation", p.Hint)
				}
				q, _, _ := strings.Cut(strings.TrimPrefix(p.Msg, `"`), `" is written to trainers`)
				got = append(got, warning{p.Line, p.Col, q})
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("warnings\n got %v\nwant %v", got, tt.want)
			}
		})
	}
}
