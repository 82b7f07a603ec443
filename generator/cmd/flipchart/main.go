// Command flipchart publishes facilitation curricula: it builds a folder of
// Markdown session guides into a static site of guides, handouts and
// worksheets.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"flipchart/generator/author"
	"flipchart/generator/browser"
	"flipchart/generator/build"
	"flipchart/generator/diag"
	"flipchart/generator/server"
	"flipchart/generator/watch"
)

const usage = `flipchart publishes facilitation curricula written in Markdown.

Usage:
  flipchart build [--source DIR] [--dest DIR] [--drafts] [--no-cache]
  flipchart bundle [--source DIR] [--dest DIR] [--out FILE.zip] [--drafts] [--no-cache]
  flipchart serve [--source DIR] [--port N] [--bind ADDR] [--host NAME] [--navigate] [--drafts]
  flipchart check [--source DIR] [--drafts] [--strict]
  flipchart pdf [--source DIR] [--dest DIR] [--drafts] [--parallel N] [--chrome PATH] [--all]
  flipchart new site DIR
  flipchart new session "Title" [--module DIR] [--source DIR]
  flipchart import FILE-or-FOLDER ... [--dest DIR] [--force] [--strict] [--source DIR]
  flipchart translation current FILE ...
  flipchart version
  flipchart help

Run "flipchart COMMAND -h" for a command's flags.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole command line; it returns the exit status: 0 on success,
// 1 when the content has errors, 2 when the command line is wrong.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, args := args[0], args[1:]
	switch cmd {
	case "build":
		return cmdBuild(args, stdout, stderr)
	case "bundle":
		return cmdBundle(args, stdout, stderr)
	case "serve", "server":
		return cmdServe(args, stdout, stderr)
	case "check":
		return cmdCheck(args, stdout, stderr)
	case "pdf":
		return cmdPDF(args, stdout, stderr)
	case "new":
		return cmdNew(args, stdout, stderr)
	case "import":
		return cmdImport(args, stdout, stderr)
	case "translation":
		return cmdTranslation(args, stdout, stderr)
	case "version", "-version", "--version":
		return cmdVersion(args, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "flipchart: unknown command %q\n\n%s", cmd, usage)
	return 2
}

func newFlags(name string, stderr io.Writer) (*flag.FlagSet, *string, *bool) {
	fl := flag.NewFlagSet("flipchart "+name, flag.ContinueOnError)
	fl.SetOutput(stderr)
	src := fl.String("source", ".", "the site's folder, holding config.toml and content/")
	drafts := fl.Bool("drafts", false, "include pages marked draft = true")
	return fl, src, drafts
}

// report prints every diagnostic and returns the number of errors.
func report(w io.Writer, l *diag.List) {
	for _, d := range l.Items() {
		fmt.Fprintln(w, d.Error())
	}
	if n := l.Dropped(); n > 0 {
		fmt.Fprintf(w, "... and %d more errors (only the first %d are shown)\n", n, diag.MaxErrors)
	}
}

func cmdBuild(args []string, stdout, stderr io.Writer) int {
	fl, src, drafts := newFlags("build", stderr)
	dest, noCache := buildFlags(fl)
	if fl.Parse(args) != nil {
		return 2
	}
	_, code := buildSite(*src, *dest, *drafts, *noCache, stdout, stderr)
	return code
}

// buildFlags adds the flags of flipchart build beside --source and
// --drafts: --dest and --no-cache.
func buildFlags(fl *flag.FlagSet) (dest *string, noCache *bool) {
	dest = fl.String("dest", "public", "the folder to write the site to")
	noCache = fl.Bool("no-cache", false, "render everything, neither reading nor writing the build cache ("+build.CacheDir+"/ in the site's folder)")
	return dest, noCache
}

// buildSite is flipchart build: it builds the site in src into dest, with
// the build cache unless noCache, prints every problem and the summary, and
// returns the result and the exit status (0 when the site was published).
func buildSite(src, dest string, drafts, noCache bool, stdout, stderr io.Writer) (*build.Result, int) {
	build.LimitMemory()
	opt := build.Options{Drafts: drafts, Version: Version()}
	if !noCache {
		opt.Cache = filepath.Join(src, build.CacheDir)
	}
	res, err := build.ToDir(src, dest, opt)
	if res == nil {
		fmt.Fprintf(stderr, "flipchart: %v\n", err)
		return nil, 1
	}
	report(stderr, res.Diags)
	if err != nil {
		var failed *diag.Failed
		if !errors.As(err, &failed) {
			fmt.Fprintf(stderr, "flipchart: %v\n", err)
		}
		fmt.Fprintf(stderr, "flipchart: build failed: %s; %s is unchanged\n", res.Summary(), dest)
		return res, 1
	}
	fmt.Fprintf(stdout, "flipchart: built %s: %s\n", dest, res.Summary())
	return res, 0
}

func cmdCheck(args []string, stdout, stderr io.Writer) int {
	fl, src, drafts := newFlags("check", stderr)
	strict := fl.Bool("strict", false, "fail on warnings too")
	if fl.Parse(args) != nil {
		return 2
	}
	fsys, closeSrc, err := build.OpenSource(*src)
	if err != nil {
		fmt.Fprintf(stderr, "flipchart: %v\n", err)
		return 1
	}
	defer closeSrc()
	res := build.Render(fsys, discard{}, build.Options{Drafts: *drafts, Unlinked: true, Translations: true})
	report(stdout, res.Diags)
	fmt.Fprintf(stdout, "flipchart: checked: %d errors, %d warnings\n", res.Diags.Errors(), res.Diags.Warnings())
	if res.Diags.HasErrors() || (*strict && res.Diags.Warnings() > 0) {
		return 1
	}
	return 0
}

func cmdPDF(args []string, stdout, stderr io.Writer) int {
	fl, src, drafts := newFlags("pdf", stderr)
	dest := fl.String("dest", "public", "the folder to write the site and its pdf/ folder to")
	parallel := fl.Int("parallel", 0, "pages printed at once (default: the number of cores)")
	all := fl.Bool("all", false, "print every PDF again, even those whose page is unchanged")
	chrome := fl.String("chrome", "", "the Chromium, Chrome or Edge program to print with (default: $"+browser.EnvPath+", else the first found in the usual places)")
	if fl.Parse(args) != nil {
		return 2
	}
	prog, err := browser.Locate(*chrome)
	if err != nil {
		fmt.Fprintf(stderr, "flipchart: %v\n", err)
		if hint := browser.InstallHint(runtime.GOOS); !strings.Contains(err.Error(), hint) {
			fmt.Fprintf(stderr, "flipchart: PDFs are printed by a local Chromium, Google Chrome or Microsoft Edge; %s\n", hint)
		}
		fmt.Fprintf(stderr, "flipchart: pdf failed; %s is unchanged\n", *dest)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	fmt.Fprintf(stdout, "flipchart: building %s and printing its PDFs\n", *dest)
	fmt.Fprintf(stdout, "flipchart: printing with %s\n", prog)
	opt := build.PDFOptions{
		Options: build.Options{Drafts: *drafts, Version: Version()}, Progress: stdout, Parallel: *parallel, Browser: prog.Path, All: *all,
	}
	// On a terminal, one line that keeps up to date; elsewhere (a log, a
	// CI run), a line per PDF.
	var live *statusLine
	if isTerminal(stdout) {
		live = &statusLine{w: stdout}
		opt.Progress, opt.Status = nil, live.show
	}
	res, n, err := build.PDF(ctx, *src, *dest, opt)
	live.clear()
	if res != nil {
		report(stderr, res.Diags)
	}
	if err != nil {
		var failed *diag.Failed
		if !errors.As(err, &failed) {
			fmt.Fprintf(stderr, "flipchart: %v\n", err)
		}
		fmt.Fprintf(stderr, "flipchart: pdf failed; %s is unchanged\n", *dest)
		return 1
	}
	if c := res.PDFs; c.Printed > 0 && c.PrintTime > 0 {
		fmt.Fprintf(stdout, "flipchart: printed %d PDFs of %d pages in %s (%.1f pages a second)\n",
			c.Printed, c.Pages, c.PrintTime.Round(100*time.Millisecond), float64(c.Pages)/c.PrintTime.Seconds())
	}
	fmt.Fprintf(stdout, "flipchart: built %s with %d PDFs in %s/pdf (%d printed, %d current): %s\n",
		*dest, n, *dest, res.PDFs.Printed, res.PDFs.Current, res.Summary())
	return 0
}

type discard struct{}

func (discard) WriteFile(string, []byte) error { return nil }

func cmdServe(args []string, stdout, stderr io.Writer) int {
	fl, src, drafts := newFlags("serve", stderr)
	port := fl.Int("port", 1313, "the port to listen on (the next free one when it is taken)")
	bind := fl.String("bind", "127.0.0.1", "the address to listen on")
	hosts := fl.String("host", "", "more host names to answer to, comma-separated (besides localhost)")
	navigate := fl.Bool("navigate", false, "take the browser to the page being edited")
	if fl.Parse(args) != nil {
		return 2
	}
	fsys, closeSrc, err := build.OpenSource(*src)
	if err != nil {
		fmt.Fprintf(stderr, "flipchart: %v\n", err)
		return 1
	}
	defer closeSrc()
	// Watch before the first build: a save made while it runs (tens of
	// seconds for a large manual) is then applied once it is done.
	w, err := watch.New(*src, watch.Options{Debounce: 10 * time.Millisecond, MaxWait: 200 * time.Millisecond})
	if err != nil {
		fmt.Fprintf(stderr, "flipchart: cannot watch %s for changes: %v\n", *src, err)
		return 1
	}
	defer w.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	live := build.NewLive(fsys, build.Options{Drafts: *drafts})
	first := live.Build()
	var names []string
	for _, h := range strings.Split(*hosts, ",") {
		if h = strings.TrimSpace(h); h != "" {
			names = append(names, h)
		}
	}
	if ip := net.ParseIP(*bind); ip == nil || !ip.IsLoopback() {
		fmt.Fprintf(stderr, "flipchart: warning: listening on %s, not only on this computer: anyone on the network can read the manual\n", *bind)
		if ip == nil {
			names = append(names, *bind)
		}
	}
	srv := server.New(first.Site, server.Options{Hosts: names, Navigate: *navigate})
	report(stderr, first.Result.Diags)
	if first.Site == nil {
		srv.Fail(problemOf(first.Result.Diags, fsys))
		fmt.Fprintf(stderr, "flipchart: build failed; fix the file and save, the browser will follow\n")
	} else {
		fmt.Fprintf(stdout, "flipchart: built in memory: %d pages in %s\n", len(first.Rendered), first.Result.Duration.Round(time.Millisecond))
	}
	ln, err := listen(*bind, *port, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "flipchart: %v\n", err)
		return 1
	}
	addr := ln.Addr().(*net.TCPAddr)
	host := addr.IP.String()
	if addr.IP.IsLoopback() && addr.IP.To4() != nil {
		host = "localhost"
	}
	fmt.Fprintf(stdout, "flipchart: serving at http://%s/ (Ctrl+C to stop); watching for changes\n", net.JoinHostPort(host, strconv.Itoa(addr.Port)))
	// Requests share ctx, so the event streams end on Ctrl+C too.
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return ctx }}
	go func() {
		for err := range w.Errors() {
			fmt.Fprintf(stderr, "flipchart: watching: %v\n", err)
		}
	}()
	go func() {
		for batch := range w.Changes() {
			var changes []build.Change
			for _, c := range batch {
				changes = append(changes, build.Change{Path: c.Path, Kind: c.Kind, Removed: c.Removed})
			}
			u := live.Apply(changes)
			report(stderr, u.Result.Diags)
			if u.Site == nil {
				srv.Fail(problemOf(u.Result.Diags, fsys))
			} else {
				srv.Update(u.Site, eventOf(u))
			}
			fmt.Fprintf(stdout, "flipchart: %s: %s\n", describeBatch(batch), u)
		}
	}()
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		hs.Shutdown(shut)
	}()
	if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "flipchart: %v\n", err)
		return 1
	}
	return 0
}

// listen listens on port, or on the next free one when it is taken.
func listen(bind string, port int, stderr io.Writer) (net.Listener, error) {
	var first error
	for p := port; p < port+50 && p < 65536; p++ {
		ln, err := net.Listen("tcp", net.JoinHostPort(bind, strconv.Itoa(p)))
		if err == nil {
			if p != port {
				fmt.Fprintf(stderr, "flipchart: port %d is taken; using %d\n", port, p)
			}
			return ln, nil
		}
		if first == nil {
			first = err
		}
		if port == 0 {
			break
		}
	}
	return nil, fmt.Errorf("no free port from %d: %v", port, first)
}

// eventOf says what the browser needs to know of an update.
func eventOf(u *build.Update) server.Event {
	ev := server.Event{Kind: "reload", Rendered: u.Rendered, Removed: u.Removed, Full: u.Full}
	if u.CSSOnly {
		ev.Kind, ev.CSS = "css", u.Static
	}
	if len(u.Changed) > 0 {
		ev.Navigate = u.Changed[0]
	}
	return ev
}

// describeBatch names what changed, for the terminal.
func describeBatch(batch watch.Batch) string {
	if len(batch) == 1 {
		return batch[0].Path
	}
	return fmt.Sprintf("%s and %d more", batch[0].Path, len(batch)-1)
}

// problemOf makes the overlay of a failed build: its first error and the
// source lines around it.
func problemOf(l *diag.List, fsys fs.FS) *server.Problem {
	for _, d := range l.Items() {
		if d.Severity != diag.Error {
			continue
		}
		p := &server.Problem{File: d.File, Line: d.Line, Col: d.Col, Message: d.Msg, Hint: d.Hint, More: l.Errors() - 1}
		if data, err := fs.ReadFile(fsys, d.File); err == nil && d.Line > 0 {
			lines := strings.Split(string(data), "\n")
			for n := max(d.Line-3, 1); n <= min(d.Line+3, len(lines)); n++ {
				p.Lines = append(p.Lines, server.SourceLine{N: n, Text: strings.TrimRight(lines[n-1], "\r")})
			}
		}
		return p
	}
	return &server.Problem{Message: "the build failed"}
}

// parseMixed parses flags that may come after the arguments, as in
// `new session "Title" --module day-3`, and returns the arguments.
func parseMixed(fl *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fl.Parse(args); err != nil {
			return nil, err
		}
		rest := fl.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(rest) < len(args) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}

func cmdNew(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("flipchart new", flag.ContinueOnError)
	fl.SetOutput(stderr)
	src := fl.String("source", ".", "the site's folder, holding config.toml and content/")
	module := fl.String("module", "", "the folder under content/ to write to (default: the folder of the highest-numbered session)")
	pos, err := parseMixed(fl, args)
	if err != nil {
		return 2
	}
	if len(pos) > 0 && pos[0] == "site" {
		return cmdNewSite(fl, pos[1:], stdout, stderr)
	}
	if len(pos) < 2 || pos[0] != "session" {
		fmt.Fprintln(stderr, `flipchart: usage: flipchart new session "Title" [--module DIR] [--source DIR]`)
		return 2
	}
	res, err := author.NewSession(strings.Join(pos[1:], " "), author.NewOptions{Source: *src, Module: *module})
	if err != nil {
		fmt.Fprintf(stderr, "flipchart: %v\n", err)
		if errors.Is(err, author.ErrUsage) {
			return 2
		}
		return 1
	}
	for _, n := range res.Notes {
		fmt.Fprintf(stderr, "flipchart: %s\n", n)
	}
	fmt.Fprintln(stdout, res.Path)
	return 0
}

// cmdTranslation is `flipchart translation current FILE...`: each
// translation named is marked up to date with its page (see
// author.MarkCurrent), so that flipchart check says when the page changes.
func cmdTranslation(args []string, stdout, stderr io.Writer) int {
	const use = "flipchart: usage: flipchart translation current FILE ... (a translation, such as content/day-3/11-next-steps.es.md, once it is up to date with its page)"
	if len(args) < 2 || args[0] != "current" {
		fmt.Fprintln(stderr, use)
		return 2
	}
	status := 0
	for _, f := range args[1:] {
		sum, err := author.MarkCurrent(f)
		if err != nil {
			fmt.Fprintf(stderr, "flipchart: %v\n", err)
			status = max(status, 1)
			if errors.Is(err, author.ErrUsage) {
				status = 2
			}
			continue
		}
		fmt.Fprintf(stdout, "%s: current with its page (source_hash = %q)\n", f, sum)
	}
	return status
}

// cmdNewSite is `flipchart new site DIR`: a working manual to start from.
func cmdNewSite(fl *flag.FlagSet, pos []string, stdout, stderr io.Writer) int {
	set := false
	fl.Visit(func(*flag.Flag) { set = true })
	if len(pos) != 1 || set {
		fmt.Fprintln(stderr, "flipchart: usage: flipchart new site DIR")
		return 2
	}
	res, err := author.NewSite(pos[0])
	if err != nil {
		fmt.Fprintf(stderr, "flipchart: %v\n", err)
		if errors.Is(err, author.ErrUsage) {
			return 2
		}
		return 1
	}
	fmt.Fprintf(stdout, "flipchart: wrote a new manual, %q, in %s:\n", res.Title, res.Dir)
	for _, f := range res.Files {
		fmt.Fprintf(stdout, "  %s\n", f)
	}
	fmt.Fprintf(stdout, "\n%s", author.SiteNextSteps(res.Dir))
	return 0
}

func cmdImport(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("flipchart import", flag.ContinueOnError)
	fl.SetOutput(stderr)
	src := fl.String("source", ".", "the site's folder, holding config.toml and content/")
	dest := fl.String("dest", "", "the folder to write to (default: content/ in --source)")
	force := fl.Bool("force", false, "replace files that exist")
	strict := fl.Bool("strict", false, "make text import cannot place an error, and write nothing of that file")
	files, err := parseMixed(fl, args)
	if err != nil {
		return 2
	}
	if len(files) == 0 {
		fmt.Fprintln(stderr, "flipchart: usage: flipchart import FILE-or-FOLDER ... [--dest DIR] [--force] [--strict] [--source DIR]")
		return 2
	}
	diags := &diag.List{}
	for _, p := range author.Import(files, author.ImportOptions{Source: *src, Dest: *dest, Force: *force, Strict: *strict}, diags) {
		fmt.Fprintln(stdout, p)
	}
	report(stderr, diags)
	if diags.HasErrors() {
		return 1
	}
	return 0
}
