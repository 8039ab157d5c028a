package view

import (
	"slices"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
)

// Exceptions answers, for a failing (rule, element), which exceptions
// cover it for every control its rule maps to. It is built once from the
// results: a renderer asking for each of hundreds of thousands of rule
// results must not walk every control's findings each time.
type Exceptions struct {
	by map[finding]*covering
}

type finding struct{ rule, element string }

// covering is what the findings of one (rule, element) say: the
// exceptions that cover it, and whether any control still holds it.
type covering struct {
	ids  []string
	held bool
}

// ExceptionsOf indexes the control findings of r.
func ExceptionsOf(r *audit.Results) *Exceptions {
	x := &Exceptions{by: map[finding]*covering{}}
	for _, c := range r.Controls {
		for _, f := range c.Findings {
			k := finding{f.Rule, f.Element.ID}
			cv := x.by[k]
			if cv == nil {
				cv = &covering{}
				x.by[k] = cv
			}
			if f.Verdict != eval.Excepted {
				cv.held = true
				continue
			}
			if !slices.Contains(cv.ids, f.Exception) {
				cv.ids = append(cv.ids, f.Exception)
			}
		}
	}
	for _, cv := range x.by {
		slices.Sort(cv.ids)
	}
	return x
}

// By returns the exceptions that cover a failing (rule, element) for every
// control its rule maps to, sorted, or nil when any control keeps the
// finding: one uncovered control still fails, so a rule result counts as
// excepted only when no control holds it against the system.
func (x *Exceptions) By(rule, element string) []string {
	cv := x.by[finding{rule, element}]
	if cv == nil || cv.held || len(cv.ids) == 0 {
		return nil
	}
	return slices.Clone(cv.ids)
}
