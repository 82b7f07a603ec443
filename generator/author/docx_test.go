package author

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"math/rand"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// The fixtures are .docx files made here from XML, so that no binary file
// is committed: docxZip packs parts, docxOf a document of a body's XML with
// the parts Word writes beside it.

const docxNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
	`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ` +
	`xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" ` +
	`xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" ` +
	`xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ` +
	`xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" ` +
	`xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" ` +
	`xmlns:v="urn:schemas-microsoft-com:vml"`

// docxZip packs parts (name → content) into a zip, in name order.
func docxZip(t testing.TB, parts map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := make([]string, 0, len(parts))
	for n := range parts {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(parts[n])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// docxParts are the parts of a document of that body; extra parts
// ("styles", "numbering", "rels": the document's relationships, their
// <Relationship> elements) are wrapped in their root element.
func docxParts(body string, extra map[string]string) map[string]string {
	parts := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"_rels/.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
		"word/document.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ` + docxNS + `><w:body>` + body + `</w:body></w:document>`,
	}
	rels := `<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
		`<Relationship Id="rIdNumbering" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>`
	for k, v := range extra {
		switch k {
		case "styles":
			parts["word/styles.xml"] = `<?xml version="1.0" encoding="UTF-8"?><w:styles ` + docxNS + `>` + v + `</w:styles>`
		case "numbering":
			parts["word/numbering.xml"] = `<?xml version="1.0" encoding="UTF-8"?><w:numbering ` + docxNS + `>` + v + `</w:numbering>`
		case "rels":
			rels += v
		default:
			parts[k] = v
		}
	}
	parts["word/_rels/document.xml.rels"] = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + rels + `</Relationships>`
	return parts
}

// docxOf reads a document of that body and extra parts, failing the test
// on an error.
func docxOf(t *testing.T, body string, extra map[string]string) *Doc {
	t.Helper()
	doc, err := readDocx("guide.docx", docxZip(t, docxParts(body, extra)))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// docxP writes a paragraph of plain runs in a style ("" for none).
func docxP(style string, runs ...string) string {
	var b strings.Builder
	b.WriteString("<w:p>")
	if style != "" {
		b.WriteString(`<w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>`)
	}
	for _, r := range runs {
		b.WriteString(`<w:r><w:t xml:space="preserve">` + r + `</w:t></w:r>`)
	}
	b.WriteString("</w:p>")
	return b.String()
}

// docxLine is what the tests compare of a line.
type docxLine struct {
	Kind  LineKind
	Level int
	Text  string
}

func docxLines(d *Doc) []docxLine {
	var out []docxLine
	for i, l := range d.Lines {
		out = append(out, docxLine{l.Kind, l.Level, d.Texts()[i]})
	}
	return out
}

func checkDocxLines(t *testing.T, d *Doc, want []docxLine) {
	t.Helper()
	got := docxLines(d)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("lines:\n%s\nwant:\n%s", fmtDocxLines(got), fmtDocxLines(want))
	}
}

func fmtDocxLines(ls []docxLine) string {
	var b strings.Builder
	for _, l := range ls {
		fmt.Fprintf(&b, "\t%s %d %q\n", l.Kind, l.Level, l.Text)
	}
	return b.String()
}

// Styles as Word writes them: heading 1 with its outline level, a
// localised heading known only by its outline level, Title, a bold
// paragraph style based on another, a bold character style.
const docxTestStyles = `
<w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>
  <w:pPr><w:keepNext/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="berschrift3"><w:name w:val="Überschrift 3"/><w:basedOn w:val="Normal"/>
  <w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="SessionTitle"><w:name w:val="Session Title"/><w:basedOn w:val="Heading1"/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Label"><w:name w:val="Label"/><w:basedOn w:val="Normal"/><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="LabelNote"><w:name w:val="Label Note"/><w:basedOn w:val="Label"/></w:style>
<w:style w:type="paragraph" w:styleId="Quiet"><w:name w:val="Quiet"/><w:basedOn w:val="Label"/><w:rPr><w:b w:val="0"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="character" w:styleId="Emphasis"><w:name w:val="Emphasis"/><w:rPr><w:i/></w:rPr></w:style>
<w:style w:type="character" w:styleId="HTMLCode"><w:name w:val="HTML Code"/><w:rPr><w:rFonts w:ascii="Courier New" w:hAnsi="Courier New"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="ListBullet2"><w:name w:val="List Bullet 2"/><w:basedOn w:val="Normal"/>
  <w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="ListNumber"><w:name w:val="List Number"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="StepList"><w:name w:val="Step List"/><w:basedOn w:val="Normal"/>
  <w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="TOC1"><w:name w:val="toc 1"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="table" w:styleId="GridTable4"><w:name w:val="Grid Table 4"/>
  <w:tblStylePr w:type="firstRow"><w:rPr><w:b/></w:rPr></w:tblStylePr></w:style>
`

func docxStyled() map[string]string { return map[string]string{"styles": docxTestStyles} }

func TestDocxHeadings(t *testing.T) {
	d := docxOf(t, docxP("Title", "Facilitator Manual")+
		docxP("Heading1", "Session 8: Reflections")+
		docxP("Heading2", "Session objectives")+
		docxP("berschrift3", "Lokal")+
		docxP("SessionTitle", "Inherited")+
		`<w:p><w:pPr><w:outlineLvl w:val="3"/></w:pPr><w:r><w:t>Outline four</w:t></w:r></w:p>`+
		`<w:p><w:pPr><w:pStyle w:val="Heading1"/><w:outlineLvl w:val="9"/></w:pPr><w:r><w:t>Body after all</w:t></w:r></w:p>`+
		docxP("Heading1", "Partly ", `</w:t></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>slanted`)+
		docxP("", "Body"), docxStyled())
	checkDocxLines(t, d, []docxLine{
		{Heading, 1, "Facilitator Manual"},
		{Heading, 1, "Session 8: Reflections"}, // its style's bold is the heading's look, not emphasis
		{Heading, 2, "Session objectives"},     // by name: Heading2 has no outline level
		{Heading, 3, "Lokal"},
		{Heading, 1, "Inherited"},
		{Heading, 4, "Outline four"},
		{Para, 0, "**Body after all**"},
		{Heading, 1, "Partly *slanted*"},
		{Para, 0, "Body"},
	})
	if !d.Lines[1].Bold || d.Lines[2].Bold {
		t.Errorf("Bold of the headings: %v, %v; want true, false", d.Lines[1].Bold, d.Lines[2].Bold)
	}
	// Without styles.xml the style IDs are their names.
	d = docxOf(t, docxP("Heading2", "By its ID")+docxP("Title", "Title too"), nil)
	checkDocxLines(t, d, []docxLine{{Heading, 2, "By its ID"}, {Heading, 1, "Title too"}})
}

func TestDocxBoldItalic(t *testing.T) {
	d := docxOf(t,
		// Runs of one look are merged, the space between them inside.
		`<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">two </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>words</w:t></w:r><w:r><w:t xml:space="preserve"> plain</w:t></w:r></w:p>`+
			// A label in bold and its value; italics; w:val="0" and "false".
			`<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Time: </w:t></w:r><w:r><w:t>15 min</w:t></w:r></w:p>`+
			`<w:p><w:r><w:rPr><w:i/></w:rPr><w:t>slanted</w:t></w:r><w:r><w:rPr><w:b w:val="0"/><w:i w:val="false"/></w:rPr><w:t xml:space="preserve"> upright</w:t></w:r></w:p>`+
			// Bold and bold italic next to each other.
			`<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">bold </w:t></w:r><w:r><w:rPr><w:b/><w:i/></w:rPr><w:t>both</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve"> bold</w:t></w:r></w:p>`+
			// A non-bold space between bold runs does not break the bold.
			`<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Session</w:t></w:r><w:r><w:t xml:space="preserve"> </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>objectives</w:t></w:r></w:p>`+
			// From the paragraph style, through basedOn, and from character styles.
			docxP("LabelNote", "Materials:")+
			docxP("Quiet", "not bold")+
			`<w:p><w:r><w:t xml:space="preserve">a </w:t></w:r><w:r><w:rPr><w:rStyle w:val="Strong"/></w:rPr><w:t>strong</w:t></w:r><w:r><w:t xml:space="preserve"> and </w:t></w:r><w:r><w:rPr><w:rStyle w:val="Emphasis"/></w:rPr><w:t>stressed</w:t></w:r><w:r><w:t xml:space="preserve"> word</w:t></w:r></w:p>`+
			// Direct formatting wins over the style.
			`<w:p><w:pPr><w:pStyle w:val="Label"/></w:pPr><w:r><w:rPr><w:b w:val="0"/></w:rPr><w:t>unbolded</w:t></w:r></w:p>`+
			// Code, by a character style and by a fixed-width font.
			`<w:p><w:r><w:t xml:space="preserve">run </w:t></w:r><w:r><w:rPr><w:rStyle w:val="HTMLCode"/></w:rPr><w:t>gpg --gen-key</w:t></w:r><w:r><w:t xml:space="preserve"> or </w:t></w:r><w:r><w:rPr><w:rFonts w:ascii="Consolas"/></w:rPr><w:t>a`+"`"+`b</w:t></w:r></w:p>`,
		docxStyled())
	checkDocxLines(t, d, []docxLine{
		{Para, 0, "**two words** plain"},
		{Para, 0, "**Time:** 15 min"},
		{Para, 0, "*slanted* upright"},
		{Para, 0, "**bold *both* bold**"},
		{Para, 0, "**Session objectives**"},
		{Para, 0, "**Materials:**"},
		{Para, 0, "not bold"},
		{Para, 0, "a **strong** and *stressed* word"},
		{Para, 0, "unbolded"},
		{Para, 0, "run `gpg --gen-key` or ``a`b``"},
	})
	for i, want := range []bool{false, false, false, true, true, true, false, false, false, false} {
		if d.Lines[i].Bold != want {
			t.Errorf("line %d %q: Bold = %v, want %v", i, d.Lines[i].Text, d.Lines[i].Bold, want)
		}
	}
}

func TestDocxHyperlink(t *testing.T) {
	rels := `<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.org/a (b)" TargetMode="External"/>`
	d := docxOf(t,
		`<w:p><w:r><w:t xml:space="preserve">See </w:t></w:r><w:hyperlink r:id="rId9"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr><w:t>the guide</w:t></w:r></w:hyperlink><w:r><w:t>.</w:t></w:r></w:p>`+
			`<w:p><w:hyperlink w:anchor="_Toc1"><w:r><w:t>Back to the top</w:t></w:r></w:hyperlink></w:p>`+
			`<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Read </w:t></w:r><w:hyperlink r:id="rId9"><w:r><w:rPr><w:b/></w:rPr><w:t>this</w:t></w:r></w:hyperlink><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve"> first</w:t></w:r></w:p>`+
			// A HYPERLINK field: the instructions dropped, the result a link.
			`<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> HYPERLINK "https://example.net/" \o "tip" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>field link</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>`+
			// Another field: its result kept as text.
			`<w:p><w:r><w:t xml:space="preserve">Page </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>4</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>`+
			// A field inside another's instructions, and a simple field.
			`<w:p><w:r><w:fldChar w:fldCharType="begin"/><w:instrText xml:space="preserve"> IF </w:instrText><w:fldChar w:fldCharType="begin"/><w:instrText>MERGEFIELD x</w:instrText><w:fldChar w:fldCharType="separate"/><w:t>hidden</w:t><w:fldChar w:fldCharType="end"/><w:instrText xml:space="preserve"> = "1" "yes" "no"</w:instrText><w:fldChar w:fldCharType="separate"/><w:t>no</w:t><w:fldChar w:fldCharType="end"/></w:r></w:p>`+
			`<w:p><w:fldSimple w:instr=" HYPERLINK &quot;https://example.com/s&quot; "><w:r><w:t>simple</w:t></w:r></w:fldSimple></w:p>`+
			// A hyperlink whose relationship leaves TargetMode out.
			`<w:p><w:hyperlink r:id="rId10"><w:r><w:t>no mode</w:t></w:r></w:hyperlink></w:p>`,
		map[string]string{"rels": rels + `<Relationship Id="rId10" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.com/x"/>`})
	checkDocxLines(t, d, []docxLine{
		{Para, 0, "See [the guide](https://example.org/a%20%28b%29)."},
		{Para, 0, "Back to the top"},
		{Para, 0, "**Read [this](https://example.org/a%20%28b%29) first**"},
		{Para, 0, "[field link](https://example.net/)"},
		{Para, 0, "Page 4"},
		{Para, 0, "no"},
		{Para, 0, "[simple](https://example.com/s)"},
		{Para, 0, "[no mode](https://example.com/x)"},
	})
}

const docxTestNumbering = `
<w:abstractNum w:abstractNumId="0">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
  <w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/><w:lvlText w:val="o"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="1">
  <w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>
  <w:lvl w:ilvl="2"><w:numFmt w:val="bullet"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="0"/>
  <w:lvlOverride w:ilvl="0"><w:lvl w:ilvl="0"><w:numFmt w:val="upperRoman"/></w:lvl></w:lvlOverride></w:num>
`

// docxLi writes a list item of list numID at level ilvl.
func docxLi(numID, ilvl int, text string) string {
	return fmt.Sprintf(`<w:p><w:pPr><w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="%d"/><w:numId w:val="%d"/></w:numPr></w:pPr><w:r><w:t>%s</w:t></w:r></w:p>`, ilvl, numID, text)
}

func TestDocxLists(t *testing.T) {
	d := docxOf(t,
		docxLi(1, 0, "to discuss next steps")+docxLi(1, 1, "in pairs")+docxLi(1, 0, "to agree")+
			docxLi(2, 0, "First")+docxLi(2, 1, "then a")+docxLi(2, 2, "a dot")+
			docxLi(3, 0, "Roman by override")+
			docxP("StepList", "Numbered by its style")+
			`<w:p><w:pPr><w:pStyle w:val="StepList"/><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr><w:r><w:t>Taken out of the list</w:t></w:r></w:p>`+
			docxP("ListBullet", "Bullet by style name")+
			docxP("ListBullet2", "Nested by style name")+
			docxP("ListNumber", "Number by style name")+
			docxP("ListParagraph", "Indented"),
		map[string]string{"styles": docxTestStyles, "numbering": docxTestNumbering})
	checkDocxLines(t, d, []docxLine{
		{Item, 0, "to discuss next steps"},
		{Item, 1, "in pairs"},
		{Item, 0, "to agree"},
		{Item, 0, "First"},
		{Item, 1, "then a"},
		{Item, 2, "a dot"},
		{Item, 0, "Roman by override"},
		{Item, 0, "Numbered by its style"},
		{Para, 0, "Taken out of the list"},
		{Item, 0, "Bullet by style name"},
		{Item, 1, "Nested by style name"},
		{Item, 0, "Number by style name"},
		{Item, 0, "Indented"},
	})
	var ordered []bool
	for _, l := range d.Lines {
		ordered = append(ordered, l.Ordered)
	}
	want := []bool{false, false, false, true, true, false, true, true, false, false, false, true, false}
	if !reflect.DeepEqual(ordered, want) {
		t.Errorf("Ordered = %v, want %v", ordered, want)
	}
}

// docxTc writes a table cell of paragraphs of plain text.
func docxTc(paras ...string) string {
	var b strings.Builder
	b.WriteString("<w:tc><w:tcPr><w:tcW w:w=\"0\" w:type=\"auto\"/></w:tcPr>")
	for _, t := range paras {
		b.WriteString(docxP("", t))
	}
	b.WriteString("</w:tc>")
	return b.String()
}

func TestDocxTable(t *testing.T) {
	d := docxOf(t, docxP("", "Before")+
		`<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>`+
		`<w:tr><w:trPr><w:tblHeader/></w:trPr>`+docxTc("Activity")+docxTc("Time")+`</w:tr>`+
		`<w:tr>`+docxTc("Brainstorm", "in pairs")+docxTc("15 min")+`</w:tr>`+
		`<w:tr>`+docxTc("a | b")+docxTc("")+`</w:tr>`+
		`<w:tr>`+docxTc("")+docxTc("")+`</w:tr>`+
		`</w:tbl>`+
		// Its first row bold: a header row too. The second has a merged cell.
		`<w:tbl>`+
		`<w:tr><w:tc><w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Step</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Who</w:t></w:r></w:p></w:tc></w:tr>`+
		`<w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>Everyone together</w:t></w:r></w:p></w:tc></w:tr>`+
		`</w:tbl>`+
		// A table style that makes the first row bold.
		`<w:tbl><w:tblPr><w:tblStyle w:val="GridTable4"/><w:tblLook w:val="04A0"/></w:tblPr>`+
		`<w:tr>`+docxTc("Kind")+`</w:tr><w:tr>`+docxTc("Plain")+`</w:tr></w:tbl>`+
		docxP("", "After"), docxStyled())
	checkDocxLines(t, d, []docxLine{
		{Para, 0, "Before"},
		{Row, 0, "Activity | Time"},
		{Row, 0, "Brainstorm in pairs | 15 min"},
		{Row, 0, `a \| b | `},
		{Row, 0, "Step | Who"}, // the header's bold is its look
		{Row, 0, "Everyone together | "},
		{Row, 0, "Kind"},
		{Row, 0, "Plain"},
		{Para, 0, "After"},
	})
	type rowOf struct {
		Header, Gap bool
		Src         int
	}
	var got []rowOf
	for _, l := range d.Lines {
		if l.Kind == Row {
			got = append(got, rowOf{l.Header, l.Gap, l.Src})
		}
	}
	// Src counts the paragraphs of the cells: Before is 1, the first
	// table's are 2 to 9.
	want := []rowOf{{true, true, 2}, {false, false, 4}, {false, false, 7}, {true, true, 11}, {false, false, 13}, {true, true, 14}, {false, false, 15}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows (header, gap, src) = %v, want %v", got, want)
	}
	if src := d.Lines[len(d.Lines)-1].Src; src != 16 {
		t.Errorf("After: Src = %d, want 16", src)
	}
}

func TestDocxPageBreaks(t *testing.T) {
	d := docxOf(t, `<w:p><w:r><w:br w:type="page"/></w:r></w:p>`+ // at the start: dropped
		docxP("", "One")+
		`<w:p><w:r><w:t>Two</w:t></w:r><w:r><w:br w:type="page"/><w:t>Three</w:t></w:r></w:p>`+
		`<w:p><w:pPr><w:pageBreakBefore/></w:pPr><w:r><w:t>Four</w:t></w:r></w:p>`+
		`<w:p><w:r><w:t xml:space="preserve">line </w:t></w:r><w:r><w:br/><w:t>wrapped</w:t></w:r><w:r><w:lastRenderedPageBreak/><w:t xml:space="preserve"> on</w:t></w:r></w:p>`+
		// A section that starts on a new page, then a continuous one.
		`<w:p><w:pPr><w:sectPr><w:type w:val="continuous"/></w:sectPr></w:pPr><w:r><w:t>End of part one</w:t></w:r></w:p>`+
		docxP("", "Part two")+
		`<w:p><w:pPr><w:sectPr><w:type w:val="nextPage"/></w:sectPr></w:pPr><w:r><w:t>End of part two</w:t></w:r></w:p>`+
		docxP("", "Part three")+
		`<w:sectPr><w:type w:val="continuous"/></w:sectPr>`, nil)
	checkDocxLines(t, d, []docxLine{
		{Para, 0, "One"},
		{Para, 0, "Two"},
		{Break, 0, "---"},
		{Para, 0, "Three"},
		{Break, 0, "---"},
		{Para, 0, "Four"},
		{Para, 0, "line wrapped on"},
		{Para, 0, "End of part one"},
		{Break, 0, "---"}, // part two's section starts on a new page
		{Para, 0, "Part two"},
		{Para, 0, "End of part two"},
		{Para, 0, "Part three"},
	})
}

func TestDocxTrackedChanges(t *testing.T) {
	d := docxOf(t, `<w:p><w:r><w:t xml:space="preserve">Keep </w:t></w:r>`+
		`<w:del w:id="1" w:author="A"><w:r><w:delText xml:space="preserve">gone </w:delText></w:r></w:del>`+
		`<w:ins w:id="2" w:author="A"><w:r><w:t xml:space="preserve">added </w:t></w:r></w:ins>`+
		`<w:moveFrom w:id="3"><w:r><w:t>moved away</w:t></w:r></w:moveFrom>`+
		`<w:r><w:t>text</w:t></w:r></w:p>`+
		`<w:p><w:del w:id="4"><w:r><w:delText>All of it deleted</w:delText></w:r></w:del></w:p>`+
		`<w:p><w:r><w:t xml:space="preserve">A </w:t></w:r><w:commentRangeStart w:id="0"/><w:r><w:t>remark</w:t></w:r><w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p>`, nil)
	checkDocxLines(t, d, []docxLine{{Para, 0, "Keep added text"}, {Para, 0, "A remark"}})
	if len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0].Msg, "tracked changes") || d.Warnings[0].Src != 1 {
		t.Errorf("warnings = %+v, want one of tracked changes at paragraph 1", d.Warnings)
	}
}

// docxImage is a picture as Word writes it, inline in a run.
const docxImage = `<w:r><w:drawing><wp:inline><wp:extent cx="1" cy="1"/><wp:docPr id="1" name="Picture 1"/>` +
	`<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="x.png"/></pic:nvPicPr>` +
	`<pic:blipFill><a:blip r:embed="rId5"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>`

// docxTextBox is a text box as Word writes it: DrawingML with a VML
// fallback, the same text in both.
const docxTextBox = `<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">` +
	`<wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>Tip: keep time</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>` +
	`<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>Tip: keep time</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>`

func TestDocxImagesAndBoxes(t *testing.T) {
	d := docxOf(t, docxP("", "Intro")+
		`<w:p>`+docxImage+`</w:p>`+
		`<w:p><w:r><w:t xml:space="preserve">Look: </w:t></w:r>`+docxImage+`</w:p>`+
		`<w:p><w:r><w:pict><v:shape><v:imagedata r:id="rId6"/></v:shape></w:pict></w:r></w:p>`+
		`<w:p><w:r><w:t>Anchor</w:t></w:r>`+docxTextBox+`</w:p>`+
		docxP("", "After"), nil)
	checkDocxLines(t, d, []docxLine{
		{Para, 0, "Intro"},
		{Para, 0, "Look:"},
		{Para, 0, "Anchor"},
		{Para, 0, "Tip: keep time"},
		{Para, 0, "After"},
	})
	want := []DocWarning{{Src: 2, Msg: "the document has 3 images; import keeps the text only", Hint: "add the images to static/ and link them from the Markdown"}}
	if !reflect.DeepEqual(d.Warnings, want) {
		t.Errorf("warnings = %+v, want %+v", d.Warnings, want)
	}
	d = docxOf(t, `<w:p>`+docxImage+`</w:p>`, nil)
	if len(d.Warnings) != 1 || d.Warnings[0].Msg != "the document has 1 image; import keeps the text only" {
		t.Errorf("warnings = %+v", d.Warnings)
	}
}

func TestDocxEscaping(t *testing.T) {
	d := docxOf(t, docxP("", "# not a heading")+
		docxP("", "- not a bullet")+
		docxP("", "* not a bullet")+
		docxP("", "1. not numbered")+
		docxP("", "12) nor this")+
		docxP("", "::: not a container")+
		docxP("", "&gt; not a quote")+
		docxP("", "--- not a rule")+
		docxP("", "-5 degrees, 3.5 hours, #3")+
		docxP("", "R&amp;D &amp;copy; &amp;#169; &amp; co")+
		docxP("", `a *star*, an _under_score_, [brackets], `+"`tick`"+`, back\slash, &lt;tag&gt;`)+
		docxP("Heading2", "1. Numbered heading"), nil)
	checkDocxLines(t, d, []docxLine{
		{Para, 0, `\# not a heading`},
		{Para, 0, `\- not a bullet`},
		{Para, 0, `\* not a bullet`},
		{Para, 0, `1\. not numbered`},
		{Para, 0, `12\) nor this`},
		{Para, 0, `\::: not a container`},
		{Para, 0, `\> not a quote`},
		{Para, 0, `\--- not a rule`},
		{Para, 0, `-5 degrees, 3.5 hours, #3`},
		{Para, 0, `R&D \&copy; \&#169; & co`},
		{Para, 0, `a \*star\*, an \_under\_score\_, \[brackets\], \` + "`" + `tick\` + "`" + `, back\\slash, \<tag>`},
		{Heading, 2, `1\. Numbered heading`},
	})
}

func TestDocxTextNormalised(t *testing.T) {
	d := docxOf(t, docxP("", "  non\u00a0breaking\u2009thin  and\u200bzero\u2060width\ttab  ")+
		docxP("", "soft\u00adhyphen")+
		docxP("", "   ")+ // no text: skipped
		`<w:p/>`+
		`<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:noBreakHyphen/><w:t>c</w:t><w:softHyphen/><w:t>d</w:t></w:r></w:p>`+
		`<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>hidden</w:t></w:r><w:r><w:t>shown</w:t></w:r></w:p>`+
		// Footnote references are left out, with a warning.
		`<w:p><w:r><w:t>Noted</w:t></w:r><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="1"/></w:r></w:p>`+
		// Content controls and smart tags are read through.
		`<w:sdt><w:sdtPr><w:alias w:val="Box"/></w:sdtPr><w:sdtContent><w:p><w:smartTag w:uri="x" w:element="place"><w:r><w:t>In a control</w:t></w:r></w:smartTag></w:p></w:sdtContent></w:sdt>`+
		// A table of contents is dropped: it repeats the headings.
		`<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/></w:docPartObj></w:sdtPr><w:sdtContent>`+docxP("", "Contents")+docxP("TOC1", "Session 1 3")+`</w:sdtContent></w:sdt>`+
		docxP("TOC1", "Session 2 7")+
		// A table of contents as a field, in paragraphs of no TOC style.
		`<w:p><w:r><w:fldChar w:fldCharType="begin"/><w:instrText>TOC \o "1-3"</w:instrText><w:fldChar w:fldCharType="separate"/><w:t>Session 1</w:t></w:r></w:p>`+
		`<w:p><w:r><w:t>Session 2</w:t><w:fldChar w:fldCharType="end"/></w:r></w:p>`+
		docxP("", "Last"), docxStyled())
	checkDocxLines(t, d, []docxLine{
		{Para, 0, "non breaking thin andzerowidth tab"},
		{Para, 0, "softhyphen"},
		{Para, 0, "a b-cd"},
		{Para, 0, "shown"},
		{Para, 0, "Noted"},
		{Para, 0, "In a control"},
		{Para, 0, "Last"},
	})
	if d.Lines[len(d.Lines)-1].Src != 14 {
		t.Errorf("Last: Src = %d, want 14 (every paragraph counted)", d.Lines[len(d.Lines)-1].Src)
	}
	if len(d.Warnings) != 1 || d.Warnings[0].Msg != "the document has 1 footnote; import leaves them out" || d.Warnings[0].Src != 7 {
		t.Errorf("warnings = %+v", d.Warnings)
	}
}

func TestDocxNoText(t *testing.T) {
	d := docxOf(t, `<w:p/><w:p><w:r><w:t xml:space="preserve">  </w:t></w:r></w:p><w:sectPr/>`, nil)
	if len(d.Lines) != 0 || len(d.Warnings) != 0 {
		t.Errorf("lines %v, warnings %v; want none", d.Texts(), d.Warnings)
	}
	if d.File != "guide.docx" {
		t.Errorf("File = %q", d.File)
	}
}

func TestDocxBadInput(t *testing.T) {
	random := make([]byte, 4096)
	rand.New(rand.NewSource(1)).Read(random)
	damaged := "the Word file is damaged"
	notDocx := "not a Word .docx file (it is damaged, or of another kind)"
	parts := func(edit func(map[string]string)) []byte {
		ps := docxParts(docxP("", "text"), docxStyled())
		edit(ps)
		return docxZip(t, ps)
	}
	whole := docxZip(t, docxParts(docxP("", "text"), nil))
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "the file is empty"},
		{"random bytes", random, notDocx},
		{"text renamed", []byte("Session 1: Next steps\n\nTIME: 15 MIN\n"), notDocx},
		{"old .doc or encrypted", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, random[:500]...),
			"password-protected, or an old Word .doc file: open it in Word and save it as .docx without a password"},
		{"zip without the document", docxZip(t, map[string]string{"xl/workbook.xml": "<workbook/>", "_rels/.rels": "<Relationships/>"}), notDocx},
		{"a workbook", docxZip(t, map[string]string{"word/document.xml": `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>`}), notDocx},
		{"document not XML", parts(func(m map[string]string) {
			m["word/document.xml"] = "<w:document " + docxNS + "><w:body><w:p></w:body>"
		}), damaged},
		{"document cut short", parts(func(m map[string]string) {
			m["word/document.xml"] = "<w:document " + docxNS + "><w:body><w:p><w:r><w:t>Hi"
		}), damaged},
		{"styles not XML", parts(func(m map[string]string) { m["word/styles.xml"] = "<w:styles><w:style></w:styles>" }), damaged},
		{"numbering not XML", parts(func(m map[string]string) { m["word/numbering.xml"] = "<<" }), damaged},
		{"zip cut short", whole[:len(whole)/2], notDocx},
	}
	for _, tc := range tests {
		doc, err := readDocx("x.docx", tc.data)
		if err == nil {
			t.Errorf("%s: no error, lines %q", tc.name, doc.Texts())
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %q, want %q", tc.name, err, tc.want)
		}
		if strings.Contains(err.Error(), "/tmp") || strings.Contains(err.Error(), "x.docx") {
			t.Errorf("%s: the error names a path: %q", tc.name, err)
		}
	}
}

// A part larger than the limit is refused, by its header or by its
// content; one whose header lies (a zip bomb's) is damaged.
func TestDocxTooLarge(t *testing.T) {
	defer func(n int64) { docxMaxPart = n }(docxMaxPart)
	docxMaxPart = 1 << 10
	body := strings.Repeat(docxP("", "filler text"), 100)
	want := "the Word file's text is larger than 0 MB unpacked"
	if _, err := readDocx("x.docx", docxZip(t, docxParts(body, nil))); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("large document: error %v, want %q", err, want)
	}
	// The same part, its header claiming a size under the limit.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range docxParts(body, nil) {
		var packed bytes.Buffer
		fw, _ := flate.NewWriter(&packed, flate.BestSpeed)
		fw.Write([]byte(content))
		fw.Close()
		h := &zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE([]byte(content)),
			CompressedSize64: uint64(packed.Len()), UncompressedSize64: uint64(len(content))}
		if name == "word/document.xml" {
			h.UncompressedSize64 = 100
		}
		w, err := zw.CreateRaw(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(packed.Bytes())
	}
	zw.Close()
	// archive/zip stops at the size the header gives, and import reads no
	// more than the limit: the part is not unpacked whole either way.
	if _, err := readDocx("x.docx", buf.Bytes()); err == nil || !strings.Contains(err.Error(), "the Word file is damaged") {
		t.Errorf("lying header: error %v, want it damaged", err)
	}
	// Styles are held to the limit too.
	docxMaxPart = 64 << 20
	big := docxParts(docxP("", "x"), map[string]string{"styles": strings.Repeat("<w:style/>", 20)})
	docxMaxPart = 100
	if _, err := readDocx("x.docx", docxZip(t, big)); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("large styles: error %v", err)
	}
}

// A session guide laid out as a manual's chapter: the guide reader finds
// the labels and containers in these lines.
// docxBold is a paragraph in bold; docxLabel a label in bold and its
// value, as manuals write "Time: 45 min".
func docxBold(s string) string {
	return `<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">` + s + `</w:t></w:r></w:p>`
}

func docxLabel(l, v string) string {
	return `<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">` + l + ` </w:t></w:r><w:r><w:t>` + v + `</w:t></w:r></w:p>`
}

func TestDocxSessionGuide(t *testing.T) {
	bold, label := docxBold, docxLabel
	body := docxP("Heading1", "Session 8: Reflections/workshop summary") +
		label("Time:", "45 min") +
		label("Activities:", "Group discussion, individual reflection") +
		docxP("Heading2", "Session objectives") +
		docxLi(1, 0, "to review what participants learned") +
		docxLi(1, 0, "to agree on next steps") +
		docxLi(1, 1, "for each participant") +
		bold("Required materials:") +
		docxP("", "Flipchart paper, markers, sticky notes") +
		`<w:p><w:r><w:br w:type="page"/></w:r></w:p>` +
		docxP("Heading2", "Exercise: Looking back") +
		label("Format:", "Group discussion") +
		label("Time:", "20 min") +
		docxP("Heading2", "Facilitation notes") +
		docxP("", "Ask participants to ", `</w:t></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>write down</w:t></w:r><w:r><w:t xml:space="preserve"> one thing they will do differently.`) +
		docxP("", "Keep the round short: one minute each.") +
		`<w:p><w:r><w:t xml:space="preserve">See </w:t></w:r><w:hyperlink r:id="rId20"><w:r><w:t>the toolkit</w:t></w:r></w:hyperlink><w:r><w:t xml:space="preserve"> for more.</w:t></w:r></w:p>` +
		`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>`
	d := docxOf(t, body, map[string]string{
		"styles": docxTestStyles, "numbering": docxTestNumbering,
		"rels": `<Relationship Id="rId20" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.org/toolkit" TargetMode="External"/>`,
	})
	type line struct {
		Kind  LineKind
		Level int
		Text  string
		Bold  bool
		Src   int
	}
	want := []line{
		{Heading, 1, "Session 8: Reflections/workshop summary", true, 1},
		{Para, 0, "**Time:** 45 min", false, 2},
		{Para, 0, "**Activities:** Group discussion, individual reflection", false, 3},
		{Heading, 2, "Session objectives", false, 4},
		{Item, 0, "to review what participants learned", false, 5},
		{Item, 0, "to agree on next steps", false, 6},
		{Item, 1, "for each participant", false, 7},
		{Para, 0, "**Required materials:**", true, 8},
		{Para, 0, "Flipchart paper, markers, sticky notes", false, 9},
		{Break, 0, "", false, 10},
		{Heading, 2, "Exercise: Looking back", false, 11},
		{Para, 0, "**Format:** Group discussion", false, 12},
		{Para, 0, "**Time:** 20 min", false, 13},
		{Heading, 2, "Facilitation notes", false, 14},
		{Para, 0, "Ask participants to *write down* one thing they will do differently.", false, 15},
		{Para, 0, "Keep the round short: one minute each.", false, 16},
		{Para, 0, "See [the toolkit](https://example.org/toolkit) for more.", false, 17},
	}
	var got []line
	for _, l := range d.Lines {
		got = append(got, line{l.Kind, l.Level, l.Text, l.Bold, l.Src})
		if !l.Gap {
			t.Errorf("%q: Gap false; a Word paragraph is separate", l.Text)
		}
	}
	if !reflect.DeepEqual(got, want) {
		var b strings.Builder
		for _, l := range got {
			fmt.Fprintf(&b, "\t{%s, %d, %q, %v, %d},\n", l.Kind, l.Level, l.Text, l.Bold, l.Src)
		}
		t.Errorf("lines:\n%s", b.String())
	}
	if len(d.Warnings) != 0 {
		t.Errorf("warnings: %+v", d.Warnings)
	}
}

// Nothing a document holds makes the reader panic: neither its bytes nor
// (what finds more) the XML of its main part.
func FuzzDocx(f *testing.F) {
	f.Add([]byte(nil), "")
	f.Add([]byte("PK\x03\x04"), docxP("Heading1", "Title")+docxLi(1, 0, "item"))
	f.Add([]byte(nil), `<w:tbl><w:tr>`+docxTc("a")+`</w:tr></w:tbl>`+`<w:p>`+docxTextBox+docxImage+`</w:p>`)
	f.Add([]byte(nil), `<w:p><w:r><w:fldChar w:fldCharType="begin"/><w:instrText>HYPERLINK "x"</w:instrText><w:fldChar w:fldCharType="separate"/><w:t>*a*</w:t></w:r></w:p><w:sectPr/>`)
	f.Fuzz(func(t *testing.T, data []byte, body string) {
		readDocx("f.docx", data)
		extra := map[string]string{"styles": docxTestStyles, "numbering": docxTestNumbering}
		readDocx("f.docx", docxZip(t, docxParts(body, extra)))
	})
}

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
