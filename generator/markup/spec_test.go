package markup

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
)

type specExample struct {
	Markdown string `json:"markdown"`
	HTML     string `json:"html"`
	Example  int    `json:"example"`
	Section  string `json:"section"`
}

// specExamples reads the CommonMark spec that ships inside goldmark's module.
func specExamples(t *testing.T) []specExample {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/yuin/goldmark").Output()
	if err != nil {
		t.Skipf("cannot find goldmark's module folder: %v", err)
	}
	data, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "_test", "spec.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ex []specExample
	if err := json.Unmarshal(data, &ex); err != nil {
		t.Fatal(err)
	}
	if len(ex) < 600 {
		t.Fatalf("only %d spec examples", len(ex))
	}
	return ex
}

// TestSpecContainersChangeNothing runs every CommonMark example through
// flipchart's configuration with and without the container extension: the
// extension must not change a single one.
func TestSpecContainersChangeNothing(t *testing.T) {
	with, without := newGoldmark(Containers), newGoldmark()
	for _, ex := range specExamples(t) {
		var a, b bytes.Buffer
		if err := with.Convert([]byte(ex.Markdown), &a); err != nil {
			t.Fatal(err)
		}
		if err := without.Convert([]byte(ex.Markdown), &b); err != nil {
			t.Fatal(err)
		}
		if a.String() != b.String() {
			t.Errorf("example %d (%s) renders differently with containers:\nwith:    %q\nwithout: %q", ex.Example, ex.Section, a.String(), b.String())
		}
	}
}

// TestSpecConformance runs every example through flipchart's parsing options
// (GFM, footnotes, containers) with raw HTML off, as on the site, and
// compares with the spec. The typographer, heading IDs and code highlighting
// change the look of the output on purpose and are left out here; XHTML is
// on only because the spec's expected HTML is written that way. Every example
// that differs must be listed in testdata/spec-differences.txt with its reason,
// and every example listed there must still differ.
func TestSpecConformance(t *testing.T) {
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote, Containers),
		goldmark.WithRendererOptions(html.WithXHTML()),
	)
	known := readDifferences(t)
	seen := map[int]bool{}
	for _, ex := range specExamples(t) {
		var b bytes.Buffer
		if err := md.Convert([]byte(ex.Markdown), &b); err != nil {
			t.Fatal(err)
		}
		differs := b.String() != ex.HTML
		reason, listed := known[ex.Example]
		seen[ex.Example] = differs
		switch {
		case differs && !listed:
			t.Errorf("example %d (%s) differs from the spec and is not listed in testdata/spec-differences.txt:\nmarkdown: %q\nwant: %q\ngot:  %q", ex.Example, ex.Section, ex.Markdown, ex.HTML, b.String())
		case !differs && listed:
			t.Errorf("example %d now matches the spec; remove it from testdata/spec-differences.txt (listed because: %s)", ex.Example, reason)
		}
	}
	for n := range known {
		if _, ok := seen[n]; !ok {
			t.Errorf("testdata/spec-differences.txt lists example %d, which is not in the spec", n)
		}
	}
}

// readDifferences reads "N: reason" lines.
func readDifferences(t *testing.T) map[int]string {
	f, err := os.Open("testdata/spec-differences.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[int]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		num, reason, ok := strings.Cut(line, ":")
		n, err := strconv.Atoi(strings.TrimSpace(num))
		if !ok || err != nil || strings.TrimSpace(reason) == "" {
			t.Fatalf("testdata/spec-differences.txt: bad line %q; write N: reason", line)
		}
		out[n] = strings.TrimSpace(reason)
	}
	return out
}
