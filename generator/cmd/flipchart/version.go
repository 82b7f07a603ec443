package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// version is the release's version, stamped in by `make release` with
// -ldflags "-X main.version=…" (git describe of the sources it was built
// from). A plain `go build` leaves it "dev".
var version = "dev"

// Version is what `flipchart version` prints first: the stamped version, or
// the module's version for a `go install flipchart@vX`, or "dev".
func Version() string {
	if version != "dev" && version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func cmdVersion(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintln(stderr, "flipchart: usage: flipchart version")
		return 2
	}
	fmt.Fprintf(stdout, "flipchart %s\n", Version())
	fmt.Fprintf(stdout, "built with %s for %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return 0
}
