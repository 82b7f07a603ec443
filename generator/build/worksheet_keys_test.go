package build_test

// Worksheet answers keep their place: each field is kept under a key of its
// own, so an author's edit above a field does not move what a participant
// typed into another box; and answers are kept where config.toml says, for
// the tab's life ("session") or until cleared ("device").

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"flipchart/generator/browser"
	"flipchart/generator/build"
	"flipchart/generator/diag"
	"flipchart/generator/internal/sitetest"
)

// wsPlan is a one-session manual with a worksheet of every kind of field.
const wsPlan = `
-- content/_index.md --
+++
title = "Home"
+++
Start here.
-- content/day-1/_index.md --
+++
title = "Day 1"
+++
-- content/day-1/01-plan.md --
+++
title = "Plan"
session = 1
+++
Plan ahead.

::::: worksheet Plan {#plan fields="name, date"}
### Before you leave

Signed: ____

::: table {rows=2}
| Action | Who |
|--------|-----|
:::

What you will do first:

___

- [ ] I told someone.

Remove me: ____
:::::
`

func TestWorksheetStorageConfig(t *testing.T) {
	for _, tt := range []struct {
		name, config, storage, privacy string
	}{
		{"the default", "", "session", "only until you close it"},
		{"session", "[worksheets]\nstorage = \"session\"\n", "session", "only until you close it"},
		{"device", "[worksheets]\nstorage = \"Device\"\n", "device", "on this device until you clear it"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, wsPlan+"-- config.toml --\ntitle = \"M\"\n"+tt.config).build(build.Options{})
			s.ok()
			s.assertFile("worksheets/01-plan/index.html",
				`data-storage="`+tt.storage+`"`, tt.privacy,
				`data-msg-stale="Some saved answers no longer match this worksheet and were not restored: {fields}"`,
				`<input type="text" name="date" data-key="date" autocomplete="off">`,
				`data-key="before-you-leave/signed"`,
				`data-key="before-you-leave/action/who/row-2"`,
				`! type="date"`)
		})
	}
	t.Run("unknown", func(t *testing.T) {
		s := newSite(t, wsPlan+"-- config.toml --\ntitle = \"M\"\n\n[worksheets]\nstorage = \"cloud\"\n").build(build.Options{})
		s.assertDiag(diag.Error, "config.toml:4:11:", `worksheets.storage: unknown place to keep answers "cloud"`, `use "session"`)
	})
}

// TestWorksheetDuplicateIDs: two fields of a worksheet with one id fail the
// build at the second id, in the session's file.
func TestWorksheetDuplicateIDs(t *testing.T) {
	src := strings.Replace(wsPlan, "Signed: ____\n", "Signed: ____{#sig}\n\nWitness: ____{#sig}\n", 1)
	s := newSite(t, src).build(build.Options{})
	if s.res.Err() == nil {
		t.Fatal("the build succeeded with two fields of one id")
	}
	// Front matter is lines 1-4; the second {#sig} is on line 12.
	s.assertDiag(diag.Error, "content/day-1/01-plan.md:12:15:", `two fields of this worksheet have the id "sig"`, "give each field an id of its own")
}

// wsField reads a field by its storage key: value (or "1" for a ticked
// box) and accessible name.
type wsField struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

const wsFieldsJS = `(() => {
	const out = {};
	for (const el of document.querySelectorAll("form.worksheet-form [data-key]")) {
		out[el.dataset.key] = {
			value: el.type === "checkbox" ? (el.checked ? "1" : "") : el.value,
			label: el.getAttribute("aria-label") || el.name,
		};
	}
	return out;
})()`

// wsType types text into the field with a storage key, as a person does.
func wsType(t *testing.T, ctx context.Context, key, text string) {
	t.Helper()
	sel := `form.worksheet-form [data-key="` + key + `"]`
	var err error
	if text == "" {
		err = webStep(ctx, chromedp.Click(chromedp.CSS(sel)))
	} else {
		err = webStep(ctx, chromedp.SendKeys(chromedp.CSS(sel), text))
	}
	if err != nil {
		t.Fatalf("filling in %s: %v", key, err)
	}
}

// TestWorksheetAnswersKeepTheirPlace fills in a worksheet, then edits its
// Markdown as an author does: a paragraph, a new blank and a row of text
// in the table above the filled fields, and one filled field removed. After
// a rebuild and a reload in the same tab, every answer is in its own field,
// the new fields are empty, and the status line names the answer that no
// longer has a field.
func TestWorksheetAnswersKeepTheirPlace(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	dest := filepath.Join(dir, "public")
	files := parseTxtar(wsPlan)
	for name, f := range files {
		sitetest.WriteFile(t, src, name, string(f.Data))
	}
	build1 := func() {
		t.Helper()
		res, err := build.ToDir(src, dest, build.Options{})
		if err != nil {
			t.Fatalf("building: %v", err)
		}
		if err := res.Err(); err != nil {
			t.Fatalf("building: %v", err)
		}
	}
	build1()

	ctx := browser.ForTest(t)
	rec := webRecord(t, ctx)
	u := webFileURL(t, dest, "worksheets/01-plan/index.html")
	if err := webStep(ctx, chromedp.Navigate(u), chromedp.WaitVisible(chromedp.CSS(".worksheet-tools"))); err != nil {
		t.Fatalf("opening %s: %v", u, err)
	}
	typed := map[string]string{
		"name":                                    "Ada",
		"date":                                    "3 March",
		"before-you-leave/signed":                 "A. L.",
		"before-you-leave/action/who/row-1":       "Amina",
		"before-you-leave/action/action/row-2":    "Back up the laptop",
		"before-you-leave/what-you-will-do-first": "Turn on two-factor login",
		"before-you-leave/i-told-someone":         "1",
		"before-you-leave/remove-me":              "gone soon",
	}
	for key, text := range typed {
		if text == "1" {
			text = ""
		}
		wsType(t, ctx, key, text)
	}
	before, err := webGet(ctx, chromedp.Evaluate[map[string]wsField](wsFieldsJS))
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range typed {
		if got := before[key].Value; got != want {
			t.Fatalf("field %s holds %q after typing, want %q", key, got, want)
		}
	}

	// The author's edit: text and a new blank above the fields, a row of
	// text at the top of the table, and the last blank gone.
	file := filepath.Join(src, "content", "day-1", "01-plan.md")
	md, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	edited := string(md)
	for _, e := range [][2]string{
		{"### Before you leave\n", "Take your time: there is no wrong answer.\n\n### Before you leave\n\nGroup: ____\n\nThink of this week.\n"},
		{"|--------|-----|\n", "|--------|-----|\n| Change passwords | |\n"},
		{"\nRemove me: ____\n", "\n"},
	} {
		if !strings.Contains(edited, e[0]) {
			t.Fatalf("the worksheet has no %q", e[0])
		}
		edited = strings.Replace(edited, e[0], e[1], 1)
	}
	if err := os.WriteFile(file, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	build1()
	if err := webReload(ctx); err != nil {
		t.Fatalf("reloading: %v", err)
	}
	if err := webStep(ctx, chromedp.WaitVisible(chromedp.CSS(".worksheet-tools"))); err != nil {
		t.Fatal(err)
	}
	after, err := webGet(ctx, chromedp.Evaluate[map[string]wsField](wsFieldsJS))
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range typed {
		if key == "before-you-leave/remove-me" {
			if f, ok := after[key]; ok {
				t.Errorf("the removed field is still on the page: %+v", f)
			}
			continue
		}
		if got := after[key].Value; got != want {
			t.Errorf("after the edit field %s (%s) holds %q, want %q", key, after[key].Label, got, want)
		}
	}
	// The Who of the first blank row is the table's second row now.
	if l := after["before-you-leave/action/who/row-1"].Label; l != "Who, row 2" {
		t.Errorf("the first blank row's Who is labelled %q, want %q", l, "Who, row 2")
	}
	for _, key := range []string{"before-you-leave/group", "before-you-leave/action/who/change-passwords"} {
		f, ok := after[key]
		if !ok {
			t.Errorf("the new field %s is not on the page; fields: %v", key, after)
		} else if f.Value != "" {
			t.Errorf("the new field %s holds %q, want nothing", key, f.Value)
		}
	}
	filled := 0
	for _, f := range after {
		if f.Value != "" {
			filled++
		}
	}
	if filled != len(typed)-1 {
		t.Errorf("%d fields hold something after the edit, want %d: %v", filled, len(typed)-1, after)
	}
	st := wsRead(t, ctx, "after the edit")
	want := "Some saved answers no longer match this worksheet and were not restored: Remove me"
	if st.Status != want {
		t.Errorf("the status line says %q, want %q", st.Status, want)
	}

	// An answer kept by a page of an older flipchart (under the field's
	// place in the form, a value alone) is left alone, and said so.
	if err := webStep(ctx, chromedp.Evaluate[chromedp.Void](`(() => {
		const ws = document.querySelector("article.worksheet-page").dataset.worksheet;
		const here = location.pathname.replace(/index\.html$/, "");
		sessionStorage.setItem("flipchart:worksheet:" + here + ":0", "Ada");
	})()`)); err != nil {
		t.Fatal(err)
	}
	if err := webReload(ctx); err != nil {
		t.Fatalf("reloading: %v", err)
	}
	if err := webStep(ctx, chromedp.WaitVisible(chromedp.CSS(".worksheet-tools"))); err != nil {
		t.Fatal(err)
	}
	if st := wsRead(t, ctx, "with an old answer"); !strings.HasPrefix(st.Status, "Some saved answers no longer match") || st.Name != "Ada" {
		t.Errorf("with an answer kept by its place, the status says %q and the name is %q", st.Status, st.Name)
	}

	// Clear takes the answers that matched nothing too.
	if err := webStep(ctx,
		chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`),
		chromedp.Click(chromedp.CSS(`.worksheet-tools button[data-action="clear"]`)),
	); err != nil {
		t.Fatalf("clearing: %v", err)
	}
	if st := wsRead(t, ctx, "after clearing"); len(st.Keys) != 0 || len(st.Filled) != 0 {
		t.Errorf("after Clear answers the storage holds %v and the fields %v", st.Keys, st.Filled)
	}
	rec.check(t)
}

// wsNewTab opens a tab in the browser of ctx. It is made here, with a
// context of its own, not by the first step's: a tab lives as long as the
// context it was made with.
func wsNewTab(t *testing.T, ctx context.Context) (context.Context, context.CancelFunc) {
	t.Helper()
	tab, cancel := chromedp.NewContext(ctx)
	if err := chromedp.Do(tab); err != nil {
		cancel()
		t.Fatalf("opening a tab: %v", err)
	}
	return tab, cancel
}

// TestWorksheetStorageSessionOrDevice types an answer with each setting and
// looks where the browser keeps it: sessionStorage for "session", gone once
// the tab is closed; localStorage for "device", there in a new tab.
func TestWorksheetStorageSessionOrDevice(t *testing.T) {
	for _, tt := range []struct {
		storage      string
		kept, other  string
		keptInNewTab bool
	}{
		{"session", "sessionStorage", "localStorage", false},
		{"device", "localStorage", "sessionStorage", true},
	} {
		t.Run(tt.storage, func(t *testing.T) {
			dir := t.TempDir()
			src := filepath.Join(dir, "src")
			dest := filepath.Join(dir, "public")
			for name, f := range parseTxtar(wsPlan) {
				sitetest.WriteFile(t, src, name, string(f.Data))
			}
			sitetest.WriteFile(t, src, "config.toml", "title = \"M\"\n\n[worksheets]\nstorage = \""+tt.storage+"\"\n")
			if res, err := build.ToDir(src, dest, build.Options{}); err != nil || res.Err() != nil {
				t.Fatalf("building: %v %v", err, res.Err())
			}
			u := webFileURL(t, dest, "worksheets/01-plan/index.html")

			browserCtx := browser.ForTest(t)
			tab, closeTab := wsNewTab(t, browserCtx)
			if err := webStep(tab, chromedp.Navigate(u), chromedp.WaitVisible(chromedp.CSS(".worksheet-tools"))); err != nil {
				t.Fatalf("opening %s: %v", u, err)
			}
			wsType(t, tab, "name", "Ada")
			where := `((name) => {
				const s = window[name], out = [];
				for (let i = 0; i < s.length; i++) {
					if (s.key(i).includes("worksheets/01-plan/")) out.push(s.key(i) + "=" + s.getItem(s.key(i)));
				}
				return out;
			})`
			kept, err := webGet(tab, chromedp.Evaluate[[]string](where+`("`+tt.kept+`")`))
			if err != nil {
				t.Fatal(err)
			}
			if len(kept) != 1 || !strings.HasSuffix(kept[0], `/worksheets/01-plan/:name={"v":"Ada","l":"Name"}`) {
				t.Errorf("%s holds %q, want the name", tt.kept, kept)
			}
			other, err := webGet(tab, chromedp.Evaluate[[]string](where+`("`+tt.other+`")`))
			if err != nil {
				t.Fatal(err)
			}
			if len(other) != 0 {
				t.Errorf("%s holds %q, want nothing", tt.other, other)
			}
			privacy, err := webGet(tab, chromedp.TextContent(chromedp.CSS(".worksheet-privacy")))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("the page says: %s", privacy)
			if wantSay := map[string]string{"session": "until you close it", "device": "until you clear it"}[tt.storage]; !strings.Contains(privacy, wantSay) {
				t.Errorf("the page says %q, want it to say %q", privacy, wantSay)
			}

			// Close the tab; open the worksheet in a new one.
			closeTab()
			tab2, closeTab2 := wsNewTab(t, browserCtx)
			defer closeTab2()
			if err := webStep(tab2, chromedp.Navigate(u), chromedp.WaitVisible(chromedp.CSS(".worksheet-tools"))); err != nil {
				t.Fatalf("opening %s in a new tab: %v", u, err)
			}
			name, err := webGet(tab2, chromedp.Value(chromedp.CSS(wsName)))
			if err != nil {
				t.Fatal(err)
			}
			if got := name == "Ada"; got != tt.keptInNewTab {
				t.Errorf("with storage %q a new tab finds the name %q", tt.storage, name)
			}
		})
	}
}
