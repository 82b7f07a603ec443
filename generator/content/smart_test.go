package content

import "testing"

func TestSmart(t *testing.T) {
	for in, want := range map[string]string{
		"Integrated Security: A Trainers' Manual": "Integrated Security: A Trainers’ Manual",
		`The "next steps" session`:                "The “next steps” session",
		"'Next steps' for the group's plan":       "‘Next steps’ for the group’s plan",
		"Don't -- ever --- stop...":               "Don’t – ever — stop…",
		"5' 10\" tall":                            "5’ 10” tall",
		"Plain title":                             "Plain title",
		"“Already” curled":                        "“Already” curled",
		"a-b, 15-30 min":                          "a-b, 15-30 min",
	} {
		if got := Smart(in); got != want {
			t.Errorf("Smart(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Plain(Smart(`A "b" c's 'd'`)); got != `A "b" c's 'd'` {
		t.Errorf("Plain(Smart(x)) = %q", got)
	}
}
