package audit

import (
	"fmt"
	"time"

	"github.com/auditpack/auditpack/audit/eval"
)

// PreviousTrust is what checking the previous package found. Only the
// edge can check it (it reads files and signatures); the evaluation only
// weighs the outcome.
type PreviousTrust struct {
	// Verified: the package verified intact, the results read are the ones
	// it lists, and its signer is this package's signer (or a certificate
	// issued under the same chain).
	Verified bool
	// Note says how it was checked, or why it is not verified.
	Note string
}

// previousOf turns the previous results into what periodic requirements
// read from them: their as-of date, the derived scope, and each rule's
// targets.
//
// "Nothing came into scope since the previous results" is a claim about
// this system over time, so previous results that cannot support it are
// not used: those of another organisation or system, those as of the same
// day or later than this run, and those whose date does not parse. The
// after-change checks are then left unchecked, with a warning, rather
// than passed on a comparison that means nothing.
func previousOf(r *Results, in Inputs) (*eval.Previous, []Warning) {
	if r == nil {
		return nil, nil
	}
	refuse := func(why string) (*eval.Previous, []Warning) {
		return nil, []Warning{{Source: "previous results", Message: why + ": whether the scope changed since the last test is left unchecked"}}
	}
	at, err := time.Parse(time.DateOnly, r.Project.AsOf)
	if err != nil {
		return refuse(fmt.Sprintf("their as-of date %q does not parse", r.Project.AsOf))
	}
	if r.Project.Organisation != in.Organisation || r.Project.System != in.System {
		return refuse(fmt.Sprintf("they are of %q, %q, not of %q, %q", r.Project.Organisation, r.Project.System, in.Organisation, in.System))
	}
	if !at.Before(in.AsOf) {
		return refuse(fmt.Sprintf("they are as of %s, not before this run's %s", r.Project.AsOf, day(in.AsOf)))
	}
	p := &eval.Previous{AsOf: at, InScope: map[string]bool{}, Targets: map[string]map[string]bool{},
		Verified: in.PreviousTrust.Verified, Unverified: in.PreviousTrust.Note}
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
	return p, nil
}
