package pdf

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
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
	s := r.Summary
	d.paragraph(d.line(fmt.Sprintf(
		"auditpack evaluated %d controls of %d framework(s) against the threat model \"%s\" as of %s: "+
			"%d satisfied, %d not satisfied, %d need evidence, %d excepted, %d manual and %d not applicable. "+
			"Excepted and manual controls are not satisfied and are counted apart. Automated rules check the "+
			"technical part only: no control is claimed as fully met from the threat model alone.",
		s.Total, len(r.Frameworks), r.Model.Title, r.Project.AsOf,
		s.Satisfied, s.NotSatisfied, s.NeedsEvidence, s.Excepted, s.Manual, s.NotApplicable)), 9, black)
	if d.opts.Changes != nil {
		d.changesLine()
	}

	d.heading("Verdicts per framework", 11)
	d.countsTable()
	d.frameworkChart()
	for _, f := range d.fws {
		d.groupChart(f)
	}
	d.topGaps()
}

// countsTable prints the verdict counts per framework and in total.
func (d *doc) countsTable() {
	cols := []column{{"Framework", 54}}
	for _, v := range eval.Verdicts {
		cols = append(cols, column{strings.Replace(string(v), "-", "-\n", 1), 18})
	}
	cols = append(cols, column{"total", 18})
	t := d.newTable(7.5, cols...)
	row := func(name string, c audit.Counts, bold bool) {
		cells := []cell{{text: name, bold: bold}}
		for _, v := range eval.Verdicts {
			fg, _ := verdictColors(v)
			if c.Of(v) == 0 {
				fg = grey
			}
			cells = append(cells, cell{text: fmt.Sprint(c.Of(v)), fg: fg, bold: bold || c.Of(v) > 0})
		}
		t.row(append(cells, cell{text: fmt.Sprint(c.Total), bold: bold})...)
	}
	for _, f := range d.r.Frameworks {
		row(d.line(f.Title), f.Counts, false)
	}
	row("All frameworks", d.r.Summary, true)
	t.end()
}

// legend draws a colour key for the six verdicts.
func (d *doc) legend() {
	p := d.pdf
	d.need(6)
	x, y := marginX, p.GetY()
	d.font("", 7.5)
	for _, v := range eval.Verdicts {
		fg, _ := verdictColors(v)
		d.fillColor(fg)
		p.Rect(x, y+1, 3, 3, "F")
		p.SetXY(x+3.5, y)
		w := d.width(string(v)) + 3
		p.CellFormat(w, 5, string(v), "", 0, "L", false, 0, "")
		x += 3.5 + w + 3
	}
	p.SetXY(marginX, y+7)
	d.font("", 9)
}

// bar draws one horizontal stacked bar of verdict counts at (x, y), scaled
// so that total controls take full millimetres. Segments wide enough carry
// their count.
func (d *doc) bar(x, y, full, h float64, c audit.Counts, total int) {
	p := d.pdf
	if total <= 0 {
		return
	}
	d.font("B", 6.5)
	for _, v := range eval.Verdicts {
		n := c.Of(v)
		if n == 0 {
			continue
		}
		w := full * float64(n) / float64(total)
		fg, _ := verdictColors(v)
		d.fillColor(fg)
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
	if len(d.r.Frameworks) == 0 {
		return
	}
	d.heading("Chart: share of verdicts per framework", 10)
	d.legend()
	labelW, rowH := 70.0, 7.0
	for _, f := range d.r.Frameworks {
		d.need(rowH)
		y := d.pdf.GetY()
		d.font("", 8)
		d.pdf.SetXY(marginX, y)
		d.pdf.CellFormat(labelW, rowH-1.5, d.fit(d.line(f.Title), labelW-2), "", 0, "L", false, 0, "")
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
	type row struct {
		id    string
		c     audit.Counts
		order int
	}
	var rows []*row
	byID := map[string]*row{}
	for _, c := range d.r.Controls {
		if c.Framework != f.Ref {
			continue
		}
		g := byID[c.Group]
		if g == nil {
			g = &row{id: c.Group, order: len(rows)}
			byID[c.Group] = g
			rows = append(rows, g)
		}
		g.c.Add(c.Verdict)
	}
	if len(rows) == 0 {
		return
	}
	most := 0
	for _, g := range rows {
		most = max(most, g.c.Total)
	}
	groups := d.ix.groups[f.Ref]
	kind := "group"
	if g := groups[rows[0].id]; g != nil && g.Kind != "" {
		kind = g.Kind
	}
	d.heading(d.line(fmt.Sprintf("Chart: verdicts per %s, %s", strings.ReplaceAll(kind, "-", " "), f.Title)), 10)
	d.legend()
	labelW, rowH := 70.0, 5.2
	for _, g := range rows {
		d.need(rowH)
		y := d.pdf.GetY()
		name := g.id
		if gr := groups[g.id]; gr != nil {
			name = g.id + " " + gr.Name
		}
		if g.id == "" {
			name = "(no group)"
		}
		d.font("", 7)
		d.pdf.SetXY(marginX, y)
		d.pdf.CellFormat(labelW, rowH-1, d.fit(d.line(name), labelW-2), "", 0, "L", false, 0, "")
		d.bar(marginX+labelW, y, (contentW-labelW-14)*float64(g.c.Total)/float64(most), rowH-1, g.c, g.c.Total)
		d.font("", 7)
		d.pdf.SetXY(pageW-marginX-13, y)
		d.pdf.CellFormat(13, rowH-1, fmt.Sprint(g.c.Total), "", 0, "R", false, 0, "")
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
