package server

// Tests of the server without a browser: who it answers, which paths it
// serves, the headers it sends, the script it injects, and the event stream.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"flipchart/generator/publish"
)

// testCSP is the policy the theme's pages carry.
const testCSP = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; base-uri 'none'; form-action 'self'">`

// testPage is a page of the theme's shape: a CSP, a stylesheet, a script.
func testPage(title, text string) string {
	return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
` + testCSP + `
<title>` + title + `</title>
<link rel="stylesheet" href="/css/site.css">
</head>
<body>
<main><h1>` + title + `</h1><p class="text">` + text + `</p></main>
<script src="/js/site.js"></script>
</body>
</html>
`
}

// testSite is a small site in memory: a home page, a module with two
// sessions, a stylesheet, a script, and a folder with no index.
func testSite(t testing.TB, text string) *publish.Memory {
	t.Helper()
	m := publish.NewMemory()
	files := map[string]string{
		"index.html":            testPage("Home", "Welcome."),
		"day-1/index.html":      testPage("Day 1", "The first day."),
		"day-1/one/index.html":  testPage("One", text),
		"day-1/two/index.html":  testPage("Two", "Second."),
		"css/site.css":          "main { color: rgb(1, 2, 3); }\n",
		"js/site.js":            "window.__siteRuns = (window.__siteRuns || 0) + 1;\n",
		"img/dot.txt":           "a file in a folder without an index\n",
		"day-1/one/notes.txt":   "plain text </body>\n",
		"nobody/index.html":     "<p>no body tag</p>",
		"print/index.html":      testPage("Print", "All of it."),
		"print/one/index.html":  testPage("Print one", "One, printed."),
		"objectives/index.html": testPage("Objectives", "To learn."),
	}
	for name, data := range files {
		if err := m.WriteFile(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

// start serves s on a loopback port for the test. The event streams end
// when the test does: a stream never ends on its own, and httptest's Close
// waits for every request to finish.
func start(t *testing.T, s *Server) string {
	t.Helper()
	hs := httptest.NewUnstartedServer(s)
	ctx, cancel := context.WithCancel(context.Background())
	hs.Config.BaseContext = func(net.Listener) context.Context { return ctx }
	hs.Start()
	t.Cleanup(func() {
		cancel()
		hs.Close()
	})
	return hs.URL
}

// raw sends one request exactly as written, so that no client cleans its
// path, and returns the response with its body read.
func raw(t *testing.T, base, requestLine, host string, extra ...string) (*http.Response, string) {
	t.Helper()
	addr := strings.TrimPrefix(base, "http://")
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	req := requestLine + "\r\nHost: " + host + "\r\n"
	for _, h := range extra {
		req += h + "\r\n"
	}
	req += "Connection: close\r\n\r\n"
	if _, err := io.WriteString(conn, req); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("%s: %v", requestLine, err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Type") == "text/event-stream" {
		// The stream does not end: read its first message only.
		var msg []byte
		br := bufio.NewReader(resp.Body)
		for !bytes.HasSuffix(msg, []byte("\n\n")) {
			b, err := br.ReadByte()
			if err != nil {
				break
			}
			msg = append(msg, b)
		}
		conn.Close() // else closing the body waits for the stream's end
		return resp, string(msg)
	}
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func TestHostHeader(t *testing.T) {
	s := New(testSite(t, "Text."), Options{Hosts: []string{"Curriculum.Local", "[fd00::1]"}})
	base := start(t, s)
	port := base[strings.LastIndex(base, ":")+1:]
	tests := []struct {
		host string
		ok   bool
	}{
		{"localhost", true},
		{"localhost:" + port, true},
		{"LocalHost:" + port, true},
		{"127.0.0.1:" + port, true},
		{"[::1]:" + port, true},
		{"[::1]", true},
		{"curriculum.local:" + port, true}, // given with --host, any case
		{"[fd00::1]:" + port, true},
		{"evil.example", false},
		{"evil.example:" + port, false},
		{"localhost.evil.example", false},
		{"127.0.0.1.nip.io:" + port, false},
		{"127.0.0.2:" + port, false},
		{"0.0.0.0:" + port, false},
		{"[::ffff:127.0.0.1]:" + port, false},
	}
	for _, tt := range tests {
		for _, p := range []string{"/", "/day-1/one/index.html", "/css/site.css", Prefix + "live.js", Prefix + "events", "/nope"} {
			resp, body := raw(t, base, "GET "+p+" HTTP/1.1", tt.host)
			if tt.ok {
				if resp.StatusCode == http.StatusForbidden {
					t.Errorf("Host %q, %s: refused: %s", tt.host, p, body)
				}
				continue
			}
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("Host %q, %s: status %d, want 403", tt.host, p, resp.StatusCode)
			}
			if strings.Contains(body, "Welcome") || strings.Contains(body, "hello") {
				t.Errorf("Host %q, %s: the refusal carries content: %q", tt.host, p, body)
			}
		}
	}
}

// TestPaths checks that only the site's own files are served: dot-dot
// segments, however encoded, answer 404 rather than the page they clean to,
// folders are not listed, and no redirect leaves the server.
func TestPaths(t *testing.T) {
	base := start(t, New(testSite(t, "Text."), Options{}))
	notFound := []string{
		"/../", "/%2e%2e/", "/%2E%2E/", "/%2e%2e%2fetc/passwd", "/..%2f..%2f",
		"/../../../../etc/passwd", "/day-1/../../etc/passwd", "/day-1/..%2f..%2fetc%2fpasswd",
		"/..", "/day-1/one/..", "/day-1/%2e%2e/",
		"/img/", "/img", "/css/", "/js/", "/nope", "/nope/", "/index.html/x",
		"/_flipchart/", "/_flipchart/../index.html",
	}
	for _, p := range notFound {
		resp, body := raw(t, base, "GET "+p+" HTTP/1.1", "localhost")
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404 (Location %q)", p, resp.StatusCode, resp.Header.Get("Location"))
		}
		if strings.Contains(body, "dot.txt") || strings.Contains(body, "root:") {
			t.Errorf("GET %s: the answer lists a folder or shows a file: %.200q", p, body)
		}
	}
	found := map[string]string{
		"/":                      "Welcome.",
		"/index.html":            "Welcome.",
		"/day-1/":                "The first day.",
		"/day-1/index.html":      "The first day.",
		"/day-1/one/":            "Text.",
		"/day-1/one/index.html":  "Text.",
		"/day-1/%6Fne/":          "Text.", // an escaped letter is still the letter
		"/img/dot.txt":           "without an index",
		"/css/site.css":          "rgb(1, 2, 3)",
		"/day-1/one/?x=1":        "Text.",
		"/objectives/index.html": "To learn.",
	}
	for p, want := range found {
		resp, body := raw(t, base, "GET "+p+" HTTP/1.1", "localhost")
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("GET %s: status %d, body %.120q; want 200 with %q", p, resp.StatusCode, body, want)
		}
	}
	// A folder with an index, asked without its slash, redirects on this
	// server, never to another host ("//day-1/" is the host day-1).
	for _, p := range []string{"/day-1", "//day-1", "/%2fday-1", "///day-1", "/day-1/one"} {
		resp, _ := raw(t, base, "GET "+p+" HTTP/1.1", "localhost")
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusMovedPermanently && resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 301 or 404", p, resp.StatusCode)
			continue
		}
		if resp.StatusCode == http.StatusMovedPermanently && (!strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\")) {
			t.Errorf("GET %s: redirects to %q, which leaves the server (a browser reads //name/ as the host name)", p, loc)
		}
	}
	if resp, _ := raw(t, base, "GET /day-1 HTTP/1.1", "localhost"); resp.Header.Get("Location") != "/day-1/" {
		t.Errorf("GET /day-1: Location %q, want /day-1/", resp.Header.Get("Location"))
	}
}

func TestMethods(t *testing.T) {
	base := start(t, New(testSite(t, "Text."), Options{}))
	for _, m := range []string{"POST", "PUT", "DELETE", "OPTIONS", "PATCH"} {
		resp, _ := raw(t, base, m+" / HTTP/1.1", "localhost", "Content-Length: 0", "Origin: http://evil.example")
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("%s /: status %d, want 405", m, resp.StatusCode)
		}
		if v := resp.Header.Get("Access-Control-Allow-Origin"); v != "" {
			t.Errorf("%s /: Access-Control-Allow-Origin %q", m, v)
		}
	}
	resp, body := raw(t, base, "HEAD /day-1/one/ HTTP/1.1", "localhost")
	if resp.StatusCode != http.StatusOK || body != "" {
		t.Errorf("HEAD: status %d, body %q", resp.StatusCode, body)
	}
}

// TestHeaders checks every kind of answer forbids caching, sniffing and
// cross-origin reads.
func TestHeaders(t *testing.T) {
	base := start(t, New(testSite(t, "Text."), Options{}))
	for _, p := range []string{"/", "/day-1/one/", "/css/site.css", "/js/site.js", "/img/dot.txt", "/nope", "/img/", "/day-1",
		Prefix + "live.js", Prefix + "live.css"} {
		resp, _ := raw(t, base, "GET "+p+" HTTP/1.1", "localhost", "Origin: http://evil.example", "If-Modified-Since: Mon, 02 Jan 2006 15:04:05 GMT")
		if got := resp.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("GET %s: Cache-Control %q, want no-store", p, got)
		}
		if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("GET %s: X-Content-Type-Options %q", p, got)
		}
		for k := range resp.Header {
			if strings.HasPrefix(strings.ToLower(k), "access-control-") {
				t.Errorf("GET %s: CORS header %s: %s", p, k, resp.Header.Get(k))
			}
		}
		if resp.Header.Get("Last-Modified") != "" || resp.Header.Get("ETag") != "" {
			t.Errorf("GET %s: a validator (Last-Modified %q, ETag %q) lets a browser keep a stale page", p, resp.Header.Get("Last-Modified"), resp.Header.Get("ETag"))
		}
		if resp.StatusCode == http.StatusNotModified {
			t.Errorf("GET %s: 304 to If-Modified-Since", p)
		}
	}
	types := map[string]string{
		"/day-1/one/":          "text/html; charset=utf-8",
		"/css/site.css":        "text/css; charset=utf-8",
		"/js/site.js":          "text/javascript; charset=utf-8",
		Prefix + "live.js":     "text/javascript; charset=utf-8",
		Prefix + "live.css":    "text/css; charset=utf-8",
		"/day-1/one/notes.txt": "text/plain; charset=utf-8",
	}
	for p, want := range types {
		resp, _ := raw(t, base, "GET "+p+" HTTP/1.1", "localhost")
		if got := resp.Header.Get("Content-Type"); got != want {
			t.Errorf("GET %s: Content-Type %q, want %q", p, got, want)
		}
	}
}

// TestInject checks the live script goes into pages, and only into pages.
func TestInject(t *testing.T) {
	site := testSite(t, "Text.")
	base := start(t, New(site, Options{}))
	tag := `<script src="/_flipchart/live.js"></script>`
	for _, p := range []string{"/", "/day-1/one/", "/nope"} {
		_, body := raw(t, base, "GET "+p+" HTTP/1.1", "localhost")
		if strings.Count(body, tag) != 1 {
			t.Errorf("GET %s: the live script is there %d times", p, strings.Count(body, tag))
		}
		if i, j := strings.Index(body, tag), strings.LastIndex(body, "</body>"); i < 0 || j < 0 || i > j {
			t.Errorf("GET %s: the live script is not just before </body>", p)
		}
		if p != "/nope" && !strings.Contains(body, "default-src 'none'; connect-src 'self'; style-src 'self'") {
			t.Errorf("GET %s: the CSP does not let the page reach the event stream:\n%s", p, body)
		}
		if strings.Count(body, "connect-src") > 1 {
			t.Errorf("GET %s: connect-src added twice", p)
		}
	}
	_, body := raw(t, base, "GET /nobody/ HTTP/1.1", "localhost")
	if !strings.HasSuffix(body, tag) {
		t.Errorf("a page without </body>: %q", body)
	}
	for _, p := range []string{"css/site.css", "js/site.js", "day-1/one/notes.txt"} {
		_, body := raw(t, base, "GET /"+p+" HTTP/1.1", "localhost")
		want, _ := site.Get(p)
		if body != string(want) {
			t.Errorf("GET /%s: changed on the way: %q, want %q", p, body, want)
		}
	}
	// The site in memory is not changed by serving it.
	if b, _ := site.Get("day-1/one/index.html"); bytes.Contains(b, []byte("_flipchart")) || bytes.Contains(b, []byte("connect-src")) {
		t.Error("serving a page changed the site in memory")
	}
}

// TestNotBuiltYet: before a first good build the server answers with a page
// that carries the live script, so the browser follows the fix.
func TestNotBuiltYet(t *testing.T) {
	s := New(nil, Options{})
	base := start(t, s)
	resp, body := raw(t, base, "GET / HTTP/1.1", "localhost")
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "not been built") || !strings.Contains(body, "/_flipchart/live.js") {
		t.Errorf("status %d, body %q", resp.StatusCode, body)
	}
	s.Update(testSite(t, "Built."), Event{Kind: "reload", Full: true})
	if resp, body := raw(t, base, "GET /day-1/one/ HTTP/1.1", "localhost"); resp.StatusCode != 200 || !strings.Contains(body, "Built.") {
		t.Errorf("after Update: status %d, body %q", resp.StatusCode, body)
	}
}

// stream is one client of the event stream.
type stream struct {
	resp   *http.Response
	events chan Event
}

func openStream(t *testing.T, base string) *stream {
	t.Helper()
	req, _ := http.NewRequest("GET", base+Prefix+"events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("events: status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	s := &stream{resp: resp, events: make(chan Event, 100)}
	go func() {
		defer close(s.events)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<20)
		name := ""
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				var ev Event
				if name != "update" || json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &ev) != nil {
					ev = Event{Kind: "bad: " + name + " " + line}
				}
				s.events <- ev
			}
		}
	}()
	return s
}

func (s *stream) next(t *testing.T) Event {
	t.Helper()
	select {
	case ev, ok := <-s.events:
		if !ok {
			t.Fatal("the event stream ended")
		}
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no event in 5 s")
	}
	return Event{}
}

func waitClients(t *testing.T, s *Server, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for s.Clients() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d clients, want %d", s.Clients(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestEvents(t *testing.T) {
	s := New(testSite(t, "One."), Options{})
	base := start(t, s)
	a := openStream(t, base)
	if ev := a.next(t); ev.Kind != "hello" || ev.Version != 0 || ev.Problem != nil {
		t.Fatalf("first event %+v, want hello at version 0", ev)
	}
	waitClients(t, s, 1)

	s.Update(testSite(t, "Two."), Event{Kind: "reload", Rendered: []string{"day-1/one/index.html"}, Navigate: "day-1/one/"})
	ev := a.next(t)
	if ev.Kind != "reload" || ev.Version != 1 || len(ev.Rendered) != 1 || ev.Rendered[0] != "day-1/one/index.html" {
		t.Errorf("after Update: %+v", ev)
	}
	if ev.Navigate != "" {
		t.Errorf("Navigate %q sent without Options.Navigate", ev.Navigate)
	}
	// The new site is in place by the time the event is sent.
	if _, body := raw(t, base, "GET /day-1/one/ HTTP/1.1", "localhost"); !strings.Contains(body, "Two.") {
		t.Error("the event came before the new site")
	}

	p := &Problem{File: "content/day-1/01-one.md", Line: 3, Col: 11, Message: "session: expected an integer", Lines: []SourceLine{{3, `session = "x"`}}}
	s.Fail(p)
	ev = a.next(t)
	if ev.Kind != "error" || ev.Problem == nil || ev.Problem.File != p.File || ev.Problem.Line != 3 || ev.Version != 2 {
		t.Errorf("after Fail: %+v", ev)
	}
	// The last good site stays.
	if _, body := raw(t, base, "GET /day-1/one/ HTTP/1.1", "localhost"); !strings.Contains(body, "Two.") {
		t.Error("a failed build changed the site served")
	}
	// A tab that connects now is told of the problem at once.
	b := openStream(t, base)
	if ev := b.next(t); ev.Kind != "hello" || ev.Problem == nil || ev.Version != 2 {
		t.Errorf("hello during a failure: %+v", ev)
	}
	waitClients(t, s, 2)

	s.Update(testSite(t, "Three."), Event{Kind: "reload", Full: true})
	for _, st := range []*stream{a, b} {
		if ev := st.next(t); ev.Kind != "reload" || !ev.Full || ev.Problem != nil || ev.Version != 3 {
			t.Errorf("after the fix: %+v", ev)
		}
	}
	c := openStream(t, base)
	if ev := c.next(t); ev.Kind != "hello" || ev.Problem != nil || ev.Version != 3 {
		t.Errorf("hello after the fix: %+v", ev)
	}
	waitClients(t, s, 3)

	// A closed tab is forgotten.
	a.resp.Body.Close()
	c.resp.Body.Close()
	waitClients(t, s, 1)
}

func TestEventsNavigate(t *testing.T) {
	s := New(testSite(t, "One."), Options{Navigate: true})
	a := openStream(t, start(t, s))
	a.next(t)
	waitClients(t, s, 1)
	s.Update(testSite(t, "Two."), Event{Kind: "reload", Navigate: "day-1/two/"})
	if ev := a.next(t); ev.Navigate != "day-1/two/" {
		t.Errorf("Navigate %q with Options.Navigate", ev.Navigate)
	}
}

// TestStuckClient: a tab that does not read its stream neither blocks the
// server nor other tabs.
func TestStuckClient(t *testing.T) {
	s := New(testSite(t, "One."), Options{})
	base := start(t, s)
	stuck, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer stuck.Close()
	fmt.Fprintf(stuck, "GET %sevents HTTP/1.1\r\nHost: localhost\r\n\r\n", Prefix)
	waitClients(t, s, 1)
	good := openStream(t, base)
	good.next(t)
	waitClients(t, s, 2)
	big := strings.Repeat("x", 16<<10)
	done := make(chan bool)
	go func() {
		for i := range 500 {
			s.Update(testSite(t, "One."), Event{Kind: "reload", Rendered: []string{fmt.Sprintf("p%d/%s", i, big)}})
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("500 updates took over 10 s with one stuck tab")
	}
	// The good tab saw at least the updates its buffer holds, in order.
	last := int64(0)
	for range 16 {
		ev := good.next(t)
		if ev.Version <= last {
			t.Errorf("version %d after %d", ev.Version, last)
		}
		last = ev.Version
	}
}

// TestConcurrentUpdates runs updates, failures, page requests and streams
// at once, for the race detector.
func TestConcurrentUpdates(t *testing.T) {
	s := New(testSite(t, "0"), Options{})
	base := start(t, s)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 50 {
				if w == 0 && i%10 == 9 {
					s.Fail(&Problem{Message: "x"})
					continue
				}
				s.Update(testSite(t, fmt.Sprint(i)), Event{Kind: "reload", Full: true})
			}
		})
		wg.Go(func() {
			for range 30 {
				resp, err := http.Get(base + "/day-1/one/")
				if err != nil {
					t.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					t.Errorf("status %d during updates", resp.StatusCode)
				}
			}
		})
		wg.Go(func() {
			resp, err := http.Get(base + Prefix + "events")
			if err != nil {
				t.Error(err)
				return
			}
			buf := make([]byte, 4096)
			resp.Body.Read(buf)
			resp.Body.Close()
			_ = s.Clients()
		})
	}
	wg.Wait()
}
