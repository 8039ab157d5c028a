package pdf

import (
	"fmt"
	"strings"
	"time"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/exception"
)

// exceptions is chapter 5: every exception with its approver,
// justification, expiry and compensating evidence. Expired and pending
// exceptions are flagged, because they no longer (or do not yet) change any
// verdict.
func (d *doc) exceptions() {
	d.chapterStart("exceptions", titleExceptions)
	if len(d.r.Exceptions) == 0 {
		d.paragraph("No exceptions were given.", 9, black)
		return
	}
	d.paragraph("An exception turns a not-satisfied or needs-evidence finding into \"excepted\" only while it is "+
		"approved, unexpired and its compensating evidence is valid, and only where the control's framework lets its type "+
		"cover a failure: PCI DSS accepts compensating controls with a complete worksheet validated in the last 12 months "+
		"and the customized approach, never a risk acceptance; SOC 2 reports every exception beside the finding and "+
		"never excepts it. An excepted control is not satisfied. "+
		"An expired exception is not an exception: the findings it named keep their assessed verdict.", 8.5, grey)
	for i := range d.r.Exceptions {
		d.exception(&d.r.Exceptions[i])
	}
}

func (d *doc) exception(e *audit.ExceptionInfo) {
	p := d.pdf
	d.need(40)
	var banner string
	var fg, bg rgb
	switch e.Status {
	case exception.Expired:
		banner = "EXPIRED on " + e.ExpiresOn
		fg, bg = red, paleRed
	case exception.Pending:
		banner = "PENDING: approved only from " + e.ApprovedOn
		fg, bg = rgb{170, 85, 0}, rgb{254, 238, 214}
	case exception.Active:
		banner = "active until " + e.ExpiresOn
		fg, bg = green, rgb{222, 242, 226}
	default:
		banner = "status " + e.Status
		fg, bg = black, paleGrey
	}
	y := p.GetY() + 1
	d.fillColor(bg)
	p.Rect(marginX, y, contentW, 7, "F")
	d.font("B", 10)
	d.textColor(navy)
	p.SetXY(marginX+2, y+0.5)
	head := d.line(e.ID + "  " + e.Type)
	p.CellFormat(contentW/2, 6, d.fit(head, contentW/2-2), "", 0, "L", false, 0, "")
	d.textColor(fg)
	p.CellFormat(contentW/2-4, 6, d.fit(d.line(banner), contentW/2-6), "", 0, "R", false, 0, "")
	d.textColor(black)
	p.SetXY(marginX, y+8)

	var scope []string
	if e.Control != "" {
		scope = append(scope, "control "+e.Control)
	}
	if e.Rule != "" {
		scope = append(scope, "rule "+e.Rule)
	}
	if e.Element != "" {
		scope = append(scope, "element "+d.nameOf(e.Element)+" ("+e.Element+")")
	}
	applied := "nothing (no finding was excepted by it)"
	if len(e.AppliedTo) > 0 {
		applied = strings.Join(e.AppliedTo, "\n")
	}
	pairs := [][2]string{
		{"Covers", d.orNone(d.line(strings.Join(scope, "; ")))},
		{"Status", d.line(d.statusText(e, banner))},
		{"Approver", d.orNone(d.line(e.Approver))},
		{"Approved on", d.orNone(d.line(e.ApprovedOn))},
		{"Expires on", d.orNone(d.line(e.ExpiresOn))},
	}
	if e.Ticket != "" {
		pairs = append(pairs, [2]string{"Ticket", d.line(e.Ticket)})
	}
	pairs = append(pairs,
		[2]string{"Justification", d.orNone(d.para(e.Justification))},
	)
	if w := e.Worksheet; w != nil {
		for _, kv := range [][2]string{{"Constraints", w.Constraints}, {"Objective", w.Objective},
			{"Identified risk", w.IdentifiedRisk}, {"Compensating control", w.Definition}, {"Validation", w.Validation},
			{"Maintenance", w.Maintenance}, {"Validated on", w.ValidatedOn}} {
			pairs = append(pairs, [2]string{kv[0], d.orNone(d.para(kv[1]))})
		}
	}
	if c := e.Customized; c != nil {
		pairs = append(pairs, [2]string{"Controls matrix", d.orNone(d.line(c.ControlsMatrix))},
			[2]string{"Targeted risk analysis", d.orNone(d.line(c.TargetedRiskAnalysis))},
			[2]string{"Validated on", d.orNone(d.line(c.ValidatedOn))})
	}
	pairs = append(pairs, [2]string{"Compensating evidence", d.compensating(e)})
	if len(e.EvidenceProblems) > 0 {
		pairs = append(pairs, [2]string{"Evidence problems", d.para(strings.Join(e.EvidenceProblems, "\n"))})
	}
	if len(e.Effects) > 0 {
		pairs = append(pairs, [2]string{"Effect while active", d.para(effects(e.Effects))})
	}
	pairs = append(pairs, [2]string{"Applied to", d.para(applied)})
	if len(e.ReportedOn) > 0 {
		pairs = append(pairs, [2]string{"Reported on", d.para(strings.Join(e.ReportedOn, "\n"))})
	}
	d.keyValues(38, pairs...)
}

// effects says, per framework, what the exception's type does there.
func effects(list []audit.ExceptionEffect) string {
	var out []string
	for _, x := range list {
		s := x.Framework + ": "
		switch x.Effect {
		case exception.Hides:
			s += "excepts failing findings"
		case exception.Shows:
			s += "reported beside failing findings, which keep their verdict"
		default:
			s += "does not apply"
		}
		if x.Reason != "" {
			s += " (" + x.Reason + ")"
		}
		out = append(out, s)
	}
	return strings.Join(out, "\n")
}

// compensating describes each compensating evidence item as the bundle
// verified it.
func (d *doc) compensating(e *audit.ExceptionInfo) string {
	if len(e.CompensatingEvidence) == 0 {
		return "none given"
	}
	var out []string
	for _, id := range e.CompensatingEvidence {
		it := d.ix.evidence[id]
		if it == nil {
			out = append(out, d.line(id+": not in the evidence bundle"))
			continue
		}
		s := fmt.Sprintf("%s %s: %s, collected %s (%d days old)", it.ID, it.Title, it.Status, it.CollectedAt, it.AgeDays)
		for _, f := range it.Files {
			s += fmt.Sprintf("; %s sha256 %s", f.Path, shortHash(f.SHA256))
		}
		out = append(out, d.line(s))
	}
	return strings.Join(out, "\n")
}

// statusText explains an exception's status in full.
func (d *doc) statusText(e *audit.ExceptionInfo, banner string) string {
	switch e.Status {
	case exception.Expired:
		return banner + d.daysAgo(e.ExpiresOn) + ": it no longer applies, and the findings it named keep their assessed verdict"
	case exception.Pending:
		return banner + ": it does not apply yet"
	}
	return banner
}

// daysAgo says how long before the as-of date a date lies, or nothing when
// the date cannot be read.
func (d *doc) daysAgo(date string) string {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return ""
	}
	n := int(d.asOf.Sub(t).Hours() / 24)
	if n <= 0 {
		return ""
	}
	return fmt.Sprintf(", %d days before the as-of date", n)
}
