package author

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"flipchart/generator/content"
)

// NewOptions say where `flipchart new session` writes.
type NewOptions struct {
	// Source is the site's folder, holding content/; "" is the current one.
	Source string
	// Module is the folder under content/ to write to, as "day-3" or
	// "content/day-3". Empty means the folder of the highest-numbered
	// session, or content/ itself when there is none.
	Module string
}

// NewResult is what NewSession did.
type NewResult struct {
	Path    string // the file written
	Session int    // its session number
	// Notes are things the author should know, such as a folder created
	// without an _index.md.
	Notes []string
}

// NewSession writes a session guide titled title with the next free session
// number, every front matter field and the usual containers, each with a
// line telling the author what goes there. It never replaces a file: when
// the file exists it returns an *ExistsError. An empty title or a module
// outside content/ is an error wrapping ErrUsage.
func NewSession(title string, opt NewOptions) (*NewResult, error) {
	title = strings.Join(strings.Fields(title), " ")
	if title == "" {
		return nil, usagef(`the session needs a title: flipchart new session "Title"`)
	}
	src := opt.Source
	if src == "" {
		src = "."
	}
	contentDir := filepath.Join(src, content.Dir)
	sessions, err := scanSessions(contentDir)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", contentDir, err)
	}
	highest := sessionFile{}
	for _, s := range sessions {
		if s.Number > highest.Number {
			highest = s
		}
	}
	dir := contentDir
	if opt.Module != "" {
		m, err := modulePath(opt.Module)
		if err != nil {
			return nil, err
		}
		dir = filepath.Join(contentDir, filepath.FromSlash(m))
	} else if highest.Number > 0 {
		dir = filepath.Dir(highest.Path)
	}
	res := &NewResult{Session: highest.Number + 1}
	if info, err := os.Stat(dir); err != nil {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		if dir != contentDir {
			res.Notes = append(res.Notes, fmt.Sprintf("created the folder %s; give it an _index.md with a title and weight to make it a module", dir))
		}
	} else if !info.IsDir() {
		return nil, usagef("%s is a file, not a folder", dir)
	}
	res.Path = filepath.Join(dir, fileName(res.Session, title))
	if err := writeNew(res.Path, SessionStub(title, res.Session)); err != nil {
		return nil, err
	}
	return res, nil
}

// modulePath reads --module: "day-3", "content/day-3" or "./content/day-3/"
// all name content/day-3. It must stay inside content/.
func modulePath(m string) (string, error) {
	s := path.Clean(filepath.ToSlash(m))
	if path.IsAbs(s) || filepath.IsAbs(m) || filepath.VolumeName(m) != "" {
		return "", usagef("--module %s: give a folder under content/, such as day-3", m)
	}
	s = strings.TrimPrefix(s, content.Dir+"/")
	if s == content.Dir || s == "." {
		return ".", nil
	}
	if s == ".." || strings.HasPrefix(s, "../") {
		return "", usagef("--module %s: the folder must be inside content/", m)
	}
	return s, nil
}

// SessionStub is the Markdown `flipchart new session` writes.
//
// It is not a draft: an author who has just run the command expects to see
// the page in `flipchart serve`, which leaves drafts out unless asked. The
// comment above `draft` says how to hold the session back.
func SessionStub(title string, session int) []byte {
	var b strings.Builder
	b.WriteString("+++\n")
	b.WriteString("title = " + tomlString(title) + "\n")
	fmt.Fprintf(&b, "session = %d\n", session)
	b.WriteString(`# How long the session takes: "15–30 min", "45 min", "1 h 30 min".` + "\n")
	b.WriteString(`time = "30–45 min"` + "\n")
	b.WriteString("# The order among the module's pages, lower first.\n")
	fmt.Fprintf(&b, "weight = %d\n", session)
	b.WriteString(`# What participants do, e.g. ["Brainstorm exercise", "Small-group work"].` + "\n")
	b.WriteString("activities = []\n")
	b.WriteString(`# What the session is for, one string each, e.g. "to identify the threats a group faces".` + "\n")
	b.WriteString("objectives = []\n")
	b.WriteString(`# What the trainer needs, e.g. ["Flipchart paper", "Markers"]; the exercises' materials are added.` + "\n")
	b.WriteString("materials = []\n")
	b.WriteString("# One sentence, shown under the title and in lists of sessions.\n")
	b.WriteString(`summary = ""` + "\n")
	b.WriteString("# true leaves the session out of the site until it is ready (build or serve with --drafts to see it).\n")
	b.WriteString("draft = false\n")
	b.WriteString("+++\n\n")

	b.WriteString("::: adaptation\n")
	b.WriteString("How to adapt the session to a group, a context or less time (trainers only).\n")
	b.WriteString(":::\n\n")
	// The exercise's time fits the session's; format and materials are left
	// empty for the author to fill in, so nothing made up is published.
	b.WriteString(":::: exercise " + attrSafe(title) + ` {format="" time="30–45 min" materials=""}` + "\n\n")
	b.WriteString("::: summary\n")
	b.WriteString("What participants do in this exercise, in two or three sentences.\n")
	b.WriteString(":::\n\n")
	b.WriteString("::: keypoints Key explanation points\n")
	b.WriteString("- The points the facilitator explains, one a line (trainers only; write {audience=\"participants\"} after the title to give them to participants).\n")
	b.WriteString(":::\n\n")
	b.WriteString("::: facilitation\n")
	b.WriteString("Notes for facilitators: timing, pitfalls, what to watch for (left out of participant handouts).\n")
	b.WriteString(":::\n\n")
	b.WriteString("::::\n")
	return []byte(b.String())
}

// attrSafe keeps a container title from being read as attributes.
func attrSafe(title string) string {
	return strings.NewReplacer("{", "(", "}", ")").Replace(title)
}
