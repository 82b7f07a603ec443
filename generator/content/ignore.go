package content

import (
	"strconv"
	"strings"
)

// tempSuffixes end the names of editors' temporary, swap and backup files.
// They are matched in any case (Windows tools write X.TMP and X.BAK too).
var tempSuffixes = [...]string{
	"~",       // Emacs and Vim backups (x.md~), Emacs numbered backups (x.md.~1~)
	".swp",    // Vim swap files (normally hidden: .x.md.swp) ...
	".swo",    // ... the second and third swap file of the same name ...
	".swn",    //
	".swx",    // ... and Vim's probe for a writable folder
	".tmp",    // many tools' temporary files; Word's ~WRL0001.tmp, ~WRD0000.tmp
	".vsctmp", // VS Code's atomic writes
	".crswap", // Chromium's File System Access writes
	".bck",    // Helix moves the file to x.md<random>.bck while it saves
	".bak",    // Notepad++'s and many tools' backups: x.md.bak
}

// systemNames are files the systems' file managers leave in folders, matched
// in any case.
var systemNames = [...]string{
	"Thumbs.db",   // Windows Explorer's thumbnails
	"ehthumbs.db", // Windows Media Center's
	"desktop.ini", // a Windows folder's settings
	"Icon\r",      // a macOS folder's custom icon
}

// Ignored reports whether a single file or folder name is hidden or an
// editor's temporary, swap, lock or backup file, which a build must never
// read and a watcher must never report:
//
//   - hidden names: .DS_Store, Vim's .x.md.swp, Emacs's .#x.md lock,
//     gedit's .goutputstream-XXXXXX, LibreOffice's .~lock.x.odt#, macOS's
//     ._x.md and TextEdit's .dat.nosync* files;
//   - Emacs auto-saves #x.md# (any name starting with "#");
//   - backups ending in "~", and MS Office's ~$x.docx owner files;
//   - the suffixes .swp .swo .swn .swx .tmp .vsctmp .crswap .bck .bak, in
//     any case (Word's ~WRL0001.tmp, Notepad++'s x.md.bak);
//   - JetBrains' safe-write names x.md___jb_tmp___ and x.md___jb_old___;
//   - Vim's write probe 4913 (and 5036, 5159, ... which Vim tries next);
//   - macOS's safe-save temporary x.md.sb-1a2b3c4d-XyZ123 (TextEdit and
//     other Cocoa editors);
//   - Notepad++'s backup folder nppBackup;
//   - Thumbs.db, ehthumbs.db and desktop.ini (Windows), Icon\r (macOS).
//
// Temporary names that cannot be told from real ones (sed -i's sedXXXXXX,
// Qt's x.md.XXXXXX) are not matched here; the Watcher drops them anyway
// when they are gone by the time it looks.
func Ignored(name string) bool {
	switch {
	case name == "" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "#"):
		return true
	case strings.HasPrefix(name, "~$"):
		return true
	case strings.Contains(name, "___jb_tmp___") || strings.Contains(name, "___jb_old___"):
		return true
	case vimProbe(name), safeSave(name), IgnoredFolder(name):
		return true
	}
	low := strings.ToLower(name)
	for _, s := range tempSuffixes {
		if strings.HasSuffix(low, s) {
			return true
		}
	}
	for _, n := range systemNames {
		if strings.EqualFold(name, n) {
			return true
		}
	}
	return false
}

// IgnoredFolder reports whether name is a folder that editors keep backups
// in, inside the folder of the file they back up.
func IgnoredFolder(name string) bool {
	return strings.EqualFold(name, "nppBackup")
}

// safeSave reports whether name is a temporary file of macOS's safe save
// (NSDocument, as TextEdit uses it): the document's name, ".sb-", a hex
// number, "-" and a few random letters and digits, as in
// "x.md.sb-7c8e2d1f-Qp3RtZ". The file is renamed over the document once
// written.
func safeSave(name string) bool {
	i := strings.LastIndex(name, ".sb-")
	if i <= 0 {
		return false
	}
	hex, random, ok := strings.Cut(name[i+len(".sb-"):], "-")
	if !ok || hex == "" || random == "" {
		return false
	}
	for _, c := range []byte(hex) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	for _, c := range []byte(random) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// vimProbe reports whether name is one Vim creates to test that it may
// write in a folder: it tries 4913, then adds 123 until the name is free.
func vimProbe(name string) bool {
	if len(name) < 4 || len(name) > 9 || name[0] == '0' {
		return false
	}
	for _, c := range []byte(name) {
		if c < '0' || c > '9' {
			return false
		}
	}
	n, err := strconv.Atoi(name)
	return err == nil && n >= 4913 && (n-4913)%123 == 0
}
