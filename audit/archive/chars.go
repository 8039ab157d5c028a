package archive

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Bounds of a name. A segment longer than MaxSegmentLen bytes cannot be
// created on the common file systems (ext4, APFS, NTFS), so a bundle that
// lists one fails only when a file is looked up. MaxNameLen is what still
// fits, under "evidence/", within the 240 bytes a package path may have, so
// that every file a bundle may hold can be embedded in a package.
const (
	MaxSegmentLen = 255
	MaxNameLen    = 231
)

// lookalikes are characters drawn like a path separator, a dot or a colon:
// "．．／x" reads as "../x" in a listing, though no file system takes it so.
var lookalikes = map[rune]string{
	'\uFF0F': "/", '\u2215': "/", '\u2044': "/", '\u29F8': "/", '\u2571': "/",
	'\uFF3C': `\`, '\u2216': `\`, '\u29F9': `\`, '\uFE68': `\`,
	'\uFF0E': ".", '\u2024': ".", '\uFE52': ".", '\u2025': "..",
	'\uFF1A': ":", '\uA789': ":", '\u2236': ":", '\uFE55': ":",
}

// CheckCharacters refuses a name whose characters would make it look like
// another name: invalid UTF-8, format characters (Unicode category Cf: bidi
// overrides such as U+202E, zero-width characters, the byte order mark),
// spaces and line breaks other than U+0020 (U+00A0 and the rest of
// categories Zs, Zl, Zp), and the lookalikes of "/", "\", "." and ":". It
// also bounds the length of the name and of each segment ([MaxNameLen],
// [MaxSegmentLen]). Messages name the character by its code point, never
// printing it raw.
func CheckCharacters(name string) error {
	if !utf8.ValidString(name) {
		return fmt.Errorf("not valid UTF-8")
	}
	for _, r := range name {
		switch {
		case r == ' ':
		case unicode.Is(unicode.Cf, r):
			return fmt.Errorf("format character %U in name (invisible, or reorders the text around it)", r)
		case unicode.In(r, unicode.Zs, unicode.Zl, unicode.Zp):
			return fmt.Errorf("space character %U in name (only U+0020 is allowed)", r)
		case lookalikes[r] != "":
			return fmt.Errorf("character %U in name looks like %q", r, lookalikes[r])
		}
	}
	for _, seg := range strings.Split(name, "/") {
		if len(seg) > MaxSegmentLen {
			return fmt.Errorf("segment of %d bytes (at most %d)", len(seg), MaxSegmentLen)
		}
	}
	if len(name) > MaxNameLen {
		return fmt.Errorf("name of %d bytes (at most %d, so that it fits in a package under evidence/)", len(name), MaxNameLen)
	}
	return nil
}
