package facts

import (
	"slices"
	"strings"
)

// combine derives whole-file facts from per-target ones, for every fact of
// the vocabulary the parser did not state about the whole file (have).
// Facts outside the vocabulary are never combined.
//
// A target silent on a fact whose whole-file value is a claim about every
// target (the lowest version, no weak suite, every certificate trusted)
// leaves that value unknown: the fact is then not combined, rather than
// read from the targets that gave it, so that one host's result never
// stands for a host the tool did not test.
func combine(targets []Fact, have map[string]bool) []Fact {
	byName := map[string][]Fact{}
	var names []string
	all := map[string]bool{}
	for _, f := range targets {
		all[f.Target] = true
	}
	for _, f := range targets {
		if have[f.Name] {
			continue
		}
		if _, ok := byName[f.Name]; !ok {
			names = append(names, f.Name)
		}
		byName[f.Name] = append(byName[f.Name], f)
	}
	slices.Sort(names)
	var out []Fact
	for _, n := range names {
		d, ok := Lookup(n)
		if !ok || d.Combine == FileOnly {
			continue
		}
		if silenceMatters(d) && len(targetsOf(byName[n])) < len(all) {
			continue
		}
		if v, ok := combined(d, byName[n]); ok {
			out = append(out, Fact{Name: n, Value: v, At: commonAt(byName[n])})
		}
	}
	return out
}

// silenceMatters reports whether a target silent on the fact makes its
// whole-file value unknown: for a lowest or highest value, a flag over
// every target, and the list of accepted versions. Lists of what was
// found (errors, ports, findings) and counts are not claims about the
// targets that give none, nor is the list of untested versions.
func silenceMatters(d Def) bool {
	switch d.Combine {
	case Lowest, Highest, AnyTrue, AllTrue:
		return true
	case Union:
		return d.Type == Versions && d.Name != "tls.protocols_untested"
	}
	return false
}

func targetsOf(fs []Fact) map[string]bool {
	out := map[string]bool{}
	for _, f := range fs {
		out[f.Target] = true
	}
	return out
}

func combined(d Def, fs []Fact) (any, bool) {
	switch d.Combine {
	case Union:
		switch d.Type {
		case Ints:
			var all []int
			for _, f := range fs {
				all = append(all, f.Value.([]int)...)
			}
			return SortedInts(all), true
		case Versions:
			var all []string
			for _, f := range fs {
				all = append(all, f.Value.([]string)...)
			}
			return SortedVersions(all), true
		default:
			var all []string
			for _, f := range fs {
				all = append(all, f.Value.([]string)...)
			}
			return SortedList(all), true
		}
	case AnyTrue, AllTrue:
		want := d.Combine == AnyTrue
		for _, f := range fs {
			if f.Value.(bool) == want {
				return want, true
			}
		}
		return !want, true
	case Sum:
		n := 0
		for _, f := range fs {
			n += f.Value.(int)
		}
		return n, true
	case Lowest, Highest:
		best := fs[0].Value
		for _, f := range fs[1:] {
			c := compareValues(d.Type, f.Value, best)
			if (d.Combine == Lowest && c < 0) || (d.Combine == Highest && c > 0) {
				best = f.Value
			}
		}
		return best, true
	}
	return nil, false
}

func compareValues(t Type, a, b any) int {
	switch t {
	case Int:
		return a.(int) - b.(int)
	case Version:
		return CompareVersions(a.(string), b.(string))
	}
	return strings.Compare(a.(string), b.(string))
}

// commonAt is where a combined fact came from: the longest path all its
// sources share, or "/" when they share none.
func commonAt(fs []Fact) string {
	at := fs[0].At
	for _, f := range fs[1:] {
		for !strings.HasPrefix(f.At, at) {
			i := strings.LastIndexAny(at[:max(len(at)-1, 0)], "/")
			if i <= 0 {
				return "/"
			}
			at = at[:i]
		}
	}
	return at
}

// versionRank orders SSL/TLS versions; unknown names sort first, as the
// weakest, so that a version a parser cannot place never reads as strong.
var versionRank = map[string]int{"SSLv2": 1, "SSLv3": 2, "1.0": 3, "1.1": 4, "1.2": 5, "1.3": 6}

// CompareVersions orders two canonical SSL/TLS version names.
func CompareVersions(a, b string) int { return versionRank[a] - versionRank[b] }

// SortedVersions returns the distinct versions, lowest first.
func SortedVersions(v []string) []string {
	out := SortedList(v)
	slices.SortStableFunc(out, CompareVersions)
	return out
}

// SortedList returns the distinct strings, sorted; never nil, so that an
// empty list reads as [] rather than null.
func SortedList(v []string) []string {
	out := append([]string{}, v...)
	slices.Sort(out)
	return slices.Compact(out)
}

// SortedInts returns the distinct ints, sorted; never nil.
func SortedInts(v []int) []int {
	out := append([]int{}, v...)
	slices.Sort(out)
	return slices.Compact(out)
}
