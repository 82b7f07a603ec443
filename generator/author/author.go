// Package author holds flipchart's authoring tools: `flipchart new session`,
// which starts a session guide with every field and container in place, and
// `flipchart import`, which turns plain-text session guides (as trainers'
// manuals are often kept) into session Markdown.
//
// Both write new files only: a file that exists is never replaced, unless the
// import is given Force.
package author

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"flipchart/generator/content"
)

// ErrUsage marks errors in what the command was asked to do (an empty title,
// a module outside content/): the command line is wrong, not the site.
var ErrUsage = errors.New("usage")

type usageError struct{ msg string }

func (e *usageError) Error() string        { return e.msg }
func (e *usageError) Is(target error) bool { return target == ErrUsage }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// ExistsError is returned when the file to write exists already.
type ExistsError struct{ Path string }

func (e *ExistsError) Error() string {
	return e.Path + ": the file exists already; flipchart does not replace it"
}

// writeNew creates path with data, failing with *ExistsError when it exists.
// Creating with O_EXCL makes the check and the write one step.
func writeNew(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return &ExistsError{Path: path}
		}
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return err
	}
	return nil
}

// writeReplace writes path through a temporary file in the same folder, so
// that a reader (flipchart serve's watcher, an editor) never sees half a file.
func writeReplace(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".flipchart-*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// sessionFile is a session guide found in a site's content folder.
type sessionFile struct {
	Number int
	Path   string // the OS path, contentDir joined with the file's path
}

// scanSessions finds every session number under contentDir. It reads front
// matter leniently, so that a file with an error elsewhere in its front
// matter (a bad time, say) still counts: content.Load would leave it out and
// its number could be handed out twice. Folders' _index.md files are module
// pages and hold no session. A missing contentDir holds no sessions.
func scanSessions(contentDir string) ([]sessionFile, error) {
	var out []sessionFile
	err := filepath.WalkDir(contentDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == contentDir && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			return nil // an unreadable folder or file: the build reports it
		}
		name := d.Name()
		if p != contentDir && content.Ignored(name) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || !strings.HasSuffix(name, ".md") || name == "_index.md" || name == "index.md" {
			return nil
		}
		if n, ok := sessionNumber(p); ok {
			out = append(out, sessionFile{Number: n, Path: p})
		}
		return nil
	})
	return out, err
}

var sessionLine = regexp.MustCompile(`(?m)^[ \t]*session[ \t]*=[ \t]*"?(\d+)`)

// sessionNumber reads the session number from a Markdown file's front
// matter: decoded as TOML when it is valid, else from a `session = N` line.
func sessionNumber(p string) (int, bool) {
	f, err := os.Open(p)
	if err != nil {
		return 0, false
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, content.MaxFileSize))
	if err != nil {
		return 0, false
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	first, rest, _ := strings.Cut(text, "\n")
	if strings.TrimSpace(first) != "+++" {
		return 0, false
	}
	fm := rest
	if i := strings.Index(rest, "\n+++"); i >= 0 {
		fm = rest[:i]
	} else if strings.HasPrefix(rest, "+++") {
		fm = ""
	}
	var doc map[string]any
	if _, err := toml.Decode(fm, &doc); err == nil {
		switch v := doc["session"].(type) {
		case int64:
			return int(v), v > 0
		case string:
			n, err := strconv.Atoi(strings.TrimSpace(v))
			return n, err == nil && n > 0
		}
		return 0, false
	}
	if m := sessionLine.FindStringSubmatch(fm); m != nil {
		n, err := strconv.Atoi(m[1])
		return n, err == nil && n > 0
	}
	return 0, false
}

// fileName is a session's file name: "11-next-steps.md". A title with no
// letters flipchart can spell gives "11-session.md".
func fileName(session int, title string) string {
	slug := Slug(title)
	if slug == "" {
		slug = "session"
	}
	return fmt.Sprintf("%02d-%s.md", session, slug)
}
