package eval

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/mappings"
)

// factGetter reads an item's merged facts by name. With readOnly, a fact
// only stated in the manifest reads as absent: a rule that asks for facts
// read from the files does not take a person's word for them.
func factGetter(fs []evidence.ItemFact, readOnly bool) getter {
	return func(field string) any {
		f, ok := findFact(fs, field)
		if !ok || (readOnly && f.Source != evidence.SourceRead) {
			return nil
		}
		return factValue(f.Value)
	}
}

func findFact(fs []evidence.ItemFact, name string) (evidence.ItemFact, bool) {
	i := slices.IndexFunc(fs, func(f evidence.ItemFact) bool { return f.Name == name })
	if i < 0 {
		return evidence.ItemFact{}, false
	}
	return fs[i], true
}

// factValue gives a fact's value the shapes predicates compare: numbers as
// float64, lists (of numbers too) as []string.
func factValue(v any) any {
	if l, ok := v.([]int); ok {
		out := make([]string, len(l))
		for i, n := range l {
			out[i] = strconv.Itoa(n)
		}
		return out
	}
	return normalise(v)
}

// fields lists the facts a predicate reads, once each, in order.
func fields(ps []mappings.Predicate) []string {
	var out []string
	var walk func(p mappings.Predicate)
	walk = func(p mappings.Predicate) {
		if p.Field != "" && !slices.Contains(out, p.Field) {
			out = append(out, p.Field)
		}
		for _, c := range p.All {
			walk(c)
		}
		for _, c := range p.Any {
			walk(c)
		}
		if p.Not != nil {
			walk(*p.Not)
		}
	}
	for _, p := range ps {
		walk(p)
	}
	return out
}

// factsUsed returns the item's facts that the predicates read, and the
// names of those only stated.
func factsUsed(ps []mappings.Predicate, fs []evidence.ItemFact) (used []evidence.ItemFact, statedOnly []string) {
	for _, name := range fields(ps) {
		if f, ok := findFact(fs, name); ok {
			used = append(used, f)
			if f.Source != evidence.SourceRead {
				statedOnly = append(statedOnly, name)
			}
		}
	}
	return used, statedOnly
}

// statedOnlyIn names the first fact a predicate reads that the item only
// states, or "".
func statedOnlyIn(p mappings.Predicate, fs []evidence.ItemFact) string {
	_, only := factsUsed([]mappings.Predicate{p}, fs)
	if len(only) == 0 {
		return ""
	}
	return only[0]
}

// factShown quotes what the item says of the predicate's fact, and where
// it says it: the file and place of a read fact, or the manifest.
func factShown(fs []evidence.ItemFact, get getter, p mappings.Predicate) string {
	names := fields([]mappings.Predicate{p})
	if len(names) == 0 {
		return "it states other facts"
	}
	for _, n := range names {
		f, ok := findFact(fs, n)
		if !ok || get(n) == nil {
			continue
		}
		if f.Source == evidence.SourceRead {
			s := fmt.Sprintf("%s reads %s = %v at %s", f.File, n, f.Value, f.At)
			if f.Stated != nil {
				s += fmt.Sprintf("; the manifest states %v", f.Stated)
			}
			return s
		}
		return fmt.Sprintf("it states %s = %v", n, f.Value)
	}
	return names[0] + " absent"
}
