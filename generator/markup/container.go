package markup

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"flipchart/generator/content"
	"flipchart/generator/i18n"
	"flipchart/generator/meta"
)

// containerParser parses fenced containers, modelled on goldmark's fenced
// code blocks: Open counts the colons of the fence, Continue closes on a
// fence of at least as many colons. A closing fence closes the innermost open
// container; inside a code block it is code.
type containerParser struct{}

func (containerParser) Trigger() []byte { return []byte{':'} }

// fenceLen returns the number of colons starting line at pos, or 0 when there
// are fewer than three.
func fenceLen(line []byte, pos int) int {
	i := pos
	for i < len(line) && line[i] == ':' {
		i++
	}
	if i-pos < 3 {
		return 0
	}
	return i - pos
}

func (containerParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, seg := reader.PeekLine()
	pos := pc.BlockOffset()
	if pos < 0 {
		return nil, parser.NoChildren
	}
	n := fenceLen(line, pos)
	if n == 0 {
		return nil, parser.NoChildren
	}
	rest := line[pos+n:]
	start := seg.Start + pos + n // offset of rest in the source
	if util.IsBlank(rest) {
		addProblem(pc, reader.Source(), seg.Start+pos, "a closing ::: fence with no open container")
		return nil, parser.NoChildren
	}
	c := &Container{Offset: seg.Start + pos, fence: n}
	if opt, _ := pc.Get(optionsKey).(*Options); opt != nil {
		c.materialsForAll = opt.HandoutMaterials
	}
	c.parseInfo(rest, start, reader.Source(), pc)
	reader.AdvanceToEOL()
	return c, parser.HasChildren
}

// parseInfo reads `kind Title {attrs}` after the opening fence.
func (c *Container) parseInfo(rest []byte, start int, src []byte, pc parser.Context) {
	i := 0
	for i < len(rest) && (rest[i] == ' ' || rest[i] == '\t') {
		i++
	}
	j := i
	for j < len(rest) && isKindByte(rest[j]) {
		j++
	}
	c.Written = string(rest[i:j])
	known := true
	if c.Written == "" {
		known = false
		addProblem(pc, src, start+i, "a container needs a kind after the colons, e.g. ::: exercise Title; known kinds: %s", strings.Join(KindNames(), ", "))
		c.Name = "note"
	} else if k, ok := LookupKind(strings.ToLower(c.Written)); ok {
		c.Name = k.Name
	} else {
		known = false
		p := addProblem(pc, src, start+i, "unknown container kind %q; known kinds: %s", c.Written, strings.Join(KindNames(), ", "))
		if s := closestKind(c.Written); s != "" {
			p.Hint = fmt.Sprintf("did you mean %q?", s)
		}
		c.Name = "note"
	}
	body := strings.TrimRight(string(rest[j:]), " \t\r\n")
	// A trailing fence (`::: note Title :::`) is allowed, as in Pandoc.
	body = strings.TrimRight(strings.TrimRight(body, ":"), " \t")
	attrStart := -1
	if strings.HasSuffix(body, "}") {
		attrStart = strings.LastIndex(body, "{")
	} else if k := strings.LastIndex(body, "{"); k >= 0 && !strings.Contains(body[k:], "}") {
		addProblem(pc, src, start+j+k, "the attributes opened with { are never closed with }")
		body = body[:k]
	}
	if attrStart >= 0 {
		c.parseAttrs(body[attrStart+1:len(body)-1], start+j+attrStart+1, src, pc, known)
		body = body[:attrStart]
	}
	c.Title = strings.TrimSpace(body)
}

func isKindByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '_'
}

// parseAttrs reads `key="value" key='value' key=bare .class #id`.
// Attributes of a container of unknown kind are not checked against the
// kind: the kind is what is wrong.
func (c *Container) parseAttrs(s string, start int, src []byte, pc parser.Context, checkKeys bool) {
	known := map[string]bool{}
	if k, ok := Kinds[c.Name]; ok {
		for _, a := range k.Attrs {
			known[a] = true
		}
	}
	i := 0
	for i < len(s) {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == ',') {
			i++
		}
		if i >= len(s) {
			break
		}
		if s[i] == '.' || s[i] == '#' {
			j := i + 1
			for j < len(s) && isKindByte(s[j]) {
				j++
			}
			if j == i+1 {
				addProblem(pc, src, start+i, "expected a name after %q in the attributes", s[i])
				return
			}
			if s[i] == '.' {
				c.Classes = append(c.Classes, s[i+1:j])
			} else {
				c.ID, c.IDOffset = s[i+1:j], start+i
			}
			i = j
			continue
		}
		j := i
		for j < len(s) && isKindByte(s[j]) {
			j++
		}
		key := s[i:j]
		if key == "" {
			addProblem(pc, src, start+i, "unexpected %q in the attributes; write them as key=\"value\"", s[i])
			return
		}
		if j >= len(s) || s[j] != '=' {
			addProblem(pc, src, start+i, "attribute %q has no value; write %s=\"...\"", key, key)
			return
		}
		j++
		var val string
		if j < len(s) && (s[j] == '"' || s[j] == '\'') {
			q := s[j]
			end := strings.IndexByte(s[j+1:], q)
			if end < 0 {
				addProblem(pc, src, start+j, "the quoted value of %q is never closed", key)
				return
			}
			val = s[j+1 : j+1+end]
			j = j + 1 + end + 1
		} else {
			k := j
			for k < len(s) && s[k] != ' ' && s[k] != '\t' {
				k++
			}
			val = s[j:k]
			j = k
		}
		if key == AudienceAttr {
			// Every kind takes it, so it is not in any kind's Attrs.
			c.setAudience(val, pc, src, start+i)
			c.Attrs = append(c.Attrs, Attr{Key: key, Value: val})
			i = j
			continue
		}
		if key == "time" {
			if _, err := content.ParseTimeRange(val); err != nil {
				addProblem(pc, src, start+i, "time: %v", err).Hint = `write a time such as "15–30 min", "45 min" or "1 h 30 min"`
			}
		}
		if checkKeys && !known[key] {
			names := "none"
			if k := Kinds[c.Name].Attrs; len(k) > 0 {
				names = strings.Join(k, ", ")
			}
			addProblem(pc, src, start+i, "%s containers have no attribute %q (they know: %s)", c.Name, key, names)
		}
		c.Attrs = append(c.Attrs, Attr{Key: key, Value: val})
		i = j
	}
}

// setAudience reads the audience attribute at offset. A value that is
// neither audience is an error, and the container is taken as for trainers
// only, so that a mistake never shows participants more.
func (c *Container) setAudience(val string, pc parser.Context, src []byte, offset int) {
	if c.Audience != "" {
		addProblem(pc, src, offset, "%s is given twice", AudienceAttr).Hint = "keep one audience attribute"
		return
	}
	v := strings.ToLower(strings.TrimSpace(val))
	if v == AudienceTrainers || v == AudienceParticipants {
		c.Audience = v
		return
	}
	c.Audience = AudienceTrainers
	p := addProblem(pc, src, offset, "%s: %q is not an audience; a container is for %q or for %q", AudienceAttr, val, AudienceTrainers, AudienceParticipants)
	p.Hint = `write audience="trainers" to leave it out of everything participants get, or audience="participants" to give it to them`
	if s := meta.Suggest(v, []string{AudienceTrainers, AudienceParticipants}); s != "" && v != "" {
		p.Hint = fmt.Sprintf("did you mean %q? ", s) + p.Hint
	}
}

func (containerParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	c := node.(*Container)
	line, _ := reader.PeekLine()
	w, pos := util.IndentWidth(line, reader.LineOffset())
	if w >= 4 {
		return parser.Continue | parser.HasChildren
	}
	n := fenceLen(line, pos)
	if n == 0 || !util.IsBlank(line[pos+n:]) {
		return parser.Continue | parser.HasChildren
	}
	// A closing fence belongs to the innermost open container, and is code
	// inside a code block.
	after := false
	for _, b := range pc.OpenedBlocks() {
		if b.Node == node {
			after = true
			continue
		}
		if !after {
			continue
		}
		switch b.Node.(type) {
		case *Container, *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock:
			return parser.Continue | parser.HasChildren
		}
	}
	if n < c.fence {
		return parser.Continue | parser.HasChildren
	}
	c.closed = true
	_, seg := reader.PeekLine()
	c.End = seg.Stop
	reader.AdvanceToEOL()
	return parser.Close
}

func (containerParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {
	c := node.(*Container)
	if c.ID == "" && c.Title != "" && Kinds[c.Name].Element == "section" {
		c.ID = string(pc.IDs().Generate([]byte(c.Title), KindContainer))
	}
	if !c.closed {
		addProblem(pc, reader.Source(), c.Offset, "the ::: %s container opened here is never closed", c.Written).Hint =
			"add a line with ::: where the container ends"
	}
}

func (containerParser) CanInterruptParagraph() bool { return true }
func (containerParser) CanAcceptIndentedLine() bool { return false }

// addProblem records a problem at a byte offset of the source.
func addProblem(pc parser.Context, src []byte, offset int, format string, args ...any) *Problem {
	line, col := position(src, offset)
	return addProblemAt(pc, line, col, format, args...)
}

// addProblemAt records a problem at a line and column.
func addProblemAt(pc parser.Context, line, col int, format string, args ...any) *Problem {
	list, _ := pc.Get(problemsKey).(*[]Problem)
	if list == nil {
		list = &[]Problem{}
		pc.Set(problemsKey, list)
	}
	*list = append(*list, Problem{Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
	return &(*list)[len(*list)-1]
}

// position returns the 1-based line and column (in characters) of offset.
func position(src []byte, offset int) (line, col int) {
	offset = min(max(offset, 0), len(src))
	line = bytes.Count(src[:offset], []byte("\n")) + 1
	ls := bytes.LastIndexByte(src[:offset], '\n') + 1
	return line, len([]rune(string(src[ls:offset]))) + 1
}

// What renderContainer writes: containerOpen starts the class attribute of
// every container but the layout ones (class="fc fc-KIND"), trainersAttr
// marks one for trainers only, factsOpen opens an exercise's facts.
const (
	containerOpen = `class="fc fc-`
	trainersAttr  = ` data-audience="trainers"`
	factsOpen     = `<dl class="fc-facts">`
)

// HasBlocks reports whether rendered HTML holds a block that is more than
// paragraphs, lists, tables and headed text, which a theme may style in a
// stylesheet of its own: a quotation, a code block, a footnote, or a
// structured block beyond headed text (an exercise, a block with facts, an
// aside such as a note or a break, a solution, any block for trainers
// only). Text never forges one: raw HTML is off, and goldmark escapes
// quotes.
func HasBlocks(html string) bool {
	for _, m := range []string{"<blockquote", "<pre", "<sup", `<div class="footnotes"`,
		containerOpen + "exercise", factsOpen, trainersAttr, "<aside " + containerOpen, "<details " + containerOpen} {
		if strings.Contains(html, m) {
			return true
		}
	}
	return false
}

// containerRenderer renders containers as semantic HTML with a class and an
// accessible label. fillable renders a worksheet's blanks as form fields.
type containerRenderer struct{ fillable bool }

func (r containerRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindContainer, r.render)
}

func (r containerRenderer) render(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if c := n.(*Container); Kinds[c.Name].Element == "div" {
		if entering && c.TrainersOnly() {
			w.WriteString(TrainersStart + "\n")
		}
		st, err := renderLayout(w, src, c, entering, r.fillable)
		if !entering && c.TrainersOnly() {
			w.WriteString(TrainersEnd + "\n")
		}
		return st, err
	}
	st, err := renderContainer(w, src, n, entering)
	if c := n.(*Container); entering && c.Name == "worksheet" {
		writeFields(w, c, r.fillable)
	}
	return st, err
}

// depth counts the containers with a heading around n, for heading levels;
// layout containers (columns, tables, lines) have none.
func depth(n ast.Node) int {
	d := 0
	for p := n.Parent(); p != nil; p = p.Parent() {
		if c, ok := p.(*Container); ok && Kinds[c.Name].Element != "div" {
			d++
		}
	}
	return d
}

func renderContainer(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	c := n.(*Container)
	k := Kinds[c.Name]
	if !entering {
		if k.Element == "details" {
			w.WriteString("</div></details>\n")
		} else {
			w.WriteString("</div></" + k.Element + ">\n")
		}
		if c.TrainersOnly() {
			w.WriteString(TrainersEnd + "\n")
		}
		return ast.WalkContinue, nil
	}
	if c.TrainersOnly() {
		w.WriteString(TrainersStart + "\n")
	}
	words := wordsOf(n)
	kind := kindLabel(words, c.Name)
	label := kind
	heading := label
	if c.Title != "" {
		heading = c.Title
		if c.Title != label {
			label = kind + ": " + c.Title
		}
	}
	classes := c.Name
	for _, cl := range c.Classes {
		classes += " " + cl
	}
	w.WriteString("<" + k.Element + " " + containerOpen + string(util.EscapeHTML([]byte(classes))) + `"`)
	if c.ID != "" {
		w.WriteString(` id="` + string(util.EscapeHTML([]byte(c.ID))) + `"`)
	}
	if c.TrainersOnly() {
		w.WriteString(trainersAttr)
	}
	if k.Element != "details" {
		w.WriteString(` aria-label="` + string(util.EscapeHTML([]byte(label))) + `"`)
	}
	w.WriteString(">\n")
	if k.Element == "details" {
		w.WriteString("<summary>" + string(util.EscapeHTML([]byte(heading))) + "</summary>\n<div class=\"fc-body\">\n")
		return ast.WalkContinue, nil
	}
	w.WriteString(`<header class="fc-header">`)
	if c.Title != "" && c.Title != kind && c.Name != "column" {
		w.WriteString(`<p class="fc-kind">` + string(util.EscapeHTML([]byte(kind))) + "</p>")
	}
	if k.Element == "section" {
		lvl := fmt.Sprint(min(2+depth(n), 6))
		w.WriteString("<h" + lvl + ` class="fc-title">` + string(util.EscapeHTML([]byte(heading))) + "</h" + lvl + ">")
	} else {
		w.WriteString(`<p class="fc-title">` + string(util.EscapeHTML([]byte(heading))) + "</p>")
	}
	writeFacts(w, c, words)
	w.WriteString("</header>\n<div class=\"fc-body\">\n")
	return ast.WalkContinue, nil
}

// writeFacts writes an exercise's format, time and materials.
func writeFacts(w util.BufWriter, c *Container, t i18n.Lookup) {
	var facts [][2]string
	if v := c.Attr("format"); v != "" {
		facts = append(facts, [2]string{t("format"), v})
	}
	if v := c.Attr("time"); v != "" {
		if r, err := content.ParseTimeRange(v); err == nil {
			v = duration(t, r)
		}
		facts = append(facts, [2]string{t("time"), v})
	}
	materials := false
	if v := c.Attr("materials"); v != "" {
		facts = append(facts, [2]string{t("materials"), strings.Join(SplitList(v), listSeparator(t))})
		materials = true
	}
	if len(facts) == 0 {
		return
	}
	// The materials are the trainer's list: participants see them only
	// when the site says so. When they are the only fact, the whole list is
	// the trainers', so that handouts get no empty one.
	trainers := materials && !c.materialsForAll
	if trainers && len(facts) == 1 {
		w.WriteString(TrainersStart)
	}
	w.WriteString(factsOpen)
	for i, f := range facts {
		last := trainers && len(facts) > 1 && i == len(facts)-1
		if last {
			w.WriteString(TrainersStart)
		}
		w.WriteString("<div><dt>" + f[0] + "</dt><dd>" + string(util.EscapeHTML([]byte(f[1]))) + "</dd></div>")
		if last {
			w.WriteString(TrainersEnd)
		}
	}
	w.WriteString("</dl>")
	if trainers && len(facts) == 1 {
		w.WriteString(TrainersEnd)
	}
}

// TrainersStart and TrainersEnd surround facilitator-only containers in the
// HTML, so a participant edition can be cut from the one rendering. Raw HTML
// is off, so no document can write them itself.
const (
	TrainersStart = "<!--fc:trainers-->"
	TrainersEnd   = "<!--/fc:trainers-->"
)

// StripTrainers returns html without its facilitator-only containers. A
// link within the page to an ID that went with them is left as text: what
// it led to is not for participants.
func StripTrainers(html []byte) []byte {
	out, _ := CutTrainers(html)
	return out
}

// CutTrainers is StripTrainers, and returns the IDs it cut too, for links
// from elsewhere to them.
func CutTrainers(html []byte) ([]byte, []string) {
	if !bytes.Contains(html, []byte(TrainersStart)) {
		return html, nil
	}
	return cutTrainers(make([]byte, 0, len(html)), html)
}

// CutTrainersTo is CutTrainers appending to dst, a buffer to use again,
// even when html holds nothing for trainers.
func CutTrainersTo(dst, html []byte) ([]byte, []string) {
	if !bytes.Contains(html, []byte(TrainersStart)) {
		return append(dst, html...), nil
	}
	return cutTrainers(dst, html)
}

// cutTrainers appends html, which holds something for trainers, to dst
// without it.
func cutTrainers(dst, html []byte) ([]byte, []string) {
	out, start := dst, len(dst)
	var ids []string
	cut := func(b []byte) {
		for {
			i := bytes.Index(b, []byte(` id="`))
			if i < 0 {
				return
			}
			b = b[i+5:]
			end := bytes.IndexByte(b, '"')
			if end < 0 {
				return
			}
			ids = append(ids, string(b[:end]))
			b = b[end:]
		}
	}
	depth := 0
	for len(html) > 0 {
		i := bytes.Index(html, []byte("<!--"))
		if i < 0 {
			if depth == 0 {
				out = append(out, html...)
			} else {
				cut(html)
			}
			break
		}
		if depth == 0 {
			out = append(out, html[:i]...)
		} else {
			cut(html[:i])
		}
		html = html[i:]
		switch {
		case bytes.HasPrefix(html, []byte(TrainersStart)):
			depth++
			html = html[len(TrainersStart):]
		case bytes.HasPrefix(html, []byte(TrainersEnd)):
			depth = max(depth-1, 0)
			html = html[len(TrainersEnd):]
			html = bytes.TrimPrefix(html, []byte("\n"))
		default:
			if depth == 0 {
				out = append(out, "<!--"...)
			}
			html = html[4:]
		}
	}
	// A link within the page to what was cut is left as text.
	for _, id := range ids {
		if ref := []byte(` href="#` + id + `"`); bytes.Contains(out[start:], ref) {
			out = append(out[:start], bytes.ReplaceAll(out[start:], ref, nil)...)
		}
	}
	return out, ids
}

// SplitList splits a comma-separated attribute value into trimmed items; a
// comma inside parentheses does not split: "Paper (A4, A3), Pens".
func SplitList(v string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i <= len(v); i++ {
		if i < len(v) {
			switch v[i] {
			case '(':
				depth++
				continue
			case ')':
				depth = max(depth-1, 0)
				continue
			case ',':
				if depth > 0 {
					continue
				}
			default:
				continue
			}
		}
		if s := strings.TrimSpace(v[start:i]); s != "" {
			out = append(out, s)
		}
		start = i + 1
	}
	return out
}

// Containers is the goldmark extension for fenced containers.
type containers struct{ fillable bool }

// Containers is the Extender that adds fenced containers to goldmark.
var Containers goldmark.Extender = containers{}

// fillableContainers renders worksheets as forms a participant fills in.
var fillableContainers goldmark.Extender = containers{fillable: true}

func (e containers) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(
		parser.WithBlockParsers(util.Prioritized(containerParser{}, 150)),
		parser.WithInlineParsers(util.Prioritized(blankParser{}, 90)),
		parser.WithASTTransformers(util.Prioritized(worksheetTransformer{}, 600)),
	)
	m.Renderer().AddOptions(renderer.WithNodeRenderers(
		util.Prioritized(containerRenderer(e), 500),
		util.Prioritized(newWorksheetRenderer(e.fillable), 150),
	))
}
