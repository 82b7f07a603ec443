//go:build !linux || flipchart_portable

package publish

// exchange is missing here: Commit moves the old site away, then the new one
// in (see Commit and repair).
func exchange(a, b string) error { return errNoExchange }
