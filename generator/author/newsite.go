package author

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"
)

// siteStub is the manual `flipchart new site` writes. In its config.toml
// and content/_index.md, @TITLE@ stands for the manual's title, a TOML
// string.
//
//go:embed all:sitestub
var siteStub embed.FS

// SiteResult is what NewSite did.
type SiteResult struct {
	Dir   string   // the site's folder
	Title string   // the manual's title, from the folder's name
	Files []string // the files written, OS paths under Dir, in order
}

// NewSite writes a small working manual into dir: a config.toml with every
// key and a comment for each, a home page, a module with one session guide
// holding every container an author usually writes (a worksheet among
// them), and an agenda. dir may exist when it is an empty folder; a folder
// with anything in it, or a file, is an error wrapping ErrUsage, and nothing
// is written.
func NewSite(dir string) (*SiteResult, error) {
	if strings.TrimSpace(dir) == "" {
		return nil, usagef("the site needs a folder: flipchart new site DIR")
	}
	if info, err := os.Stat(dir); err == nil {
		if !info.IsDir() {
			return nil, usagef("%s is a file; give a new folder's name", dir)
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, err
		}
		if len(entries) > 0 {
			return nil, usagef("%s exists and is not empty; give a new folder's name (flipchart never writes over files)", dir)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	res := &SiteResult{Dir: dir, Title: siteTitle(filepath.Base(abs))}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	title := tomlString(res.Title)
	err = fs.WalkDir(siteStub, "sitestub", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(p, "sitestub"), "/")
		out := filepath.Join(dir, filepath.FromSlash(rel))
		if d.IsDir() {
			if rel == "" {
				return nil
			}
			return os.MkdirAll(out, 0o755)
		}
		data, err := fs.ReadFile(siteStub, p)
		if err != nil {
			return err
		}
		data = []byte(strings.ReplaceAll(string(data), "@TITLE@", title))
		if err := writeNew(out, data); err != nil {
			return err
		}
		res.Files = append(res.Files, out)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// siteTitle makes a manual's title from its folder's name: "my-manual" is
// "My manual". A name with no letters or digits gives "My manual" too.
func siteTitle(name string) string {
	words := strings.FieldsFunc(name, func(r rune) bool {
		return r == '-' || r == '_' || r == '.' || unicode.IsSpace(r)
	})
	t := strings.Join(words, " ")
	if !strings.ContainsFunc(t, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
		return "My manual"
	}
	r, n := utf8.DecodeRuneInString(t)
	return string(unicode.ToUpper(r)) + t[n:]
}

// SiteNextSteps is what to do after NewSite, for the terminal.
func SiteNextSteps(dir string) string {
	cd := dir
	if strings.ContainsAny(cd, " \t'\"&;|()<>$`") {
		cd = `"` + cd + `"`
	}
	return fmt.Sprintf(`Next steps:
  cd %s
  flipchart serve
then open http://localhost:1313/ in your browser. Edit the files in content/
with any text editor: every save shows in the browser at once.
flipchart build writes the site to public/; flipchart check lists every problem.
`, cd)
}
