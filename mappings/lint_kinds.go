package mappings

import (
	"fmt"
	"strings"
)

// kinds checks the kinds an evidence requirement names: each is in the
// vocabulary, and a requirement that names a specific kind does not also
// name a generic one, which would let any scan or test stand for it.
func (l *linter) kinds(e EvidenceRequirement, ptr string) {
	specific := false
	for _, kd := range e.Kinds {
		if k, ok := KindByID(kd); ok && !k.Generic && len(k.Pass) > 0 {
			specific = true
		}
	}
	for k, kd := range e.Kinds {
		ek, ok := KindByID(kd)
		switch {
		case !ok:
			l.add(fmt.Sprintf("%s/kinds/%d", ptr, k), "unknown evidence kind %q (known: %s)", kd, strings.Join(EvidenceKindIDs(), ", "))
		case ek.Generic && specific:
			l.add(fmt.Sprintf("%s/kinds/%d", ptr, k), "the generic kind %q would let any item stand for the specific kinds this requirement names: drop it", kd)
		}
	}
}

// occurrences checks that a periodic requirement can be met: Count items
// at most EveryDays apart fit in WithinDays, a requirement spread over the
// audit period names no window of its own, and items repeated for a rule
// are not asked of each element of a system rule.
func (l *linter) occurrences(e EvidenceRequirement, ptr, kind string) {
	o := e.Occurrences
	ptr += "/occurrences"
	if o.WithinDays > 0 && o.SpreadOverPeriod {
		l.add(ptr+"/within_days", "spread_over_period covers the audit period: within_days has no meaning with it")
	}
	// Count items at the stated spacing span (Count-1) × EveryDays: a
	// window shorter than that can hold them only closer together than
	// the rule says they recur, which is a mistake in the rule.
	if span := (o.Count - 1) * o.EveryDays; o.WithinDays > 0 && span > o.WithinDays {
		l.add(ptr, "%d items every %d days span %d days, more than within_days (%d): lower count or raise within_days",
			o.Count, o.EveryDays, span, o.WithinDays)
	}
	if e.MaxAgeDays > 0 && e.MaxAgeDays < o.EveryDays {
		l.add(ptr+"/every_days", "every_days (%d) is longer than max_age_days (%d): the newest item would be too old before the next is due", o.EveryDays, e.MaxAgeDays)
	}
}
