package search

import (
	"bytes"
	"encoding/json"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
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
	type pk struct {
		doc  int32
		kind uint8
	}
	want := []pk{{0, KindTitle}, {1, KindBody}, {2, KindBody}, {900, KindObjective}, {100000, KindHeading}}
	var ps []uint32
	for _, p := range want {
		ps = append(ps, posting(p.doc, p.kind))
	}
	enc := string(appendPostings(nil, ps))
	docs, kinds, ok := DecodePostings(enc)
	if !ok || len(docs) != len(want) {
		t.Fatalf("cannot decode %q", enc)
	}
	for i, p := range want {
		if docs[i] != int(p.doc) || kinds[i] != p.kind {
			t.Fatalf("posting %d: got %d/%d, want %d/%d", i, docs[i], kinds[i], p.doc, p.kind)
		}
	}
	// A term in every document takes one character for each.
	every := make([]uint32, 100)
	for i := range every {
		every[i] = posting(int32(i), KindBody)
	}
	if n := len(appendPostings(nil, every)); n != 100 {
		t.Errorf("100 consecutive postings take %d characters, want 100", n)
	}
	for _, bad := range []string{"g", "A!", "gg"} {
		if _, _, ok := DecodePostings(bad); ok {
			t.Errorf("%q decodes", bad)
		}
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
		if p.Source == nil {
			p.Source = &content.Source{}
		}
		p.Out = strings.ToLower(strings.ReplaceAll(p.Title, " ", "-")) + "/index.html"
		s.Pages = append(s.Pages, p)
	}
	return s
}

// bodies are the bodies of the test pages, by page, as rendered.
var bodies = map[*site.Page]string{}

func page(session int, title, objective, body string) *site.Page {
	p := &site.Page{Session: session, Title: title}
	bodies[p] = "<p>" + body + "</p>"
	if objective != "" {
		p.Objectives = []string{objective}
	}
	return p
}

// files is a site's files in memory, as the dev server keeps them.
type files map[string][]byte

// filesMu guards every files: Finish writes on every core.
var filesMu sync.Mutex

func (f files) WriteFile(name string, data []byte) error {
	filesMu.Lock()
	defer filesMu.Unlock()
	f[name] = slices.Clone(data)
	return nil
}

func (f files) Get(name string) ([]byte, bool) {
	filesMu.Lock()
	defer filesMu.Unlock()
	b, ok := f[name]
	return b, ok
}

// index makes the index of s into out, from last: the pages add are added,
// on two workers, and the files the last index has and the new one does
// not are removed.
func index(t *testing.T, s *site.Site, last *State, out files, add []*site.Page) *State {
	t.Helper()
	ix := NewIndex(s, last, nil)
	// In any order, on two cores, as renders finish.
	add = slices.Clone(add)
	shuffle.Shuffle(len(add), func(i, j int) { add[i], add[j] = add[j], add[i] })
	var wg sync.WaitGroup
	for k := range 2 {
		wk := ix.Worker()
		wg.Go(func() {
			for i := k; i < len(add); i += 2 {
				if err := wk.Add(out, add[i], []byte(bodies[add[i]]), nil, nil); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	var old Reader
	if last != nil {
		old = out
	}
	st, err := ix.Finish(out, old)
	if err != nil {
		t.Fatal(err)
	}
	keep := map[string]bool{}
	for _, f := range st.Files() {
		keep[f] = true
		if _, ok := out[f]; !ok {
			t.Errorf("the index has no %s", f)
		}
	}
	for _, f := range last.Files() {
		if !keep[f] {
			delete(out, f)
		}
	}
	return st
}

// shuffle orders the pages each index adds.
var shuffle = rand.New(rand.NewPCG(1, 2))

// buildAll is the index of every page of s, as a build of all makes it.
func buildAll(t *testing.T, s *site.Site) files {
	out := files{}
	index(t, s, nil, out, s.Pages)
	return out
}

// shardsOf reads the shards of files back: term -> documents and kinds.
func shardsOf(t *testing.T, out files) map[string][2][]int {
	res := map[string][2][]int{}
	for name, data := range out {
		if !strings.Contains(name, "/idx-") {
			continue
		}
		b := bytes.TrimPrefix(data, []byte("flipchartSearch.add("))
		i := bytes.IndexByte(b, ',')
		var terms map[string]string
		if err := json.Unmarshal(bytes.TrimSuffix(b[i+1:], []byte(");\n")), &terms); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for term, enc := range terms {
			docs, kinds, ok := DecodePostings(enc)
			if !ok {
				t.Fatalf("%s: %q: bad postings %q", name, term, enc)
			}
			var ks []int
			for _, k := range kinds {
				ks = append(ks, int(k))
			}
			res[term] = [2][]int{docs, ks}
		}
	}
	return res
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
	out := buildAll(t, s)
	sh := shardsOf(t, out)
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
	if _, ok := out["search/meta.js"]; !ok {
		t.Error("no meta.js")
	}
	if _, ok := out["search/docs-0.js"]; !ok {
		t.Error("no docs-0.js")
	}
}

func TestKindsRank(t *testing.T) {
	if !(KindTitle > KindSession && KindSession > KindObjective && KindObjective > KindHeading &&
		KindHeading > KindSummary && KindSummary > KindMaterial && KindMaterial > KindBody) {
		t.Error("kinds out of rank")
	}
}

func TestDocParts(t *testing.T) {
	var pages []*site.Page
	for i := range 50 {
		pages = append(pages, page(i+1, "Session "+strings.Repeat("x", i%5+1)+strconv.Itoa(i), "", strings.Repeat("word ", 1000)))
	}
	out := buildAll(t, testSite(pages...))
	for n := range parts(50) {
		lines, err := parsePart(n, out[partFile(Dir, n)])
		if err != nil {
			t.Fatalf("%s: %v", partFile(Dir, n), err)
		}
		if want := min(PerPart, 50-n*PerPart); len(lines) != want {
			t.Errorf("%s holds %d documents, want %d", partFile(Dir, n), len(lines), want)
		}
	}
	if _, ok := out[partFile(Dir, parts(50))]; ok {
		t.Errorf("%s is one part too many", partFile(Dir, parts(50)))
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
	out := buildAll(t, testSite(p))
	for name, data := range out {
		if !strings.HasSuffix(name, "docs-0.js") {
			continue
		}
		body := strings.TrimSuffix(strings.TrimPrefix(string(data), "flipchartSearch.docs(0,"), ");\n")
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

// TestIndexInPart checks the index made in part, from the last index's
// state and files and the pages changed since, against the index of all
// the pages, file for file, over random edits: bodies and titles changed,
// pages added, removed and moved (parts then hold other pages), and
// adds of a page twice.
func TestIndexInPart(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	words := strings.Fields("plan sesión риск الأمن next steps trainer group map risk threat device phone care 11 ab ac")
	text := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(words[rng.IntN(len(words))])
			b.WriteByte(' ')
		}
		return b.String()
	}
	serial := 0
	newPage := func() *site.Page {
		serial++
		p := page(serial, "Page "+strconv.Itoa(serial)+" "+words[rng.IntN(len(words))], "", text(rng.IntN(40)))
		p.Kind = site.Session
		p.Source = &content.Source{}
		p.Out = "p" + strconv.Itoa(serial) + "/index.html"
		return p
	}
	var pages []*site.Page
	for range 23 {
		pages = append(pages, newPage())
	}
	s := &site.Site{Pages: slices.Clone(pages)}
	out := files{}
	st := index(t, s, nil, out, s.Pages)
	for step := range 300 {
		var add []*site.Page
		switch op := rng.IntN(7); {
		case op <= 1: // bodies edited
			for range 1 + rng.IntN(3) {
				p := s.Pages[rng.IntN(len(s.Pages))]
				bodies[p] = "<p>" + text(rng.IntN(40)) + "</p>"
				add = append(add, p)
			}
		case op == 2: // a title
			p := s.Pages[rng.IntN(len(s.Pages))]
			p.Title = "Retitled " + text(2)
			add = append(add, p)
		case op == 3: // a page added
			p := newPage()
			i := rng.IntN(len(s.Pages) + 1)
			s.Pages = slices.Insert(s.Pages, i, p)
			add = append(add, p)
		case op == 4 && len(s.Pages) > 2: // a page removed
			i := rng.IntN(len(s.Pages))
			s.Pages = slices.Delete(s.Pages, i, i+1)
		case op == 5: // two pages swapped
			i, j := rng.IntN(len(s.Pages)), rng.IntN(len(s.Pages))
			s.Pages[i], s.Pages[j] = s.Pages[j], s.Pages[i]
		case op == 6: // the order reversed: each part's pages from others
			slices.Reverse(s.Pages)
		}
		if len(add) > 0 && rng.IntN(4) == 0 {
			add = append(add, add[0]) // rendered twice in one update
		}
		st = index(t, s, st, out, add)
		want := buildAll(t, s)
		if !maps.EqualFunc(out, want, bytes.Equal) {
			for name := range want {
				if !bytes.Equal(out[name], want[name]) {
					t.Errorf("step %d: %s differs:\n got %.300q\nwant %.300q", step, name, out[name], want[name])
				}
			}
			for name := range out {
				if _, ok := want[name]; !ok {
					t.Errorf("step %d: %s should be gone", step, name)
				}
			}
			t.FailNow()
		}
	}
}

// TestIndexDamaged checks that a last index's file that cannot be read is
// an error of Finish, never a panic.
func TestIndexDamaged(t *testing.T) {
	s := testSite(page(1, "One", "", "alpha beta"), page(2, "Two", "", "gamma"))
	for _, damage := range []func(files){
		func(f files) { f["search/docs-0.js"] = []byte("flipchartSearch.docs(0,[\n{x\n]);\n") },
		func(f files) { delete(f, "search/docs-0.js") },
		func(f files) { f["search/idx-616c.js"] = []byte(`flipchartSearch.add("al",{"alpha":"g"});` + "\n") },
		func(f files) { f["search/idx-616c.js"] = []byte(`flipchartSearch.add("al",{"alpha":"AAAA"});` + "\n") },
		func(f files) { f["search/idx-616c.js"] = []byte(`garbage`) },
	} {
		out := files{}
		st := index(t, s, nil, out, s.Pages)
		damage(out)
		s.Pages[0], s.Pages[1] = s.Pages[1], s.Pages[0]
		ix := NewIndex(s, st, nil)
		w := ix.Worker()
		if err := w.Add(out, s.Pages[0], []byte(bodies[s.Pages[0]]), nil, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := ix.Finish(out, out); err == nil {
			t.Error("a damaged index is read without an error")
		}
		s.Pages[0], s.Pages[1] = s.Pages[1], s.Pages[0]
	}
}
