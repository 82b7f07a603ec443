package build_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"flipchart/generator/browser"
	"flipchart/generator/markup"
	"flipchart/generator/render"
)

// themeStatic reads the default theme's static files in folder dir (css,
// js), by name, and opens a blank tab to read them in.
func themeStatic(t *testing.T, dir string) (map[string][]byte, context.Context) {
	t.Helper()
	dir = filepath.Join("..", "..", "themes", "default", "static", dir)
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, e := range ents {
		if files[e.Name()], err = os.ReadFile(filepath.Join(dir, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	ctx := browser.ForTest(t)
	if err := webStep(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	return files, ctx
}

// TestMinifiedCSSReadsTheSame checks that the stylesheets the site publishes
// minified are the theme's own as Chromium reads them: each rule of each
// file, serialized by the CSS object model, is the same.
func TestMinifiedCSSReadsTheSame(t *testing.T) {
	sheets, ctx := themeStatic(t, "css")
	chroma, err := markup.StyleCSS("github", "github-dark")
	if err != nil {
		t.Fatal(err)
	}
	sheets["chroma.css"] = chroma
	for name, src := range sheets {
		a, _ := json.Marshal(string(src))
		b, _ := json.Marshal(string(render.MinifyCSS(src)))
		diff, err := webGet(ctx, chromedp.Evaluate[[]string](`(() => {
			// A custom property keeps its value's white space as written:
			// any run of it is one space.
			const rules = css => { const s = new CSSStyleSheet(); s.replaceSync(css); return Array.from(s.cssRules, r => r.cssText.replace(/\s+/g, " ")); };
			const x = rules(`+string(a)+`), y = rules(`+string(b)+`);
			if (x.length === 0) { return ["no rule read"]; }
			for (let i = 0; i < Math.max(x.length, y.length); i++) { if (x[i] !== y[i]) { return [String(x[i]), String(y[i])]; } }
			return [];
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		if len(diff) > 0 {
			t.Errorf("%s reads otherwise minified:\n  %q\n  %q", name, diff[0], diff[len(diff)-1])
		}
	}
}

// TestMinifiedScriptsCompile checks that the theme's scripts, published
// without their comment lines and indentation, are still scripts Chromium
// compiles, and that they are published so (none holds what makes
// MinifyJS leave a script as it is).
func TestMinifiedScriptsCompile(t *testing.T) {
	scripts, ctx := themeStatic(t, "js")
	for name, src := range scripts {
		min := render.MinifyJS(src)
		if len(min) >= len(src) {
			t.Errorf("%s is published as it is (%d bytes)", name, len(src))
		}
		a, _ := json.Marshal(string(src))
		b, _ := json.Marshal(string(min))
		msg, err := webGet(ctx, chromedp.Evaluate[string](`(() => {
			for (const [name, src] of [["as written", `+string(a)+`], ["published", `+string(b)+`]]) {
				try { new Function(src); } catch (e) { return name + ": " + e; }
			}
			return "";
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		if msg != "" {
			t.Errorf("%s does not compile %s", name, msg)
		}
	}
}
