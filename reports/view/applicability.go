package view

import "github.com/auditpack/auditpack/audit"

// ApplicabilityCounts counts a framework's controls by their statement of
// applicability; Unrecorded counts those of results written before
// auditpack recorded one.
type ApplicabilityCounts struct {
	Yes, No, ToConfirm, Unrecorded int
}

// ApplicabilityOf counts the controls of one framework (its ref) by the
// applicability the results derived; it derives nothing itself.
func ApplicabilityOf(r *audit.Results, framework string) ApplicabilityCounts {
	var n ApplicabilityCounts
	for i := range r.Controls {
		c := &r.Controls[i]
		if c.Framework != framework {
			continue
		}
		switch a := c.Applicability; {
		case a == nil:
			n.Unrecorded++
		case a.Status == audit.ApplicableYes:
			n.Yes++
		case a.Status == audit.ApplicableNo:
			n.No++
		case a.Status == audit.ApplicableToConfirm:
			n.ToConfirm++
		default:
			n.Unrecorded++
		}
	}
	return n
}
