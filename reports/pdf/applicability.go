package pdf

import (
	"fmt"
	"strings"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/reports/view"
)

// The statement of applicability has no chapter number, like the changes
// chapter: the numbered chapters keep theirs.
const (
	titleApplicability = "Statement of applicability"
	keyApplicability   = "applicability"
)

// applicabilityColors gives an applicability status its text and pale
// background colours; the status is always printed in words too.
func applicabilityColors(status string) (fg, bg rgb) {
	switch status {
	case audit.ApplicableYes:
		return navy, rgb{226, 234, 246}
	case audit.ApplicableNo:
		return grey, paleGrey
	case audit.ApplicableToConfirm:
		return rgb{170, 85, 0}, rgb{254, 238, 214}
	}
	return black, paleGrey
}

// applicability is the statement of applicability: every control of every
// framework, whether it applies and why, what implements it, the evidence
// it rests on, and its verdict and coverage. It prints what the results
// derived (see [audit.Applicability]) and derives nothing itself.
func (d *doc) applicability() {
	d.chapterStart(keyApplicability, titleApplicability)
	d.paragraph("Every control of each framework: whether it applies to the system (yes, no, or to confirm), why, "+
		"the mitigations that implement it, the evidence items it rests on, and its verdict and coverage. "+
		"\"yes\" and \"no\" follow from the scope auditpack derives from the model, or from the organisation's own "+
		"declaration (with its approver) that a control does not apply. A declaration never makes a control "+
		"satisfied: where the model shows elements in the control's scope, or leaves it unsettled, the control is "+
		"\"to confirm\" and an auditor decides which holds. The workbook sheet \""+titleApplicability+"\" has the same rows.", 8.5, grey)
	for _, f := range d.fws {
		title := d.line(f.Title)
		d.need(40)
		d.pdf.Bookmark(title, 1, -1)
		d.anchor(keyApplicability + ":" + f.Ref)
		d.heading(title, 13)
		n := view.ApplicabilityOf(d.r, f.Ref)
		text := fmt.Sprintf("%d applicable, %d not applicable, %d to confirm.", n.Yes, n.No, n.ToConfirm)
		if n.Unrecorded > 0 {
			text += fmt.Sprintf(" %d without a statement (results written before auditpack recorded one).", n.Unrecorded)
		}
		d.paragraph(text, 8.5, black)
		t := d.newTable(7, column{"Control", 16}, column{"Applies", 17}, column{"Justification", 63},
			column{"Mitigations", 28}, column{"Evidence", 28}, column{"Verdict, coverage", 28})
		for i := range d.r.Controls {
			if c := &d.r.Controls[i]; c.Framework == f.Ref {
				t.row(d.applicabilityRow(c)...)
			}
		}
		t.end()
	}
}

func (d *doc) applicabilityRow(c *audit.Control) []cell {
	id := cell{text: d.line(c.ID), bold: true}
	if needsFinding(c.Verdict) {
		id.link = d.link("finding:" + c.Ref)
		id.fg = navy
	}
	verdict := d.verdictCell(c.Verdict)
	verdict.text += "\n" + d.line(coverageText(c.Coverage))
	verdict.bold, verdict.head = false, true
	a := c.Applicability
	if a == nil {
		return []cell{id, cell{text: "not recorded", fg: grey}, plain("-"), plain("-"), plain("-"), verdict}
	}
	fg, bg := applicabilityColors(a.Status)
	status := cell{text: d.line(strings.ReplaceAll(a.Status, "-", " ")), fg: fg, bg: bg, bold: true}
	why := d.line(c.Name) + "\n" + d.line(a.Justification)
	if a.Declared != nil && a.Status == audit.ApplicableToConfirm {
		why += "\n" + d.line("auditpack derived: "+a.Derived)
	}
	return []cell{id, status, cell{text: why, head: true}, plain(d.orDash(d.line(strings.Join(a.Mitigations, ", ")))),
		plain(d.orDash(d.line(strings.Join(a.Evidence, ", ")))), verdict}
}
