package pdf

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// glyphsScript finds the letters of the page that no font of this computer
// has: a few letters of each block of Unicode the page's text uses beyond
// Latin are drawn on a canvas in the page's font, as Chromium would print
// them, and compared with what it draws for a character no font has (the
// empty box). It returns the letters drawn as the box.
const glyphsScript = `(() => {
  const groups = new Map();
  for (const ch of document.body.innerText) {
    const cp = ch.codePointAt(0);
    if (cp < 0x250 || !/[\p{L}\p{N}]/u.test(ch)) { continue; }
    const k = cp >> 7;
    let g = groups.get(k);
    if (!g) { g = []; groups.set(k, g); }
    if (g.length < 4 && !g.includes(ch)) { g.push(ch); }
  }
  if (!groups.size) { return ""; }
  const c = document.createElement("canvas");
  c.width = c.height = 48;
  const g = c.getContext("2d", { willReadFrequently: true });
  const font = "32px " + getComputedStyle(document.body).fontFamily;
  const draw = ch => {
    g.clearRect(0, 0, 48, 48);
    g.font = font;
    g.fillText(ch, 4, 36);
    const d = g.getImageData(0, 0, 48, 48).data;
    let h = 0;
    for (let i = 3; i < d.length; i += 4) { h = (h * 31 + d[i]) | 0; }
    return h;
  };
  const box = new Set([draw("\u0378"), draw("\u{10FFFD}")]);
  let out = "";
  for (const chars of groups.values()) {
    for (const ch of chars) { if (box.has(draw(ch))) { out += ch; } }
  }
  return out;
})()`

// MissingFontError is a page with letters no font of this computer has:
// printed, they would be empty boxes, so the page is not printed.
type MissingFontError struct {
	Letters string // the letters, a few of each script
}

func (e *MissingFontError) Error() string {
	var scripts []string
	for _, r := range e.Letters {
		if s := scriptOf(r); !slices.Contains(scripts, s) {
			scripts = append(scripts, s)
		}
	}
	return fmt.Sprintf("the page has %s text (%s), but no font on this computer has its letters: the PDF would show empty boxes in their place, so it is not printed; "+
		"install a font for it and print again (on Debian or Ubuntu, sudo apt install fonts-noto-core; see the README's \"Fonts for PDFs\")",
		strings.Join(scripts, " and "), quoteLetters(e.Letters))
}

// scriptOf names the script of a letter ("Arabic"), or its code point.
func scriptOf(r rune) string {
	names := make([]string, 0, len(unicode.Scripts))
	for name := range unicode.Scripts {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if name != "Common" && name != "Inherited" && unicode.Is(unicode.Scripts[name], r) {
			return strings.ReplaceAll(name, "_", " ")
		}
	}
	return fmt.Sprintf("U+%04X", r)
}

// quoteLetters shows letters with their code points: "𐵀 (U+10D40)".
func quoteLetters(s string) string {
	var parts []string
	for _, r := range s {
		parts = append(parts, fmt.Sprintf("%c U+%04X", r, r))
	}
	return strings.Join(parts, ", ")
}
