package xlsx

import (
	"fmt"
	"slices"
	"strings"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/reports/view"
	"github.com/xuri/excelize/v2"
)

// controlColumns are the Controls sheet's columns; the last three are the
// auditor's and start empty.
var controlColumns = []column{
	{"Framework", 15, plain},
	{"Control", 10, plain},
	{"Name", 38, wrapped},
	{"Group", 8, plain},
	{"Verdict", 15, verdict},
	{"Coverage", 10, plain},
	{"Why manual", 17, plain},
	{"Reason", 60, wrapped},
	{"Rules", 34, wrapped},
	{"Elements", 30, wrapped},
	{"Evidence", 26, wrapped},
	{"Exceptions", 14, wrapped},
	{"Evidence shared with", 30, wrapped},
	{"Auditor conclusion", 18, auditor},
	{"Auditor comment", 40, auditor},
	{"Sample reference", 20, auditor},
}

// conclusionColumn is the 1-based column of "Auditor conclusion".
var conclusionColumn = slices.IndexFunc(controlColumns, func(c column) bool { return c.title == "Auditor conclusion" }) + 1

// controls writes one row per control, in the order of the results.
func (wb *workbook) controls() error {
	t, err := newTable(wb.f, wb.st, SheetControls, 2, controlColumns)
	if err != nil {
		return err
	}
	for i := range wb.r.Controls {
		c := &wb.r.Controls[i]
		cov := any(c.Coverage)
		if c.Coverage == audit.CoveragePartial {
			cov = styled{c.Coverage, wb.st.partial}
		}
		err := t.add(c.Framework, c.ID, c.Name, c.Group, c.Verdict, cov, view.ManualLabel(c.Manual), c.Reason,
			lines(c.Rules), wb.named(controlElements(c)), lines(wb.controlEvidence(c)), lines(c.Exceptions), lines(c.SharedWith))
		if err != nil {
			return err
		}
	}
	if err := wb.conclusionList(t); err != nil {
		return err
	}
	return t.close()
}

// conclusionList offers the fixed list of conclusions on every control row.
func (wb *workbook) conclusionList(t *table) error {
	if t.row < 2 {
		return nil
	}
	col, err := excelize.ColumnNumberToName(conclusionColumn)
	if err != nil {
		return err
	}
	dv := excelize.NewDataValidation(true)
	dv.Sqref = fmt.Sprintf("%s2:%s%d", col, col, t.row)
	if err := dv.SetDropList(Conclusions); err != nil {
		return fmt.Errorf("conclusion list: %w", err)
	}
	dv.SetError(excelize.DataValidationErrorStyleStop, "Auditor conclusion", "Pick one of: "+strings.Join(Conclusions, ", ")+".")
	dv.SetInput("Auditor conclusion", "Your conclusion on this control.")
	if err := wb.f.AddDataValidation(SheetControls, dv); err != nil {
		return fmt.Errorf("conclusion list: %w", err)
	}
	return nil
}

// controlElements lists the distinct elements a control's findings looked
// at, in finding order.
func controlElements(c *audit.Control) []string {
	var ids []string
	seen := map[string]bool{} // a control may have tens of thousands of findings
	for _, f := range c.Findings {
		if id := elementID(f.Element); !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids
}

// controlEvidence lists the evidence a control rests on: items naming the
// control, then items its findings used, each once.
func (wb *workbook) controlEvidence(c *audit.Control) []string {
	ids := slices.Clone(c.Evidence)
	seen := map[string]bool{}
	for _, id := range ids {
		seen[id] = true
	}
	for _, f := range c.Findings {
		rr := wb.byFinding[findingKey{f.Rule, f.Element.ID}]
		if rr == nil {
			continue
		}
		for _, u := range rr.Evidence {
			if !seen[u.Item] {
				seen[u.Item] = true
				ids = append(ids, u.Item)
			}
		}
	}
	return ids
}

// elementID names an element, or the whole system for system-level rules.
func elementID(e eval.ElementRef) string {
	if e.ID == "" {
		return "(system)"
	}
	return e.ID
}

var findingColumns = []column{
	{"Framework", 15, plain},
	{"Control", 10, plain},
	{"Rule", 34, wrapped},
	{"Element", 20, wrapped},
	{"Element kind", 14, plain},
	{"Element name", 26, wrapped},
	{"Verdict", 15, verdict},
	{"Assessed verdict", 15, verdict},
	{"Exception", 14, plain},
	{"Note", 34, wrapped},
	{"Mitigations", 44, wrapped},
	{"Evidence", 34, wrapped},
	{"Key reason", 64, wrapped},
}

// findings writes one row per rule and element, for each control. The
// verdict is the one that counts; the assessed verdict is the one before
// exceptions, so an excepted row still shows what was wrong.
func (wb *workbook) findings() error {
	t, err := newTable(wb.f, wb.st, SheetFindings, 2, findingColumns)
	if err != nil {
		return err
	}
	for i := range wb.r.Controls {
		c := &wb.r.Controls[i]
		for _, f := range c.Findings {
			rr := wb.byFinding[findingKey{f.Rule, f.Element.ID}]
			mits, evs, reason := "", "", ""
			if rr != nil {
				mits, evs, reason = mitigationUses(rr.Mitigations), evidenceUses(rr.Evidence), audit.KeyReason(*rr)
			}
			err := t.add(c.Framework, c.ID, f.Rule, elementID(f.Element), f.Element.Kind, f.Element.Name,
				f.Verdict, f.Assessed, f.Exception, f.Note, mits, evs, reason)
			if err != nil {
				return err
			}
		}
	}
	return t.close()
}

// mitigationUses shows each mitigation a rule looked at, and why one did
// not count, one per line. It writes one string for the cell, because it
// runs for every finding.
func mitigationUses(list []eval.MitigationUse) string {
	var b strings.Builder
	for i, m := range list {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(m.ID)
		b.WriteByte(' ')
		b.WriteString(m.Title)
		b.WriteString(" (")
		b.WriteString(m.Capability)
		b.WriteString(", ")
		b.WriteString(m.Status)
		if m.On != "" {
			b.WriteString(", on ")
			b.WriteString(m.On)
		}
		b.WriteByte(')')
		if !m.Counted {
			b.WriteString(" not counted")
			if m.Problem != "" {
				b.WriteString(": ")
				b.WriteString(m.Problem)
			}
		}
	}
	return b.String()
}

// evidenceUses shows each evidence item a rule used, with its status, one
// per line.
func evidenceUses(list []eval.EvidenceUse) string {
	var b strings.Builder
	for i, e := range list {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Item)
		b.WriteString(" (")
		b.WriteString(e.Status)
		b.WriteString(", collected ")
		b.WriteString(orDash(e.CollectedAt))
		b.WriteByte(')')
	}
	return b.String()
}
