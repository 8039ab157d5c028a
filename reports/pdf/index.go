package pdf

import (
	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
)

// index looks things up in the results by id. It only points into r; the
// results are never changed or reordered.
type index struct {
	rules     map[string]*audit.RuleInfo
	results   map[resultKey]*eval.Result
	evidence  map[string]*audit.EvidenceItem
	exception map[string]*audit.ExceptionInfo
	groups    map[string]map[string]*audit.Group // framework ref → group id → group
	elements  map[string]element
}

type resultKey struct{ rule, element string }

// element is a model element as the report names it.
type element struct {
	name, kind string
	outOfScope bool
}

func newIndex(r *audit.Results) *index {
	x := &index{
		rules:     map[string]*audit.RuleInfo{},
		results:   map[resultKey]*eval.Result{},
		evidence:  map[string]*audit.EvidenceItem{},
		exception: map[string]*audit.ExceptionInfo{},
		groups:    map[string]map[string]*audit.Group{},
		elements:  map[string]element{},
	}
	for i := range r.Rules {
		x.rules[r.Rules[i].ID] = &r.Rules[i]
	}
	for i := range r.RuleResults {
		rr := &r.RuleResults[i]
		x.results[resultKey{rr.Rule, rr.Element.ID}] = rr
	}
	for i := range r.Evidence.Items {
		x.evidence[r.Evidence.Items[i].ID] = &r.Evidence.Items[i]
	}
	for i := range r.Exceptions {
		x.exception[r.Exceptions[i].ID] = &r.Exceptions[i]
	}
	for i := range r.Frameworks {
		f := &r.Frameworks[i]
		m := map[string]*audit.Group{}
		for j := range f.Groups {
			m[f.Groups[j].ID] = &f.Groups[j]
		}
		x.groups[f.Ref] = m
	}
	m := &r.Model
	for _, z := range m.Zones {
		x.elements[z.ID] = element{name: z.Name, kind: "zone"}
	}
	for _, c := range m.Components {
		x.elements[c.ID] = element{name: c.Name, kind: c.Kind, outOfScope: c.OutOfScope}
	}
	for _, f := range m.Flows {
		x.elements[f.ID] = element{name: f.Name, kind: "dataflow", outOfScope: f.OutOfScope}
	}
	return x
}

// frameworks returns the frameworks of r, followed by a stand-in for every
// framework that controls name but r does not describe, so that no control
// is left out of the report even if the results are inconsistent.
func frameworks(r *audit.Results) []*audit.FrameworkInfo {
	var out []*audit.FrameworkInfo
	known := map[string]bool{}
	for i := range r.Frameworks {
		out = append(out, &r.Frameworks[i])
		known[r.Frameworks[i].Ref] = true
	}
	for _, c := range r.Controls {
		if !known[c.Framework] {
			known[c.Framework] = true
			out = append(out, &audit.FrameworkInfo{ID: c.Framework, Ref: c.Framework,
				Title: c.Framework + " (not described in the results)"})
		}
	}
	return out
}

// severityRank orders rule and threat severities, worst first; unknown
// severities sort last but are still printed.
func severityRank(s string) int {
	switch s {
	case "critical":
		return 0
	case "high":
		return 1
	case "medium":
		return 2
	case "low":
		return 3
	}
	return 4
}

// controlSeverity is the worst severity among the rules whose findings
// decided a control's verdict.
func (x *index) controlSeverity(c *audit.Control) string {
	best := ""
	for _, f := range c.Findings {
		if f.Verdict != c.Verdict {
			continue
		}
		if ri := x.rules[f.Rule]; ri != nil && (best == "" || severityRank(ri.Severity) < severityRank(best)) {
			best = ri.Severity
		}
	}
	return best
}
