package view

import (
	"testing"

	"github.com/auditpack/auditpack/audit"
)

func TestApplicabilityOf(t *testing.T) {
	a := func(s string) *audit.Applicability { return &audit.Applicability{Status: s} }
	r := &audit.Results{Controls: []audit.Control{
		{Framework: "f", Applicability: a(audit.ApplicableYes)},
		{Framework: "f", Applicability: a(audit.ApplicableNo)},
		{Framework: "f", Applicability: a(audit.ApplicableToConfirm)},
		{Framework: "f", Applicability: a(audit.ApplicableToConfirm)},
		{Framework: "f"},
		{Framework: "g", Applicability: a(audit.ApplicableYes)},
	}}
	if got, want := ApplicabilityOf(r, "f"), (ApplicabilityCounts{Yes: 1, No: 1, ToConfirm: 2, Unrecorded: 1}); got != want {
		t.Errorf("ApplicabilityOf = %+v, want %+v", got, want)
	}
}
