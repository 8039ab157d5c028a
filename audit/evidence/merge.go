package evidence

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/auditpack/auditpack/audit/evidence/facts"
)

// readFacts fills in what an item's intact files say: Reads, the merged
// Facts (read beats stated), Targets, and the problems of reading them. A
// file whose hash does not match is not read: what a changed file says is
// not evidence.
func (st *ItemStatus) readFacts(hashes map[string]hashResult) {
	var read []ItemFact
	covered := map[string]bool{}
	for _, fsx := range st.Files {
		if !fsx.OK {
			continue
		}
		h := hashes[fsx.Path]
		fr := FileRead{Path: fsx.Path, Read: h.read}
		if h.readErr != nil {
			fr.Error = h.readErr.Error()
			st.Problems = append(st.Problems, Problem{FactsUnreadable, st.Item.ID, fsx.Path, unreadable(h.readErr)})
		}
		st.Reads = append(st.Reads, fr)
		if h.read == nil || h.readErr != nil {
			continue
		}
		for _, f := range h.read.Facts {
			read = append(read, ItemFact{Name: f.Name, Value: f.Value, Source: SourceRead, File: fsx.Path, At: f.At})
		}
		for _, f := range h.read.Targets {
			read = append(read, ItemFact{Name: f.Name, Value: f.Value, Source: SourceRead, File: fsx.Path, At: f.At, Target: f.Target})
		}
		for _, t := range h.read.Covered {
			covered[t.Name] = true
			for _, a := range t.Aliases {
				covered[a] = true
			}
		}
	}
	merged := combineFiles(read)
	for _, s := range statedFacts(st.Item.Facts) {
		i := slices.IndexFunc(merged, func(f ItemFact) bool { return f.Name == s.Name && f.Target == "" })
		if i < 0 {
			// A person's word never stands where the file says the test
			// was not made: it is dropped, and the item says why.
			if u, ok := untested(merged, s.Name); ok {
				st.Problems = append(st.Problems, Problem{FactsDisagree, st.Item.ID, u.File,
					fmt.Sprintf("%s: the manifest states %s, but the file did not test it (%s = %s at %s); the stated value does not count",
						s.Name, shownValue(s.Value), u.Name, shownValue(u.Value), u.At)})
				continue
			}
			merged = append(merged, s)
			continue
		}
		r := &merged[i]
		if !sameValue(s.Name, r.Value, s.Value) {
			r.Stated = s.Value
			st.Problems = append(st.Problems, Problem{FactsDisagree, st.Item.ID, r.File,
				fmt.Sprintf("%s: the manifest states %s, the file reads %s (at %s); the value read decides",
					s.Name, shownValue(s.Value), shownValue(r.Value), r.At)})
		}
	}
	slices.SortStableFunc(merged, func(a, b ItemFact) int {
		return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.Target, b.Target))
	})
	st.Facts = merged
	for t := range covered {
		st.Targets = append(st.Targets, t)
	}
	slices.Sort(st.Targets)
}

// untested returns a read fact (of the whole file or of a target) saying
// the file did not test what the named fact is about.
func untested(read []ItemFact, name string) (ItemFact, bool) {
	by := facts.UntestedBy(name)
	if by == "" {
		return ItemFact{}, false
	}
	i := slices.IndexFunc(read, func(f ItemFact) bool { return f.Name == by && len(toStrings(f.Value)) > 0 })
	if i < 0 {
		return ItemFact{}, false
	}
	return read[i], true
}

// unreadable says why a recognised file's facts cannot be read, with the
// place in the file where the reader gives one.
func unreadable(err error) string {
	var fe *facts.Error
	if errors.As(err, &fe) {
		return "cannot read its facts: " + fe.Error()
	}
	return "cannot read its facts: " + err.Error()
}

// combineFiles merges the facts of an item's files: a fact (of one target,
// or of the whole file) that several files give becomes one, towards the
// weaker claim as the vocabulary says (the lowest minimum version, the sum
// of open findings, the earliest scan date), located in the first file.
func combineFiles(read []ItemFact) []ItemFact {
	type key struct{ name, target string }
	groups := map[key][]ItemFact{}
	var order []key
	for _, f := range read {
		k := key{f.Name, f.Target}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], f)
	}
	out := make([]ItemFact, 0, len(order))
	for _, k := range order {
		g := groups[k]
		f := g[0]
		if len(g) > 1 {
			fs := make([]facts.Fact, len(g))
			for i, x := range g {
				fs[i] = facts.Fact{Name: x.Name, Value: x.Value, At: x.At, Target: x.Target}
			}
			if v, ok := facts.Combined(k.name, fs); ok {
				f.Value = v
			}
		}
		out = append(out, f)
	}
	return out
}

// statedFacts flattens a manifest item's facts into dotted names: facts
// may be written {tls.min_version: "1.2"} or nested, {tls: {min_version:
// "1.2"}}, and mean the same.
func statedFacts(m map[string]any) []ItemFact {
	var out []ItemFact
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, v := range m {
			name := k
			if prefix != "" {
				name = prefix + "." + k
			}
			if sub, ok := v.(map[string]any); ok && len(sub) > 0 {
				walk(name, sub)
				continue
			}
			out = append(out, ItemFact{Name: name, Value: v, Source: SourceStated})
		}
	}
	walk("", m)
	slices.SortFunc(out, func(a, b ItemFact) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// sameValue compares a read value with a stated one by the vocabulary's
// type of the fact: versions by their canonical name ("TLSv1.2" is
// "1.2"), numbers by value, lists as sets, dates by day where either has
// no time of day.
func sameValue(name string, read, stated any) bool {
	d, ok := facts.Lookup(name)
	if !ok {
		return fmt.Sprint(read) == fmt.Sprint(stated)
	}
	switch d.Type {
	case facts.Version:
		v, ok := CanonicalVersion(stated)
		return ok && v == read
	case facts.Versions:
		l, ok := list(stated, CanonicalVersion)
		return ok && sameSet(l, toStrings(read))
	case facts.Int:
		n, ok := number(stated)
		r, _ := number(read)
		return ok && n == r
	case facts.Ints:
		l, ok := list(stated, func(v any) (string, bool) {
			n, ok := number(v)
			return strconv.FormatFloat(n, 'f', -1, 64), ok
		})
		return ok && sameSet(l, toStrings(read))
	case facts.Bool:
		b, ok := stated.(bool)
		return ok && b == read
	case facts.List:
		l, ok := list(stated, func(v any) (string, bool) {
			s, ok := v.(string)
			return strings.ToLower(strings.TrimSpace(s)), ok
		})
		r := toStrings(read)
		for i := range r {
			r[i] = strings.ToLower(r[i])
		}
		return ok && sameSet(l, r)
	case facts.Date:
		s, ok := stated.(string)
		if !ok {
			return false
		}
		st, err1 := ParseDate(s)
		rt, err2 := ParseDate(fmt.Sprint(read))
		if err1 != nil || err2 != nil {
			return false
		}
		if len(s) == len("2006-01-02") || len(fmt.Sprint(read)) == len("2006-01-02") {
			return st.Format("2006-01-02") == rt.Format("2006-01-02")
		}
		return st.Equal(rt)
	}
	s, ok := stated.(string)
	return ok && strings.EqualFold(strings.TrimSpace(s), strings.TrimSpace(fmt.Sprint(read)))
}

// CanonicalVersion names an SSL/TLS version the way the vocabulary does
// ("SSLv2", "SSLv3", "1.0" … "1.3") from the ways people write it:
// "TLSv1.2", "TLS 1.2", "tls1.2", 1.2.
func CanonicalVersion(v any) (string, bool) {
	var s string
	switch t := v.(type) {
	case string:
		s = t
	case float64, json.Number, int:
		s = fmt.Sprint(t)
	default:
		return "", false
	}
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.ReplaceAll(s, " ", "")
	s = strings.ReplaceAll(s, "_", ".")
	if rest, ok := strings.CutPrefix(s, "ssl"); ok {
		switch strings.TrimPrefix(rest, "v") {
		case "2", "2.0":
			return "SSLv2", true
		case "3", "3.0":
			return "SSLv3", true
		}
		return "", false
	}
	s = strings.TrimPrefix(strings.TrimPrefix(s, "tls"), "v")
	switch s {
	case "1", "1.0":
		return "1.0", true
	case "1.1", "1.2", "1.3":
		return s, true
	}
	return "", false
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case float64:
		return n, true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

// list reads a stated list (or a single value, a list of one) through
// conv.
func list(v any, conv func(any) (string, bool)) ([]string, bool) {
	l, ok := v.([]any)
	if !ok {
		l = []any{v}
	}
	out := make([]string, 0, len(l))
	for _, e := range l {
		s, ok := conv(e)
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// toStrings renders a read list value ([]string or []int) as strings.
func toStrings(v any) []string {
	switch l := v.(type) {
	case []string:
		return slices.Clone(l)
	case []int:
		out := make([]string, len(l))
		for i, n := range l {
			out[i] = strconv.Itoa(n)
		}
		return out
	}
	return nil
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

// shownValue renders a fact's value for a message: strings quoted, lists
// in brackets.
func shownValue(v any) string {
	switch t := v.(type) {
	case string:
		return strconv.Quote(t)
	case json.Number:
		return t.String()
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
