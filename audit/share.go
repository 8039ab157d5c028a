package audit

import (
	"slices"
)

// shareEvidence fills Control.SharedWith: for each control, the controls of
// other frameworks whose findings use one of the same evidence items. An
// auditor sees that a single TLS scan backs PCI DSS 4.2.1 and SOC 2 CC6.7,
// and a change to that scan touches both.
func shareEvidence(r *Results) {
	items := map[string][]string{} // "rule\x00element" → evidence item ids
	for _, rr := range r.RuleResults {
		key := rr.Rule + "\x00" + rr.Element.ID
		for _, u := range rr.Evidence {
			if !slices.Contains(items[key], u.Item) {
				items[key] = append(items[key], u.Item)
			}
		}
	}
	byItem := map[string][]int{} // evidence item → indexes of controls using it
	for i, c := range r.Controls {
		var seen []string
		for _, f := range c.Findings {
			for _, it := range items[f.Rule+"\x00"+f.Element.ID] {
				if !slices.Contains(seen, it) {
					seen = append(seen, it)
					byItem[it] = append(byItem[it], i)
				}
			}
		}
	}
	for i := range r.Controls {
		r.Controls[i].SharedWith = []string{}
	}
	for _, idxs := range byItem {
		for _, a := range idxs {
			for _, b := range idxs {
				ca, cb := &r.Controls[a], r.Controls[b]
				if ca.Framework != cb.Framework && !slices.Contains(ca.SharedWith, cb.Ref) {
					ca.SharedWith = append(ca.SharedWith, cb.Ref)
				}
			}
		}
	}
	for i := range r.Controls {
		slices.Sort(r.Controls[i].SharedWith)
	}
}
