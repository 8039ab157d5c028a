package eval

import (
	"fmt"
	"strings"
	"time"

	"github.com/auditpack/auditpack/audit/evidence"
)

// isResult reports whether an item outcome is a result of the requirement:
// intact, fresh, in period and stating the facts it reads, whether they
// pass or fail. An item silent about those facts, stale or damaged shows
// nothing about the current state.
func isResult(status string) bool {
	return status == EvidenceOK || status == FactsContradict
}

// producedTime is when an item's evidence was observed, for which result
// is the newest: the earlier of its file's own date and collected_at, never
// the end of its effective period. A scan shows the state when it ran;
// a manifest's effective_until says what period the item speaks for, not
// that its observation is older than it is, so it cannot move a newer
// failure behind an older pass.
func producedTime(st *evidence.ItemStatus) time.Time {
	if st.Produced.IsZero() {
		return itemTime(st)
	}
	return st.Produced
}

// statedOnly reports whether a use rests on facts only stated in the
// manifest: one of the facts the requirement reads is not read from any
// of the item's files.
func statedOnly(u EvidenceUse) bool {
	return len(u.StatedOnly) > 0
}

// decide picks the use that decides a requirement among the uses judged
// for its candidates (uses[i] judges cands[i]) and marks every older one
// as superseded by it. The newest result decides, either way: an older
// passing item never outweighs a newer one that fails, and a newer passing
// one replaces an older failure. Two results of the same time are read
// towards the weaker claim: a failure beats a pass. Without any result the
// least damaged item is shown, and nothing is superseded.
//
// A pass resting on stated facts never overturns a failure read from a
// file: a person's word that the finding is fixed is no rescan. Such a
// failure decides over every newer stated-only pass, unless a newer read
// pass replaced it; unread (below) names the passes it held back.
func decide(uses []EvidenceUse, cands []*evidence.ItemStatus) *EvidenceUse {
	win, readWin := -1, -1
	newer := func(i, w int) bool {
		if w < 0 {
			return true
		}
		c := producedTime(cands[i]).Compare(producedTime(cands[w]))
		return c > 0 || c == 0 && statusRank(uses[i].Status) > statusRank(uses[w].Status)
	}
	for i := range uses {
		if !isResult(uses[i].Status) {
			continue
		}
		if newer(i, win) {
			win = i
		}
		if !statedOnly(uses[i]) && newer(i, readWin) {
			readWin = i
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
	if readWin >= 0 && uses[readWin].Status == FactsContradict && uses[win].Status == EvidenceOK && statedOnly(uses[win]) {
		win = readWin
	}
	at := producedTime(cands[win])
	for i := range uses {
		// A damaged item (a missing file, a hash mismatch) is no result
		// of any time, and one newer than the decider but silent or
		// stale does not become older by losing. Of two results of the
		// same time and outcome neither replaces the other.
		t := producedTime(cands[i])
		if i != win && statusRank(uses[i].Status) < 4 && (t.Before(at) || t.Equal(at) && uses[i].Status != uses[win].Status) {
			uses[i].SupersededBy = uses[win].Item
		}
	}
	return &uses[win]
}

// unread lists, for a reason, the stated-only passes newer than best, a
// failure read from a file, that decide already held back from
// overturning it. It returns "" when there are none.
func unread(uses []EvidenceUse, cands []*evidence.ItemStatus, best *EvidenceUse) string {
	if best.Status != FactsContradict || statedOnly(*best) {
		return ""
	}
	var at time.Time
	for i := range uses {
		if &uses[i] == best {
			at = producedTime(cands[i])
		}
	}
	var out []string
	for i, u := range uses {
		if u.Status == EvidenceOK && statedOnly(u) && producedTime(cands[i]).After(at) {
			out = append(out, fmt.Sprintf("%s (collected %s, stating %s)", u.Item, u.CollectedAt, strings.Join(u.StatedOnly, ", ")))
		}
	}
	return strings.Join(out, ", ")
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

// observedWithin reports whether the item was observed (producedTime) at
// most maxDays before asOf. An item too old only because its effective
// period ended earlier still counts as a result when it fails: a failing
// observation is one, whatever period a manifest says it speaks for.
func observedWithin(st *evidence.ItemStatus, asOf time.Time, maxDays int) bool {
	return int(asOf.Sub(producedTime(st)).Hours()/24) <= maxDays
}
