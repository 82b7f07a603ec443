// Command release builds flipchart's release binaries: one for each of
// Windows, macOS and Linux on amd64 and arm64, with the default theme
// embedded, into dist/, with a SHA256SUMS file beside them.
//
//	go run ./generator/internal/release [-dist dist] [-version V] [-targets linux/amd64,linux/arm64]
//
// `make release` runs it. The same sources and Go toolchain give the same
// bytes wherever they are built: the binaries are built with -trimpath,
// CGO_ENABLED=0, no VCS stamp, an empty build ID and no build time; the
// version, stamped in with -X main.version, is `git describe --tags --always
// --dirty` of the sources, or "dev" without git. RELEASE_TARGETS (or
// -targets) restricts the targets.
//
// dist/ changes only when every target built: a target that fails is named
// with the compiler's output, and the old dist/ stays as it was.
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// target is one operating system and architecture a release is built for.
type target struct{ OS, Arch string }

func (t target) String() string { return t.OS + "/" + t.Arch }

// fileName is the binary's name in dist/: flipchart-VERSION-OS-ARCH, with
// .exe on Windows.
func (t target) fileName(version string) string {
	name := "flipchart-" + version + "-" + t.OS + "-" + t.Arch
	if t.OS == "windows" {
		name += ".exe"
	}
	return name
}

// allTargets are the systems authors use: Windows, macOS (Intel and Apple
// silicon) and Linux, each on amd64 and arm64.
var allTargets = []target{
	{"windows", "amd64"}, {"windows", "arm64"},
	{"darwin", "amd64"}, {"darwin", "arm64"},
	{"linux", "amd64"}, {"linux", "arm64"},
}

// parseTargets reads a list such as "linux/amd64, darwin/arm64" (commas or
// spaces between); empty means every target.
func parseTargets(s string) ([]target, error) {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' })
	if len(fields) == 0 {
		return slices.Clone(allTargets), nil
	}
	var out []target
	for _, f := range fields {
		i := slices.IndexFunc(allTargets, func(t target) bool { return t.String() == f })
		if i < 0 {
			var names []string
			for _, t := range allTargets {
				names = append(names, t.String())
			}
			return nil, fmt.Errorf("unknown target %q; the targets are %s", f, strings.Join(names, ", "))
		}
		if !slices.Contains(out, allTargets[i]) {
			out = append(out, allTargets[i])
		}
	}
	return out, nil
}

// Package is the command the binaries are built from.
const Package = "./generator/cmd/flipchart"

// SumsFile is the name of the checksums file in dist/.
const SumsFile = "SHA256SUMS"

// options say what to build and where.
type options struct {
	Root    string   // the module's folder, holding go.mod
	Dist    string   // the folder to write the binaries and SHA256SUMS to
	Version string   // stamped into the binaries and their names
	Targets []target // what to build for
	Env     []string // more environment for go build, e.g. GOCACHE=…
	Log     io.Writer
}

// failure is a target that did not build, with go build's output.
type failure struct {
	Target target
	Output string
}

// BuildError names every target that failed to build.
type BuildError struct{ Failed []failure }

func (e *BuildError) Error() string {
	var names []string
	for _, f := range e.Failed {
		names = append(names, f.Target.String())
	}
	return fmt.Sprintf("%d target(s) failed to build: %s", len(e.Failed), strings.Join(names, ", "))
}

// goCmd is the go command: $GO, else go from PATH.
func goCmd() string {
	if g := os.Getenv("GO"); g != "" {
		return g
	}
	return "go"
}

// buildEnv is the environment of go build for t: the caller's, without
// anything that would change the output, then the fixed settings.
func buildEnv(t target, extra []string) []string {
	drop := []string{"GOOS", "GOARCH", "CGO_ENABLED", "GOFLAGS", "GOAMD64", "GOARM64", "GOARM", "GO386", "GOEXPERIMENT"}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(drop, k) {
			env = append(env, kv)
		}
	}
	return append(append(env,
		"GOOS="+t.OS, "GOARCH="+t.Arch, "CGO_ENABLED=0",
		// The baseline of each architecture, whatever the machine sets.
		"GOAMD64=v1", "GOARM64=v8.0",
		// Set, so that a GOFLAGS of the go env file does not apply.
		"GOFLAGS=-mod=readonly",
	), extra...)
}

// buildArgs are go build's arguments for one binary.
func buildArgs(version, out string) []string {
	return []string{"build", "-trimpath", "-buildvcs=false",
		"-ldflags", "-s -w -buildid= -X main.version=" + version,
		"-o", out, Package}
}

// release builds every target into a temporary folder in opt.Dist, writes
// SHA256SUMS, then replaces the release files in opt.Dist with them. It
// returns the names written, binaries first. When a target fails it tries
// the rest, leaves opt.Dist as it was and returns a *BuildError.
func release(opt options) ([]string, error) {
	log := opt.Log
	if log == nil {
		log = io.Discard
	}
	if err := os.MkdirAll(opt.Dist, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(opt.Dist, ".release-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	var names []string
	berr := &BuildError{}
	for _, t := range opt.Targets {
		name := t.fileName(opt.Version)
		out, err := filepath.Abs(filepath.Join(tmp, name))
		if err != nil {
			return nil, err
		}
		cmd := exec.Command(goCmd(), buildArgs(opt.Version, out)...)
		cmd.Dir = opt.Root
		cmd.Env = buildEnv(t, opt.Env)
		output, err := cmd.CombinedOutput()
		if err != nil {
			msg := strings.TrimSpace(string(output))
			if msg == "" {
				msg = err.Error()
			}
			berr.Failed = append(berr.Failed, failure{Target: t, Output: msg})
			fmt.Fprintf(log, "release: %s: FAILED to build:\n\t%s\n", t, strings.ReplaceAll(msg, "\n", "\n\t"))
			continue
		}
		fmt.Fprintf(log, "release: %s: %s\n", t, name)
		names = append(names, name)
	}
	if len(berr.Failed) > 0 {
		return nil, berr
	}
	sums, err := checksums(tmp, names)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(tmp, SumsFile), sums, 0o644); err != nil {
		return nil, err
	}
	// Swap: the release files of an earlier run go, the new ones come in.
	old, err := filepath.Glob(filepath.Join(opt.Dist, "flipchart-*"))
	if err != nil {
		return nil, err
	}
	for _, p := range append(old, filepath.Join(opt.Dist, SumsFile)) {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
	}
	names = append(names, SumsFile)
	for _, n := range names {
		if err := os.Rename(filepath.Join(tmp, n), filepath.Join(opt.Dist, n)); err != nil {
			return nil, err
		}
	}
	fmt.Fprintf(log, "release: wrote %d binaries and %s to %s\n", len(names)-1, SumsFile, opt.Dist)
	return names, nil
}

// checksums is the SHA256SUMS of the named files of dir, in the format of
// sha256sum (hash, two spaces, name), sorted by name.
func checksums(dir string, names []string) ([]byte, error) {
	names = slices.Sorted(slices.Values(names))
	var b bytes.Buffer
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(data)
		fmt.Fprintf(&b, "%s  %s\n", hex.EncodeToString(sum[:]), n)
	}
	return b.Bytes(), nil
}

// unsafeVersion matches what may not go in a version: it is part of file
// names and of the -ldflags argument.
var unsafeVersion = regexp.MustCompile(`[^A-Za-z0-9._+-]+`)

// cleanVersion makes v safe for file names; empty is "dev".
func cleanVersion(v string) string {
	v = strings.Trim(unsafeVersion.ReplaceAllString(strings.TrimSpace(v), "-"), "-")
	if v == "" {
		return "dev"
	}
	return v
}

// gitVersion is `git describe --tags --always --dirty` in root, or "dev"
// when git or the repository is missing.
func gitVersion(root string) string {
	cmd := exec.Command("git", "describe", "--tags", "--always", "--dirty")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		return "dev"
	}
	return cleanVersion(string(out))
}

// moduleRoot is the folder of the go.mod that dir is in.
func moduleRoot(dir string) (string, error) {
	cmd := exec.Command(goCmd(), "env", "GOMOD")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %v", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", fmt.Errorf("%s is not inside the flipchart module", dir)
	}
	return filepath.Dir(mod), nil
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("release", flag.ContinueOnError)
	fl.SetOutput(stderr)
	dist := fl.String("dist", "dist", "the folder to write the binaries and "+SumsFile+" to")
	version := fl.String("version", "", `the version to stamp in (default: git describe --tags --always --dirty, or "dev")`)
	targets := fl.String("targets", os.Getenv("RELEASE_TARGETS"), "the targets to build, comma-separated (default: $RELEASE_TARGETS, else all six)")
	if fl.Parse(args) != nil {
		return 2
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "release: unexpected argument %q\n", fl.Arg(0))
		return 2
	}
	ts, err := parseTargets(*targets)
	if err != nil {
		fmt.Fprintf(stderr, "release: %v\n", err)
		return 2
	}
	wd, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(stderr, "release: %v\n", err)
		return 1
	}
	root, err := moduleRoot(wd)
	if err != nil {
		fmt.Fprintf(stderr, "release: %v\n", err)
		return 1
	}
	v := cleanVersion(*version)
	if *version == "" {
		v = gitVersion(root)
	}
	d := *dist
	if !filepath.IsAbs(d) {
		d = filepath.Join(wd, d)
	}
	fmt.Fprintf(stdout, "release: flipchart %s for %d target(s) into %s\n", v, len(ts), *dist)
	if _, err := release(options{Root: root, Dist: d, Version: v, Targets: ts, Log: stdout}); err != nil {
		fmt.Fprintf(stderr, "release: %v; %s is unchanged\n", err, *dist)
		return 1
	}
	return 0
}
