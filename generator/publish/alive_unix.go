//go:build unix

package publish

import (
	"errors"
	"syscall"
)

// alive reports whether a process with this id is running (or may be: a
// process of another user answers EPERM).
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// busy reports whether err says a file is in use by another program. Unix
// systems rename and remove files that are open, so nothing is retried.
func busy(err error) bool { return false }
