//go:build unix

package build_test

import (
	"path/filepath"
	"testing"

	"flipchart/generator/build"
)

// Nor does a generated manual whose sessions link other sites; each of
// those links is marked.
func TestPrivacyCorpusLoadsNothingElsewhere(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := build.ToDir(benchCorpora.get(t, 60), dest, build.Options{}); err != nil {
		t.Fatalf("build: %v", err)
	}
	if n := assertNothingElsewhere(t, readTree(t, dest)); n == 0 {
		t.Error("the corpus links no other site: the marks went untested")
	}
}
