package diff

import (
	"cmp"
	"slices"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
)

// scopeChanges compares, per element, the rules it is in scope of: an
// element is in a rule's scope when the rule produced a result for it. A
// new flow that carries card data brings the rules that now look at it; a
// flow that was removed takes its rules with it.
func scopeChanges(old, new *audit.Results) []ScopeChange {
	ro, refsOld := scopeOf(old)
	rn, refsNew := scopeOf(new)
	inOld, inNew := modelIDs(old), modelIDs(new)
	ids := make([]string, 0, len(ro)+len(rn))
	for id := range ro {
		ids = append(ids, id)
	}
	for id := range rn {
		if _, ok := ro[id]; !ok {
			ids = append(ids, id)
		}
	}
	out := []ScopeChange{}
	for _, id := range ids {
		added, removed := minus(rn[id], ro[id]), minus(ro[id], rn[id])
		if len(added) == 0 && len(removed) == 0 {
			continue
		}
		sc := ScopeChange{Element: refsNew[id], Change: ScopeChanged, RulesAdded: added, RulesRemoved: removed}
		switch {
		case !inOld[id] && inNew[id]:
			sc.Change = ScopeAdded
		case inOld[id] && !inNew[id]:
			sc.Change = ScopeRemoved
		}
		if sc.Element.ID == "" {
			sc.Element = refsOld[id]
		}
		out = append(out, sc)
	}
	slices.SortFunc(out, func(a, b ScopeChange) int {
		if c := cmp.Compare(scopeRank(a.Change), scopeRank(b.Change)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Element.Kind, b.Element.Kind); c != 0 {
			return c
		}
		return cmp.Compare(a.Element.ID, b.Element.ID)
	})
	return out
}

func scopeRank(change string) int {
	switch change {
	case ScopeAdded:
		return 0
	case ScopeRemoved:
		return 1
	}
	return 2
}

// scopeOf maps each element id to the sorted rules it is in scope of, and
// to its reference.
func scopeOf(r *audit.Results) (map[string][]string, map[string]eval.ElementRef) {
	rules := map[string][]string{}
	refs := map[string]eval.ElementRef{}
	for _, rr := range r.RuleResults {
		if rr.Element.ID == "" {
			continue // a system-level result: nothing of the model is in scope
		}
		if !slices.Contains(rules[rr.Element.ID], rr.Rule) {
			rules[rr.Element.ID] = append(rules[rr.Element.ID], rr.Rule)
		}
		refs[rr.Element.ID] = rr.Element
	}
	for id := range rules {
		slices.Sort(rules[id])
	}
	return rules, refs
}

func modelIDs(r *audit.Results) map[string]bool {
	ids := map[string]bool{}
	for _, c := range r.Model.Components {
		ids[c.ID] = true
	}
	for _, f := range r.Model.Flows {
		ids[f.ID] = true
	}
	for _, z := range r.Model.Zones {
		ids[z.ID] = true
	}
	return ids
}

// minus returns the sorted elements of a that are not in b, never nil.
func minus(a, b []string) []string {
	out := []string{}
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}
