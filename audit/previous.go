package audit

import (
	"time"

	"github.com/auditpack/auditpack/audit/eval"
)

// previousOf turns the previous results into what periodic requirements
// read from them: their as-of date, the derived scope, and each rule's
// targets. It is nil without previous results or when their date does not
// parse, which leaves the after-change checks unchecked rather than wrong.
func previousOf(r *Results) *eval.Previous {
	if r == nil {
		return nil
	}
	at, err := time.Parse(time.DateOnly, r.Project.AsOf)
	if err != nil {
		return nil
	}
	p := &eval.Previous{AsOf: at, InScope: map[string]bool{}, Targets: map[string]map[string]bool{}}
	for _, s := range r.Scope.Elements {
		p.InScope[s.ID] = true
	}
	for _, rr := range r.RuleResults {
		if p.Targets[rr.Rule] == nil {
			p.Targets[rr.Rule] = map[string]bool{}
		}
		if rr.Element.ID != "" {
			p.Targets[rr.Rule][rr.Element.ID] = true
		}
	}
	return p
}
