package diff

import (
	"cmp"
	"slices"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/frameworks"
)

// controlChanges compares controls by reference. The order is the one a
// reviewer reads: regressions first, the worst drop first; then
// improvements, the biggest first; then added and removed controls. Ties
// are broken by framework and by control id in the publisher's order.
func controlChanges(old, new *audit.Results) []ControlChange {
	before := map[string]*audit.Control{}
	for i := range old.Controls {
		before[old.Controls[i].Ref] = &old.Controls[i]
	}
	out := []ControlChange{}
	seen := map[string]bool{}
	for i := range new.Controls {
		n := &new.Controls[i]
		seen[n.Ref] = true
		o := before[n.Ref]
		if o == nil {
			out = append(out, change(nil, n))
			continue
		}
		if o.Verdict != n.Verdict {
			out = append(out, change(o, n))
		}
	}
	for i := range old.Controls {
		if o := &old.Controls[i]; !seen[o.Ref] {
			out = append(out, change(o, nil))
		}
	}
	slices.SortFunc(out, compareControlChanges)
	return out
}

// change describes the move from o to n; either may be nil.
func change(o, n *audit.Control) ControlChange {
	var cc ControlChange
	switch {
	case o == nil:
		cc = ControlChange{Framework: n.Framework, ID: n.ID, Ref: n.Ref, Name: n.Name, To: n.Verdict, Direction: Added, Reason: n.Reason}
	case n == nil:
		cc = ControlChange{Framework: o.Framework, ID: o.ID, Ref: o.Ref, Name: o.Name, From: o.Verdict, Direction: Removed, Reason: o.Reason}
	default:
		cc = ControlChange{Framework: n.Framework, ID: n.ID, Ref: n.Ref, Name: n.Name, From: o.Verdict, To: n.Verdict, Reason: n.Reason}
		cc.Delta = eval.Rank(n.Verdict) - eval.Rank(o.Verdict)
		cc.Direction = Improvement
		if cc.Delta > 0 {
			cc.Direction = Regression
		}
	}
	cc.Findings = findingChanges(o, n)
	return cc
}

type findingKey struct{ rule, element string }

// findingChanges lists the findings whose effective verdict differs, in the
// order of the new control's findings, then those that disappeared.
func findingChanges(o, n *audit.Control) []FindingChange {
	out := []FindingChange{}
	if o == nil || n == nil {
		return out
	}
	before := map[findingKey]audit.Finding{}
	for _, f := range o.Findings {
		before[findingKey{f.Rule, f.Element.ID}] = f
	}
	seen := map[findingKey]bool{}
	for _, f := range n.Findings {
		k := findingKey{f.Rule, f.Element.ID}
		seen[k] = true
		of, ok := before[k]
		switch {
		case !ok:
			out = append(out, FindingChange{Rule: f.Rule, Element: f.Element, To: f.Verdict, Exception: f.Exception})
		case of.Verdict != f.Verdict:
			out = append(out, FindingChange{Rule: f.Rule, Element: f.Element, From: of.Verdict, To: f.Verdict,
				Exception: cmp.Or(f.Exception, of.Exception)})
		}
	}
	for _, f := range o.Findings {
		if !seen[findingKey{f.Rule, f.Element.ID}] {
			out = append(out, FindingChange{Rule: f.Rule, Element: f.Element, From: f.Verdict, Exception: f.Exception})
		}
	}
	return out
}

func directionRank(d string) int {
	switch d {
	case Regression:
		return 0
	case Improvement:
		return 1
	case Added:
		return 2
	}
	return 3
}

func compareControlChanges(a, b ControlChange) int {
	if c := cmp.Compare(directionRank(a.Direction), directionRank(b.Direction)); c != 0 {
		return c
	}
	// Both regressions: larger delta first. Both improvements: more
	// negative delta (bigger improvement) first.
	da, db := a.Delta, b.Delta
	if a.Direction == Improvement {
		da, db = -da, -db
	}
	if c := cmp.Compare(db, da); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Framework, b.Framework); c != 0 {
		return c
	}
	return frameworks.CompareIDs(a.ID, b.ID)
}
