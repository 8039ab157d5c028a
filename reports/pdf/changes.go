package pdf

import (
	"fmt"
	"github.com/auditpack/auditpack/reports/view"
	"strings"

	"github.com/auditpack/auditpack/audit/diff"
	"github.com/auditpack/auditpack/audit/eval"
)

// The chapter a report gets when its package is compared with a previous
// one. It has no number on purpose: the other chapters keep theirs whether
// or not a package was compared, so "chapter 4" means the findings in every
// quarter's report, and a report built without a previous package is the
// same, byte for byte, as before the chapter existed.
const (
	titleChanges = "Changes since the previous package"
	keyChanges   = "changes"
)

// maxChangeFindings bounds the finding changes printed under one control,
// and the users named per evidence item; `auditpack diff` and the workbook
// have every one.
const maxChangeFindings = 5

// changesLine is the executive summary's one line about the comparison,
// linked to the chapter: a reviewer sees at once whether the quarter made
// anything worse.
func (d *doc) changesLine() {
	c := d.opts.Changes
	text := plural(c.Summary.Regressions, "regression") + " since " + c.Old.AsOf
	if id := d.opts.PreviousPackageID; id != "" {
		text += " (package " + id + ")"
	}
	text += ", " + plural(c.Summary.Improvements, "improvement") + "; see \"" + titleChanges + "\""
	if n := d.pageOf(keyChanges); n > 0 {
		text += fmt.Sprintf(", page %d", n)
	}
	fg := green
	if c.Regressed() {
		fg = red
	}
	d.linkedParagraph(d.line(text+"."), 9.5, fg, d.link(keyChanges))
}

// linkedParagraph prints cleaned bold text whose every line links to an
// anchor.
func (d *doc) linkedParagraph(text string, size float64, c rgb, link int) {
	d.font("B", size)
	d.textColor(c)
	h := lineHeight(size)
	for _, l := range d.wrap(text, contentW-2) {
		d.need(h)
		y := d.pdf.GetY()
		d.pdf.SetX(marginX)
		d.pdf.CellFormat(contentW, h, l, "", 1, "L", false, 0, "")
		d.pdf.Link(marginX, y, min(d.width(l)+2, contentW), h, link)
	}
	d.textColor(black)
	d.font("", 9)
	d.pdf.Ln(1)
}

// plural counts a noun: "1 regression", "2 regressions".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// changes is the chapter itself, in the order a reviewer reads it:
// regressions first, then improvements, controls added or removed, scope,
// evidence, exceptions and versions. A section with nothing in it says so,
// so an empty list is never mistaken for a list left out.
func (d *doc) changes() {
	c := d.opts.Changes
	d.chapterStart(keyChanges, titleChanges)
	d.keyValues(42,
		[2]string{"Previous package", d.orNone(d.line(d.opts.PreviousPackageID))},
		[2]string{"Previous as-of date", d.orNone(d.line(c.Old.AsOf))},
		[2]string{"Previous threat model", d.orNone(d.line(c.Old.Model))},
		[2]string{"This package", d.line(d.orNone(d.opts.PackageID) + ", as of " + c.New.AsOf)},
	)
	s := c.Summary
	d.paragraph(d.line(fmt.Sprintf("%s, %s, %d control(s) added and %d removed; %d scope, %d evidence, "+
		"%d exception and %d version change(s).", plural(s.Regressions, "regression"), plural(s.Improvements, "improvement"),
		s.ControlsAdded, s.ControlsRemoved, s.Scope, s.Evidence, s.Exceptions, s.Versions)), 9, black)
	if c.Empty() {
		d.paragraph("No changes: every control has the verdict it had in the previous package, and the scope, "+
			"evidence, exceptions and versions are the same.", 9, black)
		return
	}
	d.paragraph("A regression is a control whose verdict is worse than before in the order of the verdict legend; "+
		"under each control are the findings whose verdict moved. Comparing the two results.json files with "+
		"auditpack diff gives the same list.", 8.5, grey)
	d.controlChanges("Regressions", diff.Regression, true)
	d.controlChanges("Improvements", diff.Improvement, true)
	d.controlChanges("Controls added", diff.Added, false)
	d.controlChanges("Controls removed", diff.Removed, false)
	d.scopeChanges()
	d.evidenceChanges()
	d.exceptionChanges()
	d.versionChanges()
}

// changeSection prints a section heading with its count, or "None." under it
// when always is set and there is nothing to list. It reports whether a
// table follows.
func (d *doc) changeSection(title string, n int, always bool) bool {
	if n == 0 && !always {
		return false
	}
	d.heading(fmt.Sprintf("%s (%d)", title, n), 11)
	if n == 0 {
		d.paragraph("None.", 9, black)
		return false
	}
	return true
}

func (d *doc) controlChanges(title, direction string, always bool) {
	var list []diff.ControlChange
	for _, cc := range d.opts.Changes.Controls {
		if cc.Direction == direction {
			list = append(list, cc)
		}
	}
	if !d.changeSection(title, len(list), always) {
		return
	}
	t := d.newTable(7.5, column{"Control", 26}, column{"Name", 40}, column{"Previous", 24}, column{"Now", 24},
		column{"Why", 66})
	for _, cc := range list {
		id := cell{text: d.refLabel(cc.Framework, cc.ID), bold: true}
		if cc.Direction != diff.Removed && needsFinding(cc.To) {
			id.link, id.fg = d.link("finding:"+cc.Ref), navy
		}
		t.row(id, plain(d.line(cc.Name)), d.changeVerdict(cc.From), d.changeVerdict(cc.To), cell{text: d.why(cc), head: true})
	}
	t.end()
}

// why is the control's reason now, then the findings that moved.
func (d *doc) why(cc diff.ControlChange) string {
	lines := []string{d.orDash(d.line(cc.Reason))}
	for i, f := range cc.Findings {
		if i == maxChangeFindings {
			lines = append(lines, fmt.Sprintf("and %d more finding(s)", len(cc.Findings)-i))
			break
		}
		s := fmt.Sprintf("%s on %s: %s → %s", f.Rule, d.elementName(f.Element.ID, f.Element.Name),
			d.orDash(string(f.From)), d.orDash(string(f.To)))
		if f.Exception != "" {
			s += " (exception " + f.Exception + ")"
		}
		lines = append(lines, d.line(s))
	}
	return strings.Join(lines, "\n")
}

// changeVerdict prints a verdict in its colours, or a grey dash for a
// control that was not there.
func (d *doc) changeVerdict(v eval.Verdict) cell {
	if v == "" {
		return cell{text: "-", fg: grey}
	}
	return d.verdictCell(v)
}

// refLabel names a control with its framework id, as controlLabel does.
func (d *doc) refLabel(framework, id string) string {
	fw, _, _ := strings.Cut(framework, "@")
	return d.line(fw + " " + id)
}

func (d *doc) scopeChanges() {
	list := d.opts.Changes.Scope
	if !d.changeSection("Scope", len(list), true) {
		return
	}
	t := d.newTable(7.5, column{"Element", 52}, column{"Change", 20}, column{"Rules brought into scope", 54},
		column{"Rules taken out of scope", 54})
	for _, sc := range list {
		el := d.elementName(sc.Element.ID, sc.Element.Name) + "\n" + d.line(sc.Element.Kind)
		t.row(cell{text: el, head: true}, plain(d.line(sc.Change)), plain(d.orDash(d.line(strings.Join(sc.RulesAdded, ", ")))),
			plain(d.orDash(d.line(strings.Join(sc.RulesRemoved, ", ")))))
	}
	t.end()
}

func (d *doc) evidenceChanges() {
	list := d.opts.Changes.Evidence
	if !d.changeSection("Evidence", len(list), true) {
		return
	}
	t := d.newTable(7.5, column{"Item", 40}, column{"Change", 26}, column{"Previous", 18}, column{"Now", 18},
		column{"Detail", 78})
	for _, e := range list {
		change := plain(d.line(e.Change))
		if view.EvidenceChangeFlagged(e) {
			change.fg, change.bold = red, true
		}
		t.row(cell{text: d.line(e.Item) + "\n" + d.line(e.Title), head: true}, change,
			plain(d.line(d.orDash(e.From))), plain(d.line(d.orDash(e.To))), plain(d.evidenceDetail(e)))
	}
	t.end()
}

// evidenceDetail says why an item changed and which rules use it.
func (d *doc) evidenceDetail(e diff.EvidenceChange) string {
	lines := view.EvidenceChangeDetail(e, maxChangeFindings)
	for i := range lines {
		lines[i] = d.line(lines[i])
	}
	return d.orDash(strings.Join(lines, "\n"))
}

func (d *doc) exceptionChanges() {
	list := d.opts.Changes.Exceptions
	if !d.changeSection("Exceptions", len(list), true) {
		return
	}
	t := d.newTable(7.5, column{"Exception", 30}, column{"Change", 20}, column{"Previous", 18}, column{"Now", 18},
		column{"Covers", 70}, column{"Expires", 24})
	for _, x := range list {
		change := plain(d.line(x.Change))
		if x.Change == diff.ExceptionExpired || x.Change == diff.ExceptionRemoved {
			change.fg, change.bold = red, true
		}
		var covers []string
		for _, kv := range [][2]string{{"control", x.Control}, {"rule", x.Rule}, {"element", x.Element}} {
			if kv[1] != "" {
				covers = append(covers, kv[0]+" "+kv[1])
			}
		}
		t.row(cell{text: d.line(x.ID), bold: true}, change, plain(d.line(d.orDash(x.From))), plain(d.line(d.orDash(x.To))),
			plain(d.orDash(d.line(strings.Join(covers, "; ")))), plain(d.orDash(d.line(x.ExpiresOn))))
	}
	t.end()
}

func (d *doc) versionChanges() {
	list := d.opts.Changes.Versions
	if !d.changeSection("Versions", len(list), true) {
		return
	}
	t := d.newTable(7.5, column{"Kind", 30}, column{"Id", 70}, column{"Previous", 40}, column{"Now", 40})
	for _, v := range list {
		t.row(plain(d.line(v.Kind)), cell{text: d.line(v.ID), bold: true}, plain(d.line(d.orDash(v.From))),
			plain(d.line(d.orDash(v.To))))
	}
	t.end()
}
