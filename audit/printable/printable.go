// Package printable makes text from inputs safe to show on a terminal, in
// a CI log or in a text report. A name in a threat model, a manifest or a
// file name is data chosen by whoever wrote the input: a carriage return,
// an escape sequence or a bidi override in it could overwrite or reorder
// the line it is printed on ("x\r  satisfied" hiding "not-satisfied"), so
// every such character is shown escaped instead, as Go would quote it
// (\r, \x1b, \u202e), and invalid UTF-8 as \xNN.
//
// # What is escaped
//
//   - C0 controls (U+0000–U+001F, tab, CR and LF included) and DEL
//   - C1 controls (U+0080–U+009F), and bytes 0x80–0x9F that are not part
//     of a UTF-8 sequence, like every other invalid byte
//   - format characters (Unicode category Cf): the bidi embeddings,
//     overrides and isolates (U+202A–U+202E, U+2066–U+2069, U+061C,
//     U+200E–U+200F), zero-width characters (U+200B–U+200D, U+2060) and the
//     byte order mark U+FEFF
//   - the line and paragraph separators U+2028 and U+2029
//
// A backslash is left as it is, so Windows paths read normally; the
// escaped form can therefore be told from the same characters typed
// literally only by context, which is enough to stop the injection.
//
// # Machine formats
//
// JSON output (results, SARIF, a converted model) is not escaped: its
// encoder already writes every control character as \uXXXX, and the
// strings must stay exactly what the inputs said, for the tools that read
// them. Whoever displays them is responsible, as auditpack is for its text.
package printable

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// String returns s with every character listed in the package
// documentation escaped: a name, an id, a title or a path, shown on one
// line.
func String(s string) string {
	return escape(s, false)
}

// Text is [String] for a block of text whose line feeds and tabs are its
// own layout (a report, a multi-line message): those two are kept.
func Text(s string) string {
	return escape(s, true)
}

// unsafe reports whether r must be escaped.
func unsafe(r rune) bool {
	switch {
	case r < 0x20 || r == 0x7f:
		return true
	case r < 0x80:
		return false
	case r <= 0x9f:
		return true // C1
	case r == '\u2028' || r == '\u2029':
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

func escape(s string, layout bool) string {
	if clean(s, layout) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			b.WriteString(`\x`)
			b.WriteString(hex2(s[i]))
		case layout && (r == '\n' || r == '\t'):
			b.WriteRune(r)
		case unsafe(r):
			// strconv writes \a \b \f \n \r \t \v by name, other ASCII
			// controls as \xNN and the rest as \uXXXX.
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// clean reports whether s needs no escaping; most text is printable ASCII.
func clean(s string, layout bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return cleanUnicode(s[i:], layout)
		}
		if (c < 0x20 || c == 0x7f) && !(layout && (c == '\n' || c == '\t')) {
			return false
		}
	}
	return true
}

func cleanUnicode(s string, layout bool) bool {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n <= 1 {
				return false
			}
		}
		if unsafe(r) && !(layout && (r == '\n' || r == '\t')) {
			return false
		}
	}
	return true
}

func hex2(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&0xf]})
}
