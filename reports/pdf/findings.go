package pdf

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
)

// maxElements bounds the elements printed per control; the workbook sheet
// "Findings" has every row, so the report stays readable for large models.
const maxElements = 20

// workbookSheet is where the complete list of findings lives.
const workbookSheet = "Findings"

// findings is chapter 4: the detail behind every control that is not
// satisfied, needs evidence or is excepted.
func (d *doc) findings() {
	d.chapterStart("findings", titleFindings)
	d.paragraph("For every control that is not satisfied, needs evidence or is excepted: each rule with its "+
		"severity and remediation, then the elements it judged, worst first, with the reasons, the mitigations "+
		"found or missing, and the evidence (shortened SHA-256, collection date, age, status). At most 20 "+
		"elements are shown per control; the workbook sheet \""+workbookSheet+"\" has every row.", 8.5, grey)
	for _, f := range d.fws {
		title := d.line(f.Title)
		d.need(40)
		d.pdf.Bookmark(title, 1, -1)
		d.anchor("findings:" + f.Ref)
		d.heading(title, 13)
		n := 0
		for j := range d.r.Controls {
			c := &d.r.Controls[j]
			if c.Framework == f.Ref && needsFinding(c.Verdict) {
				d.finding(c)
				n++
			}
		}
		if n == 0 {
			d.paragraph("No control of this framework is not satisfied, needs evidence or is excepted.", 9, black)
		}
	}
}

// finding prints one control's section.
func (d *doc) finding(c *audit.Control) {
	p := d.pdf
	d.need(60)
	fg, bg := verdictColors(c.Verdict)
	y := p.GetY() + 1
	p.SetY(y)
	d.anchor("finding:" + c.Ref)
	d.pdf.Bookmark(d.fit(d.controlLabel(c)+" "+string(c.Verdict), 120), 2, y)
	d.fillColor(bg)
	d.drawColor(fg)
	p.SetLineWidth(0.6)
	d.font("B", 10)
	lines := d.wrap(d.controlLabel(c)+"  "+d.line(c.Name), contentW-36)
	h := float64(len(lines))*lineHeight(10) + 2
	p.Rect(marginX, y, contentW, h, "F")
	p.Line(marginX, y, marginX, y+h)
	d.textColor(navy)
	for i, l := range lines {
		p.SetXY(marginX+2, y+1+float64(i)*lineHeight(10))
		p.CellFormat(contentW-36, lineHeight(10), l, "", 0, "L", false, 0, "")
	}
	d.textColor(fg)
	p.SetXY(pageW-marginX-34, y+1)
	p.CellFormat(33, lineHeight(10), string(c.Verdict), "", 0, "R", false, 0, "")
	d.textColor(black)
	p.SetXY(marginX, y+h+1)
	d.paragraph(d.line(fmt.Sprintf("Coverage: %s. %s", coverageText(c.Coverage), c.Reason)), 8, grey)
	if len(c.SharedWith) > 0 {
		d.paragraph(d.line("The same evidence also backs: "+strings.Join(c.SharedWith, ", ")), 8, grey)
	}

	fs := slices.Clone(c.Findings)
	slices.SortStableFunc(fs, func(a, b audit.Finding) int { return cmp.Compare(eval.Rank(b.Verdict), eval.Rank(a.Verdict)) })
	shown := fs[:min(len(fs), maxElements)]
	var rules []string
	for _, f := range shown {
		if !slices.Contains(rules, f.Rule) {
			rules = append(rules, f.Rule)
		}
	}
	for _, rule := range rules {
		d.ruleHeader(rule)
		for _, f := range shown {
			if f.Rule == rule {
				d.findingElement(f)
			}
		}
	}
	if rest := fs[len(shown):]; len(rest) > 0 {
		d.paragraph(d.line(fmt.Sprintf("%d more elements (%s) are not shown. The workbook sheet \"%s\" lists every "+
			"finding of this control with its reasons and evidence.", len(rest), verdictTally(rest), workbookSheet)), 8.5, red)
	}
	if len(c.Exceptions) > 0 {
		d.paragraph(d.line("Exceptions naming this control: "+strings.Join(c.Exceptions, ", ")+" (chapter 5)."), 8, black)
	}
	p.Ln(3)
}

// verdictTally counts findings per verdict, worst first: "3 not-satisfied,
// 12 satisfied".
func verdictTally(fs []audit.Finding) string {
	var parts []string
	for _, v := range eval.Verdicts {
		n := 0
		for _, f := range fs {
			if f.Verdict == v {
				n++
			}
		}
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, v))
		}
	}
	return strings.Join(parts, ", ")
}

// ruleHeader names a rule with its severity, title and remediation hint.
func (d *doc) ruleHeader(id string) {
	ri := d.ix.rules[id]
	d.need(45)
	d.font("B", 8.5)
	head := "Rule " + d.line(id)
	if ri != nil && ri.Severity != "" {
		head += " (severity " + d.line(ri.Severity) + ")"
	}
	d.paragraphBold(head)
	if ri == nil {
		d.paragraph("This rule is not described in the results.", 8, grey)
		return
	}
	d.paragraphAt(marginX+3, contentW-3, d.line(ri.Title), 8, black)
	if ri.Remediation != "" {
		d.paragraphAt(marginX+3, contentW-3, d.line("Remediation: "+ri.Remediation), 8, green)
	}
	d.procedureLink(id)
}

func (d *doc) paragraphBold(text string) {
	d.font("B", 8.5)
	h := lineHeight(8.5)
	for _, l := range d.wrap(text, contentW-2) {
		d.need(h)
		d.pdf.SetX(marginX)
		d.pdf.CellFormat(contentW, h, l, "", 1, "L", false, 0, "")
	}
	d.font("", 9)
}

// findingElement prints one (rule, element) finding: verdict, element,
// reasons, mitigations and evidence.
func (d *doc) findingElement(f audit.Finding) {
	rr := d.ix.results[resultKey{f.Rule, f.Element.ID}]
	t := d.newTable(7.5, column{w: 26}, column{w: contentW - 32})
	t.keepTogether()
	verdict := d.verdictCell(f.Verdict)
	elem := d.elementName(f.Element.ID, f.Element.Name)
	if f.Element.Kind != "" {
		elem += d.line(", " + f.Element.Kind)
	}
	t.row(verdict, cell{text: elem, bold: true})
	if f.Assessed != f.Verdict {
		t.row(cell{text: "assessed", fg: grey}, plain(d.line(fmt.Sprintf("%s before exceptions", f.Assessed))))
	}
	if f.Exception != "" {
		t.row(cell{text: "exception", fg: grey}, plain(d.line(f.Exception+" applies (chapter 5)")))
	}
	if f.Deviation != "" {
		t.row(cell{text: "reported", fg: grey}, plain(d.line(f.Deviation+" is reported beside this finding and does not except it (chapter 5)")))
	}
	if f.Note != "" {
		t.row(cell{text: "note", fg: red, bold: true}, cell{text: d.line(f.Note), fg: red})
	}
	if rr == nil {
		t.row(cell{text: "reasons", fg: grey}, plain("no rule result is recorded for this element"))
		t.end()
		return
	}
	var why []string
	for _, r := range rr.Reasons {
		why = append(why, "• "+d.line(r.Message))
	}
	if len(why) > 0 {
		t.row(cell{text: "reasons", fg: grey}, plain(strings.Join(why, "\n")))
	}
	var mits []string
	for _, m := range rr.Mitigations {
		s := fmt.Sprintf("%s \"%s\" provides %s on %s (%s), status %s", m.ID, m.Title, m.Capability, m.On, m.Location, m.Status)
		if m.Counted {
			s += ": counted"
		} else {
			s += ": not counted"
		}
		if m.Problem != "" {
			s += ", " + m.Problem
		}
		mits = append(mits, "• "+d.line(s))
	}
	if len(mits) == 0 {
		mits = append(mits, "none found")
	}
	t.row(cell{text: "mitigations", fg: grey}, plain(strings.Join(mits, "\n")))
	var evs []string
	for _, e := range rr.Evidence {
		s := fmt.Sprintf("%s (%s) %s, collected %s, %d days old, %s", e.Item, e.Requirement, e.Title,
			e.CollectedAt, e.AgeDays, e.Status)
		if e.Message != "" {
			s += ": " + e.Message
		}
		for _, fl := range e.Files {
			s += fmt.Sprintf("\nfile %s, sha256 %s", fl.Path, shortHash(fl.SHA256))
			if !fl.OK {
				s += " (does not match)"
			}
		}
		evs = append(evs, "• "+d.para(s))
	}
	if len(evs) == 0 {
		evs = append(evs, "none")
	}
	t.row(cell{text: "evidence", fg: grey}, plain(strings.Join(evs, "\n")))
	t.end()
}
