package archive

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestCheckCharacters(t *testing.T) {
	refused := []string{
		"invoice\u202efdp.exe", "a\u200bb", "\ufeffa", "a\u00a0b", "a\u2003b", "a\u3000b", "a\u2028b",
		"..\uff0fetc", "a\u2215b", "a\u2044b", "\uff0e\uff0e/x", "C\uff1aevil",
		strings.Repeat("a", MaxSegmentLen+1), strings.Repeat("abcdefgh/", 26), "a\xffb",
	}
	for _, name := range refused {
		err := CheckName(name)
		if err == nil {
			t.Errorf("%q: accepted", name)
			continue
		}
		if msg := err.Error(); strings.ContainsFunc(msg, func(r rune) bool { return r > 0x7f }) {
			t.Errorf("%q: message prints a non-ASCII character raw: %s", name, msg)
		}
	}
	for _, name := range []string{"a b.txt", "rapport-été.pdf", "日本語/ファイル.txt", strings.Repeat("a", MaxNameLen)} {
		if err := CheckName(name); err != nil {
			t.Errorf("%q: %v", name, err)
		}
	}
}

// FuzzCheckCharacters checks that an accepted name has none of the
// characters the rule refuses and fits the bounds.
func FuzzCheckCharacters(f *testing.F) {
	f.Add("scans/a.json")
	f.Add("a\u202eb")
	f.Fuzz(func(t *testing.T, name string) {
		if CheckCharacters(name) != nil {
			return
		}
		if !utf8.ValidString(name) || len(name) > MaxNameLen {
			t.Fatalf("%q accepted", name)
		}
		for _, r := range name {
			if r != ' ' && (unicode.In(r, unicode.Cf, unicode.Zs, unicode.Zl, unicode.Zp) || lookalikes[r] != "") {
				t.Fatalf("%q accepted with %U", name, r)
			}
		}
	})
}
