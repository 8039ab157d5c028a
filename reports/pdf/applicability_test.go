package pdf

import (
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit"
)

// The report prints the statement of applicability, the test procedures
// and the sign-off as the results hold them.
func TestApplicabilityProceduresSignOff(t *testing.T) {
	r := loadDemo(t)
	text := pdftotext(t, render(t, r, demoOptions))
	squash := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{
		"Statement of applicability",
		"declared not applicable by R. Iyer, CISO: No",
		"Test procedures",
		"pci-1.3.1-inbound-cde-filtering",
		"looks for an implemented or inherited mitigation providing the capability traffic-filtering",
		"documented business reason",
		"Test procedure: see \"Test procedures\", page",
		"Sign-off",
		"Prepared by A. Mensah, compliance lead 2026-11-14",
		"Reviewed by R. Iyer, CISO 2026-11-15",
		"Signature",
	} {
		if !strings.Contains(squash, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
}

// Results written before auditpack recorded applicability, procedures and
// sign-off still render, and say so rather than print nothing.
func TestOldResultsRender(t *testing.T) {
	r := *loadDemo(t)
	r.Project.PreparedBy, r.Project.ReviewedBy = nil, nil
	r.Controls = append([]audit.Control(nil), r.Controls...)
	for i := range r.Controls {
		r.Controls[i].Applicability = nil
	}
	r.Rules = append([]audit.RuleInfo(nil), r.Rules...)
	for i := range r.Rules {
		r.Rules[i].Procedure, r.Rules[i].AuditorSteps = nil, nil
	}
	squash := strings.Join(strings.Fields(pdftotext(t, render(t, &r, demoOptions))), " ")
	for _, want := range []string{"not stated in the configuration", "without a statement", "Not recorded: these results were written before"} {
		if !strings.Contains(squash, want) {
			t.Errorf("the report of old results lacks %q", want)
		}
	}
}
