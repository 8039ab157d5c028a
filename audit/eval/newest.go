package eval

import (
	"fmt"
	"strings"

	"github.com/auditpack/auditpack/audit/evidence"
)

// isResult reports whether an item outcome is a result of the requirement:
// intact, fresh, in period and stating the facts it reads, whether they
// pass or fail. An item silent about those facts, stale or damaged shows
// nothing about the current state.
func isResult(status string) bool {
	return status == EvidenceOK || status == FactsContradict
}

// decide picks the use that decides a requirement among the uses judged
// for its candidates (uses[i] judges cands[i]) and marks every older one
// as superseded by it. The newest result decides, either way: an older
// passing item never outweighs a newer one that fails, and a newer passing
// one replaces an older failure. Two results of the same time are read
// towards the weaker claim: a failure beats a pass. Without any result the
// least damaged item is shown, and nothing is superseded.
func decide(uses []EvidenceUse, cands []*evidence.ItemStatus) *EvidenceUse {
	win := -1
	for i := range uses {
		if !isResult(uses[i].Status) {
			continue
		}
		if win < 0 {
			win = i
			continue
		}
		switch c := itemTime(cands[i]).Compare(itemTime(cands[win])); {
		case c > 0, c == 0 && statusRank(uses[i].Status) > statusRank(uses[win].Status):
			win = i
		}
	}
	if win < 0 {
		best := 0
		for i := range uses {
			if statusRank(uses[i].Status) < statusRank(uses[best].Status) {
				best = i
			}
		}
		return &uses[best]
	}
	at := itemTime(cands[win])
	for i := range uses {
		// A damaged item (a missing file, a hash mismatch) is no result
		// of any time, and one newer than the decider but silent or
		// stale does not become older by losing. Of two results of the
		// same time and outcome neither replaces the other.
		t := itemTime(cands[i])
		if i != win && statusRank(uses[i].Status) < 4 && (t.Before(at) || t.Equal(at) && uses[i].Status != uses[win].Status) {
			uses[i].SupersededBy = uses[win].Item
		}
	}
	return &uses[win]
}

// superseded lists, for a reason, the uses best superseded whose own
// outcome differs from it: those whose word the newer item overturned.
// It returns "" when none did.
func superseded(uses []EvidenceUse, best *EvidenceUse) string {
	var out []string
	for _, u := range uses {
		if u.SupersededBy == best.Item && u.Status != best.Status {
			out = append(out, fmt.Sprintf("%s (collected %s, %s)", u.Item, u.CollectedAt, u.Status))
		}
	}
	return strings.Join(out, ", ")
}
