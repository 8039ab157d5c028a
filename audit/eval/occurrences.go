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
	times := e.occurrenceTimes(r, req, id, cands)
	verdict := Satisfied
	var reasons []Reason
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
// occurrences. An item past its own validity or older than max_age_days
// still shows that the scan or review happened when it did; damaged,
// future-dated and out-of-period items do not count. With Passing only
// items that meet the rule's facts and their kind's pass facts count.
func (e *evaluator) occurrenceTimes(r *mappings.Rule, req mappings.EvidenceRequirement, id string, cands []*evidence.ItemStatus) []time.Time {
	passing := req.Occurrences != nil && req.Occurrences.Passing
	whole := req
	whole.MaxAgeDays = 0
	var out []time.Time
	for _, st := range cands {
		cp := *st
		cp.Problems = slices.DeleteFunc(slices.Clone(st.Problems), func(p evidence.Problem) bool { return p.Type == evidence.Stale })
		u := passKind(r, &cp, e.judgeItem(whole, &cp, id))
		if u.Status == EvidenceOK || (!passing && (u.Status == FactsContradict || u.Status == FactsMissing)) {
			out = append(out, itemTime(st))
		}
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out
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
	switch {
	case len(in) == 0:
		gaps = append(gaps, fmt.Sprintf("no %s between %s and %s", what, date(start), date(end)))
	default:
		if spread && in[0].Sub(start) > every {
			gap(start, start.Add(every))
		}
		for i := 1; i < len(in); i++ {
			if in[i].Sub(in[i-1]) > every {
				gap(in[i-1].Add(day), in[i-1].Add(every))
			}
		}
		if last := in[len(in)-1]; end.Sub(last) > every {
			gap(last.Add(day), last.Add(every))
		}
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
	if len(added) == 0 {
		return Satisfied, []Reason{{"after-change-none", fmt.Sprintf("%s: nothing came into scope since the previous results of %s", req.ID, date(p.AsOf))}}
	}
	names := make([]string, len(added))
	for i, a := range added {
		names[i] = fmt.Sprintf("%s %q", e.x.KindOf(a), e.x.NameOf(a))
	}
	if len(times) > 0 && times[len(times)-1].After(p.AsOf) {
		return Satisfied, []Reason{{"after-change-ok", fmt.Sprintf("%s: scope grew since the previous results of %s (%s), and an item dated %s follows",
			req.ID, date(p.AsOf), strings.Join(names, ", "), date(times[len(times)-1]))}}
	}
	return NeedsEvidence, []Reason{{"after-change-missing", fmt.Sprintf("%s: scope grew since the previous results of %s (%s newly in scope); no %s is dated after that",
		req.ID, date(p.AsOf), strings.Join(names, ", "), strings.Join(req.Kinds, " or "))}}
}

func date(t time.Time) string { return t.UTC().Format(time.DateOnly) }
