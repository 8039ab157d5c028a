package view_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/reports/oscal"
	"github.com/auditpack/auditpack/reports/reporttest"
	"github.com/auditpack/auditpack/reports/view"
)

// demos returns the demo results and a variant whose model adds an open
// threat with no target: one against the system as a whole, which every
// output must show.
func demos(t *testing.T) map[string]*audit.Results {
	v := reporttest.Demo(t)
	v.Model.Threats = append(v.Model.Threats, model.Threat{ID: "T-SYS", Title: "Whole-system threat", Status: model.ThreatOpen, Severity: "high"})
	// And one whose only target is a judged component declared out of
	// scope: in scope of nothing, so no output raises it.
	o := reporttest.Demo(t)
	for i := range o.Model.Components {
		if c := &o.Model.Components[i]; slices.ContainsFunc(o.RuleResults, func(rr eval.Result) bool { return rr.Element.ID == c.ID }) {
			c.OutOfScope = true
			o.Model.Threats = append(o.Model.Threats, model.Threat{ID: "T-OOS", Title: "Out of scope", Status: model.ThreatOpen, Severity: "high", Targets: []string{c.ID}})
			break
		}
	}
	// And one whose excepted control an expired exception names too: what
	// excepts it is still only the exception that applies.
	x := reporttest.Demo(t)
	for i := range x.Controls {
		if c := &x.Controls[i]; c.Verdict == eval.Excepted {
			for _, e := range x.Exceptions {
				if e.Status == "expired" {
					c.Exceptions = append(c.Exceptions, e.ID)
				}
			}
		}
	}
	return map[string]*audit.Results{"demo": reporttest.Demo(t), "untargeted": v, "out-of-scope": o, "expired-too": x}
}

func threatIDs(ts []*model.Threat) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.ID)
	}
	return out
}

// TestThreatsInScope pins the rule: open, in progress or partial, and
// against something in scope or nothing at all.
func TestThreatsInScope(t *testing.T) {
	d := demos(t)
	if got, want := threatIDs(view.ThreatsInScope(d["demo"])), []string{"T-2", "T-5"}; !slices.Equal(got, want) {
		t.Errorf("demo: threats in scope %v, want %v", got, want)
	}
	if got, want := threatIDs(view.ThreatsInScope(d["untargeted"])), []string{"T-2", "T-5", "T-SYS"}; !slices.Equal(got, want) {
		t.Errorf("untargeted: threats in scope %v, want %v", got, want)
	}
	if got := threatIDs(view.ThreatsInScope(d["out-of-scope"])); slices.Contains(got, "T-OOS") {
		t.Errorf("out-of-scope: threats in scope %v hold T-OOS", got)
	}
}

// TestSevereThreatsIncludeUntargeted checks that the severe threats the
// report's summary headlines include one against the system as a whole,
// which the results' judged threats leave out.
func TestSevereThreatsIncludeUntargeted(t *testing.T) {
	d := demos(t)
	if got, want := threatIDs(view.SevereThreatsInScope(d["demo"])), []string{"T-2"}; !slices.Equal(got, want) {
		t.Errorf("demo: severe threats %v, want %v", got, want)
	}
	if got, want := threatIDs(view.SevereThreatsInScope(d["untargeted"])), []string{"T-2", "T-SYS"}; !slices.Equal(got, want) {
		t.Errorf("untargeted: severe threats %v, want %v", got, want)
	}
}

// TestOSCALRisksAreTheViewsThreats checks that OSCAL carries one risk per
// threat the view (and so the PDF's threat chapter) lists, including a
// threat with no target.
func TestOSCALRisksAreTheViewsThreats(t *testing.T) {
	for name, r := range demos(t) {
		var got []string
		for _, res := range oscal.Build(r).AssessmentResults.Results {
			for _, rk := range res.Risks {
				for _, id := range rk.ThreatIDs {
					got = append(got, strings.TrimPrefix(id.ID, "urn:auditpack:threat:"))
				}
			}
		}
		if want := threatIDs(view.ThreatsInScope(r)); !slices.Equal(got, want) {
			t.Errorf("%s: OSCAL risks %v, view threats %v", name, got, want)
		}
	}
}
