//go:build windows

package publish

import (
	"errors"
	"io/fs"

	"golang.org/x/sys/windows"
)

// alive reports whether a process with this id is running (or may be: one
// that cannot be opened is taken as running).
func alive(pid int) bool {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, uint32(pid))
	if err != nil {
		return !errors.Is(err, windows.ERROR_INVALID_PARAMETER) // no such process
	}
	defer windows.CloseHandle(h)
	var code uint32
	if err := windows.GetExitCodeProcess(h, &code); err != nil {
		return true
	}
	const stillActive = 259
	return code == stillActive
}

// busy reports whether err says a file is in use by another program: a
// browser showing a PDF, an editor, a virus scanner or a shell whose
// current folder is inside. Windows refuses to rename or remove such a
// file, or a folder holding one, until it is closed.
func busy(err error) bool {
	return errors.Is(err, fs.ErrPermission) ||
		errors.Is(err, windows.ERROR_SHARING_VIOLATION) ||
		errors.Is(err, windows.ERROR_LOCK_VIOLATION) ||
		errors.Is(err, windows.ERROR_ACCESS_DENIED) ||
		errors.Is(err, windows.ERROR_DIR_NOT_EMPTY)
}
