//go:build unix

package build_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"flipchart/generator/build"
	"flipchart/generator/search"
)

// searchIndexFiles reads the search index of a built site: meta.js, each
// shard's terms and postings by prefix, and the size of every file.
type searchIndexFiles struct {
	dir  string
	meta struct {
		Shards []string
		Chunks []int
	}
	sizes  map[string]int
	shards map[string]map[string]string
}

func readSearchIndex(t *testing.T, dir string) *searchIndexFiles {
	t.Helper()
	ix := &searchIndexFiles{dir: dir, sizes: map[string]int{}, shards: map[string]map[string]string{}}
	ents, err := os.ReadDir(filepath.Join(dir, "search"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		data, err := os.ReadFile(filepath.Join(dir, "search", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		ix.sizes[e.Name()] = len(data)
		switch {
		case e.Name() == "meta.js":
			body := strings.TrimSuffix(strings.TrimPrefix(string(data), "flipchartSearch.meta("), ");\n")
			if err := json.Unmarshal([]byte(body), &ix.meta); err != nil {
				t.Fatalf("meta.js: %v", err)
			}
		case strings.HasPrefix(e.Name(), "idx-"):
			b := bytes.TrimPrefix(data, []byte("flipchartSearch.add("))
			var pre string
			dec := json.NewDecoder(bytes.NewReader(b))
			if err := dec.Decode(&pre); err != nil {
				t.Fatalf("%s: %v", e.Name(), err)
			}
			rest := bytes.TrimSuffix(b[dec.InputOffset()+1:], []byte(");\n"))
			terms := map[string]string{}
			if err := json.Unmarshal(rest, &terms); err != nil {
				t.Fatalf("%s: %v", e.Name(), err)
			}
			if search.ShardFile(pre) != e.Name() {
				t.Errorf("%s holds the shard %q", e.Name(), pre)
			}
			ix.shards[pre] = terms
		}
	}
	return ix
}

// queryBytes is what a query loads, as the browser does: meta.js, the
// shards of its terms, and the parts of the document table its first ten
// results are in; and how many documents it finds.
func (ix *searchIndexFiles) queryBytes(q string) (int, int) {
	n := ix.sizes["meta.js"]
	found := map[int]int{}
	terms := search.Tokens(q)
	for i, t := range terms {
		pre := search.Prefix(t)
		n += ix.sizes[search.ShardFile(pre)]
		docs := map[int]bool{}
		for term, enc := range ix.shards[pre] {
			if strings.HasPrefix(term, t) {
				ds, _, _ := search.DecodePostings(enc)
				for _, d := range ds {
					docs[d] = true
				}
			}
		}
		for d := range docs {
			if found[d] == i {
				found[d] = i + 1
			}
		}
	}
	var hits []int
	for d, c := range found {
		if c == len(terms) {
			hits = append(hits, d)
		}
	}
	slices.Sort(hits)
	parts := map[int]bool{}
	for _, d := range hits[:min(10, len(hits))] {
		i, _ := slices.BinarySearch(ix.meta.Chunks, d+1)
		parts[i-1] = true
	}
	for p := range parts {
		n += ix.sizes["docs-"+itoa(p)+".js"]
	}
	return n, len(hits)
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

// TestSearchSizes builds the benchmarks' corpus of 1,000 sessions and
// checks what search costs a reader: the script every page loads stays
// under 3 KB, and a query loads at most 1 MB of the index.
func TestSearchSizes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 1,000 sessions")
	}
	js, err := os.ReadFile(filepath.Join("..", "..", "themes", "default", "static", "js", "search.js"))
	if err != nil {
		t.Fatal(err)
	}
	if len(js) > 3<<10 {
		t.Errorf("js/search.js is %d bytes, more than 3 KB", len(js))
	}
	src, dest := t.TempDir(), filepath.Join(t.TempDir(), "public")
	if err := benchWriteCorpus(src, 1000); err != nil {
		t.Fatal(err)
	}
	res, err := build.ToDir(src, dest, build.Options{})
	if err != nil {
		t.Fatalf("%v: %v", err, res.Err())
	}
	ix := readSearchIndex(t, dest)
	total, shards, docs := 0, 0, 0
	for name, n := range ix.sizes {
		total += n
		switch {
		case strings.HasPrefix(name, "idx-"):
			shards++
		case strings.HasPrefix(name, "docs-"):
			docs++
		}
	}
	t.Logf("index: %d files, %d KB: %d shards, %d document parts, meta.js %d KB", len(ix.sizes), total>>10, shards, docs, ix.sizes["meta.js"]>>10)
	// The most common words make the largest queries: every query of
	// the words of the corpus's titles, and its commonest prefixes.
	var worst string
	most := 0
	words := regexp.MustCompile(`[a-z]{2,}`).FindAllString("the and to of a in session participants trainers plan risk security th co pr re se", -1)
	for _, pre := range ix.meta.Shards {
		words = append(words, pre)
	}
	for _, w := range words {
		if n, _ := ix.queryBytes(w); n > most {
			most, worst = n, w
		}
	}
	n, hits := ix.queryBytes("the session")
	t.Logf("largest query %q loads %d KB; %q loads %d KB and finds %d pages", worst, most>>10, "the session", n>>10, hits)
	if most > 1<<20 {
		t.Errorf("the query %q loads %d bytes, more than 1 MB", worst, most)
	}
}
