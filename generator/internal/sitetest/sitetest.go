// Package sitetest writes sites on disk for tests.
package sitetest

import (
	"os"
	"path/filepath"
	"testing"
)

// WriteFile writes one file of the site in dir (name is a slash path),
// making its folders.
func WriteFile(tb testing.TB, dir, name, data string) {
	tb.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// WriteFiles writes files, by slash path, into dir.
func WriteFiles(tb testing.TB, dir string, files map[string]string) {
	tb.Helper()
	for name, data := range files {
		WriteFile(tb, dir, name, data)
	}
}

// New writes files into a new temporary folder and returns it.
func New(tb testing.TB, files map[string]string) string {
	tb.Helper()
	dir := tb.TempDir()
	WriteFiles(tb, dir, files)
	return dir
}
