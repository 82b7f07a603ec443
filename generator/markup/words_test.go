package markup

import (
	"strings"
	"testing"
)

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

// TestCellLabelsInLanguage: a blank cell of a worksheet's table is named
// for screen readers in the page's language and digits.
func TestCellLabelsInLanguage(t *testing.T) {
	words := map[string]string{"cell_label": "{column}، الصف {n}", "column_n": "العمود {n}", "digits": "٠١٢٣٤٥٦٧٨٩"}
	lookup := func(key string) string {
		if s, ok := words[key]; ok {
			return s
		}
		return English(key)
	}
	src := []byte("::: table {rows=2}\n| مَن | |\n|---|---|\n:::\n")
	res, err := New().RenderWorksheet(src, &Options{Words: lookup})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	for _, want := range []string{`aria-label="مَن، الصف ١"`, `aria-label="العمود ٢، الصف ٢"`} {
		if !strings.Contains(string(res.HTML), want) {
			t.Errorf("the worksheet lacks %s:\n%s", want, res.HTML)
		}
	}
}
