package author

import (
	"strconv"
	"strings"
)

// The properties of paragraphs, runs and tables that import reads, as
// encoding/xml decodes them. A field matches the child element of that
// local name only, so the old properties a tracked change keeps
// (w:pPrChange, w:rPrChange) are not mistaken for the current ones.

// docxVal is an element whose value is its w:val attribute.
type docxVal struct {
	Val *string `xml:"val,attr"`
}

// str returns the value, "" when the element or its value is missing.
func (v *docxVal) str() string {
	if v == nil || v.Val == nil {
		return ""
	}
	return strings.TrimSpace(*v.Val)
}

// num returns the value as a number, and whether it is one.
func (v *docxVal) num() (int, bool) {
	n, err := strconv.Atoi(v.str())
	return n, err == nil
}

// on returns an on/off property (w:b, w:i): nil when the element is
// missing, true when it is there without a value or with one that is not
// "0", "false" or "off".
func (v *docxVal) on() *bool {
	if v == nil {
		return nil
	}
	b := true
	switch strings.ToLower(v.str()) {
	case "0", "false", "off", "none":
		b = false
	}
	return &b
}

// docxRPr is a run's properties (w:rPr), direct or of a style.
type docxRPr struct {
	RStyle *docxVal `xml:"rStyle"`
	B      *docxVal `xml:"b"`
	I      *docxVal `xml:"i"`
	Vanish *docxVal `xml:"vanish"`
	RFonts *struct {
		ASCII      string `xml:"ascii,attr"`
		ASCIITheme string `xml:"asciiTheme,attr"`
	} `xml:"rFonts"`
}

// docxNumPr is a paragraph's place in a list (w:numPr).
type docxNumPr struct {
	Ilvl  *docxVal `xml:"ilvl"`
	NumID *docxVal `xml:"numId"`
}

// docxPPr is a paragraph's properties (w:pPr), direct or of a style.
type docxPPr struct {
	PStyle          *docxVal    `xml:"pStyle"`
	NumPr           *docxNumPr  `xml:"numPr"`
	OutlineLvl      *docxVal    `xml:"outlineLvl"`
	PageBreakBefore *docxVal    `xml:"pageBreakBefore"`
	SectPr          *docxSectPr `xml:"sectPr"`
}

// docxSectPr is the end of a section (w:sectPr): its type says how the
// section starts, on a new page unless "continuous" or "nextColumn".
type docxSectPr struct {
	Type *docxVal `xml:"type"`
}

// newPage reports whether the section starts on a new page.
func (s *docxSectPr) newPage() bool {
	switch s.Type.str() {
	case "continuous", "nextColumn":
		return false
	}
	return true
}

// docxStyle is one style of styles.xml.
type docxStyle struct {
	Type       string   `xml:"type,attr"`
	ID         string   `xml:"styleId,attr"`
	Default    string   `xml:"default,attr"`
	Name       *docxVal `xml:"name"`
	BasedOn    *docxVal `xml:"basedOn"`
	PPr        docxPPr  `xml:"pPr"`
	RPr        docxRPr  `xml:"rPr"`
	TblStylePr []struct {
		Type string  `xml:"type,attr"`
		RPr  docxRPr `xml:"rPr"`
	} `xml:"tblStylePr"`
}

// docxStylesXML is styles.xml.
type docxStylesXML struct {
	Defaults struct {
		RPr docxRPr `xml:"rPrDefault>rPr"`
	} `xml:"docDefaults"`
	Styles []*docxStyle `xml:"style"`
}

// docxStyles are a document's styles, by ID.
type docxStyles struct {
	byID        map[string]*docxStyle
	defaults    docxRPr
	defaultPara string                  // the ID of the paragraph style of paragraphs that name none
	chains      map[string][]*docxStyle // chain's answers, by ID
}

func newDocxStyles(x *docxStylesXML) *docxStyles {
	s := &docxStyles{byID: map[string]*docxStyle{}, defaults: x.Defaults.RPr}
	for _, st := range x.Styles {
		if st == nil || st.ID == "" {
			continue
		}
		if _, dup := s.byID[st.ID]; !dup {
			s.byID[st.ID] = st
		}
		if st.Type == "paragraph" && st.Default != "" && st.Default != "0" && st.Default != "false" && s.defaultPara == "" {
			s.defaultPara = st.ID
		}
	}
	return s
}

// chain returns the style of that ID and the styles it is based on, in
// that order, without loops. A style the document does not define is
// taken to be named as its ID, so that "Heading1" still reads as a
// heading in a document without styles.xml.
func (s *docxStyles) chain(id string) []*docxStyle {
	if id == "" {
		return nil
	}
	if c, ok := s.chains[id]; ok {
		return c
	}
	var c []*docxStyle
	seen := map[string]bool{}
	for cur := id; cur != "" && !seen[cur] && len(c) < 32; {
		seen[cur] = true
		st := s.byID[cur]
		if st == nil {
			if cur == id {
				name := id
				st = &docxStyle{ID: id, Name: &docxVal{Val: &name}}
				c = append(c, st)
			}
			break
		}
		c = append(c, st)
		cur = st.BasedOn.str()
	}
	if s.chains == nil {
		s.chains = map[string][]*docxStyle{}
	}
	s.chains[id] = c
	return c
}

// docxStyleName is a style's name as import compares it: lower case,
// without spaces ("heading 1" and "Heading1" are "heading1").
func docxStyleName(st *docxStyle) string {
	return strings.ToLower(strings.ReplaceAll(st.Name.str(), " ", ""))
}

// outline returns the outline level a paragraph style gives (0 is the top,
// 9 body text), and whether one of its chain sets it.
func (s *docxStyles) outline(id string) (int, bool) {
	for _, st := range s.chain(id) {
		if n, ok := st.PPr.OutlineLvl.num(); ok {
			return n, true
		}
	}
	return 0, false
}

// headingByName returns the level of a heading style known by its name:
// "heading N" is N (1 to 6), "Title" 1; 0 for any other style. Styles
// based on one of those are headings as well.
func (s *docxStyles) headingByName(id string) int {
	for _, st := range s.chain(id) {
		name := docxStyleName(st)
		if name == "title" {
			return 1
		}
		if rest, ok := strings.CutPrefix(name, "heading"); ok {
			if n, err := strconv.Atoi(rest); err == nil {
				if n >= 1 && n <= 6 {
					return n
				}
				return 0
			}
		}
	}
	return 0
}

// listByName returns the level and kind of a list style known by its
// name ("List Bullet", "List Number 2", "List Paragraph"), for paragraphs
// that have the style but no numbering.
func (s *docxStyles) listByName(id string) (level int, ordered, ok bool) {
	for _, st := range s.chain(id) {
		name := docxStyleName(st)
		if name == "listparagraph" {
			return 0, false, true
		}
		for _, kind := range []string{"listbullet", "listnumber"} {
			rest, found := strings.CutPrefix(name, kind)
			if !found {
				continue
			}
			n := 1
			if rest != "" {
				var err error
				if n, err = strconv.Atoi(rest); err != nil || n < 1 || n > 9 {
					continue
				}
			}
			return n - 1, kind == "listnumber", true
		}
	}
	return 0, false, false
}

// isTOC reports whether a paragraph style is one of a table of contents
// ("toc 1" to "toc 9", "TOC Heading"): Word makes those paragraphs from the
// headings, which import reads where they are.
func (s *docxStyles) isTOC(id string) bool {
	c := s.chain(id)
	if len(c) == 0 {
		return false
	}
	name := docxStyleName(c[0])
	if name == "tocheading" {
		return true
	}
	rest, ok := strings.CutPrefix(name, "toc")
	n, err := strconv.Atoi(rest)
	return ok && err == nil && n >= 1 && n <= 9
}

// numPr returns the numbering a paragraph style puts its paragraphs in:
// the list's ID ("" for none) and the level, -1 when the style leaves it
// to the list.
func (s *docxStyles) numPr(id string) (numID string, ilvl int) {
	for _, st := range s.chain(id) {
		if np := st.PPr.NumPr; np != nil && np.NumID != nil {
			lvl, ok := np.Ilvl.num()
			if !ok {
				lvl = -1
			}
			return np.NumID.str(), lvl
		}
	}
	return "", -1
}

// runLevels returns the run properties that decide a run's look, the
// first that sets a property winning: the run's own, its character
// style's chain, its paragraph style's chain, the table's (tbl), then the
// document's defaults.
func (s *docxStyles) runLevels(direct *docxRPr, pStyle string, tbl []*docxRPr) []*docxRPr {
	levels := []*docxRPr{direct}
	for _, st := range s.chain(direct.RStyle.str()) {
		levels = append(levels, &st.RPr)
	}
	if pStyle == "" {
		pStyle = s.defaultPara
	}
	for _, st := range s.chain(pStyle) {
		levels = append(levels, &st.RPr)
	}
	levels = append(levels, tbl...)
	return append(levels, &s.defaults)
}

// tableLevels returns the run properties a table style gives the text of
// a cell: those of its first row (when the table uses the first row's
// look and the cell is in it), then those of the whole table.
func (s *docxStyles) tableLevels(id string, firstRow bool) []*docxRPr {
	var levels []*docxRPr
	c := s.chain(id)
	if firstRow {
		for _, st := range c {
			for i := range st.TblStylePr {
				if st.TblStylePr[i].Type == "firstRow" {
					levels = append(levels, &st.TblStylePr[i].RPr)
				}
			}
		}
	}
	for _, st := range c {
		levels = append(levels, &st.RPr)
	}
	return levels
}

// codeStyle reports whether a character style is one for code: its name,
// or one it is based on, says code or verbatim ("HTML Code", "Verbatim
// Char").
func (s *docxStyles) codeStyle(id string) bool {
	for _, st := range s.chain(id) {
		name := docxStyleName(st)
		if strings.Contains(name, "code") || strings.Contains(name, "verbatim") ||
			name == "htmlkeyboard" || name == "htmltypewriter" {
			return true
		}
	}
	return false
}

// docxMonoFonts are fonts of fixed width, by lower-case name, without
// spaces: text in them is code.
var docxMonoFonts = map[string]bool{
	"couriernew": true, "courier": true, "consolas": true, "lucidaconsole": true,
	"lucidasanstypewriter": true, "menlo": true, "monaco": true, "sourcecodepro": true,
	"dejavusansmono": true, "liberationmono": true, "cascadiacode": true,
	"cascadiamono": true, "firacode": true, "firamono": true, "robotomono": true,
	"ubuntumono": true, "andalemono": true, "notomono": true, "notosansmono": true,
	"sfmono": true, "jetbrainsmono": true, "inconsolata": true, "ocra": true,
}

// docxLvl is one level of a list's numbering.
type docxLvl struct {
	Ilvl   string   `xml:"ilvl,attr"`
	NumFmt *docxVal `xml:"numFmt"`
	PStyle *docxVal `xml:"pStyle"`
}

// docxNumberingXML is numbering.xml: abstract lists (their levels) and the
// lists paragraphs name (w:num), each an abstract list with overrides.
type docxNumberingXML struct {
	Abstract []struct {
		ID           string    `xml:"abstractNumId,attr"`
		NumStyleLink *docxVal  `xml:"numStyleLink"`
		Lvls         []docxLvl `xml:"lvl"`
	} `xml:"abstractNum"`
	Nums []struct {
		ID        string   `xml:"numId,attr"`
		Abstract  *docxVal `xml:"abstractNumId"`
		Overrides []struct {
			Ilvl string   `xml:"ilvl,attr"`
			Lvl  *docxLvl `xml:"lvl"`
		} `xml:"lvlOverride"`
	} `xml:"num"`
}

// docxNumbering is a document's lists.
type docxNumbering struct {
	abstract map[string]*docxAbstract
	nums     map[string]*docxNum
}

type docxAbstract struct {
	styleLink string // a numbering style that holds the levels instead
	lvls      map[int]docxLvl
}

type docxNum struct {
	abstract  string
	overrides map[int]docxLvl
}

func newDocxNumbering(x *docxNumberingXML) *docxNumbering {
	n := &docxNumbering{abstract: map[string]*docxAbstract{}, nums: map[string]*docxNum{}}
	for _, a := range x.Abstract {
		abs := &docxAbstract{styleLink: a.NumStyleLink.str(), lvls: map[int]docxLvl{}}
		for _, l := range a.Lvls {
			if i, err := strconv.Atoi(strings.TrimSpace(l.Ilvl)); err == nil {
				abs.lvls[i] = l
			}
		}
		n.abstract[strings.TrimSpace(a.ID)] = abs
	}
	for _, m := range x.Nums {
		num := &docxNum{abstract: m.Abstract.str(), overrides: map[int]docxLvl{}}
		for _, o := range m.Overrides {
			if i, err := strconv.Atoi(strings.TrimSpace(o.Ilvl)); err == nil && o.Lvl != nil {
				num.overrides[i] = *o.Lvl
			}
		}
		n.nums[strings.TrimSpace(m.ID)] = num
	}
	return n
}

// level returns the level ilvl of list numID, following a list whose
// levels a numbering style holds (w:numStyleLink) to that style's list.
func (n *docxNumbering) level(numID string, ilvl int, styles *docxStyles) (docxLvl, bool) {
	for hops := 0; hops < 8; hops++ {
		num := n.nums[numID]
		if num == nil {
			return docxLvl{}, false
		}
		if l, ok := num.overrides[ilvl]; ok {
			return l, true
		}
		abs := n.abstract[num.abstract]
		if abs == nil {
			return docxLvl{}, false
		}
		if abs.styleLink != "" {
			if id, _ := styles.numPr(abs.styleLink); id != "" && id != numID {
				numID = id
				continue
			}
		}
		l, ok := abs.lvls[ilvl]
		return l, ok
	}
	return docxLvl{}, false
}

// ordered reports whether level ilvl of list numID is numbered: its format
// is not "bullet" or "none" (a level without a format is decimal). A list
// the document does not define reads as bulleted.
func (n *docxNumbering) ordered(numID string, ilvl int, styles *docxStyles) bool {
	l, ok := n.level(numID, ilvl, styles)
	if !ok {
		return false
	}
	switch l.NumFmt.str() {
	case "bullet", "none":
		return false
	}
	return true
}

// styleLevel returns the level of list numID that a paragraph style is
// attached to (w:pStyle in the level), for paragraphs numbered by their
// style without a level of their own.
func (n *docxNumbering) styleLevel(numID, styleID string) (int, bool) {
	num := n.nums[numID]
	if num == nil {
		return 0, false
	}
	for i, l := range num.overrides {
		if l.PStyle.str() == styleID {
			return i, true
		}
	}
	if abs := n.abstract[num.abstract]; abs != nil {
		for i, l := range abs.lvls {
			if l.PStyle.str() == styleID {
				return i, true
			}
		}
	}
	return 0, false
}
