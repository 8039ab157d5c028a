package audit

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/overlay"
	"github.com/auditpack/auditpack/frameworks"
)

// Applicability statuses: whether a control applies to the system. To
// confirm is the weaker claim, taken whenever the model does not settle
// the scope or contradicts what the organisation declares.
const (
	ApplicableYes       = "yes"
	ApplicableNo        = "no"
	ApplicableToConfirm = "to-confirm"
)

// Applicability is a control's line in the statement of applicability:
// whether it applies and why, the mitigations that implement it and the
// evidence items it rests on.
//
// Derived is what auditpack's own scope derivation says, with
// DerivedReason; Declared is the organisation's declaration, if any. A
// control declared not applicable is not applicable only where the
// derivation finds nothing in its scope; where it finds elements, the
// control is to be confirmed, with both reasons, and never satisfied.
type Applicability struct {
	Status        string       `json:"status"`
	Justification string       `json:"justification"`
	Derived       string       `json:"derived"`
	DerivedReason string       `json:"derived_reason"`
	Declared      *Declaration `json:"declared,omitempty"`
	Mitigations   []string     `json:"mitigations"`
	Evidence      []string     `json:"evidence"`
}

// Declaration is the organisation's statement that a control does not
// apply, from the overlay's applicability entries. Source locates it.
type Declaration struct {
	Justification string `json:"justification"`
	Approver      string `json:"approver"`
	Source        string `json:"source"`
}

// maxNamed bounds the elements a derived reason names.
const maxNamed = 3

// declarations indexes the overlay's applicability entries by control.
func declarations(o *overlay.Overlay, file string) map[string]*Declaration {
	if o == nil || len(o.Applicability) == 0 {
		return nil
	}
	out := map[string]*Declaration{}
	for i, e := range o.Applicability {
		out[e.Control] = &Declaration{Justification: strings.TrimSpace(e.Justification), Approver: strings.TrimSpace(e.Approver),
			Source: joinRef(file, fmt.Sprintf("/overlay/applicability/%d", i))}
	}
	return out
}

// checkApplicability refuses declarations that name a control that is not
// a control of a selected framework, or name one twice. As with
// exceptions, one configuration may serve several runs, so a declaration
// for a framework no catalog of this run has is left aside; one for
// another version of a selected framework is refused, since it would
// silently declare nothing.
func checkApplicability(o *overlay.Overlay, file string, refs map[string]*frameworks.Catalog) error {
	if o == nil {
		return nil
	}
	seen := map[string]int{}
	for i, e := range o.Applicability {
		at := func(field string) string { return joinRef(file, fmt.Sprintf("/overlay/applicability/%d/%s", i, field)) }
		if strings.TrimSpace(e.Justification) == "" {
			return &InputError{Source: at("justification"), Message: fmt.Sprintf("the declaration for %q has no justification", e.Control)}
		}
		if strings.TrimSpace(e.Approver) == "" {
			return &InputError{Source: at("approver"), Message: fmt.Sprintf("the declaration for %q has no approver", e.Control)}
		}
		if j, dup := seen[e.Control]; dup {
			return &InputError{Source: at("control"), Message: fmt.Sprintf("control %q is already declared at /overlay/applicability/%d", e.Control, j)}
		}
		seen[e.Control] = i
		fwRef := frameworkOf(e.Control)
		_, id, _ := strings.Cut(e.Control, ":")
		c := refs[fwRef]
		if c == nil {
			name, _, _ := strings.Cut(fwRef, "@")
			for _, ref := range slices.Sorted(maps.Keys(refs)) {
				if n, _, _ := strings.Cut(ref, "@"); n == name {
					return &InputError{Source: at("control"),
						Message: fmt.Sprintf("control %q names version %s of %s, but this run assesses %s", e.Control, fwRef, name, ref)}
				}
			}
			continue
		}
		if _, ok := nodeOf(c, id); !ok {
			return &InputError{Source: at("control"),
				Message: fmt.Sprintf("control %q is not a control of %s", e.Control, c.Title)}
		}
	}
	return nil
}

// applicable derives the control's applicability from its findings and
// the organisation's declaration, and lets a declaration of not applicable
// weaken the verdict: to not-applicable where nothing is in scope, to no
// better than manual (scope to confirm) where something is.
func (ro *roller) applicable(ctl Control) Control {
	a := &Applicability{Mitigations: []string{}, Evidence: slices.Clone(ctl.Evidence)}
	ro.implementers(ctl, a)
	var elements bool
	a.Derived, a.DerivedReason, elements = ro.derive(ctl)
	a.Status, a.Justification = a.Derived, a.DerivedReason
	if d := ro.declared[ctl.Ref]; d != nil {
		a.Declared = d
		said := fmt.Sprintf("declared not applicable by %s: %s", d.Approver, d.Justification)
		if !elements {
			a.Status, a.Justification = ApplicableNo, said
			ctl.Verdict, ctl.Manual = eval.NotApplicable, ""
			ctl.Reason = said
		} else {
			a.Status = ApplicableToConfirm
			a.Justification = said + "; but " + a.DerivedReason + ": an auditor must confirm which holds"
			if v := eval.Worst(ctl.Verdict, eval.Manual); v != ctl.Verdict {
				ctl.Verdict, ctl.Manual = v, ManualConfirmScope
			}
			ctl.Reason = "the organisation declares it not applicable, but " + a.DerivedReason + joinReason(ctl.Reason)
		}
	}
	ctl.Applicability = a
	return ctl
}

func joinReason(r string) string {
	if r == "" {
		return ""
	}
	return " (" + r + ")"
}

// derive is auditpack's own applicability of a control: yes when a rule
// judged an element in its scope, to confirm when the model leaves a
// scope unsettled, no when every rule found its subject absent. A control
// no rule covers applies until the organisation declares otherwise.
// Elements reports whether the derivation found elements that are, or
// may be, in scope: only then can it contradict a declaration; a rule
// that found nothing and asks an auditor to confirm that is answered by
// one.
func (ro *roller) derive(ctl Control) (status, reason string, elements bool) {
	if len(ctl.Rules) == 0 {
		return ApplicableYes, "no automated rule derives its scope, so it applies unless the organisation declares otherwise", false
	}
	var in []string
	nIn := 0
	unsure, empty, absent := "", "", ""
	seen := map[string]bool{}
	for _, f := range ctl.Findings {
		rr := ro.resultOf(f)
		switch {
		case rr != nil && hasReason(rr, eval.ReasonConfirmScope):
			if f.Element.ID != "" && unsure == "" {
				unsure = reasonText(rr, eval.ReasonConfirmScope)
			} else if f.Element.ID == "" && empty == "" {
				empty = reasonText(rr, eval.ReasonConfirmScope)
			}
		case f.Assessed == eval.NotApplicable:
			if absent == "" && rr != nil && len(rr.Reasons) > 0 {
				absent = rr.Reasons[0].Message
			}
		default:
			who := f.Element.Name
			if f.Element.ID == "" {
				who = "the system as a whole"
			} else if who == "" {
				who = f.Element.ID
			}
			if !seen[who] {
				seen[who] = true
				nIn++
				if len(in) < maxNamed {
					in = append(in, who)
				}
			}
		}
	}
	switch {
	case nIn > 0:
		list := strings.Join(in, ", ")
		if nIn > len(in) {
			list += fmt.Sprintf(" and %d more", nIn-len(in))
		}
		return ApplicableYes, fmt.Sprintf("its rules find %s in scope: %s", plural(nIn, "element"), list), true
	case unsure != "":
		return ApplicableToConfirm, "the model does not settle its scope: " + unsure, true
	case empty != "":
		return ApplicableToConfirm, "the model does not settle its scope: " + empty, false
	case absent != "":
		return ApplicableNo, "its rules find nothing in scope: " + absent, false
	}
	return ApplicableNo, "its rules find nothing in scope", false
}

// implementers lists the mitigations counted for the control's findings
// and adds the evidence items they used, each once, in finding order.
func (ro *roller) implementers(ctl Control, a *Applicability) {
	mit := map[string]bool{}
	ev := map[string]bool{}
	for _, id := range a.Evidence {
		ev[id] = true
	}
	for _, f := range ctl.Findings {
		rr := ro.resultOf(f)
		if rr == nil {
			continue
		}
		for _, m := range rr.Mitigations {
			if m.Counted && !mit[m.ID] {
				mit[m.ID] = true
				a.Mitigations = append(a.Mitigations, m.ID)
			}
		}
		for _, u := range rr.Evidence {
			if u.Item != "" && !ev[u.Item] {
				ev[u.Item] = true
				a.Evidence = append(a.Evidence, u.Item)
			}
		}
	}
	slices.Sort(a.Mitigations)
}

// resultOf finds the rule result behind a finding.
func (ro *roller) resultOf(f Finding) *eval.Result {
	if i, ok := ro.index().first[[2]string{f.Rule, f.Element.ID}]; ok {
		return &ro.res.RuleResults[i]
	}
	return nil
}

func hasReason(rr *eval.Result, code string) bool {
	return slices.ContainsFunc(rr.Reasons, func(r eval.Reason) bool { return r.Code == code })
}

func reasonText(rr *eval.Result, code string) string {
	for _, r := range rr.Reasons {
		if r.Code == code {
			return r.Message
		}
	}
	return ""
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
