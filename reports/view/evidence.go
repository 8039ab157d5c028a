package view

import (
	"fmt"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
)

// flagsOf indexes, per evidence item, the uses in which a rule judged the
// item not ok (too old for that rule, its facts contradicting it), in
// results order. An item whose own status is ok can still fail a rule, and
// its row must say so.
func flagsOf(r *audit.Results) map[string][]*eval.EvidenceUse {
	out := map[string][]*eval.EvidenceUse{}
	for i := range r.RuleResults {
		rr := &r.RuleResults[i]
		for j := range rr.Evidence {
			if u := &rr.Evidence[j]; u.Status != eval.EvidenceOK {
				out[u.Item] = append(out[u.Item], u)
			}
		}
	}
	return out
}

// EvidenceFlags returns the uses in which a rule judged an evidence item
// not ok, in results order. The index is built on first use: it walks
// every rule result's evidence.
func (v *View) EvidenceFlags(item string) []*eval.EvidenceUse { return v.flags()[item] }

// EvidenceFlagText says in one line what the rules found wanting in an
// item: the first use's status and message and how many findings it
// concerns, "" when no rule flagged it.
func EvidenceFlagText(uses []*eval.EvidenceUse) string {
	if len(uses) == 0 {
		return ""
	}
	return fmt.Sprintf("%s for %d finding(s): %s", uses[0].Status, len(uses), uses[0].Message)
}
