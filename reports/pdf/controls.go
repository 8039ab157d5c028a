package pdf

import (
	"fmt"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/reports/view"
)

// coverageText explains a control's coverage flag where it is printed.
func coverageText(c string) string {
	switch c {
	case audit.CoveragePartial:
		return "partial"
	case audit.CoverageFull:
		return "full"
	case audit.CoverageNone:
		return "none"
	}
	return c
}

// controls is chapter 3: every control of every framework, in catalog
// order, under the headings of the framework's hierarchy.
func (d *doc) controls() {
	d.chapterStart("controls", titleControls)
	d.paragraph("Every control of each framework, grouped as in the framework. Coverage: \"partial\" means the "+
		"automated rules check the technical part only and an auditor judges the rest; \"none\" means no "+
		"automated rule exists and the control is manual; \"full\" means a rule claims the whole control. "+
		"Below a satisfied verdict is whether the technical part or the whole control is satisfied; below a "+
		"manual one, why: a scope to confirm, no automated rule or auditor judgement. "+
		"The reason is the finding that decided the verdict; chapter 4 has the details.", 8.5, grey)
	for _, f := range d.fws {
		d.frameworkControls(f)
	}
}

func (d *doc) frameworkControls(f *audit.FrameworkInfo) {
	title := d.line(f.Title)
	if d.pdf.GetY() > marginTop+60 {
		d.newPage()
	}
	d.pdf.Bookmark(title, 1, -1)
	d.anchor("controls:" + f.Ref)
	d.heading(title, 13)
	d.paragraph(d.line(fmt.Sprintf("%s, version %s, published by %s: %d controls.", f.ID, f.Version, f.Publisher, f.Controls)), 8.5, grey)
	groups := d.ix.groups[f.Ref]
	var shown []string // ancestor group ids printed so far, by depth
	var t *table
	open := func() {
		t = d.newTable(7.5, column{"Control", 18}, column{"Name", 46}, column{"Verdict", 28},
			column{"Coverage", 18}, column{"Reason", 70})
	}
	closeTable := func() {
		if t != nil {
			t.end()
			t = nil
		}
	}
	for i := range d.r.Controls {
		c := &d.r.Controls[i]
		if c.Framework != f.Ref {
			continue
		}
		var path []string
		for _, p := range c.Parents {
			if groups[p] != nil {
				path = append(path, p)
			}
		}
		depth := 0
		for depth < len(path) && depth < len(shown) && path[depth] == shown[depth] {
			depth++
		}
		if depth < len(path) || t == nil {
			closeTable()
			for j := depth; j < len(path); j++ {
				d.groupHeading(groups[path[j]], j, path[j] == c.Group)
			}
			shown = path
			open()
		}
		t.row(d.controlRow(c)...)
	}
	closeTable()
}

// groupHeading prints one level of a framework's hierarchy; the level that
// the charts use (principal requirement, category) also gets a bookmark.
func (d *doc) groupHeading(g *audit.Group, depth int, bookmark bool) {
	size := 10.5 - float64(depth)*0.75
	text := d.line(g.ID + "  " + g.Name)
	if g.Kind == "goal" {
		text = d.line("Goal " + g.ID + ": " + g.Name)
	}
	d.heading(text, max(size, 8.5))
	if bookmark {
		d.pdf.Bookmark(d.fit(text, 120), 2, d.pdf.GetY()-lineHeight(size)-1)
	}
}

func (d *doc) controlRow(c *audit.Control) []cell {
	cov := cell{text: coverageText(d.line(c.Coverage))}
	if c.Coverage == audit.CoverageNone {
		cov.fg = grey
	}
	id := cell{text: d.line(c.ID), bold: true}
	if needsFinding(c.Verdict) {
		id.link = d.link("finding:" + c.Ref)
		id.fg = navy
	}
	return []cell{id, plain(d.line(c.Name)), d.controlVerdictCell(c), cov, plain(d.orDash(d.line(c.Reason)))}
}

// controlVerdictCell is a control's verdict with, under it, what kind of
// satisfied or manual verdict it is, so that a "satisfied" row never reads
// as the requirement met.
func (d *doc) controlVerdictCell(c *audit.Control) cell {
	vc := d.verdictCell(c.Verdict)
	if kind := view.VerdictKind(c); kind != "" {
		vc.text += "\n" + d.line(kind)
		vc.bold, vc.head = false, true
	}
	return vc
}

// needsFinding reports whether a control gets a section in chapter 4.
func needsFinding(v eval.Verdict) bool {
	return v == eval.NotSatisfied || v == eval.NeedsEvidence || v == eval.Excepted
}
