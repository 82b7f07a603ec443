package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"flipchart/generator/build"
	"flipchart/generator/internal/sitetest"
)

// TestMain also runs as the flipchart command, for tests that need it in a
// process of its own (to kill it).
func TestMain(m *testing.M) {
	if os.Getenv("FLIPCHART_TEST_AS_COMMAND") == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// cacheSite writes a site of n sessions in four modules to dir.
func cacheSite(t *testing.T, dir string, n int) {
	t.Helper()
	files := map[string]string{
		"config.toml":       "title = \"Cache Manual\"\nauthor = \"Tester\"\n",
		"content/_index.md": "+++\ntitle = \"Home\"\n+++\nWelcome.\n",
	}
	for m := 1; m <= 4; m++ {
		files[fmt.Sprintf("content/m%d/_index.md", m)] = fmt.Sprintf("+++\ntitle = \"Module %d\"\nweight = %d\n+++\n", m, m)
	}
	for s := 1; s <= n; s++ {
		files[sessionPath(s, n)] = sessionText(s, "Session title", 0)
	}
	sitetest.WriteFiles(t, dir, files)
}

func sessionPath(s, n int) string {
	return fmt.Sprintf("content/m%d/%03d-session.md", 1+(s-1)*4/n, s)
}

func sessionText(s int, title string, edit int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "+++\ntitle = \"%s %d\"\nsession = %d\ntime = \"30 min\"\n+++\n## Aims\n\n", title, s, s)
	for p := range 12 {
		fmt.Fprintf(&b, "Paragraph %d of session %d, edit %d: a few words about what the group does.\n\n", p, s, edit)
	}
	return b.String()
}

// TestBuildKilledThenBuiltAgain: a flipchart build killed (kill -9) at a
// random moment, with the cache, leaves public/ whole files of the last
// good site or the new one; the next build removes what the killed one
// left and leaves public/ equal, byte for byte, to a build without the
// cache.
func TestBuildKilledThenBuiltAgain(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a site many times")
	}
	dir := t.TempDir()
	const n = 120
	cacheSite(t, dir, n)
	public := filepath.Join(dir, "public")
	if code, _, stderr := flipchart(t, "build", "--source", dir, "--dest", public); code != 0 {
		t.Fatalf("the first build: exit %d\n%s", code, stderr)
	}
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 7))
	t.Logf("seed %d", seed)
	var killed, finished int
	for round := range 12 {
		// An edit the cache builds in part, or, now and then, one that
		// builds everything (so the kill may hit a long build).
		s := 1 + rng.IntN(n)
		switch rng.IntN(4) {
		case 0:
			sitetest.WriteFile(t, dir, "config.toml", fmt.Sprintf("title = \"Cache Manual %d\"\nauthor = \"Tester\"\n", round))
		case 1:
			sitetest.WriteFile(t, dir, sessionPath(s, n), sessionText(s, fmt.Sprintf("Title %d", round), round))
		default:
			sitetest.WriteFile(t, dir, sessionPath(s, n), sessionText(s, "Session title", round))
		}
		cmd := exec.Command(os.Args[0], "build", "--source", dir, "--dest", public)
		cmd.Env = append(os.Environ(), "FLIPCHART_TEST_AS_COMMAND=1")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.IntN(250)) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err == nil {
			killed++
		}
		if err := cmd.Wait(); err == nil {
			finished++ // it ended before the kill
		}
		if rng.IntN(3) == 0 {
			continue // the next edit comes first, then the build
		}
		code, stdout, stderr := flipchart(t, "build", "--source", dir, "--dest", public)
		if code != 0 {
			t.Fatalf("round %d: the build after the kill: exit %d\n%s", round, code, stderr)
		}
		t.Logf("round %d: %s", round, strings.TrimSpace(stdout))
		cold := filepath.Join(t.TempDir(), "cold")
		if code, _, stderr := flipchart(t, "build", "--no-cache", "--source", dir, "--dest", cold); code != 0 {
			t.Fatalf("the build without the cache: exit %d\n%s", code, stderr)
		}
		if d := diffSnapshots(snapshot(t, cold), snapshot(t, public)); len(d) > 0 {
			t.Fatalf("round %d (seed %d): after a killed build and a build with the cache, public/ differs from a build without it:\n%s",
				round, seed, strings.Join(d, "\n"))
		}
		if l := leftovers(t, dir); len(l) > 0 {
			t.Fatalf("round %d: left beside public/: %v", round, l)
		}
	}
	t.Logf("%d builds killed, %d ended first", killed-finished, finished)
}

// TestBuildCacheKinds: the summary line says what a build with the cache
// did; a damaged cache is a warning and a build of everything; --no-cache
// neither reads nor writes it.
func TestBuildCacheKinds(t *testing.T) {
	dir := t.TempDir()
	cacheSite(t, dir, 8)
	public := filepath.Join(dir, "public")
	cache := filepath.Join(dir, build.CacheDir)
	buildOut := func(args ...string) string {
		t.Helper()
		code, stdout, stderr := flipchart(t, append([]string{"build", "--source", dir, "--dest", public}, args...)...)
		if code != 0 {
			t.Fatalf("exit %d\n%s", code, stderr)
		}
		return stdout + stderr
	}
	steps := []struct {
		name string
		edit func()
		args []string
		want string
	}{
		{"first build", func() {}, nil, "all rendered: there is no build cache yet"},
		{"nothing changed", func() {}, nil, "(nothing changed)"},
		{"a body", func() { sitetest.WriteFile(t, dir, sessionPath(3, 8), sessionText(3, "Session title", 1)) }, nil, "files written again)"},
		{"a touch", func() {
			now := time.Now().Add(time.Minute)
			os.Chtimes(filepath.Join(dir, sessionPath(3, 8)), now, now)
		}, nil, "(nothing changed)"},
		{"config.toml", func() { sitetest.WriteFile(t, dir, "config.toml", "title = \"Other\"\n") }, nil, "all rendered: config.toml changed"},
		{"damaged cache", func() { os.WriteFile(filepath.Join(cache, "build.cache"), []byte("not a cache"), 0o644) }, nil, "warning: the build cache is damaged"},
		{"mended", func() {}, nil, "(nothing changed)"},
		{"a cache cut short", func() {
			sitetest.WriteFile(t, dir, sessionPath(4, 8), sessionText(4, "Session title", 2))
			name := filepath.Join(cache, "build.cache")
			data, _ := os.ReadFile(name)
			os.WriteFile(name, data[:len(data)/2], 0o644)
		}, nil, "warning: the build cache is damaged"},
		{"a byte of it changed", func() {
			sitetest.WriteFile(t, dir, sessionPath(4, 8), sessionText(4, "Session title", 3))
			name := filepath.Join(cache, "build.cache")
			data, _ := os.ReadFile(name)
			data[len(data)*2/3] ^= 0x40
			os.WriteFile(name, data, 0o644)
		}, nil, "warning: the build cache is damaged"},
		{"whole again", func() { sitetest.WriteFile(t, dir, sessionPath(4, 8), sessionText(4, "Session title", 4)) }, nil, "files written again)"},
		{"public/ changed", func() { os.WriteFile(filepath.Join(public, "index.html"), []byte("by hand"), 0o644) }, nil, "all rendered: the destination folder changed"},
		{"no cache", func() { os.RemoveAll(cache) }, []string{"--no-cache"}, "0 errors"},
		{"still none", func() {}, nil, "all rendered: there is no build cache yet"},
	}
	for _, st := range steps {
		st.edit()
		out := buildOut(st.args...)
		if !strings.Contains(out, st.want) {
			t.Errorf("%s: the build says\n%s\nwant %q", st.name, out, st.want)
		}
		if st.name == "no cache" {
			if _, err := os.Stat(cache); err == nil {
				t.Errorf("--no-cache wrote %s", build.CacheDir)
			}
		}
	}
}
