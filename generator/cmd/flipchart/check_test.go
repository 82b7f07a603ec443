package main

import (
	"bytes"
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestCheckGolden runs `flipchart check` on a site with one of every problem
// and compares the report with testdata/check/golden.txt.
func TestCheckGolden(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"check", "--source", "testdata/check/site"}, &stdout, &stderr)
	if code != 1 {
		t.Errorf("exit status %d, want 1; stderr:\n%s", code, stderr.String())
	}
	const golden = "testdata/check/golden.txt"
	if *update {
		if err := os.WriteFile(golden, stdout.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(stdout.Bytes(), want) {
		t.Errorf("check output differs from %s (run with -update to accept):\n--- got\n%s\n--- want\n%s", golden, stdout.String(), want)
	}
}
