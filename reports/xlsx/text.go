package xlsx

import (
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// maxCellUnits is the most UTF-16 code units a cell holds. excelize cuts
// longer text silently, so clean cuts it first and says so in the cell.
const maxCellUnits = 32767

// truncated ends a cell whose text was cut to fit.
const truncated = " … [cut to fit a spreadsheet cell; the full text is in results.json]"

// clean makes hostile text safe to store as a string cell: invalid UTF-8 and
// control characters (other than tab and newline) become U+FFFD, CR LF
// becomes LF, and text too long for a cell is cut with a visible marker. It
// never changes what text means as a value: the cell stays a string.
func clean(s string) string {
	if len(s) <= maxCellUnits && safeASCII(s) {
		return s // most text, and cleaning would change none of it
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.IndexFunc(s, unsafeRune) >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.Map(func(r rune) rune {
			switch {
			case r == '\r':
				return '\n'
			case unsafeRune(r):
				return '\uFFFD'
			}
			return r
		}, s)
	}
	// UTF-8 never takes fewer bytes than UTF-16 takes units.
	if len(s) <= maxCellUnits || utf16Len(s) <= maxCellUnits {
		return s
	}
	budget := maxCellUnits - utf16Len(truncated)
	n := 0
	for i, r := range s {
		n += utf16.RuneLen(r)
		if n > budget {
			return s[:i] + truncated
		}
	}
	return s
}

// safeASCII reports whether s is ASCII without a rune unsafeRune rejects.
func safeASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x7f || (c < 0x20 && c != '\t' && c != '\n') {
			return false
		}
	}
	return true
}

// unsafeRune reports whether r cannot appear as-is in a cell: a control
// character other than tab and newline, or a non-character XML rejects.
func unsafeRune(r rune) bool {
	switch {
	case r == '\t' || r == '\n':
		return false
	case r < 0x20 || r == 0x7f:
		return true
	case r == 0xfffe || r == 0xffff:
		return true
	}
	return false
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// lines joins a list one item per line, for wrapped cells.
func lines(list []string) string { return strings.Join(list, "\n") }

// orDash shows an empty value as a dash, so a blank cell is never mistaken
// for a value lost in rendering.
func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// Row heights. Spreadsheets do not grow a row to fit wrapped text when they
// open a file (LibreOffice overlaps the lines, Excel shows the first), so
// the renderer sets each row's height from an estimate of its wrapped text.
const (
	lineHeight   = 15  // points per line of 11-point text
	maxRowHeight = 409 // the largest row height spreadsheets accept
)

// wrappedLines estimates how many lines text takes in a column of the
// given width (in characters), wrapping greedily at spaces (as
// unicode.IsSpace has them). It runs for every wrapped cell, so it walks
// the text once and allocates nothing.
func wrappedLines(text string, width float64) int {
	// Average text is narrower than the digit zero that widths count in.
	per := max(int(width*1.1)-1, 1)
	n := 0
	for {
		line, rest, more := strings.Cut(text, "\n")
		if len(line) <= per {
			// Text is never wider than it has bytes, so a line this
			// short fits.
			n++
		} else {
			n += lineCount(line, per)
		}
		if !more {
			return n
		}
		text = rest
	}
}

// lineCount is wrappedLines for one line of text, per characters wide.
func lineCount(line string, per int) int {
	lines, col := 1, 0
	w, inWord := 0, false // the current word's width (see runeWidth)
	for i := 0; i <= len(line); {
		space, width, size := true, 0, 1 // the end of the line ends a word
		if i < len(line) {
			if c := line[i]; c < utf8.RuneSelf {
				space, width = asciiSpace[c], 1
			} else {
				r, n := utf8.DecodeRuneInString(line[i:])
				space, width, size = unicode.IsSpace(r), runeWidth(r), n
			}
		}
		i += size
		if !space {
			w += width
			inWord = true
			continue
		}
		if !inWord {
			continue
		}
		switch {
		case col == 0:
			col = w
		case col+1+w <= per:
			col += 1 + w
		default:
			lines++
			col = w
		}
		for col > per {
			lines++
			col -= per
		}
		w, inWord = 0, false
	}
	return lines
}

// asciiSpace is unicode.IsSpace for ASCII.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// runeWidth counts a character once, a wide (East Asian) one twice.
func runeWidth(r rune) int {
	if r >= 0x2e80 && r <= 0xffdc {
		return 2
	}
	return 1
}
