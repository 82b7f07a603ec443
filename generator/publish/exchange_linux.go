//go:build linux && !flipchart_portable

package publish

import "golang.org/x/sys/unix"

// exchange swaps two paths in one step (renameat2 RENAME_EXCHANGE), so there
// is no moment without a site. Built with the tag flipchart_portable, Linux
// uses the portable swap of other systems instead (see Commit).
func exchange(a, b string) error {
	return unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
}
