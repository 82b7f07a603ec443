package pdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"unicode/utf16"
)

// linksScript rewrites the page's links before it is printed, since a PDF
// cannot follow a link relative to a folder on the machine that printed it
// (Chromium would write it as a file:/// URL, the machine's path inside). It
// is called with the site's root URL and the site's published address (or
// ""): a link within the page stays a link within the PDF; a link to another
// file of the site becomes a link to the published site when there is one,
// else plain text; links to other hosts stay.
const linksScript = `(function (root, base) {
  var here = location.href.split("#")[0];
  var n = 0;
  document.querySelectorAll("a[href], area[href]").forEach(function (a) {
    var u;
    try { u = new URL(a.getAttribute("href"), location.href); } catch (e) { u = null; }
    if (u && /^(https?|mailto|tel):$/.test(u.protocol)) { return; }
    if (u && u.href.split("#")[0] === here) {
      var id = u.hash ? decodeURIComponent(u.hash.slice(1)) : "";
      if (id && document.getElementById(id)) { a.setAttribute("href", "#" + encodeURIComponent(id)); return; }
    } else if (u && base && u.href.indexOf(root) === 0) {
      a.setAttribute("href", base + u.href.slice(root.length));
      return;
    }
    a.removeAttribute("href");
    n++;
  });
  return n;
})`

// Traces returns each of the strings in forbid (a folder of the machine,
// its name, a temporary folder) that the PDF holds, and "file:/" for a
// link to a file of the machine: in its bytes as they are, in its
// compressed streams, and spelt as PDF text strings are (UTF-16).
func Traces(data []byte, forbid []string) []string {
	forbid = append([]string{"file:/"}, forbid...)
	texts := [][]byte{data}
	for rest := data; ; {
		i := bytes.Index(rest, []byte("stream"))
		if i < 0 {
			break
		}
		rest = rest[i+len("stream"):]
		if bytes.HasPrefix(rest, []byte("\r\n")) {
			rest = rest[2:]
		} else if bytes.HasPrefix(rest, []byte("\n")) {
			rest = rest[1:]
		} else {
			continue // "endstream", or the word in text
		}
		end := bytes.Index(rest, []byte("endstream"))
		if end < 0 {
			break
		}
		if zr, err := zlib.NewReader(bytes.NewReader(rest[:end])); err == nil {
			if plain, err := io.ReadAll(io.LimitReader(zr, 256<<20)); err == nil || len(plain) > 0 {
				texts = append(texts, plain)
			}
		}
		rest = rest[end:]
	}
	upper := make([][]byte, len(texts)) // for hex strings, <00660069…>
	for i, t := range texts {
		upper[i] = bytes.ToUpper(t)
	}
	var found []string
	for _, f := range forbid {
		if len(f) < 2 {
			continue
		}
		plain, wide := []byte(f), utf16be(f)
		hex := []byte(fmt.Sprintf("%X", wide))
	search:
		for i, t := range texts {
			if bytes.Contains(t, plain) || bytes.Contains(t, wide) || bytes.Contains(upper[i], hex) {
				found = append(found, f)
				break search
			}
		}
	}
	return found
}

func utf16be(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return b
}
