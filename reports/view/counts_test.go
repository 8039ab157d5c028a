package view

import (
	"slices"
	"testing"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/reports/reporttest"
)

func TestDemoCountsAddUp(t *testing.T) {
	r := reporttest.Demo(t)
	if err := CheckCounts(r.Summary); err != nil {
		t.Errorf("summary: %v", err)
	}
	for _, f := range r.Frameworks {
		if err := CheckCounts(f.Counts); err != nil {
			t.Errorf("%s: %v", f.Ref, err)
		}
	}
	if r.Summary.SatisfiedTechnical == 0 || r.Summary.ManualNoRule == 0 {
		t.Errorf("the demo has no technical-part satisfied or no-rule manual control: %+v", r.Summary)
	}
}

func TestCheckFindsPartsThatDoNotAddUp(t *testing.T) {
	var ok audit.Counts
	for _, ctl := range []audit.Control{
		{Verdict: eval.Satisfied, Coverage: audit.CoveragePartial},
		{Verdict: eval.Satisfied, Coverage: audit.CoverageFull},
		{Verdict: eval.Manual, Manual: audit.ManualConfirmScope},
		{Verdict: eval.Manual, Manual: audit.ManualNoRule},
		{Verdict: eval.NotSatisfied},
	} {
		ok.AddControl(ctl)
	}
	if err := CheckCounts(ok); err != nil {
		t.Fatalf("counts made by AddControl: %v", err)
	}
	for name, mangle := range map[string]func(*audit.Counts){
		"satisfied": func(c *audit.Counts) { c.SatisfiedTechnical-- },
		"manual":    func(c *audit.Counts) { c.ManualJudgement++ },
		"total":     func(c *audit.Counts) { c.Total++ },
	} {
		c := ok
		mangle(&c)
		if CheckCounts(c) == nil {
			t.Errorf("%s: Check accepts counts that do not add up: %+v", name, c)
		}
	}
}

func TestPartsCoverEveryVerdictInOrder(t *testing.T) {
	var verdicts []eval.Verdict
	for _, p := range Parts() {
		if len(p.Short) > 8 || p.Label == "" || p.Key == "" {
			t.Errorf("part %+v: short title over 8 bytes or missing words", p)
		}
		if len(verdicts) == 0 || verdicts[len(verdicts)-1] != p.Verdict {
			verdicts = append(verdicts, p.Verdict)
		}
	}
	if !slices.Equal(verdicts, eval.Verdicts) {
		t.Errorf("parts follow the verdicts %v, want %v", verdicts, eval.Verdicts)
	}
	for _, kind := range []string{audit.ManualConfirmScope, audit.ManualNoRule, audit.ManualJudgement} {
		if l := ManualLabel(kind); l == "" || l == kind {
			t.Errorf("ManualLabel(%q) = %q", kind, l)
		}
	}
}
