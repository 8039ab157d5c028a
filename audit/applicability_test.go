package audit

import (
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/overlay"
	"github.com/auditpack/auditpack/frameworks"
)

func TestApplicabilityDerivation(t *testing.T) {
	const rule = "pci-3.5.1-pan-unreadable"
	card := eval.ElementRef{ID: "card-store", Name: "Card store"}
	judged := eval.Result{Rule: rule, Element: card, Verdict: eval.Satisfied,
		Reasons:     []eval.Reason{{Code: "in-scope", Message: "stores PAN"}},
		Mitigations: []eval.MitigationUse{{ID: "M-TOKENIZE", Counted: true}, {ID: "M-PLANNED"}},
		Evidence:    []eval.EvidenceUse{{Item: "EV-KMS"}}}
	absent := eval.Result{Rule: rule, Verdict: eval.NotApplicable,
		Reasons: []eval.Reason{{Code: "no-targets", Message: "no datastore element of the model is in scope"}}}
	unsure := eval.Result{Rule: rule, Element: card, Verdict: eval.Manual,
		Reasons: []eval.Reason{{Code: eval.ReasonConfirmScope, Message: "scope must be confirmed: stores unknown"}}}
	empty := eval.Result{Rule: rule, Verdict: eval.Manual,
		Reasons: []eval.Reason{{Code: eval.ReasonConfirmScope, Message: "no datastore element of the model is in scope; an auditor must confirm that the scope is complete"}}}
	declared := map[string]*Declaration{pci351: {Justification: "no PAN is stored: tokens only", Approver: "CISO", Source: "auditpack.yaml: at /overlay/applicability/0"}}

	tests := []struct {
		name     string
		result   *eval.Result // nil: the control has no rule
		declared map[string]*Declaration
		status   string
		derived  string
		verdict  eval.Verdict
		manual   string
		reason   []string // fragments of the justification
	}{
		{"declared, nothing in scope", &absent, declared, ApplicableNo, ApplicableNo, eval.NotApplicable, "",
			[]string{"declared not applicable by CISO: no PAN is stored: tokens only"}},
		{"declared, no rule", nil, declared, ApplicableNo, ApplicableYes, eval.NotApplicable, "",
			[]string{"declared not applicable by CISO"}},
		{"declared, an element in scope", &judged, declared, ApplicableToConfirm, ApplicableYes, eval.Manual, ManualConfirmScope,
			[]string{"declared not applicable by CISO: no PAN is stored", "but its rules find 1 element in scope: Card store", "an auditor must confirm"}},
		{"declared, an element's scope unsettled", &unsure, declared, ApplicableToConfirm, ApplicableToConfirm, eval.Manual, ManualConfirmScope,
			[]string{"declared not applicable", "does not settle its scope: scope must be confirmed"}},
		{"declared, nothing in scope to confirm", &empty, declared, ApplicableNo, ApplicableToConfirm, eval.NotApplicable, "",
			[]string{"declared not applicable by CISO"}},
		{"not declared, nothing in scope to confirm", &empty, nil, ApplicableToConfirm, ApplicableToConfirm, eval.Manual, ManualConfirmScope,
			[]string{"an auditor must confirm that the scope is complete"}},
		{"not declared, element in scope", &judged, nil, ApplicableYes, ApplicableYes, eval.Satisfied, "",
			[]string{"its rules find 1 element in scope: Card store"}},
		{"not declared, nothing in scope", &absent, nil, ApplicableNo, ApplicableNo, eval.NotApplicable, "",
			[]string{"its rules find nothing in scope: no datastore element"}},
		{"not declared, scope unsettled", &unsure, nil, ApplicableToConfirm, ApplicableToConfirm, eval.Manual, ManualConfirmScope,
			[]string{"the model does not settle its scope"}},
		{"not declared, no rule", nil, nil, ApplicableYes, ApplicableYes, eval.Manual, ManualNoRule,
			[]string{"no automated rule derives its scope"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := &Results{}
			ctl := Control{Ref: pci351, Rules: []string{}, Findings: []Finding{}, Evidence: []string{"EV-POLICY"}}
			if tt.result != nil {
				res.RuleResults = []eval.Result{*tt.result}
				ctl.Rules = []string{rule}
				ctl.Verdict, ctl.Coverage = tt.result.Verdict, CoveragePartial
				ctl.Findings = []Finding{{Rule: rule, Element: tt.result.Element, Verdict: tt.result.Verdict, Assessed: tt.result.Verdict}}
				if tt.result.Verdict == eval.Manual {
					ctl.Manual = ManualConfirmScope
				}
			} else {
				ctl.Verdict, ctl.Coverage, ctl.Manual = eval.Manual, CoverageNone, ManualNoRule
			}
			ro := &roller{res: res, declared: tt.declared}
			got := ro.applicable(ctl)
			a := got.Applicability
			if a == nil {
				t.Fatal("no applicability")
			}
			if a.Status != tt.status || a.Derived != tt.derived {
				t.Errorf("status %s (derived %s), want %s (derived %s)", a.Status, a.Derived, tt.status, tt.derived)
			}
			if got.Verdict != tt.verdict || got.Manual != tt.manual {
				t.Errorf("verdict %s (%s), want %s (%s)", got.Verdict, got.Manual, tt.verdict, tt.manual)
			}
			for _, r := range tt.reason {
				if !strings.Contains(a.Justification, r) {
					t.Errorf("justification %q lacks %q", a.Justification, r)
				}
			}
			if tt.declared != nil && (a.Declared == nil || a.Declared.Approver != "CISO") {
				t.Errorf("declaration not kept: %+v", a.Declared)
			}
			if tt.result == &judged {
				if strings.Join(a.Mitigations, ",") != "M-TOKENIZE" {
					t.Errorf("mitigations %q, want only the counted M-TOKENIZE", a.Mitigations)
				}
				if strings.Join(a.Evidence, ",") != "EV-POLICY,EV-KMS" {
					t.Errorf("evidence %q, want the control's item then the findings'", a.Evidence)
				}
			}
		})
	}
}

// No declaration of not applicable ever leaves a control satisfied.
func TestDeclaredNeverSatisfied(t *testing.T) {
	for _, v := range eval.Verdicts {
		res := &Results{RuleResults: []eval.Result{{Rule: "r", Element: eval.ElementRef{ID: "e"}, Verdict: v,
			Reasons: []eval.Reason{{Code: "in-scope", Message: "in scope"}}}}}
		ctl := Control{Ref: pci351, Rules: []string{"r"}, Verdict: v,
			Findings: []Finding{{Rule: "r", Element: eval.ElementRef{ID: "e"}, Verdict: v, Assessed: v}}}
		ro := &roller{res: res, declared: map[string]*Declaration{pci351: {Justification: "j", Approver: "a"}}}
		got := ro.applicable(ctl)
		if got.Verdict == eval.Satisfied {
			t.Errorf("%s: a control declared not applicable became satisfied", v)
		}
		if eval.Rank(got.Verdict) < eval.Rank(v) {
			t.Errorf("%s: the declaration made the verdict better (%s)", v, got.Verdict)
		}
	}
}

func TestCheckApplicabilityRefuses(t *testing.T) {
	refs := catalogRefs(t)
	tests := []struct {
		name  string
		entry overlay.ApplicabilityEntry
		where string
		msg   string
	}{
		{"unknown control", overlay.ApplicabilityEntry{Control: "pci-dss@4.0.1:99.9.9", Justification: "j", Approver: "a"},
			"/overlay/applicability/1/control", "is not a control of"},
		{"other version", overlay.ApplicabilityEntry{Control: "pci-dss@3.2.1:3.4", Justification: "j", Approver: "a"},
			"/overlay/applicability/1/control", "names version pci-dss@3.2.1"},
		{"blank justification", overlay.ApplicabilityEntry{Control: "pci-dss@4.0.1:3.5.1", Justification: "  ", Approver: "a"},
			"/overlay/applicability/1/justification", "no justification"},
		{"no approver", overlay.ApplicabilityEntry{Control: "pci-dss@4.0.1:3.5.1", Justification: "j"},
			"/overlay/applicability/1/approver", "no approver"},
		{"twice", overlay.ApplicabilityEntry{Control: "pci-dss@4.0.1:12.3.1", Justification: "j", Approver: "a"},
			"/overlay/applicability/1/control", "already declared at /overlay/applicability/0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := &overlay.Overlay{Applicability: []overlay.ApplicabilityEntry{
				{Control: "pci-dss@4.0.1:12.3.1", Justification: "j", Approver: "a"}, tt.entry}}
			err := checkApplicability(o, "auditpack.yaml", refs)
			ie, ok := err.(*InputError)
			if !ok {
				t.Fatalf("error %v (%T), want an InputError", err, err)
			}
			if ie.Source != "auditpack.yaml: at "+tt.where || !strings.Contains(ie.Message, tt.msg) {
				t.Errorf("got %q, want at %s a message with %q", err, tt.where, tt.msg)
			}
		})
	}
	ok := &overlay.Overlay{Applicability: []overlay.ApplicabilityEntry{
		{Control: "pci-dss@4.0.1:12.3.1", Justification: "j", Approver: "a"},
		{Control: "hipaa-security-rule@2013:164.308(a)(1)", Justification: "not a covered entity", Approver: "a"}}}
	if err := checkApplicability(ok, "auditpack.yaml", refs); err != nil {
		t.Errorf("a control of a selected framework, and one of a framework not selected: %v", err)
	}
}

func catalogRefs(t *testing.T) map[string]*frameworks.Catalog {
	t.Helper()
	reg, err := frameworks.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	c, err := reg.Lookup("pci-dss")
	if err != nil {
		t.Fatal(err)
	}
	return map[string]*frameworks.Catalog{c.Ref(): c}
}
