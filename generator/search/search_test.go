package search

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"flipchart/generator/content"
	"flipchart/generator/site"
)

func TestFold(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Sesión", "sesion"},
		{"ÀÉÎÕÜ çñ", "aeiou cn"},
		{"Straße Æsir Œuvre", "strasse aesir oeuvre"},
		{"Łódź Šibenik Ærø", "lodz sibenik aero"},
		{"Ёлка ЁЖ", "елка еж"},
		{"Άθήνα Ωραίος ΐ", "αθηνα ωραιοσ ι"},
		{"ΟΔΟΣ οδός", "οδοσ οδοσ"},
		{"مُدَرِّب", "مدرب"},
		{"أمن إدارة آمن", "امن ادارة امن"},
		{"كـتـاب", "كتاب"},
		{"İstanbul", "istanbul"},
		{"e\u0301cole", "ecole"}, // decomposed already
		{"Ðiều Việt", "dieu viet"},
	} {
		if got := Fold(c.in); got != c.want {
			t.Errorf("Fold(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestTokens(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"Next steps: commit (now)!", []string{"next", "steps", "commit", "now"}},
		{"sesión-3, día 2", []string{"sesion", "3", "dia", "2"}},
		{"Безопасность и «защита»", []string{"безопасность", "и", "защита"}},
		{"الأمن الرقمي، للمدافعين", []string{"الامن", "الرقمي", "للمدافعين"}},
		{"don’t", []string{"don", "t"}},
		{strings.Repeat("x", 61) + " ok", []string{"ok"}},
	} {
		if got := Tokens(c.in); !slices.Equal(got, c.want) {
			t.Errorf("Tokens(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestPrefixAndShardFile(t *testing.T) {
	for _, c := range []struct{ term, pre, file string }{
		{"process", "pr", "idx-7072.js"},
		{"a", "a", "idx-61.js"},
		{"елка", "ел", "idx-d0b5d0bb.js"},
		{"11", "11", "idx-3131.js"},
	} {
		if p := Prefix(c.term); p != c.pre {
			t.Errorf("Prefix(%q) = %q, want %q", c.term, p, c.pre)
		}
		if f := ShardFile(c.pre); f != c.file {
			t.Errorf("ShardFile(%q) = %q, want %q", c.pre, f, c.file)
		}
	}
}

func TestPostingsRoundTrip(t *testing.T) {
	ps := []posting{{0, KindTitle}, {1, KindBody}, {2, KindBody}, {900, KindObjective}, {100000, KindHeading}}
	enc := string(appendPostings(nil, ps))
	docs, kinds, ok := DecodePostings(enc)
	if !ok {
		t.Fatalf("cannot decode %q", enc)
	}
	for i, p := range ps {
		if docs[i] != int(p.doc) || kinds[i] != p.kind {
			t.Fatalf("posting %d: got %d/%d, want %d/%d", i, docs[i], kinds[i], p.doc, p.kind)
		}
	}
	// A term in every document takes one character for each.
	every := make([]posting, 100)
	for i := range every {
		every[i] = posting{int32(i), KindBody}
	}
	if n := len(appendPostings(nil, every)); n != 100 {
		t.Errorf("100 consecutive postings take %d characters, want 100", n)
	}
}

func TestPlainText(t *testing.T) {
	got := PlainText([]byte(`<h2 id="x">Key <em>points</em></h2><p>Tom &amp; Jerry’s&nbsp;plan<br>next</p><ul><li>one</li><li>two</li></ul>`))
	want := "Key points Tom & Jerry’s\u00a0plan next one two"
	if got != want {
		t.Errorf("PlainText = %q, want %q", got, want)
	}
	if got := PlainText([]byte("<p>a & b &eacute;&#233; &ldquo;x&rdquo; &bogus</p><p")); got != "a & b éé “x” &bogus" {
		t.Errorf("PlainText of entities = %q", got)
	}
}

// testSite is a site of pages with the given titles, objectives and
// bodies, in reading order.
func testSite(pages ...*site.Page) *site.Site {
	s := &site.Site{}
	for _, p := range pages {
		if p.Kind == 0 {
			p.Kind = site.Session
		}
		p.Source = &content.Source{}
		p.Out = strings.ToLower(strings.ReplaceAll(p.Title, " ", "-")) + "/index.html"
		s.Pages = append(s.Pages, p)
	}
	return s
}

func page(session int, title, objective, body string) *site.Page {
	p := &site.Page{Session: session, Title: title, Derived: &site.Derived{Text: &site.PageText{Body: body}}}
	if objective != "" {
		p.Objectives = []string{objective}
	}
	return p
}

// shardsOf reads the shards of files back: term -> documents and kinds.
func shardsOf(t *testing.T, files []File) map[string][2][]int {
	out := map[string][2][]int{}
	for _, f := range files {
		if !strings.Contains(f.Name, "/idx-") {
			continue
		}
		b := bytes.TrimPrefix(f.Data, []byte("flipchartSearch.add("))
		i := bytes.IndexByte(b, ',')
		var terms map[string]string
		if err := json.Unmarshal(bytes.TrimSuffix(b[i+1:], []byte(");\n")), &terms); err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		for term, enc := range terms {
			docs, kinds, ok := DecodePostings(enc)
			if !ok {
				t.Fatalf("%s: %q: bad postings %q", f.Name, term, enc)
			}
			var ks []int
			for _, k := range kinds {
				ks = append(ks, int(k))
			}
			out[term] = [2][]int{docs, ks}
		}
	}
	return out
}

func TestBuildKinds(t *testing.T) {
	s := testSite(
		page(1, "Warm up", "", "We plan the sesión together."),
		page(2, "Planning", "to plan next steps", "A body."),
		page(3, "Plan B", "", "Nothing."),
	)
	s.Pages = append(s.Pages, &site.Page{Kind: site.Handout, Title: "Plan handout", Source: &content.Source{}})
	draft := page(4, "Plan draft", "", "")
	draft.Source = &content.Source{Front: content.FrontMatter{Draft: true}}
	s.Pages = append(s.Pages, draft)
	files := Files(s)
	sh := shardsOf(t, files)
	got := sh["plan"]
	// Document 0 has it in its body, 1 in an objective, 2 in its title;
	// the handout and the draft are not indexed.
	if want := [2][]int{{0, 1, 2}, {KindBody, KindObjective, KindTitle}}; !slices.Equal(got[0], want[0]) || !slices.Equal(got[1], want[1]) {
		t.Errorf("plan: %v, want %v", got, want)
	}
	if got := sh["planning"]; !slices.Equal(got[1], []int{KindTitle}) {
		t.Errorf("planning: %v", got)
	}
	if got := sh["sesion"]; !slices.Equal(got[0], []int{0}) {
		t.Errorf("sesion: %v", got)
	}
	if got := sh["2"]; !slices.Equal(got[1], []int{KindSession}) {
		t.Errorf("2: %v", got)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	if !slices.Contains(names, "search/meta.js") || !slices.Contains(names, "search/docs-0.js") {
		t.Errorf("files: %v", names)
	}
}

func TestKindsRank(t *testing.T) {
	if !(KindTitle > KindSession && KindSession > KindObjective && KindObjective > KindHeading &&
		KindHeading > KindSummary && KindSummary > KindMaterial && KindMaterial > KindBody) {
		t.Error("kinds out of rank")
	}
}

func TestDocChunks(t *testing.T) {
	var pages []*site.Page
	for i := range 50 {
		pages = append(pages, page(i+1, "Session "+strings.Repeat("x", i%5+1), "", strings.Repeat("word ", 1000)))
	}
	files := Files(testSite(pages...))
	n := 0
	for _, f := range files {
		if strings.Contains(f.Name, "/docs-") {
			n++
			if len(f.Data) > chunkBytes+maxBody+4096 {
				t.Errorf("%s: %d bytes", f.Name, len(f.Data))
			}
		}
	}
	if want := 50 * 5000 / chunkBytes; n < want {
		t.Errorf("50 pages of 5 KB in %d parts, want at least %d", n, want)
	}
}

func TestWriteString(t *testing.T) {
	for _, s := range []string{"plain", `"quoted" \ back`, "line\nbreak\ttab\x01", "sep\u2028par\u2029", "ñ ع 日本", "\xff bad"} {
		var b bytes.Buffer
		writeString(&b, s)
		var got string
		if err := json.Unmarshal(b.Bytes(), &got); err != nil {
			t.Errorf("%q: %s: %v", s, b.String(), err)
			continue
		}
		if got != strings.ToValidUTF8(s, "\uFFFD") {
			t.Errorf("%q comes back as %q", s, got)
		}
		if strings.ContainsAny(b.String(), "\u2028\u2029\n") {
			t.Errorf("%q: %q keeps a line separator", s, b.String())
		}
	}
}

func TestDocTable(t *testing.T) {
	p := page(7, `Say "hi"`, "to greet", "Body text.")
	p.Summary = "A summary."
	files := Files(testSite(p))
	for _, f := range files {
		if !strings.HasSuffix(f.Name, "docs-0.js") {
			continue
		}
		body := strings.TrimSuffix(strings.TrimPrefix(string(f.Data), "flipchartSearch.docs(0,"), ");\n")
		var docs []struct {
			U string
			S int
			T string
			K string
			F [][]any
		}
		if err := json.Unmarshal([]byte(body), &docs); err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		if len(docs) != 1 || docs[0].S != 7 || docs[0].T != `Say "hi"` || docs[0].K != "session" || len(docs[0].F) != 3 {
			t.Errorf("the document table is %+v", docs)
		}
		return
	}
	t.Error("no docs-0.js")
}
