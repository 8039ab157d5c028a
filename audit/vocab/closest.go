package vocab

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Closest returns the known value nearest to s when it is at most maxDist
// edits away, comparing without regard to case or surrounding space. An
// edit inserts, deletes or replaces one character or swaps two adjacent
// ones. Ties go to the alphabetically first value, so the suggestion never
// depends on the order of known.
func Closest(s string, known []string, maxDist int) (string, bool) {
	key := fold(s)
	best, bestDist := "", maxDist+1
	for _, k := range known {
		if d := Distance(key, fold(k)); d < bestDist || d == bestDist && k < best {
			best, bestDist = k, d
		}
	}
	return best, best != ""
}

// fold reduces a value to the form a reader sees: compatibility forms
// (full-width letters) normalised, invisible format characters (zero-width
// spaces) removed, letters of other scripts that look Latin replaced by the
// Latin ones, and case ignored. A tag that renders as "cde" then is "cde",
// or one edit from it.
func fold(s string) string {
	s = norm.NFKC.String(s)
	s = strings.Map(func(r rune) rune {
		if unicode.In(r, unicode.Cf) {
			return -1
		}
		if l, ok := lookalike[r]; ok {
			return l
		}
		return r
	}, s)
	return strings.ToLower(strings.TrimSpace(s))
}

// lookalike maps Cyrillic and Greek letters to the Latin letters they are
// drawn like.
var lookalike = map[rune]rune{
	'а': 'a', 'с': 'c', 'ԁ': 'd', 'е': 'e', 'һ': 'h', 'і': 'i', 'ј': 'j', 'к': 'k', 'о': 'o', 'р': 'p',
	'ԛ': 'q', 'ѕ': 's', 'т': 't', 'у': 'y', 'х': 'x', 'ԝ': 'w', 'ո': 'n',
	'А': 'A', 'В': 'B', 'С': 'C', 'Е': 'E', 'Н': 'H', 'І': 'I', 'Ј': 'J', 'К': 'K', 'М': 'M', 'О': 'O',
	'Р': 'P', 'Ѕ': 'S', 'Т': 'T', 'Х': 'X', 'У': 'Y',
	'α': 'a', 'ε': 'e', 'ι': 'i', 'κ': 'k', 'ο': 'o', 'ρ': 'p', 'τ': 't', 'υ': 'u', 'χ': 'x', 'ν': 'v',
	'Α': 'A', 'Β': 'B', 'Ε': 'E', 'Η': 'H', 'Ι': 'I', 'Κ': 'K', 'Μ': 'M', 'Ν': 'N', 'Ο': 'O', 'Ρ': 'P',
	'Τ': 'T', 'Χ': 'X', 'Υ': 'Y', 'Ζ': 'Z',
}

// Distance is the optimal string alignment distance between a and b,
// counted in runes: the fewest insertions, deletions, replacements and
// swaps of adjacent runes that turn a into b.
func Distance(a, b string) int {
	r, s := []rune(a), []rune(b)
	// Three rows suffice: the swap looks two rows back.
	prev2 := make([]int, len(s)+1)
	prev := make([]int, len(s)+1)
	cur := make([]int, len(s)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(r); i++ {
		cur[0] = i
		for j := 1; j <= len(s); j++ {
			cost := 1
			if r[i-1] == s[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && r[i-1] == s[j-2] && r[i-2] == s[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(s)]
}
