package xlsx

import (
	"strings"
	"unicode/utf16"
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
// given width (in characters), wrapping greedily at spaces.
func wrappedLines(text string, width float64) int {
	// Average text is narrower than the digit zero that widths count in.
	per := max(int(width*1.1)-1, 1)
	n := 0
	for _, line := range strings.Split(text, "\n") {
		lines, col := 1, 0
		for _, word := range strings.Fields(line) {
			w := textWidth(word)
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
		}
		n += lines
	}
	return n
}

// textWidth counts characters, wide (East Asian) ones twice.
func textWidth(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x2e80 && r <= 0xffdc {
			n++
		}
	}
	return n
}
