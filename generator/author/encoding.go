package author

import (
	"bytes"
	"encoding/binary"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// decodeText returns data as UTF-8 text: UTF-8 (a byte-order mark
// dropped), UTF-16 with a byte-order mark or, without one, when every
// other byte is zero, and else Windows-1252, the encoding of text saved on
// Windows (which Latin-1 text reads the same in). how names the encoding
// when it was not UTF-8, for a warning, else "".
func decodeText(data []byte) (text, how string) {
	switch {
	case bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")):
		data = data[3:]
	case bytes.HasPrefix(data, []byte("\xFF\xFE")):
		return utf16Text(data[2:], binary.LittleEndian), "UTF-16"
	case bytes.HasPrefix(data, []byte("\xFE\xFF")):
		return utf16Text(data[2:], binary.BigEndian), "UTF-16"
	case looksUTF16(data, 1):
		return utf16Text(data, binary.LittleEndian), "UTF-16"
	case looksUTF16(data, 0):
		return utf16Text(data, binary.BigEndian), "UTF-16"
	}
	if utf8.Valid(data) {
		return string(data), ""
	}
	return windows1252(data), "Windows-1252"
}

// looksUTF16 reports whether data is UTF-16 text of mostly Latin letters
// without a byte-order mark: the byte at zero (0 big-endian, 1 little) of
// each pair is NUL, the other not, for nearly every pair.
func looksUTF16(data []byte, zero int) bool {
	if len(data) < 4 || len(data)%2 != 0 {
		return false
	}
	pairs, hits := len(data)/2, 0
	for i := 0; i+1 < len(data); i += 2 {
		if data[i+zero] == 0 && data[i+1-zero] != 0 {
			hits++
		}
	}
	return hits*10 >= pairs*9
}

func utf16Text(data []byte, order binary.ByteOrder) string {
	u := make([]uint16, len(data)/2)
	for i := range u {
		u[i] = order.Uint16(data[2*i:])
	}
	return string(utf16.Decode(u))
}

// cp1252 are the characters of Windows-1252's bytes 0x80 to 0x9F; the
// others are Latin-1's.
var cp1252 = [32]rune{
	'€', '\u0081', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u008d', 'Ž', '\u008f',
	'\u0090', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u009d', 'ž', 'Ÿ',
}

// windows1252 decodes Windows-1252 (and so Latin-1) text.
func windows1252(data []byte) string {
	var b strings.Builder
	b.Grow(len(data) + len(data)/8)
	for _, c := range data {
		switch {
		case c < 0x80:
			b.WriteByte(c)
		case c < 0xA0:
			b.WriteRune(cp1252[c-0x80])
		default:
			b.WriteRune(rune(c))
		}
	}
	return b.String()
}
