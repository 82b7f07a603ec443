package bundle

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// sumLine is one line of a SHA256SUMS file: the hash, and the file's name.
type sumLine struct{ text, name string }

// readSums reads the SHA256SUMS at path, when there is one, line by line. A
// file that is not a list of SHA-256 sums is an error rather than lost.
func readSums(path string) ([]sumLine, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read %s, where the zip's SHA-256 goes: %w", path, err)
	}
	var out []sumLine
	for i, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		line = strings.TrimSuffix(line, "\r")
		name, ok := sumName(line)
		if !ok {
			return nil, fmt.Errorf("%s:%d: not a line of SHA-256 sums (\"<64 hex digits>  <file>\"); the zip's SHA-256 goes in that file: move it away, or choose another folder with --out", path, i+1)
		}
		out = append(out, sumLine{text: line, name: name})
	}
	return out, nil
}

// sumName returns the file a line of sha256sum's output names: 64 hex
// digits, a space, a space or "*", the name.
func sumName(line string) (string, bool) {
	const n = 2 * sha256.Size
	if len(line) < n+3 || (line[n+1] != ' ' && line[n+1] != '*') || line[n] != ' ' {
		return "", false
	}
	for _, c := range line[:n] {
		if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
			return "", false
		}
	}
	return line[n+2:], true
}

// mergeSums is the SHA256SUMS beside the zip: the lines of old, with the
// line for the zip named name in place of the one there was, or added last.
func mergeSums(old []sumLine, name string, sum [sha256.Size]byte) []byte {
	line := fmt.Sprintf("%x  %s", sum, name)
	var b bytes.Buffer
	done := false
	for _, l := range old {
		if l.name == name {
			if done {
				continue
			}
			l.text, done = line, true
		}
		b.WriteString(l.text + "\n")
	}
	if !done {
		b.WriteString(line + "\n")
	}
	return b.Bytes()
}

// writeTemp writes data to a new temporary file beside path, readable by
// all, and returns its name.
func writeTemp(path string, data []byte) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return "", fmt.Errorf("cannot write beside %s: %w; choose a folder you can write to with --out", path, err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), fileMode)
	}
	if err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("cannot write %s: %w; free some space or choose another --out", path, err)
	}
	return f.Name(), nil
}
