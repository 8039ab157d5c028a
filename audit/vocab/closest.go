package vocab

import (
	"slices"
	"strings"
)

// Closest returns the known value nearest to s when it is at most maxDist
// edits away, comparing without regard to case or surrounding space. An
// edit inserts, deletes or replaces one character or swaps two adjacent
// ones. Ties go to the alphabetically first value, so the suggestion never
// depends on the order of known.
func Closest(s string, known []string, maxDist int) (string, bool) {
	sorted := slices.Clone(known)
	slices.Sort(sorted)
	key := fold(s)
	best, bestDist := "", maxDist+1
	for _, k := range sorted {
		if d := Distance(key, fold(k)); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best, best != ""
}

func fold(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

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
