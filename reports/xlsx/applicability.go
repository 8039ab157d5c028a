package xlsx

import (
	"strings"

	"github.com/auditpack/auditpack/audit"
)

// SheetApplicability is the statement of applicability: one row per
// control of every framework.
const SheetApplicability = "Statement of applicability"

// applicabilityColumns are the statement's columns; the last two are the
// auditor's.
var applicabilityColumns = []column{
	{"Framework", 15, plain},
	{"Control", 10, plain},
	{"Name", 38, wrapped},
	{"Applicable", 12, plain},
	{"Justification", 60, wrapped},
	{"Derived by auditpack", 12, plain},
	{"Derived reason", 50, wrapped},
	{"Declared by", 20, wrapped},
	{"Declared at", 26, wrapped},
	{"Mitigations", 26, wrapped},
	{"Evidence", 26, wrapped},
	{"Verdict", 15, verdict},
	{"Coverage", 10, plain},
	{"Auditor conclusion", 18, auditor},
	{"Auditor comment", 40, auditor},
}

// applicability writes the statement of applicability as the results
// derived it; the workbook derives nothing.
func (wb *workbook) applicability() error {
	t, err := newTable(wb.f, wb.st, SheetApplicability, 2, applicabilityColumns)
	if err != nil {
		return err
	}
	for i := range wb.r.Controls {
		c := &wb.r.Controls[i]
		a := c.Applicability
		if a == nil {
			err = t.add(c.Framework, c.ID, c.Name, "not recorded", "", "", "", "", "", "", "", c.Verdict, c.Coverage)
		} else {
			status := any(a.Status)
			if a.Status == audit.ApplicableToConfirm {
				status = styled{a.Status, wb.st.partial}
			}
			by, where := "", ""
			if d := a.Declared; d != nil {
				by, where = d.Approver, d.Source
			}
			err = t.add(c.Framework, c.ID, c.Name, status, a.Justification, a.Derived, a.DerivedReason, by, where,
				lines(a.Mitigations), lines(a.Evidence), c.Verdict, c.Coverage)
		}
		if err != nil {
			return err
		}
	}
	return t.close()
}

// SheetProcedures is what auditpack tested for every rule, and what an
// auditor must still do.
const SheetProcedures = "Test procedures"

var procedureColumns = []column{
	{"Rule", 34, wrapped},
	{"Title", 38, wrapped},
	{"Requirements", 22, wrapped},
	{"Informative", 16, wrapped},
	{"auditpack tested", 80, wrapped},
	{"Manual steps to attest", 40, wrapped},
	{"The auditor must still", 70, wrapped},
	{"Auditor conclusion", 18, auditor},
	{"Auditor comment", 40, auditor},
}

// procedures writes one row per rule.
func (wb *workbook) procedures() error {
	t, err := newTable(wb.f, wb.st, SheetProcedures, 1, procedureColumns)
	if err != nil {
		return err
	}
	for i := range wb.r.Rules {
		ri := &wb.r.Rules[i]
		tested, left := lines(ri.Procedure), lines(ri.AuditorSteps)
		if len(ri.Procedure) == 0 {
			tested = "not recorded"
		}
		if err := t.add(ri.ID, ri.Title, lines(ri.Controls), lines(ri.Informative), tested,
			lines(ri.ManualSteps), orDash(strings.TrimSpace(left))); err != nil {
			return err
		}
	}
	return t.close()
}
