// Package server serves a site built in memory to the author's browser.
package server

import (
	"bytes"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync/atomic"
	"time"

	"flipchart/generator/publish"
)

// Server serves the current build. Swap replaces it at once, so a request
// sees either the old site or the new one, never a mix.
type Server struct {
	site atomic.Pointer[publish.Memory]
}

// New returns a server of site.
func New(site *publish.Memory) *Server {
	s := &Server{}
	s.site.Store(site)
	return s
}

// Swap makes site the one served.
func (s *Server) Swap(site *publish.Memory) { s.site.Store(site) }

var started = time.Now()

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name := path.Clean("/" + r.URL.Path)
	if strings.HasSuffix(r.URL.Path, "/") {
		name = path.Join(name, "index.html")
	}
	name = strings.TrimPrefix(name, "/")
	site := s.site.Load()
	data, ok := site.Get(name)
	if !ok {
		if _, isDir := site.Get(path.Join(name, "index.html")); isDir {
			http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	http.ServeContent(w, r, name, started, bytes.NewReader(data))
}
