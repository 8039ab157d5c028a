package pdf

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/auditpack/auditpack/audit/model"
)

// threats is chapter 7: the model's threats that are still open on
// in-scope elements, worst severity first.
func (d *doc) threats() {
	d.chapterStart("threats", titleThreats)
	open := slices.Clone(d.v.Threats)
	slices.SortStableFunc(open, func(a, b *model.Threat) int {
		return cmp.Compare(severityRank(a.Severity), severityRank(b.Severity))
	})
	d.paragraph(d.line(fmt.Sprintf("The threat model records %d threats; %d are open, in progress or partially mitigated "+
		"on elements in scope. They are listed as the model states them: auditpack does not judge threats, but an "+
		"open threat on an in-scope element is something an auditor will ask about.", len(d.r.Model.Threats), len(open))), 8.5, grey)
	if len(open) == 0 {
		d.paragraph("No open threat on an in-scope element.", 9, black)
		return
	}
	t := d.newTable(7.5, column{"Severity", 20}, column{"Threat", 62}, column{"Status", 24}, column{"Targets", 44}, column{"Mitigations", 30})
	for _, th := range open {
		sev := cell{text: d.orDash(d.line(th.Severity)), bold: true}
		if severityRank(th.Severity) <= 1 {
			sev.fg, sev.bg = red, paleRed
		}
		name := d.line(th.ID) + "\n" + d.line(th.Title)
		if th.Category != "" {
			name += "\n" + d.line(th.Category)
		}
		var targets []string
		for _, id := range th.Targets {
			targets = append(targets, d.elementName(id, d.nameOf(id)))
		}
		if len(targets) == 0 {
			targets = append(targets, "system (no target)")
		}
		status := th.Status
		if th.RawStatus != "" && th.RawStatus != th.Status {
			status += " (" + th.RawStatus + ")"
		}
		t.row(sev, cell{text: name, head: true}, plain(d.line(status)), plain(strings.Join(targets, "\n")),
			plain(d.orDash(d.line(strings.Join(th.Mitigations, ", ")))))
	}
	t.end()
}
