package markup

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// formatter writes CSS classes, never inline styles, so the colours come from
// one stylesheet with a light and a dark variant.
var formatter = chromahtml.New(chromahtml.WithClasses(true), chromahtml.WithPreWrapper(preWrapper{}))

// preWrapper makes each code block focusable, so a reader can scroll a wide
// one with the keyboard.
type preWrapper struct{}

func (preWrapper) Start(code bool, styleAttr string) string {
	return codeStart + "><code>"
}

// codeStart opens every fenced code block, highlighted or not (an indented
// one is goldmark's plain <pre><code>).
const codeStart = `<pre class="chroma" tabindex="0"`

// HasCode reports whether rendered HTML holds a fenced code block, which
// the highlighting stylesheet (StyleCSS) colours. Text never forges one:
// goldmark escapes quotes.
func HasCode(html string) bool { return strings.Contains(html, codeStart) }

func (preWrapper) End(code bool) string { return "</code></pre>" }

// codeRenderer renders fenced code blocks through chroma.
type codeRenderer struct{}

func (r *codeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, r.render)
}

func (r *codeRenderer) render(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	b := n.(*ast.FencedCodeBlock)
	var code bytes.Buffer
	lines := b.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		code.Write(seg.Value(src))
	}
	lang := string(b.Language(src))
	if err := Highlight(w, code.String(), lang); err != nil {
		return ast.WalkStop, err
	}
	return ast.WalkSkipChildren, nil
}

// Highlight writes code as highlighted HTML. An unknown language is written
// as plain, escaped text.
func Highlight(w util.BufWriter, code, lang string) error {
	var lexer chroma.Lexer
	if lang != "" {
		lexer = lexers.Get(lang)
	}
	if lexer == nil {
		_, _ = w.WriteString(codeStart + "><code")
		if lang != "" {
			_, _ = fmt.Fprintf(w, ` class="language-%s"`, util.EscapeHTML([]byte(lang)))
		}
		_, _ = w.WriteString(">")
		_, _ = w.Write(util.EscapeHTML([]byte(code)))
		_, _ = w.WriteString("</code></pre>\n")
		return nil
	}
	it, err := chroma.Coalesce(lexer).Tokenise(nil, code)
	if err != nil {
		return err
	}
	if err := formatter.Format(w, styles.Fallback, it); err != nil {
		return err
	}
	_, err = w.WriteString("\n")
	return err
}

// StyleExists reports whether chroma knows a style name.
func StyleExists(name string) bool {
	_, ok := styles.Registry[strings.ToLower(name)]
	return ok
}

// StyleCSS returns the stylesheet for highlighted code: the light style, and
// the dark one for screens that prefer a dark scheme.
func StyleCSS(light, dark string) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("/* Code highlighting, generated from chroma styles " + light + " and " + dark + ". */\n")
	if err := formatter.WriteCSS(&b, styles.Get(light)); err != nil {
		return nil, err
	}
	b.WriteString("@media screen and (prefers-color-scheme: dark) {\n")
	if err := formatter.WriteCSS(&b, styles.Get(dark)); err != nil {
		return nil, err
	}
	b.WriteString("}\n")
	return b.Bytes(), nil
}
