package render

import (
	"fmt"
	"html/template"
	"os"
	"testing"

	"flipchart/generator/config"
	"flipchart/generator/content"
	"flipchart/generator/diag"
	"flipchart/generator/links"
	"flipchart/generator/markup"
	"flipchart/generator/site"
)

// discard is a Writer that keeps nothing.
type discard struct{}

func (discard) WriteFile(string, []byte) error { return nil }

// BenchmarkPageTemplates measures the templates of one session of the
// demo, its page and its handout, without its Markdown: what each page of
// a large manual costs on top of rendering its body.
func BenchmarkPageTemplates(b *testing.B) {
	src := os.DirFS("../..")
	var diags diag.List
	cfg := config.Load(src, &diags)
	c := content.LoadWith(src, content.Options{}, &diags)
	s := site.Assemble(cfg, c, site.Options{}, &diags)
	th, err := LoadTheme(src, cfg.Theme)
	if err != nil {
		b.Fatal(err)
	}
	r, d := New(s, th, src, markup.New(), nil)
	if d != nil {
		b.Fatal(d)
	}
	r.Render(discard{}, &diags)
	if diags.HasErrors() {
		b.Fatal(diags.Err())
	}
	p := s.Session("9")
	body, err := p.Source.ReadBody(src)
	if err != nil {
		b.Fatal(err)
	}
	j := &job{w: discard{}, links: links.NewIndex()}
	res := r.markdown(p, body, false, j)
	for _, tc := range []struct {
		name string
		page *site.Page
		html []byte
	}{{"session", p, res.HTML}, {"handout", p.Handout, markup.StripTrainers(res.HTML)}} {
		b.Run(tc.name, func(b *testing.B) {
			d := r.dataOf(tc.page)
			d.Headings, d.Content = res.Headings, template.HTML(tc.html)
			for b.Loop() {
				j.write(r, d)
			}
			if j.diags.HasErrors() {
				b.Fatal(fmt.Sprint(j.diags.Items()))
			}
		})
	}
}
