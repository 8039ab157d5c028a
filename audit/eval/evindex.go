package eval

import (
	"slices"

	"github.com/auditpack/auditpack/audit/evidence"
)

// evidenceIndex finds the bundle items that may support a target without
// scanning the whole bundle for every (rule, element) pair, which made
// evaluation quadratic in model size times bundle size. It only narrows the
// search: each candidate is still judged by the same conditions, in bundle
// order, so results are identical to a full scan.
type evidenceIndex struct {
	items []*evidence.ItemStatus
	pos   map[string]int // item id → position in items
	// Items by what a support names ([FormOf]); capOnly holds items with
	// a support naming only a capability; attest holds attestations per
	// rule.
	byElement, byMitigation, byRule, byControl, capOnly, attest map[string][]int
}

func newEvidenceIndex(x *evidence.Index) *evidenceIndex {
	ix := &evidenceIndex{pos: map[string]int{}, byElement: map[string][]int{}, byMitigation: map[string][]int{},
		byRule: map[string][]int{}, byControl: map[string][]int{}, capOnly: map[string][]int{}, attest: map[string][]int{}}
	if x == nil {
		return ix
	}
	ix.items = x.Items
	add := func(m map[string][]int, key string, i int) {
		if l := m[key]; len(l) == 0 || l[len(l)-1] != i {
			m[key] = append(l, i)
		}
	}
	for i, st := range x.Items {
		ix.pos[st.Item.ID] = i
		// Each entry is indexed under the one thing its form names, so
		// that {mitigation, element} is found through the mitigation
		// only and never read as a link to the element as a whole.
		for _, s := range st.Item.Supports {
			switch FormOf(s) {
			case LinkMitigation, LinkMitigationElement, LinkMitigationCapability:
				add(ix.byMitigation, s.Mitigation, i)
			case LinkElement, LinkElementCapability:
				add(ix.byElement, s.Element, i)
			case LinkCapability:
				add(ix.capOnly, s.Capability, i)
			case LinkRule:
				add(ix.byRule, s.Rule, i)
				if st.Item.Kind == "attestation" && s.Element == "" {
					add(ix.attest, s.Rule, i)
				}
			case LinkControl:
				add(ix.byControl, s.Control, i)
			}
		}
	}
	return ix
}

// gather returns the items at the given positions, each once, in bundle order.
func (ix *evidenceIndex) gather(lists ...[]int) []*evidence.ItemStatus {
	var all []int
	for _, l := range lists {
		all = append(all, l...)
	}
	slices.Sort(all)
	all = slices.Compact(all)
	out := make([]*evidence.ItemStatus, len(all))
	for i, p := range all {
		out[i] = ix.items[p]
	}
	return out
}

// ids returns the positions of the items with the given ids that exist.
func (ix *evidenceIndex) ids(ids []string) []int {
	var out []int
	for _, id := range ids {
		if p, ok := ix.pos[id]; ok {
			out = append(out, p)
		}
	}
	return out
}
