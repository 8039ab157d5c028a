package audit

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/auditpack/auditpack/audit/eval"
)

// Disagreement is a verdict or count on which two results of the same
// inputs differ: what results.json records and what evaluating the
// recorded inputs again gives.
type Disagreement struct {
	// What names the verdict or count: "rule R-1 on flow f-1",
	// "control pci-dss@4.0.1:1.2.3", "summary not-satisfied",
	// "framework pci-dss@4.0.1 not-satisfied".
	What string
	// Recorded and Derived are the two values; "absent" where one side
	// has no such verdict.
	Recorded, Derived string
}

// absent stands for a verdict one side of a comparison does not have.
const absent = "absent"

// Disagreements compares every (rule, element) verdict, every control
// verdict, and every count of the summary and of each framework of
// recorded with derived, and returns each difference, rule results first,
// then controls, frameworks and the summary, each sorted.
func Disagreements(recorded, derived *Results) []Disagreement {
	var out []Disagreement
	type ruleKey struct{ rule, kind, id string }
	out = append(out, differ(recorded.RuleResults, derived.RuleResults,
		func(r eval.Result) ruleKey { return ruleKey{r.Rule, r.Element.Kind, r.Element.ID} },
		func(a, b ruleKey) int {
			return cmp.Or(strings.Compare(a.rule, b.rule), strings.Compare(a.kind, b.kind), strings.Compare(a.id, b.id))
		},
		func(k ruleKey) string { return "rule " + k.rule + " on " + k.kind + " " + k.id },
		func(r eval.Result) string { return string(r.Verdict) })...)
	out = append(out, differ(recorded.Controls, derived.Controls,
		func(c Control) string { return c.Ref }, strings.Compare,
		func(ref string) string { return "control " + ref },
		func(c Control) string { return controlVerdict(c) })...)
	frameworks := func(r *Results) []namedCount {
		var nc []namedCount
		for _, f := range r.Frameworks {
			for _, c := range countsOf(f.Counts) {
				nc = append(nc, namedCount{f.Ref + " " + c.name, c.n})
			}
		}
		return nc
	}
	out = append(out, differ(frameworks(recorded), frameworks(derived),
		func(c namedCount) string { return c.name }, strings.Compare,
		func(name string) string { return "framework " + name },
		func(c namedCount) string { return strconv.Itoa(c.n) })...)
	out = append(out, differ(countsOf(recorded.Summary), countsOf(derived.Summary),
		func(c namedCount) string { return c.name }, strings.Compare,
		func(name string) string { return "summary " + name },
		func(c namedCount) string { return strconv.Itoa(c.n) })...)
	return out
}

// controlVerdict is a control's verdict with, for a satisfied or manual
// one, the part the counts split it by.
func controlVerdict(c Control) string {
	v := string(c.Verdict)
	switch {
	case c.Verdict == eval.Satisfied:
		v += " (coverage " + c.Coverage + ")"
	case c.Verdict == eval.Manual && c.Manual != "":
		v += " (" + c.Manual + ")"
	}
	return v
}

type namedCount struct {
	name string
	n    int
}

// countsOf lists every count of c by its results.json name, in its order.
func countsOf(c Counts) []namedCount {
	return []namedCount{
		{"not-satisfied", c.NotSatisfied}, {"needs-evidence", c.NeedsEvidence}, {"excepted", c.Excepted},
		{"manual", c.Manual}, {"satisfied", c.Satisfied}, {"not-applicable", c.NotApplicable}, {"total", c.Total},
		{"satisfied-full", c.SatisfiedFull}, {"satisfied-technical-part", c.SatisfiedTechnical},
		{"manual-confirm-scope", c.ManualConfirmScope}, {"manual-no-rule", c.ManualNoRule}, {"manual-judgement", c.ManualJudgement},
	}
}

// differ pairs the elements of a and b by key and returns those whose
// values differ or that one side lacks, sorted by key. A key a side holds
// twice keeps its first value, and the second is a difference of its own.
func differ[T any, K comparable](a, b []T, key func(T) K, order func(K, K) int, name func(K) string, value func(T) string) []Disagreement {
	type pair struct {
		rec, der  string
		have      [2]bool
		duplicate bool
	}
	pairs := map[K]*pair{}
	var keys []K
	add := func(side int, xs []T) {
		for _, x := range xs {
			k := key(x)
			p := pairs[k]
			if p == nil {
				p = &pair{}
				pairs[k] = p
				keys = append(keys, k)
			}
			if p.have[side] {
				p.duplicate = true
				continue
			}
			p.have[side] = true
			if side == 0 {
				p.rec = value(x)
			} else {
				p.der = value(x)
			}
		}
	}
	add(0, a)
	add(1, b)
	slices.SortFunc(keys, order)
	var out []Disagreement
	for _, k := range keys {
		p := pairs[k]
		rec, der := p.rec, p.der
		if !p.have[0] {
			rec = absent
		}
		if !p.have[1] {
			der = absent
		}
		if rec != der {
			out = append(out, Disagreement{What: name(k), Recorded: rec, Derived: der})
		}
		if p.duplicate {
			out = append(out, Disagreement{What: name(k), Recorded: "listed twice", Derived: "once"})
		}
	}
	return out
}
