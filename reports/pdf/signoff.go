package pdf

import "github.com/auditpack/auditpack/audit"

const (
	titleSignOff = "Sign-off"
	keySignOff   = "signoff"
)

// signOff is the last page: who prepared and who reviewed the package, as
// the configuration states them, and blank lines for the auditor's own
// sign-off, which auditpack never fills in.
func (d *doc) signOff() {
	d.chapterStart(keySignOff, titleSignOff)
	d.paragraph("Prepared by and reviewed by are as the project configuration states them (prepared_by, reviewed_by). "+
		"The auditor's lines are left blank for a signature on paper or in the workbook's auditor columns.", 8.5, grey)
	d.heading("The organisation", 11)
	t := d.newTable(9, column{"", 36}, column{"Name", 84}, column{"Date", 60})
	for _, so := range []struct {
		role string
		s    *audit.SignOff
	}{{"Prepared by", d.r.Project.PreparedBy}, {"Reviewed by", d.r.Project.ReviewedBy}} {
		if so.s == nil {
			t.row(cell{text: so.role, bold: true}, cell{text: "not stated in the configuration", fg: grey}, plain("-"))
			continue
		}
		t.row(cell{text: so.role, bold: true}, plain(d.line(so.s.Name)), plain(d.line(so.s.Date)))
	}
	t.end()
	d.pdf.Ln(4)
	d.heading("The auditor", 11)
	for _, label := range []string{"Name", "Organisation", "Conclusion", "Date", "Signature"} {
		d.blankLine(label)
	}
}

// blankLine prints a label and a line to write on.
func (d *doc) blankLine(label string) {
	p := d.pdf
	d.need(14)
	p.Ln(6)
	y := p.GetY()
	d.font("B", 9)
	p.SetX(marginX)
	p.CellFormat(36, 6, label, "", 0, "L", false, 0, "")
	d.drawColor(grey)
	p.SetLineWidth(0.3)
	p.Line(marginX+36, y+5.5, marginX+contentW, y+5.5)
	p.SetXY(marginX, y+6)
	d.font("", 9)
}
