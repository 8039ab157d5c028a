package audit

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/exception"
)

const (
	pci351  = "pci-dss@4.0.1:3.5.1"
	soc2CC6 = "aicpa-tsc@2017-pof2022:CC6.1"
	isoA824 = "iso-iec-27001@2022:A.8.24"
	ruleAt  = "pan-unreadable-at-rest"
)

// exceptionsWith builds an exceptions file of one exception, given as the
// YAML lines that follow its dates.
func exceptionsWith(t *testing.T, lines ...string) *exception.File {
	t.Helper()
	doc := "schema: auditpack/exceptions/v1\nexceptions:\n  - id: EX-1\n    justification: until masking ships\n" +
		"    approver: CISO\n    approved_on: \"2026-06-01\"\n    expires_on: \"2027-03-31\"\n    " + strings.Join(lines, "\n    ") + "\n"
	f, err := exception.Parse("exceptions.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func worksheetValidated(day string) string {
	return "worksheet: {constraints: c, objective: o, identified_risk: r, definition: d, validation: v, maintenance: m, validated_on: \"" + day + "\"}"
}

// exceptFinding rolls one failing finding of the rule on the card store up
// to each control, with the exceptions given, as of 2026-11-15.
func exceptFinding(t *testing.T, f *exception.File, controls ...string) []Finding {
	t.Helper()
	elem := eval.ElementRef{ID: "card-store", Name: "Card store"}
	asOf := time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC)
	res := &Results{RuleResults: []eval.Result{{Rule: ruleAt, Element: elem, Verdict: eval.NotSatisfied}},
		Exceptions: exceptionInfos(f, nil, asOf, nil)}
	ro := &roller{res: res, exc: f, asOf: asOf}
	var out []Finding
	for _, c := range controls {
		fd := Finding{Rule: ruleAt, Element: elem, Verdict: eval.NotSatisfied, Assessed: eval.NotSatisfied}
		ctl := Control{Ref: c}
		ro.except(&fd, c, &ctl)
		if !slices.Contains(ctl.Exceptions, "EX-1") {
			t.Errorf("%s: the control must list the exception naming it, whatever its effect", c)
		}
		out = append(out, fd)
	}
	return out
}

func TestExceptionsFollowTheFramework(t *testing.T) {
	tests := []struct {
		name     string
		exc      []string
		controls []string
		want     []eval.Verdict // per control
		notes    []string       // per control: a fragment of the note, "" for none
	}{
		{"PCI DSS compensating control with its worksheet",
			[]string{"type: compensating-control", "control: \"" + pci351 + "\"", worksheetValidated("2026-06-01")},
			[]string{pci351}, []eval.Verdict{eval.Excepted}, []string{""}},
		{"PCI DSS compensating control validated more than a year ago",
			[]string{"type: compensating-control", "control: \"" + pci351 + "\"", worksheetValidated("2025-11-14")},
			[]string{pci351}, []eval.Verdict{eval.NotSatisfied},
			[]string{"exception EX-1 does not apply: PCI DSS wants it validated at least every 12 months, and it was last validated on 2025-11-14"}},
		{"PCI DSS compensating control never validated",
			[]string{"type: compensating-control", "control: \"" + pci351 + "\"",
				"worksheet: {constraints: c, objective: o, identified_risk: r, definition: d, validation: v, maintenance: m}"},
			[]string{pci351}, []eval.Verdict{eval.NotSatisfied}, []string{"no validated_on date"}},
		{"PCI DSS customized approach",
			[]string{"type: customized-approach", "control: \"" + pci351 + "\"",
				"customized_approach: {controls_matrix: CM-3.5.1, targeted_risk_analysis: TRA-3.5.1, validated_on: \"2026-05-01\"}"},
			[]string{pci351}, []eval.Verdict{eval.Excepted}, []string{""}},
		{"SOC 2 deviation",
			[]string{"type: deviation", "control: \"" + soc2CC6 + "\""},
			[]string{soc2CC6}, []eval.Verdict{eval.NotSatisfied},
			[]string{"deviation EX-1 reported, not excepted: SOC 2 reports deviations"}},
		{"SOC 2 risk acceptance",
			[]string{"type: risk-acceptance", "control: \"" + soc2CC6 + "\""},
			[]string{soc2CC6}, []eval.Verdict{eval.NotSatisfied}, []string{"risk acceptance EX-1 reported, not excepted"}},
		{"ISO/IEC 27001 risk acceptance",
			[]string{"type: risk-acceptance", "control: \"" + isoA824 + "\""},
			[]string{isoA824}, []eval.Verdict{eval.Excepted}, []string{""}},
		{"rule-level compensating control across PCI DSS and SOC 2",
			[]string{"type: compensating-control", "rule: " + ruleAt, worksheetValidated("2026-06-01")},
			[]string{pci351, soc2CC6}, []eval.Verdict{eval.Excepted, eval.NotSatisfied},
			[]string{"", "compensating control EX-1 reported, not excepted: SOC 2 reports deviations"}},
		{"rule-level risk acceptance across PCI DSS and ISO/IEC 27001",
			[]string{"type: risk-acceptance", "rule: " + ruleAt},
			[]string{pci351, isoA824}, []eval.Verdict{eval.NotSatisfied, eval.Excepted},
			[]string{"exception EX-1 does not apply: PCI DSS has no risk acceptance", ""}},
		{"rule-level compensating control without a worksheet",
			[]string{"type: compensating-control", "rule: " + ruleAt},
			[]string{pci351, isoA824}, []eval.Verdict{eval.NotSatisfied, eval.Excepted},
			[]string{"needs its worksheet, which lacks constraints", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := exceptFinding(t, exceptionsWith(t, tt.exc...), tt.controls...)
			for i, f := range got {
				c := tt.controls[i]
				if f.Verdict != tt.want[i] || f.Assessed != eval.NotSatisfied {
					t.Errorf("%s: verdict %s (assessed %s), want %s", c, f.Verdict, f.Assessed, tt.want[i])
				}
				if excepted := f.Verdict == eval.Excepted; excepted != (f.Exception == "EX-1") {
					t.Errorf("%s: Exception %q must name the exception exactly when the finding is excepted", c, f.Exception)
				}
				if tt.notes[i] == "" && f.Note != "" || !strings.Contains(f.Note, tt.notes[i]) {
					t.Errorf("%s: note %q, want %q", c, f.Note, tt.notes[i])
				}
				reported := strings.Contains(f.Note, "reported, not excepted")
				if reported != (f.Deviation == "EX-1") {
					t.Errorf("%s: Deviation %q must name the exception exactly when it is reported beside the finding", c, f.Deviation)
				}
			}
		})
	}
}

func TestExceptionInfoShowsWhereItApplies(t *testing.T) {
	f := exceptionsWith(t, "type: compensating-control", "rule: "+ruleAt, worksheetValidated("2026-06-01"))
	elem := eval.ElementRef{ID: "card-store"}
	asOf := time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC)
	res := &Results{RuleResults: []eval.Result{{Rule: ruleAt, Element: elem, Verdict: eval.NotSatisfied}},
		Exceptions: exceptionInfos(f, nil, asOf, nil)}
	ro := &roller{res: res, exc: f, asOf: asOf}
	for _, c := range []string{pci351, soc2CC6} {
		fd := Finding{Rule: ruleAt, Element: elem, Verdict: eval.NotSatisfied, Assessed: eval.NotSatisfied}
		ro.except(&fd, c, &Control{})
	}
	x := res.Exceptions[0]
	if want := []string{ruleAt + " card-store for " + pci351}; !slices.Equal(x.AppliedTo, want) {
		t.Errorf("applied to %q, want %q", x.AppliedTo, want)
	}
	if want := []string{ruleAt + " card-store for " + soc2CC6}; !slices.Equal(x.ReportedOn, want) {
		t.Errorf("reported on %q, want %q", x.ReportedOn, want)
	}
	if x.Worksheet == nil || x.Worksheet.ValidatedOn != "2026-06-01" {
		t.Errorf("the worksheet must be in the results: %+v", x.Worksheet)
	}
}
