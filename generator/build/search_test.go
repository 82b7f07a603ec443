package build_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"flipchart/generator/build"
	"flipchart/generator/search"
)

// shardHas reports whether the shard file data lists term.
func shardHas(data []byte, term string) bool {
	return strings.Contains(string(data), `"`+term+`":"`)
}

// TestSearchFollowsEditsLive checks that flipchart serve makes the index
// again when a page's body changes: the new word is found, the old one no
// longer.
func TestSearchFollowsEditsLive(t *testing.T) {
	src, l, u := searchLive(t)
	shard := search.Dir + search.ShardFile(search.Prefix("zebra"))
	if _, ok := u.Site.Get(shard); ok {
		t.Fatalf("%s is there before any page has zebra", shard)
	}
	page := filepath.Join(src, "content", "day-1", "01-warm-up.md")
	data, _ := os.ReadFile(page)
	if err := os.WriteFile(page, []byte(strings.Replace(string(data), "Everyone says", "A zebra says", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	u = l.Apply([]build.Change{{Path: "content/day-1/01-warm-up.md"}})
	if u.Site == nil {
		t.Fatal(u.Result.Err())
	}
	b, ok := u.Site.Get(shard)
	if !ok || !shardHas(b, "zebra") {
		t.Errorf("after the edit, %s lacks zebra (%v)", shard, ok)
	}
	if ev, ok := u.Site.Get(search.Dir + search.ShardFile("ev")); ok && shardHas(ev, "everyone") {
		t.Error("after the edit, everyone is still in the index")
	}
}

// searchLive builds searchSite as flipchart serve does, and returns its
// folder, the dev server's site and its first build.
func searchLive(t *testing.T) (string, *build.Live, *build.Update) {
	t.Helper()
	src := searchSite(t)
	root, closeSrc, err := build.OpenSource(src)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeSrc)
	l := build.NewLive(root, build.Options{})
	u := l.Build()
	if u.Site == nil {
		t.Fatal(u.Result.Err())
	}
	return src, l, u
}

// TestSearchFollowsEditsCached checks the same of a build from the cache:
// the pages not rendered again keep their words, from the cache.
func TestSearchFollowsEditsCached(t *testing.T) {
	src := searchSite(t)
	dest := filepath.Join(t.TempDir(), "public")
	opt := build.Options{Cache: filepath.Join(src, build.CacheDir)}
	if _, err := build.ToDir(src, dest, opt); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(src, "content", "day-1", "01-warm-up.md")
	data, _ := os.ReadFile(page)
	if err := os.WriteFile(page, []byte(strings.Replace(string(data), "Everyone says", "A zebra says", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := build.ToDir(src, dest, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Again {
		t.Fatalf("the second build did not use the cache: %s", res.Why)
	}
	read := func(term string) []byte {
		b, _ := os.ReadFile(filepath.Join(dest, filepath.FromSlash(search.Dir+search.ShardFile(search.Prefix(term)))))
		return b
	}
	if !shardHas(read("zebra"), "zebra") {
		t.Error("the build from the cache lacks the new word")
	}
	if shardHas(read("everyone"), "everyone") {
		t.Error("the build from the cache still has the word removed")
	}
	if !shardHas(read("participantes"), "participantes") {
		t.Error("the build from the cache lost the words of the pages it did not render again")
	}
}

// TestSearchDisabled checks a site with [search] enabled = false: no
// search page, index, field or script, and no link to any.
func TestSearchDisabled(t *testing.T) {
	src := searchSite(t)
	cfg := filepath.Join(src, "config.toml")
	data, _ := os.ReadFile(cfg)
	if err := os.WriteFile(cfg, append(data, "\n[search]\nenabled = false\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "public")
	res, err := build.ToDir(src, dest, build.Options{})
	if err != nil {
		t.Fatalf("%v: %v", err, res.Err())
	}
	if _, err := os.Stat(filepath.Join(dest, "search")); !os.IsNotExist(err) {
		t.Errorf("search/ is there: %v", err)
	}
	err = filepath.WalkDir(dest, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		b, err := os.ReadFile(p)
		if s := string(b); strings.Contains(s, "site-search") || strings.Contains(s, "search.js") || strings.Contains(s, "search/") {
			t.Errorf("%s has search in it", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
