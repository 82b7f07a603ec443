package browser

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"runtime"
	"strings"
)

// FlagName is the flag of `flipchart pdf` that names the browser to use. It
// wins over EnvPath and over the search.
const FlagName = "--chrome"

// Program is a browser that Locate or Search chose.
type Program struct {
	Name string // "Chromium", "Google Chrome", "Microsoft Edge", or the file's name
	Path string // the program to start
	// From says how it was chosen: FlagName, EnvPath, or "" when it was
	// found in a usual install place or on PATH.
	From string
}

// String is "Google Chrome (/Applications/...)", with ", set by --chrome"
// when it was named rather than found.
func (p Program) String() string {
	if p.From != "" {
		return fmt.Sprintf("%s (%s, set by %s)", p.Name, p.Path, p.From)
	}
	return fmt.Sprintf("%s (%s)", p.Name, p.Path)
}

// System is what Search reads of a computer, so that the search of one
// system can be tested on another.
type System struct {
	// OS is a runtime.GOOS: "windows", "darwin", "linux", ...
	OS string
	// Getenv returns an environment variable, "" when unset.
	Getenv func(key string) string
	// Program returns nil when path is a program that can be started, and
	// otherwise an error saying why not (it does not exist, is a folder, is
	// not executable).
	Program func(path string) error
}

// ThisSystem is the computer flipchart runs on.
func ThisSystem() System {
	return System{OS: runtime.GOOS, Getenv: os.Getenv, Program: isProgram}
}

func isProgram(p string) error {
	info, err := os.Stat(p)
	switch {
	case err != nil:
		if errors.Is(err, fs.ErrNotExist) {
			return errors.New("no such file")
		}
		return err
	case info.IsDir():
		return errors.New("is a folder, not a program")
	case !info.Mode().IsRegular():
		return errors.New("is not a regular file")
	case runtime.GOOS != "windows" && info.Mode().Perm()&0o111 == 0:
		return errors.New("is not executable")
	}
	return nil
}

// Locate returns the browser to use on this computer: the program given
// with --chrome (chrome, when not ""), else the one named by
// FLIPCHART_CHROMIUM, else the first found by the search of Search.
func Locate(chrome string) (Program, error) {
	return Search(ThisSystem(), chrome)
}

// candidate is a place a browser is usually installed.
type candidate struct {
	name string // the browser's name
	path string // a full path, or a program's name to look up on PATH
}

// Browsers' names.
const (
	chromium = "Chromium"
	chrome   = "Google Chrome"
	edge     = "Microsoft Edge"
)

// names are the programs looked up on PATH on Linux and other Unix systems,
// in order, after EnvPath. A variable for the tests.
var names = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "microsoft-edge", "microsoft-edge-stable"}

// fallback is tried last on Linux, for a PATH that lacks /usr/bin. A
// variable for the tests.
var fallback = "/usr/bin/chromium"

// candidates lists, in order, where a browser is looked for on the system.
//
// A browser that a person installed is preferred to one that came with the
// system: on Windows, where every computer has Edge, Chrome and Chromium
// come first; so on macOS. On Linux Chromium comes first, as before.
func candidates(sys System) []candidate {
	var out []candidate
	add := func(name, p string) {
		for _, c := range out {
			if c.path == p {
				return
			}
		}
		out = append(out, candidate{name, p})
	}
	switch sys.OS {
	case "windows":
		// Per-machine installs, 64- and 32-bit, then per-user ones.
		var roots []string
		for _, r := range []struct{ env, def string }{
			{"ProgramFiles", `C:\Program Files`},
			{"ProgramFiles(x86)", `C:\Program Files (x86)`},
			{"LocalAppData", ""},
		} {
			dir := sys.Getenv(r.env)
			if dir == "" && r.env == "LocalAppData" {
				if home := sys.Getenv("USERPROFILE"); home != "" {
					dir = winJoin(home, `AppData\Local`)
				}
			}
			if dir == "" {
				dir = r.def
			}
			if dir != "" {
				roots = append(roots, dir)
			}
		}
		for _, b := range []struct{ name, rel string }{
			{chrome, `Google\Chrome\Application\chrome.exe`},
			{chromium, `Chromium\Application\chrome.exe`},
			{edge, `Microsoft\Edge\Application\msedge.exe`},
		} {
			for _, r := range roots {
				add(b.name, winJoin(r, b.rel))
			}
		}
		add(chrome, "chrome.exe")
		add(chromium, "chromium.exe")
		add(edge, "msedge.exe")
		return out
	case "darwin":
		apps := []string{"/Applications"}
		if home := sys.Getenv("HOME"); strings.HasPrefix(home, "/") {
			apps = append(apps, path.Join(home, "Applications"))
		}
		for _, b := range []struct{ name, rel string }{
			{chrome, "Google Chrome.app/Contents/MacOS/Google Chrome"},
			{chromium, "Chromium.app/Contents/MacOS/Chromium"},
			{edge, "Microsoft Edge.app/Contents/MacOS/Microsoft Edge"},
		} {
			for _, a := range apps {
				add(b.name, path.Join(a, b.rel))
			}
		}
		// Homebrew and others put programs of these names on PATH too.
		for _, n := range names {
			add(nameOf(n), n)
		}
		return out
	}
	for _, n := range names {
		add(nameOf(n), n)
	}
	add(chromium, fallback)
	return out
}

// Search returns the browser to use on sys: the program chrome names (the
// value of --chrome) when it is not "", else the one EnvPath names when it
// is set, else the first that exists of the usual install places and
// programs on PATH (see the README for the lists of each system). A program
// named by the flag or the variable must exist; Search fails rather than
// pick another. Every error wraps ErrNotFound; when nothing is found it says
// what was looked for and what to install.
func Search(sys System, chrome string) (Program, error) {
	for _, named := range []struct{ from, value string }{{FlagName, chrome}, {EnvPath, sys.Getenv(EnvPath)}} {
		if named.value == "" {
			continue
		}
		p, err := resolve(sys, named.value)
		if err != nil {
			what, fix := fmt.Sprintf("%s=%q", named.from, named.value), "fix or unset it"
			if named.from == FlagName {
				what, fix = fmt.Sprintf("%s %q", named.from, named.value), "give the path of a browser's program"
			}
			return Program{}, fmt.Errorf("%w: %s is not a program that can be run (%v); %s",
				ErrNotFound, what, err, fix)
		}
		return Program{Name: nameOf(p), Path: p, From: named.from}, nil
	}
	var places, onPath []string
	for _, c := range candidates(sys) {
		if p, err := resolve(sys, c.path); err == nil {
			return Program{Name: c.name, Path: p}, nil
		}
		if hasDir(sys, c.path) {
			places = append(places, c.path)
		} else {
			onPath = append(onPath, c.path)
		}
	}
	looked := "$" + EnvPath
	if len(places) > 0 {
		looked += ", " + strings.Join(places, ", ")
	}
	if len(onPath) > 0 {
		looked += ", and " + strings.Join(onPath, ", ") + " on PATH"
	}
	return Program{}, fmt.Errorf("%w (looked for %s): %s", ErrNotFound, looked, InstallHint(sys.OS))
}

// InstallHint says what to install on the system os for `flipchart pdf` to
// work.
func InstallHint(os string) string {
	switch os {
	case "windows", "darwin":
		return fmt.Sprintf("install Google Chrome or Microsoft Edge, or set %s to the path of "+
			"a Chromium, Chrome or Edge program (or pass %s PATH to flipchart pdf)", EnvPath, FlagName)
	}
	return fmt.Sprintf("install Chromium, on Debian or Ubuntu with `apt-get install chromium`, "+
		"or set %s to the path of a Chromium or Chrome program (or pass %s PATH to flipchart pdf)", EnvPath, FlagName)
}

// resolve returns the program p names: p itself when it holds a folder, else
// the first program of that name in a folder of PATH.
func resolve(sys System, p string) (string, error) {
	win := sys.OS == "windows"
	if hasDir(sys, p) {
		if err := sys.Program(p); err != nil {
			return "", err
		}
		return p, nil
	}
	tries := []string{p}
	if win && !strings.Contains(p, ".") {
		tries = append(tries, p+".exe")
	}
	list := ":"
	if win {
		list = ";"
	}
	for _, dir := range strings.Split(sys.Getenv("PATH"), list) {
		if win && len(dir) >= 2 && dir[0] == '"' && dir[len(dir)-1] == '"' {
			dir = dir[1 : len(dir)-1]
		}
		// A relative folder on PATH (or an empty one, the current folder)
		// is not searched, as os/exec refuses such results.
		if !isAbs(win, dir) {
			continue
		}
		for _, name := range tries {
			full := path.Join(dir, name)
			if win {
				full = winJoin(dir, name)
			}
			if sys.Program(full) == nil {
				return full, nil
			}
		}
	}
	return "", errors.New("not found on PATH")
}

// hasDir reports whether p holds a folder, rather than being a name to look
// up on PATH.
func hasDir(sys System, p string) bool {
	return strings.ContainsRune(p, '/') || (sys.OS == "windows" && strings.ContainsAny(p, `\:`))
}

func isAbs(win bool, dir string) bool {
	if !win {
		return strings.HasPrefix(dir, "/")
	}
	return strings.HasPrefix(dir, `\\`) ||
		(len(dir) >= 3 && dir[1] == ':' && (dir[2] == '\\' || dir[2] == '/'))
}

// winJoin joins a Windows folder and a relative path, whatever the system
// flipchart runs on.
func winJoin(dir, rel string) string {
	return strings.TrimRight(dir, `\/`) + `\` + rel
}

// nameOf tells a browser's name from its program's path.
func nameOf(p string) string {
	base := p[strings.LastIndexAny(p, `/\`)+1:]
	low := strings.ToLower(base)
	switch {
	case strings.Contains(low, "edge"):
		return edge
	case strings.Contains(low, "chromium"):
		return chromium
	case strings.Contains(low, "chrome"):
		if strings.Contains(strings.ToLower(p), "chromium") {
			return chromium // Chromium\Application\chrome.exe
		}
		return chrome
	}
	return base
}
