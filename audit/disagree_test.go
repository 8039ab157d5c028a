package audit

import (
	"reflect"
	"testing"

	"github.com/auditpack/auditpack/audit/eval"
)

// Every verdict that differs, or that one side lacks, is named once, rule
// results before controls, frameworks and the summary, each sorted; equal
// verdicts are not.
func TestDisagreementsNameEveryDifference(t *testing.T) {
	el := func(kind, id string) eval.ElementRef { return eval.ElementRef{Kind: kind, ID: id} }
	recorded := &Results{
		RuleResults: []eval.Result{
			{Rule: "r2", Element: el("flow", "f1"), Verdict: eval.Satisfied},
			{Rule: "r1", Element: el("flow", "f1"), Verdict: eval.NotSatisfied},
			{Rule: "r1", Element: el("flow", "f2"), Verdict: eval.Satisfied},
		},
		Controls: []Control{
			{Ref: "fw@1:a", Verdict: eval.Satisfied, Coverage: CoverageFull},
			{Ref: "fw@1:b", Verdict: eval.Manual, Manual: ManualNoRule},
		},
		Frameworks: []FrameworkInfo{{Ref: "fw@1", Counts: Counts{Satisfied: 1, Manual: 1, Total: 2}}},
		Summary:    Counts{Satisfied: 1, Manual: 1, Total: 2},
	}
	derived := &Results{
		RuleResults: []eval.Result{
			{Rule: "r1", Element: el("flow", "f1"), Verdict: eval.NotSatisfied},
			{Rule: "r2", Element: el("flow", "f1"), Verdict: eval.NotSatisfied},
			{Rule: "r3", Element: el("component", "c1"), Verdict: eval.Manual},
		},
		Controls: []Control{
			{Ref: "fw@1:a", Verdict: eval.Satisfied, Coverage: CoveragePartial},
			{Ref: "fw@1:b", Verdict: eval.Manual, Manual: ManualNoRule},
		},
		Frameworks: []FrameworkInfo{{Ref: "fw@1", Counts: Counts{Satisfied: 1, Manual: 1, Total: 2}}},
		Summary:    Counts{Satisfied: 1, Manual: 1, Total: 2, SatisfiedTechnical: 1},
	}
	want := []Disagreement{
		{"rule r1 on flow f2", "satisfied", "absent"},
		{"rule r2 on flow f1", "satisfied", "not-satisfied"},
		{"rule r3 on component c1", "absent", "manual"},
		{"control fw@1:a", "satisfied (coverage full)", "satisfied (coverage partial)"},
		{"summary satisfied-technical-part", "0", "1"},
	}
	if got := Disagreements(recorded, derived); !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if got := Disagreements(derived, derived); len(got) != 0 {
		t.Errorf("results disagree with themselves: %q", got)
	}
}
