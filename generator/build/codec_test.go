package build

import (
	"reflect"
	"testing"
	"time"

	"flipchart/generator/content"
	"flipchart/generator/diag"
	"flipchart/generator/links"
	"flipchart/generator/render"
)

// TestCacheCodec: what the cache's file holds reads back as it was written,
// [params] of every kind TOML has included, and a body part kept from the
// cache a build started from reads back as the part made anew would.
func TestCacheCodec(t *testing.T) {
	when := time.Date(2026, 3, 4, 9, 30, 0, 0, time.UTC)
	st := &cacheState{
		Format: cacheFormat, Key: [32]byte{1}, Written: 42,
		Exe:     exeState{Size: 3, MTime: 4, Hash: [32]byte{5}},
		Inputs:  map[string]inputFile{"content/a.md": {Size: 10, MTime: 11, Hash: [32]byte{12}}},
		Outputs: map[string]fileStat{"a/index.html": {Size: 20, MTime: 21}},
		Dirs:    map[string]int64{"a": 30},
		Diags:   []diag.Diagnostic{{File: "content/a.md", Line: 2, Col: 3, Stage: "render", Severity: diag.Warning, Msg: "m", Hint: "h"}},
		Stats:   render.Stats{Pages: 1, Files: 2},
		Sources: []content.SourceState{{Path: "a.md", File: "content/a.md", BodyLine: 7, BodyAt: 80, TimePos: [2]int{3, 8},
			Front: content.FrontMatter{Title: "A", Session: 1, HasSession: true, Time: content.TimeRange{Min: 15, Max: 30},
				TimeText: "15-30 min", Materials: []string{"pens"}, Weight: 2, Summary: "s",
				Params: map[string]any{"s": "x", "i": int64(-3), "f": 1.5, "b": true, "t": when,
					"list": []any{"a", int64(1)}, "table": map[string]any{"k": "v"}, "tables": []map[string]any{{"n": int64(1)}}}}},
			{Path: "b.md", File: "content/b.md", Front: content.FrontMatter{Title: "B", Draft: true}}},
		Assets:  []content.Asset{{Path: "img/x.png"}},
		Special: map[string][]byte{"agenda.md": []byte("+++\n")},
		Render: &render.State{
			Strings: map[string]string{"time": "Time"},
			Sets:    map[string]render.SetState{"session.html": {Files: []string{"baseof.html"}}},
			Uses:    map[string]render.UseState{"a/index.html": {Template: "session.html", Keys: "materials\x00time"}},
			Files:   []string{"css/site.css"},
			Links:   &links.Snapshot{Files: []links.SnapshotFile{{Name: "a/index.html", IDs: []uint32{1, 2}, Origin: "content/a.md", Page: true}}},
			Derived: map[string]render.DerivedState{"a.md\x00session": {Refs: []string{"b.md"}, Materials: []string{"pens"},
				Worksheets: []render.WorksheetState{{ID: "w", Title: "W", Source: []byte("::: worksheet")}}}},
			Prints: map[string]*render.PrintState{"print/index.html": {Spans: map[string]render.Span{"a": {Start: 1, End: 9}},
				Cuts: map[string][]string{"a": {"x"}}, Glue: map[string]string{"a": "\n  "}}},
		},
	}
	roundTrip := func(st *cacheState) *cacheState {
		t.Helper()
		dir := t.TempDir()
		if err := writeCache(dir, st); err != nil {
			t.Fatal(err)
		}
		got, err := readCache(dir)
		if err != nil || got == nil {
			t.Fatalf("read back: %v, %v", got, err)
		}
		if err := got.loadBody(); err != nil {
			t.Fatal(err)
		}
		return got
	}
	same := func(what string, got, want *cacheState) {
		t.Helper()
		for _, f := range []struct {
			name      string
			got, want any
		}{{"head", [...]any{got.Key, got.Written, got.Exe, got.Inputs, got.Outputs, got.Dirs, got.Diags, got.Stats},
			[...]any{want.Key, want.Written, want.Exe, want.Inputs, want.Outputs, want.Dirs, want.Diags, want.Stats}},
			{"sources", got.Sources, want.Sources}, {"assets", got.Assets, want.Assets}, {"special", got.Special, want.Special},
			{"render", got.Render, want.Render}} {
			if !reflect.DeepEqual(f.got, f.want) {
				t.Errorf("%s: the %s read back are\n%#v\nwant\n%#v", what, f.name, f.got, f.want)
			}
		}
	}
	first := roundTrip(st)
	same("written whole", first, st)

	// A build in part: the parts whose data is the same are those of the
	// cache it started from, the others made again.
	next := *first
	next.prev, next.sourcesSame = first, true
	next.Render = &render.State{Strings: first.Render.Strings, Sets: first.Render.Sets, Uses: first.Render.Uses,
		Files: first.Render.Files, Links: first.Render.Links, Derived: first.Render.Derived,
		Prints: map[string]*render.PrintState{"print/index.html": {Spans: map[string]render.Span{"a": {Start: 2, End: 12}},
			Cuts: map[string][]string{}, Glue: map[string]string{"a": "\n"}}}}
	next.Render.Uses = map[string]render.UseState{"a/index.html": {Template: "session.html", Keys: "time"}}
	same("written in part", roundTrip(&next), &next)

	// A value TOML does not make is an error, not a cache that reads back
	// otherwise.
	bad := *first
	bad.prev = nil
	bad.Sources = []content.SourceState{{Path: "c.md", Front: content.FrontMatter{Params: map[string]any{"x": struct{}{}}}}}
	if err := writeCache(t.TempDir(), &bad); err == nil {
		t.Error("a front matter value of another kind was written")
	}
}
