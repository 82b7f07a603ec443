package build_test

import (
	"bytes"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"flipchart/generator/build"
	"flipchart/generator/internal/sitetest"
)

// TestCachedBuildEqualsColdBuild is the randomized test of the build cache:
// the edits of TestLiveEqualsFullBuild, each saved to disk, after each of
// which a build with the cache (ToDir, as flipchart build runs it) must
// leave the destination equal, file for file and byte for byte, to a build
// without it, or fail exactly when that build fails, and leave the last
// good site. The flags of TestLiveEqualsFullBuild set the seed and steps
// (a fifth of them: each step builds twice into folders).
func TestCachedBuildEqualsColdBuild(t *testing.T) {
	steps := max(randomStepCount(t)/5, 10)
	seed := *randomSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d, %d steps (replay: -random.seed=%d -random.steps=%d)", seed, steps, seed, steps*5)
	c := newCacheRun(t, seed)
	again := 0
	for i := 1; i <= steps; i++ {
		desc := c.m.randomEdit()
		if c.m.rng.IntN(5) == 0 {
			c.m.repair()
			desc = "mend broken links; " + desc
		}
		if c.step(i, desc) {
			again++
		}
	}
	t.Logf("%d steps, %d built in part from the cache", steps, again)
	if again == 0 {
		t.Error("no step was built from the cache: the test tests nothing")
	}
}

// cacheRun is one run of TestCachedBuildEqualsColdBuild.
type cacheRun struct {
	t       *testing.T
	seed    uint64
	m       *model
	src     string
	written map[string]string
	log     []string
}

func newCacheRun(t *testing.T, seed uint64) *cacheRun {
	c := &cacheRun{t: t, seed: seed, m: newModel(rand.New(rand.NewPCG(seed, seed^0xcace))), src: t.TempDir(), written: map[string]string{}}
	c.sync()
	res, err := build.ToDir(c.src, c.dest("public"), c.opt())
	if err != nil {
		t.Fatalf("the first build: %v", err)
	}
	if res.Again {
		t.Fatal("the first build was made from a cache")
	}
	return c
}

func (c *cacheRun) opt() build.Options {
	return build.Options{Cache: filepath.Join(c.src, build.CacheDir)}
}

func (c *cacheRun) dest(name string) string { return filepath.Join(c.src, name) }

// sync writes the model to the site's folder, as an author saves.
func (c *cacheRun) sync() {
	want := c.m.files()
	if b := c.m.broken; b != "" { // as randomRun.sync breaks it
		c.m.broken = ""
		if strings.HasSuffix(b, ".html") {
			want[b] += "{{ end }}"
		} else {
			want[b] = strings.Replace(want[b], "+++\n", "+++\nsession = \"x\n", 1)
		}
	}
	for name, text := range want {
		if old, ok := c.written[name]; !ok || old != text {
			sitetest.WriteFile(c.t, c.src, name, text)
		}
	}
	for name := range c.written {
		if _, ok := want[name]; !ok {
			if err := os.Remove(filepath.Join(c.src, filepath.FromSlash(name))); err != nil {
				c.t.Fatal(err)
			}
		}
	}
	c.written = want
}

// step saves one edit and builds with and without the cache; it reports
// whether the build with the cache was made in part.
func (c *cacheRun) step(i int, desc string) bool {
	c.t.Helper()
	c.sync()
	c.log = append(c.log, fmt.Sprintf("%d. %s", i, desc))
	before := readTree(c.t, c.dest("public"))
	res, err := build.ToDir(c.src, c.dest("public"), c.opt())
	cold := c.dest("cold")
	os.RemoveAll(cold)
	coldRes, coldErr := build.ToDir(c.src, cold, build.Options{})
	switch {
	case (err == nil) != (coldErr == nil):
		c.fail(i, fmt.Sprintf("with the cache: %v; without: %v", err, coldErr))
	case err != nil:
		if got := readTree(c.t, c.dest("public")); !sameTree(got, before) {
			c.fail(i, "a failed build changed public/: "+diffTree(got, before))
		}
		return false
	}
	if d := diffTree(readTree(c.t, c.dest("public")), readTree(c.t, cold)); d != "" {
		c.fail(i, fmt.Sprintf("the build with the cache (%s) differs from a build without: %s", res.Summary(), d))
	}
	if got, want := diagLines(res), diagLines(coldRes); got != want {
		c.fail(i, fmt.Sprintf("the build with the cache reports:\n%s\nwithout:\n%s", got, want))
	}
	if res.Stats != coldRes.Stats {
		c.fail(i, fmt.Sprintf("the build with the cache counts %+v, without %+v", res.Stats, coldRes.Stats))
	}
	if m, _ := filepath.Glob(filepath.Join(c.src, ".public.building-*")); len(m) > 0 {
		c.fail(i, fmt.Sprintf("left behind: %v", m))
	}
	c.log[len(c.log)-1] += "  → " + res.Summary()
	return res.Again
}

func (c *cacheRun) fail(i int, msg string) {
	c.t.Helper()
	c.t.Fatalf("seed %d, step %d: %s\nedits so far:\n%s", c.seed, i, msg, strings.Join(c.log, "\n"))
}

func sameTree(a, b map[string][]byte) bool { return diffTree(a, b) == "" }

// diffTree names the first files in which two trees differ.
func diffTree(got, want map[string][]byte) string {
	var out []string
	for _, n := range unionNames(got, want) {
		g, gok := got[n]
		w, wok := want[n]
		switch {
		case !wok:
			out = append(out, "extra "+n)
		case !gok:
			out = append(out, "missing "+n)
		case !bytes.Equal(g, w):
			out = append(out, fmt.Sprintf("%s differs:\n%s", n, liveDiff(g, w)))
		}
		if len(out) == 3 {
			break
		}
	}
	return strings.Join(out, "\n")
}

// randomStepCount is the steps of the randomized tests: -random.steps, or
// $FLIPCHART_RANDOM_STEPS, or 300; at most 40 with -short.
func randomStepCount(t *testing.T) int {
	steps := defaultRandomSteps
	if v := os.Getenv("FLIPCHART_RANDOM_STEPS"); v != "" {
		if _, err := fmt.Sscan(v, &steps); err != nil {
			t.Fatalf("FLIPCHART_RANDOM_STEPS=%q: %v", v, err)
		}
	}
	if *randomSteps > 0 {
		steps = *randomSteps
	}
	if testing.Short() {
		steps = min(steps, 40)
	}
	return steps
}

// diagLines are a build's problems, a line each, sorted.
func diagLines(res *build.Result) string {
	var lines []string
	for _, d := range res.Diags.Items() {
		if d.Stage != "cache" {
			lines = append(lines, d.Error())
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// TestCachedBuildWrites: what a build with the cache writes again, by the
// kind of edit, is what the dev server's plan renders again, and the print
// editions.
func TestCachedBuildWrites(t *testing.T) {
	c := newCacheRun(t, 1)
	s := c.m.s(6) // in no agenda, linked by no page
	dir := strings.TrimSuffix(strings.TrimPrefix(c.m.path(s), "content/"), ".md") + "/"
	tests := []struct {
		name string
		edit func()
		want []string
	}{
		{"nothing", func() {}, nil},
		{"a body", func() { s.plain++ }, []string{
			dir + "handout/index.html", dir + "index.html",
			"print/index.html", "print/participants/index.html"}},
		// The contents beside every page of a small manual list every
		// session: every page but the handouts and worksheets shows it.
		{"a title", func() { s.title = "Renamed" }, []string{
			"a/01-one/index.html", "a/02-two/index.html", "a/03-three/index.html", "a/index.html",
			"agenda/index.html", "b/04-four/index.html", "b/05-five/index.html", dir + "handout/index.html", dir + "index.html", "b/index.html",
			"css/print.css", "index.html", "materials/index.html", "objectives/index.html",
			"print/index.html", "print/participants/index.html", "worksheets/index.html"}},
	}
	for _, tt := range tests {
		tt.edit()
		c.sync()
		before := readTree(t, c.dest("public"))
		res, err := build.ToDir(c.src, c.dest("public"), c.opt())
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if !res.Again {
			t.Fatalf("%s: built everything: %s", tt.name, res.Summary())
		}
		// The search index's files are written again with the pages they
		// index (their names are hashes: counted, not listed).
		var got []string
		index := 0
		after := readTree(t, c.dest("public"))
		for name, data := range after {
			if !bytes.Equal(before[name], data) {
				if strings.HasPrefix(name, "search/") {
					index++
					continue
				}
				got = append(got, name)
			}
		}
		for name := range before {
			if _, ok := after[name]; !ok && strings.HasPrefix(name, "search/") {
				index++ // a part of the index no word needs now
			}
		}
		sort.Strings(got)
		if index == 0 && len(tt.want) > 0 {
			t.Errorf("%s: the search index was not written again", tt.name)
		}
		if !slices.Equal(got, tt.want) || res.Written != len(tt.want)+index {
			t.Errorf("%s: %s; the files that changed are %v, want %v", tt.name, res.Summary(), got, tt.want)
		}
	}
}

// unionNames lists the files of either tree, sorted.
func unionNames(a, b map[string][]byte) []string {
	names := map[string]bool{}
	for n := range a {
		names[n] = true
	}
	for n := range b {
		names[n] = true
	}
	return slices.Sorted(maps.Keys(names))
}
