// Package server serves a site built in memory to the author's browser and
// tells the browser over Server-Sent Events when a new build is in place:
// it reloads the page (keeping the scroll position), swaps a stylesheet, or
// shows the build's error over the last good page.
//
// It is meant for one author's machine: it answers only requests addressed
// to a loopback name or a name it was given (against DNS rebinding), lists
// no folders, sends no CORS headers, and forbids caching. The live-reload
// script is injected into pages as they are served, never into built files.
package server

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"mime"
	"net"
	"net/http"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"flipchart/generator/publish"
)

// Prefix is where the server's own files and the event stream live.
const Prefix = "/_flipchart/"

//go:embed live.js
var liveJS []byte

//go:embed live.css
var liveCSS []byte

// Options configure a server.
type Options struct {
	// Hosts are extra host names requests may be addressed to, besides
	// localhost, 127.0.0.1 and [::1].
	Hosts []string
	// Navigate takes the browser to a page the author edits.
	Navigate bool
}

// Server serves the current build.
type Server struct {
	opt     Options
	hosts   map[string]bool
	site    atomic.Pointer[publish.Memory]
	version atomic.Int64
	started time.Time

	mu      sync.Mutex
	clients map[chan []byte]bool
	problem *Problem // the current build error, or nil
}

// Problem is a build error shown over the page: where, what, and the source
// lines around it.
type Problem struct {
	File    string       `json:"file"`
	Line    int          `json:"line"`
	Col     int          `json:"col"`
	Message string       `json:"message"`
	Hint    string       `json:"hint,omitempty"`
	Lines   []SourceLine `json:"lines,omitempty"`
	More    int          `json:"more"` // further errors not shown
}

// SourceLine is one numbered line of a source file.
type SourceLine struct {
	N    int    `json:"n"`
	Text string `json:"text"`
}

// Event is what the browser is told after a build.
type Event struct {
	Version  int64    `json:"version"`
	Kind     string   `json:"kind"`               // "reload", "css", "error" or "hello"
	Rendered []string `json:"rendered,omitempty"` // pages rendered again
	Removed  []string `json:"removed,omitempty"`  // pages gone
	CSS      []string `json:"css,omitempty"`      // stylesheets to swap
	Navigate string   `json:"navigate,omitempty"` // a page to go to
	Full     bool     `json:"full,omitempty"`     // everything changed
	Problem  *Problem `json:"problem,omitempty"`
}

// New returns a server of site (which may be nil until a first build
// succeeds).
func New(site *publish.Memory, opt Options) *Server {
	s := &Server{opt: opt, started: time.Now(), clients: map[chan []byte]bool{},
		hosts: map[string]bool{"localhost": true, "127.0.0.1": true, "::1": true}}
	for _, h := range opt.Hosts {
		s.hosts[strings.ToLower(strings.Trim(h, "[]"))] = true
	}
	if site != nil {
		s.site.Store(site)
	}
	return s
}

// Update makes site the one served and tells every browser. Call it only
// once the new build is complete.
func (s *Server) Update(site *publish.Memory, ev Event) {
	s.site.Store(site)
	s.mu.Lock()
	s.problem = nil
	s.mu.Unlock()
	if !s.opt.Navigate {
		ev.Navigate = ""
	}
	s.broadcast(ev)
}

// Fail shows a build error over the page; the last good site stays.
func (s *Server) Fail(p *Problem) {
	s.mu.Lock()
	s.problem = p
	s.mu.Unlock()
	s.broadcast(Event{Kind: "error", Problem: p})
}

func (s *Server) broadcast(ev Event) {
	ev.Version = s.version.Add(1)
	data, _ := json.Marshal(ev)
	msg := []byte("event: update\ndata: " + string(data) + "\n\n")
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.clients {
		select {
		case c <- msg:
		default: // a stuck browser misses an update rather than stalling all
		}
	}
}

// Clients is the number of open event streams.
func (s *Server) Clients() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.clients)
}

// allowedHost reports whether the request is addressed to a name the server
// answers to; anything else may be a DNS rebinding attack.
func (s *Server) allowedHost(r *http.Request) bool {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return s.hosts[strings.ToLower(strings.Trim(host, "[]"))]
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.allowedHost(r) {
		http.Error(w, "flipchart serve: this server answers only to localhost; start it with --host NAME to allow "+r.Host, http.StatusForbidden)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	switch r.URL.Path {
	case Prefix + "events":
		s.events(w, r)
		return
	case Prefix + "live.js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Write(liveJS)
		return
	case Prefix + "live.css":
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		w.Write(liveCSS)
		return
	}
	s.file(w, r)
}

// file serves a file of the current site.
func (s *Server) file(w http.ResponseWriter, r *http.Request) {
	for _, seg := range strings.Split(r.URL.Path, "/") {
		if seg == ".." {
			http.NotFound(w, r) // nothing outside the site, and no path games
			return
		}
	}
	name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	if name == "" || strings.HasSuffix(r.URL.Path, "/") {
		name = path.Join(name, "index.html")
	}
	site := s.site.Load()
	var data []byte
	ok := false
	if site != nil {
		data, ok = site.Get(name)
		if !ok {
			if _, isDir := site.Get(path.Join(name, "index.html")); isDir {
				// To the cleaned path: "//x" would send the browser to host x.
				http.Redirect(w, r, "/"+name+"/", http.StatusMovedPermanently)
				return
			}
		}
	}
	if !ok {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		msg := "This page is not in the site."
		if site == nil {
			msg = "The site has not been built yet: see the error."
		}
		w.Write(inject([]byte("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head><body><main><h1>404</h1><p>" + msg + "</p></main></body></html>")))
		return
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = http.DetectContentType(data)
	}
	w.Header().Set("Content-Type", ct)
	if strings.HasPrefix(ct, "text/html") {
		data = inject(data)
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
}

// inject adds the live-reload script to a page, and lets the page's
// Content-Security-Policy reach the event stream on this server.
func inject(page []byte) []byte {
	out := bytes.Replace(page, []byte("default-src 'none';"), []byte("default-src 'none'; connect-src 'self';"), 1)
	tag := []byte(`<script src="` + Prefix + `live.js"></script>`)
	if i := bytes.LastIndex(out, []byte("</body>")); i >= 0 {
		return append(append(append([]byte(nil), out[:i]...), tag...), out[i:]...)
	}
	return append(out, tag...)
}

// events is the Server-Sent Events stream of one browser tab.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Connection", "keep-alive")
	c := make(chan []byte, 16)
	s.mu.Lock()
	s.clients[c] = true
	hello := Event{Kind: "hello", Version: s.version.Load(), Problem: s.problem}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.clients, c)
		s.mu.Unlock()
	}()
	data, _ := json.Marshal(hello)
	fmt.Fprintf(w, "retry: 500\nevent: update\ndata: %s\n\n", data)
	flusher.Flush()
	ping := time.NewTicker(20 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case msg := <-c:
			w.Write(msg)
			flusher.Flush()
		case <-ping.C:
			w.Write([]byte(": ping\n\n"))
			flusher.Flush()
		}
	}
}
