package evidence

import (
	"fmt"
	"time"
)

// judgeDates settles the time the item speaks for and judges it: the
// file's own date, where one is read and earlier, decides over
// collected_at, and an effective period ending earlier moves it back to
// that end. Each step can only make the item older, never newer than its
// collection: the weaker claim. A file date differing from collected_at
// either way is a problem that does not disqualify, and says which date
// was used.
//
// Future-dated is judged on the latest date given for when the evidence
// was produced, the file's own one included: a file that claims a day
// after the as-of date cannot be judged yet, whichever date ages it. Stale (by
// valid_days, counted from the time it speaks for) and outside-period on
// the time it speaks for.
func (st *ItemStatus) judgeDates(opts Options) {
	it := st.Item
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	produced, producedBy := it.collected, "collected"
	latest, latestBy := produced, producedBy
	if f, ok := st.fileDate(); ok {
		t, err := ParseDate(fmt.Sprint(f.Value))
		switch {
		case err != nil:
			// A file whose own time is no date cannot have the item's
			// date checked against it, so its facts cannot be said to
			// speak for any time: the item is not passed over as dated.
			st.Problems = append(st.Problems, Problem{FactsUnreadable, it.ID, f.File,
				fmt.Sprintf("the file's own date (at %s) is not a date: %v", f.At, err)})
		case day(t) != day(it.collected) && t.After(it.collected):
			st.Problems = append(st.Problems, Problem{DateDisagree, it.ID, f.File,
				fmt.Sprintf("the file says it was made on %s (at %s), after collected_at %s; a file cannot be made after it was collected, so collected_at decides", day(t), f.At, day(it.collected))})
			latest, latestBy = t, "dated by its file"
		case day(t) != day(it.collected):
			st.Problems = append(st.Problems, Problem{DateDisagree, it.ID, f.File,
				fmt.Sprintf("the file says it was made on %s (at %s), collected_at says %s; the file's earlier date decides", day(t), f.At, day(it.collected))})
			produced, producedBy = t, "dated by its file"
		case t.Before(produced):
			produced = t
		}
	}
	st.Produced = produced
	st.Dated = produced
	datedBy := producedBy
	if !it.effUntil.IsZero() && it.effUntil.Before(st.Dated) {
		st.Dated, datedBy = it.effUntil, "effective until"
	}
	st.AgeDays = int(opts.AsOf.Sub(st.Dated).Hours() / 24)
	if it.ValidUntil == "" && it.ValidDays > 0 {
		st.Item.until = st.Dated.AddDate(0, 0, it.ValidDays)
	}
	if latest.After(opts.AsOf) {
		st.Problems = append(st.Problems, Problem{FutureDated, it.ID, "",
			fmt.Sprintf("%s %s, after the as-of date %s", latestBy, day(latest), day(opts.AsOf))})
	}
	if until := st.Item.until; !until.IsZero() && !opts.AsOf.Before(until) {
		st.Problems = append(st.Problems, Problem{Stale, it.ID, "",
			fmt.Sprintf("valid until %s, expired by the as-of date %s", day(until), day(opts.AsOf))})
	}
	if (!opts.PeriodStart.IsZero() && st.Dated.Before(opts.PeriodStart)) ||
		(!opts.PeriodEnd.IsZero() && st.Dated.After(opts.PeriodEnd.Add(24*time.Hour-time.Nanosecond))) {
		st.Problems = append(st.Problems, Problem{OutsidePeriod, it.ID, "",
			fmt.Sprintf("%s %s, outside the audit period %s to %s", datedBy, day(st.Dated), day(opts.PeriodStart), day(opts.PeriodEnd))})
	}
}

// fileDate is the read scan.date of the whole item (the earliest, when
// several files give one).
func (st *ItemStatus) fileDate() (ItemFact, bool) {
	for _, f := range st.Facts {
		if f.Name == "scan.date" && f.Target == "" && f.Source == SourceRead {
			return f, true
		}
	}
	return ItemFact{}, false
}
