package facts

import "slices"

// Combined merges facts of one name that several files of one evidence
// item give, towards the weaker claim as [Vocabulary] says. A fact stated
// only about a whole file combines too: scan.date to the earliest date
// (the older file decides how fresh the item is), any other to the first
// file's value. ok is false for a name outside the vocabulary.
func Combined(name string, fs []Fact) (any, bool) {
	d, ok := Lookup(name)
	if !ok || len(fs) == 0 {
		return nil, false
	}
	if d.Combine != FileOnly {
		return combined(d, fs)
	}
	if d.Type == Date {
		return slices.MinFunc(fs, func(a, b Fact) int { return compareValues(Date, a.Value, b.Value) }).Value, true
	}
	return fs[0].Value, true
}
