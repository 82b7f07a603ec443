package browser

import (
	"errors"
	"strings"
	"testing"
)

// fakeSystem is a computer of the given system holding the programs files,
// with the environment env.
func fakeSystem(goos string, env map[string]string, files ...string) System {
	have := map[string]bool{}
	for _, f := range files {
		have[f] = true
	}
	return System{
		OS:     goos,
		Getenv: func(k string) string { return env[k] },
		Program: func(p string) error {
			if have[p] {
				return nil
			}
			return errors.New("no such file")
		},
	}
}

var (
	winEnv = map[string]string{
		"ProgramFiles":      `C:\Program Files`,
		"ProgramFiles(x86)": `C:\Program Files (x86)`,
		"LocalAppData":      `C:\Users\ana\AppData\Local`,
		"PATH":              `C:\Windows\system32;C:\Windows;"C:\Tools\bin";.;tools`,
	}
	macEnv   = map[string]string{"HOME": "/Users/ana", "PATH": "/opt/homebrew/bin:/usr/bin:/bin"}
	linuxEnv = map[string]string{"HOME": "/home/ana", "PATH": "/usr/local/bin:/usr/bin:/bin"}
)

const (
	winChrome86   = `C:\Program Files (x86)\Google\Chrome\Application\chrome.exe`
	winChrome     = `C:\Program Files\Google\Chrome\Application\chrome.exe`
	winChromeUser = `C:\Users\ana\AppData\Local\Google\Chrome\Application\chrome.exe`
	winEdge86     = `C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe`
	winEdge       = `C:\Program Files\Microsoft\Edge\Application\msedge.exe`
	winChromium   = `C:\Users\ana\AppData\Local\Chromium\Application\chrome.exe`
	macChrome     = "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"
	macChromeUser = "/Users/ana/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"
	macChromium   = "/Applications/Chromium.app/Contents/MacOS/Chromium"
	macEdge       = "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge"
	macEdgeUser   = "/Users/ana/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge"
)

func TestSearch(t *testing.T) {
	tests := []struct {
		name   string
		os     string
		env    map[string]string
		files  []string
		flag   string
		want   Program
		errHas []string // when not nil, Search must fail with these in the error
	}{
		// Windows.
		{name: "windows edge only", os: "windows", env: winEnv, files: []string{winEdge86},
			want: Program{Name: "Microsoft Edge", Path: winEdge86}},
		{name: "windows chrome before edge", os: "windows", env: winEnv, files: []string{winEdge86, winEdge, winChrome86},
			want: Program{Name: "Google Chrome", Path: winChrome86}},
		{name: "windows 64-bit before 32-bit", os: "windows", env: winEnv, files: []string{winChrome86, winChrome, winChromeUser},
			want: Program{Name: "Google Chrome", Path: winChrome}},
		{name: "windows per-user chrome", os: "windows", env: winEnv, files: []string{winEdge, winChromeUser},
			want: Program{Name: "Google Chrome", Path: winChromeUser}},
		{name: "windows chromium before edge", os: "windows", env: winEnv, files: []string{winEdge, winChromium},
			want: Program{Name: "Chromium", Path: winChromium}},
		{name: "windows chrome before chromium", os: "windows", env: winEnv, files: []string{winChromium, winChromeUser},
			want: Program{Name: "Google Chrome", Path: winChromeUser}},
		{name: "windows without the variables", os: "windows", env: map[string]string{"USERPROFILE": `C:\Users\ana`},
			files: []string{winChromium},
			want:  Program{Name: "Chromium", Path: winChromium}},
		{name: "windows default Program Files", os: "windows", env: map[string]string{}, files: []string{winEdge86},
			want: Program{Name: "Microsoft Edge", Path: winEdge86}},
		{name: "windows msedge.exe on PATH", os: "windows", env: winEnv, files: []string{`C:\Tools\bin\msedge.exe`},
			want: Program{Name: "Microsoft Edge", Path: `C:\Tools\bin\msedge.exe`}},
		{name: "windows relative PATH entries are not searched", os: "windows", env: winEnv,
			files: []string{`.\chrome.exe`, `tools\chrome.exe`},
			errHas: []string{"install Google Chrome or Microsoft Edge, or set FLIPCHART_CHROMIUM",
				winChrome, winEdge86, winChromium, "chrome.exe, chromium.exe, msedge.exe on PATH"}},
		{name: "windows none", os: "windows", env: winEnv,
			errHas: []string{"install Google Chrome or Microsoft Edge, or set FLIPCHART_CHROMIUM", "--chrome PATH"}},
		{name: "windows variable", os: "windows", env: with(winEnv, EnvPath, `D:\portable\chrome.exe`),
			files: []string{winChrome, `D:\portable\chrome.exe`},
			want:  Program{Name: "Google Chrome", Path: `D:\portable\chrome.exe`, From: EnvPath}},
		{name: "windows variable, a name on PATH", os: "windows", env: with(winEnv, EnvPath, "msedge"),
			files: []string{winChrome, `C:\Windows\msedge.exe`},
			want:  Program{Name: "Microsoft Edge", Path: `C:\Windows\msedge.exe`, From: EnvPath}},
		{name: "windows flag", os: "windows", env: with(winEnv, EnvPath, winChrome), flag: `D:/chromium/chrome.exe`,
			files: []string{winChrome, `D:/chromium/chrome.exe`},
			want:  Program{Name: "Chromium", Path: `D:/chromium/chrome.exe`, From: FlagName}},
		{name: "windows variable names a missing file", os: "windows", env: with(winEnv, EnvPath, `D:\gone\chrome.exe`),
			files:  []string{winChrome},
			errHas: []string{EnvPath, `D:\\gone\\chrome.exe`, "no such file"}},

		// macOS.
		{name: "mac chrome", os: "darwin", env: macEnv, files: []string{macChrome},
			want: Program{Name: "Google Chrome", Path: macChrome}},
		{name: "mac chrome before chromium and edge", os: "darwin", env: macEnv, files: []string{macEdge, macChromium, macChrome},
			want: Program{Name: "Google Chrome", Path: macChrome}},
		{name: "mac chromium before edge", os: "darwin", env: macEnv, files: []string{macEdge, macChromium},
			want: Program{Name: "Chromium", Path: macChromium}},
		{name: "mac /Applications before ~/Applications", os: "darwin", env: macEnv, files: []string{macChromeUser, macChrome},
			want: Program{Name: "Google Chrome", Path: macChrome}},
		{name: "mac ~/Applications", os: "darwin", env: macEnv, files: []string{macEdgeUser},
			want: Program{Name: "Microsoft Edge", Path: macEdgeUser}},
		{name: "mac homebrew chromium on PATH", os: "darwin", env: macEnv, files: []string{"/opt/homebrew/bin/chromium"},
			want: Program{Name: "Chromium", Path: "/opt/homebrew/bin/chromium"}},
		{name: "mac apps before PATH", os: "darwin", env: macEnv, files: []string{"/opt/homebrew/bin/chromium", macEdgeUser},
			want: Program{Name: "Microsoft Edge", Path: macEdgeUser}},
		{name: "mac none", os: "darwin", env: macEnv,
			errHas: []string{"install Google Chrome or Microsoft Edge, or set FLIPCHART_CHROMIUM", macChrome, macEdgeUser}},
		{name: "mac flag wins over the variable", os: "darwin", env: with(macEnv, EnvPath, macChrome),
			flag: macEdge, files: []string{macChrome, macEdge},
			want: Program{Name: "Microsoft Edge", Path: macEdge, From: FlagName}},
		{name: "mac flag names a missing file", os: "darwin", env: macEnv, flag: "/Applications/Chrome",
			files:  []string{macChrome},
			errHas: []string{`--chrome "/Applications/Chrome"`, "no such file"}},

		// Linux.
		{name: "linux chromium first", os: "linux", env: linuxEnv,
			files: []string{"/usr/bin/google-chrome", "/usr/bin/microsoft-edge", "/usr/bin/chromium"},
			want:  Program{Name: "Chromium", Path: "/usr/bin/chromium"}},
		{name: "linux PATH order", os: "linux", env: linuxEnv,
			files: []string{"/usr/bin/chromium-browser", "/usr/local/bin/chromium-browser"},
			want:  Program{Name: "Chromium", Path: "/usr/local/bin/chromium-browser"}},
		{name: "linux google-chrome-stable", os: "linux", env: linuxEnv, files: []string{"/usr/bin/google-chrome-stable"},
			want: Program{Name: "Google Chrome", Path: "/usr/bin/google-chrome-stable"}},
		{name: "linux edge", os: "linux", env: linuxEnv, files: []string{"/usr/bin/microsoft-edge"},
			want: Program{Name: "Microsoft Edge", Path: "/usr/bin/microsoft-edge"}},
		{name: "linux fallback off PATH", os: "linux", env: map[string]string{"PATH": "/opt/x"}, files: []string{"/usr/bin/chromium"},
			want: Program{Name: "Chromium", Path: "/usr/bin/chromium"}},
		{name: "linux none", os: "linux", env: linuxEnv,
			errHas: []string{"apt-get install chromium", "FLIPCHART_CHROMIUM", "chromium, chromium-browser, google-chrome", "/usr/bin/chromium"}},
		{name: "linux variable", os: "linux", env: with(linuxEnv, EnvPath, "/opt/chrome/chrome"),
			files: []string{"/usr/bin/chromium", "/opt/chrome/chrome"},
			want:  Program{Name: "Google Chrome", Path: "/opt/chrome/chrome", From: EnvPath}},
		{name: "linux variable names a missing file", os: "linux", env: with(linuxEnv, EnvPath, "/opt/none"),
			files:  []string{"/usr/bin/chromium"},
			errHas: []string{`FLIPCHART_CHROMIUM="/opt/none"`, "no such file", "fix or unset it"}},
		{name: "linux flag names a missing name", os: "linux", env: linuxEnv, flag: "chromium-dev",
			files:  []string{"/usr/bin/chromium"},
			errHas: []string{`--chrome "chromium-dev"`, "not found on PATH"}},
		{name: "linux flag wins", os: "linux", env: with(linuxEnv, EnvPath, "/usr/bin/chromium"), flag: "google-chrome",
			files: []string{"/usr/bin/chromium", "/usr/bin/google-chrome"},
			want:  Program{Name: "Google Chrome", Path: "/usr/bin/google-chrome", From: FlagName}},
		{name: "other unix", os: "freebsd", env: map[string]string{"PATH": "/usr/local/bin"}, files: []string{"/usr/local/bin/chrome"},
			errHas: []string{"install Chromium"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Search(fakeSystem(tt.os, tt.env, tt.files...), tt.flag)
			if tt.errHas != nil {
				if err == nil {
					t.Fatalf("Search = %v, want an error", got)
				}
				if !errors.Is(err, ErrNotFound) {
					t.Errorf("error does not wrap ErrNotFound: %v", err)
				}
				for _, s := range tt.errHas {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error lacks %q:\n%v", s, err)
					}
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("Search = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func with(env map[string]string, k, v string) map[string]string {
	out := map[string]string{k: v}
	for key, val := range env {
		if key != k {
			out[key] = val
		}
	}
	return out
}

func TestProgramString(t *testing.T) {
	for p, want := range map[Program]string{
		{Name: "Google Chrome", Path: macChrome}:                      "Google Chrome (" + macChrome + ")",
		{Name: "Chromium", Path: "/usr/bin/chromium", From: FlagName}: "Chromium (/usr/bin/chromium, set by --chrome)",
	} {
		if got := p.String(); got != want {
			t.Errorf("%+v.String() = %q, want %q", p, got, want)
		}
	}
}

func TestInstallHint(t *testing.T) {
	for goos, want := range map[string]string{
		"windows": "install Google Chrome or Microsoft Edge, or set FLIPCHART_CHROMIUM",
		"darwin":  "install Google Chrome or Microsoft Edge, or set FLIPCHART_CHROMIUM",
		"linux":   "apt-get install chromium",
	} {
		if got := InstallHint(goos); !strings.Contains(got, want) {
			t.Errorf("InstallHint(%q) = %q, want it to say %q", goos, got, want)
		}
	}
}
