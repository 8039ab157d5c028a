package view_test

import (
	"slices"
	"testing"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/reports/reporttest"
	"github.com/auditpack/auditpack/reports/view"
)

// TestOfSumsTheResults holds the view to the results it is built from:
// every framework's groups and coverage add up to its counts, and the
// frameworks to the summary.
func TestOfSumsTheResults(t *testing.T) {
	r := reporttest.Demo(t)
	v := view.Of(r)
	if v.Summary != r.Summary || len(v.Frameworks) != len(r.Frameworks) {
		t.Fatalf("summary %+v and %d frameworks, want %+v and %d", v.Summary, len(v.Frameworks), r.Summary, len(r.Frameworks))
	}
	var all view.Coverage
	for _, f := range v.Frameworks {
		if err := view.CheckCounts(f.Counts); err != nil {
			t.Errorf("%s: %v", f.Info.Ref, err)
		}
		for _, p := range view.Parts() {
			n := 0
			for _, g := range v.Groups(f.Info.Ref) {
				n += p.Of(g.Counts)
			}
			if n != p.Of(f.Counts) {
				t.Errorf("%s: the groups count %d %s, the framework %d", f.Info.Ref, n, p.Label, p.Of(f.Counts))
			}
		}
		if c := f.Coverage; c.Partial+c.Full+c.None != f.Counts.Total {
			t.Errorf("%s: coverage %+v does not add up to %d controls", f.Info.Ref, c, f.Counts.Total)
		}
		all.Partial, all.Full, all.None = all.Partial+f.Coverage.Partial, all.Full+f.Coverage.Full, all.None+f.Coverage.None
	}
	if all != v.Coverage || v.Coverage.Partial == 0 {
		t.Errorf("coverage %+v, frameworks add up to %+v", v.Coverage, all)
	}
	r.Evidence.Items[0].Status = "too-old"
	if e := view.Of(r).Evidence; e.Items != len(r.Evidence.Items) || e.OK+e.WithProblems != e.Items || e.WithProblems != v.Evidence.WithProblems+1 {
		t.Errorf("evidence counts %+v for %d items, one more stale than %+v", e, len(r.Evidence.Items), v.Evidence)
	}
}

// TestExceptionStatesAndExceptedBy checks that an exception naming a
// control it no longer covers (expired) is counted by its state but never
// named as what excepts the control.
func TestExceptionStatesAndExceptedBy(t *testing.T) {
	r := reporttest.Demo(t)
	v := view.Of(r)
	var states []string
	n := 0
	for _, s := range v.ExceptionStates {
		states = append(states, s.Status)
		n += s.N
	}
	if !slices.IsSorted(states) || n != len(r.Exceptions) || !slices.Contains(states, "expired") {
		t.Errorf("exception states %+v for %d exceptions", v.ExceptionStates, len(r.Exceptions))
	}
	for i := range r.Controls {
		c := &r.Controls[i]
		if c.Verdict != eval.Excepted {
			continue
		}
		c.Exceptions = append(c.Exceptions, "EX-EXPIRED")
		if got := view.ExceptedBy(c); len(got) == 0 || slices.Contains(got, "EX-EXPIRED") {
			t.Errorf("%s: excepted by %v", c.Ref, got)
		}
	}
}

// TestVerdictKind pins the words beside a satisfied or manual verdict.
func TestVerdictKind(t *testing.T) {
	for _, tc := range []struct {
		c    audit.Control
		want string
	}{
		{audit.Control{Verdict: eval.Satisfied, Coverage: audit.CoveragePartial}, "technical part"},
		{audit.Control{Verdict: eval.Satisfied, Coverage: audit.CoverageFull}, "in full"},
		{audit.Control{Verdict: eval.Manual, Manual: audit.ManualConfirmScope}, "scope to confirm"},
		{audit.Control{Verdict: eval.NotSatisfied}, ""},
	} {
		if got := view.VerdictKind(&tc.c); got != tc.want {
			t.Errorf("%s/%s: %q, want %q", tc.c.Verdict, tc.c.Coverage, got, tc.want)
		}
	}
}

// TestEvidenceFlags checks that the view finds the items a rule judged not
// ok, with the uses that did, and words them; an unflagged item has none.
func TestEvidenceFlags(t *testing.T) {
	r := reporttest.Demo(t)
	v := view.Of(r)
	flagged := 0
	for _, it := range r.Evidence.Items {
		uses := v.EvidenceFlags(it.ID)
		for _, u := range uses {
			if u.Item != it.ID || u.Status == eval.EvidenceOK {
				t.Errorf("%s: flagged by a use of %s with status %s", it.ID, u.Item, u.Status)
			}
		}
		if text := view.EvidenceFlagText(uses); (text == "") != (len(uses) == 0) {
			t.Errorf("%s: %d flags worded %q", it.ID, len(uses), text)
		}
		if len(uses) > 0 {
			flagged++
		}
	}
	if flagged == 0 {
		t.Error("no demo item is flagged by a rule: the test proves little")
	}
}
