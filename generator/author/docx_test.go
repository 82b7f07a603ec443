package author

import "testing"

// The Markdown of runs in their looks, cleaned as a paragraph's are.
func TestDocxMarkdown(t *testing.T) {
	b := docxFmt{bold: true}
	i := docxFmt{italic: true}
	link := func(f docxFmt, u string) docxFmt { f.link = u; return f }
	seg := func(text string, f docxFmt) docxSeg { return docxSeg{text: text, docxFmt: f} }
	tests := []struct {
		segs []docxSeg
		want string
	}{
		{[]docxSeg{seg("  two ", b), seg(" ", docxFmt{}), seg("words  ", b), seg(" after", docxFmt{})}, "**two words** after"},
		{[]docxSeg{seg("see ", docxFmt{}), seg("the ", link(docxFmt{}, "u")), seg("guide", link(b, "u")), seg(" now", docxFmt{})}, "see [the **guide**](u) now"},
		{[]docxSeg{seg("bold ", b), seg("linked", link(b, "u")), seg(" bold", b)}, "**bold [linked](u) bold**"},
		{[]docxSeg{seg("half", b), seg(" linked", link(b, "u")), seg(" rest", link(docxFmt{}, "u"))}, "**half** [**linked** rest](u)"},
		{[]docxSeg{seg("a", docxFmt{}), seg(" ", link(docxFmt{}, "u")), seg("b", docxFmt{})}, "a b"},
		{[]docxSeg{seg("x", docxFmt{bold: true, italic: true}), seg(" y", i)}, "***x*** *y*"},
		{[]docxSeg{seg("`tick`", docxFmt{code: true}), seg(" *not* code", docxFmt{})}, "`` `tick` `` \\*not\\* code"},
		{[]docxSeg{seg("- ", b), seg("dash", docxFmt{})}, "**-** dash"},
		{[]docxSeg{seg("1. first", docxFmt{})}, `1\. first`},
		{[]docxSeg{seg(" \u00a0 ", b)}, ""},
	}
	for _, tc := range tests {
		if got := docxMarkdown(docxClean(tc.segs)); got != tc.want {
			t.Errorf("%+v: got %q, want %q", tc.segs, got, tc.want)
		}
	}
}
