package build_test

// Every link of every file a build writes resolves: checked here with an
// HTML parser of its own (golang.org/x/net/html), not with the links
// stage that the build itself uses, over the demo and over a site with
// every kind of link from every kind of output.

import (
	"bytes"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"flipchart/generator/build"
	"flipchart/generator/diag"
	"flipchart/generator/internal/sitetest"
	"flipchart/generator/publish"
)

// brokenLinks reads every HTML file of a built site and returns each link
// that does not lead to a file of the site, or to an ID of that file, and
// each link still written from the site's root.
func brokenLinks(t *testing.T, files map[string][]byte) (broken []string, checked int) {
	t.Helper()
	ids := map[string]map[string]bool{}
	type link struct{ file, url string }
	var all []link
	for name, data := range files {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		doc, err := html.Parse(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		ids[name] = map[string]bool{}
		for n := range doc.Descendants() {
			if n.Type != html.ElementNode {
				continue
			}
			for _, a := range n.Attr {
				switch a.Key {
				case "id":
					ids[name][a.Val] = true
				case "href", "src":
					all = append(all, link{name, a.Val})
				}
			}
		}
	}
	for _, l := range all {
		u, err := url.Parse(l.url)
		switch {
		case err != nil:
			broken = append(broken, l.file+": unparsable "+l.url)
			continue
		case u.Scheme != "" || u.Host != "":
			continue
		case strings.HasPrefix(l.url, "/"):
			broken = append(broken, l.file+": from the site's root: "+l.url)
			continue
		}
		checked++
		target := l.file
		if u.Path != "" {
			target = path.Join(path.Dir(l.file), u.Path)
		}
		if _, ok := files[target]; !ok {
			broken = append(broken, l.file+": no file "+target+" ("+l.url+")")
			continue
		}
		if u.Fragment != "" && strings.HasSuffix(target, ".html") && !ids[target][u.Fragment] {
			broken = append(broken, l.file+": no ID "+u.Fragment+" in "+target+" ("+l.url+")")
		}
	}
	return broken, checked
}

// readTree reads every file under dir by slash path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		data, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func memoryFiles(m *publish.Memory) map[string][]byte {
	files := map[string][]byte{}
	for _, n := range m.Names() {
		files[n], _ = m.Get(n)
	}
	return files
}

// The demo as published: no broken link in any file, handouts and print
// editions included, and no page nothing links to.
func TestDemoLinksAllResolve(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	res, err := build.ToDir(filepath.Join("..", ".."), dest, build.Options{Unlinked: true})
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	if w := res.Diags.Warnings(); w > 0 {
		t.Errorf("the demo has %d warnings:\n%v", w, res.Diags.Items())
	}
	broken, checked := brokenLinks(t, readTree(t, dest))
	if checked < 500 {
		t.Errorf("only %d links checked: the walk missed pages", checked)
	}
	if len(broken) > 0 {
		t.Errorf("%d broken links:\n%s", len(broken), strings.Join(broken, "\n"))
	}
}

// Every kind of link, from every kind of output: a session's page, its
// handout, its worksheet's page, a module page, the print editions.
const linkSite = `
-- config.toml --
title = "Links"
-- static/img/logo.png --
PNG
-- content/_index.md --
+++
title = "Home"
+++
![Logo](/img/logo.png) Start with [the plan](day-1/part-a/02-plan.md#steps).
-- content/day-1/_index.md --
+++
title = "Day 1"
+++
Day one: [Session 2](session:2), [the risk session](session:risk) and [mapping](part-a/02-plan.md).
-- content/day-1/part-a/_index.md --
+++
title = "Part A"
+++
Part A of [Day 2](../../day-2/_index.md) and [home](/content/_index.md).
-- content/day-1/part-a/01-risk.md --
+++
title = "Risk"
session = 1
slug = "risk"
time = "30 min"
+++
See Session 2 and [](session:2), [steps](02-plan.md#steps), ![map](map.png "Map"), ![logo](/img/logo.png),
[top](#risk-work), [the day](../_index.md), [day 2 plan](../../day-2/03-later.md#later-work),
[the plan's notes](02-plan.md#plan-notes).

## Risk work

::: worksheet Risk sheet
Name: ____

See [the plan](02-plan.md) and ![map](map.png).
:::

::: facilitation
Facilitators link [Session 3](session:3) too.
:::
-- content/day-1/part-a/map.png --
PNG
-- content/day-1/part-a/02-plan.md --
+++
title = "Plan"
session = 2
time = "30 min"
+++
Back to [Session 1](01-risk.md#risk-work) and [Day 2](/content/day-2/_index.md).

## Steps

Steps.

::: facilitation
### Plan notes

Only for trainers.
:::
-- content/day-2/_index.md --
+++
title = "Day 2"
+++
Later: [Session 3](03-later.md).
-- content/day-2/03-later.md --
+++
title = "Later"
session = 3
time = "30 min"
+++
From [Session 1](../day-1/part-a/01-risk.md) ![map](../day-1/part-a/map.png).

## Later work

Work.
`

func TestSiteEveryKindOfLinkResolves(t *testing.T) {
	s := newSite(t, linkSite).build(build.Options{Unlinked: true}).ok()
	s.assertNoWarnings()
	files := memoryFiles(s.out)
	broken, checked := brokenLinks(t, files)
	if len(broken) > 0 {
		t.Errorf("%d broken links:\n%s", len(broken), strings.Join(broken, "\n"))
	}
	if checked < 100 {
		t.Errorf("only %d links checked", checked)
	}
	// A link to trainers' notes in another session is text in the
	// participants' edition, where those notes are not.
	for file, want := range map[string]string{
		"print/index.html":              `<a href="#p-day-1-part-a-02-plan--plan-notes">the plan&rsquo;s notes</a>`,
		"print/participants/index.html": `<a>the plan&rsquo;s notes</a>`,
	} {
		if !strings.Contains(s.file(file), want) {
			t.Errorf("%s lacks %s", file, want)
		}
	}
	for file, want := range map[string]string{
		"day-1/part-a/risk/handout/index.html": `href="../../../../day-1/part-a/02-plan/index.html#steps"`,
		"day-1/part-a/risk/index.html":         `src="../../../img/logo.png"`,
		"index.html":                           `src="img/logo.png"`,
		"print/participants/index.html":        `src="../../day-1/part-a/map.png"`,
		"worksheets/01-risk-sheet/index.html":  `src="../../day-1/part-a/map.png"`,
	} {
		if !strings.Contains(s.file(file), want) {
			t.Errorf("%s lacks %s", file, want)
		}
	}
}

// A broken link is an error at its Markdown line, wherever the page is
// published, and public/ stays as it was.
func TestSiteBrokenLinksFailTheBuild(t *testing.T) {
	for _, c := range []struct{ name, md, want string }{
		{"missing anchor", "See [x](02-plan.md#nowhere).", "content/day-1/part-a/01-risk.md:8:5: error: link to day-1/part-a/02-plan/index.html#nowhere"},
		{"missing anchor on the page", "See [x](#nowhere).", "content/day-1/part-a/01-risk.md:8:5: error: link to day-1/part-a/risk/index.html#nowhere"},
		{"missing static file", "See ![x](/img/nope.png).", "content/day-1/part-a/01-risk.md:8:5: error: link to img/nope.png: the site has no such file"},
		{"missing page", "See [x](/content/nope.md).", "content/day-1/part-a/01-risk.md:8:5: error: link to \"/content/nope.md\": there is no content/nope.md"},
	} {
		t.Run(c.name, func(t *testing.T) {
			files := parseTxtar(linkSite)
			dir := t.TempDir()
			for name, f := range files {
				sitetest.WriteFile(t, dir, name, string(f.Data))
			}
			dest := filepath.Join(t.TempDir(), "public")
			if _, err := build.ToDir(dir, dest, build.Options{}); err != nil {
				t.Fatalf("first build: %v", err)
			}
			before := readTree(t, dest)
			sitetest.WriteFile(t, dir, "content/day-1/part-a/01-risk.md", "+++\ntitle = \"Risk\"\nsession = 1\nslug = \"risk\"\ntime = \"30 min\"\n+++\n\n"+c.md+"\n\n## Risk work\n")
			res, err := build.ToDir(dir, dest, build.Options{})
			if err == nil {
				t.Fatal("the build succeeded")
			}
			var all []string
			n := 0
			for _, d := range res.Diags.Items() {
				if d.Severity == diag.Error {
					all = append(all, d.Error())
					n++
				}
			}
			if n != 1 || !strings.HasPrefix(all[0], c.want) {
				t.Errorf("want one error starting %q, got:\n%s", c.want, strings.Join(all, "\n"))
			}
			after := readTree(t, dest)
			if len(after) != len(before) {
				t.Errorf("public/ changed: %d files, was %d", len(after), len(before))
			}
			for name, data := range before {
				if !bytes.Equal(after[name], data) {
					t.Errorf("public/%s changed", name)
				}
			}
		})
	}
}
