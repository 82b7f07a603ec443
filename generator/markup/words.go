package markup

import (
	"io/fs"
	"slices"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"

	"github.com/yuin/goldmark/ast"

	"flipchart/generator/content"
	"flipchart/generator/i18n"
	"flipchart/themes"
)

// wordsKey is where a document keeps the words it is rendered with
// (Options.Words), for the node renderers, which see no parser context.
const wordsKey = "fc:words"

// Words are the words the generator writes into a page (a block's
// heading, a worksheet's field labels, "Session 9: Title", durations):
// UI strings of the page's language, by the keys of the theme's i18n
// files. English when the options give none.
func (o *Options) words() i18n.Lookup {
	if o == nil || o.Words == nil {
		return English
	}
	return o.Words
}

// English is the words of a document rendered without Options.Words:
// the built-in theme's en.toml, which owns them.
func English(key string) string {
	if s, ok := english()[key]; ok {
		return s
	}
	return key
}

// english reads the built-in theme's English UI strings once.
var english = sync.OnceValue(func() map[string]string {
	out := map[string]string{}
	var data map[string]any
	if raw, err := fs.ReadFile(themes.Default, "default/i18n/en.toml"); err == nil {
		if _, err := toml.Decode(string(raw), &data); err == nil {
			i18n.Flatten(data, out) // its test keeps it right
		}
	}
	return out
})

// markupWords are the keys of the UI strings the Markdown stage writes,
// but the kinds' and fields' (kind_note, field_name).
var markupWords = []string{"format", "time", "materials", "answer", "answer_line", "cell_label", "column_n", "session", "session_label",
	"duration_min", "duration_h", "duration_h_min", "duration_range_min", "duration_range_h", "duration_range",
	"digits", "list_separator"}

// wordsOf is the words n's document is rendered with.
func wordsOf(n ast.Node) i18n.Lookup {
	if doc := n.OwnerDocument(); doc != nil {
		if w, ok := doc.Meta()[wordsKey].(i18n.Lookup); ok {
			return w
		}
	}
	return English
}

// kindLabel is a kind's heading in the document's language.
func kindLabel(t i18n.Lookup, name string) string {
	if s := t("kind_" + name); s != "kind_"+name {
		return s
	}
	return Kinds[name].Label
}

// fieldLabel is a header field's label in the document's language.
func fieldLabel(t i18n.Lookup, f string) string {
	key := "field_" + strings.ToLower(f)
	if s := t(key); s != key {
		return s
	}
	return FieldLabel(f)
}

// answerLabel names the nth of several writing lines labelled label.
func answerLabel(t i18n.Lookup, label string, n int) string {
	return i18n.Fill(t("answer_line"), "label", label, "n", i18n.Number(t, n))
}

// duration shows a time range in the document's language.
func duration(t i18n.Lookup, r content.TimeRange) string { return i18n.Duration(t, r.Min, r.Max) }

// MarkupKeys are the keys of the UI strings rendering Markdown may use:
// a page of Markdown uses them all, as far as a change of them goes.
func MarkupKeys() []string {
	out := slices.Clone(markupWords)
	for name := range Kinds {
		out = append(out, "kind_"+name)
	}
	for f := range FieldLabels {
		out = append(out, "field_"+f)
	}
	return out
}

// listSeparator is what separates the items of a list written in a line:
// ", ", or "، " in Arabic script (the language's "list_separator").
func listSeparator(t i18n.Lookup) string {
	if s := t("list_separator"); s != "list_separator" && s != "" {
		return s
	}
	return ", "
}
