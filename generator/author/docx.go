package author

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// A Word .docx file is a zip of XML parts (Office Open XML). The reader
// takes the text of the main part, word/document.xml, in reading order,
// with the help of three others: the relationships that give hyperlinks
// their addresses, the styles that make a paragraph a heading or a run
// bold, and the numbering that makes a list numbered or bulleted. The
// walk of the document is in docxbody.go, styles and numbering in
// docxstyles.go, the Markdown of a paragraph's runs in docxtext.go.

func init() { readers[".docx"] = readDocx }

// docxMaxPart is the most a part may hold once unpacked: a zip of a few
// kilobytes can unpack to gigabytes, and a manual's text is far smaller.
// A variable so that tests can lower it.
var docxMaxPart int64 = 64 << 20

// docxCFBMagic starts a Compound File (OLE): an old .doc file, or a .docx
// encrypted with a password, which Word wraps in one.
var docxCFBMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

var (
	errDocxEmpty = errors.New("the file is empty")
	errNotDocx   = errors.New("not a Word .docx file (it is damaged, or of another kind)")
	errDocxCFB   = errors.New("password-protected, or an old Word .doc file: open it in Word and save it as .docx without a password")
)

// The relationship types import follows, by how they end: the transitional
// and the strict forms of OOXML differ before the last slash.
const (
	relOfficeDocument = "/officeDocument"
	relStyles         = "/styles"
	relNumbering      = "/numbering"
	relHyperlink      = "/hyperlink"
)

// readDocx reads a Word .docx file into a Doc.
func readDocx(file string, data []byte) (*Doc, error) {
	pkg, err := openDocx(data)
	if err != nil {
		return nil, err
	}
	main := pkg.mainPart()
	if main == nil {
		return nil, errNotDocx
	}
	body, err := pkg.read(main, "text")
	if err != nil {
		return nil, err
	}
	r := &docxReader{doc: &Doc{File: file}, sectionAt: -1}
	r.main = &docxSink{}
	if err := r.loadParts(pkg, main.Name); err != nil {
		return nil, err
	}
	if err := r.readDocument(body); err != nil {
		return nil, err
	}
	r.finish()
	return r.doc, nil
}

// docxPackage is the zip of a .docx, its parts by name.
type docxPackage struct {
	parts map[string]*zip.File // by docxPartKey
}

// openDocx opens data as a zip, telling an empty file, an old or encrypted
// Word file and anything else that is not a zip apart.
func openDocx(data []byte) (*docxPackage, error) {
	if len(data) == 0 {
		return nil, errDocxEmpty
	}
	if bytes.HasPrefix(data, docxCFBMagic) {
		return nil, errDocxCFB
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, errNotDocx
	}
	pkg := &docxPackage{parts: map[string]*zip.File{}}
	for _, f := range zr.File {
		pkg.parts[docxPartKey(f.Name)] = f
	}
	return pkg, nil
}

// docxPartKey is the key of a part's name: OOXML names are case-insensitive,
// some tools write them with a leading slash or with backslashes.
func docxPartKey(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	return strings.ToLower(strings.TrimPrefix(name, "/"))
}

// part returns the part of that name, or nil.
func (p *docxPackage) part(name string) *zip.File {
	return p.parts[docxPartKey(name)]
}

// mainPart returns the main document: the part the package's relationships
// call the office document, else word/document.xml, where Word puts it.
func (p *docxPackage) mainPart() *zip.File {
	if rels, err := p.rels("_rels/.rels", ""); err == nil {
		for _, rel := range rels {
			if strings.HasSuffix(rel.Type, relOfficeDocument) {
				if f := p.part(rel.target); f != nil {
					return f
				}
			}
		}
	}
	return p.part("word/document.xml")
}

// read returns a part's bytes as UTF-8 XML, refusing one larger than
// docxMaxPart unpacked whatever its header says. what names the part in
// messages ("text", "styles").
func (p *docxPackage) read(f *zip.File, what string) ([]byte, error) {
	tooLarge := fmt.Errorf("the Word file's %s is larger than %d MB unpacked; flipchart import does not read it (is it a session manual?)", what, docxMaxPart>>20)
	if f.UncompressedSize64 > uint64(docxMaxPart) {
		return nil, tooLarge
	}
	rc, err := f.Open()
	if err != nil {
		return nil, docxDamaged(err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, docxMaxPart+1))
	if err != nil {
		return nil, docxDamaged(err)
	}
	if int64(len(data)) > docxMaxPart {
		return nil, tooLarge
	}
	return docxUTF8(data), nil
}

// docxDamaged is the error of a part that cannot be unpacked or parsed.
func docxDamaged(err error) error {
	return fmt.Errorf("the Word file is damaged (%v); open it in Word and save it again", err)
}

// docxUTF8 returns XML data as UTF-8: a UTF-8 byte-order mark dropped, and
// UTF-16 (which OOXML allows, with its mark) decoded. The declaration may
// still say UTF-16; docxCharset then reads the text as it is.
func docxUTF8(data []byte) []byte {
	switch {
	case bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")):
		return data[3:]
	case bytes.HasPrefix(data, []byte("\xFF\xFE")):
		return []byte(utf16Text(data[2:], binary.LittleEndian))
	case bytes.HasPrefix(data, []byte("\xFE\xFF")):
		return []byte(utf16Text(data[2:], binary.BigEndian))
	}
	return data
}

// docxCharset is the xml.Decoder's CharsetReader: UTF-16 was decoded by
// docxUTF8 already, Latin-1 and Windows-1252 are decoded here.
func docxCharset(charset string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(charset) {
	case "utf-16", "utf-16le", "utf-16be", "unicode":
		return input, nil
	case "iso-8859-1", "latin1", "latin-1", "windows-1252", "cp1252", "us-ascii", "ascii":
		data, err := io.ReadAll(input)
		if err != nil {
			return nil, err
		}
		return strings.NewReader(windows1252(data)), nil
	}
	return nil, fmt.Errorf("its XML is in %s, which flipchart does not read", charset)
}

// newDocxDecoder returns a decoder of a part's bytes.
func newDocxDecoder(data []byte) *xml.Decoder {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.CharsetReader = docxCharset
	return dec
}

// unmarshalPart reads a whole part into v.
func (p *docxPackage) unmarshalPart(f *zip.File, what string, v any) error {
	data, err := p.read(f, what)
	if err != nil {
		return err
	}
	if err := newDocxDecoder(data).Decode(v); err != nil {
		return docxDamaged(err)
	}
	return nil
}

// docxRel is one relationship of a part: target resolved to a part name,
// or the address as written when it is external.
type docxRel struct {
	ID         string `xml:"Id,attr"`
	Type       string `xml:"Type,attr"`
	Target     string `xml:"Target,attr"`
	TargetMode string `xml:"TargetMode,attr"`
	target     string
}

// rels reads the relationships part of name, whose targets are relative to
// the folder dir. A missing part has none.
func (p *docxPackage) rels(name, dir string) (map[string]docxRel, error) {
	f := p.part(name)
	if f == nil {
		return nil, nil
	}
	var x struct {
		Rels []docxRel `xml:"Relationship"`
	}
	if err := p.unmarshalPart(f, "relationships", &x); err != nil {
		return nil, err
	}
	out := make(map[string]docxRel, len(x.Rels))
	for _, rel := range x.Rels {
		if strings.EqualFold(rel.TargetMode, "External") {
			rel.target = rel.Target
		} else if strings.HasPrefix(rel.Target, "/") {
			rel.target = strings.TrimPrefix(rel.Target, "/")
		} else {
			rel.target = path.Join(dir, rel.Target)
		}
		out[rel.ID] = rel
	}
	return out, nil
}

// loadParts reads the parts beside the main document: its relationships,
// styles and numbering. Each may be missing (a document made by a tool
// other than Word may have none): import then reads without it.
func (r *docxReader) loadParts(pkg *docxPackage, mainName string) error {
	dir, base := path.Split(strings.TrimPrefix(strings.ReplaceAll(mainName, `\`, "/"), "/"))
	rels, err := pkg.rels(dir+"_rels/"+base+".rels", strings.TrimSuffix(dir, "/"))
	if err != nil {
		return err
	}
	r.rels = rels
	find := func(relType, fallback string) *zip.File {
		for _, rel := range rels {
			if strings.HasSuffix(rel.Type, relType) {
				if f := pkg.part(rel.target); f != nil {
					return f
				}
			}
		}
		return pkg.part(fallback)
	}
	r.styles = &docxStyles{}
	if f := find(relStyles, "word/styles.xml"); f != nil {
		var x docxStylesXML
		if err := pkg.unmarshalPart(f, "styles", &x); err != nil {
			return err
		}
		r.styles = newDocxStyles(&x)
	}
	r.numbering = &docxNumbering{}
	if f := find(relNumbering, "word/numbering.xml"); f != nil {
		var x docxNumberingXML
		if err := pkg.unmarshalPart(f, "list numbering", &x); err != nil {
			return err
		}
		r.numbering = newDocxNumbering(&x)
	}
	return nil
}

// hyperlink returns the address of a w:hyperlink: its relationship's
// target. A link to a place in the document itself (w:anchor) has none:
// its text is kept without the link.
func (r *docxReader) hyperlink(start xml.StartElement) string {
	for _, a := range start.Attr {
		if a.Name.Local != "id" {
			continue
		}
		rel, ok := r.rels[a.Value]
		if !ok || !strings.HasSuffix(rel.Type, relHyperlink) {
			return ""
		}
		// An address is external; some tools leave TargetMode out.
		u := strings.TrimSpace(rel.Target)
		if !strings.EqualFold(rel.TargetMode, "External") && !strings.Contains(u, "://") && !strings.HasPrefix(strings.ToLower(u), "mailto:") {
			return ""
		}
		if anchor := docxAttr(start, "anchor"); anchor != "" && u != "" && !strings.Contains(u, "#") {
			u += "#" + anchor
		}
		return u
	}
	return ""
}

// finish drops page breaks that separate nothing and adds the warnings of
// what the document had that import leaves out.
func (r *docxReader) finish() {
	var lines []Line
	for _, l := range r.main.lines {
		if l.Kind == Break && (len(lines) == 0 || lines[len(lines)-1].Kind == Break) {
			continue
		}
		lines = append(lines, l)
	}
	if n := len(lines); n > 0 && lines[n-1].Kind == Break {
		lines = lines[:n-1]
	}
	r.doc.Lines = lines
	d := r.doc
	if r.images > 0 {
		d.Warn(r.imageSrc, "add the images to static/ and link them from the Markdown",
			"the document has %s; import keeps the text only", docxPlural(r.images, "image"))
	}
	if r.footnotes+r.endnotes > 0 {
		var notes []string
		if r.footnotes > 0 {
			notes = append(notes, docxPlural(r.footnotes, "footnote"))
		}
		if r.endnotes > 0 {
			notes = append(notes, docxPlural(r.endnotes, "endnote"))
		}
		d.Warn(r.notesSrc, "copy what they say into the session where it belongs",
			"the document has %s; import leaves them out", strings.Join(notes, " and "))
	}
	if r.trackedSrc > 0 {
		d.Warn(r.trackedSrc, "accept or reject the changes in Word first if that is not what you want",
			"the document has tracked changes; import reads it as if they were all accepted")
	}
	if r.chunkSrc > 0 {
		d.Warn(r.chunkSrc, "open the document in Word and save it again: Word merges the embedded file into it",
			"part of the document is a file embedded whole (an alternative format chunk); import leaves it out")
	}
}

// docxPlural writes "1 image", "3 images".
func docxPlural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
