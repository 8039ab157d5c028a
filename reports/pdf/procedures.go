package pdf

import (
	"fmt"
	"strings"

	"github.com/auditpack/auditpack/audit"
)

// The test procedures and the sign-off close the report, after the
// numbered chapters.
const (
	titleProcedures = "Test procedures"
	keyProcedures   = "procedures"
)

// procedures lists, for every automated rule, what auditpack tested (the
// procedure generated from the rule's definition) and what an auditor must
// still do for the rest of the requirement.
func (d *doc) procedures() {
	d.chapterStart(keyProcedures, titleProcedures)
	d.paragraph("For every automated rule: what auditpack tested, worded from the rule's own definition so that it "+
		"always says what the rule does (which elements it selects, which capability it looks for and where, which "+
		"facts and evidence it requires and how fresh), then what an auditor must still do for the rest of the "+
		"requirements it maps to. The steps are auditpack's own words, not the frameworks' testing procedures; "+
		"read those in your licensed copy.", 8.5, grey)
	if len(d.r.Rules) == 0 {
		d.paragraph("No automated rule was run.", 9, black)
		return
	}
	for i := range d.r.Rules {
		d.procedure(&d.r.Rules[i])
	}
}

func (d *doc) procedure(ri *audit.RuleInfo) {
	d.need(35)
	d.anchor("procedure:" + ri.ID)
	d.heading(d.line(ri.ID), 9.5)
	d.paragraphAt(marginX+3, contentW-3, d.line(ri.Title), 8, black)
	d.paragraphAt(marginX+3, contentW-3, d.line("Requirements: "+strings.Join(append(append([]string(nil), ri.Controls...), informative(ri.Informative)...), ", ")), 8, grey)
	tested, left := ri.Procedure, ri.AuditorSteps
	if len(tested) == 0 {
		tested = []string{"Not recorded: these results were written before auditpack recorded its procedures."}
	}
	if len(left) == 0 {
		left = []string{"Not recorded."}
	}
	t := d.newTable(7.5, column{w: 34}, column{w: contentW - 34})
	t.row(cell{text: "auditpack tested", bold: true, fg: navy}, plain(d.bullets(tested)))
	if len(ri.ManualSteps) > 0 {
		t.row(cell{text: "manual steps to attest", bold: true, fg: grey}, plain(d.bullets(ri.ManualSteps)))
	}
	t.row(cell{text: "the auditor must still", bold: true, fg: rgb{170, 85, 0}}, plain(d.bullets(left)))
	t.end()
}

func informative(refs []string) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r + " (informative)"
	}
	return out
}

// bullets cleans and joins steps one per line, each with a dash.
func (d *doc) bullets(steps []string) string {
	out := make([]string, len(steps))
	for i, s := range steps {
		out[i] = "- " + d.line(s)
	}
	return strings.Join(out, "\n")
}

// procedureLink is a findings section's pointer to its rule's procedure.
func (d *doc) procedureLink(id string) {
	text := "Test procedure: see \"" + titleProcedures + "\""
	if n := d.pageOf("procedure:" + id); n > 0 {
		text += fmt.Sprintf(", page %d", n)
	}
	d.font("", 8)
	d.textColor(navy)
	h := lineHeight(8)
	d.need(h)
	y := d.pdf.GetY()
	d.pdf.SetX(marginX + 3)
	d.pdf.CellFormat(contentW-3, h, d.line(text+"."), "", 1, "L", false, 0, "")
	d.pdf.Link(marginX+3, y, min(d.width(text)+2, contentW-3), h, d.link("procedure:"+id))
	d.textColor(black)
}
