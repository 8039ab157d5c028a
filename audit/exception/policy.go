package exception

import (
	"fmt"
	"strings"
	"time"
)

// Types of exception. Each framework accepts some of them and gives each its
// own effect: see [PolicyFor].
const (
	// CompensatingControl is another control that meets the objective of
	// one that cannot be met as stated. PCI DSS wants it documented on a
	// [Worksheet] and validated again at every assessment.
	CompensatingControl = "compensating-control"
	// CustomizedApproach is PCI DSS's alternative to a requirement's defined
	// approach: the entity's own control, backed by a controls matrix and a
	// targeted risk analysis ([Customized]).
	CustomizedApproach = "customized-approach"
	// RiskAcceptance is the risk owner's (or authorising official's)
	// decision to accept the risk of a control not being met.
	RiskAcceptance = "risk-acceptance"
	// Deviation records a known failure of a control. It never covers the
	// failure: it is reported beside it.
	Deviation = "deviation"
)

// Types lists every exception type, in the order the documentation gives.
var Types = []string{CompensatingControl, CustomizedApproach, RiskAcceptance, Deviation}

// Effect is what an exception of one type does to a failing finding of one
// framework, while the exception is active.
type Effect string

// Effects.
const (
	// Hides makes the finding excepted: still not satisfied, but covered.
	Hides Effect = "excepted"
	// Shows reports the exception beside the finding, which keeps its
	// assessed verdict.
	Shows Effect = "reported"
	// Refuses means the exception changes nothing: the framework has no
	// exception of its type (and [Parse] refuses one that names a control of
	// the framework), or, from [Exception.Judge], it lacks what the
	// framework requires of it.
	Refuses Effect = "refused"
)

// Revalidation is how recent the last validation of a PCI DSS compensating
// control or customized approach must be: a year, so that every annual
// assessment validates it again.
const Revalidation = 12 // months

// Policy is how one framework treats each type of exception.
type Policy struct {
	Framework string // framework id, the part of a control ref before "@"
	Name      string // for messages
	// Worksheet: a compensating control needs a complete [Worksheet].
	Worksheet bool
	// Revalidate: a compensating control or customized approach applies
	// only when validated in the [Revalidation] months before the as-of
	// date.
	Revalidate bool
	effects    map[string]treatment
}

type treatment struct {
	effect Effect
	why    string // for Shows and Refuses: why the finding keeps its verdict
}

// Reasons shared by several frameworks.
const (
	whyDeviation  = "a deviation records a failure, it does not cover it"
	whyCustomized = "the customized approach belongs to PCI DSS"
)

// policies is the one table of what each framework makes of each type. A
// framework it does not name (a catalog the user brings) gets [riskBased].
var policies = map[string]Policy{
	"pci-dss": {Framework: "pci-dss", Name: "PCI DSS", Worksheet: true, Revalidate: true, effects: map[string]treatment{
		CompensatingControl: {effect: Hides},
		CustomizedApproach:  {effect: Hides},
		RiskAcceptance:      {Refuses, "PCI DSS has no risk acceptance: use a compensating control with its worksheet, or the customized approach"},
		Deviation:           {Shows, whyDeviation},
	}},
	"aicpa-tsc": {Framework: "aicpa-tsc", Name: "SOC 2", effects: map[string]treatment{
		// A SOC 2 report describes every deviation and lets the reader
		// judge it; whether other controls still meet the criterion is the
		// service auditor's call, never auditpack's.
		CompensatingControl: {Shows, "SOC 2 reports deviations; the service auditor judges whether other controls meet the criterion"},
		CustomizedApproach:  {Refuses, whyCustomized},
		RiskAcceptance:      {Shows, "SOC 2 reports deviations, and accepting a risk does not meet a criterion"},
		Deviation:           {Shows, "SOC 2 reports deviations"},
	}},
	"iso-iec-27001":       riskBased("iso-iec-27001", "ISO/IEC 27001"),
	"nist-sp800-53":       riskBased("nist-sp800-53", "NIST SP 800-53"),
	"nist-csf":            riskBased("nist-csf", "NIST CSF"),
	"hipaa-security-rule": riskBased("hipaa-security-rule", "the HIPAA Security Rule"),
}

// riskBased is the policy of frameworks built on risk treatment: the risk
// owner (or authorising official) may accept a risk, and a compensating
// control (an alternative to an addressable HIPAA specification, say) may
// stand in for a control.
func riskBased(id, name string) Policy {
	return Policy{Framework: id, Name: name, effects: map[string]treatment{
		CompensatingControl: {effect: Hides},
		CustomizedApproach:  {Refuses, whyCustomized},
		RiskAcceptance:      {effect: Hides},
		Deviation:           {Shows, whyDeviation},
	}}
}

// PolicyFor returns the policy of a framework, by id ("pci-dss") or by
// control ref ("pci-dss@4.0.1:3.5.1").
func PolicyFor(framework string) Policy {
	id, _, _ := strings.Cut(framework, "@")
	if p, ok := policies[id]; ok {
		return p
	}
	return riskBased(id, id)
}

// Effect returns what an exception of type typ does under the policy and,
// unless it hides the failure, why not. An unknown type is refused.
func (p Policy) Effect(typ string) (Effect, string) {
	t, ok := p.effects[typ]
	if !ok {
		return Refuses, fmt.Sprintf("%s knows no exception of type %q", p.Name, typ)
	}
	return t.effect, t.why
}

// Judge says what the exception does to a failing finding of a control of
// the framework at asOf, once it is known to be active and its compensating
// evidence valid: whether the framework accepts its type, its worksheet is
// complete and its validation recent enough. The reason says why an effect
// other than [Hides] leaves the verdict as assessed.
func (e Exception) Judge(framework string, asOf time.Time) (Effect, string) {
	p := PolicyFor(framework)
	eff, why := p.Effect(e.Type)
	if eff != Hides {
		return eff, why
	}
	if p.Worksheet && e.Type == CompensatingControl {
		if missing := e.Worksheet.Missing(); len(missing) > 0 {
			return Refuses, fmt.Sprintf("a %s compensating control needs its worksheet, which lacks %s", p.Name, strings.Join(missing, ", "))
		}
	}
	if p.Revalidate && (e.Type == CompensatingControl || e.Type == CustomizedApproach) {
		switch v := e.validated; {
		case v.IsZero():
			return Refuses, fmt.Sprintf("%s wants it validated at every assessment, and no validated_on date is given", p.Name)
		case asOf.Before(v):
			return Refuses, fmt.Sprintf("it is validated only on %s, after the as-of date", v.Format(time.DateOnly))
		case asOf.After(v.AddDate(0, Revalidation, 0)):
			return Refuses, fmt.Sprintf("%s wants it validated at least every %d months, and it was last validated on %s",
				p.Name, Revalidation, v.Format(time.DateOnly))
		}
	}
	return Hides, ""
}

// ValidatedOn returns the date of the last validation of a compensating
// control's worksheet or a customized approach, or "".
func (e Exception) ValidatedOn() string {
	switch {
	case e.Worksheet != nil && e.Type == CompensatingControl:
		return e.Worksheet.ValidatedOn
	case e.Customized != nil && e.Type == CustomizedApproach:
		return e.Customized.ValidatedOn
	}
	return ""
}
