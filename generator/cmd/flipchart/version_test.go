package main

import (
	"runtime"
	"strings"
	"testing"
)

func TestVersionCommand(t *testing.T) {
	for _, arg := range []string{"version", "--version", "-version"} {
		code, stdout, stderr := runCmd(arg)
		want := "flipchart " + Version() + "\nbuilt with " + runtime.Version() + " for " + runtime.GOOS + "/" + runtime.GOARCH + "\n"
		if code != 0 || stdout != want || stderr != "" {
			t.Errorf("flipchart %s: exit %d, stdout %q, stderr %q; want 0 and %q", arg, code, stdout, stderr, want)
		}
	}
	if code, _, stderr := runCmd("version", "extra"); code != 2 || stderr == "" {
		t.Errorf("flipchart version extra: exit %d, stderr %q; want 2 and a message", code, stderr)
	}
	if _, stdout, _ := runCmd("help"); !strings.Contains(stdout, "flipchart version") {
		t.Errorf("the usage does not name flipchart version:\n%s", stdout)
	}
}
