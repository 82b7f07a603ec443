package author

import (
	"encoding/binary"
	"testing"
	"unicode/utf16"
)

func TestDecodeText(t *testing.T) {
	const want = "Sesión 1: “Next” – café"
	le := func(s string, bom bool) []byte {
		var b []byte
		if bom {
			b = append(b, 0xFF, 0xFE)
		}
		for _, u := range utf16.Encode([]rune(s)) {
			b = binary.LittleEndian.AppendUint16(b, u)
		}
		return b
	}
	be := []byte{0xFE, 0xFF}
	for _, u := range utf16.Encode([]rune(want)) {
		be = binary.BigEndian.AppendUint16(be, u)
	}
	for _, tc := range []struct {
		name string
		data []byte
		text string
		how  string
	}{
		{"utf-8", []byte(want), want, ""},
		{"utf-8 with a mark", append([]byte("\xEF\xBB\xBF"), want...), want, ""},
		{"utf-16le with a mark", le(want, true), want, "UTF-16"},
		{"utf-16be with a mark", be, want, "UTF-16"},
		{"utf-16le without", le("Session 1: Next steps\r\n", false), "Session 1: Next steps\r\n", "UTF-16"},
		{"windows-1252", []byte("Sesi\xf3n 1: \x93Next\x94 \x96 caf\xe9"), want, "Windows-1252"},
	} {
		text, how := decodeText(tc.data)
		if text != tc.text || how != tc.how {
			t.Errorf("%s: got %q (%s), want %q (%s)", tc.name, text, how, tc.text, tc.how)
		}
	}
}
