package author

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"flipchart/generator/content"
	"flipchart/generator/diag"
)

// MarkCurrent records in a translation (content/day-3/11-next-steps.es.md)
// that it is up to date with the page it translates: it sets the front
// matter's source_hash to the page's content.TextHash, which flipchart
// check compares with the page's as it changes. file is the
// translation's path, as the author gives it (relative to the current
// folder or absolute). It returns the hash written; a file that is no
// translation, or whose page does not exist or has errors, is an error
// wrapping ErrUsage.
func MarkCurrent(file string) (string, error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return "", err
	}
	rel, site, ok := contentPath(abs)
	if !ok {
		return "", usagef("%s is not under a content/ folder: name a translation of a page, such as content/day-3/11-next-steps.es.md", file)
	}
	base, lang := content.SplitLang(rel)
	if lang == "" {
		return "", usagef("%s is not a translation: a translation is named after its page with the language's code before .md, such as 11-next-steps.es.md", file)
	}
	baseFile := filepath.Join(site, content.Dir, filepath.FromSlash(base))
	data, err := os.ReadFile(baseFile)
	if err != nil {
		return "", usagef("%s translates %s, which cannot be read: %v", file, filepath.Join(content.Dir, filepath.FromSlash(base)), err)
	}
	var diags diag.List
	src := content.Parse(content.Dir+"/"+base, data, &diags)
	if src == nil || diags.HasErrors() {
		return "", usagef("%s has errors; correct them first (flipchart check lists them)", filepath.Join(content.Dir, filepath.FromSlash(base)))
	}
	sum, err := src.TextHash(nil)
	if err != nil {
		return "", err
	}
	tr, err := os.ReadFile(abs)
	if err != nil {
		return "", err
	}
	out, err := setSourceHash(tr, sum)
	if err != nil {
		return "", usagef("%s: %v", file, err)
	}
	if bytes.Equal(out, tr) {
		return sum, nil
	}
	return sum, writeReplace(abs, out)
}

// contentPath splits an absolute path under a site's content/ folder into
// the path under it, with forward slashes, and the site's folder.
func contentPath(abs string) (rel, site string, ok bool) {
	for dir := filepath.Dir(abs); ; dir = filepath.Dir(dir) {
		if filepath.Base(dir) == content.Dir {
			r, err := filepath.Rel(dir, abs)
			return filepath.ToSlash(r), filepath.Dir(dir), err == nil
		}
		if filepath.Dir(dir) == dir {
			return "", "", false
		}
	}
}

var (
	sourceHashLine = regexp.MustCompile(`(?m)^[ \t]*source_hash[ \t]*=.*$`)
	tableLine      = regexp.MustCompile(`(?m)^[ \t]*\[`)
)

// setSourceHash sets source_hash in the TOML front matter of a content
// file, in place of the line there is or as a new line at the end of the
// top-level keys, keeping the file's line endings.
func setSourceHash(data []byte, sum string) ([]byte, error) {
	nl := "\n"
	if bytes.Contains(data, []byte("\r\n")) {
		nl = "\r\n"
	}
	bom := bytes.HasPrefix(data, []byte("\xEF\xBB\xBF"))
	text := strings.TrimPrefix(string(data), "\xEF\xBB\xBF")
	if !strings.HasPrefix(text, "+++") {
		return nil, fmt.Errorf("it has no TOML front matter between +++ lines: add one with the title")
	}
	first := strings.Index(text, nl)
	end := strings.Index(text[first:], nl+"+++")
	if first < 0 || end < 0 {
		return nil, fmt.Errorf("its front matter has no closing +++ line")
	}
	end += first
	front := text[first:end]
	line := `source_hash = "` + sum + `"`
	if loc := sourceHashLine.FindStringIndex(front); loc != nil {
		front = front[:loc[0]] + line + front[loc[1]:]
	} else {
		// Before the first table ([params], [[days]]): a key after one
		// would belong to it.
		at := len(front)
		if m := tableLine.FindStringIndex(front); m != nil {
			at = m[0] - len(nl)
			for at >= len(nl) && front[at-len(nl):at] == nl {
				at -= len(nl) // the blank lines before the table stay before it
			}
		}
		front = front[:at] + nl + line + front[at:]
	}
	out := text[:first] + front + text[end:]
	if bom {
		out = "\xEF\xBB\xBF" + out
	}
	return []byte(out), nil
}
