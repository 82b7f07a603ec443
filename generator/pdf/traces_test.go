package pdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"flipchart/generator/browser"
)

func flate(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.Bytes()
}

// Traces finds a machine's strings however a PDF spells them: as they are,
// inside a compressed stream, or as a UTF-16 text string, literal or hex.
func TestTraces(t *testing.T) {
	dir := "/home/ana/manual"
	pdf := func(body []byte) []byte {
		return append(append([]byte("%PDF-1.7\n1 0 obj\n<</Length 9>>\nstream\n"), body...), "\nendstream\nendobj\n"...)
	}
	wide := string(utf16be(dir))
	for name, c := range map[string]struct {
		data []byte
		want string
	}{
		"a file URL":        {[]byte("<</URI (file:///tmp/x/index.html)>>"), "file:/"},
		"plain":             {[]byte("/Title (" + dir + ")"), dir},
		"compressed":        {pdf(flate(t, "BT (see "+dir+"/x) Tj ET")), dir},
		"UTF-16 literal":    {[]byte("/Title (\xfe\xff" + wide + ")"), dir},
		"UTF-16 hex":        {[]byte("/Title <FEFF" + strings.ToLower(fmt.Sprintf("%X", wide)) + ">"), dir},
		"nothing":           {pdf(flate(t, "BT (Next steps) Tj ET")), ""},
		"a word, not a URL": {[]byte("(Save the file: it is yours)"), ""},
	} {
		found := Traces(c.data, []string{dir})
		if got := strings.Join(found, ","); got != c.want {
			t.Errorf("%s: found %q, want %q", name, got, c.want)
		}
	}
}

// Print refuses to write a PDF that holds a forbidden string: here the
// page's title, which Chromium copies into the PDF's metadata.
func TestPrintRefusesTraces(t *testing.T) {
	ctx := browser.ForTest(t)
	out := filepath.Join(t.TempDir(), "x.pdf")
	job := Job{URL: fileURL(t, "letter.html"), Out: out, Forbid: []string{"Letter worksheet"}}
	err := Print(ctx, []Job{job}, Options{})
	if err == nil || !strings.Contains(err.Error(), "Letter worksheet") {
		t.Fatalf("Print = %v, want an error naming the trace", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("the PDF was written: %v", err)
	}
}
