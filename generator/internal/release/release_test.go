package main

// The release check: FLIPCHART_RELEASE_CHECK=1 builds every target twice,
// the second time from a copy of the sources in another folder with an empty
// build cache, and checks that the two dist/ folders are identical byte for
// byte, that each binary is the right format for its system and
// architecture, that SHA256SUMS holds each binary's real hash, that no
// binary holds a folder of this machine, and that the binary for this
// machine, copied alone into an empty folder, makes and builds a site.
// RELEASE_TARGETS restricts the targets, as for `make release`.
//
// Without FLIPCHART_RELEASE_CHECK only the quick tests run.

import (
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseTargets(t *testing.T) {
	all, err := parseTargets("")
	if err != nil || len(all) != 6 {
		t.Fatalf("parseTargets(\"\") = %v, %v; want all six", all, err)
	}
	got, err := parseTargets("linux/amd64, darwin/arm64 linux/amd64")
	if err != nil || !slices.Equal(got, []target{{"linux", "amd64"}, {"darwin", "arm64"}}) {
		t.Errorf("parseTargets = %v, %v", got, err)
	}
	if _, err := parseTargets("plan9/386"); err == nil || !strings.Contains(err.Error(), "windows/amd64") {
		t.Errorf("an unknown target: %v; want an error listing the targets", err)
	}
	for tg, want := range map[target]string{
		{"windows", "arm64"}: "flipchart-v1.2.0-windows-arm64.exe",
		{"darwin", "arm64"}:  "flipchart-v1.2.0-darwin-arm64",
		{"linux", "amd64"}:   "flipchart-v1.2.0-linux-amd64",
	} {
		if got := tg.fileName("v1.2.0"); got != want {
			t.Errorf("%s: %s, want %s", tg, got, want)
		}
	}
	for in, want := range map[string]string{
		"v1.2.0-3-gabc1234-dirty\n": "v1.2.0-3-gabc1234-dirty",
		"":                          "dev",
		" a b/c ":                   "a-b-c",
		"$(rm -rf)":                 "rm--rf",
	} {
		if got := cleanVersion(in); got != want {
			t.Errorf("cleanVersion(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCheckFormat runs the format check on the test's own binary: right for
// this machine, wrong for every other target of another system or
// architecture.
func TestCheckFormat(t *testing.T) {
	host := target{runtime.GOOS, runtime.GOARCH}
	if !slices.Contains(allTargets, host) {
		t.Skipf("%s is not a release target", host)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if err := checkFormat(exe, host); err != nil {
		t.Errorf("the test binary for %s: %v", host, err)
	}
	for _, tg := range allTargets {
		if tg != host {
			if err := checkFormat(exe, tg); err == nil {
				t.Errorf("the test binary for %s passes as one for %s", host, tg)
			}
		}
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	sums, _ := checksums(dir, []string{"a"})
	if err := os.WriteFile(filepath.Join(dir, SumsFile), sums, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := checkSums(dir, []string{"a"}); err != nil {
		t.Errorf("checkSums: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "a"), []byte("y"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := checkSums(dir, []string{"a"}); err == nil {
		t.Errorf("checkSums passes a file whose hash changed")
	}
}

// checkFormat reports whether the file at p is an executable for t, read
// with debug/pe, debug/macho or debug/elf.
func checkFormat(p string, t target) error {
	switch t.OS {
	case "windows":
		f, err := pe.Open(p)
		if err != nil {
			return fmt.Errorf("not a PE (Windows) executable: %v", err)
		}
		defer f.Close()
		want := map[string]uint16{"amd64": pe.IMAGE_FILE_MACHINE_AMD64, "arm64": pe.IMAGE_FILE_MACHINE_ARM64}[t.Arch]
		if f.Machine != want {
			return fmt.Errorf("PE machine %#x, want %#x (%s)", f.Machine, want, t.Arch)
		}
		oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
		if !ok {
			return fmt.Errorf("not a 64-bit PE executable")
		}
		if oh.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_CUI {
			return fmt.Errorf("PE subsystem %d, want the console (%d)", oh.Subsystem, pe.IMAGE_SUBSYSTEM_WINDOWS_CUI)
		}
	case "darwin":
		f, err := macho.Open(p)
		if err != nil {
			return fmt.Errorf("not a Mach-O (macOS) executable: %v", err)
		}
		defer f.Close()
		want := map[string]macho.Cpu{"amd64": macho.CpuAmd64, "arm64": macho.CpuArm64}[t.Arch]
		if f.Cpu != want {
			return fmt.Errorf("Mach-O CPU %v, want %v", f.Cpu, want)
		}
		if f.Type != macho.TypeExec {
			return fmt.Errorf("Mach-O type %v, want an executable", f.Type)
		}
	case "linux":
		f, err := elf.Open(p)
		if err != nil {
			return fmt.Errorf("not an ELF (Linux) executable: %v", err)
		}
		defer f.Close()
		want := map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}[t.Arch]
		if f.Machine != want || f.Class != elf.ELFCLASS64 {
			return fmt.Errorf("ELF %v %v, want %v ELFCLASS64", f.Machine, f.Class, want)
		}
		if f.Type != elf.ET_EXEC && f.Type != elf.ET_DYN {
			return fmt.Errorf("ELF type %v, want an executable", f.Type)
		}
	default:
		return fmt.Errorf("no check for %s", t.OS)
	}
	return nil
}

// checkStatic reports whether a Linux binary runs without a dynamic loader,
// so on any distribution: CGO_ENABLED=0 took.
func checkStatic(p string) error {
	f, err := elf.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	for _, prog := range f.Progs {
		if prog.Type == elf.PT_INTERP {
			return errors.New("dynamically linked (it has a PT_INTERP): CGO_ENABLED=0 did not take")
		}
	}
	if f.Type != elf.ET_EXEC {
		return fmt.Errorf("ELF type %v, want a static executable (ET_EXEC)", f.Type)
	}
	return nil
}

// checkSums reports whether dir's SHA256SUMS lists exactly names, sorted,
// each with its file's hash, in the format sha256sum -c reads.
func checkSums(dir string, names []string) error {
	data, err := os.ReadFile(filepath.Join(dir, SumsFile))
	if err != nil {
		return err
	}
	var listed []string
	for i, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		sum, name, ok := strings.Cut(line, "  ")
		if !ok || len(sum) != 64 || strings.ContainsAny(name, "/\\") {
			return fmt.Errorf("%s:%d: %q is not \"HASH  NAME\"", SumsFile, i+1, line)
		}
		file, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return fmt.Errorf("%s:%d: %v", SumsFile, i+1, err)
		}
		real := sha256.Sum256(file)
		if hex.EncodeToString(real[:]) != sum {
			return fmt.Errorf("%s:%d: %s is listed as %s but its SHA-256 is %x", SumsFile, i+1, name, sum, real)
		}
		listed = append(listed, name)
	}
	if !slices.IsSorted(listed) {
		return fmt.Errorf("%s is not sorted by name: %v", SumsFile, listed)
	}
	if want := slices.Sorted(slices.Values(names)); !slices.Equal(listed, want) {
		return fmt.Errorf("%s lists %v, want %v", SumsFile, listed, want)
	}
	return nil
}

// copyTree copies the sources in root to dst, without .git, dist/ and
// public/.
func copyTree(root, dst string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if rel == "dist" || rel == "public" || d.Name() == ".git" {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		out := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(out, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(out, data, 0o644)
	})
}

// goEnv is `go env NAME`.
func goEnv(t *testing.T, name string) string {
	out, err := exec.Command(goCmd(), "env", name).Output()
	if err != nil {
		t.Fatalf("go env %s: %v", name, err)
	}
	return strings.TrimSpace(string(out))
}

// runRelease builds opt, failing the test with every target that did not
// build and go build's output for it.
func runRelease(t *testing.T, what string, opt options) []string {
	t.Helper()
	start := time.Now()
	names, err := release(opt)
	var berr *BuildError
	if errors.As(err, &berr) {
		var b strings.Builder
		for _, f := range berr.Failed {
			fmt.Fprintf(&b, "\n%s FAILED to build:\n\t%s", f.Target, strings.ReplaceAll(f.Output, "\n", "\n\t"))
		}
		t.Fatalf("%s: %v (restrict the targets with RELEASE_TARGETS to check the others)%s", what, err, b.String())
	}
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	t.Logf("%s: %d targets in %s", what, len(opt.Targets), time.Since(start).Round(time.Second))
	return names
}

func TestRelease(t *testing.T) {
	if os.Getenv("FLIPCHART_RELEASE_CHECK") != "1" {
		t.Skip("set FLIPCHART_RELEASE_CHECK=1 to build the release twice and check it (make release-check)")
	}
	targets, err := parseTargets(os.Getenv("RELEASE_TARGETS"))
	if err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	root, err := moduleRoot(wd)
	if err != nil {
		t.Fatal(err)
	}
	version := gitVersion(root)
	tmp := t.TempDir()
	distA, distB := filepath.Join(tmp, "a", "dist"), filepath.Join(tmp, "b", "dist")

	names := runRelease(t, "first build", options{Root: root, Dist: distA, Version: version, Targets: targets})
	// The second from another folder and an empty build cache: the same
	// bytes must come from the sources alone.
	src := filepath.Join(tmp, "elsewhere", "flipchart")
	if err := copyTree(root, src); err != nil {
		t.Fatal(err)
	}
	cache := filepath.Join(tmp, "gocache")
	runRelease(t, "second build, from a copy with an empty cache", options{Root: src, Dist: distB, Version: version, Targets: targets,
		Env: []string{"GOCACHE=" + cache}})

	// Byte for byte the same.
	list := func(dir string) []string {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range entries {
			out = append(out, e.Name())
		}
		return out
	}
	if a, b := list(distA), list(distB); !slices.Equal(a, b) {
		t.Fatalf("the two builds wrote different files:\n%v\n%v", a, b)
	}
	wantNames := []string{SumsFile}
	for _, tg := range targets {
		wantNames = append(wantNames, tg.fileName(version))
	}
	if got := list(distA); !slices.Equal(got, slices.Sorted(slices.Values(wantNames))) || !slices.Equal(slices.Sorted(slices.Values(names)), got) {
		t.Errorf("dist holds %v, want %v", got, wantNames)
	}
	for _, n := range list(distA) {
		a, _ := os.ReadFile(filepath.Join(distA, n))
		b, _ := os.ReadFile(filepath.Join(distB, n))
		if !bytes.Equal(a, b) {
			i := 0
			for i < len(a) && i < len(b) && a[i] == b[i] {
				i++
			}
			t.Errorf("%s differs between the two builds: %d and %d bytes, first difference at byte %d", n, len(a), len(b), i)
		}
	}

	// The format, the sums, no machine's folders.
	var machine []string
	for _, p := range []string{root, src, tmp, cache, goEnv(t, "GOROOT"), goEnv(t, "GOMODCACHE"), goEnv(t, "GOCACHE")} {
		if len(p) > 4 {
			machine = append(machine, p)
		}
	}
	var bins []string
	for _, tg := range targets {
		n := tg.fileName(version)
		bins = append(bins, n)
		p := filepath.Join(distA, n)
		if err := checkFormat(p, tg); err != nil {
			t.Errorf("%s (%s): %v", n, tg, err)
		}
		if tg.OS == "linux" {
			if err := checkStatic(p); err != nil {
				t.Errorf("%s: %v", n, err)
			}
		}
		data, _ := os.ReadFile(p)
		for _, m := range machine {
			if bytes.Contains(data, []byte(m)) {
				t.Errorf("%s holds the folder %s of the machine that built it", n, m)
			}
		}
		if !bytes.Contains(data, []byte(version)) {
			t.Errorf("%s does not hold its version %s", n, version)
		}
	}
	if err := checkSums(distA, bins); err != nil {
		t.Error(err)
	}

	host := target{runtime.GOOS, runtime.GOARCH}
	if slices.Contains(targets, host) {
		checkAlone(t, filepath.Join(distA, host.fileName(version)), version)
	} else {
		t.Logf("%s is not among the targets built: the binary is not run", host)
	}
}

// checkAlone copies the binary for this machine into an empty folder and
// runs it there: its version, then a new site, built and checked, with no
// theme or sources beside it.
func checkAlone(t *testing.T, bin, version string) {
	dir := t.TempDir()
	exe := filepath.Join(dir, "flipchart")
	if runtime.GOOS == "windows" {
		exe += ".exe"
	}
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(exe, data, 0o755); err != nil {
		t.Fatal(err)
	}
	runIn := func(wd string, args ...string) string {
		t.Helper()
		cmd := exec.Command(exe, args...)
		cmd.Dir = wd
		cmd.Env = append(os.Environ(), "HOME="+dir)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("flipchart %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	if out := runIn(dir, "version"); !strings.HasPrefix(out, "flipchart "+version+"\n") {
		t.Errorf("flipchart version prints %q, want it to start with %q", out, "flipchart "+version)
	}
	runIn(dir, "new", "site", "manual")
	site := filepath.Join(dir, "manual")
	runIn(site, "build")
	if _, err := os.Stat(filepath.Join(site, "public", "index.html")); err != nil {
		t.Errorf("the binary alone did not build the new site: %v", err)
	}
	if out := runIn(site, "check", "--strict"); !strings.Contains(out, "0 errors, 0 warnings") {
		t.Errorf("flipchart check of the new site:\n%s", out)
	}
}
