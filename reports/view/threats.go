// Package view holds the facts every renderer of auditpack shows, decided
// once from the results by [Of], so that the report, the workbook, the
// Markdown, JUnit, OSCAL, SARIF and the text summary cannot disagree on
// which counts, scope, threats, exceptions or states they name.
// Renderers lay the view out; they do not re-derive it, and the view never
// recomputes a verdict: it splits, sums and words what the results say.
package view

import (
	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/model"
)

// OpenThreat reports whether a threat's status leaves risk standing: open,
// in progress or partially mitigated.
func OpenThreat(status string) bool {
	return status == model.ThreatOpen || status == model.ThreatInProgress || status == model.ThreatPartial
}

// ThreatsInScope returns the open threats of r's model that concern the
// system in scope, in model order. A threat with no target concerns the
// system as a whole and is in scope; a threat with targets is in scope when
// one of them is a zone, or a component or flow not declared out of scope.
// The broader reading wins because a threat left out of one output is one
// an auditor never sees there.
func ThreatsInScope(r *audit.Results) []*model.Threat {
	m := &r.Model
	in := map[string]bool{}
	for _, z := range m.Zones {
		in[z.ID] = true
	}
	for _, c := range m.Components {
		in[c.ID] = !c.OutOfScope
	}
	for _, f := range m.Flows {
		in[f.ID] = !f.OutOfScope
	}
	var out []*model.Threat
	for i := range m.Threats {
		t := &m.Threats[i]
		if !OpenThreat(t.Status) {
			continue
		}
		ok := len(t.Targets) == 0
		for _, id := range t.Targets {
			ok = ok || in[id]
		}
		if ok {
			out = append(out, t)
		}
	}
	return out
}

// SevereThreatsInScope returns the threats in scope that are high or
// critical, in model order: every output headlining severe threats names
// these, including those against the system as a whole, which no rule
// judges and [audit.Results].Threats therefore leaves out.
func SevereThreatsInScope(r *audit.Results) []*model.Threat {
	return severe(ThreatsInScope(r))
}
