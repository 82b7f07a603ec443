package author

import (
	"fmt"
	"strings"
)

// Markdown writes the guide as a session file: TOML front matter, then the
// body's containers. An exercise takes a four-colon fence, so that the
// containers inside it close with three.
func (g *Guide) Markdown() []byte {
	var b strings.Builder
	b.WriteString("+++\n")
	b.WriteString("title = " + tomlString(g.Title) + "\n")
	fmt.Fprintf(&b, "session = %d\n", g.Session)
	if g.Time != "" {
		b.WriteString("time = " + tomlString(g.Time) + "\n")
	}
	fmt.Fprintf(&b, "weight = %d\n", g.Session)
	if len(g.Activities) > 0 {
		tomlList(&b, "activities", g.Activities)
	}
	if len(g.Objectives) > 0 {
		tomlList(&b, "objectives", g.Objectives)
	}
	if len(g.Materials) > 0 {
		tomlList(&b, "materials", g.Materials)
	}
	if g.Summary != "" {
		b.WriteString("summary = " + tomlString(g.Summary) + "\n")
	}
	b.WriteString("+++\n")
	for _, bl := range g.Body {
		b.WriteString("\n")
		writeBlock(&b, bl)
	}
	return []byte(b.String())
}

// Markdown writes a module's _index.md: its title, its place among the
// modules, and its introduction.
func (m *Module) Markdown(weight int) []byte {
	var b strings.Builder
	b.WriteString("+++\n")
	b.WriteString("title = " + tomlString(m.Title) + "\n")
	fmt.Fprintf(&b, "weight = %d\n", weight)
	b.WriteString("+++\n")
	if len(m.Intro) > 0 {
		b.WriteString("\n" + strings.Join(m.Intro, "\n") + "\n")
	}
	return []byte(b.String())
}

func writeBlock(b *strings.Builder, bl *Block) {
	if bl.Kind == "exercise" {
		b.WriteString(":::: exercise")
		if bl.Title != "" {
			b.WriteString(" " + attrSafe(bl.Title))
		}
		var attrs []string
		for _, a := range [][2]string{{"format", bl.Format}, {"time", bl.Time}, {"materials", bl.Materials}} {
			if a[1] != "" {
				attrs = append(attrs, a[0]+"="+attrValue(a[1]))
			}
		}
		if len(attrs) > 0 {
			b.WriteString(" {" + strings.Join(attrs, " ") + "}")
		}
		b.WriteString("\n")
		for _, c := range bl.Children {
			b.WriteString("\n")
			writeBlock(b, c)
		}
		b.WriteString("\n::::\n")
		return
	}
	if bl.Kind == "" {
		b.WriteString(strings.Join(bl.Lines, "\n") + "\n")
		return
	}
	b.WriteString("::: " + bl.Kind)
	if bl.Title != "" {
		b.WriteString(" " + attrSafe(bl.Title))
	}
	if bl.Trainers {
		b.WriteString(` {audience="trainers"}`)
	}
	b.WriteString("\n")
	for _, l := range bl.Lines {
		b.WriteString(l + "\n")
	}
	b.WriteString(":::\n")
}

// attrValue quotes an attribute value. The container syntax has no escapes:
// a value holding double quotes takes single ones, and one holding both has
// its double quotes made typographic. Braces become parentheses, as in
// titles.
func attrValue(v string) string {
	v = attrSafe(v)
	switch {
	case !strings.Contains(v, `"`):
		return `"` + v + `"`
	case !strings.Contains(v, `'`):
		return `'` + v + `'`
	}
	return `"` + strings.ReplaceAll(v, `"`, "”") + `"`
}
