package main

// `flipchart serve` from the command line: what it answers to and what it
// refuses (no browser needed), and live reload in a headless Chromium while
// the test edits the site's files as an author's editor would. The browser
// tests skip without Chromium unless REQUIRE_BROWSER=1.
//
// The server runs in this process through run(), and stops as it does for
// the author: on SIGINT. The test process catches SIGINT itself for as long
// as it runs (see serveSignals), so the signal never kills it; it is sent
// again until run returns, as cmdServe starts listening for it only after
// it prints its address.

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"flipchart/generator/browser"
	"flipchart/themes"

	"flipchart/generator/internal/sitetest"
)

// stampedBuffer is an io.Writer safe for several goroutines that remembers
// when each write came.
type stampedBuffer struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	writes []stampedWrite
}

type stampedWrite struct {
	at   time.Time
	text string
}

func (b *stampedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.writes = append(b.writes, stampedWrite{time.Now(), string(p)})
	return b.buf.Write(p)
}

func (b *stampedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// since returns the writes from the n-th on.
func (b *stampedBuffer) since(n int) []stampedWrite {
	b.mu.Lock()
	defer b.mu.Unlock()
	if n > len(b.writes) {
		return nil
	}
	return append([]stampedWrite(nil), b.writes[n:]...)
}

func (b *stampedBuffer) count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.writes)
}

// served is a running `flipchart serve`.
type served struct {
	url         string // "http://localhost:PORT/"
	addr        string // "127.0.0.1:PORT", to dial
	out, errOut *stampedBuffer
	done        chan int
	code        int
	stopped     bool
}

var (
	serveSignalsOnce sync.Once
	serveSignals     = make(chan os.Signal, 64)
)

// startServe runs `flipchart serve --port 0 args...` until the test ends.
// wait bounds the first build.
func startServe(tb testing.TB, wait time.Duration, args ...string) *served {
	tb.Helper()
	if runtime.GOOS == "windows" {
		tb.Skip("these tests stop the server with SIGINT, which a Windows process cannot send itself")
	}
	// Once anything listens for SIGINT, Go no longer ends the process on
	// it. This channel is never read: the signals it misses are dropped.
	serveSignalsOnce.Do(func() { signal.Notify(serveSignals, os.Interrupt) })
	s := &served{out: &stampedBuffer{}, errOut: &stampedBuffer{}, done: make(chan int, 1)}
	args = append([]string{"serve", "--port", "0"}, args...)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				fmt.Fprintf(s.errOut, "panic: %v\n%s", p, debug.Stack())
				s.done <- -1
			}
		}()
		s.done <- run(args, s.out, s.errOut)
	}()
	tb.Cleanup(func() { s.stop(tb) })
	re := regexp.MustCompile(`serving at (http://([^/\s]+)/)`)
	deadline := time.Now().Add(wait)
	for {
		if m := re.FindStringSubmatch(s.out.String()); m != nil {
			s.url = m[1]
			_, port, _ := net.SplitHostPort(m[2])
			s.addr = net.JoinHostPort("127.0.0.1", port)
			return s
		}
		select {
		case code := <-s.done:
			s.stopped, s.code = true, code
			tb.Fatalf("flipchart %s ended with %d before serving:\n%s%s", strings.Join(args, " "), code, s.out, s.errOut)
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			tb.Fatalf("flipchart %s: not serving after %v:\n%s%s", strings.Join(args, " "), wait, s.out, s.errOut)
		}
	}
}

// interruptSelf sends this process SIGINT, as Ctrl-C in a terminal does.
func interruptSelf() error {
	p, err := os.FindProcess(os.Getpid())
	if err != nil {
		return err
	}
	return p.Signal(os.Interrupt)
}

// stop sends SIGINT, again every 100 ms, until run returns, and checks it
// returned 0 without a panic.
func (s *served) stop(tb testing.TB) {
	tb.Helper()
	if s.stopped {
		return
	}
	deadline := time.Now().Add(10 * time.Second)
	for !s.stopped {
		if err := interruptSelf(); err != nil {
			tb.Fatal(err)
		}
		select {
		case s.code = <-s.done:
			s.stopped = true
		case <-time.After(100 * time.Millisecond):
			if time.Now().After(deadline) {
				tb.Fatalf("flipchart serve did not stop within 10 s of SIGINT")
			}
		}
	}
	if s.code != 0 {
		tb.Errorf("flipchart serve exited with %d:\n%s", s.code, s.errOut)
	}
	if e := s.errOut.String(); strings.Contains(e, "panic") || strings.Contains(e, "goroutine ") {
		tb.Errorf("flipchart serve panicked:\n%s", e)
	}
}

// get fetches a path of the server with Go's client (which cleans nothing
// but also sends nothing odd).
func (s *served) get(tb testing.TB, path string, header ...string) (*http.Response, string) {
	tb.Helper()
	req, err := http.NewRequest("GET", "http://"+s.addr+path, nil)
	if err != nil {
		tb.Fatal(err)
	}
	req.Host = strings.TrimSuffix(strings.TrimPrefix(s.url, "http://"), "/")
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == "Host" {
			req.Host = header[i+1]
		} else {
			req.Header.Set(header[i], header[i+1])
		}
	}
	c := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		tb.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// raw sends a request line as written, so no client cleans the path, and
// reads the answer's head and up to 64 KB of its body.
func (s *served) raw(tb testing.TB, line, host string) (*http.Response, string) {
	tb.Helper()
	conn, err := net.DialTimeout("tcp", s.addr, 5*time.Second)
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(conn, "%s\r\nHost: %s\r\nConnection: close\r\n\r\n", line, host)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		tb.Fatalf("%s: %v", line, err)
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	return resp, string(body)
}

// TestServeStopsOnInterrupt checks the way these tests stop the server: a
// SIGINT ends run with 0 and leaves the test process running, and the port
// is closed afterwards.
func TestServeStopsOnInterrupt(t *testing.T) {
	dir := t.TempDir()
	sitetest.WriteFiles(t, dir, goodSite)
	s := startServe(t, 30*time.Second, "--source", dir)
	if resp, _ := s.get(t, "/"); resp.StatusCode != 200 {
		t.Fatalf("GET /: %d", resp.StatusCode)
	}
	start := time.Now()
	s.stop(t)
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("stopping took %v", d)
	}
	if c, err := net.DialTimeout("tcp", s.addr, time.Second); err == nil {
		c.Close()
		t.Errorf("%s still accepts connections after SIGINT", s.addr)
	}
}

// securitySite is goodSite with a stylesheet, and links out of the site
// (to a file holding a secret) in static/ and content/.
func securitySite(t *testing.T) (dir, secret string) {
	t.Helper()
	dir = t.TempDir()
	sitetest.WriteFiles(t, dir, goodSite)
	sitetest.WriteFile(t, dir, "static/css/extra.css", "p { margin: 0 }\n")
	outside := t.TempDir()
	secret = "TOP-SECRET-8c1f0e"
	secretFile := filepath.Join(outside, "secret.txt")
	if err := os.WriteFile(secretFile, []byte(secret+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sitetest.WriteFile(t, outside, "notes/secret.md", "+++\ntitle = \""+secret+"\"\n+++\n"+secret+"\n")
	sitetest.WriteFile(t, outside, "notes/secret.css", "/* "+secret+" */\n")
	links := map[string]string{
		"static/css/leak.css":      secretFile,
		"static/leak.txt":          secretFile,
		"static/outside":           filepath.Join(outside, "notes"),
		"content/day-1/leak.txt":   secretFile,
		"content/day-1/leak.md":    filepath.Join(outside, "notes/secret.md"),
		"content/outside":          filepath.Join(outside, "notes"),
		"content/day-1/passwd.txt": "/etc/passwd",
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(name))); err != nil {
			t.Fatal(err)
		}
	}
	return dir, secret
}

// crawl follows every same-site link and src from / and returns the bodies
// by path.
func crawl(t *testing.T, s *served) map[string]string {
	t.Helper()
	attr := regexp.MustCompile(`(?:href|src)="([^"#?]*)`)
	seen := map[string]string{}
	queue := []string{"/"}
	for len(queue) > 0 && len(seen) < 500 {
		p := queue[0]
		queue = queue[1:]
		if _, ok := seen[p]; ok {
			continue
		}
		resp, body := s.get(t, p)
		seen[p] = body
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			continue
		}
		for _, m := range attr.FindAllStringSubmatch(body, -1) {
			ref := m[1]
			if ref == "" || strings.Contains(ref, ":") {
				continue
			}
			u := ref
			if !strings.HasPrefix(ref, "/") {
				base := p
				if !strings.HasSuffix(base, "/") {
					base = base[:strings.LastIndex(base, "/")+1]
				}
				u = filepath.ToSlash(filepath.Clean(base + ref))
				if strings.HasSuffix(ref, "/") {
					u += "/"
				}
			}
			queue = append(queue, u)
		}
	}
	return seen
}

func TestServeSecurity(t *testing.T) {
	dir, secret := securitySite(t)
	s := startServe(t, 30*time.Second, "--source", dir)
	errs := s.errOut.String()
	for _, name := range []string{"static/css/leak.css", "content/day-1/leak.txt", "content/day-1/leak.md"} {
		if !strings.Contains(errs, name) {
			t.Errorf("no warning about the link %s:\n%s", name, errs)
		}
	}

	t.Run("host", func(t *testing.T) {
		for _, p := range []string{"/", "/day-1/01-intro/", "/css/extra.css", "/_flipchart/events", "/_flipchart/live.js"} {
			for _, host := range []string{"evil.example", "evil.example:" + s.addr[strings.LastIndex(s.addr, ":")+1:], "localhost.evil.example"} {
				resp, body := s.raw(t, "GET "+p+" HTTP/1.1", host)
				if resp.StatusCode != http.StatusForbidden {
					t.Errorf("Host %s, GET %s: status %d, want 403", host, p, resp.StatusCode)
				}
				if strings.Contains(body, "Welcome") || strings.Contains(body, "hello") {
					t.Errorf("Host %s, GET %s: answered with content", host, p)
				}
			}
		}
		if resp, _ := s.raw(t, "GET / HTTP/1.1", s.addr); resp.StatusCode != 200 {
			t.Errorf("Host %s: status %d", s.addr, resp.StatusCode)
		}
	})

	t.Run("dot-dot", func(t *testing.T) {
		for _, p := range []string{"/../", "/%2e%2e/", "/%2e%2e%2fetc/passwd", "/..%2f..%2f", "/..%2f..%2fetc%2fpasswd",
			"/../../../../../../etc/passwd", "/css/../../" + filepath.Base(dir) + "/config.toml", "/%2e%2e/config.toml",
			"/config.toml", "/content/day-1/01-intro.md", "/static/css/extra.css"} {
			resp, body := s.raw(t, "GET "+p+" HTTP/1.1", "localhost")
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s: status %d, want 404", p, resp.StatusCode)
			}
			if strings.Contains(body, "root:") || strings.Contains(body, "Test Manual\"") || strings.Contains(body, secret) {
				t.Errorf("GET %s: answered with a file of the disk: %.200q", p, body)
			}
		}
	})

	t.Run("symlinks", func(t *testing.T) {
		for _, p := range []string{"/css/leak.css", "/leak.txt", "/outside/secret.css", "/day-1/leak.txt", "/day-1/leak/",
			"/day-1/leak/index.html", "/outside/secret/", "/outside/secret/index.html", "/day-1/passwd.txt"} {
			resp, body := s.get(t, p)
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s: status %d, want 404", p, resp.StatusCode)
			}
			if strings.Contains(body, secret) || strings.Contains(body, "root:") {
				t.Errorf("GET %s: serves what the link points to", p)
			}
		}
		pages := crawl(t, s)
		if len(pages) < 8 {
			t.Errorf("the crawl found only %d files", len(pages))
		}
		for p, body := range pages {
			if strings.Contains(body, secret) {
				t.Errorf("GET %s: the secret behind a symlink is in the answer", p)
			}
		}
	})

	t.Run("folders", func(t *testing.T) {
		for _, p := range []string{"/css/", "/css", "/js/", "/day-1/01-intro/handout"} {
			resp, body := s.get(t, p)
			if p == "/day-1/01-intro/handout" {
				if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != p+"/" {
					t.Errorf("GET %s: status %d to %q, want 301 to %s/", p, resp.StatusCode, resp.Header.Get("Location"), p)
				}
				continue
			}
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s: status %d, want 404", p, resp.StatusCode)
			}
			if strings.Contains(body, "flipchart.css") || strings.Contains(body, "extra.css") {
				t.Errorf("GET %s: lists the folder", p)
			}
		}
	})

	t.Run("headers", func(t *testing.T) {
		pages := crawl(t, s)
		pages["/nope"] = ""
		pages["/_flipchart/live.js"] = ""
		for p := range pages {
			resp, _ := s.get(t, p, "Origin", "http://evil.example")
			if got := resp.Header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("GET %s: Cache-Control %q, want no-store", p, got)
			}
			if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "" {
				t.Errorf("GET %s: Access-Control-Allow-Origin %q", p, got)
			}
		}
	})

	t.Run("built files", func(t *testing.T) {
		dest := filepath.Join(t.TempDir(), "public")
		code, _, stderr := flipchart(t, "build", "--source", dir, "--dest", dest)
		if code != 0 {
			t.Fatalf("build: exit %d\n%s", code, stderr)
		}
		n := 0
		err := filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			n++
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			for _, bad := range []string{"_flipchart", "live.js", "connect-src", "EventSource", secret} {
				if bytes.Contains(data, []byte(bad)) {
					t.Errorf("built file %s contains %q", p, bad)
				}
			}
			return nil
		})
		if err != nil || n < 8 {
			t.Fatalf("walking the built site: %v (%d files)", err, n)
		}
		// What serve answers is the built file plus the live script and
		// the CSP's connect-src, nothing else.
		built, err := os.ReadFile(filepath.Join(dest, "day-1", "01-intro", "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		_, live := s.get(t, "/day-1/01-intro/index.html")
		want := strings.Replace(string(built), "default-src 'none';", "default-src 'none'; connect-src 'self';", 1)
		want = strings.Replace(want, "</body>", `<script src="/_flipchart/live.js"></script></body>`, 1)
		if live != want {
			t.Errorf("the page served differs from the built page by more than the live script")
		}
	})
}

// The live site: a home page, one module of three sessions (the second long
// enough to scroll through) and a copy of the theme's stylesheet to edit.

const liveLong = "content/day-1/02-mapping.md"

func liveSiteFiles(t testing.TB) map[string]string {
	t.Helper()
	css, err := fs.ReadFile(themes.Default, "default/static/css/flipchart.css")
	if err != nil {
		t.Fatal(err)
	}
	var long strings.Builder
	long.WriteString("+++\ntitle = \"Mapping\"\nsession = 2\ntime = \"1 h\"\nmaterials = [\"Flipchart paper\"]\n+++\n\nStart of mapping: original wording.\n\n")
	for i := 1; i <= 120; i++ {
		fmt.Fprintf(&long, "## Step %d\n\nParagraph %d of the mapping exercise: participants draw the actors around them and discuss who supports whom, for a while.\n\n", i, i)
	}
	long.WriteString("Last paragraph: tail wording.\n")
	return map[string]string{
		"config.toml":                 "title = \"Live Manual\"\nauthor = \"Tester\"\n",
		"content/_index.md":           "+++\ntitle = \"Home\"\n+++\nWelcome to the live manual.\n",
		"content/day-1/_index.md":     "+++\ntitle = \"Day 1\"\nweight = 1\n+++\nThe first day.\n",
		"content/day-1/01-welcome.md": "+++\ntitle = \"Welcome\"\nsession = 1\ntime = \"15 min\"\n+++\nWelcome body: first version.\n",
		liveLong:                      long.String(),
		"content/day-1/03-closing.md": "+++\ntitle = \"Closing\"\nsession = 3\ntime = \"15 min\"\n+++\nClosing body.\n",
		"static/css/flipchart.css":    string(css) + "\n:root { --fc-live-test: one; }\n",
	}
}

// liveTab is a tab of the browser with a recorder of its event stream.
type liveTab struct {
	t   testing.TB
	ctx context.Context
	mu  sync.Mutex
	sse []string // the data of each event-stream message, in order
}

// openLiveTab opens url in a new tab, after the actions before (such as
// chromedp.ExposeFunc), and waits until the page's event stream is open.
func openLiveTab(t testing.TB, parent context.Context, url string, before ...chromedp.Action[chromedp.Void]) *liveTab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(parent)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // the tab's first action, on its own context
		t.Fatal(err)
	}
	lt := &liveTab{t: t, ctx: ctx}
	if err := chromedp.Listen(ctx, func(ev any) {
		if m, ok := ev.(*network.EventEventSourceMessageReceived); ok {
			lt.mu.Lock()
			lt.sse = append(lt.sse, m.Data)
			lt.mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	steps := append([]chromedp.Action[chromedp.Void]{chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{})
		return err
	})}, before...)
	if err := lt.do(append(steps, chromedp.Navigate(url))...); err != nil {
		t.Fatalf("opening %s: %v", url, err)
	}
	// Edits before the stream is open would be missed: wait for its hello.
	lt.waitSSE(0, `"kind":"hello"`)
	return lt
}

func (lt *liveTab) do(actions ...chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(lt.ctx, 20*time.Second)
	defer cancel()
	return chromedp.Do(ctx, actions...)
}

func (lt *liveTab) nSSE() int {
	lt.mu.Lock()
	defer lt.mu.Unlock()
	return len(lt.sse)
}

// waitSSE waits for a stream message from the from-th on that contains s.
func (lt *liveTab) waitSSE(from int, s string) string {
	lt.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		lt.mu.Lock()
		for _, m := range lt.sse[min(from, len(lt.sse)):] {
			if strings.Contains(m, s) {
				lt.mu.Unlock()
				return m
			}
		}
		lt.mu.Unlock()
		time.Sleep(5 * time.Millisecond)
	}
	lt.mu.Lock()
	defer lt.mu.Unlock()
	lt.t.Fatalf("no event-stream message with %s in 10 s; got %q", s, lt.sse)
	return ""
}

func liveEval[T any](lt *liveTab, expr string) T {
	lt.t.Helper()
	ctx, cancel := context.WithTimeout(lt.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		lt.t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// waitJS polls expr every 5 ms until it is true. Each poll is one Evaluate,
// so a poll across a navigation fails alone and the next one goes on.
func (lt *liveTab) waitJS(what, expr string) {
	lt.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var last error
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(lt.ctx, 5*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && ok {
			return
		}
		last = err
		time.Sleep(5 * time.Millisecond)
	}
	lt.t.Fatalf("%s: not true after 10 s: %s (last error %v)", what, expr, last)
}

func (lt *liveTab) hasText(s string) bool {
	lt.t.Helper()
	return liveEval[bool](lt, fmt.Sprintf(`document.body.innerText.includes(%q)`, s))
}

// editFile replaces old with new in a file of the site, as a plain save.
func editFile(t *testing.T, dir, name, old, new string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("%s does not contain %q", name, old)
	}
	if err := os.WriteFile(p, bytes.Replace(data, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}

// renameSave replaces old with new as gedit or a JetBrains editor saves: the
// new text goes to a temporary file in the same folder, renamed over the old.
func renameSave(t *testing.T, dir, name, tmpName, old, new string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("%s does not contain %q", name, old)
	}
	tmp := filepath.Join(filepath.Dir(p), tmpName)
	if err := os.WriteFile(tmp, bytes.Replace(data, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, p); err != nil {
		t.Fatal(err)
	}
}

// liveHooks records, in the page, each in-place reload and where the page
// was scrolled right after it.
const liveHooks = `(function () {
  window.__reloads = [];
  document.addEventListener("flipchart:reloaded", function () {
    window.__reloads.push({y: window.scrollY, text: document.body.innerText.length});
  });
  return true;
})()`

func TestServeLiveBrowser(t *testing.T) {
	bctx := browser.ForTest(t)
	dir := t.TempDir()
	for name, data := range liveSiteFiles(t) {
		sitetest.WriteFile(t, dir, name, data)
	}
	s := startServe(t, 30*time.Second, "--source", dir)
	page := s.url + "day-1/02-mapping/index.html"
	tab := openLiveTab(t, bctx, page)
	liveEval[bool](tab, liveHooks)
	liveEval[bool](tab, `window.__marker = 42, true`)
	if !tab.hasText("original wording") {
		t.Fatalf("the page does not show its text:\n%s", liveEval[string](tab, `document.body.innerText.slice(0, 2000)`))
	}
	// stillSamePage checks no navigation happened: the soft reload keeps
	// the window's globals.
	stillSamePage := func(t *testing.T) {
		t.Helper()
		if m := liveEval[int](tab, `window.__marker || 0`); m != 42 {
			t.Errorf("window.__marker is %d: the page was loaded again instead of reloaded in place", m)
		}
	}

	t.Run("write", func(t *testing.T) {
		n := tab.nSSE()
		editFile(t, dir, liveLong, "original wording", "first edit wording")
		ev := tab.waitSSE(n, `"kind":"reload"`)
		if !strings.Contains(ev, `day-1/02-mapping/index.html`) {
			t.Errorf("the reload event does not name the page: %s", ev)
		}
		tab.waitJS("the edit shows", `document.body.innerText.includes("first edit wording")`)
		if tab.hasText("original wording") {
			t.Error("the old text is still there")
		}
		stillSamePage(t)
		if title := liveEval[string](tab, `document.title`); !strings.Contains(title, "Mapping") {
			t.Errorf("title %q", title)
		}
	})

	t.Run("rename save", func(t *testing.T) {
		renameSave(t, dir, liveLong, ".goutputstream-7QX1Z2", "first edit wording", "second edit wording")
		tab.waitJS("the first rename save shows", `document.body.innerText.includes("second edit wording")`)
		renameSave(t, dir, liveLong, "02-mapping.md___jb_tmp___", "second edit wording", "third edit wording")
		tab.waitJS("the second rename save shows", `document.body.innerText.includes("third edit wording")`)
		stillSamePage(t)
	})

	t.Run("scroll kept", func(t *testing.T) {
		liveEval[bool](tab, `window.scrollTo(0, 2500), true`)
		tab.waitJS("scrolled", `Math.abs(window.scrollY - 2500) < 2`)
		y := liveEval[float64](tab, `window.scrollY`)
		before := liveEval[int](tab, `window.__reloads.length`)
		editFile(t, dir, liveLong, "tail wording", "tail edited")
		tab.waitJS("reloaded", fmt.Sprintf(`window.__reloads.length > %d && document.body.innerText.includes("tail edited")`, before))
		after := liveEval[float64](tab, `window.__reloads[window.__reloads.length - 1].y`)
		now := liveEval[float64](tab, `window.scrollY`)
		if after < y-3 || after > y+3 || now < y-3 || now > y+3 {
			t.Errorf("scrolled to %v before the edit, %v right after the reload, %v now", y, after, now)
		}
		stillSamePage(t)
	})

	t.Run("stylesheet swapped", func(t *testing.T) {
		reloads := liveEval[int](tab, `window.__reloads.length`)
		if v := liveEval[string](tab, `getComputedStyle(document.documentElement).getPropertyValue("--fc-live-test").trim()`); v != "one" {
			t.Fatalf("the site's stylesheet does not apply: --fc-live-test is %q", v)
		}
		n := tab.nSSE()
		editFile(t, dir, "static/css/flipchart.css", "--fc-live-test: one;", "--fc-live-test: two;")
		ev := tab.waitSSE(n, `"kind":"css"`)
		if !strings.Contains(ev, `"css/flipchart.css"`) {
			t.Errorf("the css event does not name the stylesheet: %s", ev)
		}
		tab.waitJS("the new rule applies", `getComputedStyle(document.documentElement).getPropertyValue("--fc-live-test").trim() === "two"`)
		tab.waitJS("one stylesheet link left", `document.querySelectorAll('link[rel="stylesheet"][href*="flipchart.css"]').length === 1`)
		stillSamePage(t)
		if r := liveEval[int](tab, `window.__reloads.length`); r != reloads {
			t.Errorf("a stylesheet edit reloaded the page (%d reloads, was %d)", r, reloads)
		}
	})

	t.Run("error overlay", func(t *testing.T) {
		editFile(t, dir, liveLong, "session = 2", `session = "x"`)
		tab.waitJS("overlay", `!!document.querySelector('.flipchart-overlay[role="alert"]')`)
		text := liveEval[string](tab, `document.querySelector(".flipchart-overlay").innerText`)
		for _, want := range []string{liveLong + ":3", "session", `session = "x"`} {
			if !strings.Contains(text, want) {
				t.Errorf("the overlay lacks %q:\n%s", want, text)
			}
		}
		if !tab.hasText("third edit wording") {
			t.Error("the last good page is gone under the overlay")
		}
		editFile(t, dir, liveLong, `session = "x"`, "session = 2")
		editFile(t, dir, liveLong, "third edit wording", "fixed wording")
		tab.waitJS("overlay gone", `!document.querySelector(".flipchart-overlay")`)
		tab.waitJS("the fix shows", `document.body.innerText.includes("fixed wording")`)
		stillSamePage(t)
	})

	t.Run("other pages", func(t *testing.T) {
		// A module page lists a new session; a removed session's page
		// says it is gone.
		mod := openLiveTab(t, bctx, s.url+"day-1/index.html")
		closing := openLiveTab(t, bctx, s.url+"day-1/03-closing/index.html")
		sitetest.WriteFile(t, dir, "content/day-1/04-new.md", "+++\ntitle = \"Brand New Session\"\nsession = 4\ntime = \"10 min\"\n+++\nNew.\n")
		mod.waitJS("the new session is listed", `document.body.innerText.includes("Brand New Session")`)
		if err := os.Remove(filepath.Join(dir, "content/day-1/03-closing.md")); err != nil {
			t.Fatal(err)
		}
		closing.waitJS("the removed page says so", `document.body.innerText.includes("not in the site")`)
		mod.waitJS("the removed session is not listed", `!document.body.innerText.includes("Closing")`)
		// The main tab was not reloaded by edits elsewhere it does not show.
		stillSamePage(t)
	})
	if t.Failed() {
		t.Logf("serve output:\n%s%s", s.out, s.errOut)
	}
}

// TestServeSeesEditsDuringFirstBuild: an author who saves while serve makes
// its first build (tens of seconds for a large manual) must see the save
// once serving starts, not only after the next one.
func TestServeSeesEditsDuringFirstBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and builds 400 sessions")
	}
	dir := t.TempDir()
	rel, url := writeServeCorpus(t, dir, 400)
	file := filepath.Join(dir, filepath.FromSlash(rel))
	edited := make(chan time.Time, 1)
	go func() {
		// By then the content is read and the pages are being rendered.
		time.Sleep(300 * time.Millisecond)
		data, err := os.ReadFile(file)
		if err == nil {
			err = os.WriteFile(file, bytes.Replace(data, []byte("probe000"), []byte("probe777"), 1), 0o644)
		}
		if err != nil {
			t.Error(err)
		}
		edited <- time.Now()
	}()
	s := startServe(t, 2*time.Minute, "--source", dir)
	at := <-edited
	var serving time.Time
	for _, w := range s.out.since(0) {
		if strings.Contains(w.text, "serving at") {
			serving = w.at
		}
	}
	if at.After(serving) {
		t.Skipf("the first build took under 300 ms (%s): nothing was saved during it", firstLine(s.out.String(), "built in memory"))
	}
	deadline := time.Now().Add(3 * time.Second)
	for {
		_, body := s.get(t, "/"+url)
		if strings.Contains(body, "probe777") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("a save made during the first build (%v before serving) is not served 3 s later; serve said:\n%s",
				serving.Sub(at).Round(time.Millisecond), s.out)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
