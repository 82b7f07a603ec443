package markup

import "testing"

// TestEnglishWords: every word the Markdown stage writes has its English in
// the built-in theme's en.toml, which English reads.
func TestEnglishWords(t *testing.T) {
	for _, k := range MarkupKeys() {
		if English(k) == k {
			t.Errorf("en.toml has no %q", k)
		}
	}
	if got := English("kind_facilitation"); got != Kinds["facilitation"].Label {
		t.Errorf("kind_facilitation is %q in en.toml, %q in Kinds", got, Kinds["facilitation"].Label)
	}
}
