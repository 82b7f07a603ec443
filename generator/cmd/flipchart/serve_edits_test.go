package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"flipchart/generator/build"
	"flipchart/generator/internal/sitetest"
	"flipchart/generator/publish"
	"flipchart/generator/server"
)

// TestServeEditsWhileServing saves the site's files in a loop, as an
// author's editor does (written in place or saved by a rename, broken now
// and then), while pages, print editions, stylesheets and the live-reload
// event stream are asked for at the same time: for the race detector over
// the whole serve path (watcher, Live.Apply, print editions made on
// request, the server). Once the saves stop, the site served must be a
// full build of the folder, file for file.
func TestServeEditsWhileServing(t *testing.T) {
	dir := t.TempDir()
	sitetest.WriteFiles(t, dir, goodSite)
	sitetest.WriteFile(t, dir, "static/css/extra.css", "p { margin: 0 }\n")
	s := startServe(t, 30*time.Second, "--source", dir)

	first := fullBuild(t, dir)
	paths := []string{"/", "/day-1/", "/day-1/01-intro/", "/day-1/02-risk/", "/day-1/03-new/", "/css/extra.css", "/materials/"}
	for _, name := range first.Names() {
		if strings.HasPrefix(name, "print/") {
			paths = append(paths, "/"+name) // made on request, from the state served
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var requests, events atomic.Int64
	for w := range 3 {
		wg.Go(func() {
			for i := w; ctx.Err() == nil; i++ {
				code, _, err := fetchServed(ctx, s, paths[i%len(paths)])
				if err != nil {
					if ctx.Err() == nil {
						t.Errorf("GET %s: %v", paths[i%len(paths)], err)
					}
					return
				}
				if code != 200 && code != 404 {
					t.Errorf("GET %s: %d", paths[i%len(paths)], code)
				}
				requests.Add(1)
			}
		})
	}
	wg.Go(func() {
		req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+s.addr+server.Prefix+"events", nil)
		req.Host = hostOf(s)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Errorf("the event stream: %v", err)
			return
		}
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "event: update") {
				events.Add(1)
			}
		}
	})

	// The saves: bodies, titles, a new session made and deleted, a
	// template overriding the theme's, the site's strings, a stylesheet,
	// and a broken front matter put right by the next save.
	save := func(name, text string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		tmp := p + "~"
		if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, p); err != nil {
			t.Fatal(err)
		}
	}
	session := func(title string, n int, body string) string {
		return fmt.Sprintf("+++\ntitle = %q\nsession = %d\ntime = \"30 min\"\nmaterials = [\"Markers\"]\n+++\n%s\n", title, n, body)
	}
	const saves = 60
	for i := range saves {
		switch i % 8 {
		case 0:
			save("content/day-1/02-risk.md", session("Risk", 2, fmt.Sprintf("## Risk\n\nA paragraph, version %d.", i)))
		case 1:
			sitetest.WriteFile(t, dir, "content/day-1/01-intro.md", session(fmt.Sprintf("Intro %d", i), 1, "Read [the risk session](02-risk.md) next."))
		case 2:
			if i%16 == 2 {
				save("content/day-1/03-new.md", session("New", 3, "Now and then."))
			} else if err := os.Remove(filepath.Join(dir, "content/day-1/03-new.md")); err != nil {
				t.Fatal(err)
			}
		case 3:
			save("layouts/partials/footer.html", fmt.Sprintf(`{{ define "footer" }}<footer>Footer %d · {{ .Site.Title }} · {{ .T "next" }}</footer>{{ end }}`, i))
		case 4:
			sitetest.WriteFile(t, dir, "static/css/extra.css", fmt.Sprintf("p { margin: %dpx }\n", i))
		case 5:
			save("i18n/en.toml", fmt.Sprintf("next = \"Onwards %d\"\n", i))
		case 6:
			sitetest.WriteFile(t, dir, "content/day-1/02-risk.md", "+++\nsession = \"x\n+++\nBroken.\n")
		case 7:
			save("content/day-1/02-risk.md", session("Risk", 2, fmt.Sprintf("## Risk\n\nMended, version %d.", i)))
		}
		time.Sleep(time.Duration(i%5) * 8 * time.Millisecond)
	}

	// The last saves are applied within moments; until then the site
	// served may be one behind.
	want := fullBuild(t, dir)
	deadline := time.Now().Add(5 * time.Second)
	var diff string
	for {
		if diff = servedDiff(t, s, want); diff == "" || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	cancel()
	wg.Wait()
	if diff != "" {
		t.Errorf("after the saves, the site served is not a full build of the folder: %s\nserve said:\n%s%s", diff, s.out, s.errOut)
	}
	// Pages of the first build the last does not make are gone.
	for _, name := range first.Names() {
		if _, ok := want.Get(name); !ok {
			if code, _, _ := fetchServed(context.Background(), s, "/"+name); code != 404 {
				t.Errorf("/%s, gone from the site, is still served (%d)", name, code)
			}
		}
	}
	if requests.Load() < saves || events.Load() < 2 {
		t.Errorf("%d requests and %d events during %d saves: the test did not run them at once", requests.Load(), events.Load(), saves)
	}
	t.Logf("%d saves, %d requests, %d events", saves, requests.Load(), events.Load())
}

// fullBuild builds the folder as `flipchart build` would, in memory.
func fullBuild(t *testing.T, dir string) *publish.Memory {
	t.Helper()
	mem := publish.NewMemory()
	if res := build.Render(os.DirFS(dir), mem, build.Options{}); res.Diags.HasErrors() {
		t.Fatalf("the full build failed: %v", res.Err())
	}
	return mem
}

// servedDiff compares what the server serves with a full build, file for
// file, the live-reload script it adds to pages taken out; "" when they
// are the same.
func servedDiff(t *testing.T, s *served, want *publish.Memory) string {
	t.Helper()
	for _, name := range want.Names() {
		w, _ := want.Get(name)
		code, got, err := fetchServed(context.Background(), s, "/"+name)
		if err != nil {
			return fmt.Sprintf("GET /%s: %v", name, err)
		}
		if code != 200 {
			return fmt.Sprintf("GET /%s: %d", name, code)
		}
		if strings.HasSuffix(name, ".html") {
			got = bytes.Replace(got, []byte("default-src 'none'; connect-src 'self';"), []byte("default-src 'none';"), 1)
			got = bytes.Replace(got, []byte(`<script src="`+server.Prefix+`live.js"></script>`), nil, 1)
		}
		if !bytes.Equal(got, w) {
			return fmt.Sprintf("/%s differs", name)
		}
	}
	if !slices.Contains(want.Names(), "index.html") {
		return "the full build has no index.html"
	}
	return ""
}

// fetchServed gets a path of the server, reporting errors rather than
// failing the test, for use from any goroutine.
func fetchServed(ctx context.Context, s *served, path string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", "http://"+s.addr+path, nil)
	if err != nil {
		return 0, nil, err
	}
	req.Host = hostOf(s)
	c := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

func hostOf(s *served) string {
	return strings.TrimSuffix(strings.TrimPrefix(s.url, "http://"), "/")
}
