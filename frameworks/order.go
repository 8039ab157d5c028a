package frameworks

import "strings"

// seriesRank orders the letter prefixes whose publisher order is not alphabetical. The
// Trust Services Criteria list the common criteria (CC) first, then availability (A),
// confidentiality (C), processing integrity (PI) and privacy (P); PCI DSS puts its
// appendix (A) after the numbered requirements, which the digits-first rule already does.
// The NIST CSF 2.0 functions run Govern, Identify, Protect, Detect, Respond, Recover
// (categories within a function are alphabetical in NIST's own OSCAL catalog). No
// other shipped catalog uses these prefixes. Prefixes not listed here sort after these,
// alphabetically.
var seriesRank = map[string]int{"CC": 0, "A": 1, "C": 2, "PI": 3, "P": 4,
	"GV": 5, "ID": 6, "PR": 7, "DE": 8, "RS": 9, "RC": 10}

// CompareIDs orders node ids the way publishers print them, so that every list of
// controls in auditpack reads like the standard. It returns -1, 0 or +1 and is a total
// order, suitable for [slices.SortFunc].
//
// Ids are compared by dot-separated segments. Within a segment, a purely numeric segment
// comes before one that starts with letters ("12" before "A1"); letter prefixes follow the
// series order CC, A, C, PI, P, then any other prefix alphabetically; numbers compare by
// value ("1.2.10" after "1.2.9"); anything left compares naturally, digits by value. A
// parent comes before its children ("3.3.1" before "3.3.1.1"). Ids equal under these rules
// but spelled differently ("1.01" and "1.1") are ordered by their bytes.
func CompareIDs(a, b string) int {
	if a == b {
		return 0
	}
	ra, rb := a, b
	for {
		sa, nextA, moreA := strings.Cut(ra, ".")
		sb, nextB, moreB := strings.Cut(rb, ".")
		if c := compareSegment(sa, sb); c != 0 {
			return c
		}
		switch {
		case moreA && moreB:
			ra, rb = nextA, nextB
			continue
		case moreA:
			return 1
		case moreB:
			return -1
		}
		return strings.Compare(a, b)
	}
}

// compareSegment compares one dot-separated segment: letter prefix, leading number, rest.
func compareSegment(x, y string) int {
	lx, dx, rx := splitSegment(x)
	ly, dy, ry := splitSegment(y)
	if (lx == "") != (ly == "") {
		if lx == "" {
			return -1
		}
		return 1
	}
	if c := compareInts(prefixRank(lx), prefixRank(ly)); c != 0 {
		return c
	}
	if c := strings.Compare(strings.ToUpper(lx), strings.ToUpper(ly)); c != 0 {
		return c
	}
	if c := strings.Compare(lx, ly); c != 0 {
		return c
	}
	if c := compareDigits(dx, dy); c != 0 {
		return c
	}
	return compareNatural(rx, ry)
}

// splitSegment returns the leading ASCII letters, the digits after them, and the rest.
func splitSegment(s string) (letters, digits, rest string) {
	i := 0
	for i < len(s) && isLetter(s[i]) {
		i++
	}
	j := i
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	return s[:i], s[i:j], s[j:]
}

func prefixRank(letters string) int {
	if r, ok := seriesRank[strings.ToUpper(letters)]; ok {
		return r
	}
	return len(seriesRank)
}

// compareDigits compares two runs of ASCII digits by value without overflowing; an empty
// run comes first, and equal values with different spellings fall back to the bytes.
func compareDigits(x, y string) int {
	if (x == "") != (y == "") {
		if x == "" {
			return -1
		}
		return 1
	}
	tx, ty := strings.TrimLeft(x, "0"), strings.TrimLeft(y, "0")
	if c := compareInts(len(tx), len(ty)); c != 0 {
		return c
	}
	if c := strings.Compare(tx, ty); c != 0 {
		return c
	}
	return strings.Compare(x, y)
}

// compareNatural compares strings as runs of digits (by value) and other bytes.
func compareNatural(x, y string) int {
	for x != "" && y != "" {
		tx, restX := nextToken(x)
		ty, restY := nextToken(y)
		var c int
		if isDigit(tx[0]) && isDigit(ty[0]) {
			c = compareDigits(tx, ty)
		} else {
			c = strings.Compare(tx, ty)
		}
		if c != 0 {
			return c
		}
		x, y = restX, restY
	}
	return compareInts(len(x), len(y))
}

// nextToken splits off the leading run of digits or of non-digits.
func nextToken(s string) (tok, rest string) {
	digit := isDigit(s[0])
	i := 1
	for i < len(s) && isDigit(s[i]) == digit {
		i++
	}
	return s[:i], s[i:]
}

func compareInts(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
