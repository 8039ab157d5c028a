package view

import (
	"slices"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
)

// ExceptedBy returns the exceptions that cover a failing (rule, element)
// for every control its rule maps to, sorted, or nil when any control
// keeps the finding: one uncovered control still fails, so a rule result
// counts as excepted only when no control holds it against the system.
func ExceptedBy(r *audit.Results, rule, element string) []string {
	var ids []string
	found := false
	for _, c := range r.Controls {
		for _, f := range c.Findings {
			if f.Rule != rule || f.Element.ID != element {
				continue
			}
			found = true
			if f.Verdict != eval.Excepted {
				return nil
			}
			if !slices.Contains(ids, f.Exception) {
				ids = append(ids, f.Exception)
			}
		}
	}
	if !found {
		return nil
	}
	slices.Sort(ids)
	return ids
}
