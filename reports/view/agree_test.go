package view_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit"
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
	return map[string]*audit.Results{"demo": reporttest.Demo(t), "untargeted": v}
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
