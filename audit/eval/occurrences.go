package eval

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/mappings"
)

// Previous is what the previous results (build --previous) say that a
// periodic requirement needs: when they were made and what was in scope.
// Their as-of date stands for the date of any change since: it is the
// latest date the change is known not to have happened by.
type Previous struct {
	AsOf time.Time
	// InScope holds the elements of the previous derived PCI DSS scope.
	InScope map[string]bool
	// Targets holds, per rule, the elements the rule judged.
	Targets map[string]map[string]bool
	// Verified says the previous results came from a package that verified
	// intact and was signed by this package's signer. Unverified results
	// may still show that the scope grew, which only asks for more; they
	// never establish that nothing changed. Unverified says why, for the
	// reason that an auditor reads.
	Verified   bool
	Unverified string
}

const day = 24 * time.Hour

// itemTime is when an item happened, for spacing and windows and for
// which result is the newest: the time it speaks for (its file's own date
// where one is read, never after the end of its effective period), as
// verification settled it. It is the one place occurrences and the
// newest-result rule read an item's time.
func itemTime(st *evidence.ItemStatus) time.Time {
	if st.Dated.IsZero() {
		return st.Item.Collected()
	}
	return st.Dated
}

// periodic checks the occurrences and the after-change test a requirement
// asks for, over the items of an accepted kind that support the target.
func (e *evaluator) periodic(r *mappings.Rule, req mappings.EvidenceRequirement, id string, cands []*evidence.ItemStatus) (Verdict, []Reason) {
	times, reasons := e.occurrenceTimes(r, req, id, cands)
	verdict := Satisfied
	if req.Occurrences != nil {
		v, why := e.occurrences(req, times)
		verdict, reasons = Worst(verdict, v), append(reasons, why...)
	}
	if req.AfterSignificantChange {
		v, why := e.afterChange(r, req, id, times)
		verdict, reasons = Worst(verdict, v), append(reasons, why...)
	}
	if req.Optional && verdict == NeedsEvidence {
		verdict = Satisfied
	}
	return verdict, reasons
}

// occurrenceTimes returns the sorted times of the items that count as
// occurrences, and the reasons some did not. An item past its own validity
// or older than max_age_days still shows that the scan or review happened
// when it did; damaged, future-dated and out-of-period items do not count.
// An item that fails its kind's pass facts (a review that left accounts
// out, a container scan filed as an ASV scan) never counts, passing or
// not: it is a deviation, not an occurrence. With Passing only items that
// also meet the rule's facts count. Items holding the same files (the same
// SHA-256s) are one occurrence, at the earliest date claimed: one report
// filed under four dates is one scan.
func (e *evaluator) occurrenceTimes(r *mappings.Rule, req mappings.EvidenceRequirement, id string, cands []*evidence.ItemStatus) ([]time.Time, []Reason) {
	passing := req.Occurrences != nil && req.Occurrences.Passing
	whole := req
	whole.MaxAgeDays = 0
	sorted := slices.Clone(cands)
	slices.SortStableFunc(sorted, func(a, b *evidence.ItemStatus) int { return itemTime(a).Compare(itemTime(b)) })
	var out []time.Time
	var deviations []string
	firstOf := map[string]string{}
	dups := map[string][]string{}
	var dupOrder []string
	for _, st := range sorted {
		cp := *st
		cp.Problems = slices.DeleteFunc(slices.Clone(st.Problems), func(p evidence.Problem) bool { return p.Type == evidence.Stale })
		own := e.judgeItem(whole, &cp, id)
		u := e.passKind(r, whole, &cp, id, own)
		if u.Status != EvidenceOK && (u.Status != own.Status || u.Message != own.Message) {
			deviations = append(deviations, fmt.Sprintf("%s (%s: %s)", st.Item.ID, date(itemTime(st)), u.Message))
			continue
		}
		if !(u.Status == EvidenceOK || (!passing && (u.Status == FactsContradict || u.Status == FactsMissing))) {
			continue
		}
		if key := fileSet(st.Item); key != "" {
			if first, seen := firstOf[key]; seen {
				if len(dups[first]) == 0 {
					dupOrder = append(dupOrder, first)
				}
				dups[first] = append(dups[first], st.Item.ID)
				continue
			}
			firstOf[key] = st.Item.ID
		}
		out = append(out, itemTime(st))
	}
	var reasons []Reason
	for _, first := range dupOrder {
		reasons = append(reasons, Reason{"occurrences-duplicate", fmt.Sprintf("%s: %s %s the same files (the same SHA-256) as %s, and count once with it",
			req.ID, strings.Join(dups[first], ", "), plural(len(dups[first]), "holds", "hold"), first)})
	}
	if len(deviations) > 0 {
		reasons = append(reasons, Reason{"occurrences-deviation", fmt.Sprintf("%s: %d %s not count as %s, being %s: %s",
			req.ID, len(deviations), plural(len(deviations), "item does", "items do"), plural(len(deviations), "an occurrence", "occurrences"),
			plural(len(deviations), "a deviation", "deviations"), strings.Join(deviations, "; "))})
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out, reasons
}

// fileSet is the sorted SHA-256s of an item's files, "" for an item with
// none: two items with the same set hold the same evidence.
func fileSet(it evidence.Item) string {
	var sums []string
	for _, f := range it.Files {
		if f.SHA256 != "" {
			sums = append(sums, f.SHA256)
		}
	}
	if len(sums) == 0 {
		return ""
	}
	slices.Sort(sums)
	return strings.Join(slices.Compact(sums), ",")
}

// occurrences checks Count items within the window, none more than
// EveryDays after the one before, the newest at most EveryDays before the
// end. With SpreadOverPeriod the window is the audit period, up to the
// as-of date, and its start counts as the first due date.
func (e *evaluator) occurrences(req mappings.EvidenceRequirement, times []time.Time) (Verdict, []Reason) {
	o := req.Occurrences
	every := time.Duration(o.EveryDays) * day
	end := e.in.AsOf
	within := o.WithinDays
	if within == 0 {
		within = o.Count * o.EveryDays
	}
	start := end.Add(-time.Duration(within) * day)
	count := o.Count
	var reasons []Reason
	spread := o.SpreadOverPeriod && !e.in.PeriodStart.IsZero()
	if spread {
		start = e.in.PeriodStart
		if !e.in.PeriodEnd.IsZero() && e.in.PeriodEnd.Before(end) {
			end = e.in.PeriodEnd
		}
		// A period shorter than Count intervals needs fewer items.
		count = min(count, 1+int(end.Sub(start)/every))
	} else if o.SpreadOverPeriod {
		reasons = append(reasons, Reason{"occurrences-no-period", fmt.Sprintf("%s: no audit period is configured, so the items were checked over the %d days to %s instead of over the period",
			req.ID, within, date(end))})
	}
	what := strings.Join(req.Kinds, " or ")
	if o.Passing {
		what = "passing " + what
	}
	var in []time.Time
	for _, t := range times {
		if !t.Before(start) && !t.After(end) {
			in = append(in, t)
		}
	}
	var gaps []string
	gap := func(from, to time.Time) {
		gaps = append(gaps, fmt.Sprintf("no %s between %s and %s", what, date(from), date(to)))
	}
	// empty names each EveryDays window after a due date (an item, or the
	// window's start) that passes with no item before next: a scan missed
	// three quarters running names all three.
	empty := func(due, next time.Time, first time.Duration) {
		for next.Sub(due) > every {
			gap(due.Add(first), due.Add(every))
			due, first = due.Add(every), day
		}
	}
	switch {
	case len(in) == 0:
		gaps = append(gaps, fmt.Sprintf("no %s between %s and %s", what, date(start), date(end)))
	default:
		// The window's start is the first due date, as each item is the
		// next one's: four scans in the last quarter leave the three
		// before empty. A schedule kept since before the window always
		// meets it, since the item before the start was at most
		// EveryDays before the first one in it.
		empty(start, in[0], 0)
		for i := 1; i < len(in); i++ {
			empty(in[i-1], in[i], day)
		}
		empty(in[len(in)-1], end, day)
		if len(gaps) == 0 && len(in) < count {
			gap(start, in[0].Add(-day))
		}
	}
	window := fmt.Sprintf("the %d days to %s", within, date(end))
	if spread {
		window = fmt.Sprintf("the audit period %s to %s", date(start), date(end))
	}
	if len(gaps) > 0 {
		return NeedsEvidence, append(reasons, Reason{"occurrences-missing", fmt.Sprintf("%s asks for %d %s items, at most %d days apart, over %s; %d found: %s",
			req.ID, count, what, o.EveryDays, window, len(in), strings.Join(gaps, "; "))})
	}
	return Satisfied, append(reasons, Reason{"occurrences-ok", fmt.Sprintf("%s: %d %s items over %s, none more than %d days apart",
		req.ID, len(in), what, window, o.EveryDays)})
}

// afterChange asks, when the scope grew since the previous results, for an
// item dated after them. Without previous results it says the check could
// not be made.
func (e *evaluator) afterChange(r *mappings.Rule, req mappings.EvidenceRequirement, id string, times []time.Time) (Verdict, []Reason) {
	p := e.in.Previous
	if p == nil {
		return Satisfied, []Reason{{"after-change-unchecked", fmt.Sprintf("%s: whether the scope changed since the last test could not be checked: no previous results were given (build --previous)", req.ID)}}
	}
	var added []string
	if prev, ok := p.Targets[r.ID]; ok && id != "" && !prev[id] {
		added = append(added, id)
	}
	if id == "" {
		for _, c := range e.x.Model.Components {
			if e.x.ScopeOf(c.ID).Class != "" && !p.InScope[c.ID] {
				added = append(added, c.ID)
			}
		}
		for _, f := range e.x.Model.Flows {
			if e.x.ScopeOf(f.ID).Class != "" && !p.InScope[f.ID] {
				added = append(added, f.ID)
			}
		}
	}
	unverifiedWhy := p.Unverified
	if unverifiedWhy == "" {
		unverifiedWhy = "nothing said how they were checked"
	}
	if len(added) == 0 {
		if !p.Verified {
			return Satisfied, []Reason{{"after-change-unchecked", fmt.Sprintf("%s: whether the scope changed since the last test could not be checked: the previous results of %s show nothing new in scope, but they are not verified (%s)",
				req.ID, date(p.AsOf), unverifiedWhy)}}
		}
		return Satisfied, []Reason{{"after-change-none", fmt.Sprintf("%s: nothing came into scope since the previous results of %s", req.ID, date(p.AsOf))}}
	}
	names := make([]string, len(added))
	for i, a := range added {
		names[i] = fmt.Sprintf("%s %q", e.x.KindOf(a), e.x.NameOf(a))
	}
	if len(times) > 0 && times[len(times)-1].After(p.AsOf) {
		unverified := ""
		if !p.Verified {
			unverified = fmt.Sprintf(" (the previous results, and so the date of the change, are not verified: %s)", unverifiedWhy)
		}
		return Satisfied, []Reason{{"after-change-ok", fmt.Sprintf("%s: scope grew since the previous results of %s (%s), and an item dated %s follows%s",
			req.ID, date(p.AsOf), strings.Join(names, ", "), date(times[len(times)-1]), unverified)}}
	}
	return NeedsEvidence, []Reason{{"after-change-missing", fmt.Sprintf("%s: scope grew since the previous results of %s (%s newly in scope); no %s is dated after that",
		req.ID, date(p.AsOf), strings.Join(names, ", "), strings.Join(req.Kinds, " or "))}}
}

func date(t time.Time) string { return t.UTC().Format(time.DateOnly) }
