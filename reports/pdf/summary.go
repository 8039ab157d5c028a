package pdf

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/reports/view"
)

// maxTopGaps bounds the gap list of the summary; the findings chapter has
// all of them.
const maxTopGaps = 15

// maxGapElements bounds the elements named per top gap.
const maxGapElements = 5

// summary is chapter 1: verdict counts, charts and the top gaps.
func (d *doc) summary() {
	d.chapterStart("summary", titleSummary)
	r := d.r
	s := d.v.Summary
	d.paragraph(d.line(fmt.Sprintf(
		"auditpack evaluated %d controls of %d framework(s) against the threat model \"%s\" as of %s: "+
			"%d with the technical part satisfied and %d satisfied in full, %d not satisfied, %d need evidence, "+
			"%d excepted, %d manual (%d with a scope to confirm, %d with no automated rule, %d left to auditor "+
			"judgement) and %d not applicable. %s Excepted and manual controls are not satisfied and are counted apart.",
		s.Total, len(r.Frameworks), r.Model.Title, r.Project.AsOf,
		s.SatisfiedTechnical, s.SatisfiedFull, s.NotSatisfied, s.NeedsEvidence, s.Excepted,
		s.Manual, s.ManualConfirmScope, s.ManualNoRule, s.ManualJudgement, s.NotApplicable, fullText(s))), 9, black)
	if d.opts.Changes != nil {
		d.changesLine()
	}
	d.scopeFindings()
	d.openThreats()

	d.heading("Verdicts per framework", 11)
	d.countsTable()
	d.paragraph(countsLegend, 8, grey)
	d.frameworkChart()
	for _, f := range d.fws {
		d.groupChart(f)
	}
	d.topGaps()
}

// fullText says how many controls are satisfied in full; normally none
// are, and a reader must not have to work that out from a zero.
func fullText(c audit.Counts) string {
	switch c.SatisfiedFull {
	case 0:
		return "No control is satisfied in full: automated rules check the technical part only, and an auditor judges the rest."
	case 1:
		return "One control is satisfied in full, by a rule that claims the whole control; the other rules check the technical part only."
	}
	return fmt.Sprintf("%d controls are satisfied in full, by rules that claim the whole control; the other rules check "+
		"the technical part only.", c.SatisfiedFull)
}

// countsLegend explains the columns of the counts table in one sentence.
const countsLegend = "\"Technical part satisfied\" means the rules pass but check only the technical part, so the control " +
	"is not met until an auditor judges the rest; a manual control waits for an auditor to confirm its scope, to judge " +
	"it without an automated rule, or to judge what its rules leave open."

// countsTable prints the counts of each framework and of all of them, one
// row per part, so every count is named in words: satisfied and manual
// appear only split into their parts, and the parts add up to the total.
func (d *doc) countsTable() {
	const labelW = 50.0
	fws := d.v.Frameworks
	w := (contentW - labelW) / float64(len(fws)+1)
	narrow := w < 40 // titles would wrap to many lines: name frameworks by id
	cols := []column{{"Controls", labelW}}
	for _, f := range fws {
		name := f.Info.Title
		if narrow {
			name = f.Info.ID + " " + f.Info.Version
		}
		cols = append(cols, column{d.line(name), w})
	}
	all := "All frameworks"
	if narrow {
		all = "All"
	}
	cols = append(cols, column{all, w})
	t := d.newTable(7.5, cols...)
	t.keepTogether()
	num := func(n int, fg rgb, bold bool) cell {
		if n == 0 {
			fg = grey
		}
		return cell{text: fmt.Sprint(n), fg: fg, bold: bold || n > 0}
	}
	for _, p := range view.Parts() {
		fg := partColor(p)
		cells := []cell{{text: p.Label, fg: fg, bold: true}}
		for _, f := range fws {
			cells = append(cells, num(p.Of(f.Counts), fg, false))
		}
		t.row(append(cells, num(p.Of(d.v.Summary), fg, true))...)
	}
	cells := []cell{{text: "total", bold: true}}
	for _, f := range fws {
		cells = append(cells, cell{text: fmt.Sprint(f.Counts.Total), bold: true})
	}
	t.row(append(cells, cell{text: fmt.Sprint(d.v.Summary.Total), bold: true})...)
	t.end()
}

// partColor is the colour of a part of the counts: its verdict's, with
// the parts of manual and satisfied in shades of it.
func partColor(p view.Part) rgb {
	switch p.Key {
	case view.KeyManualConfirmScope:
		return rgb{70, 125, 195}
	case view.KeyManualJudgement:
		return rgb{15, 45, 100}
	case view.KeySatisfiedTechnical:
		return rgb{60, 150, 80}
	}
	fg, _ := verdictColors(p.Verdict)
	return fg
}

// legend draws a colour key for the parts of the counts, on as many lines
// as it needs.
func (d *doc) legend() {
	p := d.pdf
	d.font("", 7.5)
	const h = 5.0
	parts := view.Parts()
	xs, rows := make([]float64, len(parts)), make([]int, len(parts))
	x, row := marginX, 0
	for i, part := range parts {
		w := 3.5 + d.width(part.Label) + 3
		if x > marginX && x+w > marginX+contentW {
			x, row = marginX, row+1
		}
		xs[i], rows[i] = x, row
		x += w + 3
	}
	d.need(float64(row+1)*h + 1)
	y := p.GetY()
	for i, part := range parts {
		d.fillColor(partColor(part))
		p.Rect(xs[i], y+float64(rows[i])*h+1, 3, 3, "F")
		p.SetXY(xs[i]+3.5, y+float64(rows[i])*h)
		p.CellFormat(d.width(part.Label)+3, h, part.Label, "", 0, "L", false, 0, "")
	}
	p.SetXY(marginX, y+float64(row+1)*h+2)
	d.font("", 9)
}

// bar draws one horizontal stacked bar of the parts of c at (x, y), scaled
// so that total controls take full millimetres. Segments wide enough carry
// their count.
func (d *doc) bar(x, y, full, h float64, c audit.Counts, total int) {
	p := d.pdf
	if total <= 0 {
		return
	}
	d.font("B", 6.5)
	for _, part := range view.Parts() {
		n := part.Of(c)
		if n == 0 {
			continue
		}
		w := full * float64(n) / float64(total)
		d.fillColor(partColor(part))
		p.Rect(x, y, w, h, "F")
		label := fmt.Sprint(n)
		if d.width(label)+1.5 < w {
			d.textColor(rgb{255, 255, 255})
			p.SetXY(x, y)
			p.CellFormat(w, h, label, "", 0, "C", false, 0, "")
		}
		x += w
	}
	d.textColor(black)
	d.font("", 9)
}

// frameworkChart shows each framework as a 100% bar of its verdicts.
func (d *doc) frameworkChart() {
	if len(d.v.Frameworks) == 0 {
		return
	}
	d.heading("Chart: share of verdicts per framework", 10)
	d.legend()
	labelW, rowH := 70.0, 7.0
	for _, f := range d.v.Frameworks {
		d.need(rowH)
		y := d.pdf.GetY()
		d.font("", 8)
		d.pdf.SetXY(marginX, y)
		d.pdf.CellFormat(labelW, rowH-1.5, d.fit(d.line(f.Info.Title), labelW-2), "", 0, "L", false, 0, "")
		d.bar(marginX+labelW, y, contentW-labelW-14, rowH-1.5, f.Counts, f.Counts.Total)
		d.font("", 7.5)
		d.pdf.SetXY(pageW-marginX-13, y)
		d.pdf.CellFormat(13, rowH-1.5, fmt.Sprint(f.Counts.Total), "", 0, "R", false, 0, "")
		d.pdf.SetXY(marginX, y+rowH)
	}
	d.pdf.Ln(2)
}

// groupChart shows the verdicts per top-level group of a framework (PCI DSS
// principal requirements, SOC 2 categories), bars scaled to the largest
// group so sizes compare.
func (d *doc) groupChart(f *audit.FrameworkInfo) {
	rows := d.v.Groups(f.Ref)
	if len(rows) == 0 {
		return
	}
	most := 0
	for _, g := range rows {
		most = max(most, g.Counts.Total)
	}
	groups := d.ix.groups[f.Ref]
	kind := "group"
	if g := groups[rows[0].ID]; g != nil && g.Kind != "" {
		kind = g.Kind
	}
	d.heading(d.line(fmt.Sprintf("Chart: verdicts per %s, %s", strings.ReplaceAll(kind, "-", " "), f.Title)), 10)
	d.legend()
	labelW, rowH := 70.0, 5.2
	for _, g := range rows {
		d.need(rowH)
		y := d.pdf.GetY()
		name := g.ID
		if gr := groups[g.ID]; gr != nil {
			name = g.ID + " " + gr.Name
		}
		if g.ID == "" {
			name = "(no group)"
		}
		d.font("", 7)
		d.pdf.SetXY(marginX, y)
		d.pdf.CellFormat(labelW, rowH-1, d.fit(d.line(name), labelW-2), "", 0, "L", false, 0, "")
		d.bar(marginX+labelW, y, (contentW-labelW-14)*float64(g.Counts.Total)/float64(most), rowH-1, g.Counts, g.Counts.Total)
		d.font("", 7)
		d.pdf.SetXY(pageW-marginX-13, y)
		d.pdf.CellFormat(13, rowH-1, fmt.Sprint(g.Counts.Total), "", 0, "R", false, 0, "")
		d.pdf.SetXY(marginX, y+rowH)
	}
	d.pdf.Ln(3)
}

// gaps returns the controls that are not satisfied or need evidence, worst
// verdict first, then worst rule severity, then report order.
func (d *doc) gaps() []*audit.Control {
	var out []*audit.Control
	for i := range d.r.Controls {
		c := &d.r.Controls[i]
		if c.Verdict == eval.NotSatisfied || c.Verdict == eval.NeedsEvidence {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(a, b *audit.Control) int {
		return cmp.Or(
			cmp.Compare(eval.Rank(b.Verdict), eval.Rank(a.Verdict)),
			cmp.Compare(severityRank(d.ix.controlSeverity(a)), severityRank(d.ix.controlSeverity(b))),
		)
	})
	return out
}

// topGaps lists the worst controls, each linked to its finding.
func (d *doc) topGaps() {
	gaps := d.gaps()
	d.heading("Top gaps", 11)
	if len(gaps) == 0 {
		d.paragraph("No control is not satisfied or needs evidence.", 9, black)
		return
	}
	d.paragraph("Not-satisfied controls first, then those that need evidence; within each, by the severity of "+
		"the rule that decided the verdict. Click a row to open its finding.", 8.5, grey)
	t := d.newTable(7.5, column{"Control", 28}, column{"Name", 48}, column{"Verdict", 26},
		column{"Severity", 16}, column{"Affected elements", 48}, column{"Page", 14})
	for i, c := range gaps {
		if i == maxTopGaps {
			break
		}
		link := d.link("finding:" + c.Ref)
		var elems []string
		more := 0
		for _, f := range c.Findings {
			name := d.elementName(f.Element.ID, f.Element.Name)
			switch {
			case f.Verdict != c.Verdict || slices.Contains(elems, name):
			case len(elems) == maxGapElements:
				more++
			default:
				elems = append(elems, name)
			}
		}
		if more > 0 {
			elems = append(elems, fmt.Sprintf("and %d more", more))
		}
		page := "-"
		if n := d.pageOf("finding:" + c.Ref); n > 0 {
			page = fmt.Sprintf("p. %d", n)
		}
		sev := d.line(d.ix.controlSeverity(c))
		sevCell := cell{text: d.orDash(sev), link: link}
		if sev == "critical" || sev == "high" {
			sevCell.fg, sevCell.bold = red, true
		}
		vc := d.verdictCell(c.Verdict)
		vc.link = link
		t.row(cell{text: d.controlLabel(c), bold: true, link: link}, cell{text: d.line(c.Name), link: link}, vc,
			sevCell, cell{text: strings.Join(elems, ", "), link: link}, cell{text: page, fg: navy, link: link})
	}
	t.end()
	if len(gaps) > maxTopGaps {
		d.paragraph(fmt.Sprintf("%d more controls are not satisfied or need evidence; chapter \"%s\" lists every one.",
			len(gaps)-maxTopGaps, titleFindings), 8.5, grey)
	}
}

// controlLabel names a control with its framework id, for example
// "pci-dss 1.4.4", so controls of two frameworks never look alike.
func (d *doc) controlLabel(c *audit.Control) string {
	fw := c.Framework
	if i := strings.IndexByte(fw, '@'); i > 0 {
		fw = fw[:i]
	}
	return d.line(fw + " " + c.ID)
}

// elementName is "Name (id)", or "system" for system-level findings.
func (d *doc) elementName(id, name string) string {
	if id == "" {
		return "system"
	}
	if name == "" {
		return d.line(id)
	}
	return d.line(name + " (" + id + ")")
}

func (d *doc) orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// scopeFindings lists where the zone tags and the data disagree, right
// under the counts: an assessor checks the scope before any verdict.
func (d *doc) scopeFindings() {
	f := d.r.Scope.Findings
	if len(f) == 0 {
		return
	}
	d.heading(fmt.Sprintf("Scope findings (%d)", len(f)), 11)
	d.paragraph("The cardholder data environment is derived from the data, not from the zone tags; "+
		"where they disagree, the element is judged as the data says.", 8, grey)
	for _, x := range f {
		d.paragraph(d.line("• "+x.Message), 9, black)
	}
}

// openThreats names the open high and critical threats and the controls
// whose mitigations they call into question.
func (d *doc) openThreats() {
	t := d.v.Severe
	if len(t) == 0 {
		return
	}
	judged := map[string]audit.ThreatFinding{}
	for _, x := range d.r.Threats {
		judged[x.ID] = x
	}
	d.heading(fmt.Sprintf("Open high and critical threats (%d)", len(t)), 11)
	for _, x := range t {
		on := strings.Join(x.Targets, ", ")
		if len(x.Targets) == 0 {
			on = "the system as a whole"
		}
		msg := fmt.Sprintf("• %s %s (%s, %s) on %s", x.ID, x.Title, strings.ToLower(x.Severity), x.Status, on)
		if n := len(judged[x.ID].Controls); n > 0 {
			msg += fmt.Sprintf("; %d controls rest on the elements it threatens", n)
		}
		d.paragraph(d.line(msg), 9, black)
	}
}
