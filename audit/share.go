package audit

import (
	"slices"
)

// shareEvidence fills Control.SharedWith: for each control, the controls of
// other frameworks whose findings use one of the same evidence items. An
// auditor sees that a single TLS scan backs PCI DSS 4.2.1 and SOC 2 CC6.7,
// and a change to that scan touches both.
//
// A flow control of a large model has tens of thousands of findings that
// share a few evidence items, so every "seen" check is a set lookup: list
// scans made this quadratic in the findings of one control.
func shareEvidence(r *Results) {
	items := map[string][]string{} // "rule\x00element" → evidence item ids
	for _, rr := range r.RuleResults {
		if len(rr.Evidence) == 0 {
			continue
		}
		key := rr.Rule + "\x00" + rr.Element.ID
		have := items[key]
		for _, u := range rr.Evidence {
			if !slices.Contains(have, u.Item) {
				have = append(have, u.Item)
			}
		}
		items[key] = have
	}
	byItem := map[string][]int{} // evidence item → indexes of controls using it
	for i, c := range r.Controls {
		seen := map[string]bool{}
		for _, f := range c.Findings {
			for _, it := range items[f.Rule+"\x00"+f.Element.ID] {
				if seen[it] {
					continue
				}
				seen[it] = true
				byItem[it] = append(byItem[it], i)
			}
		}
	}
	shared := make([]map[string]bool, len(r.Controls))
	// The walk's order does not matter: it only fills sets, sorted below.
	for _, idxs := range byItem {
		for _, a := range idxs {
			for _, b := range idxs {
				fa, cb := r.Controls[a].Framework, r.Controls[b]
				if fa == cb.Framework {
					continue
				}
				if shared[a] == nil {
					shared[a] = map[string]bool{}
				}
				shared[a][cb.Ref] = true
			}
		}
	}
	for i := range r.Controls {
		refs := make([]string, 0, len(shared[i]))
		for ref := range shared[i] {
			refs = append(refs, ref)
		}
		slices.Sort(refs)
		r.Controls[i].SharedWith = refs
	}
}
