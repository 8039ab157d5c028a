package eval

import (
	"fmt"
	"slices"
	"strings"

	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/mappings"
)

// scopeInfo explains why an element is in a rule's scope: its derived PCI
// DSS scope and, when it is reachable from an untrusted network, the route.
// The rule's selector is in the in-scope reason, not repeated here: large
// models have tens of thousands of results.
func (e *evaluator) scopeInfo(r *mappings.Rule, id string) *ScopeInfo {
	si := &ScopeInfo{}
	if id == "" {
		return si
	}
	s := e.x.ScopeOf(id)
	si.Class, si.Why = s.Class, capped(s.Why, maxWhy)
	start := id
	if f := e.x.Flow(id); f != nil {
		start = f.Source
	}
	if route := e.x.PublicRoute(start); len(route) > 1 {
		for _, step := range route {
			si.Route = append(si.Route, e.x.NameOf(step))
		}
	}
	return si
}

// maxWhy is how many reasons for an element's scope each result repeats;
// results.json's scope section has them all. A hub joined to thousands of
// CDE flows would otherwise copy thousands of lines into every result.
const maxWhy = 3

// capped returns at most n items of s, the last saying how many more
// there are.
func capped(s []string, n int) []string {
	if len(s) <= n {
		return slices.Clone(s)
	}
	out := slices.Clone(s[:n])
	return append(out, fmt.Sprintf("and %d more (see the scope section)", len(s)-n))
}

// stated lists the values of the fields a predicate reads, so that a
// "the model does not show" reason quotes what the model does show.
func (e *evaluator) stated(p *mappings.Predicate, id string) string {
	get := elementGetter(e.x, id)
	var fields []string
	var walk func(p mappings.Predicate)
	walk = func(p mappings.Predicate) {
		for _, c := range append(slices.Clone(p.All), p.Any...) {
			walk(c)
		}
		if p.Not != nil {
			walk(*p.Not)
		}
		if p.Field != "" && !slices.Contains(fields, p.Field) {
			fields = append(fields, p.Field)
		}
	}
	walk(*p)
	var parts []string
	for _, f := range fields {
		v := get(f)
		if present(v) {
			parts = append(parts, fmt.Sprintf("%s = %v", f, v))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (it states " + strings.Join(parts, ", ") + ")"
}

// Threat statuses that leave a threat open, and severities that make an
// open threat block a satisfied verdict.
var (
	openThreat     = []string{model.ThreatOpen, model.ThreatInProgress, model.ThreatPartial}
	severeSeverity = []string{"high", "critical"}
)

// OpenSevere reports whether a threat is open (or in progress, or only
// partly mitigated) and of high or critical severity.
func OpenSevere(t *model.Threat) bool {
	return slices.Contains(openThreat, t.Status) && slices.Contains(severeSeverity, strings.ToLower(t.Severity))
}

// LinkedMitigations returns the ids of the mitigations a threat names and
// of those that name it, in model order.
func LinkedMitigations(x *model.Index, t *model.Threat) []string {
	return x.Answers(t.ID)
}

// threats adds the open high and critical threats on the element to a
// result. A mitigation counted for the rule while a threat it answers is
// still open has not been shown to work: the result cannot be satisfied,
// and an auditor must judge it.
func (e *evaluator) threats(res *Result, id string, used []MitigationUse) {
	if id == "" {
		return
	}
	for _, t := range e.threatsOn[id] {
		linked := LinkedMitigations(e.x, t)
		var counted []string
		for _, u := range used {
			if u.Counted && slices.Contains(linked, u.ID) && !slices.Contains(counted, u.ID) {
				counted = append(counted, u.ID)
			}
		}
		msg := fmt.Sprintf("%s threat %s (%s) on this element is %s", strings.ToLower(t.Severity), t.ID, t.Title, t.Status)
		if len(linked) == 0 {
			// Nothing answers the threat: whatever this rule found, the
			// element carries an untreated severe risk an auditor must weigh.
			res.Reasons = append(res.Reasons, Reason{"threat-open-untreated", msg + "; no mitigation answers it, so an auditor must judge whether it undermines this control"})
			if res.Verdict == Satisfied {
				res.Verdict = Manual
			}
			continue
		}
		if len(counted) == 0 {
			res.Reasons = append(res.Reasons, Reason{"threat-open", msg})
			continue
		}
		res.Reasons = append(res.Reasons, Reason{"threat-open-mitigation", msg + fmt.Sprintf(
			"; its mitigation %s is counted here, so an auditor must judge whether it works", strings.Join(counted, ", "))})
		if res.Verdict == Satisfied {
			res.Verdict = Manual
		}
	}
}

// indexThreats lists the open high and critical threats by target.
func indexThreats(x *model.Index) map[string][]*model.Threat {
	out := map[string][]*model.Threat{}
	for i := range x.Model.Threats {
		t := &x.Model.Threats[i]
		if !OpenSevere(t) {
			continue
		}
		for _, target := range t.Targets {
			if !slices.Contains(out[target], t) {
				out[target] = append(out[target], t)
			}
		}
	}
	return out
}
